// The README's benchmark block is generated (bench/readme-block.ts) from the
// newest committed full bench record: this test fails when they differ, so
// the README cannot drift from bench/results/. Regenerate with
// `npm run build && npm run bench:readme`.

import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { BLOCK_BEGIN, BLOCK_END, extractBlock, newestFullRecord, readmeBlock, spliceBlock } from "../../bench/readme-block.js";
import type { BenchRecord } from "../../bench/report.js";
import { repoRoot } from "../../bench/sources.js";

const root = repoRoot();
const newest = newestFullRecord(join(root, "bench", "results"));

describe("README benchmark block", () => {
  it("equals what npm run bench:readme generates from the newest full record", () => {
    expect(newest).toBeDefined();
    const record = JSON.parse(readFileSync(newest!, "utf8")) as BenchRecord;
    const readme = readFileSync(join(root, "README.md"), "utf8");
    expect(extractBlock(readme), "README out of date: npm run build && npm run bench:readme").toBe(readmeBlock(record, basename(newest!)));
  });

  it("names its record, date and machine", () => {
    const record = JSON.parse(readFileSync(newest!, "utf8")) as BenchRecord;
    const block = readmeBlock(record, basename(newest!));
    expect(block).toContain(`bench/results/${basename(newest!)}`);
    expect(block).toContain(record.date.slice(0, 10));
    expect(block).toContain(`${record.cores} cores (${record.cpu})`);
    expect(block).toContain("PEERS.md, not rerun");
  });

  it("splices a block between the markers and nothing else", () => {
    const readme = `intro\n${BLOCK_BEGIN}\nold\n${BLOCK_END}\noutro\n`;
    const spliced = spliceBlock(readme, "new\ntable");
    expect(spliced).toBe(`intro\n${BLOCK_BEGIN}\nnew\ntable\n${BLOCK_END}\noutro\n`);
    expect(extractBlock(spliced)).toBe("new\ntable");
    expect(spliceBlock(spliced, "new\ntable")).toBe(spliced);
    expect(() => spliceBlock("no markers", "x")).toThrow(/markers/);
  });
});
