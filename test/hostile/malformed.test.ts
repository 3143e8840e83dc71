// Malformed IR, TypeScript and pipeline text only ever produce the documented
// DerivError for their stage (DESIGN.md §7): one representative per error
// class with its exact class and code, then random damage (token edits of
// generated IR and TypeScript) where every error must be of the stage's
// classes with a documented code, and whatever still parses and verifies must
// survive the optimisation pipeline and compilation without a crash.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, DerivError, ERROR_CODES, parseIR, parseTS, PipelineError, printIR, runPipeline, UnsupportedError, verify, VerifyError } from "../../index.js";
import { ParseError } from "../../ir/errors.js";
import { arbModule } from "../gen/ir-gen.js";
import { arbTSProgram } from "../gen/ts-gen.js";

type ErrorClass = abstract new (...args: never[]) => DerivError;

/** Runs `f` and returns what it threw (undefined if nothing). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

function expectError(f: () => unknown, cls: ErrorClass, code: string): void {
  const e = thrown(f);
  expect(e, "no error").toBeInstanceOf(cls);
  expect((e as DerivError).code).toBe(code);
}

const parseAndVerify = (text: string): void => verify(parseIR(text));
const F = (body: string): string => `func @f(%x: f64) -> f64 {\n^entry:\n${body}\n}`;

describe("one malformed input per error code", () => {
  const IR: [string, string, ErrorClass, string][] = [
    ["unterminated function", "func @f(%x: f64) -> f64 {\n^entry:\n", ParseError, "E_IR_SYNTAX"],
    ["unknown op", F("  %y: f64 = frobnicate %x\n  ret %y"), ParseError, "E_IR_UNKNOWN_OP"],
    ["undefined value", F("  ret %nope"), ParseError, "E_IR_UNDEFINED_VALUE"],
    ["undefined block", F("  br ^nowhere"), ParseError, "E_IR_UNDEFINED_BLOCK"],
    ["value defined twice", F("  %y: f64 = neg %x\n  %y: f64 = neg %x\n  ret %y"), ParseError, "E_IR_REDEFINED"],
    ["i32 literal out of range", F("  %k: i32 = const 1e99\n  ret %x"), ParseError, "E_IR_LITERAL"],
    ["operand type", F("  %k: i32 = const 1\n  %y: f64 = add %x, %k\n  ret %y"), VerifyError, "E_VERIFY_TYPE"],
    ["use not dominated", F("  %c: bool = gt %x, %x\n  condbr %c, ^a, ^b\n^a:\n  %y: f64 = neg %x\n  br ^b\n^b:\n  ret %y"), VerifyError, "E_VERIFY_DOMINANCE"],
    ["edge arity", F("  br ^b(%x, %x)\n^b(%y: f64):\n  ret %y"), VerifyError, "E_VERIFY_EDGE"],
    ["return type", F("  %k: i32 = const 1\n  ret %k"), VerifyError, "E_VERIFY_RETURN"],
    ["unknown callee", F("  %y: f64 = call @g(%x)\n  ret %y"), VerifyError, "E_VERIFY_CALL"],
  ];
  for (const [what, text, cls, code] of IR) it(`IR: ${what} -> ${cls.name} ${code}`, () => expectError(() => parseAndVerify(text), cls, code));

  const TS: [string, string, ErrorClass, string][] = [
    ["syntax error", "function f(x: number): number { return x +; }", ParseError, "E_TS_SYNTAX"],
    ["class", "class A {}\nfunction f(x: number): number { return x; }", UnsupportedError, "E_TS_UNSUPPORTED"],
    ["undeclared name", "function f(x: number): number { return y; }", UnsupportedError, "E_TS_UNDEFINED"],
    ["string parameter", "function f(x: string): number { return 1; }", UnsupportedError, "E_TS_UNSUPPORTED"],
    ["boolean arithmetic", "function f(x: number): number { const b = x > 0; return b + 1; }", UnsupportedError, "E_TS_TYPE"],
  ];
  for (const [what, text, cls, code] of TS) it(`TypeScript: ${what} -> ${cls.name} ${code}`, () => expectError(() => parseTS(text), cls, code));

  const module = parseTS("function f(x: number): number { return x * x; }");
  const PIPELINES: [string, string][] = [
    ["rev-ad{fn=f", "E_PIPELINE_SYNTAX"],
    ["no-such-pass", "E_PIPELINE_UNKNOWN_PASS"],
    ["rev-ad{fn=f bogus=1}", "E_PIPELINE_OPTION"],
    ["rev-ad{fn=nope}", "E_PIPELINE_PASS_FAILED"],
  ];
  for (const [text, code] of PIPELINES) it(`pipeline "${text}" -> PipelineError ${code}`, () => expectError(() => runPipeline(module, text, { out: () => {} }), PipelineError, code));
});

/** Applies token edits (insert `token` at `at`, deleting `del` characters). */
function damage(text: string, edits: readonly { at: number; del: number; token: string }[]): string {
  let s = text;
  for (const e of edits) {
    const at = e.at % (s.length + 1);
    s = s.slice(0, at) + e.token + s.slice(at + e.del);
  }
  return s;
}

