// Every construct of the subset (DESIGN.md §6): compile, verify, run in the
// reference interpreter and compare bit for bit with the original TypeScript
// evaluated by Node on the same inputs (NaN, -0 and infinities included).

import { describe, expect, test } from "vitest";
import { DerivRuntimeError } from "../../ir/errors.js";
import { printIR } from "../../ir/printer.js";
import { findFunc } from "../../ir/types.js";
import { compileTS, expectSameAsJS, runIR, type Arg } from "./support.js";

/** Scalars that exercise IEEE corner cases. */
const SPECIAL = [0, -0, 1, -1, 2.5, -3.75, 7, 0.5, 1e-300, 1e300, Infinity, -Infinity, NaN];
const pairs = (xs: readonly number[]): number[][] => xs.flatMap((x) => xs.map((y) => [x, y]));
const ARRAYS: readonly (readonly number[])[] = [[], [1], [3, -1, 2], [0.5, -0, NaN, 4, -2.25], [1e300, -1e300, 7, 7, 0]];

interface Case {
  readonly name: string;
  readonly src: string;
  readonly fn: string;
  readonly inputs: readonly (readonly Arg[])[];
}

const CASES: readonly Case[] = [
  {
    name: "arithmetic, unary minus and plus, precedence",
    src: `function f(x: number, y: number): number { return -x + +y * 2 - x / y % 3 ** 2 + 2 ** 3 ** 2 - -(x - y); }`,
    fn: "f",
    inputs: pairs(SPECIAL),
  },
  {
    name: "remainder and division with integers (always f64 results)",
    src: `function f(x: number): number { const a = 7; const b = -7; return a / 2 + b % 3 + a % x + x % b + (a * b) / (a - 7); }`,
    fn: "f",
    inputs: SPECIAL.map((x) => [x]),
  },
  {
    name: "comparisons, all operators",
    src: `function f(x: number, y: number): number {
  return (x < y ? 1 : 0) + (x <= y ? 2 : 0) + (x > y ? 4 : 0) + (x >= y ? 8 : 0)
    + (x === y ? 16 : 0) + (x !== y ? 32 : 0) + (x == y ? 64 : 0) + (x != y ? 128 : 0);
}`,
    fn: "f",
    inputs: pairs([0, -0, 1, -1, NaN, Infinity]),
  },
  {
    name: "&& || ! short-circuit with effects on the right",
    src: `function f(x: number, y: number): number {
  let c = 0;
  const t = (x > 0 && (c += 1) > 0) || (y > 0 && (c += 10) > 0);
  const u = !(x < y) || (c *= 3) > 100;
  if (x > 0 && y > 0 || !(x === y) && (c -= 100) < 0) c += 1000;
  return c + (t ? 0.5 : 0) + (u ? 0.25 : 0);
}`,
    fn: "f",
    inputs: pairs([0, 1, -1, NaN]),
  },
  {
    name: "booleans as values, compared and negated",
    src: `function f(x: number, y: number): number {
  const b = x > 0;
  const c = y > 0;
  let d: boolean = true;
  d = !d;
  const e = b && c;
  const g = b || c;
  let r = 0;
  if (b === c) r += 1;
  if (b !== d) r += 2;
  if (e == g) r += 4;
  if (e != c) r += 8;
  if (d) r += 16;
  return r + (g ? 32 : 0);
}`,
    fn: "f",
    inputs: pairs([1, -1, 0, NaN]),
  },
  {
    name: "ternaries: cheap (select) and with effects or calls (control flow)",
    src: `function f(x: number, y: number): number {
  let n = 0;
  const a = x > y ? x : y;
  const b = x > 0 ? Math.sqrt(x) : -x;
  const c = x > 1 ? (n += 1) : (n -= 1);
  const d = x < y ? (y < 0 ? 1 : 2) : 3;
  const e = x > 0 ? x > y : y > x;
  return a + b + c + d + n + (e ? 10 : 20);
}`,
    fn: "f",
    inputs: pairs(SPECIAL),
  },
  {
    name: "if/else chains and nested ifs",
    src: `function f(x: number): number {
  let r = 0;
  if (x < -1) r = 1;
  else if (x < 0) { r = 2; }
  else if (x === 0) { if (1 / x < 0) r = 3; else r = 4; }
  else { r = 5; if (x > 10) { r = r * 2; } }
  return r;
}`,
    fn: "f",
    inputs: SPECIAL.map((x) => [x]),
  },
  {
    name: "while, do/while, for with comma expressions",
    src: `function f(n: number): number {
  let s = 0;
  let i = 0;
  while (i < n) { s += i; i++; }
  let k = 0;
  do { s = s * 2 + 1; k += 1; } while (k < n);
  for (let a = 0, b = 10; a < b; a++, b--) s += a * b;
  for (;;) { s -= 1; if (s < 50) break; }
  return s;
}`,
    fn: "f",
    inputs: [[0], [1], [3], [5.5], [-2], [NaN]],
  },
  {
    name: "for...of, break, continue, labelled break and continue",
    src: `function f(xs: number[]): number {
  let s = 0;
  for (const x of xs) { if (x < 0) continue; if (x > 100) break; s += x; }
  outer: for (let i = 0; i < 4; i++) {
    inner: for (let j = 0; j < 4; j++) {
      if (j === i) continue outer;
      if (i * j > 5) break outer;
      if (j > 2) break inner;
      s += i - j;
    }
  }
  block: { if (s > 3) break block; s = -s; }
  let k = 0;
  loop: while (true) { k++; do { k += 2; if (k > 20) break loop; if (k % 3 === 0) continue loop; } while (k < 10); }
  return s + k;
}`,
    fn: "f",
    inputs: ARRAYS.map((a) => [a]),
  },
  {
    name: "early return, also inside loops",
    src: `function f(x: number, xs: number[]): number {
  if (x < 0) return -1;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] === x) return i;
    while (true) { if (xs[i] > 1000) return 1000; break; }
  }
  return xs.length + 0.5;
}`,
    fn: "f",
    inputs: [[-1, [1, 2]], [2, [3, -1, 2]], [7, [1e300, 7]], [0, []], [NaN, [NaN]]],
  },
  {
    name: "const, let, assignment chains and block scoping",
    src: `function f(x: number): number {
  const a = x * 2;
  let b = 0;
  let c = 0;
  b = c = a + 1;
  let y = 1;
  { let y = 2; y++; b += y; }
  { const y = 10; c -= y; }
  let u: number;
  if (x > 0) u = 1; else u = 2;
  return b + c + y + u;
}`,
    fn: "f",
    inputs: SPECIAL.map((x) => [x]),
  },
  {
    name: "compound assignment on variables and array elements",
    src: `function f(x: number, y: number): number {
  let a = x; a += y; a -= 1.5; a *= y; a /= 3; a %= 7; a **= 0.5;
  const arr = [x, y, 1, 2, 3, 4];
  arr[0] += y; arr[1] -= x; arr[2] *= y; arr[3] /= x; arr[4] %= y; arr[5] **= x;
  let i = 1; i += 2; i *= 3; i -= 4;
  return a + arr[0] + arr[1] + arr[2] + arr[3] + arr[4] + arr[5] + i;
}`,
    fn: "f",
    inputs: pairs([0, -0, 1.5, -2, 3, NaN]),
  },
  {
    name: "++ and --, prefix and postfix, statements and expressions, variables and elements",
    src: `function f(x: number): number {
  let i = 0; i++; ++i; i--;
  let y = x;
  const a = y++ + ++y;
  const b = y-- - --y;
  const arr = [x, 2, 3];
  arr[0]++; ++arr[1]; arr[2]--;
  const c = arr[0]++ * --arr[1];
  let k = 0;
  const arr2 = [10, 20, 30];
  arr2[k++] += 5;
  return i + y + a + b + c + arr[0] + arr[1] + arr[2] + k + arr2[0] + arr2[1];
}`,
    fn: "f",
    inputs: SPECIAL.map((x) => [x]),
  },
  {
    name: "compound assignment reads its target before the right side",
    src: `function f(x: number): number {
  let a = x;
  a += (a = 5);
  const arr = [1, 2];
  arr[0] += (arr[0] = 10) + arr[0];
  let i = 0;
  const b = [1, 2, 3];
  b[i] = (i = 2);
  return a + arr[0] + b[0] + b[2] + i;
}`,
    fn: "f",
    inputs: [[1], [-2.5], [NaN]],
  },
  {
    name: "every unary Math function",
    src: `function f(x: number): number[] {
  return [Math.sqrt(x), Math.cbrt(x), Math.exp(x), Math.expm1(x), Math.log(x), Math.log1p(x), Math.log2(x),
    Math.log10(x), Math.sin(x), Math.cos(x), Math.tan(x), Math.asin(x), Math.acos(x), Math.atan(x),
    Math.sinh(x), Math.cosh(x), Math.tanh(x), Math.abs(x), Math.sign(x), Math.floor(x), Math.ceil(x), Math.round(x)];
}`,
    fn: "f",
    inputs: [...SPECIAL, 0.49999999999999994, -0.5, 2.5, -2.5, 0.3, -0.7, 710, -745].map((x) => [x]),
  },
  {
    name: "binary and variadic Math functions, with exact -0 and NaN semantics",
    src: `function f(x: number, y: number): number[] {
  return [Math.atan2(x, y), Math.pow(x, y), x ** y, Math.hypot(x, y), Math.hypot(x), Math.hypot(),
    Math.min(x, y), Math.max(x, y), Math.min(x, y, 0), Math.max(0, x, y, -0), Math.min(), Math.max(), Math.min(x), Math.max(y)];
}`,
    fn: "f",
    inputs: pairs([0, -0, 1, -1, 0.5, NaN, Infinity, -Infinity]),
  },
  {
    name: "integer Math.abs/min/max keep i32, and mix with f64",
    src: `function f(x: number): number {
  let i = -3;
  const j = Math.abs(i) + Math.min(i, 2, 5) + Math.max(i, 4);
  return j + Math.min(i, x) + Math.abs(i - 10);
}`,
    fn: "f",
    inputs: SPECIAL.map((x) => [x]),
  },
  {
    name: "Math and Number constants, Infinity and NaN",
    src: `function f(): number[] {
  return [Math.PI, Math.E, Math.LN2, Math.LN10, Math.LOG2E, Math.LOG10E, Math.SQRT2, Math.SQRT1_2, Infinity, -Infinity, NaN,
    Number.EPSILON, Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER, Number.POSITIVE_INFINITY, Number.NaN, -0, 0, 3000000000, -2147483648, 1e21, 0.1];
}`,
    fn: "f",
    inputs: [[]],
  },
  {
    name: "arrays: new Array(n).fill(v), new Float64Array(n), literals, read, write, length, slice",
    src: `function f(n: number, xs: number[]): number[] {
  const a = new Array(n).fill(1.5);
  const b = new Float64Array(n + 1);
  const c = [1, n, 2.5, -0];
  const d = xs.slice();
  for (let i = 0; i < a.length; i++) { a[i] = a[i] * i; b[i + 1] = a[i] + c[i % 4]; }
  if (d.length > 0) d[0] = 42;
  const e: number[] = [];
  return [a.length, b.length, c.length, d.length, e.length, b[n], xs.length > 0 ? xs[0] : -1, d.length > 0 ? d[0] : -1, c[3], a.length > 0 ? a[a.length - 1] : 0];
}`,
    fn: "f",
    inputs: [[0, []], [1, [5]], [3, [3, -1, 2]], [6, [0.5, -0, NaN]]],
  },
  {
    name: "array indices computed in f64 (checked conversion)",
    src: `function f(xs: number[], x: number): number {
  const i = x * 2;
  const h = xs.length / 2;
  return xs[i] + xs[Math.floor(h)] + xs[xs.length - 1] + xs[x - x];
}`,
    fn: "f",
    inputs: [[[1, 2, 3, 4, 5, 6], 1], [[1, 2, 3, 4, 5], 2], [[7, 8, 9], -0], [[7, 8, 9], 0.5]],
  },
  {
    name: "returning arrays (number[] and Float64Array) and passing them to calls",
    src: `function mk(n: number, v: number): Float64Array { const a = new Float64Array(n); for (let i = 0; i < n; i++) a[i] = v * i; return a; }
function sum(xs: number[]): number { let s = 0; for (const x of xs) s += x; return s; }
function f(n: number): number[] { const a = mk(n, 0.5); const b = [sum(a), a.length, sum([1, 2, n])]; return b; }`,
    fn: "f",
    inputs: [[0], [1], [4], [7]],
  },
  {
    name: "tuples: return [a, b], const [p, q] = g(x), [p, q] = g(x), return g(x)",
    src: `function divmod(a: number, b: number): [number, number] { const q = Math.floor(a / b); return [q, a - q * b]; }
function stats(xs: number[]): [number, number[], number] { let s = 0; for (const x of xs) s += x; return [s, xs.slice(), xs.length]; }
function pass(a: number, b: number): [number, number] { return divmod(b, a); }
function f(x: number, y: number): number {
  const [q, r] = divmod(x, y);
  let p = 0;
  let m = 0;
  [p, m] = pass(y, x);
  const [, only] = divmod(y, 3);
  const [s, copy, n] = stats([x, y, q]);
  return q + r * 10 + p * 100 + m * 1000 + only + s + copy[1] + n;
}`,
    fn: "f",
    inputs: pairs([7, -7, 2.5, 3, 0, NaN]),
  },
  {
    name: "recursion, mutual recursion and calls before the declaration",
    src: `function f(n: number): number { return fib(n) + isEven(n) * 1000; }
function fib(n: number): number { if (n < 2) return n; return fib(n - 1) + fib(n - 2); }
function isEven(n: number): number { return n === 0 ? 1 : isOdd(n - 1); }
function isOdd(n: number): number { return n === 0 ? 0 : isEven(n - 1); }`,
    fn: "f",
    inputs: [[0], [1], [2], [7], [10]],
  },
  {
    name: "stopGradient and declared externs",
    src: `declare function scale(x: number, k: number): number;
function f(x: number): number { return stopGradient(x * x) + scale(x, 3) + stopGradient(2); }`,
    fn: "f",
    inputs: SPECIAL.map((x) => [x]),
  },
  {
    name: "integer arithmetic beyond 2^31 keeps JavaScript semantics",
    src: `function f(n: number): number {
  let p = 1;
  for (let i = 0; i < 40; i++) p *= 3;
  let q = 2147483647; q++; q += 2147483647;
  let z = 0; z = -z;
  return p + q + 1 / z + n;
}`,
    fn: "f",
    inputs: [[0], [1.5]],
  },
  {
    name: "assignments inside conditions",
    src: `function f(n: number): number {
  let i = 0;
  let s = 0;
  while ((i += 1) < n) s += i;
  let t = 0;
  if ((t = s * 2) > 10) s = t;
  return s + i;
}`,
    fn: "f",
    inputs: [[0], [3], [8], [2.5]],
  },
  {
    name: "arrays are references inside a function (aliasing)",
    src: `function f(a: number[], x: number): number {
  const b = a;
  b[0] = x;
  let c = [1, 2];
  const d = c;
  c = b;
  c[1] = 7;
  d[0] = 9;
  return a[0] + a[1] + d[0] + d[1] + c[0];
}`,
    fn: "f",
    inputs: [[[1, 2, 3], 5], [[0, 0], NaN]],
  },
  {
    name: "export modifiers are accepted",
    src: `export function f(x: number): number { return x * 2; }`,
    fn: "f",
    inputs: [[3]],
  },
];

