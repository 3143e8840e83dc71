// The abstract interpreter on hand-written IR: reverse-mode code with tapes
// keeps an exact pattern, stacks whose heights differ after a data-dependent
// branch are summarized, paths that fail at run time are ignored (and a
// function whose every path fails reports the failure), and writes through a
// reference that may denote several arrays are weak updates.

import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { sparsity } from "../../api/sparse.js";
import { DerivRuntimeError } from "../../ir/errors.js";
import { parseIR } from "../../ir/parser.js";
import { parseTS } from "../../frontend/index.js";
import { addVjp } from "../../passes/rev-ad.js";
import { rowsOf } from "./support.js";

describe("reverse-mode code", () => {
  it("keeps the exact pattern of the T4 residual's VJP (tapes followed exactly)", () => {
    const module = addVjp(parseTS(readFileSync("bench/tasks/t4-tridiagonal.mts", "utf8")), { fn: "tridiagonal", wrt: [0] });
    const n = 6;
    const p = sparsity(module, "tridiagonal.vjp")(new Float64Array(n), new Float64Array(n));
    const near = (i: number): number[] => [i - 1, i, i + 1].filter((j) => j >= 0 && j < n);
    // F_i depends on x near i; xbar_j on x_j and ybar near j (ybar is columns n..2n-1).
    expect(rowsOf(p)).toEqual([...Array.from({ length: n }, (_, i) => near(i)), ...Array.from({ length: n }, (_, j) => [j, ...near(j).map((i) => n + i)])]);
    expect(p.warnings).toEqual([]);
  });
});

describe("stacks", () => {
  const module = parseIR(`
func @f(%x: f64, %y: f64) -> f64 {
^entry:
  %s: stack<f64> = stack.new
  stack.push %s, %x
  %z: f64 = const 0.0
  %c: bool = gt %x, %z
  condbr %c, ^a, ^b
^a:
  stack.push %s, %y
  br ^join
^b:
  br ^join
^join:
  %v: f64 = stack.pop %s
  ret %v
}`);
  it("of different heights after a data-dependent branch are summarized", () => {
    expect(rowsOf(sparsity(module, "f")(1, 2))).toEqual([[0, 1]]);
  });
  it("are exact at a point", () => {
    expect(rowsOf(sparsity(module, "f", { mode: "local" })(1, 2))).toEqual([[1]]);
    expect(rowsOf(sparsity(module, "f", { mode: "local" })(-1, 2))).toEqual([[0]]);
  });
});

describe("paths that fail at run time", () => {
  it("are ignored, with a warning", () => {
    const module = parseIR(`
func @f(%x: f64[]) -> f64 {
^entry:
  %i0: i32 = const 0
  %a: f64 = array.get %x, %i0
  %z: f64 = const 0.0
  %c: bool = gt %a, %z
  condbr %c, ^bad, ^good
^bad:
  %n: i32 = array.len %x
  %b: f64 = array.get %x, %n
  ret %b
^good:
  %i1: i32 = const 1
  %g: f64 = array.get %x, %i1
  ret %g
}`);
    const p = sparsity(module, "f")(Float64Array.of(1, 2));
    expect(rowsOf(p)).toEqual([[1]]);
    expect(p.warnings.some((w) => w.includes("E_RUNTIME_BOUNDS"))).toBe(true);
  });

  it("are reported when no path returns", () => {
    const module = parseIR(`
func @f(%x: f64) -> f64 {
^entry:
  %z: f64 = const 0.0
  %c: bool = gt %x, %z
  condbr %c, ^a, ^b
^a:
  unreachable
^b:
  %s: stack<f64> = stack.new
  %v: f64 = stack.pop %s
  ret %v
}`);
    expect(() => sparsity(module, "f")(1)).toThrow(DerivRuntimeError);
  });
});

describe("references to several arrays", () => {
  const module = parseIR(`
func @f(%x: f64[], %y: f64[]) -> (f64[], f64[]) {
^entry:
  %i0: i32 = const 0
  %a: f64 = array.get %x, %i0
  %z: f64 = const 0.0
  %c: bool = gt %a, %z
  %t: f64[] = select %c, %x, %y
  %i1: i32 = const 1
  %v: f64 = array.get %y, %i0
  array.set %t, %i1, %v
  ret %x, %y
}`);
  const args = [Float64Array.of(1, 2), Float64Array.of(3, 4)];
  it("are written weakly in global mode", () => {
    expect(rowsOf(sparsity(module, "f")(...args))).toEqual([[0], [1, 2], [2], [2, 3]]);
  });
  it("denote one array at a point", () => {
    expect(rowsOf(sparsity(module, "f", { mode: "local" })(...args))).toEqual([[0], [2], [2], [3]]);
  });
});
