// Measures the tape of a reverse-mode run: the reference interpreter runs the
// function with an `onBlock` hook, and each entered block replays its own
// `stack.push` / `stack.pop` instructions in order, so the running number of
// taped entries (and bytes: 8 per f64 or array reference, 4 per i32) and its peak are exact for
// functions whose stacks are their own (no calls into functions with tapes).

import type { ExternFn, RtValue } from "../../ir/interpreter.js";
import { interpret } from "../../ir/interpreter.js";
import type { Func, Module } from "../../ir/types.js";

/** Peak and total tape traffic of one run. */
export interface TapeUse {
  /** Most entries on all stacks at once. */
  readonly peakEntries: number;
  /** Most bytes on all stacks at once. */
  readonly peakBytes: number;
  /** Number of pushes over the run. */
  readonly pushes: number;
}

/** Per block: the byte delta of each stack op, in order (+ push, - pop). */
function stackDeltas(func: Func): number[][] {
  return func.blocks.map((block) =>
    block.insts.flatMap((inst) => {
      if (inst.op !== "stack.push" && inst.op !== "stack.pop") return [];
      const bytes = func.values[inst.args[0]!]!.type === "stack<i32>" ? 4 : 8;
      return [inst.op === "stack.push" ? bytes : -bytes];
    }),
  );
}

/** Runs `fn` and reports its tape use. */
export function measureTape(module: Module, fn: string, args: readonly RtValue[], externs: Readonly<Record<string, ExternFn>> = {}): TapeUse {
  const deltas = new Map<Func, number[][]>(module.funcs.map((f) => [f, stackDeltas(f)]));
  let entries = 0;
  let bytes = 0;
  let peakEntries = 0;
  let peakBytes = 0;
  let pushes = 0;
  interpret(module, fn, args, {
    externs,
    onBlock: (func, block) => {
      for (const d of deltas.get(func)![block]!) {
        entries += Math.sign(d);
        bytes += d;
        if (d > 0) pushes++;
        peakEntries = Math.max(peakEntries, entries);
        peakBytes = Math.max(peakBytes, bytes);
      }
    },
  });
  return { peakEntries, peakBytes, pushes };
}
