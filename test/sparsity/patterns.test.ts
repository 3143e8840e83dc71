// Sparsity detection: soundness (every entry that is numerically nonzero in
// the dense Jacobian / Hessian at 20 random points is in the pattern, global
// and local), tightness (exact on the models whose pattern is known by
// construction), the union-vs-taken-branch case, and local ⊆ global.

import { describe, expect, it } from "vitest";
import { jacobian } from "../../api/jacobian.js";
import { hessian } from "../../api/second-order.js";
import { sparsity } from "../../api/sparse.js";
import { parseTS } from "../../frontend/index.js";
import { activeOf, installRules, makeRng, MODELS } from "../support/models.js";
import { controlModels, exactModels, unionBranch, type SparseModel } from "./models.js";
import { expectWithin, nonzeroRows, rowsOf } from "./support.js";

const POINTS = 20;

/** Checks soundness of the global and local patterns of `m` at POINTS random points. */
function checkSound(m: SparseModel, seed: number): void {
  const r = makeRng(seed);
  const module = parseTS(m.src);
  const dense = m.hessian ? hessian(module, m.fn) : jacobian(module, m.fn);
  const global = sparsity(module, m.fn, { hessian: m.hessian ?? false });
  const local = sparsity(module, m.fn, { mode: "local", hessian: m.hessian ?? false });
  for (let k = 0; k < POINTS; k++) {
    const args = m.args(r);
    const d = dense(...args);
    const nz = nonzeroRows("hessian" in d ? d.hessian : d.jacobian);
    const g = rowsOf(global(...args));
    const l = rowsOf(local(...args));
    expectWithin(nz, g, `${m.name}: dense nonzeros within the global pattern at point ${k}`);
    expectWithin(nz, l, `${m.name}: dense nonzeros within the local pattern at point ${k}`);
    expectWithin(l, g, `${m.name}: local pattern within the global one at point ${k}`);
  }
}

describe("tightness on patterns known by construction", () => {
  for (const m of exactModels(makeRng(7))) {
    it(m.name, () => {
      const r = makeRng(11);
      const detect = sparsity(m.src, m.fn, { hessian: m.hessian ?? false });
      for (let k = 0; k < 5; k++) {
        const args = m.args(r);
        const p = detect(...args);
        expect(rowsOf(p), `${m.name} at sizes ${args.map((a) => (typeof a === "number" ? "scalar" : a.length))}`).toEqual(m.expected!(args));
        expect(p.nnz).toBe(p.pattern.length);
        expect(p.warnings).toEqual([]);
      }
    });
  }
});

describe("soundness against dense derivatives at random points", () => {
  exactModels(makeRng(7)).forEach((m, k) => it(m.name, () => checkSound(m, 100 + k)));
  controlModels.forEach((m, k) => it(m.name, () => checkSound(m, 200 + k)));
});

describe("soundness on the AD test models", () => {
  MODELS.forEach((model, k) => {
    it(model.name, () => {
      const restore = installRules(model);
      try {
        const r = makeRng(300 + k);
        const module = parseTS(model.src);
        const opts = { externs: model.externs ?? {}, onWarning: () => {} };
        let wrt: number[] | undefined;
        let dense: ReturnType<typeof jacobian> | undefined;
        let global: ReturnType<typeof sparsity> | undefined;
        for (let q = 0; q < POINTS; q++) {
          const args = model.inputs(r);
          if (!wrt) {
            wrt = activeOf(model, args);
            dense = jacobian(module, model.fn, { ...opts, wrt });
            global = sparsity(module, model.fn, { ...opts, wrt });
          }
          const nz = nonzeroRows(dense!(...args).jacobian);
          expectWithin(nz, rowsOf(global!(...args)), `${model.name} at point ${q}`);
        }
      } finally {
        restore();
      }
    });
  });
});

describe("a branch on active data", () => {
  const x = Float64Array.of(0.5, -1, 2, -3, 4, 0.25);
  it("gives the union of both sides in global mode", () => {
    expect(rowsOf(sparsity(unionBranch.src, "f")(x))).toEqual(unionBranch.expected!([x]));
  });
  it("follows the taken side in local mode", () => {
    // x[1] < 0: y[1] = x[0]; x[2] > 0: y[2] = x[2] x[3]; ...
    expect(rowsOf(sparsity(unionBranch.src, "f", { mode: "local" })(x))).toEqual([[], [0], [2, 3], [2], [4, 5], []]);
  });
});

describe("linear and nonlinear interactions", () => {
  const pattern = (body: string): number[][] => rowsOf(sparsity(`function f(x: number, y: number): number { return ${body}; }`, "f", { hessian: true })(1, 2));
  it("x + y makes no Hessian pair, x * y does", () => {
    expect(pattern("x + y")).toEqual([[], []]);
    expect(pattern("x * y")).toEqual([[1], [0]]);
    expect(pattern("x * x + y")).toEqual([[0], []]);
  });
  it("x / y is linear in x", () => {
    expect(pattern("x / y")).toEqual([[1], [0, 1]]);
  });
  it("piecewise-linear and zero-derivative ops add no pairs", () => {
    expect(pattern("Math.abs(x) + Math.max(x, y) + Math.floor(x * y)")).toEqual([[], []]);
    expect(pattern("Math.sin(x) + (x < y ? 1 : 0)")).toEqual([[0], []]);
  });
});

describe("warnings and limits", () => {
  it("widens an index computed from active data, and says so", () => {
    const p = sparsity(controlModels.find((m) => m.name === "index from active data")!.src, "f")(Float64Array.of(0.1, 0.2, 0.3));
    // y[k] = 2 x[1] may write any element; y[0] += x[k] may read any.
    expect(rowsOf(p)).toEqual([[0, 1, 2], [1], [1]]);
    expect(p.warnings.some((w) => w.includes("widened to every element"))).toBe(true);
  });
  it("summarizes recursion under a data-dependent branch", () => {
    const m = controlModels.find((c) => c.name.startsWith("recursion with an unbounded"))!;
    const p = sparsity(m.src, "f")(Float64Array.of(1, 2));
    expect(rowsOf(p)).toEqual([[0], [0, 1]]);
    expect(p.warnings.some((w) => w.includes("recursion under a data-dependent branch: @g is summarized"))).toBe(true);
  });
  it("follows recursion on known data, and summarizes calls nested too deep", () => {
    const src = `function g(x: number, n: number): number { return n === 0 ? x : 1.5 * g(x, n - 1); }
    function f(x: number[]): number[] { return [g(x[1], 3), g(x[0], 500)]; }`;
    const p = sparsity(src, "f")(Float64Array.of(1, 2));
    expect(rowsOf(p)).toEqual([[1], [0]]);
    expect(p.warnings.some((w) => w.includes("calls nested deeper than 400"))).toBe(true);
  });
  it("rejects a result whose length depends on the active inputs", () => {
    const src = `function f(x: number[]): number[] { const n = x[0] > 0 ? 2 : 3; return new Array(n).fill(x[1]); }`;
    expect(() => sparsity(src, "f")(Float64Array.of(1, 2))).toThrow(/length of result 0 .* depends on the active inputs/);
    expect(rowsOf(sparsity(src, "f", { mode: "local" })(Float64Array.of(1, 2)))).toEqual([[1], [1]]);
  });
});
