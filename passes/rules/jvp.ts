// Forward-mode (JVP) rules, one per op: how a tangent propagates through it.
// Exhaustive over ir/ops.ts. Tangents are `ValueId | null`, null being a
// symbolic zero: rules never emit arithmetic on a known zero. deriv's
// conventions at non-differentiable points live here (README "Conventions"):
//   abs'(0) = 0 (sign), sqrt'(0) = cbrt'(0) = +inf, pow(x, 0): d/dx = 0,
//   pow(0, y): d/dy = 0, min/max ties: derivative of the first operand,
//   hypot(0, 0): 0, atan2(0, 0): 0, floor/ceil/round/sign: 0.
// Used by passes/fwd-ad.ts (emission) and passes/activity.ts (which ops
// carry derivatives). Imports only ir/.

import type { OpTable } from "../../ir/ops.js";
import type { Opcode } from "../../ir/ops.js";
import type { Type, ValueId } from "../../ir/types.js";

/** A tangent: an f64 value, or null for a symbolic zero. */
export type Tangent = ValueId | null;

/** What a rule may emit: primal-level instructions in the current block, and
 * null-aware tangent arithmetic. */
export interface JvpEmitter {
  /** Emits `op args` with one result of `type` (default f64). */
  op(op: Opcode, args: readonly ValueId[], type?: Type): ValueId;
  /** An f64 constant. */
  f64(x: number): ValueId;
  /** a + b with symbolic zeros. */
  add(a: Tangent, b: Tangent): Tangent;
  /** a - b with symbolic zeros. */
  sub(a: Tangent, b: Tangent): Tangent;
  /** -a with symbolic zeros. */
  neg(a: Tangent): Tangent;
  /** p * t (p a primal value) with symbolic zeros. */
  scale(p: ValueId, t: Tangent): Tangent;
  /** t / q (q a primal value) with symbolic zeros. */
  divide(t: Tangent, q: ValueId): Tangent;
}

/** How an op propagates tangents.
 * - `zero`: the derivative is identically zero (or the result is not f64).
 * - `structural`: handled by the pass itself (const, arrays, calls, stacks, select).
 * - `partials`: dy = Σ ∂y/∂x_i · dx_i; partials are emitted once and shared by all directions.
 *   `need[i]` says whether operand i has a nonzero tangent; return null for the others.
 * - `tangent`: dy computed directly per direction from the operand tangents. */
export type JvpRule =
  | { readonly kind: "zero" }
  | { readonly kind: "structural" }
  | { readonly kind: "partials"; readonly partials: (e: JvpEmitter, args: readonly ValueId[], y: ValueId, need: readonly boolean[]) => readonly (ValueId | null)[] }
  | { readonly kind: "tangent"; readonly tangent: (e: JvpEmitter, args: readonly ValueId[], y: ValueId, dargs: readonly Tangent[]) => Tangent };

const zero: JvpRule = { kind: "zero" };
const structural: JvpRule = { kind: "structural" };
/** A unary op with derivative `d(e, x, y)`. */
const unary = (d: (e: JvpEmitter, x: ValueId, y: ValueId) => ValueId): JvpRule => ({
  kind: "partials",
  partials: (e, [x], y) => [d(e, x!, y)],
});
/** A linear op: the tangent is the op applied to the tangents. */
const linear = (t: (e: JvpEmitter, dargs: readonly Tangent[]) => Tangent): JvpRule => ({ kind: "tangent", tangent: (e, _a, _y, d) => t(e, d) });

/** p = c / x  */
const recip = (e: JvpEmitter, c: number, x: ValueId): ValueId => e.op("div", [e.f64(c), x]);
/** 1 / sqrt(1 - x^2) */
const invSqrt1mx2 = (e: JvpEmitter, x: ValueId): ValueId => recip(e, 1, e.op("sqrt", [e.op("sub", [e.f64(1), e.op("mul", [x, x])])]));
/** select(cond, 0, v) for conventions at singular points. */
const zeroWhen = (e: JvpEmitter, cond: ValueId, v: ValueId): ValueId => e.op("select", [cond, e.f64(0), v]);

