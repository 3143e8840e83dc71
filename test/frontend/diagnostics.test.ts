// Golden diagnostics: each construct outside the subset is rejected with its
// documented code, message and line:col, with a code frame whose caret sits
// under the location, all problems of a file together in one DerivError.

import { describe, expect, test } from "vitest";
import { parseTS } from "../../frontend/index.js";
import { DerivError, ParseError, UnsupportedError } from "../../ir/errors.js";
import { DIAG_CASES } from "./diag-cases.js";

function diagnose(src: string): DerivError {
  try {
    parseTS(src, { file: "bad.ts" });
  } catch (e) {
    if (e instanceof DerivError) return e;
    throw e;
  }
  throw new Error("expected a DerivError");
}

describe("unsupported constructs produce the documented diagnostics", () => {
  test("there are at least 25 cases", () => expect(DIAG_CASES.length).toBeGreaterThanOrEqual(25));
  for (const c of DIAG_CASES) {
    test(c.name, () => {
      const err = diagnose(c.src);
      expect(err.diagnostics.map((d) => `${d.location!.line}:${d.location!.col} ${d.code} ${d.message}`)).toEqual(c.want);
      expect(err).toBeInstanceOf(err.code === "E_TS_SYNTAX" ? ParseError : UnsupportedError);
      expect(err.stage).toBe("frontend");
      expect(err.location).toEqual(err.diagnostics[0]!.location);
      for (const d of err.diagnostics) {
        expect(d.location!.file).toBe("bad.ts");
        const lines = d.frame!.split("\n");
        const at = lines.findIndex((l) => l.startsWith(">"));
        const caret = lines[at + 1]!;
        const gutter = lines[at]!.indexOf("| ") + 2;
        expect(lines[at]).toContain(`${d.location!.line} | `);
        expect(caret.indexOf("^") - gutter + 1).toBe(d.location!.col);
      }
    });
  }
});

test("the message of the error shows file, position, code and frame", () => {
  const err = diagnose(`function f(x: number): number {\n  return x | 1;\n}`);
  expect(err.message).toBe(["bad.ts:2:12: E_TS_UNSUPPORTED: unsupported: operator '|' (bitwise operators are not in the subset)", "  1 | function f(x: number): number {", "> 2 |   return x | 1;", "    |            ^"].join("\n"));
});
