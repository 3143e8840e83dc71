// Every op's JVP and VJP rule against hand-derived formulas (DESIGN.md §8),
// through one-instruction IR functions run by both the reference interpreter
// and the JS backend, at ordinary points and at deriv's convention points
// (passes/rules/jvp.ts header): abs'(0) = 0, sqrt'(0) = cbrt'(0) = +inf,
// pow(x, 0) has d/dx = 0, pow(0, y) has d/dy = 0, min/max ties take the first
// operand, hypot(0, 0) and atan2(0, 0) have zero partials, floor/ceil/round/
// sign have derivative 0. Forward mode runs with two directions at once
// (seeds e_x and e_y), with a single active operand (symbolic-zero paths) and
// with both; reverse mode with ybar = 1.

import { describe, expect, it } from "vitest";
import { compile } from "../../backend/index.js";
import type { RtValue } from "../../ir/interpreter.js";
import { PipelineError } from "../../ir/errors.js";
import { interpret } from "../../ir/interpreter.js";
import { OPCODES, OPS, type Opcode } from "../../ir/ops.js";
import { parseIR } from "../../ir/parser.js";
import type { Module } from "../../ir/types.js";
import { verify } from "../../ir/verifier.js";
import { addJvp } from "../../passes/fwd-ad.js";
import { addVjp } from "../../passes/rev-ad.js";

/** Hand-derived partials [∂/∂x, ∂/∂y] of `z = op x, y` (y unused by unary ops). */
type Partials = (x: number, y: number) => readonly number[];

const sgn = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);
const UNARY: Record<string, Partials> = {
  neg: () => [-1],
  abs: (x) => [sgn(x)],
  sqrt: (x) => [1 / (2 * Math.sqrt(x))],
  cbrt: (x) => [1 / (3 * Math.cbrt(x) ** 2)],
  exp: (x) => [Math.exp(x)],
  expm1: (x) => [Math.exp(x)],
  log: (x) => [1 / x],
  log1p: (x) => [1 / (1 + x)],
  log2: (x) => [1 / (x * Math.LN2)],
  log10: (x) => [1 / (x * Math.LN10)],
  sin: (x) => [Math.cos(x)],
  cos: (x) => [-Math.sin(x)],
  tan: (x) => [1 / Math.cos(x) ** 2],
  asin: (x) => [1 / Math.sqrt(1 - x * x)],
  acos: (x) => [-1 / Math.sqrt(1 - x * x)],
  atan: (x) => [1 / (1 + x * x)],
  sinh: (x) => [Math.cosh(x)],
  cosh: (x) => [Math.sinh(x)],
  tanh: (x) => [1 / Math.cosh(x) ** 2],
  sign: () => [0],
  floor: () => [0],
  ceil: () => [0],
  round: () => [0],
};
const BINARY: Record<string, Partials> = {
  add: () => [1, 1],
  sub: () => [1, -1],
  mul: (x, y) => [y, x],
  div: (x, y) => [1 / y, -x / (y * y)],
  rem: (x, y) => [1, -Math.trunc(x / y)],
  pow: (x, y) => [y * x ** (y - 1), Math.log(x) * x ** y],
  min: (x, y) => (x < y ? [1, 0] : [0, 1]),
  max: (x, y) => (x > y ? [1, 0] : [0, 1]),
  atan2: (a, b) => [b / (a * a + b * b), -a / (a * a + b * b)],
  hypot: (a, b) => [a / Math.hypot(a, b), b / Math.hypot(a, b)],
};

/** Ordinary points per op (inside the domain, away from kinks). */
const ORDINARY: Record<string, readonly (readonly number[])[]> = {
  default: [[0.7], [-1.3], [2.1]],
  sqrt: [[0.7], [3.2]],
  log: [[0.7], [3.2]],
  log2: [[0.7], [3.2]],
  log10: [[0.7], [3.2]],
  log1p: [[0.7], [-0.4]],
  asin: [[0.3], [-0.6]],
  acos: [[0.3], [-0.6]],
  binary: [
    [0.7, 1.9],
    [-1.3, 0.4],
    [2.1, -0.8],
  ],
  pow: [
    [0.7, 1.9],
    [2.3, -0.4],
    [1.5, 3],
  ],
  rem: [
    [5.3, 1.5],
    [-7.1, 2],
    [0.7, -0.3],
  ],
};

