// The `flops` analysis pass and the flop-count entry points: closed forms of
// each function's cost in its parameters (passes/flops-closed.ts), exact
// dynamic counts from an instrumented interpreter run
// (passes/flops-dynamic.ts), and the evaluation of a closed form at given
// arguments. The cost model (classes, weights, what `total` means) is
// documented in passes/flops-cost.ts. As a pipeline pass it prints the
// closed forms and returns the module unchanged:
//
//   deriv dump f.ir --passes 'flops{fn=f weights=div:4,transcendental:20}'
//   flops @f: total = 3*ceil(n) + 1
//     add = ceil(n), transcendental = ceil(n), compare = ceil(n) + 1, int = ceil(n)
//     assuming ceil(n) >= 0

import type { RtValue } from "../ir/eval.js";
import { formatName } from "../ir/printer.js";
import type { Func, Module } from "../ir/types.js";
import { findFunc } from "../ir/types.js";
import { type Assumption, formatAssumption } from "./flops-assume.js";
import { type BlockCounter, closedForms, paramIndex, type Quantity, QUANTITIES } from "./flops-closed.js";
import { COST_CLASSES, type CostClass, DEFAULT_WEIGHTS, parseWeights, type Weights } from "./flops-cost.js";
import type { Atom, Poly, Rat } from "./flops-poly.js";
import { formatPoly, polyEval, ratFromNumber, ratSign, ratToNumber } from "./flops-poly.js";
import { isExact } from "./flops-range.js";
import type { Pass } from "./pass.js";

export { flopAnnotator, flopBlockAnnotator } from "./flops-cost.js";

/** The closed form of a function's cost. */
export interface FlopFormula {
  /** Weighted total, or null if it has no closed form. */
  readonly total: Poly | null;
  /** Per class (unweighted counts), null where there is none. */
  readonly byClass: Readonly<Record<CostClass, Poly | null>>;
  /** Quantities without an exact form but with lower and upper bounds (a
   * branch whose arms differ by an amount of known sign). */
  readonly bounds: Readonly<Partial<Record<Quantity, { readonly lower: Poly; readonly upper: Poly }>>>;
  /** The polynomials (and bounds) hold where all these hold. */
  readonly assumes: readonly Assumption[];
  /** Why a quantity has no closed form, or a trip count is symbolic. */
  readonly why: readonly string[];
}

/** A formula as text, for JSON output and reports. */
export interface FlopFormulaText {
  readonly total: string | null;
  readonly byClass: Readonly<Record<CostClass, string | null>>;
  readonly bounds: Readonly<Partial<Record<Quantity, { readonly lower: string; readonly upper: string }>>>;
  readonly assumes: readonly string[];
  readonly why: readonly string[];
}

/** Closed forms under `weights` of the functions of `module` reachable from
 * `roots` (default: every function). */
export function flopFormulas(module: Module, weights: Weights = DEFAULT_WEIGHTS, roots?: readonly string[], counter?: BlockCounter): Map<string, FlopFormula> {
  const out = new Map<string, FlopFormula>();
  for (const [name, form] of closedForms(module, weights, roots, counter)) {
    const exactOf = (i: number): Poly | null => {
      const r = form.quantities[i]!;
      return r && isExact(r) ? r.lo : null;
    };
    const byClass = Object.fromEntries(COST_CLASSES.map((c, i) => [c, exactOf(i)])) as Record<CostClass, Poly | null>;
    const bounds: Partial<Record<Quantity, { lower: Poly; upper: Poly }>> = {};
    QUANTITIES.forEach((q, i) => {
      const r = form.quantities[i]!;
      if (r && !isExact(r)) bounds[q] = { lower: r.lo, upper: r.hi };
    });
    out.set(name, { total: exactOf(QUANTITIES.length - 1), byClass, bounds, assumes: form.assumes, why: form.why });
  }
  return out;
}

/** The formula as text (`3*ceil(n) + 1`; null where there is none). */
export function formulaText(f: FlopFormula): FlopFormulaText {
  const text = (p: Poly | null): string | null => (p ? formatPoly(p) : null);
  const byClass = Object.fromEntries(COST_CLASSES.map((c) => [c, text(f.byClass[c])])) as Record<CostClass, string | null>;
  const bounds = Object.fromEntries(Object.entries(f.bounds).map(([q, b]) => [q, { lower: formatPoly(b.lower), upper: formatPoly(b.upper) }]));
  return { total: text(f.total), byClass, bounds, assumes: f.assumes.map(formatAssumption), why: f.why };
}

