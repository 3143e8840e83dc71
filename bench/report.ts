// Formatting of bench results: the table printed on stdout and the JSON
// record written under bench/results/.

import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import type { CompileTiming } from "./compile-time.js";
import type { FlopsTiming } from "./flops-time.js";
import type { PipelineTiming } from "./pipeline-time.js";
import type { T4Row } from "./sparsity-time.js";
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

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
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
    const fixed = (x: number | undefined): string => (x !== undefined ? x.toFixed(2) : "-");
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
  return table(header, body);
}

/** The compile-time table (markdown). */
export function formatCompile(results: readonly CompileTiming[]): string {
  const header = ["shape", "instructions", "blocks", "layout", "emit JS", "compile", "first call"];
  const ms = (x: number): string => `${x.toFixed(1)} ms`;
  return table(
    header,
    results.map((c) => [c.shape, c.instructions.toLocaleString("en-US"), c.blocks.toLocaleString("en-US"), c.layout, ms(c.emitMs), ms(c.compileMs), ms(c.firstCallMs)]),
  );
}

/** Writes the JSON record and returns its path. */
export function writeJson(dir: string, quick: boolean, timing: TimingOptions, rows: readonly RowResult[], compile: readonly CompileTiming[], pipelines: readonly PipelineTiming[], flops: readonly FlopsTiming[], sparsity: readonly T4Row[]): string {
  const now = new Date();
  const stamp = now.toISOString().replace(/:/g, "-").replace(/\..*$/, "");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${stamp}-${quick ? "quick" : "full"}.json`);
  const cpu = cpus();
  const record = { date: now.toISOString(), node: process.version, cpu: cpu[0]?.model ?? "unknown", cores: cpu.length, quick, timing, rows, compile, pipelines, flops, sparsity };
  writeFileSync(path, JSON.stringify(record, null, 2) + "\n");
  return path;
}
