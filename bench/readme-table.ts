// `npm run bench:readme` (`node dist/bench/readme-table.js [record.json]`):
// rewrites the README's benchmark block (between `<!-- bench-table:begin -->`
// and `<!-- bench-table:end -->`) from a bench record, by default the newest
// bench/results/*-full.json. Touches only that block of README.md.

import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { newestFullRecord, readmeBlock, spliceBlock } from "./readme-block.js";
import type { BenchRecord } from "./report.js";
import { repoRoot } from "./sources.js";

const root = repoRoot();
const path = process.argv[2] ?? newestFullRecord(join(root, "bench", "results"));
if (!path) throw new Error("bench:readme: no bench/results/*-full.json; run `npm run bench` first");
const record = JSON.parse(readFileSync(path, "utf8")) as BenchRecord;
const readmePath = join(root, "README.md");
writeFileSync(readmePath, spliceBlock(readFileSync(readmePath, "utf8"), readmeBlock(record, basename(path))));
console.log(`README.md: benchmark block from ${basename(path)}`);