/** A formula evaluated at given arguments. */
export interface FormulaValue {
  /** True if every assumption holds at these arguments. */
  readonly applies: boolean;
  /** Values where the formula applies and has no unknown symbols; else null. */
  readonly total: number | null;
  readonly byClass: Readonly<Record<CostClass, number | null>>;
  /** The bounds of `FlopFormula.bounds` at these arguments (where known). */
  readonly bounds: Readonly<Partial<Record<Quantity, { readonly lower: number; readonly upper: number }>>>;
}

/** Evaluates `formula` (of `func`) at `args`, exactly. Parameters bind to
 * their atoms (`n`, `len(xs)`); `symbols` may value the others (`trip(...)`,
 * `total(@g)`), which are otherwise unknown. */
export function evaluateFormula(formula: FlopFormula, func: Func, args: readonly RtValue[], symbols: (a: Atom) => Rat | undefined = () => undefined): FormulaValue {
  const index = paramIndex(func);
  const env = (a: Atom): Rat | undefined => {
    if (a.kind !== "param" && a.kind !== "len") return symbols(a);
    const v = args[index.get(a.name) ?? -1];
    if (a.kind === "len") return v instanceof Float64Array || Array.isArray(v) ? ratFromNumber(v.length) : undefined;
    return typeof v === "number" ? ratFromNumber(v) : undefined;
  };
  const holds = (a: Assumption): boolean | undefined => {
    const base = polyEval(a.atLeastZero, env);
    if (base !== undefined && ratSign(base) >= 0) return true;
    const unless = a.unless.map((u) => polyEval(u, env));
    if (unless.some((u) => u !== undefined && ratSign(u) <= 0)) return true;
    return base === undefined || unless.some((u) => u === undefined) ? undefined : false;
  };
  const applies = formula.assumes.every((a) => holds(a) === true);
  const value = (p: Poly | null): number | null => {
    const r = applies && p ? polyEval(p, env) : undefined;
    return r === undefined ? null : ratToNumber(r);
  };
  const byClass = Object.fromEntries(COST_CLASSES.map((c) => [c, value(formula.byClass[c])])) as Record<CostClass, number | null>;
  const bounds: Partial<Record<Quantity, { lower: number; upper: number }>> = {};
  for (const [q, b] of Object.entries(formula.bounds)) {
    const lower = value(b.lower);
    const upper = value(b.upper);
    if (lower !== null && upper !== null) bounds[q as Quantity] = { lower, upper };
  }
  return { applies, total: value(formula.total), byClass, bounds };
}

/** The `flops` analysis pass: prints each function's closed-form cost. */
export const flops: Pass = {
  name: "flops",
  description: "analysis: print each function's flop count as a closed form in its parameters",
  options: [
    { name: "fn", kind: "string", doc: "only this function (default: every function)" },
    { name: "weights", kind: "string-list", default: [], doc: "class:weight overrides of the default weights, e.g. div:4,transcendental:20" },
  ],
  run(module, ctx) {
    const parsed = parseWeights(ctx.strList("weights"));
    if ("error" in parsed) throw ctx.optionError(parsed.error);
    const only = ctx.options["fn"] === undefined ? undefined : ctx.str("fn");
    if (only !== undefined && !findFunc(module, only)) {
      throw ctx.optionError(`no function @${formatName(only)} (functions: ${module.funcs.map((f) => `@${formatName(f.name)}`).join(", ") || "none"})`);
    }
    const formulas = flopFormulas(module, parsed.weights, only === undefined ? undefined : [only]);
    for (const func of module.funcs) {
      const formula = formulas.get(func.name);
      if (!formula || (only !== undefined && func.name !== only)) continue;
      const f = formulaText(formula);
      const bounded = (q: Quantity): string | undefined => f.bounds[q] && `between ${f.bounds[q]!.lower} and ${f.bounds[q]!.upper}`;
      const classes = COST_CLASSES.filter((c) => f.byClass[c] !== "0").map((c) => `${c} = ${f.byClass[c] ?? bounded(c) ?? "(none)"}`);
      const lines = [`flops @${formatName(func.name)}: total = ${f.total ?? bounded("total") ?? "(no closed form)"}`];
      if (classes.length) lines.push(`  ${classes.join(", ")}`);
      if (f.assumes.length) lines.push(`  assuming ${f.assumes.join(", ")}`);
      for (const w of f.why) lines.push(`  note: ${w}`);
      ctx.print(lines.join("\n"));
      if (f.total !== null) ctx.stat("closed forms");
    }
    return module;
  },
};