/** Convention points: [x, y?] and the partials deriv promises there. */
const CONVENTIONS: readonly { op: string; at: readonly number[]; want: readonly number[] }[] = [
  { op: "abs", at: [0], want: [0] },
  { op: "abs", at: [-0], want: [0] },
  { op: "sqrt", at: [0], want: [Infinity] },
  { op: "cbrt", at: [0], want: [Infinity] },
  { op: "pow", at: [0, 0], want: [0, 0] },
  { op: "pow", at: [2, 0], want: [0, Math.log(2)] },
  { op: "pow", at: [0, 2], want: [0, 0] },
  { op: "pow", at: [0, 3.5], want: [0, 0] },
  { op: "min", at: [1.5, 1.5], want: [1, 0] },
  { op: "max", at: [1.5, 1.5], want: [1, 0] },
  { op: "min", at: [-0, 0], want: [1, 0] },
  { op: "hypot", at: [0, 0], want: [0, 0] },
  { op: "atan2", at: [0, 0], want: [0, 0] },
  { op: "floor", at: [2], want: [0] },
  { op: "ceil", at: [-3], want: [0] },
  { op: "round", at: [2.5], want: [0] },
  { op: "sign", at: [0], want: [0] },
  { op: "sign", at: [-1.2], want: [0] },
];

const isF64Op = (op: Opcode, arity: number): boolean => {
  const d = OPS[op];
  if (!d.pure || d.params === "variadic" || d.params.length !== arity || d.results === "variadic" || d.results.length !== 1) return false;
  const fits = (s: string): boolean => s === "f64" || (s === "T" && ((d as { typeVar?: readonly string[] }).typeVar ?? []).includes("f64"));
  return d.params.every(fits) && fits(d.results[0]!);
};

function moduleOf(op: string, arity: number): Module {
  const params = arity === 1 ? "%x: f64" : "%x: f64, %y: f64";
  const args = arity === 1 ? "%x" : "%x, %y";
  return parseIR(`func @f(${params}) -> f64 {\n^entry:\n  %z: f64 = ${op} ${args}\n  ret %z\n}\n`);
}

const unsignedZeros = (xs: readonly number[]): number[] => xs.map((x) => (x === 0 ? 0 : x));

/** Runs `fn` of `module` in the interpreter and in compiled JS; both must agree (signed zeros aside). */
function runBoth(module: Module, fn: string, args: readonly number[]): number[] {
  verify(module);
  const a = interpret(module, fn, args as RtValue[]) as number[];
  const out = compile(module)[fn]!(...args);
  const b = (Array.isArray(out) ? out : [out]) as number[];
  expect(unsignedZeros(b), `compiled @${fn}(${args}) vs interpreter`).toEqual(unsignedZeros(a));
  return a;
}

/** Expects equality up to a few ulps (exact for zeros, infinities and NaN). */
function expectNear(got: readonly number[], want: readonly number[], label: string): void {
  expect(got.length, label).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    if (w === 0) expect(g, `${label}[${i}]`).toSatisfy((v: number) => v === 0);
    else if (!Number.isFinite(w)) expect(g, `${label}[${i}]`).toBe(w);
    else expect(Math.abs(g - w), `${label}[${i}]: got ${g}, want ${w}`).toBeLessThanOrEqual(4e-15 * Math.abs(w));
  });
}

/** Both partials by fwd-ad (2 directions; and one active operand at a time) and by rev-ad. */
function checkPartials(op: string, at: readonly number[], want: readonly number[]): void {
  const arity = at.length;
  const m = moduleOf(op, arity);
  const label = `${op}(${at.map(String).join(", ")})`;
  // Forward, every operand active, one direction per operand: (x, y, dx_0, dx_1, dy_0, dy_1).
  const seeds = arity === 1 ? [1] : [1, 0, 0, 1];
  const fwd = runBoth(addJvp(m, { fn: "f", dirs: arity }), "f.jvp", [...at, ...seeds]);
  expectNear(fwd.slice(1), want, `${label} jvp`);
  // Forward with a single active operand (the other's tangent is a symbolic zero).
  for (let i = 0; i < arity; i++) {
    const one = runBoth(addJvp(m, { fn: "f", wrt: [i] }), "f.jvp", [...at, 1]);
    expectNear(one.slice(1), [want[i]!], `${label} jvp wrt ${i}`);
  }
  // Reverse: (x, y, zbar) -> (z, xbar, ybar).
  const rev = runBoth(addVjp(m, { fn: "f" }), "f.vjp", [...at, 1]);
  expectNear(rev.slice(1), want, `${label} vjp`);
  for (let i = 0; i < arity; i++) {
    const one = runBoth(addVjp(m, { fn: "f", wrt: [i] }), "f.vjp", [...at, 1]);
    expectNear(one.slice(1), [want[i]!], `${label} vjp wrt ${i}`);
  }
}

