// Reverse-mode (VJP) rules, one per op: the contribution of a result's
// adjoint `ybar` to each operand's adjoint, and which primal values the
// reverse sweep needs for that (so the forward sweep saves exactly those).
// Exhaustive over ir/ops.ts. Derivative formulas are shared with the JVP
// table (`fromPartials`), so both modes follow the same conventions at
// non-differentiable points. Null is a symbolic zero. Imports only ir/ and
// ./jvp.

import type { OpTable } from "../../ir/ops.js";
import type { ValueId } from "../../ir/types.js";
import { JVP, type JvpEmitter, type JvpRule, type Tangent } from "./jvp.js";

/** Which primal values the reverse rule of an instruction reads. */
export interface Needs {
  /** Operand indices whose values are needed. */
  readonly args: readonly number[];
  /** Whether the (first) result is needed. */
  readonly result: boolean;
}

/** How an op propagates adjoints.
 * - `zero`: no adjoint flows (non-differentiable or non-f64).
 * - `structural`: handled by the pass (select, arrays, calls, stacks, const).
 * - `adjoint`: `contribs(e, args, y, ybar, active)` returns one adjoint
 *   contribution per operand (null where zero or where `active[i]` is false).
 *   `args[i]` / `y` are valid only where `needs` says so. */
export type VjpRule =
  | { readonly kind: "zero" }
  | { readonly kind: "structural" }
  | {
      readonly kind: "adjoint";
      readonly needs: Needs;
      readonly contribs: (e: JvpEmitter, args: readonly ValueId[], y: ValueId, ybar: ValueId, active: readonly boolean[]) => readonly Tangent[];
    };

const zero: VjpRule = { kind: "zero" };
const structural: VjpRule = { kind: "structural" };
const needs = (args: readonly number[], result = false): Needs => ({ args, result });

/** Reuses a JVP `partials` rule: contribution_i = partial_i * ybar. */
function fromPartials(rule: JvpRule, n: Needs): VjpRule {
  if (rule.kind !== "partials") throw new Error(`vjp: fromPartials needs a partials rule, got ${rule.kind}`);
  return {
    kind: "adjoint",
    needs: n,
    contribs: (e, args, y, ybar, active) => {
      const partials = rule.partials(e, args, y, active);
      return active.map((a, i) => (a ? e.scale(partials[i]!, ybar) : null));
    },
  };
}

/** A linear op: contributions depend on ybar only. */
const linear = (c: (e: JvpEmitter, ybar: ValueId, active: readonly boolean[]) => readonly Tangent[]): VjpRule => ({
  kind: "adjoint",
  needs: needs([]),
  contribs: (e, _a, _y, ybar, active) => c(e, ybar, active),
});

const onlyActive = (active: readonly boolean[], ts: readonly Tangent[]): Tangent[] => ts.map((t, i) => (active[i] ? t : null));

/** The VJP rule of every op. */
export const VJP: OpTable<VjpRule> = {
  const: zero,
  add: linear((_e, ybar, act) => onlyActive(act, [ybar, ybar])),
  sub: linear((e, ybar, act) => [act[0] ? ybar : null, act[1] ? e.neg(ybar) : null]),
  mul: {
    kind: "adjoint",
    needs: needs([0, 1]),
    contribs: (e, [a, b], _y, ybar, act) => [act[0] ? e.scale(b!, ybar) : null, act[1] ? e.scale(a!, ybar) : null],
  },
  // y = a / b: abar = ybar / b, bbar = -ybar * y / b
  div: {
    kind: "adjoint",
    needs: needs([1], true),
    contribs: (e, [, b], y, ybar, act) => {
      const q = e.divide(ybar, b!)!;
      return [act[0] ? q : null, act[1] ? e.neg(e.scale(y, q)) : null];
    },
  },
  rem: fromPartials(JVP.rem, needs([0, 1], true)),
  neg: linear((e, ybar, act) => [act[0] ? e.neg(ybar) : null]),
  pow: fromPartials(JVP.pow, needs([0, 1], true)),
  // ties take the first operand (as in JVP)
  min: {
    kind: "adjoint",
    needs: needs([0, 1]),
    contribs: (e, [a, b], _y, ybar, act) => {
      const first = e.op("le", [a!, b!], "bool");
      return [act[0] ? e.op("select", [first, ybar, e.f64(0)]) : null, act[1] ? e.op("select", [first, e.f64(0), ybar]) : null];
    },
  },
  max: {
    kind: "adjoint",
    needs: needs([0, 1]),
    contribs: (e, [a, b], _y, ybar, act) => {
      const first = e.op("ge", [a!, b!], "bool");
      return [act[0] ? e.op("select", [first, ybar, e.f64(0)]) : null, act[1] ? e.op("select", [first, e.f64(0), ybar]) : null];
    },
  },
  abs: fromPartials(JVP.abs, needs([0])),
  sqrt: fromPartials(JVP.sqrt, needs([], true)),
  cbrt: fromPartials(JVP.cbrt, needs([], true)),
  exp: fromPartials(JVP.exp, needs([], true)),
  expm1: fromPartials(JVP.expm1, needs([], true)),
  log: fromPartials(JVP.log, needs([0])),
  log1p: fromPartials(JVP.log1p, needs([0])),
  log2: fromPartials(JVP.log2, needs([0])),
  log10: fromPartials(JVP.log10, needs([0])),
  sin: fromPartials(JVP.sin, needs([0])),
  cos: fromPartials(JVP.cos, needs([0])),
  tan: fromPartials(JVP.tan, needs([], true)),
  asin: fromPartials(JVP.asin, needs([0])),
  acos: fromPartials(JVP.acos, needs([0])),
  atan: fromPartials(JVP.atan, needs([0])),
  atan2: fromPartials(JVP.atan2, needs([0, 1])),
  sinh: fromPartials(JVP.sinh, needs([0])),
  cosh: fromPartials(JVP.cosh, needs([0])),
  tanh: fromPartials(JVP.tanh, needs([], true)),
  hypot: fromPartials(JVP.hypot, needs([0, 1], true)),
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
