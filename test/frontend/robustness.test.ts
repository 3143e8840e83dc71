// The frontend never crashes on bad input and never overflows the stack on
// deep input: mutated valid programs and random token soup only ever produce
// a module that verifies or a DerivError located inside the input; deeply
// nested and very long functions compile (or, past what the TypeScript parser
// itself survives, end in E_TS_TOO_DEEP).

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseTS } from "../../frontend/index.js";
import { DerivError, UnsupportedError } from "../../ir/errors.js";
import { interpret } from "../../ir/interpreter.js";
import { verify } from "../../ir/verifier.js";
import { arbTSProgram } from "../gen/ts-gen.js";
import { compileTS } from "./support.js";

/** Fails unless `source` compiles to a verified module or throws a DerivError
 * whose diagnostics all point inside the input. */
function expectGraceful(source: string): void {
  let module;
  try {
    module = parseTS(source, { file: "fuzz.ts" });
  } catch (e) {
    if (!(e instanceof DerivError)) throw new Error(`parseTS threw ${String(e)} on:\n${source}`);
    const lines = source.split(/\r?\n/);
    expect(e.diagnostics.length).toBeGreaterThan(0);
    for (const d of e.diagnostics) {
      const loc = d.location!;
      expect(loc.file).toBe("fuzz.ts");
      expect(loc.line).toBeGreaterThanOrEqual(1);
      expect(loc.line).toBeLessThanOrEqual(lines.length);
      expect(loc.col).toBeGreaterThanOrEqual(1);
      expect(loc.col).toBeLessThanOrEqual(lines[loc.line - 1]!.length + 1);
    }
    return;
  }
  verify(module);
}

const TOKENS = [
  "function", "f", "g", "x", "y", "a", "(", ")", "{", "}", "[", "]", ";", ",", ":", "number", "number[]", "Float64Array", "boolean",
  "let", "const", "var", "=", "+=", "-=", "*=", "/=", "%=", "**=", "++", "--", "+", "-", "*", "/", "%", "**", "<", "<=", ">", ">=",
  "===", "!==", "==", "!=", "&&", "||", "!", "?", "?.", "...", "=>", "if", "else", "while", "do", "for", "of", "in", "break", "continue",
  "return", "new", "Array", "fill", "slice", "length", ".", "Math", "sin", "PI", "hypot", "stopGradient", "declare", "export", "class",
  "0", "1", "2.5", "-0", "1e308", "NaN", "Infinity", "true", "false", "null", "undefined", '"s"', "`t${x}`", "L:", "switch", "case",
  "\n", "\r\n", "\t", "//c\n", "/*c*/", "\u2028", "é", "#", "@", "\\",
];

describe("bad input never crashes the frontend", () => {
  test("mutated valid programs", () => {
    const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 6 }), token: fc.constantFrom(...TOKENS) });
    fc.assert(
      fc.property(arbTSProgram(120), fc.array(edit, { minLength: 1, maxLength: 4 }), (p, edits) => {
        let src = p.source;
        for (const e of edits) {
          const at = e.at % (src.length + 1);
          src = src.slice(0, at) + e.token + src.slice(at + e.del);
        }
        expectGraceful(src);
      }),
      { numRuns: 400 },
    );
  });

  test("random token soup", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), (tokens) => expectGraceful(tokens.join(" "))),
      { numRuns: 400 },
    );
  });

  test("token soup inside a function body", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }), (tokens) => expectGraceful(`function f(x: number, a: number[]): number {\n  ${tokens.join(" ")}\n  return x;\n}`)),
      { numRuns: 400 },
    );
  });
});

describe("deep and long input", () => {
  const nestedIf = (depth: number): string => `function f(x: number): number {\n  let s = 0;\n${"if (x > 0) {\ns += 1;\n".repeat(depth)}${"}\n".repeat(depth)}  return s;\n}`;

  test("a 10,000-deep nested if compiles or ends in E_TS_TOO_DEEP inside the input", () => {
    const src = nestedIf(10_000);
    try {
      const m = compileTS(src);
      expect(interpret(m, "f", [1])).toEqual([10_000]);
    } catch (e) {
      expect(e).toBeInstanceOf(DerivError);
      const err = e as DerivError;
      expect(err.code).toBe("E_TS_TOO_DEEP");
      expect(err.location!.line).toBeGreaterThan(1);
      expect(err.location!.line).toBeLessThanOrEqual(src.split("\n").length);
      expect(err.diagnostics[0]!.frame).toContain("^");
    }
  });

  test("a 1,000-deep nested if (within the TypeScript parser's reach) compiles and runs", () => {
    const m = compileTS(nestedIf(1_000));
    expect(interpret(m, "f", [1])).toEqual([1_000]);
    expect(interpret(m, "f", [-1])).toEqual([0]);
  });

  test("a 100,000-statement function compiles and runs", () => {
    const src = `function f(x: number): number {\n  let s = 0;\n${"  s = s + x;\n".repeat(100_000)}  return s;\n}`;
    const m = compileTS(src);
    expect(interpret(m, "f", [0.5])).toEqual([50_000]);
  });

  // TypeScript's own parser recurses on else-if chains and nested ternaries;
  // how deep it gets depends on the stack left when parseTS is called.
  test("a 1,000-long else-if chain, a 1,000-deep ternary and a 20,000-term sum compile and run", () => {
    const chain = `function f(x: number): number {\n  let s = 0;\n  ${Array.from({ length: 1000 }, (_, i) => `if (x === ${i}) { s = ${i * 2}; } else `).join("")}{ s = -1; }\n  return s;\n}`;
    const m = compileTS(chain);
    expect([interpret(m, "f", [999]), interpret(m, "f", [0]), interpret(m, "f", [0.5])]).toEqual([[1998], [0], [-1]]);
    const ternary = `function f(x: number): number {\n  return ${Array.from({ length: 1000 }, (_, i) => `x === ${i} ? ${i + 1} : `).join("")}0;\n}`;
    expect(interpret(compileTS(ternary), "f", [234])).toEqual([235]);
    const sum = `function f(x: number): number {\n  return ${Array(20_000).fill("x").join(" + ")};\n}`;
    expect(interpret(compileTS(sum), "f", [0.25])).toEqual([5000]);
  });

  test("a 3,000-long else-if chain compiles correctly or ends in E_TS_TOO_DEEP", () => {
    const chain = `function f(x: number): number {\n  let s = 0;\n  ${Array.from({ length: 3000 }, (_, i) => `if (x === ${i}) { s = ${i * 2}; } else `).join("")}{ s = -1; }\n  return s;\n}`;
    try {
      expect(interpret(compileTS(chain), "f", [2999])).toEqual([5998]);
    } catch (e) {
      expect(e).toBeInstanceOf(UnsupportedError);
      expect((e as UnsupportedError).code).toBe("E_TS_TOO_DEEP");
    }
  });

  test("200 nested loops compile", () => {
    const depth = 200;
    const open = Array.from({ length: depth }, (_, i) => `for (let i${i} = 0; i${i} < ${i < 3 ? 2 : 1}; i${i}++) {\n`).join("");
    const m = compileTS(`function f(x: number): number {\n  let s = x;\n${open}s = s + 1;\n${"}\n".repeat(depth)}  return s;\n}`);
    expect(interpret(m, "f", [1])).toEqual([9]);
  });
});
