// sparseJacobian / sparseHessian: the decompressed CSC equals the dense
// Jacobian / Hessian of the API at random points (entries outside the
// pattern are zero in the dense matrix), the colourings are valid, detection
// and colouring happen once per argument shape, mixed scalar/array arguments
// and tuple results lay out rows and columns like `jacobian`.

import { describe, expect, it } from "vitest";
import type { CSC } from "../../api/sparse.js";
import { isValidColumnColoring, isValidStarColoring, type RowPattern } from "../../api/coloring.js";
import { jacobian } from "../../api/jacobian.js";
import { hessian } from "../../api/second-order.js";
import { sparseHessian, sparseJacobian, sparsity } from "../../api/sparse.js";
import { DerivError } from "../../ir/errors.js";
import { makeRng } from "../support/models.js";
import { controlModels, exactModels, type SparseModel } from "./models.js";

/** The dense form of a CSC matrix. */
function dense(m: CSC): Float64Array[] {
  const out = Array.from({ length: m.rows }, () => new Float64Array(m.cols));
  for (let c = 0; c < m.cols; c++) for (let e = m.colPtr[c]!; e < m.colPtr[c + 1]!; e++) out[m.rowIdx[e]!]![c] = m.values[e]!;
  return out;
}

/** The pattern of a CSC matrix by rows. */
function rowPattern(m: CSC): RowPattern {
  const rows: number[][] = Array.from({ length: m.rows }, () => []);
  for (let c = 0; c < m.cols; c++) for (let e = m.colPtr[c]!; e < m.colPtr[c + 1]!; e++) rows[m.rowIdx[e]!]!.push(c);
  const rowPtr = new Int32Array(m.rows + 1);
  rows.forEach((r, i) => (rowPtr[i + 1] = rowPtr[i]! + r.length));
  return { rows: m.rows, cols: m.cols, rowPtr, colIdx: Int32Array.from(rows.flat()) };
}

function expectClose(actual: readonly Float64Array[], want: readonly Float64Array[], label: string): void {
  expect(actual.length, label).toBe(want.length);
  want.forEach((row, i) =>
    row.forEach((w, j) => {
      const a = actual[i]![j]!;
      expect(Math.abs(a - w) <= 1e-12 * Math.max(1, Math.abs(w)), `${label}: entry (${i}, ${j}) is ${a}, dense ${w}`).toBe(true);
    }),
  );
}

function checkValues(m: SparseModel, seed: number): void {
  const r = makeRng(seed);
  if (m.hessian) {
    const sparse = sparseHessian(m.src, m.fn);
    const full = hessian(m.src, m.fn);
    for (let k = 0; k < 5; k++) {
      const args = m.args(r);
      const s = sparse(...args);
      const d = full(...args);
      expect(s.value).toBe(d.value);
      expect(isValidStarColoring(rowPattern(s.hessian), s.colors)).toBe(true);
      expectClose(dense(s.hessian), d.hessian, `${m.name} at point ${k}`);
    }
  } else {
    const sparse = sparseJacobian(m.src, m.fn);
    const full = jacobian(m.src, m.fn);
    for (let k = 0; k < 5; k++) {
      const args = m.args(r);
      const s = sparse(...args);
      const d = full(...args);
      expect(s.value).toEqual(d.value);
      expect(isValidColumnColoring(rowPattern(s.jacobian), s.colors)).toBe(true);
      expectClose(dense(s.jacobian), d.jacobian, `${m.name} at point ${k}`);
    }
  }
}

describe("compressed derivatives equal dense ones", () => {
  exactModels(makeRng(7)).forEach((m, k) => it(m.name, () => checkValues(m, 500 + k)));
  controlModels.filter((m) => !m.name.startsWith("recursion")).forEach((m, k) => it(m.name, () => checkValues(m, 600 + k)));
});

describe("sparseJacobian", () => {
  const t4 = exactModels(makeRng(7))[0]!;

  it("colours the tridiagonal residual with 3 colours and returns CSC", () => {
    const x = Float64Array.from({ length: 8 }, (_, i) => 0.5 * Math.sin(0.013 * i + 0.2));
    const { jacobian: j, colors } = sparseJacobian(t4.src, "f")(x);
    expect(colors.count).toBe(3);
    expect(j.colPtr).toBeInstanceOf(Int32Array);
    expect(j.rowIdx).toBeInstanceOf(Int32Array);
    expect(j.values).toBeInstanceOf(Float64Array);
    expect(Array.from(j.colPtr)).toEqual([0, 2, 5, 8, 11, 14, 17, 20, 22]);
    expect(Array.from(j.rowIdx.subarray(0, 5))).toEqual([0, 1, 0, 1, 2]);
  });

  it("detects and colours once per argument shape", () => {
    const f = sparseJacobian(t4.src, "f");
    const a = f(new Float64Array(6).fill(0.1));
    const b = f(new Float64Array(6).fill(0.7));
    const c = f(new Float64Array(9).fill(0.7));
    expect(b.colors).toBe(a.colors);
    expect(b.jacobian.colPtr).toBe(a.jacobian.colPtr);
    expect(c.colors).not.toBe(a.colors);
    expect(c.jacobian.cols).toBe(9);
  });

  it("lays out scalar and array arguments and tuple results like jacobian", () => {
    const src = `function f(x: number[], a: number): [number, number[]] {
      const y = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) y[i] = a * x[i] * x[i];
      return [x[0] + Math.sin(a), y];
    }`;
    const args = [Float64Array.of(0.5, -1, 2), 0.3];
    const s = sparseJacobian(src, "f")(...args);
    expect(s.jacobian.rows).toBe(4);
    expect(s.jacobian.cols).toBe(4);
    expectClose(dense(s.jacobian), jacobian(src, "f")(...args).jacobian, "tuple");
    expect(s.value).toEqual(jacobian(src, "f")(...args).value);
    const onlyA = sparseJacobian(src, "f", { wrt: [1] })(...args);
    expect(onlyA.jacobian.cols).toBe(1);
    expectClose(dense(onlyA.jacobian), jacobian(src, "f", { wrt: [1] })(...args).jacobian, "wrt a");
  });

  it("in local mode follows the branches taken at each point", () => {
    const m = exactModels(makeRng(7)).find((e) => e.name === "data-dependent branch")!;
    const f = sparseJacobian(m.src, "f", { mode: "local" });
    const x = Float64Array.of(0.5, -1, 2, -3, 4, 0.25);
    const s = f(x);
    expect(s.jacobian.values.length).toBe(sparsity(m.src, "f", { mode: "local" })(x).nnz);
    expectClose(dense(s.jacobian), jacobian(m.src, "f")(x).jacobian, "local");
  });
});

describe("sparseHessian", () => {
  it("colours the Rosenbrock Hessian with 3 colours", () => {
    const m = exactModels(makeRng(7)).find((e) => e.name === "Rosenbrock Hessian")!;
    const x = Float64Array.from({ length: 10 }, (_, i) => Math.cos(i));
    const s = sparseHessian(m.src, "f")(x);
    expect(s.colors.count).toBe(3);
    expect(s.hessian.values.length).toBe(28);
    expectClose(dense(s.hessian), hessian(m.src, "f")(x).hessian, "Rosenbrock");
  });

  it("rejects a function that does not return one number", () => {
    expect(() => sparseHessian(`function f(x: number[]): number[] { return x; }`, "f")).toThrow(DerivError);
  });
});
