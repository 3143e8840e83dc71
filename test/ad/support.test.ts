// The references themselves (test/support/fd.ts, check.ts): extrapolated
// central differences reach ~1e-12 on smooth functions and their error
// estimate bounds the true error; second derivatives by differences of a
// gradient; the dot-product gap flags a wrong transpose; the smoothness probe
// notices a branch change and freezes stopGradient values.

import { describe, expect, it } from "vitest";
import { parseTS } from "../../frontend/index.js";
import { dotProductGap, smoothProbe } from "../support/check.js";
import { fdDirectional, fdGradient, fdHessian, fdJacobian } from "../support/fd.js";

describe("fd", () => {
  const f = (x: readonly number[]): number => Math.exp(x[0]!) * Math.sin(3 * x[1]!) + x[0]! ** 5;
  const grad = (x: readonly number[]): number[] => [Math.exp(x[0]!) * Math.sin(3 * x[1]!) + 5 * x[0]! ** 4, 3 * Math.exp(x[0]!) * Math.cos(3 * x[1]!)];

  it.each([
    [0.3, -0.7],
    [1.9, 2.2],
    [-4, 0.1],
  ])("gradients at (%s, %s) are within their error estimate of the truth", (a, b) => {
    const x = [a, b];
    const est = fdGradient(f, x);
    grad(x).forEach((want, i) => {
      expect(Math.abs(est.value[i]! - want)).toBeLessThanOrEqual(est.error[i]! + 1e-14 * Math.abs(want));
      expect(est.error[i]!).toBeLessThan(1e-9 * Math.max(1, Math.abs(want)));
    });
  });

  it("directional derivatives and Jacobians of vector functions", () => {
    const g = (x: readonly number[]): number[] => [x[0]! * x[1]!, Math.log(x[0]!), Math.atan(x[1]!)];
    const x = [1.7, -0.4];
    const jac = fdJacobian(g, x);
    const want = [
      [x[1]!, x[0]!],
      [1 / x[0]!, 0],
      [0, 1 / (1 + x[1]! ** 2)],
    ];
    want.forEach((row, i) => row.forEach((w, j) => expect(Math.abs(jac.value[i]![j]! - w)).toBeLessThan(1e-11)));
    const dir = fdDirectional(g, x, [2, -1]);
    want.forEach((row, i) => expect(Math.abs(dir.value[i]! - (2 * row[0]! - row[1]!))).toBeLessThan(1e-11));
  });

  it("second derivatives as differences of the gradient", () => {
    const x = [0.5, 0.25];
    const h = fdHessian(grad, x);
    const e = Math.exp(x[0]!);
    const want = [
      [e * Math.sin(3 * x[1]!) + 20 * x[0]! ** 3, 3 * e * Math.cos(3 * x[1]!)],
      [3 * e * Math.cos(3 * x[1]!), -9 * e * Math.sin(3 * x[1]!)],
    ];
    want.forEach((row, i) => row.forEach((w, j) => expect(Math.abs(h.value[i]![j]! - w)).toBeLessThan(1e-10)));
  });

  it("reports a large error estimate across a kink", () => {
    const est = fdGradient((x) => Math.abs(x[0]!), [1e-3]);
    expect(est.error[0]!).toBeGreaterThan(1e-3);
  });
});

describe("check", () => {
  it("the dot-product gap accepts a transpose and rejects a wrong one", () => {
    const J = [
      [1, 2, 0],
      [0, -3, 4],
    ];
    const v = [0.3, -1, 2];
    const u = [1.5, 0.7];
    const jv = J.map((r) => r.reduce((s, a, j) => s + a * v[j]!, 0));
    const jtu = [0, 1, 2].map((j) => J.reduce((s, r, i) => s + r[j]! * u[i]!, 0));
    expect(dotProductGap(u, jv, jtu, v).ok).toBe(true);
    expect(dotProductGap(u, jv, [jtu[0]!, jtu[1]! * (1 + 1e-6), jtu[2]!], v).ok).toBe(false);
    // Rounding residue of cancelling terms passes; a real gap of the same tiny J does not hide a wrong transpose.
    expect(dotProductGap([1], [0], [-1.96e-17], [1]).ok).toBe(true);
    expect(dotProductGap([1], [0], [1e-9], [1]).ok).toBe(false);
  });

  it("the smoothness probe notices a probe that changes branches", () => {
    const m = parseTS(`function f(x: number): number { if (x > 1) return x * x; return 2 * x - 1; }`);
    const near = smoothProbe(m, "f", [1.001], [0]);
    fdGradient((x) => near.f(x)[0]!, near.x);
    expect(near.isSmooth()).toBe(false);
    const far = smoothProbe(m, "f", [1.5], [0]);
    expect(Math.abs(fdGradient((x) => far.f(x)[0]!, far.x).value[0]! - 3)).toBeLessThan(1e-11);
    expect(far.isSmooth()).toBe(true);
  });

  it("the smoothness probe freezes stopGradient at its base-point values", () => {
    const m = parseTS(`function f(x: number): number { return x * stopGradient(x * x); }`);
    const p = smoothProbe(m, "f", [2], [0]);
    expect(p.y).toEqual([8]);
    expect(Math.abs(fdGradient((x) => p.f(x)[0]!, p.x).value[0]! - 4)).toBeLessThan(1e-11);
  });
});
