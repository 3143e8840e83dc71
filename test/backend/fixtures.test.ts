// Every IR fixture (test/ir/fixtures/*.ir) compiled to JavaScript: each
// `// run:` directive must hold bit for bit in the compiled code (values or
// error code), and the compiled code must agree with the interpreter,
// including the location of a runtime error and the caller's arrays staying
// unchanged.

import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../../backend/index.js";
import { DerivRuntimeError } from "../../ir/errors.js";
import { parseIR } from "../../ir/parser.js";
import { findFunc } from "../../ir/types.js";
import { formatValue, parseRunDirectives, valuesEqualBitwise } from "../support/directives.js";
import { expectAgrees } from "./support.js";

const DIR = new URL("../ir/fixtures/", import.meta.url);
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith(".ir"))
  .sort();

it("finds the IR fixtures", () => {
  expect(FILES.length).toBeGreaterThanOrEqual(20);
});

describe.each(FILES)("%s", (file) => {
  const text = readFileSync(new URL(file, DIR), "utf8");
  const directives = parseRunDirectives(text);
  it.each(directives.map((d) => [`line ${d.line}: ${d.text}`, d] as const))("%s", (_, d) => {
    const module = parseIR(text, { file });
    const fns = compile(module);
    const n = findFunc(module, d.fn)!.results.length;
    if (d.expect.kind === "values") {
      const r = fns[d.fn]!(...d.args);
      const got = n === 0 ? [] : n === 1 ? [r] : r;
      expect(valuesEqualBitwise(got, d.expect.values), `got ${formatValue(got)}, expected ${formatValue(d.expect.values)}`).toBe(true);
    } else {
      let thrown: unknown;
      try {
        fns[d.fn]!(...d.args);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(DerivRuntimeError);
      expect((thrown as DerivRuntimeError).code).toBe(d.expect.code);
    }
    expectAgrees(module, d.fn, parseRunDirectives(text).find((x) => x.line === d.line)!.args);
  });
});
