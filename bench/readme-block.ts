// The README's benchmark block, generated from a committed bench record
// (bench/results/*-full.json) so the README cannot drift from a run: the
// date and machine, deriv's derivative rows against hand-written JavaScript,
// a one-line summary of the compiled primals, the peer table and the
// reverse-mode tape sizes. Pure text
// from the record; the file helpers below read bench/results/ and splice the
// block between the README's markers (bench/readme-table.ts writes it).

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { peerCatalog } from "./peers/catalog.js";
import type { PeerSizes } from "./peers/catalog.js";
import { formatPeers } from "./peers/format.js";
import type { BenchRecord, RowResult } from "./report.js";
import { formatRows } from "./report.js";
import { formatTapes } from "./tape-size.js";

export const BLOCK_BEGIN = "<!-- bench-table:begin -->";
export const BLOCK_END = "<!-- bench-table:end -->";

/** The peer sizes of full runs, for records made before peers were recorded. */
const FULL_PEER_SIZES: PeerSizes = { t4Sparse: 10_000, t4Dense: 10_000 };

/** A full run's file name: the date stamp then `-full.json` (not partial, not quick). */
const FULL_RECORD = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-full\.json$/;

/** The newest full record in `dir` (file names sort by date), or undefined. */
export function newestFullRecord(dir: string): string | undefined {
  const names = readdirSync(dir).filter((name) => FULL_RECORD.test(name)).sort();
  return names.length ? join(dir, names[names.length - 1]!) : undefined;
}

/** "H lo–hi" of each deriv case over the primal rows, e.g. "deriv 0.95–1.02". */
function primalSummary(rows: readonly RowResult[]): string {
  const primal = rows.filter((r) => r.measure === "primal" && !r.failure);
  const names = [...new Set(primal.flatMap((r) => Object.keys(r.ratios)))];
  const ranges = names.map((name) => {
    const ratios = primal.map((r) => r.ratios[name]).filter((x): x is number => x !== undefined);
    return `${name} ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
  });
  return `Compiled primals (${primal.map((r) => r.task).join(", ")}) against hand-written JavaScript, H: ${ranges.join(", ")}.`;
}

/** The machine line: date, record file, Node, cores, CPU and load if recorded. */
function runLine(record: BenchRecord, file: string): string {
  const date = `${record.date.slice(0, 10)} ${record.date.slice(11, 16)} UTC`;
  const load = record.load ? `, load average ${record.load.start[0]!.toFixed(2)} at the start and ${record.load.end[0]!.toFixed(2)} at the end` : "";
  return `Run of ${date} (\`bench/results/${file}\`): Node ${record.node.replace(/^v/, "")}, ${record.cores} cores (${record.cpu})${load}. Absolute times swing on these shared machines; read the ratios.`;
}

/** The block between the README's markers (without the markers). */
export function readmeBlock(record: BenchRecord, file: string): string {
  const derivRows = record.rows.filter((r) => r.measure !== "primal");
  const peers = record.peers ?? [];
  const peerTitle = peers.length
    ? "Peers, same run (H = peer / the hand-written derivative; max rel. err. = largest elementwise relative error against it, floor 1e-6 of its largest entry):"
    : "Peers: this run predates the peer measurements; only the PEERS.md figures are shown.";
  return [
    runLine(record, file),
    "",
    formatRows(derivRows),
    "",
    primalSummary(record.rows),
    "",
    peerTitle,
    "",
    formatPeers(peerCatalog(record.peerSizes ?? FULL_PEER_SIZES), peers, record.rows),
    ...(record.tapes?.length ? ["", "Reverse-mode tape per call, same run (the formula `deriv flops --tape` reports, at the task inputs):", "", formatTapes(record.tapes)] : []),
  ].join("\n");
}

/** The text between the markers of `readme`; throws if they are missing. */
export function extractBlock(readme: string): string {
  const begin = readme.indexOf(BLOCK_BEGIN);
  const end = readme.indexOf(BLOCK_END);
  if (begin < 0 || end < begin) throw new Error(`README: markers ${BLOCK_BEGIN} ... ${BLOCK_END} not found`);
  return readme.slice(begin + BLOCK_BEGIN.length, end).replace(/^\n/, "").replace(/\n$/, "");
}

/** `readme` with the text between the markers replaced by `block`. */
export function spliceBlock(readme: string, block: string): string {
  extractBlock(readme);
  const begin = readme.indexOf(BLOCK_BEGIN) + BLOCK_BEGIN.length;
  return readme.slice(0, begin) + "\n" + block + "\n" + readme.slice(readme.indexOf(BLOCK_END));
}
