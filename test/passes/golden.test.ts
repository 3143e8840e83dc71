// Golden fixtures of the passes: every test/passes/<pass>/<case>.ir starts
// with `// RUN: <pipeline>` and a comment saying what it checks. The pipeline
// runs with verify-each and the printed result is compared with
// <case>.out.ir (a vitest file snapshot: `npx vitest run test/passes -u`
// rewrites them, and a reviewer reads the diff). Each case also checks that
// the output runs exactly like the input in the reference interpreter on
// sample arguments (special values included) and that running the pipeline on
// its own output returns that output object unchanged.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExternFn } from "../../ir/interpreter.js";
import { parseIR } from "../../ir/parser.js";
import { printIR } from "../../ir/printer.js";
import type { Module } from "../../ir/types.js";
import { paramTypes } from "../../ir/types.js";
import { runPipeline } from "../../passes/pipeline.js";
import { outcome, sameOutcome, sampleArgs, showOutcome } from "./equiv.js";

const ROOT = new URL(".", import.meta.url).pathname;
const PASS_DIRS = ["simplify", "cse", "dce", "inline"];

/** Deterministic bindings for every extern of a fixture: result k is the sum of the arguments plus k. */
function externBindings(module: Module): Record<string, ExternFn> {
  return Object.fromEntries(
    module.externs.map((e) => {
      const fn: ExternFn = (...args) => {
        const s = args.reduce((a, b) => a + b, 0);
        return e.results.length === 1 ? s : e.results.map((_, k) => s + k);
      };
      return [e.name, fn];
    }),
  );
}

/** The `// RUN:` pipeline and the header lines (RUN + description) of a fixture. */
function header(text: string, file: string): { spec: string; lines: string } {
  const lines = text.split("\n");
  const run = /^\/\/ RUN: (.*)$/.exec(lines[0] ?? "");
  if (!run || !/^\/\/ \S/.test(lines[1] ?? "")) throw new Error(`${file}: must start with '// RUN: <pipeline>' and a '// <what it checks>' line`);
  return { spec: run[1]!.trim(), lines: `${lines[0]}\n${lines[1]}\n` };
}

for (const pass of PASS_DIRS) {
  const dir = join(ROOT, pass);
  const cases = readdirSync(dir)
    .filter((f) => f.endsWith(".ir") && !f.endsWith(".out.ir"))
    .sort();
  describe(`${pass} fixtures`, () => {
    it("has at least 10 cases", () => expect(cases.length).toBeGreaterThanOrEqual(10));
    it.each(cases)("%s", async (file) => {
      const path = join(dir, file);
      const text = readFileSync(path, "utf8");
      const { spec, lines } = header(text, file);
      const input = parseIR(text, { file: `test/passes/${pass}/${file}` });
      const output = runPipeline(input, spec, { out: () => {} });
      await expect(lines + printIR(output)).toMatchFileSnapshot(path.replace(/\.ir$/, ".out.ir"));

      expect(runPipeline(output, spec, { out: () => {} }), "a second run changes nothing").toBe(output);
      const externs = externBindings(input);
      for (const f of output.funcs) {
        const original = input.funcs.find((g) => g.name === f.name)!;
        for (const args of sampleArgs(paramTypes(original))) {
          const want = outcome(input, f.name, args, { externs });
          const got = outcome(output, f.name, args, { externs });
          expect(sameOutcome(got, want), `@${f.name}(${args.join(", ")}): want ${showOutcome(want)}, got ${showOutcome(got)}`).toBe(true);
        }
      }
    });
  });
}