describe("constructs match the original TypeScript bit for bit", () => {
  for (const c of CASES) test(c.name, () => void expectSameAsJS(c.src, c.fn, c.inputs, { stopGradient: (x) => x, scale: (x, k) => x * k }));
});

describe("deriv's documented differences from JavaScript", () => {
  test("array parameters have value semantics: a callee writes its own copy", () => {
    const m = compileTS(`function inner(a: number[]): number { a[0] = 100; return a[0]; }
function outer(a: number[]): number { const r = inner(a); return r + a[0]; }`);
    expect(runIR(m, "outer", [[1, 2]])).toEqual([101]);
    const copies = (fn: string): number => findFunc(m, fn)!.blocks.flatMap((b) => b.insts).filter((i) => i.op === "array.copy").length;
    expect(copies("inner")).toBe(1);
    expect(copies("outer")).toBe(0);
  });

  test("a parameter written through an alias or a call result is copied; one only read is not", () => {
    const m = compileTS(`function id(a: number[]): number[] { return a; }
function viaAlias(a: number[]): number { const b = a; b[0] = 1; return a[0]; }
function viaCall(a: number[]): number { id(a)[0] = 2; return a[0]; }
function viaTernary(a: number[], c: number[], x: number): number { (x > 0 ? a : c)[0] = 3; return a[0] + c[0]; }
function readOnly(a: number[]): number { return id(a)[0]; }`);
    const copies = (fn: string): number => findFunc(m, fn)!.blocks.flatMap((b) => b.insts).filter((i) => i.op === "array.copy").length;
    expect([copies("id"), copies("viaAlias"), copies("viaCall"), copies("viaTernary"), copies("readOnly")]).toEqual([0, 1, 1, 2, 0]);
    expect(runIR(m, "viaCall", [[5]])).toEqual([2]);
  });

  test("an index out of bounds is a DerivRuntimeError, not undefined", () => {
    const m = compileTS(`function f(xs: number[], i: number): number { return xs[i]; }`);
    const err = runIR(m, "f", [[1, 2], 2]);
    expect(err).toBeInstanceOf(DerivRuntimeError);
    expect((err as DerivRuntimeError).code).toBe("E_RUNTIME_BOUNDS");
    expect((err as DerivRuntimeError).location).toMatchObject({ line: 1, col: 54 });
    expect((runIR(m, "f", [[1, 2], 0.5]) as DerivRuntimeError).code).toBe("E_RUNTIME_INDEX");
  });
});

