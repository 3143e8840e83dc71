// Names crafted to inject code, carried past the backend's own tests
// (test/backend/security.test.ts): through the AD passes (whose derived
// names such as `<name>.jvp`, `<name>.vjp.jvp` reach generated JavaScript),
// the optimisation pipeline and every API convenience. Each call works and
// computes the right value; a canary global that the payload would set stays
// unset, and generated JavaScript never contains the name.

import { afterEach, describe, expect, it } from "vitest";
import { compile, emitJS, grad, hessian, jacobian, jvp, parseIR, runPipeline, sparseJacobian, verify, vjp } from "../../index.js";
import { addJvp } from "../../passes/fwd-ad.js";
import { addVjp } from "../../passes/rev-ad.js";
import { HOSTILE_NAMES } from "../support/hostile-names.js";

const HOSTILE = HOSTILE_NAMES;

afterEach(() => {
  expect(globalThis.__derivCanary, "the payload ran").toBeUndefined();
  delete globalThis.__derivCanary;
});

/** `@<name>(x, xs) = x * x + xs[0] * x`, with a callee and a value also named after `name`. */
function hostileModule(name: string) {
  const q = JSON.stringify(name);
  const helper = JSON.stringify(name + ".helper");
  return parseIR(`func @${helper}(%${q}: f64) -> f64 {
^entry:
  %y: f64 = mul %${q}, %${q} loc(${q}:1:1)
  ret %y
}

func @${q}(%x: f64, %xs: f64[]) -> f64 {
^entry:
  %sq: f64 = call @${helper}(%x)
  %zero: i32 = const 0
  %a: f64 = array.get %xs, %zero loc(${q}:2:1)
  %ax: f64 = mul %a, %x
  br ^${q}(%sq, %ax)
^${q}(%p: f64, %${JSON.stringify(name + "2")}: f64):
  %s: f64 = add %p, %${JSON.stringify(name + "2")}
  ret %s
}
`);
}

/** Fails if the generated JavaScript of `m` contains `name` (when it holds characters beyond identifiers). */
function expectNameAbsent(js: string, name: string): void {
  if (/[^A-Za-z0-9_$]/.test(name)) expect(js).not.toContain(name.trim());
  expect(js).not.toMatch(/[\u2028\u2029]|\$\{/);
}

describe("hostile names through AD and the API", () => {
  for (const name of HOSTILE) {
    it(`AD passes, pipeline, compiled: ${JSON.stringify(name)}`, () => {
      const m = hostileModule(name);
      verify(m);
      const ad = addVjp(addJvp(m, { fn: name }), { fn: name });
      verify(ad);
      expectNameAbsent(emitJS(ad), name);
      const f = compile(ad);
      expect(f[`${name}.jvp`]!(2, [3], 1, [0])).toEqual([10, 7]);
      expect(f[`${name}.vjp`]!(2, [3], 1)).toEqual([10, 7, Float64Array.of(2)]);
      const optimised = runPipeline(ad, "simplify,cse,dce,inline", { out: () => {} });
      expectNameAbsent(emitJS(optimised), name);
    });

    // Was a bug (fixed): compile's `inPlace` table was read as a plain object, so
    // functions named after Object.prototype members crashed grad & co.
    it(`API conveniences: ${JSON.stringify(name)}`, () => {
      const m = hostileModule(name);
      expect(grad(m, name)(2, [3])).toEqual({ value: 10, gradient: [7, Float64Array.of(2)] });
      expect(jvp(m, name)([2, [3]], [1, [0]])).toEqual({ value: 10, tangent: 7 });
      expect(vjp(m, name)([2, [3]], 1)).toEqual({ value: 10, cotangent: [7, Float64Array.of(2)] });
      expect(jacobian(m, name, { mode: "reverse" })(2, [3]).jacobian.map((r) => Array.from(r))).toEqual([[7, 2]]);
      expect(hessian(m, name)(2, [3]).hessian.map((r) => Array.from(r))).toEqual([
        [2, 1],
        [1, 0],
      ]);
      expect(Array.from(sparseJacobian(m, name)(2, [3]).jacobian.values)).toEqual([7, 2]);
    });
  }
});