describe("hand-derived formulas cover every f64 op", () => {
  it("the tables list exactly the pure f64 -> f64 ops of ir/ops.ts", () => {
    expect(Object.keys(UNARY).sort()).toEqual(OPCODES.filter((op) => isF64Op(op, 1)).sort());
    expect(Object.keys(BINARY).sort()).toEqual(OPCODES.filter((op) => isF64Op(op, 2)).sort());
  });
});

describe("unary rules at ordinary points", () => {
  it.each(Object.keys(UNARY))("%s", (op) => {
    for (const [x] of ORDINARY[op] ?? ORDINARY["default"]!) checkPartials(op, [x!], UNARY[op]!(x!, 0));
  });
});

describe("binary rules at ordinary points", () => {
  it.each(Object.keys(BINARY))("%s", (op) => {
    for (const [x, y] of ORDINARY[op] ?? ORDINARY["binary"]!) checkPartials(op, [x!, y!], BINARY[op]!(x!, y!));
  });
});

describe("conventions at non-differentiable points", () => {
  it.each(CONVENTIONS.map((c) => [`${c.op}(${c.at.map((v) => (Object.is(v, -0) ? "-0" : String(v))).join(", ")})`, c] as const))("%s", (_name, c) => {
    checkPartials(c.op, c.at, c.want);
  });
});

