// Each model of examples/ through the public API, at the README's points,
// against a reference that shares no code with deriv: hand-derived formulas,
// or Richardson-extrapolated central differences (test/support/fd.ts) of the
// example's own source run as plain JavaScript (TypeScript's transpiler
// strips the types; deriv is not involved).

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { grad, hessian, sparseJacobian, sparsity, type CSC } from "../../index.js";
import { unregisterRule, registerRule, type CustomRule } from "../../passes/rules/custom.js";
import { fdGradient } from "../support/fd.js";

const source = (name: string): string => readFileSync(`examples/${name}`, "utf8");

/** The example's function `fn` as JavaScript, with `declare`d functions bound to `externs`. */
function asJavaScript(src: string, fn: string, externs: Record<string, unknown> = {}): (...args: unknown[]) => number {
  const js = ts.transpileModule(src, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  return new Function(...Object.keys(externs), `${js}\nreturn ${fn};`)(...Object.values(externs)) as (...args: unknown[]) => number;
}

/** Entries agree to `rel` relative to the largest magnitude of `want`. */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rel = 1e-13): void {
  expect(got.length).toBe(want.length);
  const scale = Math.max(1, ...Array.from(want, Math.abs));
  Array.from(want).forEach((w, i) => expect(Math.abs(got[i]! - w), `entry ${i}: ${got[i]} vs ${w}`).toBeLessThanOrEqual(rel * scale));
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe("examples/rosenbrock.ts", () => {
  it("gradient and Hessian match the hand-derived formulas", () => {
    const x = [1.2, 1.0, 0.8];
    const r = hessian(source("rosenbrock.ts"), "rosenbrock")(Float64Array.from(x));
    // f = sum 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2
    const n = x.length;
    const g = new Array<number>(n).fill(0);
    const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < n - 1; i++) {
      const t = x[i + 1]! - x[i]! * x[i]!;
      g[i]! += -400 * x[i]! * t - 2 * (1 - x[i]!);
      g[i + 1]! += 200 * t;
      H[i]![i]! += 1200 * x[i]! * x[i]! - 400 * x[i + 1]! + 2;
      H[i]![i + 1]! += -400 * x[i]!;
      H[i + 1]![i]! += -400 * x[i]!;
      H[i + 1]![i + 1]! += 200;
    }
    expectClose(r.gradient[0] as Float64Array, g);
    expectClose(r.hessian.flatMap((row) => Array.from(row)), H.flat());
  });
});

describe("examples/lorenz.ts", () => {
  it("the gradient wrt initial state and parameters matches extrapolated differences of the source", () => {
    const src = source("lorenz.ts");
    const at = [1, 1, 1, 10, 28, 8 / 3];
    const steps = 1000;
    const r = grad(src, "lorenz", { wrt: [0, 1, 2, 3, 4, 5] })(...at, steps);
    const primal = asJavaScript(src, "lorenz");
    expect(r.value).toBe(primal(...at, steps));
    const fd = fdGradient((p) => primal(...p, steps), at);
    const ad = (r.gradient as (number | null)[]).slice(0, 6) as number[];
    ad.forEach((d, i) => expect(Math.abs(d - fd.value[i]!), `d/d arg ${i}: ${d} vs ${fd.value[i]} ± ${fd.error[i]}`).toBeLessThanOrEqual(2 * fd.error[i]!));
    expect(r.gradient[6]).toBeNull();
  });
});

describe("examples/logistic.ts", () => {
  it("the gradient wrt w is X^T (sigmoid(X w) - y) / rows", () => {
    const X = [1, 0.5, -1, 2, 0.3, -0.7, 2, 1];
    const y = [1, 0, 1, 0];
    const w = [0.2, -0.4];
    const r = grad(source("logistic.ts"), "logisticLoss", { wrt: [2] })(Float64Array.from(X), Float64Array.from(y), Float64Array.from(w));
    const want = [0, 0];
    for (let i = 0; i < y.length; i++) {
      const z = X[2 * i]! * w[0]! + X[2 * i + 1]! * w[1]!;
      for (let j = 0; j < 2; j++) want[j]! += (X[2 * i + j]! * (sigmoid(z) - y[i]!)) / y.length;
    }
    expectClose(r.gradient[2] as Float64Array, want);
    expect(r.value).toBe(asJavaScript(source("logistic.ts"), "logisticLoss")(X, y, w));
  });
});

