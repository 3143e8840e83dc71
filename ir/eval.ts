// The reference semantics of every op: `EVAL`, an exhaustive `OpTable` of
// evaluation rules. The interpreter runs these rules; constant folding calls
// them on constant operands (through `evalPure`). Number semantics are
// JavaScript's everywhere: `i32` values are plain JS numbers (the type is a
// refinement, arithmetic does not wrap). Rules touch only their operands, the
// arrays/stacks those operands reference, and the `EvalContext`.
// Imports only ir/ modules.

import { assert, internalError, runtimeError } from "./errors.js";
import type { Opcode, OpTable } from "./ops.js";
import { isPure } from "./ops.js";
import type { Inst, Type, ValueId } from "./types.js";

/** A runtime value: `f64` and `i32` are numbers, `bool` a boolean, `f64[]` a
 * Float64Array (a reference), `stack<T>` a JS array used as a stack. */
export type RtValue = number | boolean | Float64Array | number[] | Float64Array[];

/** A scalar runtime value (what constant folding works with). */
export type Scalar = number | boolean;

/** What impure rules may ask of their evaluator. Pure rules ignore it. */
export interface EvalContext {
  /** The type of a value of the function being evaluated (`const` needs its result type). */
  typeOf(v: ValueId): Type;
  /** Calls `@inst.callee` of the module with `args`. Returns the results, or
   * `undefined` when they are delivered later (the interpreter pushes a frame
   * and writes the results when the callee returns). */
  call(inst: Inst, args: readonly RtValue[]): readonly RtValue[] | undefined;
  /** Calls the extern `@inst.callee` with `args` and returns its results. */
  callExtern(inst: Inst, args: readonly RtValue[]): readonly RtValue[];
}

/** An evaluation rule. It returns the op's single result, `undefined` for ops
 * without results, and the array of results for ops with variadic results
 * (`call`, `call.extern`; `undefined` there means "delivered later"). Which
 * case applies follows from `OPS[op].results`, never from the returned value
 * (a stack is itself a JS array). Rules (and `EvalContext` calls) must not
 * keep `args` after returning: evaluators may reuse the operand buffer. */
export type EvalRule = (args: readonly RtValue[], inst: Inst, ctx: EvalContext) => RtValue | readonly RtValue[] | undefined;

const TWO_31 = 2 ** 31;

// Operand accessors: the verifier guarantees the kinds, so these are casts.
const num = (args: readonly RtValue[], i: number): number => args[i] as number;
const bool = (args: readonly RtValue[], i: number): boolean => args[i] as boolean;
const arr = (args: readonly RtValue[], i: number): Float64Array => args[i] as Float64Array;
const stack = (args: readonly RtValue[], i: number): number[] => args[i] as number[];

const un =
  (f: (x: number) => number): EvalRule =>
  (a) =>
    f(num(a, 0));
const bin =
  (f: (x: number, y: number) => number): EvalRule =>
  (a) =>
    f(num(a, 0), num(a, 1));
const cmp =
  (f: (x: number, y: number) => boolean): EvalRule =>
  (a) =>
    f(num(a, 0), num(a, 1));

/** Checks an array index and returns it; a DerivRuntimeError (E_RUNTIME_BOUNDS)
 * naming the index and length unless it is an integer in [0, length). */
function checkIndex(a: Float64Array, i: number, inst: Inst): number {
  if (!Number.isInteger(i) || i < 0 || i >= a.length) {
    throw runtimeError("E_RUNTIME_BOUNDS", `${inst.op}: index ${i} out of bounds for length ${a.length}`, inst.loc);
  }
  return i;
}

function newArray(n: number, fill: number, inst: Inst): Float64Array {
  if (!Number.isInteger(n) || n < 0 || n >= TWO_31) {
    throw runtimeError("E_RUNTIME_INDEX", `array.new: length ${n} is not an integer in [0, 2^31)`, inst.loc);
  }
  let a: Float64Array;
  try {
    a = new Float64Array(n);
  } catch (e) {
    if (e instanceof RangeError) throw runtimeError("E_RUNTIME_INDEX", `array.new: cannot allocate an array of length ${n}`, inst.loc);
    throw e;
  }
  return a.fill(fill);
}

