// The assertion of the CI fuzz batch (ci-ts.test.ts, ci-ir.test.ts): run
// the fixed-seed batch of one kind, print the shares reaching each check,
// fail with the minimised case and its replay command on a discrepancy, and
// require at least MIN_AD_SHARE of the programs to reach the AD checks.

import { expect } from "vitest";
import type { FuzzKind } from "./cases.js";
import { CI_BATCH, formatFailure, formatTally, runBatch } from "./engine.js";

/** Least share of generated programs that must reach the dot-product test. */
export const MIN_AD_SHARE = 0.8;

export function expectCleanBatch(kind: FuzzKind): void {
  const start = performance.now();
  const r = runBatch({ kind, runs: CI_BATCH.runs, seed: CI_BATCH.seed });
  console.log(`${formatTally(kind, r.tally)}\n  ${((performance.now() - start) / 1000).toFixed(1)} s`);
  if (r.failure) expect.fail(formatFailure(kind, r.failure));
  expect(r.tally.cases).toBe(CI_BATCH.runs);
  expect(r.tally.ad / r.tally.cases, "share of programs reaching the AD checks").toBeGreaterThanOrEqual(MIN_AD_SHARE);
}
