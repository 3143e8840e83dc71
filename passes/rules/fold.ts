// Fold rules of `simplify`: an exhaustive `OpTable<FoldRule>` saying, per op,
// how an instruction may be replaced by a constant or by an existing value.
// Every rule preserves results bit for bit under JavaScript number semantics
// (-0, NaN and the infinities included); NaNs count as one value, since NaN
// payloads are not observable through the interpreter. Pure ops with constant
// operands are evaluated with the reference semantics (`evalPure`, ir/eval.ts);
// non-pure ops (traps, memory, calls) never fold. The identities are only the
// exact ones: `x*1`, `x/1`, `x-0`, `x+(-0)`, `--x`, ... and NOT `x+0`
// (-0+0 = 0), `x*0` (NaN, -0), `x-x` (NaN, inf), `x==x` (NaN).

import type { Scalar } from "../../ir/eval.js";
import { evalPure } from "../../ir/eval.js";
import type { Opcode, OpTable } from "../../ir/ops.js";
import type { Inst, Type, ValueId } from "../../ir/types.js";

/** What a fold rule may look at. Operands are already resolved (after earlier
 * replacements); the instruction has exactly one result. */
export interface FoldInput {
  readonly op: Opcode;
  readonly args: readonly ValueId[];
  /** Type of the result. */
  readonly type: Type;
  /** The constant value of `v` (a boolean for `bool`), if `v` is a constant. */
  constant(v: ValueId): Scalar | undefined;
  /** The instruction defining `v`, if it is an instruction result seen so far. */
  def(v: ValueId): Inst | undefined;
}

/** The replacement of an instruction: a constant of its result type, or an existing value. */
export type FoldResult = { readonly kind: "const"; readonly value: number } | { readonly kind: "value"; readonly value: ValueId };

/** A fold rule: a replacement, or undefined to leave the instruction alone. */
export type FoldRule = (input: FoldInput) => FoldResult | undefined;

const TWO_31 = 2 ** 31;

/** True if `x` can be the literal of a constant of type `type` (an i32 constant
 * must be an integer in [-2^31, 2^31); -0 included). */
function isLiteralOf(type: Type, x: number): boolean {
  return type !== "i32" || (Number.isInteger(x) && x >= -TWO_31 && x < TWO_31);
}

const constant = (value: number): FoldResult => ({ kind: "const", value });
const use = (value: ValueId): FoldResult => ({ kind: "value", value });

/** Never folds (non-pure ops, and `const` itself). */
const never: FoldRule = () => undefined;

/** All operands constant: evaluate with the reference semantics. Skipped when
 * the result is not representable as a literal of the type (an i32 NaN from
 * `rem x, 0`, say). */
const evaluate: FoldRule = (input) => {
  const values: Scalar[] = [];
  for (const a of input.args) {
    const c = input.constant(a);
    if (c === undefined) return undefined;
    values.push(c);
  }
  const r = evalPure(input.op, values);
  const n = typeof r === "boolean" ? (r ? 1 : 0) : r;
  return isLiteralOf(input.type, n) ? constant(n) : undefined;
};

/** The first rule that applies. */
const firstOf =
  (...rules: FoldRule[]): FoldRule =>
  (input) => {
    for (const rule of rules) {
      const r = rule(input);
      if (r) return r;
    }
    return undefined;
  };

const isConst = (input: FoldInput, v: ValueId, c: Scalar): boolean => {
  const k = input.constant(v);
  return k !== undefined && Object.is(k, c);
};

/** `op x, c` -> `x`: `x*1`, `x/1`, `x-0`, `x+(-0)`, `and x, true`. */
const rightIdentity =
  (c: Scalar): FoldRule =>
  (input) =>
    isConst(input, input.args[1]!, c) ? use(input.args[0]!) : undefined;

/** `op c, x` -> `x`: `1*x`, `(-0)+x`, `and true, x`. */
const leftIdentity =
  (c: Scalar): FoldRule =>
  (input) =>
    isConst(input, input.args[0]!, c) ? use(input.args[1]!) : undefined;

