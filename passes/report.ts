// Text reports of a pipeline run: the timing table (per pass ms and share of
// the total) and the statistics table (per pass counters such as "values
// folded"), LLVM -time-passes / -stats style. Pure formatting, no imports.

/** What the pass manager records about one pass invocation. */
export interface PassRecord {
  /** Registry name of the pass. */
  readonly name: string;
  /** The invocation as written in the pipeline, options included. */
  readonly text: string;
  /** Time spent in the pass itself. */
  readonly ms: number;
  /** Time spent verifying its output (0 without verify-each or when unchanged). */
  readonly verifyMs: number;
  /** True if the pass returned a different module object. */
  readonly changed: boolean;
  /** The statistics the pass reported. */
  readonly stats: Readonly<Record<string, number>>;
}

const RULE = "===" + "-".repeat(73) + "===";

function banner(title: string): string[] {
  const pad = Math.max(0, Math.floor((RULE.length - title.length) / 2));
  return [RULE, " ".repeat(pad) + title, RULE];
}

/** The timing table: one row per invocation, a verifier row when verify-each
 * spent time, and the total. */
export function timingTable(records: readonly PassRecord[]): string {
  const verifyMs = records.reduce((s, r) => s + r.verifyMs, 0);
  const rows: [number, string][] = records.map((r) => [r.ms, r.text]);
  if (verifyMs > 0) rows.push([verifyMs, "(verify-each)"]);
  const total = rows.reduce((s, [ms]) => s + ms, 0);
  const pct = (ms: number): string => (total > 0 ? ((100 * ms) / total).toFixed(1) : "0.0") + "%";
  const lines = [...banner("Pass execution timing report"), `  Total Execution Time: ${total.toFixed(3)} ms`, "", `  ${"ms".padStart(10)}  ${"%".padStart(6)}  Name`];
  for (const [ms, name] of [...rows, [total, "Total"] as [number, string]]) {
    lines.push(`  ${ms.toFixed(3).padStart(10)}  ${pct(ms).padStart(6)}  ${name}`);
  }
  return lines.join("\n") + "\n";
}

/** The statistics table: every (pass, statistic, value), in pipeline order. */
export function statsTable(records: readonly PassRecord[]): string {
  const rows = records.flatMap((r) => Object.entries(r.stats).map(([stat, n]) => [String(n), r.name, stat] as const));
  const lines = [...banner("Statistics Collected")];
  if (rows.length === 0) return [...lines, "  (none)"].join("\n") + "\n";
  const wValue = Math.max(5, ...rows.map((r) => r[0].length));
  const wPass = Math.max(4, ...rows.map((r) => r[1].length));
  lines.push(`  ${"value".padStart(wValue)}  ${"pass".padEnd(wPass)}  statistic`);
  for (const [value, pass, stat] of rows) lines.push(`  ${value.padStart(wValue)}  ${pass.padEnd(wPass)}  ${stat}`);
  return lines.join("\n") + "\n";
}
