// The IR text parser: grammar corners, every error code with its message and
// location, recovery (every problem reported, one throw), robustness under
// mutated fixtures (fast-check), and speed on 10^5 instructions.

import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ErrorCode } from "../../ir/errors.js";
import { codeFrame, ERROR_CODES, ParseError } from "../../ir/errors.js";
import { readLiteral } from "../../ir/lexer.js";
import { MAX_PARSE_DIAGNOSTICS, parseIR } from "../../ir/parser.js";
import { printIR } from "../../ir/printer.js";

/** The ParseError thrown by parsing `text` (fails the test if none). */
function parseError(text: string, file?: string): ParseError {
  try {
    parseIR(text, file === undefined ? {} : { file });
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error("expected a ParseError");
}

/** [code, message, line, col] of every diagnostic. */
function problems(text: string): [ErrorCode, string, number, number][] {
  return parseError(text).diagnostics.map((d) => [d.code, d.message, d.location!.line, d.location!.col]);
}

const lines = (...ls: string[]): string => ls.join("\n") + "\n";

describe("grammar", () => {
  it("parses the empty module", () => {
    expect(parseIR("")).toEqual({ funcs: [], externs: [] });
    expect(parseIR("\n// nothing here\n\n")).toEqual({ funcs: [], externs: [] });
  });

  it("reads digit-string block and function names as names", () => {
    const m = parseIR(lines("func @12() -> () {", "^0:", "  br ^7", "^7:", "  ret", "}"));
    expect(m.funcs[0]!.name).toBe("12");
    expect(m.funcs[0]!.blocks.map((b) => b.name)).toEqual(["0", "7"]);
  });

  it("treats bare digit value names as unnamed and quoted ones as hints", () => {
    const m = parseIR(lines("func @f(%0: f64) -> f64 {", "^entry:", '  %"12": f64 = neg %0', "  %7: f64 = add %0, %12", "  ret %7", "}"));
    expect(m.funcs[0]!.values).toEqual([{ type: "f64" }, { type: "f64", name: "12" }, { type: "f64" }]);
    expect(m.funcs[0]!.blocks[0]!.insts[1]!.args).toEqual([0, 1]);
  });

  it("resolves forward references and numbers values and blocks in definition order", () => {
    const m = parseIR(lines("func @f(%x: f64) -> f64 {", "^entry:", "  br ^b", "^a:", "  %w: f64 = mul %v, %v", "  ret %w", "^b:", "  %v: f64 = neg %x", "  br ^a", "}"));
    const f = m.funcs[0]!;
    expect(f.values.map((v) => v.name)).toEqual(["x", "w", "v"]);
    expect(f.blocks.map((b) => b.name)).toEqual(["entry", "a", "b"]);
    expect(f.blocks[1]!.insts[0]!.args).toEqual([2, 2]);
    expect(f.blocks[0]!.term).toEqual({ kind: "br", target: { block: 2, args: [] } });
    expect(f.blocks[2]!.term).toEqual({ kind: "br", target: { block: 1, args: [] } });
  });

  it("skips comments anywhere and accepts CRLF and a missing final newline", () => {
    const text = "// header\r\nfunc @f(%x: f64) -> f64 { // opens\r\n// between\r\n^entry: // block\r\n  %y: f64 = neg %x // negate\r\n\r\n  ret %y\r\n} // end";
    expect(printIR(parseIR(text))).toBe(lines("func @f(%x: f64) -> f64 {", "^entry:", "  %y: f64 = neg %x", "  ret %y", "}"));
  });

  it("keeps // inside quoted names", () => {
    const m = parseIR(lines('func @"a//b"() -> () {', '^"c//d":', "  ret", "}"));
    expect(m.funcs[0]!.name).toBe("a//b");
    expect(m.funcs[0]!.blocks[0]!.name).toBe("c//d");
  });

  it("parses a function without blocks, externs in any order, ret without values and unreachable", () => {
    const m = parseIR(lines("func @empty() -> f64 {", "}", "extern @g(f64, f64[]) -> (f64, f64)", "func @h() -> () {", "^entry:", "  unreachable loc(2:3)", "}", "extern @k() -> ()"));
    expect(m.funcs.map((f) => f.name)).toEqual(["empty", "h"]);
    expect(m.funcs[0]!.blocks).toEqual([]);
    expect(m.externs).toEqual([
      { name: "g", params: ["f64", "f64[]"], results: ["f64", "f64"] },
      { name: "k", params: [], results: [] },
    ]);
    expect(m.funcs[1]!.blocks[0]!.term).toEqual({ kind: "unreachable", loc: { line: 2, col: 3 } });
  });

  it("decodes literals exactly", () => {
    const cases: [string, string, number][] = [
      ["f64", "-0.0", -0],
      ["f64", "nan", NaN],
      ["f64", "-inf", -Infinity],
      ["f64", "1e+21", 1e21],
      ["f64", "5e-324", 5e-324],
      ["f64", "0.1", 0.1],
      ["i32", "-0", -0],
      ["i32", "-2147483648", -2147483648],
      ["bool", "true", 1],
      ["bool", "false", 0],
    ];
    for (const [type, text, value] of cases) expect(readLiteral(type as "f64", text)).toEqual({ value });
  });
});

describe("errors", () => {
  const fn = (...body: string[]): string => lines("func @f(%x: f64) -> f64 {", "^entry:", ...body, "}");

  it.each<[string, string, ErrorCode, string, number, number]>([
    ["a missing ':'", lines("func @f(%x f64) -> f64 {", "^entry:", "  ret %x", "}"), "E_IR_SYNTAX", "expected ':', found 'f64'", 1, 12],
    ["an unknown op", fn("  %y: f64 = sine %x", "  ret %y"), "E_IR_UNKNOWN_OP", "unknown op 'sine'", 3, 13],
    ["an undefined value", fn("  %y: f64 = add %x, %z", "  ret %y"), "E_IR_UNDEFINED_VALUE", "value %z is used in @f but never defined", 3, 21],
    ["an undefined block", fn("  br ^nowhere(%x)"), "E_IR_UNDEFINED_BLOCK", "block ^nowhere is used in @f but never defined", 3, 6],
    ["a redefined value", fn("  %x: f64 = neg %x", "  ret %x"), "E_IR_REDEFINED", "value %x is already defined on line 1", 3, 3],
    ["a redefined block", fn("  br ^entry", "^entry:", "  ret %x"), "E_IR_REDEFINED", "block ^entry is already defined on line 2", 4, 1],
    ["an i32 literal out of range", fn("  %c: i32 = const 2147483648", "  ret %x"), "E_IR_LITERAL", "i32 literal '2147483648' is out of range [-2147483648, 2147483647]", 3, 19],
    ["an f64 literal without a point", fn("  %c: f64 = const 1", "  ret %c"), "E_IR_LITERAL", "f64 literal '1' needs a decimal point (write 1.0)", 3, 19],
    ["an f64 literal that overflows", fn("  %c: f64 = const 1e999", "  ret %c"), "E_IR_LITERAL", "f64 literal '1e999' is out of range (write inf or -inf)", 3, 19],
    ["an f64 literal that underflows", fn("  %c: f64 = const 1e-999", "  ret %c"), "E_IR_LITERAL", "f64 literal '1e-999' underflows to zero", 3, 19],
    ["a bool literal", fn("  %c: bool = const 1", "  ret %x"), "E_IR_LITERAL", "'1' is not a bool literal (true or false)", 3, 20],
    ["an i32 literal that is not an integer", fn("  %c: i32 = const nan", "  ret %x"), "E_IR_LITERAL", "i32 literal 'nan' is not an integer", 3, 19],
    ["a bad loc number", fn("  ret %x loc(1.5:2)"), "E_IR_LITERAL", "'1.5' is not a line or column number", 3, 14],
    ["an unknown type", fn("  %y: f32 = neg %x", "  ret %x"), "E_IR_SYNTAX", "unknown type 'f32'", 3, 7],
    ["a bad stack type", fn("  %s: stack<bool> = stack.new", "  ret %x"), "E_IR_SYNTAX", "unknown stack element type 'bool' (f64, i32 or f64[])", 3, 13],
    ["a name that needs quotes", lines("func @f.jvp() -> () {", "^entry:", "  ret", "}"), "E_IR_SYNTAX", `the name 'f.jvp' must be quoted: @"f.jvp"`, 1, 6],
    ["an empty name", fn('  %"": f64 = neg %x', "  ret %x"), "E_IR_SYNTAX", "a name cannot be empty", 3, 3],
    ["an unterminated quoted name", fn('  %"abc: f64 = neg %x', "  ret %x"), "E_IR_SYNTAX", "unterminated quoted name (quoted names end on the same line)", 3, 3],
    ["a malformed quoted name", fn('  %"a\\qb": f64 = neg %x', "  ret %x"), "E_IR_SYNTAX", 'malformed quoted name "a\\qb" (names are JSON strings)', 3, 3],
    ["a stray character", fn("  %y: f64 = neg %x #", "  ret %x"), "E_IR_SYNTAX", "unexpected character '#'", 3, 20],
    ["a control character", fn("  %y: f64 = neg %x \u0007", "  ret %x"), "E_IR_SYNTAX", "unexpected character U+0007", 3, 20],
    ["a malformed number", fn("  %y: f64 = const 1.2.3", "  ret %x"), "E_IR_SYNTAX", "malformed number '1.2.3'", 3, 19],
    ["a missing terminator", fn("  %y: f64 = neg %x", "^next:", "  ret %y"), "E_IR_SYNTAX", "block ^entry has no terminator", 4, 1],
    ["an instruction after the terminator", fn("  ret %x", "  %y: f64 = neg %x"), "E_IR_SYNTAX", "instruction after the terminator of block ^entry", 4, 3],
    ["an instruction before any block", lines("func @f(%x: f64) -> f64 {", "  ret %x", "}"), "E_IR_SYNTAX", "instruction before the first block header", 2, 3],
    ["entry block parameters", lines("func @f() -> f64 {", "^entry(%x: f64):", "  ret %x", "}"), "E_IR_SYNTAX", "the entry block's parameters belong in the function header", 2, 7],
    ["a terminator with results", fn("  %y: f64 = ret %x"), "E_IR_SYNTAX", "'ret' is a terminator and defines no values", 3, 13],
    ["trailing tokens", fn("  ret %x %x"), "E_IR_SYNTAX", "expected end of line, found '%x'", 3, 10],
    ["a missing operand", fn("  %y: f64 = add %x,", "  ret %y"), "E_IR_SYNTAX", "expected a value like %x, found end of line", 3, 20],
    ["parameters without blocks", lines("func @f(%x: f64) -> f64 {", "}"), "E_IR_SYNTAX", "function @f has parameters but no blocks", 2, 1],
    ["a missing '}'", lines("func @f() -> () {", "^entry:", "  ret"), "E_IR_SYNTAX", "function @f is missing its closing '}'", 4, 1],
    ["top-level junk", lines("fun @f() -> () {"), "E_IR_SYNTAX", "expected 'func' or 'extern', found 'fun'", 1, 1],
    ["a duplicate function", lines("extern @f() -> ()", "func @f() -> () {", "^entry:", "  ret", "}"), "E_IR_REDEFINED", "function @f is already defined on line 1", 2, 6],
  ])("reports %s", (_, text, code, message, line, col) => {
    expect(problems(text)).toEqual([[code, message, line, col]]);
  });

  it("puts the file name in locations and a code frame in each diagnostic", () => {
    const text = lines("func @f(%x: f64) -> f64 {", "^entry:", "  %y: f64 = sine %x", "  ret %y", "}");
    const e = parseError(text, "model.ir");
    expect(e.location).toEqual({ file: "model.ir", line: 3, col: 13 });
    expect(e.diagnostics[0]!.frame).toBe(codeFrame(text, { line: 3, col: 13 }));
    expect(e.message).toContain("model.ir:3:13: E_IR_UNKNOWN_OP: unknown op 'sine'");
  });

  it("reports every problem, in order of location, recovering at the next line and the next function", () => {
    const text = lines(
      "func @f(%x: f64) -> f64 {",
      "^entry:",
      "  %a: f64 = addd %x, %x",
      "  %b: f64 = add %a, %q",
      "  %c: i32 = const 1.5",
      "  ret %b",
      "}",
      "garbage line",
      "more garbage",
      "func @g(%x f64) -> f64 {",
      "^entry:",
      "  ret %nothing",
      "}",
      "func @h() -> () {",
      "^entry:",
      "  br ^missing",
      "}",
    );
    expect(problems(text)).toEqual([
      ["E_IR_UNKNOWN_OP", "unknown op 'addd'", 3, 13],
      ["E_IR_UNDEFINED_VALUE", "value %q is used in @f but never defined", 4, 21],
      ["E_IR_LITERAL", "i32 literal '1.5' is not an integer", 5, 19],
      ["E_IR_SYNTAX", "expected 'func' or 'extern', found 'garbage'", 8, 1],
      ["E_IR_SYNTAX", "expected ':', found 'f64'", 10, 12],
      ["E_IR_UNDEFINED_BLOCK", "block ^missing is used in @h but never defined", 16, 6],
    ]);
  });

  it("does not cascade after a broken line or block header", () => {
    // The broken terminator line does not also leave ^entry "without terminator";
    // the lines after the broken header ^b.c are not "outside a block".
    expect(problems(fn("  ret %x,", "^b.c:", "  %y: f64 = neg %x", "  ret %y"))).toEqual([
      ["E_IR_SYNTAX", "expected a value like %x, found end of line", 3, 10],
      ["E_IR_SYNTAX", `the name 'b.c' must be quoted: ^"b.c"`, 4, 1],
    ]);
  });

  it(`stops after ${MAX_PARSE_DIAGNOSTICS} diagnostics`, () => {
    const text = Array.from({ length: 2 * MAX_PARSE_DIAGNOSTICS }, (_, i) => fn(`  %y${i}: f64 = nop %x`, "  ret %x").replace("@f", `@f${i}`)).join("");
    expect(parseError(text).diagnostics).toHaveLength(MAX_PARSE_DIAGNOSTICS);
  });
});

describe("robustness", () => {
  const dir = new URL("./fixtures/", import.meta.url);
  const fixtures = readdirSync(dir)
    .filter((f) => f.endsWith(".ir"))
    .sort()
    .map((f) => readFileSync(new URL(f, dir), "utf8"));
  /** Quoted names, bare names and words, numbers, `->`, line breaks, blanks, single characters. */
  const TOKEN = /[%^@]?"(?:[^"\\\n]|\\.)*"|[%^@]?[-A-Za-z0-9_$.+]+|->|\r?\n|[ \t]+|[^]/g;
  const CHARS = [..."%^@\"(){}[]<>,:=-.\\/\n\r\t 0123456789eExyz_$é💥\u0000\u2028", "\ud800", "//", "->", "nan", "loc(", "f64", "i32", "br", "ret", "const"];

  type Mutation = { kind: "delete" | "duplicate" | "swap" | "insert"; i: number; j: number; ch: string };
  const mutation: fc.Arbitrary<Mutation> = fc.record({
    kind: fc.constantFrom("delete", "duplicate", "swap", "insert"),
    i: fc.nat(),
    j: fc.nat(),
    ch: fc.constantFrom(...CHARS),
  });

  function mutate(text: string, mutations: readonly Mutation[]): string {
    const toks = text.match(TOKEN) ?? [];
    for (const m of mutations) {
      if (toks.length === 0) break;
      const i = m.i % toks.length;
      const j = m.j % toks.length;
      if (m.kind === "delete") toks.splice(i, 1);
      else if (m.kind === "duplicate") toks.splice(i, 0, toks[i]!);
      else if (m.kind === "swap") [toks[i], toks[j]] = [toks[j]!, toks[i]!];
      else toks[i] = toks[i]!.slice(0, m.j % (toks[i]!.length + 1)) + m.ch + toks[i]!.slice(m.j % (toks[i]!.length + 1));
    }
    return toks.join("");
  }

  it("never throws anything but a located ParseError, and what parses prints stably", () => {
    let failures = 0;
    fc.assert(
      fc.property(fc.nat({ max: fixtures.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (k, ms) => {
        const text = mutate(fixtures[k]!, ms);
        let printed: string;
        try {
          printed = printIR(parseIR(text, { file: "m.ir" }), { locations: true });
        } catch (e) {
          if (!(e instanceof ParseError)) throw e;
          failures++;
          const textLines = text.split(/\r?\n/);
          for (const d of e.diagnostics) {
            expect(Object.keys(ERROR_CODES)).toContain(d.code);
            expect(d.code.startsWith("E_IR_")).toBe(true);
            const loc = d.location!;
            expect(loc.file).toBe("m.ir");
            expect(loc.line).toBeGreaterThanOrEqual(1);
            expect(loc.line).toBeLessThanOrEqual(textLines.length);
            expect(loc.col).toBeGreaterThanOrEqual(1);
            expect(loc.col).toBeLessThanOrEqual(textLines[loc.line - 1]!.length + 1);
            expect(d.frame).toContain("^");
          }
          return;
        }
        expect(printIR(parseIR(printed), { locations: true })).toBe(printed);
      }),
      { numRuns: 600 },
    );
    // Most mutations must break the text, or the property tests little.
    expect(failures).toBeGreaterThan(300);
  });
});

describe("size", () => {
  // Timing lives in `npm run bench`; this checks a 10^5-instruction input parses
  // (iteratively, no stack overflow) into the expected shape.
  it("parses 10^5 instructions", () => {
    const body: string[] = ["func @big(%x: f64) -> f64 {", "^entry:", "  %v0: f64 = const 1.5 loc(1:1)"];
    for (let i = 1; i < 100_000; i++) body.push(`  %v${i}: f64 = ${i % 3 === 0 ? "mul" : "add"} %v${i - 1}, %x`);
    body.push("  br ^next(%v99999)", '^next(%"r e s": f64):', '  ret %"r e s"', "}");
    const m = parseIR(lines(...body));
    expect(m.funcs[0]!.blocks[0]!.insts).toHaveLength(100_000);
    expect(m.funcs[0]!.blocks[1]!.params).toHaveLength(1);
  });
});
