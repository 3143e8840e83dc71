// Binds the externs an AD pass introduces (`g.jvp`, `g.vjp`) to JavaScript:
// the user's registered rule when there is one (passes/rules/custom.ts),
// otherwise finite differences of the primal binding (warned once per
// function), or an error with `onMissingRule: "error"`. Used by every API
// convenience before compiling a transformed module.

import { DerivError } from "../ir/errors.js";
import type { Extern, Module } from "../ir/types.js";
import { customRule } from "../passes/rules/custom.js";
import { directionalDerivative } from "./finite-diff.js";

/** A bound extern: numbers in, one number or an array of numbers out. */
export type ExternImpl = (...args: number[]) => number | readonly number[];

/** Options shared by the API conveniences that concern black boxes. */
export interface ExternOptions {
  /** Primal JavaScript implementations of the `declare function`s, by name. */
  readonly externs?: Readonly<Record<string, ExternImpl>>;
  /** What to do for a black box without a registered derivative rule. */
  readonly onMissingRule?: "fd" | "error";
  /** Where "falling back to finite differences" warnings go (default console.warn). */
  readonly onWarning?: (message: string) => void;
}

const warned = new Set<string>();

/** Forgets which fallbacks were already warned about (tests). */
export function resetFallbackWarnings(): void {
  warned.clear();
}

const asArray = (r: number | readonly number[]): readonly number[] => (typeof r === "number" ? [r] : r);

function missingRule(name: string, kind: string, ext: Extern): DerivError {
  return new DerivError("runtime", [
    {
      code: "E_AD_MISSING_RULE",
      message: `no ${kind} rule registered for black box @${name}; register one with registerRule("${name}", { ${kind}: ... }) or allow onMissingRule: "fd"`,
      ...(ext.loc ? { location: ext.loc } : {}),
    },
  ]);
}

/** The primal of black box `name` as a vector function, from the bindings made so far
 * (user primals, then AD externs in declaration order: `g.vjp` before `g.vjp.jvp`). */
function primalOf(module: Module, name: string, bound: Readonly<Record<string, ExternImpl>>): ((x: readonly number[]) => readonly number[]) | undefined {
  const impl = bound[name] ?? (name === "stopGradient" ? (x: number) => x : undefined);
  if (!impl || !module.externs.some((e) => e.name === name)) return undefined;
  return (x) => asArray(impl(...x));
}

/** JS bindings for every extern of `module`: the user's primals plus the AD externs. */
export function bindAdExterns(module: Module, options: ExternOptions): Record<string, ExternImpl> {
  const out: Record<string, ExternImpl> = { ...options.externs };
  const warn = options.onWarning ?? ((m: string) => console.warn(m));
  for (const ext of module.externs) {
    const m = /^(.*)\.(jvp|vjp)$/.exec(ext.name);
    if (!m || Object.prototype.hasOwnProperty.call(out, ext.name)) continue;
    const base = m[1]!;
    const kind = m[2] as "jvp" | "vjp";
    const nIn = baseArity(module, base) ?? (kind === "jvp" ? ext.params.length / 2 : ext.params.length);
    const rule = customRule(base)?.[kind];
    if (rule) {
      out[ext.name] = (...a: number[]) => rule(a.slice(0, nIn), a.slice(nIn));
      continue;
    }
    if (options.onMissingRule === "error") throw missingRule(base, kind, ext);
    const primal = primalOf(module, base, out);
    if (!primal) continue; // unbound: calling it reports the missing primal binding
    out[ext.name] = kind === "jvp" ? fdJvp(base, primal, nIn, warn) : fdVjp(base, primal, nIn, warn);
  }
  return out;
}

/** Number of parameters of the black box or module function `name`. */
function baseArity(module: Module, name: string): number | undefined {
  const ext = module.externs.find((e) => e.name === name);
  if (ext) return ext.params.length;
  const func = module.funcs.find((f) => f.name === name);
  return func?.blocks[0]?.params.length;
}

function warnOnce(name: string, warn: (m: string) => void): void {
  if (warned.has(name)) return;
  warned.add(name);
  warn(`deriv: no derivative rule for black box @${name}; using finite differences (Ridders' extrapolation). Register one with registerRule("${name}", ...).`);
}

/** [y..., J v] by a directional finite difference. */
function fdJvp(name: string, g: (x: readonly number[]) => readonly number[], nIn: number, warn: (m: string) => void): ExternImpl {
  return (...a: number[]) => {
    warnOnce(name, warn);
    const x = a.slice(0, nIn);
    return [...g(x), ...directionalDerivative(g, x, a.slice(nIn)).derivative];
  };
}

/** [y..., Jᵀ w] by one directional finite difference per input. */
function fdVjp(name: string, g: (x: readonly number[]) => readonly number[], nIn: number, warn: (m: string) => void): ExternImpl {
  return (...a: number[]) => {
    warnOnce(name, warn);
    const x = a.slice(0, nIn);
    const w = a.slice(nIn);
    const grad = x.map((_, j) => {
      const e = x.map((_, i) => (i === j ? 1 : 0));
      return directionalDerivative(g, x, e).derivative.reduce((s, d, i) => s + d * w[i]!, 0);
    });
    return [...g(x), ...grad];
  };
}
