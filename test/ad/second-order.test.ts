// Second-order exactness (DESIGN.md §3, §8) on every scalar model: the dense
// `hessian` (fwd∘rev) against differences of the AD gradient at smooth points
// (and symmetric); `hvp` against directional differences of the gradient and
// against H·v; rev∘fwd (`addVjp` on `f.jvp`) against fwd∘rev; fwd∘fwd
// (`addJvp` on `f.jvp`) against vᵀHv; the perturbation-confusion classic
// d/dx [x · d/dy (x + y)] = 1; and rev∘rev, which works on straight-line code
// and is rejected with a PipelineError once the first vjp records a tape.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bindAdExterns } from "../../api/externs.js";
import { compile, type Callable } from "../../backend/index.js";
import { parseTS } from "../../frontend/index.js";
import { grad, hessian, hvp } from "../../index.js";
import { interpret } from "../../ir/interpreter.js";
import { parseIR } from "../../ir/parser.js";
import { printIR } from "../../ir/printer.js";
import { findFunc, type Module } from "../../ir/types.js";
import { verify } from "../../ir/verifier.js";
import { addJvp } from "../../passes/fwd-ad.js";
import { runPipeline } from "../../passes/pipeline.js";
import { addVjp } from "../../passes/rev-ad.js";
import { expectClose, flatten, smoothProbe, unflatten } from "../support/check.js";
import { fdDirectional, fdHessian } from "../support/fd.js";
import { installRules, makeRng, MODELS, type Model } from "../support/models.js";
import { flatActive, randomVector, referencePoints, shapeLike, type ModelRefs } from "./reference.js";

const quiet = { onWarning: () => {} };

const isScalar = (model: Model): boolean => findFunc(parseTS(model.src), model.fn)!.results.join() === "f64";
const SCALAR_MODELS = MODELS.filter(isScalar);

/** Cleans up and compiles function `name` of `module`. */
function compileFn(module: Module, name: string, model: Model): Callable {
  const cleaned = runPipeline(module, "simplify,cse,dce");
  return compile(cleaned, { externs: bindAdExterns(cleaned, { ...(model.externs ? { externs: model.externs } : {}), onWarning: () => {} }) })[name]!;
}

describe.each(SCALAR_MODELS.map((m, i) => [m.name, m, i] as const))("%s", (_name, model, index) => {
  // Differences of the gradient see through stopGradient; the Hessian does not (tested in semantics.test.ts).
  const fdValid = !model.src.includes("stopGradient");
  const opts = { ...quiet, ...(model.externs ? { externs: model.externs } : {}), ...(model.wrt ? { wrt: model.wrt } : {}) };
  let refs: ModelRefs;
  let restore: () => void;
  beforeAll(() => {
    restore = installRules(model);
    refs = referencePoints(model, 5000 + index, 2);
  });
  afterAll(() => restore());

  it("hessian matches differences of the gradient; hvp matches H·v", () => {
    const h = hessian(model.src, model.fn, opts);
    const hv = hvp(model.src, model.fn, opts);
    const g = grad(model.src, model.fn, opts);
    const r = makeRng(index);
    let checked = 0;
    for (const p of refs.points) {
      // Differences of the AD gradient, only where the primal keeps its branches.
      const probe = smoothProbe(refs.module, model.fn, p.args, p.wrt, model.externs);
      const gradient = (x: readonly number[]): number[] => {
        probe.f(x);
        return flatActive(g(...unflatten(x, p.args, p.wrt)).gradient, p.wrt);
      };
      const fd = fdHessian(gradient, p.x);
      if (!probe.isSmooth()) continue;
      const got = h(...p.args);
      if (fdValid) got.hessian.forEach((row, i) => expectClose(row, fd.value[i]!, fd.error[i]!, `hessian row ${i}`, 1e-8));
      got.hessian.forEach((row, i) => row.forEach((hij, j) => expect(Math.abs(hij - got.hessian[j]![i]!), `symmetry (${i}, ${j})`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(hij)))));
      const v = randomVector(r, p.x.length);
      const out = hv(p.args, shapeLike(v, p.args, p.wrt));
      const hvFlat = flatActive(out.hvp, p.wrt);
      const dir = fdDirectional(gradient, p.x, v);
      if (fdValid) expectClose(hvFlat, dir.value, dir.error, "hvp vs FD", 1e-8);
      const hTimesV = got.hessian.map((row) => row.reduce((s, a, j) => s + a * v[j]!, 0));
      expectClose(hvFlat, hTimesV, hTimesV.map(() => 0), "hvp vs H·v", 1e-10);
      expect(out.value).toBe(got.value);
      checked++;
    }
    expect(checked, "smooth points checked").toBeGreaterThan(0);
  });

  it("rev∘fwd and fwd∘fwd agree with fwd∘rev", () => {
    const module = refs.module;
    const wrt = refs.points[0]!.wrt;
    const nParams = findFunc(module, model.fn)!.blocks[0]!.params.length;
    const withJvp = addJvp(module, { fn: model.fn, wrt });
    const revFwd = addVjp(withJvp, { fn: `${model.fn}.jvp`, wrt: [...wrt, ...wrt.map((_, k) => nParams + k)] });
    const fwdFwd = addJvp(withJvp, { fn: `${model.fn}.jvp`, wrt });
    verify(revFwd);
    verify(fwdFwd);
    const rf = compileFn(revFwd, `${model.fn}.jvp.vjp`, model);
    const ff = compileFn(fwdFwd, `${model.fn}.jvp.jvp`, model);
    const hv = hvp(model.src, model.fn, opts);
    const r = makeRng(100 + index);
    for (const p of refs.points) {
      const v = randomVector(r, p.x.length);
      const tangents = wrt.map((i) => shapeLike(v, p.args, p.wrt)[i]!);
      const want = hv(p.args, shapeLike(v, p.args, p.wrt));
      const wantHv = flatActive(want.hvp, wrt);
      const wantGrad = flatActive(want.gradient, wrt);
      // f.jvp.vjp(x, dx, ybar = 0, dybar = 1) -> (y, dy, xbar = H v, dxbar = ∇f)
      const outRf = flatten(rf(...p.args, ...tangents, 0, 1) as unknown[]);
      const n = p.x.length;
      expectClose(outRf.slice(2, 2 + n), wantHv, wantHv.map(() => 0), "rev∘fwd H·v", 1e-10);
      expectClose(outRf.slice(2 + n), wantGrad, wantGrad.map(() => 0), "rev∘fwd ∇f", 1e-12);
      // f.jvp.jvp(x, dx = v, x' = v) -> (y, dy, y', dy' = vᵀHv)
      const outFf = flatten(ff(...p.args, ...tangents, ...tangents) as unknown[]);
      const vHv = wantHv.reduce((s, a, j) => s + a * v[j]!, 0);
      expectClose([outFf[3]!], [vHv], [0], "fwd∘fwd vᵀHv", 1e-10);
    }
  });
});

