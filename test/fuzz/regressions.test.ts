// Every bug the fuzzer found, as a fixture under test/fuzz/regressions/
// (`.ts` or `.ir`, in the format the runner prints for a minimised case):
// each must now pass every check of the engine.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCaseText } from "./cases.js";
import { checkCase, newTally } from "./engine.js";

const DIR = join(import.meta.dirname, "regressions");

describe("fuzz regressions", () => {
  const files = readdirSync(DIR).filter((f) => /\.(ts|ir)$/.test(f)).sort();
  it("the fixture folder is not empty", () => expect(files.length).toBeGreaterThan(0));
  for (const file of files) {
    it(file, () => {
      const c = parseCaseText(readFileSync(join(DIR, file), "utf8"), file.endsWith(".ts") ? "ts" : "ir");
      checkCase(c, newTally());
    });
  }
});