describe("examples/brusselator.ts", () => {
  const n = 4;
  const cells = n * n;
  const uv = Float64Array.from({ length: 2 * cells }, (_, k) => 1 + 0.3 * Math.sin(1.7 * k));

  /** The hand-derived Jacobian, dense row-major. */
  function handJacobian(): number[][] {
    const [B, alpha] = [3.4, 0.002 * cells];
    const J = Array.from({ length: 2 * cells }, () => new Array<number>(2 * cells).fill(0));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const k = i * n + j;
        const [u, v] = [uv[k]!, uv[cells + k]!];
        const neighbours = [((i + n - 1) % n) * n + j, ((i + 1) % n) * n + j, i * n + ((j + n - 1) % n), i * n + ((j + 1) % n)];
        for (const m of neighbours) {
          J[k]![m]! += alpha;
          J[cells + k]![cells + m]! += alpha;
        }
        J[k]![k]! += 2 * u * v - (B + 1) - 4 * alpha;
        J[k]![cells + k]! += u * u;
        J[cells + k]![k]! += B - 2 * u * v;
        J[cells + k]![cells + k]! += -u * u - 4 * alpha;
      }
    }
    return J;
  }

  it("the sparse Jacobian (8 colours) equals the hand-derived one, and the pattern is its nonzeros", () => {
    const src = source("brusselator.ts");
    const r = sparseJacobian(src, "brusselator")(uv);
    expect(r.colors.count).toBe(8);
    const J = handJacobian();
    expectClose(dense(r.jacobian).flat(), J.flat());
    const pattern = sparsity(src, "brusselator")(uv).pattern;
    expect(pattern).toEqual(J.flatMap((row, i) => row.flatMap((x, j) => (x !== 0 ? [[i, j]] : []))));
    expect(pattern).toHaveLength(6 * 2 * cells);
  });

  function dense(csc: CSC): number[][] {
    const out = Array.from({ length: csc.rows }, () => new Array<number>(csc.cols).fill(0));
    for (let j = 0; j < csc.cols; j++) for (let p = csc.colPtr[j]!; p < csc.colPtr[j + 1]!; p++) out[csc.rowIdx[p]!]![j] = csc.values[p]!;
    return out;
  }
});

describe("examples/blackbox.ts", () => {
  let registered: string[] = [];
  afterAll(() => registered.forEach(unregisterRule));

  it("with the rule of blackbox-externs.mjs, the gradient is exact and takes no finite differences", async () => {
    // Loaded by path, as `deriv --externs` loads it.
    const mod = (await import(pathToFileURL("examples/blackbox-externs.mjs").href)) as { softplus: (x: number) => number; rules: Record<string, CustomRule> };
    for (const [name, rule] of Object.entries(mod.rules)) registerRule(name, rule);
    registered = Object.keys(mod.rules);
    const warnings: string[] = [];
    const w = [0.5, -1, 2];
    const s = [1, 1, -1];
    const r = grad(source("blackbox.ts"), "smoothHinge", { externs: { softplus: mod.softplus }, onWarning: (m) => warnings.push(m) })(Float64Array.from(w), Float64Array.from(s));
    expect(warnings).toEqual([]);
    // d/dw_i softplus(1 - w_i s_i) = -s_i sigmoid(1 - w_i s_i); d/ds_i likewise with w_i.
    const margin = w.map((wi, i) => 1 - wi * s[i]!);
    expectClose(r.gradient[0] as Float64Array, margin.map((m, i) => -s[i]! * sigmoid(m)));
    expectClose(r.gradient[1] as Float64Array, margin.map((m, i) => -w[i]! * sigmoid(m)));
    expect(r.value).toBe(asJavaScript(source("blackbox.ts"), "smoothHinge", { softplus: mod.softplus })(w, s));
  });
});