/** The reference semantics of every op. */
export const EVAL: OpTable<EvalRule> = {
  const: (_a, inst, ctx) => {
    assert(inst.value !== undefined, "eval: const without a value");
    return ctx.typeOf(inst.results[0]!) === "bool" ? inst.value !== 0 : inst.value;
  },

  add: bin((x, y) => x + y),
  sub: bin((x, y) => x - y),
  mul: bin((x, y) => x * y),
  div: bin((x, y) => x / y),
  rem: bin((x, y) => x % y),
  neg: un((x) => -x),
  pow: bin(Math.pow),
  min: bin(Math.min),
  max: bin(Math.max),
  abs: un(Math.abs),

  sqrt: un(Math.sqrt),
  cbrt: un(Math.cbrt),
  exp: un(Math.exp),
  expm1: un(Math.expm1),
  log: un(Math.log),
  log1p: un(Math.log1p),
  log2: un(Math.log2),
  log10: un(Math.log10),
  sin: un(Math.sin),
  cos: un(Math.cos),
  tan: un(Math.tan),
  asin: un(Math.asin),
  acos: un(Math.acos),
  atan: un(Math.atan),
  atan2: bin(Math.atan2),
  sinh: un(Math.sinh),
  cosh: un(Math.cosh),
  tanh: un(Math.tanh),
  hypot: bin(Math.hypot),
  sign: un(Math.sign),
  floor: un(Math.floor),
  ceil: un(Math.ceil),
  round: un(Math.round),

  lt: cmp((x, y) => x < y),
  le: cmp((x, y) => x <= y),
  gt: cmp((x, y) => x > y),
  ge: cmp((x, y) => x >= y),
  eq: cmp((x, y) => x === y),
  ne: cmp((x, y) => x !== y),
  select: (a) => (bool(a, 0) ? a[1]! : a[2]!),
  and: (a) => bool(a, 0) && bool(a, 1),
  or: (a) => bool(a, 0) || bool(a, 1),
  not: (a) => !bool(a, 0),

  "i32.to.f64": (a) => num(a, 0),
  // The value is kept as is once checked: -0 stays -0 (JavaScript semantics).
  "f64.to.i32": (a, inst) => {
    const x = num(a, 0);
    if (!Number.isInteger(x) || x < -TWO_31 || x >= TWO_31) {
      throw runtimeError("E_RUNTIME_INDEX", `f64.to.i32: ${x} is not an integer in [-2^31, 2^31)`, inst.loc);
    }
    return x;
  },

  "array.new": (a, inst) => newArray(num(a, 0), num(a, 1), inst),
  "array.get": (a, inst) => {
    const xs = arr(a, 0);
    return xs[checkIndex(xs, num(a, 1), inst)]!;
  },
  "array.set": (a, inst) => {
    const xs = arr(a, 0);
    xs[checkIndex(xs, num(a, 1), inst)] = num(a, 2);
    return undefined;
  },
  "array.len": (a) => arr(a, 0).length,
  "array.copy": (a) => arr(a, 0).slice(),

  call: (a, inst, ctx) => ctx.call(inst, a),
  "call.extern": (a, inst, ctx) => ctx.callExtern(inst, a),

  "stack.new": () => [],
  "stack.push": (a) => {
    stack(a, 0).push(num(a, 1));
    return undefined;
  },
  "stack.pop": (a, inst) => {
    const s = stack(a, 0);
    if (s.length === 0) throw runtimeError("E_RUNTIME_STACK", "stack.pop: the stack is empty", inst.loc);
    return s.pop()!;
  },
};

const NO_CONTEXT: EvalContext = {
  typeOf: () => internalError("evalPure: a pure rule asked for a value type"),
  call: () => internalError("evalPure: a pure rule made a call"),
  callExtern: () => internalError("evalPure: a pure rule made an extern call"),
};

/** Evaluates a pure op other than `const` on scalar operands (constant
 * folding): `evalPure("add", [1, 2]) === 3`. */
export function evalPure(op: Opcode, args: readonly Scalar[]): Scalar {
  assert(isPure(op) && op !== "const", `evalPure: ${op} is not a pure op with operands`);
  const inst: Inst = { op, args: [], results: [] };
  return EVAL[op](args, inst, NO_CONTEXT) as Scalar;
}
