// The `flops` convenience (DESIGN.md §4): exact flop counts of a function at
// given arguments (an instrumented reference-interpreter run, callees
// included) together with its closed form in the parameters when there is one.
// The closed form is computed once per convenience; each call runs the
// function once. Cost classes and weights: passes/flops-cost.ts.

import { DerivError } from "../ir/errors.js";
import type { RtValue } from "../ir/eval.js";
import type { Module } from "../ir/types.js";
import { type CostClass, resolveWeights } from "../passes/flops-cost.js";
import { type BlockRuns, countRun } from "../passes/flops-dynamic.js";
import { evaluateFormula, type FlopFormula, type FlopFormulaText, flopFormulas, formulaText } from "../passes/flops.js";
import type { ExternImpl } from "./externs.js";
import { checkArgs, funcOf, toModule } from "./source.js";

/** Options of `flops`. */
export interface FlopsOptions {
  /** Weights overriding the defaults (float classes 1, memory/call/int 0). */
  readonly weights?: Readonly<Partial<Record<CostClass, number>>>;
  /** Bindings of the module's externs (their bodies cost nothing). */
  readonly externs?: Readonly<Record<string, ExternImpl>>;
}

/** A closed form: as text, as plain-data polynomials, and whether it holds at
 * the arguments of this report. */
export interface FlopFormulaReport extends FlopFormulaText {
  readonly applies: boolean;
  readonly data: FlopFormula;
}

/** What `flops(src, fn)(...args)` returns. */
export interface FlopReport {
  /** Weighted sum of byClass. */
  readonly total: number;
  /** Operations executed per class, unweighted. */
  readonly byClass: Readonly<Record<CostClass, number>>;
  /** Executed blocks keyed `@f^block`: runs and their weighted cost. */
  readonly byBlock: Readonly<Record<string, BlockRuns>>;
  /** Present when the total or some class has a closed form or bounds. */
  readonly formula?: FlopFormulaReport;
}

/** The module, the function, the weights and the function's closed form. */
function prepare(src: string | Module, fn: string, options: FlopsOptions) {
  const module = toModule(src);
  const func = funcOf(module, fn);
  const resolved = resolveWeights((options.weights ?? {}) as Record<string, number>);
  if ("error" in resolved) throw new DerivError("pipeline", [{ code: "E_PIPELINE_OPTION", message: `flops: ${resolved.error}` }]);
  return { module, func, weights: resolved.weights, formula: flopFormulas(module, resolved.weights, [fn]).get(fn)! };
}

/** `flopFormula(src, fn, opts)`: the closed form of `fn`'s cost in its
 * parameters, as text and plain data, without running anything. */
export function flopFormula(src: string | Module, fn: string, options: FlopsOptions = {}): FlopFormulaText & { readonly data: FlopFormula } {
  const { formula } = prepare(src, fn, options);
  return { ...formulaText(formula), data: formula };
}

/** `flops(src, fn, opts)(...args)`: counts every operation `fn` executes on
 * `args` (TS source or a Module; arrays as Float64Array or number[]). */
export function flops(src: string | Module, fn: string, options: FlopsOptions = {}): (...args: RtValue[]) => FlopReport {
  const { module, func, weights, formula } = prepare(src, fn, options);
  const hasForm = formula.total !== null || Object.values(formula.byClass).some((p) => p !== null) || Object.keys(formula.bounds).length > 0;
  const externs = options.externs;
  return (...args) => {
    checkArgs(func, args);
    const run = countRun(module, fn, args, weights, externs ? { externs } : {});
    const report = { total: run.total, byClass: run.byClass, byBlock: run.byBlock };
    if (!hasForm) return report;
    return { ...report, formula: { ...formulaText(formula), applies: evaluateFormula(formula, func, args).applies, data: formula } };
  };
}
