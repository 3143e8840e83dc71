// Timing of the peer cells within a time budget each (bench/peers/budget.ts
// decides, this file runs the clock): a shrinkable cell is probed on ~1 % of
// its work units and measured on the full problem if the projection fits the
// budget, else on a reduced one and extrapolated. A fast call is timed
// interleaved with the hand-written derivative (paired H, bench/timing.ts);
// a slow one is repeated as the budget allows (once past 5 s; otherwise the
// first call only warms up) and divided by the hand-written derivative's
// median. Fast or slow is judged on a warm call. Each result is checked
// against the hand-written derivative (max relative error, no threshold:
// peers are approximate or float32).

import { performance } from "node:perf_hooks";
import { maxRelativeError } from "../agree.js";
import type { TimingOptions } from "../timing.js";
import { median, pairedRatio, timeInterleaved } from "../timing.js";
import { extraRepetitions, extrapolate, INTERLEAVE_BELOW_SECONDS, planSize, probeUnits } from "./budget.js";
import type { SizePlan } from "./budget.js";
import type { PeerCell, PeerResult, PeerTask } from "./cell.js";

/** How peer cells are timed: the interleaved timing of fast calls and each cell's budget. */
export interface PeerTimingOptions {
  readonly timing: TimingOptions;
  readonly budgetSeconds: number;
}

/** One call's time in seconds and its result. */
function timeCall(run: () => unknown): { seconds: number; result: unknown } {
  const start = performance.now();
  const result = run();
  return { seconds: (performance.now() - start) / 1000, result };
}

/** The median of the timed calls of `run` after a first one of
 * `firstSeconds`: none past 5 s (the first call is the measurement), else
 * the first call only warmed up (JIT, TF.js kernels) and the budget decides
 * how many follow. */
function repeated(run: () => unknown, firstSeconds: number, budgetSeconds: number): { seconds: number; repetitions: number } {
  if (extraRepetitions(firstSeconds, budgetSeconds) === 0) return { seconds: firstSeconds, repetitions: 1 };
  const times = [timeCall(run).seconds];
  const count = extraRepetitions(times[0]!, budgetSeconds);
  while (times.length < count) times.push(timeCall(run).seconds);
  return { seconds: median(times), repetitions: times.length };
}

/** Whether a call is fast enough to be timed interleaved, judged on a warm call. */
function isFast(run: () => unknown, firstSeconds: number): boolean {
  return firstSeconds < INTERLEAVE_BELOW_SECONDS || (firstSeconds < 1 && timeCall(run).seconds < INTERLEAVE_BELOW_SECONDS);
}

/** The median time of `run` alone: interleaved timing if fast, else repetitions within the budget. */
function timeAlone(run: () => unknown, o: PeerTimingOptions): number {
  const first = timeCall(run).seconds;
  if (isFast(run, first)) return timeInterleaved([{ name: "hand", run }], o.timing)[0]!.median;
  return repeated(run, first, o.budgetSeconds).seconds;
}

/** The size a cell is measured at: probed if it can be shrunk. */
function chooseSize(cell: PeerCell, budgetSeconds: number): SizePlan {
  const probe = probeUnits(cell.full);
  if (probe >= cell.full) return { units: cell.full, extrapolated: false };
  const sized = cell.at(probe);
  const seconds = timeCall(sized.run).seconds;
  sized.dispose?.();
  return planSize(seconds, probe, cell.full, budgetSeconds);
}

/** Measures every cell of `task` (see the file comment). */
export function measurePeerTask(task: PeerTask, o: PeerTimingOptions): PeerResult[] {
  let handMedian: number | undefined;
  const hand = (): number => (handMedian ??= timeAlone(task.hand, o));
  return task.cells.map((cell) => {
    const plan = chooseSize(cell, o.budgetSeconds);
    const sized = cell.at(plan.units);
    const first = timeCall(sized.run);
    const error = maxRelativeError(first.result, sized.want());
    const base = { key: task.key, task: task.task, tool: cell.tool, error, measuredUnits: plan.units, fullUnits: cell.full, unit: cell.unit, extrapolated: plan.extrapolated };
    try {
      if (!plan.extrapolated && isFast(sized.run, first.seconds)) {
        const [h, p] = timeInterleaved([{ name: "hand", run: task.hand }, { name: cell.tool, run: sized.run }], o.timing);
        return { ...base, handSeconds: h!.median, seconds: p!.median, ratio: pairedRatio(p!, h!), repetitions: p!.samples.length * p!.batch };
      }
      const measured = repeated(sized.run, first.seconds, o.budgetSeconds);
      const seconds = extrapolate(measured.seconds, plan.units, cell.full);
      return { ...base, handSeconds: hand(), seconds, ratio: seconds / hand(), repetitions: measured.repetitions };
    } finally {
      sized.dispose?.();
    }
  });
}
