// The per-op table of the flop counter's affine value analysis
// (passes/flops-affine.ts): for each op, the affine polynomial of its single
// result from those of its operands, or null when the result is not affine
// in the parameters and induction variables. Numeric results get their value;
// `f64[]` results get their length. Pure data over ir/ops.

import type { OpTable } from "../ir/ops.js";
import type { Inst, ValueId } from "../ir/types.js";
import type { Poly } from "./flops-poly.js";
import { ONE, polyAdd, polyConst, polyConstValue, polyScale, polySub, rat, ratDiv, ratFromNumber } from "./flops-poly.js";

/** What a rule may read: operands' values (numeric) and lengths (arrays). */
export interface AffineOperands {
  num(v: ValueId): Poly | null;
  len(v: ValueId): Poly | null;
}

/** The affine polynomial of an instruction's result, or null. */
export type AffineRule = (inst: Inst, ops: AffineOperands) => Poly | null;

const opaque: AffineRule = () => null;

const constant: AffineRule = (inst) => {
  const c = ratFromNumber(inst.value!);
  return c ? polyConst(c) : null;
};

const copy: AffineRule = (inst, ops) => ops.num(inst.args[0]!);
const lengthOf: AffineRule = (inst, ops) => ops.len(inst.args[0]!);

const binary =
  (f: (x: Poly, y: Poly) => Poly | null): AffineRule =>
  (inst, ops) => {
    const x = ops.num(inst.args[0]!);
    const y = ops.num(inst.args[1]!);
    return x && y && f(x, y);
  };

/** Multiplication where one side is a constant. */
const scaled = binary((x, y) => {
  const cx = polyConstValue(x);
  const cy = polyConstValue(y);
  return cy !== undefined ? polyScale(x, cy) : cx !== undefined ? polyScale(y, cx) : null;
});

/** Division by a non-zero constant. */
const divided = binary((x, y) => {
  const cy = polyConstValue(y);
  return cy !== undefined && cy.n !== 0n ? polyScale(x, ratDiv(ONE, cy)) : null;
});

/** Every op's affine rule. */
export const AFFINE: OpTable<AffineRule> = {
  const: constant,
  add: binary(polyAdd),
  sub: binary(polySub),
  mul: scaled,
  div: divided,
  rem: opaque,
  neg: (inst, ops) => {
    const x = ops.num(inst.args[0]!);
    return x && polyScale(x, rat(-1n));
  },
  pow: opaque,
  min: opaque,
  max: opaque,
  abs: opaque,
  sqrt: opaque,
  cbrt: opaque,
  exp: opaque,
  expm1: opaque,
  log: opaque,
  log1p: opaque,
  log2: opaque,
  log10: opaque,
  sin: opaque,
  cos: opaque,
  tan: opaque,
  asin: opaque,
  acos: opaque,
  atan: opaque,
  atan2: opaque,
  sinh: opaque,
  cosh: opaque,
  tanh: opaque,
  hypot: opaque,
  sign: opaque,
  floor: opaque,
  ceil: opaque,
  round: opaque,
  lt: opaque,
  le: opaque,
  gt: opaque,
  ge: opaque,
  eq: opaque,
  ne: opaque,
  select: opaque,
  and: opaque,
  or: opaque,
  not: opaque,
  "i32.to.f64": copy,
  "f64.to.i32": copy,
  "array.new": copy,
  "array.get": opaque,
  "array.set": opaque,
  "array.len": lengthOf,
  "array.copy": lengthOf,
  call: opaque,
  "call.extern": opaque,
  "stack.new": opaque,
  "stack.pop": opaque,
  "stack.push": opaque,
};
