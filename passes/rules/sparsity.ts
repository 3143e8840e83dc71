// Sparsity rules, one per op: which operands a result's derivative depends on
// and which operand pairs interact nonlinearly (a nonzero second partial).
// Exhaustive over ir/ops.ts. The sparsity analysis (passes/sparsity-exec.ts)
// propagates first-order dependency sets through `linear` and `nonlinear`
// ops (the union of the operands' sets) and, for Hessians, adds the cross
// products of the operand sets named in `pairs` (the approach of
// SparseConnectivityTracer). Piecewise-linear ops (abs, min, max, rem) are
// `linear`: their second derivatives vanish almost everywhere. Imports only ir/.

import type { OpTable } from "../../ir/ops.js";

/** How an op propagates dependency sets.
 * - `zero`: the result carries no derivative (comparisons, rounding, logic,
 *   conversions, lengths, literals). `absorbing`: an operand value that fixes
 *   the result whatever the others are (`false` for and, `true` for or), so
 *   the result is known even when another operand is not.
 * - `linear`: the result depends on every operand; no new Hessian pairs.
 * - `nonlinear`: the result depends on every operand; each `[i, j]` in
 *   `pairs` adds (set of operand i) × (set of operand j) to its Hessian pattern.
 * - `structural`: handled by the analysis itself (select, arrays, calls, stacks). */
export type SparsityRule =
  | { readonly kind: "zero"; readonly absorbing?: boolean }
  | { readonly kind: "linear" }
  | { readonly kind: "nonlinear"; readonly pairs: readonly (readonly [number, number])[] }
  | { readonly kind: "structural" };

const zero: SparsityRule = { kind: "zero" };
const linear: SparsityRule = { kind: "linear" };
const structural: SparsityRule = { kind: "structural" };
/** f(x) with f'' ≠ 0. */
const unary: SparsityRule = { kind: "nonlinear", pairs: [[0, 0]] };
/** f(x, y) with every second partial nonzero. */
const binary: SparsityRule = {
  kind: "nonlinear",
  pairs: [
    [0, 0],
    [0, 1],
    [1, 1],
  ],
};

/** The sparsity rule of every op. */
export const SPARSITY: OpTable<SparsityRule> = {
  const: zero,
  add: linear,
  sub: linear,
  // ∂²(xy)/∂x∂y = 1, ∂²/∂x² = ∂²/∂y² = 0
  mul: { kind: "nonlinear", pairs: [[0, 1]] },
  // ∂²(x/y)/∂x² = 0
  div: {
    kind: "nonlinear",
    pairs: [
      [0, 1],
      [1, 1],
    ],
  },
  rem: linear,
  neg: linear,
  pow: binary,
  min: linear,
  max: linear,
  abs: linear,

  sqrt: unary,
  cbrt: unary,
  exp: unary,
  expm1: unary,
  log: unary,
  log1p: unary,
  log2: unary,
  log10: unary,
  sin: unary,
  cos: unary,
  tan: unary,
  asin: unary,
  acos: unary,
  atan: unary,
  atan2: binary,
  sinh: unary,
  cosh: unary,
  tanh: unary,
  hypot: binary,
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
  and: { kind: "zero", absorbing: false },
  or: { kind: "zero", absorbing: true },
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
