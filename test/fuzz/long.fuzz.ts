// The long fuzz run behind `npm run fuzz` (launched by main.mjs with FUZZ_*
// environment variables; not part of `npm test`). FUZZ_RUNS programs split
// evenly between the kinds of FUZZ_KIND ("both", "ts" or "ir"), in chunks of
// CI_BATCH.runs per kind: chunk k uses seed FUZZ_SEED + k, so the first chunk
// from the CI seed is the CI batch. Prints the tally after every chunk and,
// on a discrepancy, the minimised case with its replay command (FUZZ_PATH
// replays one case of the first chunk).

import { expect, it } from "vitest";
import type { FuzzKind } from "./cases.js";
import { CI_BATCH, formatFailure, formatTally, newTally, runBatch, type Tally } from "./engine.js";

const runs = Number(process.env.FUZZ_RUNS ?? 2 * CI_BATCH.runs);
const seed = Number(process.env.FUZZ_SEED ?? CI_BATCH.seed);
const kinds: FuzzKind[] = process.env.FUZZ_KIND === "ts" || process.env.FUZZ_KIND === "ir" ? [process.env.FUZZ_KIND] : ["ts", "ir"];
const path = process.env.FUZZ_PATH;

function add(into: Tally, t: Tally): void {
  into.cases += t.cases;
  into.ad += t.ad;
  into.fd += t.fd;
  into.sparsity += t.sparsity;
  for (const [k, n] of t.skipped) into.skipped.set(k, (into.skipped.get(k) ?? 0) + n);
}

it(`fuzz: ${runs} programs (${kinds.join(", ")}) from seed ${seed}`, async () => {
  const start = performance.now();
  const totals = new Map(kinds.map((k) => [k, newTally()]));
  const perKind = Math.ceil(runs / kinds.length);
  for (let chunk = 0; chunk * CI_BATCH.runs < perKind; chunk++) {
    for (const kind of kinds) {
      const n = Math.min(CI_BATCH.runs, perKind - chunk * CI_BATCH.runs);
      const r = runBatch({ kind, runs: path ? 1 : n, seed: seed + chunk, ...(path ? { path } : {}) });
      add(totals.get(kind)!, r.tally);
      if (r.failure) {
        console.log(formatFailure(kind, r.failure));
        expect.fail(`discrepancy in ${kind} chunk ${chunk} (seed ${seed + chunk}); the minimised case is printed above`);
      }
    }
    const minutes = ((performance.now() - start) / 60_000).toFixed(1);
    console.log(`after ${minutes} min (chunk ${chunk}, seeds ${seed}..${seed + chunk}):\n${kinds.map((k) => formatTally(k, totals.get(k)!)).join("\n")}`);
    // Let the worker flush the log before the next chunk.
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (path) break;
  }
  console.log(`done: ${[...totals.values()].reduce((s, t) => s + t.cases, 0)} programs, no discrepancy, ${((performance.now() - start) / 60_000).toFixed(1)} min`);
});