describe("IR shape", () => {
  test("every instruction and terminator carries a source location with the file name", () => {
    const m = compileTS(`function f(x: number, xs: number[]): number {
  let s = 0;
  for (const v of xs) s += x > 0 && v > 0 ? Math.sin(v) : v;
  return s;
}`, "shape.ts");
    for (const f of m.funcs) {
      for (const b of f.blocks) {
        for (const i of b.insts) expect(i.loc?.file, `${i.op} in ${printIR(m)}`).toBe("shape.ts");
        expect(b.term.loc?.file).toBe("shape.ts");
      }
    }
  });

  test("stopGradient is declared as an extern only when used", () => {
    expect(compileTS(`function f(x: number): number { return x; }`).externs).toEqual([]);
    expect(compileTS(`function f(x: number): number { return stopGradient(x); }`).externs.map((e) => [e.name, e.params, e.results])).toEqual([["stopGradient", ["f64"], ["f64"]]]);
    expect(compileTS(`declare function stopGradient(x: number): number;\nfunction f(x: number): number { return stopGradient(x); }`).externs.map((e) => e.name)).toEqual(["stopGradient"]);
  });

  test("integer inference: counters are i32, accumulators that take fractions are f64", () => {
    const m = compileTS(`function f(xs: number[]): number {
  let s = 0;
  let k = 0;
  let h = 1;
  for (let i = 0; i < xs.length; i++) { s += xs[i]; k += 2; h = h * 3 - k; }
  let w = 0;
  while (w < 10) w = w + 0.5;
  return s + k + h + w;
}`);
    const f = findFunc(m, "f")!;
    const typeOf = (name: string): string[] => [...new Set(f.values.filter((v) => v.name === name).map((v) => v.type))];
    expect([typeOf("s"), typeOf("k"), typeOf("h"), typeOf("i"), typeOf("w")]).toEqual([["f64"], ["i32"], ["i32"], ["i32"], ["f64"]]);
  });
});