const editsOf = (tokens: readonly string[]) => fc.array(fc.record({ at: fc.nat(), del: fc.nat({ max: 8 }), token: fc.constantFrom(...tokens) }), { minLength: 1, maxLength: 4 });

/** Fails unless `e` is a DerivError of one of `classes` with a documented code. */
function expectDocumented(e: unknown, classes: readonly ErrorClass[], input: string): void {
  if (!(e instanceof DerivError)) throw new Error(`threw ${String(e)} on:\n${input}`);
  expect(classes.some((c) => e instanceof c), `${e.name} ${e.code}`).toBe(true);
  expect(Object.keys(ERROR_CODES)).toContain(e.code);
}

const IR_TOKENS = ["%x", "%0", "^entry", "^bb1", "@f0", '@"f.1"', ":", "=", ",", "(", ")", "{", "}", "f64", "i32", "bool", "f64[]", "stack<f64>", "const", "add", "mul", "br", "condbr", "ret", "call", "array.get", "unreachable", "1e999", "nan", "-0.0", "0x1p3", '"', "\\", "loc(", "\n", "//", "->", "func", "extern", ""];
const TS_TOKENS = ["function", "(", ")", "{", "}", "[", "]", ";", ",", ":", "number", "number[]", "let", "const", "=", "+", "**", "<", ">", "?", "if", "else", "for", "while", "break", "continue", "return", "new", "Array", ".", "Math", "class", "1e999", "NaN", '"s"', "`t${x}`", "\n", "\u2028", "\\", ""];

describe("random damage", () => {
  it("damaged IR: ParseError or VerifyError; what verifies survives passes and compilation", () => {
    fc.assert(
      fc.property(arbModule({ externs: false }), editsOf(IR_TOKENS), (m, edits) => {
        const text = damage(printIR(m), edits);
        const e = thrown(() => {
          const damaged = parseIR(text);
          verify(damaged);
          compile(runPipeline(damaged, "simplify,cse,dce,inline", { out: () => {} }));
        });
        if (e !== undefined) expectDocumented(e, [ParseError, VerifyError], text);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it("damaged TypeScript: ParseError or UnsupportedError with an E_TS_* code", () => {
    fc.assert(
      fc.property(arbTSProgram(120), editsOf(TS_TOKENS), (p, edits) => {
        const text = damage(p.source, edits);
        const e = thrown(() => parseTS(text));
        if (e === undefined) return;
        expectDocumented(e, [ParseError, UnsupportedError], text);
        expect((e as DerivError).code).toMatch(/^E_TS_/);
      }),
      { numRuns: 300, seed: 12 },
    );
  });
});
