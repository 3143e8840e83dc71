// API semantics around derivatives (DESIGN.md §4): `stopGradient` blocks
// derivatives in every mode and order (hand-derived values), `wrt` limits
// the active arguments, and no API call modifies the caller's arrays —
// arguments, tangents and cotangents — even for functions that update their
// array parameters in place.

import { describe, expect, it } from "vitest";
import { grad, hessian, hvp, jacobian, jvp, vjp } from "../../index.js";
import { makeRng, MODELS, type Model } from "../support/models.js";

describe("stopGradient", () => {
  const src = `function f(x: number, y: number): number { return x * stopGradient(y * x) + stopGradient(x * x) * y + Math.sin(x); }`;
  // Treating the stopped values as constants: ∇f = [xy + cos x, x²], H = [[-sin x, 0], [0, 0]].
  const cases = [
    [0.4, -1.3],
    [2, 0.5],
  ] as const;

  it.each(cases)("blocks first derivatives in every mode at (%s, %s)", (x, y) => {
    const want = [x * y + Math.cos(x), x * x];
    const close = (got: ArrayLike<number>): void => Array.from(got).forEach((g, i) => expect(Math.abs(g - want[i]!), `∂${i}`).toBeLessThan(4e-15));
    close(grad(src, "f")(x, y).gradient as number[]);
    close(vjp(src, "f")([x, y], 1).cotangent as number[]);
    close(jacobian(src, "f", { mode: "forward" })(x, y).jacobian[0]!);
    close(jacobian(src, "f", { mode: "reverse" })(x, y).jacobian[0]!);
    close([jvp(src, "f")([x, y], [1, 0]).tangent as number, jvp(src, "f")([x, y], [0, 1]).tangent as number]);
  });

  it.each(cases)("blocks second derivatives at (%s, %s)", (x, y) => {
    const h = hessian(src, "f")(x, y).hessian.map((r) => Array.from(r));
    expect(Math.abs(h[0]![0]! + Math.sin(x))).toBeLessThan(1e-15);
    expect([h[0]![1], h[1]![0], h[1]![1]].every((v) => v === 0)).toBe(true);
    expect((hvp(src, "f")([x, y], [0, 1]).hvp as number[]).every((v) => v === 0)).toBe(true);
  });

  it("of the whole result gives a zero gradient", () => {
    const g = grad(`function f(x: number): number { return stopGradient(x * x) + 0 * x; }`, "f")(3);
    expect(g).toEqual({ value: 9, gradient: [0] });
  });
});

describe("wrt", () => {
  it("returns null for inactive arguments and leaves them out of Jacobians", () => {
    const src = `function f(x: number, a: number[], y: number): number { return x * a[0] * y; }`;
    const a = new Float64Array([2]);
    expect(grad(src, "f", { wrt: [2] })(3, a, 5).gradient).toEqual([null, null, 6]);
    expect(jacobian(src, "f", { wrt: [0, 1], mode: "reverse" })(3, a, 5).jacobian.map((r) => Array.from(r))).toEqual([[10, 15]]);
    expect(jacobian(src, "f", { wrt: [0, 1], mode: "forward" })(3, a, 5).jacobian.map((r) => Array.from(r))).toEqual([[10, 15]]);
  });
});

/** Models whose functions write their array parameters (bubble-sort too, but
 * its nested loops hit a backend bug, see regressions.test.ts). */
const IN_PLACE = ["scale-in-place", "prefix-sum", "reverse-swaps", "aliasing", "slice-copy"];

/** Deep copies of the arrays of a list (numbers kept as they are). */
const snapshot = (xs: readonly unknown[]): unknown[] => xs.map((x) => (x instanceof Float64Array ? x.slice() : x));

describe("no API call modifies the caller's arrays", () => {
  it.each(IN_PLACE)("%s", (name) => {
    const model = MODELS.find((m: Model) => m.name === name)!;
    const args = model.inputs(makeRng(3));
    const before = snapshot(args);
    const tangents = args.map((a) => (typeof a === "number" ? 1 : Float64Array.from(a, (_, i) => i + 1)));
    const tangentsBefore = snapshot(tangents);
    const f = jvp(model.src, model.fn);
    const value = f(args, tangents).value;
    const cotangent = value instanceof Float64Array ? Float64Array.from(value, (_, i) => 1 - i) : 1;
    const cotangentBefore = snapshot([cotangent]);
    vjp(model.src, model.fn)(args, cotangent);
    jacobian(model.src, model.fn, { mode: "forward" })(...args);
    jacobian(model.src, model.fn, { mode: "reverse" })(...args);
    if (typeof value === "number") {
      grad(model.src, model.fn)(...args);
      hessian(model.src, model.fn)(...args);
      hvp(model.src, model.fn)(args, tangents);
    }
    expect(args).toEqual(before);
    expect(tangents).toEqual(tangentsBefore);
    expect([cotangent]).toEqual(cotangentBefore);
  });
});
