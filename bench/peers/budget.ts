// The time budget of one peer cell, as pure arithmetic (no clocks here, so it
// can be unit-tested): from a probe call on a small share of the problem,
// decide whether the full problem fits the budget or a reduced one is
// measured and extrapolated linearly; how many repetitions a measurement
// gets; and the extrapolation itself.

/** A call faster than this is timed interleaved with the hand-written one. */
export const INTERLEAVE_BELOW_SECONDS = 0.05;

/** A call slower than this is measured once. */
export const SINGLE_REPETITION_SECONDS = 5;

/** The most repetitions a slow (not interleaved) cell gets. */
const MAX_REPETITIONS = 7;

/** The share of the budget a reduced (extrapolated) measurement aims at. */
const REDUCED_SHARE = 0.25;

/** What to measure: `units` of the `full` work units, extrapolated if fewer. */
export interface SizePlan {
  readonly units: number;
  readonly extrapolated: boolean;
}

/** Work units to probe first: about 1 % of the problem, at least 1. */
export function probeUnits(full: number): number {
  return Math.max(1, Math.ceil(full / 100));
}

/** The size to measure after a probe of `probe` units took `probeSeconds`:
 * the full problem if its projected cost fits `budgetSeconds`, else as many
 * units as fit a quarter of the budget (at least the probe's, fewer than full). */
export function planSize(probeSeconds: number, probe: number, full: number, budgetSeconds: number): SizePlan {
  const perUnit = probeSeconds / probe;
  if (perUnit * full <= budgetSeconds) return { units: full, extrapolated: false };
  const units = Math.floor((REDUCED_SHARE * budgetSeconds) / Math.max(perUnit, 1e-12));
  return { units: Math.min(full - 1, Math.max(probe, units)), extrapolated: true };
}

/** Timed repetitions after a first call of `firstSeconds` (already done):
 * none past `SINGLE_REPETITION_SECONDS` (the first call is the measurement),
 * otherwise as many as fit a quarter of the budget, between 1 and 7 (the
 * first call then only warms up). */
export function extraRepetitions(firstSeconds: number, budgetSeconds: number): number {
  if (firstSeconds > SINGLE_REPETITION_SECONDS) return 0;
  const fit = Math.floor((REDUCED_SHARE * budgetSeconds) / Math.max(firstSeconds, 1e-12));
  return Math.min(MAX_REPETITIONS, Math.max(1, fit));
}

/** The full problem's time from `seconds` measured on `units` of `full` units. */
export function extrapolate(seconds: number, units: number, full: number): number {
  return (seconds * full) / units;
}

/** `count` indices spread evenly over 0 .. full - 1 (all of them if count >= full). */
export function spreadIndices(count: number, full: number): Int32Array {
  if (count >= full) return Int32Array.from({ length: full }, (_, i) => i);
  return Int32Array.from({ length: count }, (_, k) => Math.floor((k * full) / count));
}
