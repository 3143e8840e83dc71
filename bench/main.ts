// `npm run bench` (`node dist/bench/main.js [--quick] [--only=KEY,...]`): the
// tasks of TASKS.md compiled TS source -> frontend -> backend and timed
// against hand-written JavaScript in one process (interleaved, warmed up,
// medians), after checking that results agree to 1e-8 relative; then the
// peers (finite differences and TF.js, bench/peers/) on the same tasks, each
// cell within a time budget; then the backend's compile time on 10^4- and
// 10^5-instruction functions, pass pipelines, T4 sparsity and flop counting.
// Prints tables on stdout and writes bench/results/<date>-<quick|full>.json
// (`npm run bench:readme` turns the newest full one into the README table).
// `--only=KEY,...` runs only the listed rows (`T1-1000-grad`), peer tasks
// (`peers` for all, `peers-T2`) and sections (`compile`, `pipelines`,
// `sparsity`, `flops`) and writes <date>-partial-<quick|full>.json.
// Exit code 1 if some deriv result disagreed (peers are approximate: their
// errors are reported, not checked).

import { loadavg } from "node:os";
import { join } from "node:path";
import { maxRelativeError } from "./agree.js";
import { branchy, straightLine, timeCompile } from "./compile-time.js";
import type { CompileTiming } from "./compile-time.js";
import type { RowResult } from "./report.js";
import { formatCompile, formatRows, thisMachine, writeJson } from "./report.js";
import type { Row, Sizes } from "./rows.js";
import { benchRows } from "./rows.js";
import { formatFlops, timeFlops } from "./flops-time.js";
import { formatPipelines, timePipelines } from "./pipeline-time.js";
import { peerCatalog } from "./peers/catalog.js";
import type { PeerSizes } from "./peers/catalog.js";
import { formatPeers } from "./peers/format.js";
import { runPeers } from "./peers/run.js";
import { taskPath } from "./sources.js";
import { formatT4, measureT4 } from "./sparsity-time.js";
import { formatTapes, measureTapes } from "./tape-size.js";
import type { TimingOptions } from "./timing.js";
import { pairedRatio, sinkValue, timeInterleaved } from "./timing.js";

const RTOL = 1e-8;

function runRow(row: Row, timing: TimingOptions): RowResult {
  const [reference, ...others] = row.cases;
  const want = reference!.run();
  const deviation: Record<string, number> = {};
  for (const c of others) deviation[c.name] = maxRelativeError(c.run(), want);
  const base = { key: row.key, task: row.task, measure: row.measure, deviation };
  const bad = Object.entries(deviation).find(([, d]) => !(d <= RTOL));
  if (bad) return { ...base, timings: [], ratios: {}, failure: `${bad[0]} deviates by ${bad[1].toExponential(2)}` };
  const timings = timeInterleaved(row.primal ? [...row.cases, row.primal] : row.cases, timing);
  const ratios: Record<string, number> = {};
  for (const t of timings.slice(1, row.cases.length)) ratios[t.name] = pairedRatio(t, timings[0]!);
  if (!row.primal) return { ...base, timings, ratios };
  // Derivative rows: every case over the hand-written primal, paired by round.
  const perPrimal: Record<string, number> = {};
  for (const t of timings.slice(0, row.cases.length)) perPrimal[t.name] = pairedRatio(t, timings[row.cases.length]!);
  return { ...base, timings, ratios, perPrimal };
}

async function main(argv: readonly string[]): Promise<number> {
  const loadAtStart = loadavg();
  const quick = argv.includes("--quick");
  const onlyArg = argv.find((a) => a.startsWith("--only="));
  const only = onlyArg ? new Set(onlyArg.slice("--only=".length).split(",")) : undefined;
  const isWanted = (key: string): boolean => !only || only.has(key);
  const timing: TimingOptions = quick ? { warmupMs: 60, batchMs: 2, rounds: 15 } : { warmupMs: 500, batchMs: 5, rounds: 61 };
  const sizes: Sizes = quick ? { t4: [1000, 10_000], t4Dense: 1000 } : { t4: [1000, 10_000, 100_000], t4Dense: 10_000 };
  const peerSizes: PeerSizes = { t4Sparse: 10_000, t4Dense: sizes.t4Dense };

  console.log(`deriv bench (${quick ? "quick" : "full"}), Node ${process.version}`);
  const results: RowResult[] = [];
  for (const row of benchRows(sizes)) if (isWanted(row.key)) results.push(runRow(row, timing));
  if (results.length) console.log("\n" + formatRows(results));

  const peers = await runPeers(peerSizes, (key) => isWanted("peers") || isWanted(`peers-${key}`), { timing, budgetSeconds: quick ? 2 : 30 });
  if (peers.length) console.log("\nPeers (H = peer / hand-written derivative, error against it)\n" + formatPeers(peerCatalog(peerSizes), peers, results));

  const compile: CompileTiming[] = [];
  if (isWanted("compile")) {
    for (const n of [10_000, 100_000]) {
      compile.push(timeCompile("straight-line", straightLine(n), quick ? 1 : 3));
      compile.push(timeCompile("diamonds+loops", branchy(n), quick ? 1 : 3));
    }
    console.log("\nBackend compile time\n" + formatCompile(compile));
  }

  const pipelines = isWanted("pipelines") ? timePipelines(quick) : [];
  if (pipelines.length) console.log("\nPass pipeline time\n" + formatPipelines(pipelines));

  const sparsity = isWanted("sparsity") ? measureT4(quick ? [1000, 10_000] : [1000, 10_000, 100_000], { reps: quick ? 3 : 10, denseUpTo: quick ? 1000 : 10_000 }) : [];
  if (sparsity.length) console.log("\nT4 sparsity: detection (best of runs), colouring, compressed Jacobian\n" + formatT4(sparsity));

  const tapes = isWanted("tape") ? measureTapes() : [];
  if (tapes.length) console.log("\nReverse-mode tape per call (formula of deriv flops --tape, at the task inputs)\n" + formatTapes(tapes));

  const flops = isWanted("flops") ? timeFlops(quick) : [];
  if (flops.length) console.log("\nFlop counting cost\n" + formatFlops(flops));

  const record = { date: new Date().toISOString(), ...thisMachine(loadAtStart), quick, partial: only !== undefined, timing, rows: results, peers, peerSizes, compile, pipelines, flops, sparsity, tapes };
  const path = writeJson(join(taskPath(""), "..", "results"), record);
  console.log(`\nwritten ${path} (sink ${sinkValue().toPrecision(3)})`);
  return results.some((r) => r.failure) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
