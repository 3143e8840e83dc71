// First-order exactness on every model of test/support/models.ts (DESIGN.md
// §8): the forward Jacobian, the reverse Jacobian, `jvp`, `vjp` and `grad`
// against extrapolated central differences at random smooth points (within
// the FD error estimate), and the dot-product test u·(J v) = (Jᵀu)·v between
// `jvp` and `vjp`. Points where an FD probe changes branches are skipped and
// counted; the counts are printed at the end.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grad, jacobian, jvp, vjp } from "../../index.js";
import { expectClose, expectDotProduct, flatten } from "../support/check.js";
import { findFunc } from "../../ir/types.js";
import { installRules, makeRng, MODELS } from "../support/models.js";
import { asList, flatActive, matVec, randomVector, referencePoints, shapeLike, shapeResults, vecMat, type ModelRefs } from "./reference.js";

const POINTS = 3;

const quiet = { onWarning: () => {} };
const skippedByModel: string[] = [];

it("has at least 45 models with distinct names", () => {
  expect(MODELS.length).toBeGreaterThanOrEqual(45);
  expect(new Set(MODELS.map((m) => m.name)).size).toBe(MODELS.length);
});

MODELS.forEach((model, index) => {
  describe(model.name, () => {
    let refs: ModelRefs;
    let restore: () => void;
    const opts = { ...quiet, ...(model.externs ? { externs: model.externs } : {}), ...(model.wrt ? { wrt: model.wrt } : {}) };
    const rel = model.rel ?? 1e-9;
    beforeAll(() => {
      restore = installRules(model);
      refs = referencePoints(model, 1000 + index, POINTS);
      if (refs.skipped) skippedByModel.push(`${model.name}: ${refs.skipped}`);
    });
    afterAll(() => restore());

    it("has smooth points", () => expect(refs.points.length).toBe(POINTS));

    for (const mode of ["forward", "reverse"] as const) it(`${mode} Jacobian matches finite differences`, () => {
      // Forward mode also with 2 directions per sweep (several sweeps, a partial last chunk).
      const variants = mode === "forward" ? [jacobian(model.src, model.fn, { ...opts, mode }), jacobian(model.src, model.fn, { ...opts, mode, chunk: 2 })] : [jacobian(model.src, model.fn, { ...opts, mode })];
      for (const jac of variants) {
        for (const p of refs.points) {
          const got = jac(...p.args);
          expectClose(flatten(asList(got.value)), p.y, p.y.map(() => 0), `${mode} value`);
          expect(got.jacobian.length, "rows").toBe(p.jac.value.length);
          got.jacobian.forEach((row, i) => expectClose(row, p.jac.value[i]!, p.jac.error[i]!, `${mode} row ${i} at ${p.x}`, rel));
        }
      }
    });

    it("jvp matches finite differences and vjp passes the dot-product test", () => {
      const fwd = jvp(model.src, model.fn, opts);
      const rev = vjp(model.src, model.fn, opts);
      const r = makeRng(7 + index);
      for (const p of refs.points) {
        const v = randomVector(r, p.x.length);
        const u = randomVector(r, p.y.length);
        const out = fwd(p.args, shapeLike(v, p.args, p.wrt));
        const jv = flatten(asList(out.tangent));
        const want = matVec(p.jac, v);
        expectClose(jv, want.value, want.error, `J·v at ${p.x}`, rel);
        const values = asList(out.value);
        const jtu = flatActive(rev(p.args, shapeResults(u, values)).cotangent, p.wrt);
        const wantT = vecMat(u, p.jac);
        expectClose(jtu, wantT.value, wantT.error, `Jᵀ·u at ${p.x}`, rel);
        expectDotProduct(u, jv, jtu, v, model.name);
      }
    });

    it("grad matches finite differences (scalar models)", (ctx) => {
      const results = findFunc(refs.module, model.fn)!.results;
      if (results.length !== 1 || results[0] !== "f64") return ctx.skip();
      const g = grad(model.src, model.fn, opts);
      for (const p of refs.points) {
        const got = g(...p.args);
        expectClose(got.value, p.y, [0], "value");
        expectClose(flatActive(got.gradient, p.wrt), p.jac.value[0]!, p.jac.error[0]!, `gradient at ${p.x}`, rel);
      }
    });
  });
});

afterAll(() => {
  console.log(`models: ${MODELS.length}; candidate points skipped as non-smooth: ${skippedByModel.length ? skippedByModel.join(", ") : "none"}`);
});
