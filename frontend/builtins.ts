// The built-in names of the subset: `Math.*` functions (each mapped to its IR
// op) and the numeric constants of `Math`, `Number` and the global scope.

import type { Opcode } from "../ir/ops.js";
import type { MathFn } from "./facts.js";

/** Arity and IR op of each `Math` function. `variadic` functions fold pairwise
 * (`min`, `max`; `hypot` only up to two arguments, see the checker). */
export const MATH_FNS: { readonly [K in MathFn]: { readonly arity: 1 | 2 | "variadic"; readonly op: Opcode } } = {
  sqrt: { arity: 1, op: "sqrt" },
  cbrt: { arity: 1, op: "cbrt" },
  exp: { arity: 1, op: "exp" },
  expm1: { arity: 1, op: "expm1" },
  log: { arity: 1, op: "log" },
  log1p: { arity: 1, op: "log1p" },
  log2: { arity: 1, op: "log2" },
  log10: { arity: 1, op: "log10" },
  sin: { arity: 1, op: "sin" },
  cos: { arity: 1, op: "cos" },
  tan: { arity: 1, op: "tan" },
  asin: { arity: 1, op: "asin" },
  acos: { arity: 1, op: "acos" },
  atan: { arity: 1, op: "atan" },
  sinh: { arity: 1, op: "sinh" },
  cosh: { arity: 1, op: "cosh" },
  tanh: { arity: 1, op: "tanh" },
  abs: { arity: 1, op: "abs" },
  sign: { arity: 1, op: "sign" },
  floor: { arity: 1, op: "floor" },
  ceil: { arity: 1, op: "ceil" },
  round: { arity: 1, op: "round" },
  atan2: { arity: 2, op: "atan2" },
  pow: { arity: 2, op: "pow" },
  min: { arity: "variadic", op: "min" },
  max: { arity: "variadic", op: "max" },
  hypot: { arity: "variadic", op: "hypot" },
};

/** True if `name` is a `Math` function of the subset. */
export function isMathFn(name: string): name is MathFn {
  return Object.prototype.hasOwnProperty.call(MATH_FNS, name);
}

/** Math functions that keep `i32` when every argument is `i32` (the op is
 * polymorphic and the result of integers is an integer). */
export const INT_PRESERVING: ReadonlySet<MathFn> = new Set<MathFn>(["abs", "min", "max"]);

/** Value of a `Math`/`Number` property or global constant, keyed by "Object.name". */
export const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ["Math.PI", Math.PI],
  ["Math.E", Math.E],
  ["Math.LN2", Math.LN2],
  ["Math.LN10", Math.LN10],
  ["Math.LOG2E", Math.LOG2E],
  ["Math.LOG10E", Math.LOG10E],
  ["Math.SQRT2", Math.SQRT2],
  ["Math.SQRT1_2", Math.SQRT1_2],
  ["Number.EPSILON", Number.EPSILON],
  ["Number.MAX_VALUE", Number.MAX_VALUE],
  ["Number.MIN_VALUE", Number.MIN_VALUE],
  ["Number.MAX_SAFE_INTEGER", Number.MAX_SAFE_INTEGER],
  ["Number.MIN_SAFE_INTEGER", Number.MIN_SAFE_INTEGER],
  ["Number.POSITIVE_INFINITY", Number.POSITIVE_INFINITY],
  ["Number.NEGATIVE_INFINITY", Number.NEGATIVE_INFINITY],
  ["Number.NaN", Number.NaN],
  ["Infinity", Infinity],
  ["NaN", NaN],
]);

/** Objects whose properties are constants or functions of the subset. */
export const NAMESPACES: ReadonlySet<string> = new Set(["Math", "Number"]);

/** True if a number is exactly representable as an `i32` literal. */
export function isIntLiteral(v: number): boolean {
  return Number.isInteger(v) && !Object.is(v, -0) && v >= -(2 ** 31) && v < 2 ** 31;
}
