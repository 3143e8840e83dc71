// Formatting of bench results: the table printed on stdout and the JSON
// record written under bench/results/ (read back by bench/readme-block.ts).

import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import type { CompileTiming } from "./compile-time.js";
import type { FlopsTiming } from "./flops-time.js";
import type { PeerSizes } from "./peers/catalog.js";
import type { PeerResult } from "./peers/cell.js";
import type { PipelineTiming } from "./pipeline-time.js";
import type { T4Row } from "./sparsity-time.js";
import type { TapeRow } from "./tape-size.js";
import type { Timing, TimingOptions } from "./timing.js";

/** The outcome of one row. */
export interface RowResult {
  readonly key: string;
  readonly task: string;
  readonly measure: string;
  /** Largest relative deviation of each non-reference case from the reference. */
  readonly deviation: Readonly<Record<string, number>>;
  /** Empty if the agreement check failed (then nothing was timed). */
  readonly timings: readonly Timing[];
  /** Each case's median divided by the hand-written one's. */
  readonly ratios: Readonly<Record<string, number>>;
  /** For derivative rows: each case's time / the hand-written primal's (paired rounds). */
  readonly perPrimal?: Readonly<Record<string, number>>;
  readonly failure?: string;
}

/** A time in seconds with a unit and three significant digits. */
export function formatTime(s: number): string {
  if (!Number.isFinite(s)) return "-";
  if (s < 1e-6) return `${(s * 1e9).toPrecision(3)} ns`;
  if (s < 1e-3) return `${(s * 1e6).toPrecision(3)} µs`;
  if (s < 1) return `${(s * 1e3).toPrecision(3)} ms`;
  return `${s.toPrecision(3)} s`;
}

/** A time ratio: two decimals below 10, one below 100, whole numbers above. */
export function formatRatio(x: number): string {
  if (!Number.isFinite(x)) return "-";
  if (x >= 100) return Math.round(x).toLocaleString("en-US");
  return x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** A markdown table, columns padded to their widest cell. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string => "| " + cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ") + " |";
  return [line(header), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...rows.map(line)].join("\n");
}

/** The results table (markdown): one line per deriv case of each row, with
 * H = deriv / hand-written and P = time / the hand-written primal. */
export function formatRows(results: readonly RowResult[]): string {
  const header = ["task", "measure", "deriv case", "hand-written", "deriv", "H (deriv / hand)", "P deriv", "P hand", "max rel. dev."];
  const body: string[][] = [];
  for (const r of results) {
    const t = (name: string): string => formatTime(r.timings.find((x) => x.name === name)?.median ?? NaN);
    const fixed = (x: number | undefined): string => (x !== undefined ? formatRatio(x) : "-");
    const names = Object.keys(r.deviation);
    for (const name of names.length ? names : ["-"]) {
      const dev = r.deviation[name];
      body.push([
        r.task,
        r.measure,
        name,
        t("hand"),
        r.failure ? `FAILED: ${r.failure}` : t(name),
        fixed(r.ratios[name]),
        fixed(r.perPrimal?.[name]),
        fixed(r.perPrimal?.["hand"]),
        dev !== undefined ? dev.toExponential(1) : "-",
      ]);
    }
  }
  return markdownTable(header, body);
}

/** The compile-time table (markdown). */
export function formatCompile(results: readonly CompileTiming[]): string {
  const header = ["shape", "instructions", "blocks", "layout", "emit JS", "compile", "first call"];
  const ms = (x: number): string => `${x.toFixed(1)} ms`;
  return markdownTable(
    header,
    results.map((c) => [c.shape, c.instructions.toLocaleString("en-US"), c.blocks.toLocaleString("en-US"), c.layout, ms(c.emitMs), ms(c.compileMs), ms(c.firstCallMs)]),
  );
}

/** The machine a run was made on; load averages (1, 5, 15 min) at its start and end. */
export interface Machine {
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly load?: { readonly start: readonly number[]; readonly end: readonly number[] };
}

/** What a run measured; `peers` and `load` are absent from runs made before
 * peers were measured, `peerSizes` when no peer ran. */
export interface BenchRecord extends Machine {
  readonly date: string;
  readonly quick: boolean;
  /** Only some rows, peers and sections ran (`--only`). */
  readonly partial?: boolean;
  readonly timing: TimingOptions;
  readonly rows: readonly RowResult[];
  readonly peers?: readonly PeerResult[];
  readonly peerSizes?: PeerSizes;
  readonly compile: readonly CompileTiming[];
  readonly pipelines: readonly PipelineTiming[];
  readonly flops: readonly FlopsTiming[];
  readonly sparsity: readonly T4Row[];
  /** Reverse-mode tape per call (absent in records made before it was measured). */
  readonly tapes?: readonly TapeRow[];
}

/** This machine, with the load average of `loadAtStart` and now. */
export function thisMachine(loadAtStart: readonly number[]): Machine {
  const cpu = cpus();
  return { node: process.version, cpu: cpu[0]?.model ?? "unknown", cores: cpu.length, load: { start: loadAtStart, end: loadavg() } };
}

/** Writes `record` as `<date>-[partial-]<quick|full>.json` into `dir` and returns the path. */
export function writeJson(dir: string, record: BenchRecord): string {
  const stamp = record.date.replace(/:/g, "-").replace(/\..*$/, "");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${stamp}-${record.partial ? "partial-" : ""}${record.quick ? "quick" : "full"}.json`);
  writeFileSync(path, JSON.stringify(record, null, 2) + "\n");
  return path;
}