/** `op x, c` or `op c, x` -> the constant `r`: `and x, false`, `or x, true`. */
const absorbing =
  (c: Scalar, r: number): FoldRule =>
  (input) =>
    isConst(input, input.args[0]!, c) || isConst(input, input.args[1]!, c) ? constant(r) : undefined;

/** `op x, x` -> `x`: min, max, and, or. */
const sameOperandsGiveOperand: FoldRule = (input) => (input.args[0] === input.args[1] ? use(input.args[0]!) : undefined);

/** `op x, x` -> the constant `r`: `lt x, x` and `gt x, x` are false for every x, NaN included. */
const sameOperandsGive =
  (r: number): FoldRule =>
  (input) =>
    input.args[0] === input.args[1] ? constant(r) : undefined;

/** `op (op x)` -> `x`: `neg neg x`, `not not x`. */
const involution: FoldRule = (input) => {
  const d = input.def(input.args[0]!);
  return d && d.op === input.op ? use(d.args[0]!) : undefined;
};

/** `op (op x)` -> `op x`: abs, floor, ceil, round, sign. */
const idempotent: FoldRule = (input) => {
  const d = input.def(input.args[0]!);
  return d && d.op === input.op ? use(input.args[0]!) : undefined;
};

/** `select true, a, b` -> a; `select false, a, b` -> b; `select c, a, a` -> a;
 * `select c, true, false` -> c (bool). */
const select: FoldRule = (input) => {
  const [c, a, b] = input.args as [ValueId, ValueId, ValueId];
  const k = input.constant(c);
  if (k !== undefined) return use(k ? a : b);
  if (a === b) return use(a);
  if (input.type === "bool" && isConst(input, a, true) && isConst(input, b, false)) return use(c);
  return undefined;
};

/** Fold rules of every op. */
export const FOLD: OpTable<FoldRule> = {
  const: never,

  add: firstOf(evaluate, rightIdentity(-0), leftIdentity(-0)),
  sub: firstOf(evaluate, rightIdentity(0)),
  mul: firstOf(evaluate, rightIdentity(1), leftIdentity(1)),
  div: firstOf(evaluate, rightIdentity(1)),
  rem: evaluate,
  neg: firstOf(evaluate, involution),
  pow: evaluate,
  min: firstOf(evaluate, sameOperandsGiveOperand),
  max: firstOf(evaluate, sameOperandsGiveOperand),
  abs: firstOf(evaluate, idempotent),

  sqrt: evaluate,
  cbrt: evaluate,
  exp: evaluate,
  expm1: evaluate,
  log: evaluate,
  log1p: evaluate,
  log2: evaluate,
  log10: evaluate,
  sin: evaluate,
  cos: evaluate,
  tan: evaluate,
  asin: evaluate,
  acos: evaluate,
  atan: evaluate,
  atan2: evaluate,
  sinh: evaluate,
  cosh: evaluate,
  tanh: evaluate,
  hypot: evaluate,
  sign: firstOf(evaluate, idempotent),
  floor: firstOf(evaluate, idempotent),
  ceil: firstOf(evaluate, idempotent),
  round: firstOf(evaluate, idempotent),

  lt: firstOf(evaluate, sameOperandsGive(0)),
  le: evaluate,
  gt: firstOf(evaluate, sameOperandsGive(0)),
  ge: evaluate,
  eq: evaluate,
  ne: evaluate,
  select: firstOf(evaluate, select),
  and: firstOf(evaluate, rightIdentity(true), leftIdentity(true), absorbing(false, 0), sameOperandsGiveOperand),
  or: firstOf(evaluate, rightIdentity(false), leftIdentity(false), absorbing(true, 1), sameOperandsGiveOperand),
  not: firstOf(evaluate, involution),

  "i32.to.f64": evaluate,
  "f64.to.i32": never,

  "array.new": never,
  "array.get": never,
  "array.set": never,
  "array.len": never,
  "array.copy": never,

  call: never,
  "call.extern": never,

  "stack.new": never,
  "stack.push": never,
  "stack.pop": never,
};
