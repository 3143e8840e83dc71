// The peer table (markdown), printed by `npm run bench` and written into the
// README by `npm run bench:readme`: per task the hand-written derivative,
// deriv's figure from the same run, time · H · error of each peer run, and
// the quoted PyTorch and ADOL-C figures, followed by notes on extrapolated
// and single-call cells. Deterministic: the text depends only on its inputs.

import type { RowResult } from "../report.js";
import { formatRatio, formatTime, markdownTable } from "../report.js";
import type { PeerTaskInfo } from "./catalog.js";
import { QUOTED_SOURCE } from "./catalog.js";
import type { PeerResult, PeerTool } from "./cell.js";
import { PEER_TOOL_TITLES } from "./cell.js";

const TOOLS: readonly PeerTool[] = ["fd", "tfjs"];

/** A peer's time, "~" marking an extrapolated one. */
function peerTime(r: PeerResult): string {
  return (r.extrapolated ? "~" : "") + formatTime(r.seconds);
}

/** deriv's time and H on the row that holds the same derivative (its first deriv case). */
function derivCell(row: RowResult | undefined): string {
  const name = row && Object.keys(row.deviation)[0];
  const timing = name ? row.timings.find((t) => t.name === name) : undefined;
  if (!row || !name || !timing) return "-";
  return `${formatTime(timing.median)} · ${formatRatio(row.ratios[name] ?? NaN)} H`;
}

/** The notes under the table: extrapolated and single-call cells, where
 * the hand-written and deriv figures come from, the source of the quotes. */
function notes(peers: readonly PeerResult[]): string[] {
  const lines: string[] = [];
  for (const r of peers) {
    const who = `${r.task}, ${PEER_TOOL_TITLES[r.tool]}`;
    const units = `${r.measuredUnits.toLocaleString("en-US")} of ${r.fullUnits.toLocaleString("en-US")} ${r.unit}`;
    if (r.extrapolated) lines.push(`- ~ ${who}: extrapolated linearly from ${units} (${r.repetitions === 1 ? "one call" : `median of ${r.repetitions} calls`}).`);
    else if (r.repetitions === 1) lines.push(`- ${who}: one call, no repetition.`);
  }
  lines.push("- hand-written: timed alongside the peers; deriv: time · H of the deriv row for the same derivative.");
  lines.push(`- ${QUOTED_SOURCE}`);
  return lines;
}

/** The peer table of `tasks` (those with results first, in result order;
 * the catalog's tasks if no peer was run) and its notes. */
export function formatPeers(catalog: readonly PeerTaskInfo[], peers: readonly PeerResult[], rows: readonly RowResult[]): string {
  const keys = peers.length ? [...new Set(peers.map((p) => p.key))] : catalog.map((c) => c.key);
  const header = ["task", "hand-written", "deriv"];
  for (const tool of TOOLS) header.push(PEER_TOOL_TITLES[tool], "H", "max rel. err.");
  header.push("PyTorch (PEERS.md, not rerun)", "ADOL-C (PEERS.md, not rerun)");
  const body = keys.map((key) => {
    const info = catalog.find((c) => c.key === key);
    const mine = peers.filter((p) => p.key === key);
    const row = rows.find((r) => r.key === info?.row);
    const handSeconds = mine[0]?.handSeconds ?? row?.timings.find((t) => t.name === "hand")?.median ?? NaN;
    const cells = [mine[0]?.task ?? info?.task ?? key, formatTime(handSeconds), derivCell(row)];
    for (const tool of TOOLS) {
      const r = mine.find((p) => p.tool === tool);
      cells.push(r ? peerTime(r) : "-", r ? formatRatio(r.ratio) : "-", r ? r.error.toExponential(1) : "-");
    }
    cells.push(info?.quoted?.pytorch ?? "", info?.quoted?.adolc ?? "");
    return cells;
  });
  return [markdownTable(header, body), "", ...notes(peers)].join("\n");
}