/** The JVP rule of every op. */
export const JVP: OpTable<JvpRule> = {
  const: zero,
  add: linear((e, [a, b]) => e.add(a!, b!)),
  sub: linear((e, [a, b]) => e.sub(a!, b!)),
  mul: { kind: "partials", partials: (_e, [x, y]) => [y!, x!] },
  // d(x/q) = (dx - y dq) / q
  div: { kind: "tangent", tangent: (e, [, q], y, [dx, dq]) => e.divide(e.sub(dx!, e.scale(y, dq!)), q!) },
  // rem(x, q) = x - q trunc(x/q): d = dx - trunc(x/q) dq, with trunc(x/q) = round((x - y)/q)
  rem: {
    kind: "partials",
    partials: (e, [x, q], y, need) => [need[0] ? e.f64(1) : null, need[1] ? e.op("neg", [e.op("round", [e.op("div", [e.op("sub", [x!, y]), q!])])]) : null],
  },
  neg: linear((e, [a]) => e.neg(a!)),
  // pow(x, p): d/dx = p x^(p-1) (0 when p = 0), d/dp = log(x) x^p (0 when x = 0)
  pow: {
    kind: "partials",
    partials: (e, [x, p], y, need) => [
      need[0] ? zeroWhen(e, e.op("eq", [p!, e.f64(0)], "bool"), e.op("mul", [p!, e.op("pow", [x!, e.op("sub", [p!, e.f64(1)])])])) : null,
      need[1] ? zeroWhen(e, e.op("eq", [x!, e.f64(0)], "bool"), e.op("mul", [e.op("log", [x!]), y])) : null,
    ],
  },
  // ties take the first operand's derivative
  min: { kind: "tangent", tangent: (e, [x, q], _y, [dx, dq]) => selectTangent(e, e.op("le", [x!, q!], "bool"), dx!, dq!) },
  max: { kind: "tangent", tangent: (e, [x, q], _y, [dx, dq]) => selectTangent(e, e.op("ge", [x!, q!], "bool"), dx!, dq!) },
  abs: unary((e, x) => e.op("sign", [x])),

  sqrt: unary((e, _x, y) => e.op("div", [e.f64(0.5), y])),
  cbrt: unary((e, _x, y) => recip(e, 1, e.op("mul", [e.f64(3), e.op("mul", [y, y])]))),
  exp: unary((_e, _x, y) => y),
  expm1: unary((e, _x, y) => e.op("add", [y, e.f64(1)])),
  log: unary((e, x) => recip(e, 1, x)),
  log1p: unary((e, x) => recip(e, 1, e.op("add", [x, e.f64(1)]))),
  log2: unary((e, x) => recip(e, 1, e.op("mul", [x, e.f64(Math.LN2)]))),
  log10: unary((e, x) => recip(e, 1, e.op("mul", [x, e.f64(Math.LN10)]))),
  sin: unary((e, x) => e.op("cos", [x])),
  cos: unary((e, x) => e.op("neg", [e.op("sin", [x])])),
  tan: unary((e, _x, y) => e.op("add", [e.f64(1), e.op("mul", [y, y])])),
  asin: unary((e, x) => invSqrt1mx2(e, x)),
  acos: unary((e, x) => e.op("neg", [invSqrt1mx2(e, x)])),
  atan: unary((e, x) => recip(e, 1, e.op("add", [e.f64(1), e.op("mul", [x, x])]))),
  // atan2(a, b): d/da = b / (a² + b²), d/db = -a / (a² + b²); 0 at (0, 0)
  atan2: {
    kind: "partials",
    partials: (e, [a, b], _y, need) => {
      const r2 = e.op("add", [e.op("mul", [a!, a!]), e.op("mul", [b!, b!])]);
      const at0 = e.op("eq", [r2, e.f64(0)], "bool");
      return [need[0] ? zeroWhen(e, at0, e.op("div", [b!, r2])) : null, need[1] ? zeroWhen(e, at0, e.op("neg", [e.op("div", [a!, r2])])) : null];
    },
  },
  sinh: unary((e, x) => e.op("cosh", [x])),
  cosh: unary((e, x) => e.op("sinh", [x])),
  tanh: unary((e, _x, y) => e.op("sub", [e.f64(1), e.op("mul", [y, y])])),
  // hypot(a, b): d/da = a / h, d/db = b / h; 0 at (0, 0)
  hypot: {
    kind: "partials",
    partials: (e, [a, b], y, need) => {
      const at0 = e.op("eq", [y, e.f64(0)], "bool");
      return [need[0] ? zeroWhen(e, at0, e.op("div", [a!, y])) : null, need[1] ? zeroWhen(e, at0, e.op("div", [b!, y])) : null];
    },
  },
  sign: zero,
  floor: zero,
  ceil: zero,
  round: zero,

  lt: zero,
  le: zero,
  gt: zero,
  ge: zero,
  eq: zero,
  ne: zero,
  select: structural,
  and: zero,
  or: zero,
  not: zero,
  "i32.to.f64": zero,
  "f64.to.i32": zero,
  "array.new": structural,
  "array.get": structural,
  "array.set": structural,
  "array.len": zero,
  "array.copy": structural,
  call: structural,
  "call.extern": structural,
  "stack.new": structural,
  "stack.push": structural,
  "stack.pop": structural,
};

/** The null-aware tangent arithmetic over `op` and `f64`, shared by the AD passes. */
export function makeEmitter(op: JvpEmitter["op"], f64: JvpEmitter["f64"]): JvpEmitter {
  return {
    op,
    f64,
    add: (a, b) => (a === null ? b : b === null ? a : op("add", [a, b])),
    sub: (a, b) => (b === null ? a : a === null ? op("neg", [b]) : op("sub", [a, b])),
    neg: (a) => (a === null ? null : op("neg", [a])),
    scale: (p, t) => (t === null ? null : op("mul", [p, t])),
    divide: (t, q) => (t === null ? null : op("div", [t, q])),
  };
}

/** select(c, a, b) on tangents, materialising a zero only when one side is zero. */
export function selectTangent(e: JvpEmitter, c: ValueId, a: Tangent, b: Tangent): Tangent {
  if (a === null && b === null) return null;
  return e.op("select", [c, a ?? e.f64(0), b ?? e.f64(0)]);
}
