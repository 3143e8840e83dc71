// Interleaved timing: every case of a comparison is warmed up (long enough for
// V8 to optimise it), given a batch size so one batch takes about `batchMs`,
// then timed in rounds that run one batch of each case in turn (the order
// rotating per round), so drifts of a shared, noisy machine hit all cases
// alike. Reports the median time per call over the rounds, and ratios as the
// median of per-round ratios.

import { performance } from "node:perf_hooks";

/** A thing to time: `run` is called repeatedly; its result is consumed. */
export interface Case {
  readonly name: string;
  readonly run: () => unknown;
}

/** Timing knobs. */
export interface TimingOptions {
  /** Warm-up time per case in ms. */
  readonly warmupMs: number;
  /** Target duration of one timed batch in ms. */
  readonly batchMs: number;
  /** Number of timed rounds. */
  readonly rounds: number;
}

/** Seconds per call of one case: the median over the rounds, the spread, and
 * every round's value (in round order, for pairing with other cases). */
export interface Timing {
  readonly name: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly batch: number;
  readonly samples: readonly number[];
}

/** The median of `xs`. */
export function median(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** The median over rounds of `a`'s time divided by `b`'s in the same round:
 * a ratio that drifts of the machine's speed between rounds do not bias. */
export function pairedRatio(a: Timing, b: Timing): number {
  return median(a.samples.map((x, r) => x / b.samples[r]!));
}

let sink = 0;

/** Folds a result into a global sink so the call cannot be optimised away. */
function consume(r: unknown): void {
  if (typeof r === "number") sink += r;
  else if (r instanceof Float64Array) sink += r.length ? r[0]! : 0;
  else if (Array.isArray(r)) consume(r[0]);
  else if (r && typeof r === "object") sink += 1;
}

/** The sink's value (printed once so the engine must keep it). */
export function sinkValue(): number {
  return sink;
}

function runBatch(c: Case, n: number): number {
  const t0 = performance.now();
  for (let k = 0; k < n; k++) consume(c.run());
  return (performance.now() - t0) / 1000 / n;
}

/** Times `cases` interleaved; see the file comment. Cases slower than a
 * batch get fewer rounds (at least 5), so a row stays within about
 * `rounds * batchMs` of timed work per case. */
export function timeInterleaved(cases: readonly Case[], o: TimingOptions): Timing[] {
  const perCall = cases.map((c) => {
    let calls = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < o.warmupMs || calls < 3) {
      consume(c.run());
      calls++;
    }
    return runBatch(c, Math.max(1, Math.ceil(calls / 10)));
  });
  const batches = perCall.map((t) => Math.max(1, Math.round(o.batchMs / 1000 / Math.max(t, 1e-9))));
  const slowest = Math.max(...perCall.map((t, i) => t * batches[i]!)) * 1000;
  const rounds = Math.min(o.rounds, Math.max(5, Math.floor((o.rounds * o.batchMs) / slowest)));
  const samples: number[][] = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (k + r) % cases.length;
      samples[i]!.push(runBatch(cases[i]!, batches[i]!));
    }
  }
  return cases.map((c, i) => {
    const s = samples[i]!;
    return { name: c.name, median: median(s), min: Math.min(...s), max: Math.max(...s), batch: batches[i]!, samples: s };
  });
}
