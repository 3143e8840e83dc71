// Preallocated outputs: `grad(...).into(gradient, ...args)` overwrites the
// arrays (and number entries) of a previous result's gradient through
// `f.vjp.into`, whose array adjoints are out-parameters (compile's `inPlace`);
// `hvp(...).into(out, args, v)` likewise through forward mode over it.
// Checked against the allocating form, which the model suite checks against
// differences; wrong outputs are DerivRuntimeErrors.

import { describe, expect, it } from "vitest";
import { compile } from "../../backend/index.js";
import { grad } from "../../api/reverse.js";
import { hvp } from "../../api/second-order.js";
import { DerivRuntimeError } from "../../ir/errors.js";
import { parseIR } from "../../ir/parser.js";

const SRC = `function f(x: number[], s: number, y: number[]): number {
  let t = 0;
  for (let i = 0; i < x.length; i++) t += Math.sin(x[i] * s) * y[i % y.length];
  return t * s;
}`;

describe("grad(...).into", () => {
  const g = grad(SRC, "f");
  const x = Float64Array.of(0.3, -1.2, 2.5, 0.7);
  const y = Float64Array.of(1.5, -0.5);

  it("gives the allocating form's value and gradient, in the given arrays", () => {
    const want = g(x, 0.8, y);
    const out: unknown[] = [new Float64Array(4).fill(99), null, new Float64Array(2).fill(-7)];
    const keep = [out[0], out[2]];
    const got = g.into(out, x, 0.8, y);
    expect(got.value).toBe(want.value);
    expect(got.gradient).toBe(out);
    expect(out[0]).toBe(keep[0]);
    expect(out[2]).toBe(keep[1]);
    expect([...(out[0] as Float64Array)]).toEqual([...(want.gradient[0] as Float64Array)]);
    expect(out[1]).toBe(want.gradient[1]);
    expect([...(out[2] as Float64Array)]).toEqual([...(want.gradient[2] as Float64Array)]);
    // Reused: a second call overwrites, it does not accumulate.
    g.into(out, x, 0.8, y);
    expect([...(out[0] as Float64Array)]).toEqual([...(want.gradient[0] as Float64Array)]);
    expect([...x]).toEqual([0.3, -1.2, 2.5, 0.7]);
  });

  it("rejects a missing or mis-sized output array", () => {
    expect(() => g.into([new Float64Array(3), null, new Float64Array(2)], x, 0.8, y)).toThrow(DerivRuntimeError);
    expect(() => g.into([[0, 0, 0, 0], null, new Float64Array(2)], x, 0.8, y)).toThrow(/Float64Array of length 4/);
    expect(() => g.into([new Float64Array(4), null, new Float64Array(2)], x, 0.8)).toThrow(DerivRuntimeError);
  });
});

describe("hvp(...).into", () => {
  const h = hvp(SRC, "f");
  const x = Float64Array.of(0.3, -1.2, 2.5, 0.7);
  const y = Float64Array.of(1.5, -0.5);
  const v = [Float64Array.of(1, 0.5, -2, 0.25), -0.75, Float64Array.of(0.5, 2)];

  it("gives the allocating form's value, gradient and H·v, in the given arrays", () => {
    const want = h([x, 0.8, y], v);
    const out = { gradient: [new Float64Array(4).fill(3), null, new Float64Array(2)], hvp: [new Float64Array(4), null, new Float64Array(2).fill(-1)] };
    const arrays = [out.gradient[0], out.hvp[2]];
    for (let k = 0; k < 2; k++) {
      const got = h.into(out, [x, 0.8, y], v);
      expect(got.value).toBe(want.value);
      expect(out.gradient[0]).toBe(arrays[0]);
      expect(out.hvp[2]).toBe(arrays[1]);
      for (const key of ["gradient", "hvp"] as const) {
        [0, 2].forEach((i) => expect([...(out[key][i] as Float64Array)]).toEqual([...(want[key][i] as Float64Array)]));
        expect(out[key][1]).toBe(want[key][1]);
      }
    }
  });

  it("rejects a mis-sized output array", () => {
    const out = { gradient: [new Float64Array(4), null, new Float64Array(2)], hvp: [new Float64Array(4), null, new Float64Array(3)] };
    expect(() => h.into(out, [x, 0.8, y], v)).toThrow(/hvp\[2\] must be a Float64Array of length 2/);
  });
});

describe("compile inPlace", () => {
  const m = parseIR(`func @fill(%a: f64[], %v: f64) -> f64 {
^entry:
  %z: i32 = const 0
  array.set %a, %z, %v
  ret %v
}
`);

  it("passes an out-parameter by reference; other arrays keep value semantics", () => {
    const byRef = compile(m, { inPlace: { fill: [0] } })["fill"]!;
    const byValue = compile(m)["fill"]!;
    const a = new Float64Array(2);
    byValue(a, 5);
    expect([...a]).toEqual([0, 0]);
    byRef(a, 5);
    expect([...a]).toEqual([5, 0]);
    expect(() => byRef([0, 0], 1)).toThrow(DerivRuntimeError);
  });
});