/** IR functions built from the structural ops, with hand-derived partials. */
const STRUCTURAL: readonly { name: string; ir: string; points: readonly (readonly number[])[]; partials: Partials; reverse: boolean }[] = [
  {
    name: "select, comparisons and logic",
    ir: `func @f(%x: f64, %y: f64) -> f64 {
^entry:
  %lt: bool = lt %x, %y
  %ge: bool = ge %x, %y
  %c: bool = and %lt, %lt
  %d: bool = or %c, %ge
  %e: bool = not %d
  %two: f64 = const 2.0
  %a: f64 = mul %x, %two
  %b: f64 = mul %y, %y
  %s: f64 = select %c, %a, %b
  %t: f64 = select %e, %a, %s
  ret %t
}`,
    points: [
      [0.5, 1.5],
      [2.5, -1],
    ],
    partials: (x, y) => (x < y ? [2, 0] : [0, 2 * y]),
    reverse: true,
  },
  {
    name: "conversions",
    ir: `func @f(%x: f64) -> f64 {
^entry:
  %fl: f64 = floor %x
  %i: i32 = f64.to.i32 %fl
  %g: f64 = i32.to.f64 %i
  %z: f64 = mul %x, %g
  ret %z
}`,
    points: [[2.3], [-1.6]],
    partials: (x) => [Math.floor(x)],
    reverse: true,
  },
  {
    name: "array.new, array.set, array.copy, array.get, array.len",
    ir: `func @f(%x: f64, %y: f64) -> f64 {
^entry:
  %n: i32 = const 3
  %a: f64[] = array.new %n, %x
  %i0: i32 = const 0
  %i1: i32 = const 1
  %i2: i32 = const 2
  %yy: f64 = mul %y, %y
  array.set %a, %i1, %yy
  %b: f64[] = array.copy %a
  %zero: f64 = const 0.0
  array.set %a, %i0, %zero
  %b0: f64 = array.get %b, %i0
  %b1: f64 = array.get %b, %i1
  %a2: f64 = array.get %a, %i2
  %p: f64 = mul %b1, %a2
  %s: f64 = add %b0, %p
  %len: i32 = array.len %a
  %lf: f64 = i32.to.f64 %len
  %r: f64 = add %s, %lf
  ret %r
}`,
    points: [
      [0.5, 1.5],
      [-2, 0.3],
    ],
    partials: (x, y) => [1 + y * y, 2 * x * y],
    reverse: true,
  },
  {
    name: "call",
    ir: `func @g(%a: f64, %b: f64) -> f64 {
^entry:
  %p: f64 = mul %a, %b
  %s: f64 = sin %p
  ret %s
}
func @f(%x: f64, %y: f64) -> f64 {
^entry:
  %c: f64 = call @g(%x, %y)
  %d: f64 = call @g(%c, %x)
  ret %d
}`,
    points: [
      [0.5, 1.5],
      [-1.2, 0.3],
    ],
    // d = sin(c x), c = sin(x y)
    partials: (x, y) => {
      const c = Math.sin(x * y);
      const k = Math.cos(c * x);
      return [k * (Math.cos(x * y) * y * x + c), k * Math.cos(x * y) * x * x];
    },
    reverse: true,
  },
  {
    name: "stack.new, stack.push, stack.pop",
    ir: `func @f(%x: f64) -> f64 {
^entry:
  %st: stack<f64> = stack.new
  %sq: f64 = mul %x, %x
  stack.push %st, %sq
  %s: f64 = sin %x
  stack.push %st, %s
  %p: f64 = stack.pop %st
  %q: f64 = stack.pop %st
  %r: f64 = mul %p, %q
  ret %r
}`,
    points: [[0.5], [-1.7]],
    partials: (x) => [Math.cos(x) * x * x + Math.sin(x) * 2 * x],
    reverse: true,
  },
  {
    // The shadow stack moves in lockstep, so a value never popped gets adjoint 0.
    name: "a stack with a value left on it",
    ir: `func @f(%x: f64) -> f64 {
^entry:
  %st: stack<f64> = stack.new
  %sq: f64 = mul %x, %x
  stack.push %st, %sq
  %s: f64 = sin %x
  stack.push %st, %s
  %p: f64 = stack.pop %st
  %r: f64 = mul %p, %x
  ret %r
}`,
    points: [[0.5], [-1.7]],
    partials: (x) => [Math.cos(x) * x + Math.sin(x)],
    reverse: true,
  },
];

describe("structural ops", () => {
  it.each(STRUCTURAL.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const m = parseIR(c.ir);
    const arity = m.funcs.at(-1)!.blocks[0]!.params.length;
    for (const at of c.points) {
      const want = c.partials(at[0]!, at[1] ?? 0).slice(0, arity) as number[];
      const fwd = runBoth(addJvp(m, { fn: "f", dirs: arity }), "f.jvp", [...at, ...(arity === 1 ? [1] : [1, 0, 0, 1])]);
      fwd.slice(1).forEach((g, i) => expect(Math.abs(g - want[i]!), `jvp ∂${i} at ${at}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(want[i]!))));
      if (!c.reverse) continue;
      const rev = runBoth(addVjp(m, { fn: "f" }), "f.vjp", [...at, 1]);
      rev.slice(1).forEach((g, i) => expect(Math.abs(g - want[i]!), `vjp ∂${i} at ${at}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(want[i]!))));
    }
  });

  it("rev-ad rejects active stacks of arrays and active stacks crossing a call, with a PipelineError", () => {
    const arrays = parseIR(`func @f(%x: f64[]) -> f64 {
^entry:
  %st: stack<f64[]> = stack.new
  stack.push %st, %x
  %a: f64[] = stack.pop %st
  %z: i32 = const 0
  %v: f64 = array.get %a, %z
  ret %v
}`);
    expect(() => addVjp(arrays, { fn: "f" })).toThrow(/stack of active arrays/);
    const call = parseIR(`func @g(%s: stack<f64>) -> f64 {
^entry:
  %v: f64 = stack.pop %s
  ret %v
}
func @f(%x: f64) -> f64 {
^entry:
  %st: stack<f64> = stack.new
  stack.push %st, %x
  %v: f64 = call @g(%st)
  ret %v
}`);
    expect(() => addVjp(call, { fn: "f" })).toThrow(PipelineError);
    expect(() => addVjp(call, { fn: "f" })).toThrow(/passes an active stack to @g/);
  });
});
