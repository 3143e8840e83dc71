// Reverse-mode conveniences: `vjp`, `grad` and the reverse Jacobian (one
// vector-Jacobian product per output), built on the rev-ad pass. Each
// transforms and compiles once, then reuses the callable.

import { compile, type Callable } from "../backend/index.js";
import { DerivError, runtimeError } from "../ir/errors.js";
import type { Func, Module } from "../ir/types.js";
import { isDifferentiable } from "../passes/activity.js";
import { runPipeline } from "../passes/pipeline.js";
import { addVjp } from "../passes/rev-ad.js";
import { bindAdExterns } from "./externs.js";
import { CLEANUP } from "./forward.js";
import { activeArgs, checkArgs, funcOf, resultList, sizeOf, toModule, userValue, type ApiOptions } from "./source.js";

/** `fn.vjp`, cleaned up and compiled. */
export function compileVjp(module: Module, func: Func, wrt: readonly number[], opts: ApiOptions): Callable {
  return compileVjps(module, func, wrt, opts, false).vjp;
}

/** `fn.vjp` and, with `into`, `fn.vjp.into` (adds array adjoints into given arrays), compiled together. */
function compileVjps(module: Module, func: Func, wrt: readonly number[], opts: ApiOptions, into: boolean): { vjp: Callable; into?: Callable } {
  const transformed = runPipeline(addVjp(runPipeline(module, CLEANUP), { fn: func.name, wrt, into }), CLEANUP);
  // `fn.vjp.into(x..., ybar..., xbar arrays...)`: its array adjoints are out-parameters.
  const nIn = func.blocks[0]!.params.length + func.results.filter(isDifferentiable).length;
  const outs = wrt.filter((i) => func.values[func.blocks[0]!.params[i]!]!.type !== "f64").map((_, k) => nIn + k);
  const compiled = compile(transformed, { externs: bindAdExterns(transformed, opts), ...(into ? { inPlace: { [`${func.name}.vjp.into`]: outs } } : {}) });
  return { vjp: compiled[`${func.name}.vjp`]!, ...(into ? { into: compiled[`${func.name}.vjp.into`]! } : {}) };
}

/** The preallocated-output form of a gradient: overwrites the arrays of a
 * previous result's `gradient` (and its number entries) instead of allocating. */
export type GradInto = (gradient: unknown[], ...args: unknown[]) => { value: number; gradient: unknown[] };

/** One entry per argument: the active ones' adjoints, null elsewhere. */
function perArgument(func: Func, wrt: readonly number[], adjoints: readonly unknown[]): unknown[] {
  const out = new Array<unknown>(func.blocks[0]!.params.length).fill(null);
  wrt.forEach((i, k) => (out[i] = adjoints[k]));
  return out;
}

/** `vjp(src, fn, opts)(args, cotangent)`: the value and wᵀJ. `cotangent` is
 * one entry per number/array result (bare when there is one). */
export function vjp(src: string | Module, fn: string, opts: ApiOptions = {}) {
  const module = toModule(src);
  const func = funcOf(module, fn);
  const wrt = activeArgs(func, opts.wrt);
  const callable = compileVjp(module, func, wrt, opts);
  const nDiff = func.results.filter(isDifferentiable).length;
  return (args: readonly unknown[], cotangent: unknown): { value: unknown; cotangent: unknown[] } => {
    checkArgs(func, args);
    const ws = nDiff === 1 ? [cotangent] : (cotangent as unknown[]);
    const all = resultList(func, callable(...args, ...ws), wrt.length);
    return { value: userValue(all.slice(0, func.results.length)), cotangent: perArgument(func, wrt, all.slice(func.results.length)) };
  };
}

/** `grad(src, fn, opts)(...args)`: value and gradient of a function returning one number. */
export function grad(src: string | Module, fn: string, opts: ApiOptions = {}) {
  const module = toModule(src);
  const func = funcOf(module, fn);
  if (func.results.length !== 1 || func.results[0] !== "f64") {
    throw new DerivError("pipeline", [{ code: "E_PIPELINE_PASS_FAILED", message: `grad: @${fn} must return one number (it returns ${func.results.join(", ") || "nothing"}); use vjp or jacobian` }]);
  }
  const wrt = activeArgs(func, opts.wrt);
  const { vjp: callable, into: intoCallable } = compileVjps(module, func, wrt, opts, true);
  const arrays = wrt.filter((i) => func.values[func.blocks[0]!.params[i]!]!.type !== "f64");
  const numbers = wrt.filter((i) => func.values[func.blocks[0]!.params[i]!]!.type === "f64");
  const into: GradInto = (gradient, ...args) => {
    checkArgs(func, args);
    const outs = arrays.map((i) => {
      const out = gradient[i];
      const n = sizeOf(args[i]);
      if (!(out instanceof Float64Array) || out.length !== n) {
        throw runtimeError("E_RUNTIME_ARGS", `grad(...).into: gradient[${i}] must be a Float64Array of length ${n} (the size of argument ${i})`);
      }
      return out.fill(0);
    });
    const all = resultList(func, intoCallable!(...args, 1, ...outs), numbers.length);
    numbers.forEach((i, k) => (gradient[i] = all[1 + k]));
    return { value: all[0] as number, gradient };
  };
  return Object.assign(
    (...args: unknown[]): { value: number; gradient: unknown[] } => {
      checkArgs(func, args);
      const all = resultList(func, callable(...args, 1), wrt.length);
      return { value: all[0] as number, gradient: perArgument(func, wrt, all.slice(1)) };
    },
    { into },
  );
}

/** The dense Jacobian by reverse sweeps, one per output entry. */
export function reverseJacobian(src: string | Module, fn: string, opts: ApiOptions = {}) {
  const module = toModule(src);
  const func = funcOf(module, fn);
  const wrt = activeArgs(func, opts.wrt);
  const callable = compileVjp(module, func, wrt, opts);
  const primal = compile(module, { externs: bindAdExterns(module, opts) })[fn]!;
  const diff = func.results.flatMap((t, j) => (isDifferentiable(t) ? [j] : []));
  return (...args: unknown[]): { value: unknown; jacobian: Float64Array[] } => {
    checkArgs(func, args);
    const n = wrt.reduce((s, i) => s + sizeOf(args[i]), 0);
    const values = resultList(func, primal(...args));
    const outSizes = diff.map((j) => sizeOf(values[j]));
    const rows: Float64Array[] = [];
    outSizes.forEach((size, k) => {
      for (let r = 0; r < size; r++) {
        const ws = diff.map((j, q) => (func.results[j] === "f64" ? (q === k ? 1 : 0) : new Float64Array(outSizes[q]!)));
        if (ws[k] instanceof Float64Array) ws[k][r] = 1;
        const adjoints = resultList(func, callable(...args, ...ws), wrt.length).slice(func.results.length);
        const row = new Float64Array(n);
        let c = 0;
        for (const a of adjoints) {
          if (typeof a === "number") row[c++] = a;
          else for (const x of a as Float64Array) row[c++] = x;
        }
        rows.push(row);
      }
    });
    return { value: userValue(values), jacobian: rows };
  };
}
