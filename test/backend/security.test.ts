// Generated JavaScript contains no text of its input: hostile names (quotes,
// backticks, comment ends, template holes, newlines, `</script>`, U+2028 and
// U+2029) in functions, blocks, values, externs and location file names,
// routed through the IR text format and through the TypeScript frontend,
// compile and run without executing anything (a canary global stays unset),
// and never appear in the generated source. Numeric literals round-trip
// exactly through the numeric formatter.

import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { compile, emitJS } from "../../backend/index.js";
import { commentSafe, jsNumber } from "../../backend/js-text.js";
import { parseTS } from "../../frontend/index.js";
import { parseIR } from "../../ir/parser.js";
import { verify } from "../../ir/verifier.js";
import { HOSTILE_NAMES } from "../support/hostile-names.js";

const HOSTILE = HOSTILE_NAMES;

/** Asserts that the payload occurs in `js` only inside sanitised `// @name` comments. */
function expectInert(js: string): void {
  for (const line of js.split("\n")) if (line.includes("__derivCanary")) expect(line).toMatch(/^\s*\/\/ @[A-Za-z0-9_.$-]*$/);
  expect(js).not.toMatch(/[\u2028\u2029]|<\/script|\$\{/);
}

afterEach(() => {
  delete globalThis.__derivCanary;
});

/** A module whose every name is `name` (quoted in the text format). */
function hostileModule(name: string): string {
  const q = JSON.stringify(name);
  const e = JSON.stringify(name + "!");
  return `extern @${e}(f64) -> f64

func @${q}(%${q}: f64, %xs: f64[]) -> f64 {
^entry:
  %one: f64 = const 1.0 loc(${q}:1:1)
  %${JSON.stringify(name + "2")}: f64 = call.extern @${e}(%${q}) loc(${q}:2:1)
  br ^${q}(%one)
^${q}(%${JSON.stringify(name + "3")}: f64):
  %zero: i32 = const 0
  %x: f64 = array.get %xs, %zero loc(${q}:3:1)
  %s: f64 = add %x, %${JSON.stringify(name + "3")}
  ret %s
}
`;
}

describe("hostile names through the IR text format", () => {
  it.each(HOSTILE.map((h) => [JSON.stringify(h), h] as const))("%s", (_, name) => {
    const module = parseIR(hostileModule(name), { file: name });
    verify(module);
    const js = emitJS(module, { externs: { [name + "!"]: (x: number) => x } });
    expectInert(js);
    if (/[^A-Za-z0-9_.$-]/.test(name)) expect(js).not.toContain(name.trim());
    const f = compile(module, { externs: { [name + "!"]: (x: number) => x + 1 } });
    expect(Object.keys(f)).toEqual([name]);
    expect(f[name]!(1, [5])).toBe(6);
    expect(() => f[name]!(1, [])).toThrow(/E_RUNTIME_BOUNDS/);
    expect(globalThis.__derivCanary).toBeUndefined();
  });
});

describe("hostile names through the TypeScript frontend", () => {
  // Identifiers cannot hold quotes, but unicode escapes, `$` and names of
  // Object.prototype members can; file names can hold anything.
  const SOURCE = `
declare function \\u0024eval(x: number): number;
function constructor(x: number): number { return toString(x) + 1; }
function toString(x: number): number { return \\u0024eval(x) * 2; }
function __proto__(xs: number[]): number { return xs[0]; }
`;
  it.each(HOSTILE.map((h) => [JSON.stringify(h), h] as const))("file name %s", (_, file) => {
    const module = parseTS(SOURCE, { file });
    const js = emitJS(module);
    expectInert(js);
    const f = compile(module, { externs: { $eval: (x: number) => x - 1 } });
    expect(Object.keys(f).sort()).toEqual(["__proto__", "constructor", "toString"]);
    expect(f.constructor!(3)).toBe(5);
    expect(f.__proto__!([4])).toBe(4);
    expect(() => f.__proto__!([])).toThrow(/E_RUNTIME_BOUNDS/);
    expect(globalThis.__derivCanary).toBeUndefined();
  });
});

describe("literals and comments", () => {
  it("prints every f64 so that it evaluates to the same bits", () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        expect(Object.is(new Function(`return ${jsNumber(x)};`)(), x)).toBe(true);
        expect(Object.is(new Function("y", `return y - ${jsNumber(x)};`)(0), 0 - x)).toBe(true);
      }),
      { numRuns: 500 },
    );
    for (const x of [NaN, Infinity, -Infinity, -0, 0, 5e-324, -Number.MAX_VALUE]) expect(Object.is(new Function(`return ${jsNumber(x)};`)(), x)).toBe(true);
  });

  it("keeps only a safe alphabet in comments", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(commentSafe(s)).toMatch(/^[A-Za-z0-9_.$-]*$/);
      }),
    );
    expect(commentSafe("f.jvp")).toBe("f.jvp");
  });
});
