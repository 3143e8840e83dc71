// The conditions under which a flop-count closed form is exact. A counted
// loop's trip count T is written without max(0, T), so the formula assumes
// T >= 0; an inner loop's condition must hold at every iteration of the
// enclosing loops (checked at both ends of the iteration range when it is
// affine in the index), and a callee's conditions travel to its callers.
// Conditions are plain data: `p >= 0 unless some u <= 0`. Plain data.

import type { Atom, Poly } from "./flops-poly.js";
import { atomKey, formatPoly, isIntegerAtom, polyAdd, polyConstValue, polyInt, polyMap, polyMentions, polySub, POLY_ZERO, ratSign } from "./flops-poly.js";
import { isNonNegative } from "./flops-range.js";

/** `atLeastZero >= 0`, required unless some `unless` polynomial is <= 0. */
export interface Assumption {
  readonly atLeastZero: Poly;
  readonly unless: readonly Poly[];
}

/** `a` required for every value 0..upper of the index atom keyed `k`
 * (vacuous when upper < 0), as conditions without k; null when that cannot
 * be expressed (k not affine, or inside a `ceil` or an `unless`). */
export function forAll(a: Assumption, k: string, upper: Poly): Assumption[] | null {
  const isK = (x: Atom): boolean => atomKey(x) === k;
  if (a.unless.some((u) => polyMentions(u, isK))) return null;
  if (!polyMentions(a.atLeastZero, isK)) return [a];
  const linear = a.atLeastZero.terms.every((t) => t.factors.every((f) => (isK(f.atom) ? f.pow === 1 : !(f.atom.kind === "ceil" && polyMentions(f.atom.arg, isK)))));
  if (!linear) return null;
  // Affine in k, so its minimum over the range is at one of the ends.
  const at = (v: Poly): Poly | null => polyMap(a.atLeastZero, (x) => (isK(x) ? v : undefined));
  const first = at(POLY_ZERO);
  const last = at(upper);
  if (!first || !last) return null;
  const unless = [...a.unless, polyAdd(upper, polyInt(1))];
  return [
    { atLeastZero: first, unless },
    { atLeastZero: last, unless },
  ];
}

/** True if `p` takes integer values only (integer coefficients, integer atoms). */
function isIntegerPoly(p: Poly): boolean {
  return p.terms.every((t) => t.coef.d === 1n && t.factors.every((f) => isIntegerAtom(f.atom)));
}

/** True if `a` always holds: its polynomial cannot be negative, or it is
 * `p >= 0 unless u <= 0` with u integer and p - (u - 1) non-negative. */
function isTautology(a: Assumption): boolean {
  if (isNonNegative(a.atLeastZero)) return true;
  return a.unless.some((u) => isIntegerPoly(u) && isNonNegative(polyAdd(polySub(a.atLeastZero, u), polyInt(1))));
}

/** Drops satisfied, vacuous and duplicate conditions; null if one can never hold. */
export function simplifyAssumptions(list: readonly Assumption[]): Assumption[] | null {
  const out = new Map<string, Assumption>();
  for (const a of list) {
    const unless = a.unless.filter((u) => {
      const c = polyConstValue(u);
      return c === undefined || ratSign(c) <= 0;
    });
    if (unless.some((u) => polyConstValue(u) !== undefined)) continue; // some unless <= 0: vacuous
    const s = { atLeastZero: a.atLeastZero, unless };
    if (isTautology(s)) continue;
    if (polyConstValue(a.atLeastZero) !== undefined && !unless.length) return null;
    out.set(formatAssumption(s), s);
  }
  return [...out.values()];
}

/** `n - 1 >= 0`, or `n - 1 >= 0 unless ceil(m) <= 0`. */
export function formatAssumption(a: Assumption): string {
  const base = `${formatPoly(a.atLeastZero)} >= 0`;
  return a.unless.length ? `${base} unless ${a.unless.map((u) => `${formatPoly(u)} <= 0`).join(" or ")}` : base;
}
