// Test helper: runs a function of two modules through the reference
// interpreter and compares the outcomes bit for bit (results with Object.is on
// every number, or the same runtime error code). Used by the golden-fixture,
// property and scaling tests of the passes.

import { DerivError } from "../../ir/errors.js";
import type { RtValue } from "../../ir/eval.js";
import type { InterpretOptions } from "../../ir/interpreter.js";
import { interpret } from "../../ir/interpreter.js";
import type { Module, Type } from "../../ir/types.js";

/** What running a function produced: its results, or a runtime error code. */
export type Outcome = { readonly results: readonly RtValue[] } | { readonly error: string };

/** Runs `fn` on copies of `args`, turning a DerivError into its code. */
export function outcome(module: Module, fn: string, args: readonly RtValue[], options: InterpretOptions = {}): Outcome {
  const copies = args.map((a) => (a instanceof Float64Array || Array.isArray(a) ? a.slice() : a));
  try {
    return { results: interpret(module, fn, copies, options) };
  } catch (e) {
    if (e instanceof DerivError) return { error: e.code };
    throw e;
  }
}

function sameValue(a: RtValue, b: RtValue): boolean {
  if (typeof a === "number" || typeof a === "boolean") return Object.is(a, b);
  if (typeof b === "number" || typeof b === "boolean" || a instanceof Float64Array !== b instanceof Float64Array) return false;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Bitwise equality of outcomes (NaN equals NaN, -0 differs from 0). */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  if ("error" in a || "error" in b) return "error" in a && "error" in b && a.error === b.error;
  return a.results.length === b.results.length && a.results.every((v, i) => sameValue(v, b.results[i]!));
}

/** A readable form of an outcome for failure messages. */
export function showOutcome(o: Outcome): string {
  if ("error" in o) return `error ${o.error}`;
  return o.results.map((v) => (typeof v === "number" && Object.is(v, -0) ? "-0" : v instanceof Float64Array ? `[${Array.from(v).join(", ")}]` : String(v))).join(", ");
}

/** Sample arguments of each type, for fixtures: special values first. */
const SAMPLES: Record<Type, readonly RtValue[]> = {
  f64: [1.5, -0, 0, NaN, Infinity, -2, 3],
  i32: [0, 3, -1, 2, 7, -0, 1],
  bool: [true, false, false, true, true, false, true],
  "f64[]": [new Float64Array([1, -0, NaN]), new Float64Array([]), new Float64Array([2.5]), new Float64Array([-1, 4]), new Float64Array([0, 1, 2, 3]), new Float64Array([Infinity]), new Float64Array([5, 6])],
  "stack<f64>": [[1], [], [2, 3], [], [NaN], [0], [-0]],
  "stack<i32>": [[1], [], [2, 3], [], [4], [0], [5]],
  "stack<f64[]>": [[new Float64Array([1])], [], [], [new Float64Array([2, 3])], [], [], []],
};

/** `count` argument tuples for parameters of `types`, mixing the samples so
 * that each parameter sees several special values. */
export function sampleArgs(types: readonly Type[], count = 7): RtValue[][] {
  return Array.from({ length: count }, (_, k) => types.map((t, i) => SAMPLES[t][(k + 2 * i) % SAMPLES[t].length]!));
}
