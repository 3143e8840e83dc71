// The bench's inputs to trust: the TS-subset task sources (bench/tasks/*.mts)
// are valid TypeScript, compile through the frontend and the backend and agree
// with the hand-written primals; the hand-written derivatives that deriv's
// will be timed against match central differences (and, for the sparse
// Jacobian, the dense one and the formula).

import { readdirSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { maxRelativeError } from "../../bench/agree.js";
import { lorenz, lorenzGradient, LORENZ_TAPE_LENGTH } from "../../bench/baselines/lorenz.js";
import { logistic, logisticGradient } from "../../bench/baselines/logistic.js";
import { rosenbrock, rosenbrockGradient, rosenbrockHvp } from "../../bench/baselines/rosenbrock.js";
import { tridiagonal, tridiagonalDenseJacobian, tridiagonalJvp, tridiagonalPattern, tridiagonalSeeds, tridiagonalSparseJacobian } from "../../bench/baselines/tridiagonal.js";
import { LORENZ_ARGS, logisticData, rosenbrockV, rosenbrockX, tridiagonalX } from "../../bench/inputs.js";
import { compileTask, taskPath } from "../../bench/sources.js";

/** Central difference of `f` at `x` along coordinate `i`, with step h. */
function central(f: (x: Float64Array) => number, x: Float64Array, i: number, h: number): number {
  const xp = x.slice();
  const xm = x.slice();
  xp[i] += h;
  xm[i] -= h;
  return (f(xp) - f(xm)) / (2 * h);
}

/** Every component of the central-difference gradient (step relative to |x_i|). */
function fdGradient(f: (x: Float64Array) => number, x: Float64Array): Float64Array {
  return Float64Array.from(x, (xi, i) => central(f, x, i, 1e-6 * Math.max(1, Math.abs(xi))));
}

describe("task sources", () => {
  const files = readdirSync(taskPath("")).filter((f) => f.endsWith(".mts"));

  it("are valid TypeScript", () => {
    expect(files.length).toBe(4);
    const program = ts.createProgram(
      files.map((f) => taskPath(f)),
      { noEmit: true, strict: true, target: ts.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts"], types: [] },
    );
    const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diags).toEqual([]);
  });

  it("compile TS -> IR -> JS and agree with the hand-written primals", () => {
    const x1 = rosenbrockX(1000);
    expect(compileTask("t1-rosenbrock.mts", "rosenbrock")(x1)).toBe(rosenbrock(x1));
    const [a, b, c, s, r, be] = LORENZ_ARGS as [number, number, number, number, number, number];
    expect(compileTask("t2-lorenz.mts", "lorenz")(a, b, c, s, r, be)).toBe(lorenz(a, b, c, s, r, be));
    const { X, y, w } = logisticData(200, 50);
    expect(compileTask("t3-logistic.mts", "logistic")(X, y, w)).toBe(logistic(X, y, w));
    const x4 = tridiagonalX(1000);
    expect(Array.from(compileTask("t4-tridiagonal.mts", "tridiagonal")(x4))).toEqual(Array.from(tridiagonal(x4)));
  });
});

describe("hand-written derivatives", () => {
  it("T1 gradient", () => {
    const x = rosenbrockX(40);
    const g = new Float64Array(40);
    expect(rosenbrockGradient(x, g)).toBe(rosenbrock(x));
    expect(maxRelativeError(g, fdGradient(rosenbrock, x))).toBeLessThan(1e-6);
  });

  it("T2 adjoint gradient", () => {
    const p = Float64Array.from(LORENZ_ARGS);
    const grad = new Float64Array(6);
    const loss = (q: Float64Array): number => lorenz(q[0]!, q[1]!, q[2]!, q[3]!, q[4]!, q[5]!);
    expect(lorenzGradient(p, grad, new Float64Array(LORENZ_TAPE_LENGTH))).toBe(loss(p));
    expect(maxRelativeError(grad, fdGradient(loss, p))).toBeLessThan(1e-5);
  });

  it("T3 gradient with respect to w", () => {
    const { X, y, w } = logisticData(60, 7);
    const g = new Float64Array(7);
    expect(logisticGradient(X, y, w, g)).toBe(logistic(X, y, w));
    expect(maxRelativeError(g, fdGradient((v) => logistic(X, y, v), w))).toBeLessThan(1e-6);
  });

  it("T4 sparse and dense (column-major) Jacobians", () => {
    const n = 10;
    const x = tridiagonalX(n);
    const dense = new Float64Array(n * n);
    tridiagonalDenseJacobian(x, dense, new Float64Array(n));
    const jac = tridiagonalPattern(n);
    tridiagonalSparseJacobian(x, jac, tridiagonalSeeds(n), new Float64Array(3 * n));
    const fromSparse = new Float64Array(n * n);
    for (let j = 0; j < n; j++) for (let k = jac.colPtr[j]!; k < jac.colPtr[j + 1]!; k++) fromSparse[j * n + jac.rowIdx[k]!] = jac.values[k]!;
    expect(Array.from(fromSparse)).toEqual(Array.from(dense));
    const fd = new Float64Array(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) fd[j * n + i] = central((v) => tridiagonal(v)[i]!, x, j, 1e-6);
    expect(maxRelativeError(dense, fd)).toBeLessThan(1e-6);
    const v = rosenbrockV(n);
    const jv = new Float64Array(n);
    tridiagonalJvp(x, v, jv);
    for (let i = 0; i < n; i++) expect(jv[i]).toBeCloseTo(v.reduce((s, vj, j) => s + dense[j * n + i]! * vj, 0), 12);
  });

  it("T5 Hessian-vector product", () => {
    const n = 30;
    const x = rosenbrockX(n);
    const v = rosenbrockV(n);
    const g = new Float64Array(n);
    const hv = new Float64Array(n);
    expect(rosenbrockHvp(x, v, g, hv)).toBe(rosenbrock(x));
    const grad = (p: Float64Array): Float64Array => {
      const out = new Float64Array(n);
      rosenbrockGradient(p, out);
      return out;
    };
    const h = 1e-6;
    const gp = grad(Float64Array.from(x, (xi, i) => xi + h * v[i]!));
    const gm = grad(Float64Array.from(x, (xi, i) => xi - h * v[i]!));
    expect(maxRelativeError(hv, Float64Array.from(gp, (e, i) => (e - gm[i]!) / (2 * h)))).toBeLessThan(1e-6);
    expect(maxRelativeError(g, grad(x))).toBe(0);
  });
});
