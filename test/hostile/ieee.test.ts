// NaN, ±Infinity, -0 and extreme arguments are not errors: values follow
// JavaScript's IEEE 754 arithmetic exactly (compiled code, the interpreter
// and the original TypeScript in Node agree bit for bit), and derivatives are
// the documented rule formulas evaluated in IEEE arithmetic, identically in
// forward and reverse mode (e.g. sqrt'(Infinity) = 0.5 / Infinity = 0,
// log'(0) = 1 / 0 = Infinity, anything at NaN is NaN).

import { describe, expect, it } from "vitest";
import { compile, grad, jvp, parseTS } from "../../index.js";
import { expectSameAsJS } from "../frontend/support.js";

const SPECIAL = [NaN, Infinity, -Infinity, -0, 0, 5e-324, -5e-324, 1e308, -1e308, 1];

const PROGRAMS = `
function poly(x: number): number { return x * x - 3 * x + 1; }
function ratio(x: number): number { return 1 / x + x / (x - 1); }
function trig(x: number): number { return Math.sin(x) * Math.cos(x) + Math.atan2(x, 1) + Math.tanh(x); }
function powers(x: number): number { return Math.pow(x, 0.5) + x ** 3 + Math.exp(x) - Math.log(Math.abs(x)); }
function mixed(x: number, a: number[]): number {
  let s = 0;
  for (const v of a) s += Math.max(v, x) * Math.min(v, -x) + Math.hypot(v, x);
  return s % 7 + Math.sign(x) + Math.floor(x) + Math.sqrt(x);
}`;

describe("IEEE values", () => {
  const module = parseTS(PROGRAMS);
  const compiled = compile(module);
  for (const fn of ["poly", "ratio", "trig", "powers"]) {
    it(`${fn}: Node == interpreter == compiled on NaN, ±Infinity, ±0, subnormals, huge values`, () => {
      expectSameAsJS(PROGRAMS, fn, SPECIAL.map((x) => [x]));
      const js = new Function(`${PROGRAMS.replace(/: number(\[\])?/g, "")}; return ${fn};`)() as (x: number) => number;
      for (const x of SPECIAL) expect(Object.is(compiled[fn]!(x), js(x)), `${fn}(${x})`).toBe(true);
    });
  }
  it("arrays holding NaN and infinities", () => {
    const inputs = SPECIAL.map((x) => [x, [NaN, Infinity, -0, x]] as [number, number[]]);
    expectSameAsJS(PROGRAMS, "mixed", inputs);
  });
});

describe("IEEE derivatives: the rule formulas, in both modes", () => {
  // [source body of f(x), x, f(x), f'(x)]
  const CASES: [string, number, number, number][] = [
    ["x * x", Infinity, Infinity, Infinity],
    ["x * x", NaN, NaN, NaN],
    ["x * x", -0, 0, -0],
    ["Math.sqrt(x)", Infinity, Infinity, 0],
    ["Math.sqrt(x)", 0, 0, Infinity],
    ["Math.sqrt(x)", -1, NaN, NaN],
    ["Math.exp(x)", -Infinity, 0, 0],
    ["Math.exp(x)", Infinity, Infinity, Infinity],
    ["Math.log(x)", 0, -Infinity, Infinity],
    ["Math.log(x)", Infinity, Infinity, 0],
    ["1 / x", 0, Infinity, -Infinity],
    ["Math.abs(x)", -Infinity, Infinity, -1],
    ["Math.atan(x)", Infinity, Math.PI / 2, 0],
    ["Math.tanh(x)", Infinity, 1, 0],
    ["Math.floor(x)", NaN, NaN, 0],
    ["x - x", Infinity, NaN, 0],
  ];
  for (const [body, x, value, slope] of CASES) {
    it(`f(x) = ${body} at x = ${x}: value ${value}, derivative ${slope}`, () => {
      const src = `function f(x: number): number { return ${body}; }`;
      const g = grad(src, "f")(x);
      const t = jvp(src, "f")([x], [1]);
      expect(Object.is(g.value, value) && Object.is(t.value, value), `values ${g.value}, ${t.value}`).toBe(true);
      expect(Object.is(g.gradient[0], slope), `reverse ${g.gradient[0]}`).toBe(true);
      expect(Object.is(t.tangent, slope), `forward ${t.tangent}`).toBe(true);
    });
  }
});