describe("perturbation confusion", () => {
  // d/dx [x · d/dy (x + y)] at y = x: the inner derivative is 1, so the answer
  // is 1; confusing the inner and outer perturbations gives 2.
  const inner = addJvp(parseIR(`func @g(%x: f64, %y: f64) -> f64 {\n^entry:\n  %s: f64 = add %x, %y\n  ret %s\n}\n`), { fn: "g", wrt: [1] });
  const module = parseIR(
    `${printIR(inner)}
func @h(%x: f64) -> f64 {
^entry:
  %one: f64 = const 1.0
  %s: f64, %d: f64 = call @"g.jvp"(%x, %x, %one)
  %r: f64 = mul %x, %d
  ret %r
}
`,
  );

  it.each([0.5, -2, 3])("fwd, rev and fwd∘fwd give 1 at x = %s", (x) => {
    expect(interpret(addJvp(module, { fn: "h" }), "h.jvp", [x, 1])).toEqual([x, 1]);
    expect(interpret(addVjp(module, { fn: "h" }), "h.vjp", [x, 1])).toEqual([x, 1]);
    // Second derivative of h(x) = x is 0: fwd over the fwd result.
    const twice = addJvp(addJvp(module, { fn: "h" }), { fn: "h.jvp", wrt: [0] });
    expect(interpret(twice, "h.jvp.jvp", [x, 1, 1])).toEqual([x, 1, 1, 0]);
  });
});

describe("rev∘rev", () => {
  it("works on straight-line code: f'' of x·sin(x)", () => {
    const m = parseTS(`function f(x: number): number { return x * Math.sin(x); }`);
    const twice = addVjp(addVjp(m, { fn: "f" }), { fn: "f.vjp", wrt: [0] });
    verify(twice);
    // f.vjp.vjp(x, ybar = 1, cot(y) = 0, cot(xbar) = 1) -> (y, xbar, d xbar / dx)
    for (const x of [0.3, -1.7, 2.2]) {
      const [y, xbar, second] = interpret(twice, "f.vjp.vjp", [x, 1, 0, 1]) as number[];
      expect(y).toBe(x * Math.sin(x));
      expect(Math.abs(xbar! - (Math.sin(x) + x * Math.cos(x)))).toBeLessThan(1e-15);
      expect(Math.abs(second! - (2 * Math.cos(x) - x * Math.sin(x)))).toBeLessThan(1e-14);
    }
  });

  it("works through the first vjp's tape (a shadow stack): H·v of a loop, against fwd∘rev and differences of the gradient", () => {
    const src = `function f(x: number, y: number): number { let s = 0; for (let i = 0; i < 3; i++) s += Math.sin(x * s + i * y); return s * y; }`;
    const twice = runPipeline(parseTS(src), `rev-ad{fn=f},simplify,cse,dce,rev-ad{fn="f.vjp"},simplify,cse,dce`, { verifyEach: true });
    expect(printIR(twice)).toContain("stack.pop");
    const vv = compile(twice)["f.vjp.vjp"]!;
    const g = grad(src, "f");
    for (const [x, y, v0, v1] of [
      [0.3, 0.7, 1, -0.5],
      [-1.1, 0.2, 0.25, 2],
    ] as const) {
      // f.vjp.vjp(x, y, ybar = 1, cot(y) = 0, cot(xbar) = v0, cot(ybar') = v1) -> (y, xbar, ybar', (H v)_x, (H v)_y, d/d ybar)
      const out = vv(x, y, 1, 0, v0, v1) as number[];
      const want = hvp(src, "f")([x, y], [v0, v1]).hvp as number[];
      expect(Math.abs(out[3]! - want[0]!)).toBeLessThan(1e-13 * Math.max(1, Math.abs(want[0]!)));
      expect(Math.abs(out[4]! - want[1]!)).toBeLessThan(1e-13 * Math.max(1, Math.abs(want[1]!)));
      const fd = fdDirectional((p) => g(p[0]!, p[1]!).gradient as number[], [x, y], [v0, v1]);
      expectClose([out[3]!, out[4]!], fd.value, fd.error, "rev∘rev H·v vs differences of the gradient");
    }
  });
});
