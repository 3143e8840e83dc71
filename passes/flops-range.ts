// Cost ranges for the flop counter's closed forms: a lower and an upper
// polynomial bound, equal when the count is exact. Paths that cost
// differently merge into the pointwise smaller and larger cost when their
// difference has a known sign (a non-negative combination of array lengths,
// iteration indices, trip counts and callee costs: branch arms that differ
// by a constant or by a loop), and into no closed form otherwise. Every
// operation the analysis applies (sums, sums over iterations, products with
// a trip count, substitution) is monotone, so bounds stay bounds. Plain data.

import type { Poly } from "./flops-poly.js";
import { polyAdd, polyEq, polySub, ratSign } from "./flops-poly.js";

/** lo <= cost <= hi for every input where the formula's assumptions hold. */
export interface Range {
  readonly lo: Poly;
  readonly hi: Poly;
}

/** The exact cost p. */
export const exact = (p: Poly): Range => ({ lo: p, hi: p });

/** True if lo and hi coincide. */
export const isExact = (r: Range): boolean => r.lo === r.hi || polyEq(r.lo, r.hi);

/** Applies `f` to both bounds (null if either fails); keeps exactness cheap. */
export function mapRange(r: Range, f: (p: Poly) => Poly | null): Range | null {
  const lo = f(r.lo);
  if (!lo) return null;
  if (r.lo === r.hi) return exact(lo);
  const hi = f(r.hi);
  return hi && { lo, hi };
}

/** The range of a sum. */
export function addRange(a: Range, b: Range): Range {
  return a.lo === a.hi && b.lo === b.hi ? exact(polyAdd(a.lo, b.lo)) : { lo: polyAdd(a.lo, b.lo), hi: polyAdd(a.hi, b.hi) };
}

/** True if `p` is never negative: non-negative coefficients over atoms that
 * are never negative (array lengths, iteration indices, trip counts, callee
 * costs). */
export function isNonNegative(p: Poly): boolean {
  return p.terms.every((t) => ratSign(t.coef) >= 0 && t.factors.every((f) => f.atom.kind === "len" || f.atom.kind === "iter" || f.atom.kind === "trip" || f.atom.kind === "cost"));
}

/** The smaller (or larger) of two polynomials when their order is known. */
function pick(a: Poly, b: Poly, larger: boolean): Poly | null {
  if (polyEq(a, b)) return a;
  if (isNonNegative(polySub(a, b))) return larger ? a : b;
  if (isNonNegative(polySub(b, a))) return larger ? b : a;
  return null;
}

/** The range covering both (paths meeting at a join), or null. */
export function joinRange(a: Range, b: Range): Range | null {
  if (a === b) return a;
  const lo = pick(a.lo, b.lo, false);
  const hi = pick(a.hi, b.hi, true);
  return lo && hi && (polyEq(lo, hi) ? exact(lo) : { lo, hi });
}
