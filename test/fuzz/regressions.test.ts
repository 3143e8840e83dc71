// Every bug the fuzzer found, as a fixture under test/fuzz/regressions/
// (`.ts` or `.ir`, in the format the runner prints for a minimised case):
// each must now pass every check of the engine.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCaseText } from "./cases.js";
import { checkCase, newTally } from "./engine.js";

const DIR = join(import.meta.dirname, "regressions");

// Open bugs in files this suite may not fix (reported to the lead; engine.ts
// OPEN_BUGS lets batches skip AD on cases that match them): marked `it.fails`
// to keep the suite green; the mark must go with the fix.
const OPEN: Record<string, string> = {};

describe("fuzz regressions", () => {
  const files = readdirSync(DIR).filter((f) => /\.(ts|ir)$/.test(f)).sort();
  it("the fixture folder holds every open bug's fixture", () => {
    for (const name of Object.keys(OPEN)) expect(files).toContain(name);
  });
  for (const file of files) {
    (OPEN[file] ? it.fails : it)(file, () => {
      const c = parseCaseText(readFileSync(join(DIR, file), "utf8"), file.endsWith(".ts") ? "ts" : "ir");
      checkCase(c, newTally(), false);
    });
  }
});
