// The flop counter's cost model: which class each instruction is charged to,
// the weights that turn class counts into a total, per-block cost vectors,
// and the `--annotate flops` comments. Reads the IR only.
//
// Classes follow the `flop` field of the op table (ir/ops.ts), refined by
// type: an arithmetic op (class add, mul, div or compare) whose operands are
// `i32` is index arithmetic and is charged to `int`, not to a float class.
// So `add %i, %one` on i32 counters costs int=1, while `add` on f64 costs
// add=1. `none` ops (const, neg, abs, floor, select, conversions, …) cost 0.
//
// Default weights: add=1 mul=1 div=1 sqrt=1 transcendental=1 compare=1 (the
// flops: f64 arithmetic, sqrt/hypot, pow/exp/log/trig, f64 comparisons and
// min/max), memory=0 call=0 int=0 (counted in byClass, not in the total).
// `total` is sum(weight[c] * byClass[c]). A call costs call=1 plus whatever
// the callee executes; `call.extern` bodies are black boxes and count nothing
// beyond the call itself. Memory ops count one per instruction
// (array.new/copy/get/set, stack.push/pop), not per element moved.

import { OPS } from "../ir/ops.js";
import type { BlockId, Func, Inst, Module } from "../ir/types.js";

/** The cost classes, in report order. */
export const COST_CLASSES = ["add", "mul", "div", "sqrt", "transcendental", "compare", "memory", "call", "int"] as const;

/** A cost class: the op table's flop classes (minus `none`) plus `int`. */
export type CostClass = (typeof COST_CLASSES)[number];

/** Weight of each class in `total`. */
export type Weights = Readonly<Record<CostClass, number>>;

/** Float operations weigh 1; memory, call and integer operations 0. */
export const DEFAULT_WEIGHTS: Weights = { add: 1, mul: 1, div: 1, sqrt: 1, transcendental: 1, compare: 1, memory: 0, call: 0, int: 0 };

/** Counts per class, indexed like COST_CLASSES. */
export type ClassCounts = readonly number[];

const INDEX: Readonly<Record<CostClass, number>> = Object.fromEntries(COST_CLASSES.map((c, i) => [c, i])) as Record<CostClass, number>;

/** The class an instruction is charged to, or undefined if it costs nothing. */
export function instClass(func: Func, inst: Inst): CostClass | undefined {
  const flop = OPS[inst.op].flop;
  switch (flop) {
    case "none":
      return undefined;
    case "sqrt":
    case "transcendental":
    case "memory":
    case "call":
      return flop;
    case "add":
    case "mul":
    case "div":
    case "compare":
      return func.values[inst.args[0]!]!.type === "i32" ? "int" : flop;
  }
}

const blockCache = new WeakMap<Func, ClassCounts[]>();

/** Class counts of one run of each block of `func` (callees not included). */
export function blockCounts(func: Func): readonly ClassCounts[] {
  let out = blockCache.get(func);
  if (!out) {
    out = func.blocks.map((b) => {
      const counts = new Array<number>(COST_CLASSES.length).fill(0);
      for (const inst of b.insts) {
        const c = instClass(func, inst);
        if (c !== undefined) counts[INDEX[c]]!++;
      }
      return counts;
    });
    blockCache.set(func, out);
  }
  return out;
}

/** sum(weight * count). */
export function weighted(counts: ClassCounts, weights: Weights): number {
  let s = 0;
  COST_CLASSES.forEach((c, i) => (s += weights[c] * counts[i]!));
  return s;
}

/** Counts as a record keyed by class. */
export function byClassRecord(counts: ClassCounts): Record<CostClass, number> {
  return Object.fromEntries(COST_CLASSES.map((c, i) => [c, counts[i]!])) as Record<CostClass, number>;
}

/** The default weights overridden by `overrides`; an error message for an
 * unknown class or a weight that is not a finite number >= 0. */
export function resolveWeights(overrides: Readonly<Record<string, number>>): { weights: Weights } | { error: string } {
  const out: Record<CostClass, number> = { ...DEFAULT_WEIGHTS };
  for (const [cls, w] of Object.entries(overrides)) {
    if (!(COST_CLASSES as readonly string[]).includes(cls)) return { error: `unknown cost class '${cls}' (classes: ${COST_CLASSES.join(", ")})` };
    if (typeof w !== "number" || !Number.isFinite(w) || w < 0) return { error: `weight of ${cls} must be a finite number >= 0, got ${String(w)}` };
    out[cls as CostClass] = w;
  }
  return { weights: out };
}

/** Parses weight overrides written `class:weight` (e.g. `div:4`,
 * `transcendental:20`; `class=weight` too) over the defaults. */
export function parseWeights(items: readonly string[]): { weights: Weights } | { error: string } {
  const overrides: Record<string, number> = {};
  for (const item of items) {
    const m = /^([a-z]+)[:=](.+)$/.exec(item.trim());
    if (!m) return { error: `weight '${item}': expected class:number, e.g. div:4` };
    overrides[m[1]!] = Number(m[2]);
  }
  return resolveWeights(overrides);
}

/** An `annotateInst` callback for `printIR` (ir/printer.ts PrintOptions):
 * `flops=1 (mul)` on every instruction that has a cost class, e.g.
 * `flops=0 (int)` for i32 counters and `flops=0 (call)` for calls (the
 * callee's own cost is counted in the callee). */
export function flopAnnotator(module: Module, weights: Weights = DEFAULT_WEIGHTS): (func: Func, block: BlockId, index: number) => string | undefined {
  const funcs = new Set(module.funcs);
  return (func, block, index) => {
    if (!funcs.has(func)) return undefined;
    const c = instClass(func, func.blocks[block]!.insts[index]!);
    return c === undefined ? undefined : `flops=${weights[c]} (${c})`;
  };
}

/** An `annotateBlock` callback for `printIR`: the cost of one run of the
 * block, e.g. `flops=3 per run (add=2 mul=1 int=1)`. */
export function flopBlockAnnotator(module: Module, weights: Weights = DEFAULT_WEIGHTS): (func: Func, block: BlockId) => string | undefined {
  const funcs = new Set(module.funcs);
  return (func, block) => {
    if (!funcs.has(func)) return undefined;
    const counts = blockCounts(func)[block]!;
    const parts = COST_CLASSES.flatMap((c, i) => (counts[i] ? [`${c}=${counts[i]}`] : []));
    return `flops=${weighted(counts, weights)} per run${parts.length ? ` (${parts.join(" ")})` : ""}`;
  };
}
