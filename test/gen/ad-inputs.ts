// Runtime values for AD checks on generated programs: flattening the
// differentiable values of argument and result lists, random directions
// shaped like a value, and "moderate" points (extremes redrawn so that
// partials neither overflow nor underflow). Pure functions over RtValue.

import type { RtValue } from "../../ir/eval.js";
import type { Type } from "../../ir/types.js";
import type { Rng } from "../support/models.js";

/** Types that carry derivatives (f64 stacks count, as tapes hold f64s). */
export const isDiffType = (t: Type): boolean => t === "f64" || t === "f64[]" || t === "stack<f64>";

/** Numbers of the differentiable runtime values, flattened (stacks as their contents). */
export function flatDiff(values: readonly RtValue[], types: readonly Type[]): number[] {
  return values.flatMap((v, i) => (!isDiffType(types[i]!) ? [] : typeof v === "number" ? [v] : Array.from(v as ArrayLike<number>)));
}

/** A random value in [-1, 1] shaped like `v` (number, f64 array or f64 stack). */
export function randomLike(r: Rng, v: RtValue): RtValue {
  const x = (): number => 2 * r() - 1;
  if (typeof v === "number") return x();
  if (v instanceof Float64Array) return Float64Array.from(v, x);
  return (v as number[]).map(x);
}

/** Moderate inputs: zeros, small integers and ordinary values are kept;
 * extremes (huge, tiny, non-finite) are redrawn in [-2, 2], since they make
 * partials overflow or underflow and the two modes then round differently
 * (e.g. atan2(x, x) at x = 1e-162 has partials ±1e161 that cancel in forward
 * mode but absorb other terms in reverse mode). */
export function moderate(r: Rng, v: RtValue): RtValue {
  const one = (x: number): number => (x === 0 || (Math.abs(x) >= 1e-3 && Math.abs(x) <= 10) ? x : 4 * r() - 2);
  return typeof v === "number" ? one(v) : v instanceof Float64Array ? v.map(one) : v;
}

/** True if two number lists are identical bit for bit (NaN equals NaN, -0 differs from 0). */
export const sameBitsList = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
