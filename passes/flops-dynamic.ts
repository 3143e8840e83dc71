// Exact dynamic flop counts: run the reference interpreter with its `onBlock`
// hook, count how often each block of each function is entered, and multiply
// by the block's class counts (passes/flops-cost.ts). Calls are counted
// through: the callee's blocks report through the same hook. Reads the IR.

import type { RtValue } from "../ir/eval.js";
import { interpret, type InterpretOptions } from "../ir/interpreter.js";
import { blockNames, formatName } from "../ir/printer.js";
import type { Func, Module } from "../ir/types.js";
import { blockCounts, byClassRecord, COST_CLASSES, weighted, type CostClass, type Weights } from "./flops-cost.js";

/** One executed block: how often it ran and what those runs cost. */
export interface BlockRuns {
  readonly runs: number;
  readonly total: number;
}

/** Counts of one run of a function. */
export interface DynamicCount {
  /** Weighted sum of `byClass`. */
  readonly total: number;
  /** Operations executed per class (unweighted). */
  readonly byClass: Record<CostClass, number>;
  /** Executed blocks keyed `@f^block`, in module and layout order. */
  readonly byBlock: Record<string, BlockRuns>;
  /** Run counts per function object and block id (for further analysis). */
  readonly runs: ReadonlyMap<Func, Float64Array>;
  /** What the function returned. */
  readonly results: RtValue[];
}

/** Runs `fn` on `args` in the reference interpreter and counts every
 * executed operation (callees included). */
export function countRun(module: Module, fn: string, args: readonly RtValue[], weights: Weights, options: Pick<InterpretOptions, "externs" | "maxDepth"> = {}): DynamicCount {
  const runs = new Map<Func, Float64Array>();
  let lastFunc: Func | undefined;
  let lastRuns: Float64Array = new Float64Array(0);
  const onBlock = (func: Func, block: number): void => {
    if (func !== lastFunc) {
      lastFunc = func;
      let r = runs.get(func);
      if (!r) runs.set(func, (r = new Float64Array(func.blocks.length)));
      lastRuns = r;
    }
    lastRuns[block]!++;
  };
  const results = interpret(module, fn, args, { ...options, onBlock });

  const counts = new Array<number>(COST_CLASSES.length).fill(0);
  const byBlock: Record<string, BlockRuns> = {};
  for (const func of module.funcs) {
    const r = runs.get(func);
    if (!r) continue;
    const names = blockNames(func);
    const costs = blockCounts(func);
    r.forEach((n, b) => {
      if (!n) return;
      const c = costs[b]!;
      c.forEach((k, i) => (counts[i]! += n * k));
      byBlock[`@${formatName(func.name)}^${formatName(names[b]!)}`] = { runs: n, total: n * weighted(c, weights) };
    });
  }
  return { total: weighted(counts, weights), byClass: byClassRecord(counts), byBlock, runs, results };
}
