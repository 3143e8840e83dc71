// Golden IR fixtures (test/ir/fixtures/*.ir). A fixture is a header followed
// by a body. The header is every leading line that is blank or a `//`
// comment: a one-sentence description first, then `// run:` directives
// (test/support/directives.ts). The body is a module in canonical printed
// form. Since the printer keeps no comments, the round-trip check compares
// `printIR(parseIR(fixture), { locations: true })` with the body alone, byte
// for byte. Each fixture must verify, and each run directive must hold in the
// reference interpreter, bit for bit. Expected values were derived by hand.

import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DerivRuntimeError } from "../../ir/errors.js";
import { interpret } from "../../ir/interpreter.js";
import { parseIR } from "../../ir/parser.js";
import { printIR } from "../../ir/printer.js";
import { verify } from "../../ir/verifier.js";
import { formatValue, parseRunDirectives, valuesEqualBitwise } from "../support/directives.js";

const DIR = new URL("./fixtures/", import.meta.url);
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith(".ir"))
  .sort();

/** Splits a fixture into its header lines and its body (see the file comment). */
function splitFixture(text: string): { header: string[]; body: string } {
  const lines = text.split("\n");
  let n = 0;
  while (n < lines.length && (lines[n]!.trim() === "" || lines[n]!.trimStart().startsWith("//"))) n++;
  return { header: lines.slice(0, n), body: lines.slice(n).join("\n") };
}

describe("run directives", () => {
  it("parse arguments, tuples, arrays, bools, quoted names and error codes", () => {
    const ds = parseRunDirectives(
      ["// a comment", "// run: @f(1.0, -0, [2.5, nan]) == (inf, [], true)", '  //run: @"g.h"() == -0.0', "// run: @k(false) error E_RUNTIME_BOUNDS", "// run: @n() == ()"].join("\n"),
    );
    expect(ds.map((d) => [d.fn, d.line])).toEqual([
      ["f", 2],
      ["g.h", 3],
      ["k", 4],
      ["n", 5],
    ]);
    expect(valuesEqualBitwise(ds[0]!.args, [1, -0, new Float64Array([2.5, NaN])])).toBe(true);
    expect(ds[0]!.expect).toEqual({ kind: "values", values: [Infinity, new Float64Array(0), true] });
    expect(Object.is((ds[1]!.expect as { values: number[] }).values[0], -0)).toBe(true);
    expect(ds[2]!.expect).toEqual({ kind: "error", code: "E_RUNTIME_BOUNDS" });
    expect(ds[3]!.expect).toEqual({ kind: "values", values: [] });
  });

  it("reject malformed directives", () => {
    expect(() => parseRunDirectives("// run: @f(1.0) = 2.0")).toThrow(/line 1: malformed run directive/);
    expect(() => parseRunDirectives("// run: @f([1]) == 2.0")).toThrow(/f64 literal/);
    expect(() => parseRunDirectives("// run: @f() error E_NOPE")).toThrow(/ERROR_CODES/);
    expect(() => parseRunDirectives("// run: @f() == 1.0 2.0")).toThrow(/end of the directive/);
  });

  it("compare bit for bit", () => {
    expect(valuesEqualBitwise(NaN, NaN)).toBe(true);
    expect(valuesEqualBitwise(0, -0)).toBe(false);
    expect(valuesEqualBitwise(1, true)).toBe(false);
    expect(valuesEqualBitwise(new Float64Array([NaN, -0]), new Float64Array([NaN, -0]))).toBe(true);
    expect(valuesEqualBitwise(new Float64Array([0]), new Float64Array([-0]))).toBe(false);
    expect(valuesEqualBitwise(new Float64Array([1]), [1])).toBe(false);
    expect(valuesEqualBitwise([1, [2]], [1, [2]])).toBe(true);
    expect(valuesEqualBitwise([1], [1, 2])).toBe(false);
  });
});

it("has at least 22 fixtures", () => {
  expect(FILES.length).toBeGreaterThanOrEqual(22);
});

describe.each(FILES)("%s", (file) => {
  const text = readFileSync(new URL(file, DIR), "utf8");
  const { header, body } = splitFixture(text);
  const directives = parseRunDirectives(text);

  it("opens with a one-sentence description and has run directives", () => {
    expect(header[0]).toMatch(/^\/\/ [A-Za-z].*\.$/);
    expect(header[0]).not.toMatch(/run:/);
    expect(directives.length).toBeGreaterThan(0);
  });

  it("round-trips byte for byte and verifies", () => {
    const module = parseIR(text, { file });
    expect(printIR(module, { locations: true })).toBe(body);
    verify(module);
  });

  it.each(directives.map((d) => [`line ${d.line}: ${d.text}`, d] as const))("%s", (_, d) => {
    const module = parseIR(text, { file });
    if (d.expect.kind === "values") {
      const got = interpret(module, d.fn, d.args);
      expect(valuesEqualBitwise(got, d.expect.values), `got ${formatValue(got)}, expected ${formatValue(d.expect.values)}`).toBe(true);
    } else {
      let thrown: unknown;
      try {
        interpret(module, d.fn, d.args);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(DerivRuntimeError);
      expect((thrown as DerivRuntimeError).code).toBe(d.expect.code);
    }
  });
});
