// Black boxes and custom rules (DESIGN.md §4): an extern without a rule is
// differentiated by finite differences (accurate to ~1e-6, one warning per
// function naming it), or rejected with E_AD_MISSING_RULE under
// `onMissingRule: "error"`; a registered jvp/vjp rule for an extern, and for
// a TS function, is the derivative actually used (the rules here are
// deliberately off by a factor so replacement is visible) and is called.
// Every test restores the rule registry and the warned-once set.

import { afterEach, describe, expect, it } from "vitest";
import { resetFallbackWarnings } from "../../api/externs.js";
import { DerivError, grad, hessian, jacobian, jvp, vjp } from "../../index.js";
import { registerRule, unregisterRule } from "../../passes/rules/custom.js";

const bump = (x: number, y: number): number => Math.exp(-x * x) * Math.cos(y);
const SRC = `declare function bump(x: number, y: number): number;
function f(x: number, y: number): number { return bump(x, y) * x + Math.sin(bump(y, x)); }`;
/** ∇f by hand: f = b(x, y) x + sin(b(y, x)), b_x = -2x b, b_y = -e^{-x²} sin y. */
function handGradient(x: number, y: number): [number, number] {
  const bxy = bump(x, y);
  const byx = bump(y, x);
  const c = Math.cos(byx);
  const dbxy = [-2 * x * bxy, -Math.exp(-x * x) * Math.sin(y)] as const;
  const dbyx = [-Math.exp(-y * y) * Math.sin(x), -2 * y * byx] as const;
  return [dbxy[0] * x + bxy + c * dbyx[0], dbxy[1] * x + c * dbyx[1]];
}

afterEach(() => {
  resetFallbackWarnings();
  unregisterRule("bump");
  unregisterRule("sq");
});

describe("externs without a rule", () => {
  it("fall back to finite differences, accurate to ~1e-6, warning once by name", () => {
    const warnings: string[] = [];
    const opts = { externs: { bump }, onWarning: (m: string) => warnings.push(m) };
    const g = grad(SRC, "f", opts);
    const fwd = jvp(SRC, "f", opts);
    for (const [x, y] of [
      [0.3, -0.7],
      [1.1, 0.4],
    ] as const) {
      const want = handGradient(x, y);
      const got = g(x, y).gradient as number[];
      got.forEach((gi, i) => expect(Math.abs(gi - want[i]!), `∂${i}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(want[i]!))));
      const t = fwd([x, y], [1, 2]).tangent as number;
      expect(Math.abs(t - (want[0] + 2 * want[1]))).toBeLessThan(3e-6);
    }
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(/@bump/);
  });

  it('fail with E_AD_MISSING_RULE under onMissingRule: "error", naming the function', () => {
    const opts = { externs: { bump }, onMissingRule: "error" as const, onWarning: () => {} };
    for (const make of [() => grad(SRC, "f", opts), () => jvp(SRC, "f", opts), () => jacobian(SRC, "f", { ...opts, mode: "reverse" })(0.3, 0.2)]) {
      let caught: unknown;
      try {
        make();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(DerivError);
      expect((caught as DerivError).code).toBe("E_AD_MISSING_RULE");
      expect((caught as DerivError).message).toMatch(/bump/);
    }
  });
});

describe("registered rules", () => {
  it("replace the derivative of an extern in both modes and are called", () => {
    let jvpCalls = 0;
    let vjpCalls = 0;
    // Off by a factor 3 on purpose: the result shows which derivative was used.
    registerRule("bump", {
      jvp: ([x, y], [dx, dy]) => {
        jvpCalls++;
        return [bump(x!, y!), 3 * (dx! + dy!)];
      },
      vjp: ([x, y], [w]) => {
        vjpCalls++;
        return [bump(x!, y!), 3 * w!, 3 * w!];
      },
    });
    const warnings: string[] = [];
    const opts = { externs: { bump }, onWarning: (m: string) => warnings.push(m) };
    const x = 0.3;
    const y = -0.7;
    // With bump' = (3, 3): ∂f/∂x = 3x + b(x, y) + cos(b(y, x))·3, ∂f/∂y = 3x + cos(b(y, x))·3.
    const c = Math.cos(bump(y, x));
    const want = [3 * x + bump(x, y) + 3 * c, 3 * x + 3 * c];
    const g = grad(SRC, "f", opts)(x, y).gradient as number[];
    g.forEach((gi, i) => expect(Math.abs(gi - want[i]!)).toBeLessThan(1e-14));
    const t = jvp(SRC, "f", opts)([x, y], [1, 0]).tangent as number;
    expect(Math.abs(t - want[0]!)).toBeLessThan(1e-14);
    expect(jvpCalls).toBeGreaterThan(0);
    expect(vjpCalls).toBeGreaterThan(0);
    expect(warnings).toEqual([]);
  });

  it("replace the transformed derivative of a TS function in both modes and are called", () => {
    const src = `function sq(x: number): number { return x * x; }
function f(x: number, y: number): number { return sq(x * y) + y; }`;
    let jvpCalls = 0;
    let vjpCalls = 0;
    // sq' is really 2x; the rule says 5x.
    registerRule("sq", {
      jvp: ([x], [dx]) => {
        jvpCalls++;
        return [x! * x!, 5 * x! * dx!];
      },
      vjp: ([x], [w]) => {
        vjpCalls++;
        return [x! * x!, 5 * x! * w!];
      },
    });
    const x = 0.7;
    const y = 1.3;
    const want = [5 * x * y * y, 5 * x * y * x + 1];
    const g = grad(src, "f")(x, y);
    expect(g.value).toBe((x * y) ** 2 + y);
    (g.gradient as number[]).forEach((gi, i) => expect(Math.abs(gi - want[i]!)).toBeLessThan(1e-14));
    const j = jacobian(src, "f", { mode: "forward" })(x, y).jacobian[0]!;
    Array.from(j).forEach((ji, i) => expect(Math.abs(ji - want[i]!)).toBeLessThan(1e-14));
    const r = vjp(src, "f")([x, y], 1).cotangent as number[];
    r.forEach((ri, i) => expect(Math.abs(ri - want[i]!)).toBeLessThan(1e-14));
    expect(jvpCalls).toBeGreaterThan(0);
    expect(vjpCalls).toBeGreaterThan(0);
  });

  it("are not consulted when the call has no active argument", () => {
    const src = `function sq(x: number): number { return x * x; }
function f(x: number, y: number): number { return sq(y) * x; }`;
    let calls = 0;
    registerRule("sq", {
      jvp: ([x], [dx]) => {
        calls++;
        return [x! * x!, 2 * x! * dx!];
      },
    });
    expect(jvp(src, "f", { wrt: [0] })([0.5, 3], [1, 0]).tangent).toBe(9);
    expect(calls).toBe(0);
  });

  it("stop applying once unregistered", () => {
    const src = `function sq(x: number): number { return x * x; }
function f(x: number): number { return sq(x) * x; }`;
    registerRule("sq", { jvp: ([x]) => [x! * x!, 0], vjp: ([x]) => [x! * x!, 0] });
    expect(grad(src, "f")(2).gradient).toEqual([4]);
    unregisterRule("sq");
    expect(grad(src, "f")(2).gradient).toEqual([12]);
    expect(hessian(src, "f")(2).hessian[0]![0]).toBe(12);
  });
});
