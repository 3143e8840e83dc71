// Minimal reproductions of bugs the AD suite found, kept as regression tests
// once fixed (each says what the bug was). Expected values are hand-derived.

import { describe, expect, it } from "vitest";
import { compile } from "../../backend/index.js";
import { parseTS } from "../../frontend/index.js";
import { interpret } from "../../ir/interpreter.js";
import { parseIR } from "../../ir/parser.js";
import { grad, hessian, jacobian, vjp } from "../../index.js";
import { addJvp } from "../../passes/fwd-ad.js";
import { registerRule, unregisterRule } from "../../passes/rules/custom.js";

const rows = (m: readonly Float64Array[]): number[][] => m.map((r) => Array.from(r));

describe("rev-ad: arrays defined in a branch or merged in a loop", () => {
  // Was a bug (fixed): rev-ad emits a vjp that fails the verifier (E_VERIFY_DOMINANCE: shadow %da defined in ^then, used in ^then_rev) instead of a gradient or a PipelineError.
  it("array allocated in a branch that returns", () => {
    const src = `function f(x: number): number { if (x < 0) { const a = new Array(1).fill(x); return a[0]; } return x; }`;
    expect(grad(src, "f")(-3).gradient).toEqual([1]);
  });

  // Was a bug (fixed): same dominance failure when an array is conditionally replaced inside a loop (shadow %db defined in ^endif, used in ^endif_rev).
  it("array merged at a join inside a loop", () => {
    const src = `function f(x: number): number {
      let b = new Float64Array(1); const c = new Float64Array(1);
      for (let i = 0; i < 2; i++) { if (x > 100) b = c; b[0] = x; }
      return b[0];
    }`;
    expect(grad(src, "f")(3).gradient).toEqual([1]);
  });

  // Was a bug (fixed): same dominance failure for an array returned by a call in a branch (`call @"g.vjp[0]"(%x, %8)`: %8 defined in ^endif).
  it("array returned by a call in a branch", () => {
    const src = `function g(x: number): number[] { return new Array(1).fill(x); }
      function f(x: number): number[] { if (x < 0) return g(2 * x); return g(x); }`;
    expect(vjp(src, "f")([-3], new Float64Array([1])).cotangent).toEqual([2]);
  });
});

describe("rev-ad: aliasing through a call", () => {
  // Was a bug (fixed): reverse mode ignores that id(xs) returns xs itself, so b[1] = 1 does not clear xs[1]'s adjoint: reverse row 1 is [0, 1, 0], forward (correct) [0, 0, 0].
  it("a callee returning its array argument", () => {
    const src = `function id(a: number[]): number[] { return a; }
      function f(xs: number[]): number[] { const b = id(xs); b[1] = 1; return xs; }`;
    const x = new Float64Array([0.5, 3, -1.3]);
    const want = [
      [1, 0, 0],
      [0, 0, 0],
      [0, 0, 1],
    ];
    expect(rows(jacobian(src, "f", { mode: "forward" })(x).jacobian)).toEqual(want);
    expect(rows(jacobian(src, "f", { mode: "reverse" })(x).jacobian)).toEqual(want);
  });
});

describe("rev-ad: callees writing their array arguments", () => {
  // Was rejected ("writes an array argument"): the caller now snapshots the
  // array before the call, the callee's vjp re-runs on the snapshot and moves
  // the caller's shadow like `a[i] = v` does.
  const m = parseIR(`func @scale(%a: f64[], %s: f64) -> f64 {
^entry:
  %zero: i32 = const 0
  %n: i32 = array.len %a
  br ^loop(%zero)
^loop(%i: i32):
  %more: bool = lt %i, %n
  condbr %more, ^body, ^done
^body:
  %v: f64 = array.get %a, %i
  %w: f64 = mul %v, %s
  %sw: f64 = sin %w
  array.set %a, %i, %sw
  %one: i32 = const 1
  %i1: i32 = add %i, %one
  br ^loop(%i1)
^done:
  %first: f64 = array.get %a, %zero
  ret %first
}
func @f(%x: f64[], %s: f64) -> f64 {
^entry:
  %a: f64[] = array.copy %x
  %r1: f64 = call @scale(%a, %s)
  %r2: f64 = call @scale(%a, %r1)
  %one: i32 = const 1
  %y: f64 = array.get %a, %one
  %t: f64 = mul %y, %r2
  ret %t
}`);

  it("the gradient matches the hand-derived chain rule", () => {
    const [x0, x1, s] = [0.7, -0.4, 1.3];
    // First call: a_i = sin(x_i s), r1 = a_0. Second: b_i = sin(a_i r1), r2 = b_0. f = b_1 r2.
    const a0 = Math.sin(x0 * s), a1 = Math.sin(x1 * s), r1 = a0;
    const b0 = Math.sin(a0 * r1), b1 = Math.sin(a1 * r1);
    const da0 = [Math.cos(x0 * s) * s, 0, Math.cos(x0 * s) * x0];
    const da1 = [0, Math.cos(x1 * s) * s, Math.cos(x1 * s) * x1];
    const db0 = da0.map((d) => Math.cos(a0 * r1) * 2 * a0 * d);
    const db1 = da1.map((d, k) => Math.cos(a1 * r1) * (d * r1 + a1 * da0[k]!));
    const want = db1.map((d, k) => d * b0 + b1 * db0[k]!);
    const got = grad(m, "f")(Float64Array.of(x0, x1), s);
    expect(got.value).toBeCloseTo(b1 * b0, 14);
    const flat = [...(got.gradient[0] as Float64Array), got.gradient[1] as number];
    flat.forEach((g, k) => expect(Math.abs(g - want[k]!)).toBeLessThan(1e-14 * Math.max(1, Math.abs(want[k]!))));
  });
});

describe("fwd-ad", () => {
  // Was a bug (fixed): fwd-ad walks blocks in layout order, so a use laid out before its definition's block sees a zero tangent: dz = y·dx instead of (x cos x + sin x)·dx.
  it("a definition laid out after its use", () => {
    const m = parseIR(`func @f(%x: f64) -> f64 {
^entry:
  br ^def
^use:
  %z: f64 = mul %y, %x
  ret %z
^def:
  %y: f64 = sin %x
  br ^use
}`);
    const [, dz] = interpret(addJvp(m, { fn: "f" }), "f.jvp", [0.5, 1]) as number[];
    expect(Math.abs(dz! - (0.5 * Math.cos(0.5) + Math.sin(0.5)))).toBeLessThan(1e-15);
  });

  // Was a bug (fixed): activity counts only returned values as useful, so writes into a callee's array parameter get no tangent: f.jvp gives 0, not 1.
  it("a callee writing its array parameter", () => {
    const m = parseIR(`func @scale(%a: f64[], %x: f64) -> f64 {
^entry:
  %i: i32 = const 0
  %v: f64 = array.get %a, %i
  %w: f64 = mul %v, %x
  array.set %a, %i, %w
  %z: f64 = const 0.0
  ret %z
}
func @f(%x: f64) -> f64 {
^entry:
  %n: i32 = const 1
  %one: f64 = const 1.0
  %a: f64[] = array.new %n, %one
  %r: f64 = call @scale(%a, %x)
  %i: i32 = const 0
  %y: f64 = array.get %a, %i
  ret %y
}`);
    expect(interpret(addJvp(m, { fn: "f" }), "f.jvp", [3, 1])).toEqual([3, 1]);
  });

  // Was a bug (fixed): the same through the API: fwd over the inner vjp (which accumulates into the caller's shadow) loses the tangent, so the Hessian is 0.
  it("hessian through a call taking an array", () => {
    const src = `function total(a: number[]): number { return a[0] * a[0]; }
      function f(a: number[]): number { return total(a); }`;
    expect(rows(hessian(src, "f")(new Float64Array([1, 2])).hessian)).toEqual([
      [2, 0],
      [0, 0],
    ]);
  });
});

describe("second order through tapes and black boxes", () => {
  // Was a bug (fixed): the exponent i is taped with a materialised zero tangent, so pow's d/dp = log(x)·x^i (NaN at x < 0) times 0 poisons the Hessian: [[NaN, NaN], [0, 0]].
  it("hessian of pow(x, i) in a loop at x < 0", () => {
    const src = `function f(x: number, y: number): number { let s = 0; for (let i = 1; i < 3; i++) s += Math.pow(x, i) * y; return s; }`;
    // f = (x + x²) y: H = [[2y, 1 + 2x], [1 + 2x, 0]]
    const h = rows(hessian(src, "f")(-0.5, 2).hessian).flat();
    [4, 0, 0, 0].forEach((want, k) => expect(Math.abs(h[k]! - want), `entry ${k}: ${h[k]}`).toBeLessThan(1e-12));
  });

  // Was a bug (fixed): hessian binds softplus.jvp and softplus.vjp but not softplus.vjp.jvp (E_RUNTIME_EXTERN: no binding); expected the rule's derivative by FD or an E_AD_MISSING_RULE error at transform time.
  it("hessian of a black box with registered rules", () => {
    const sp = (x: number): number => Math.log1p(Math.exp(x));
    const sig = (x: number): number => 1 / (1 + Math.exp(-x));
    registerRule("softplus2", { jvp: ([x], [dx]) => [sp(x!), sig(x!) * dx!], vjp: ([x], [w]) => [sp(x!), sig(x!) * w!] });
    try {
      const src = `declare function softplus2(x: number): number;
        function f(x: number): number { return softplus2(x); }`;
      const h = hessian(src, "f", { externs: { softplus2: sp }, onWarning: () => {} })(0.3).hessian[0]![0]!;
      expect(Math.abs(h - sig(0.3) * (1 - sig(0.3)))).toBeLessThan(1e-6);
    } finally {
      unregisterRule("softplus2");
    }
  });
});

describe("backend: a join reached from a nested branch and by fall-through", () => {
  const ir = `func @f(%p: f64, %q: f64) -> f64 {
^entry:
  %z: f64 = const 0.0
  %c1: bool = lt %p, %z
  condbr %c1, ^a, ^b
^a:
  %c2: bool = lt %q, %z
  condbr %c2, ^c, ^d
^c:
  %one: f64 = const 1.0
  br ^join(%one)
^d:
  br ^e
^b:
  br ^e
^e:
  %two: f64 = const 2.0
  br ^join(%two)
^join(%v: f64):
  ret %v
}`;

  // Was a bug (fixed): backend/structure.ts emits `if (v3) { if (v4) { v7 = 1; } } v7 = 2;` (no break to ^join), so compiled f(-1, -1) is 2; the interpreter says 1.
  it("compiled code matches the interpreter", () => {
    const m = parseIR(ir);
    expect(compile(m)["f"]!(-1, -1)).toBe(interpret(m, "f", [-1, -1])[0]);
  });

  // Was a bug (fixed): the same miscompile through the API: every vjp has this shape (the ^turn join), so grad of a nested early return gives value -3 and gradient [1, 2] at (-1, -1).
  it("grad of a nested early return", () => {
    const src = `function f(x: number, y: number): number { if (x < 0) { if (y < 0) return x * y; } return x + 2 * y; }`;
    expect(compile(parseTS(src))["f"]!(-1, -1)).toBe(1);
    expect(grad(src, "f")(-1, -1)).toEqual({ value: 1, gradient: [-1, -1] });
  });
});

describe("backend: an inner loop exiting straight to the outer loop header", () => {
  // Was a bug (fixed): backend/structure.ts emits the inner `while (true)` without `continue` to the outer loop on the exit edge, so the inner loop runs on (here until xs[3] is out of bounds); the interpreter returns 8.
  it("compiled code matches the interpreter", () => {
    const m = parseIR(`func @f(%xs: f64[]) -> f64 {
^entry:
  %z: i32 = const 0
  %one: i32 = const 1
  %two: i32 = const 2
  %zf: f64 = const 0.0
  br ^outer(%z, %zf)
^outer(%i: i32, %acc: f64):
  %c: bool = lt %i, %two
  condbr %c, ^inner(%z, %acc), ^done
^inner(%j: i32, %a: f64):
  %k: i32 = add %j, %i
  %x: f64 = array.get %xs, %k
  %a1: f64 = add %a, %x
  %j1: i32 = add %j, %one
  %d: bool = lt %j1, %two
  %i1: i32 = add %i, %one
  condbr %d, ^inner(%j1, %a1), ^outer(%i1, %a1)
^done:
  ret %acc
}`);
    const xs = new Float64Array([1, 2, 3]);
    expect(interpret(m, "f", [xs])).toEqual([8]);
    expect(compile(m)["f"]!(xs)).toBe(8);
  });

  // Was a bug (fixed): the same miscompile through the API: after simplify the reverse sweep of two nested constant-trip loops has this shape, and grad throws E_RUNTIME_STACK (stack.pop: the stack is empty).
  it("grad of two nested constant-trip loops", () => {
    const src = `function f(x: number): number { let s = x; for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) s = Math.sin(s); return s; }`;
    let s = 0.3;
    let d = 1;
    for (let k = 0; k < 4; k++) {
      d *= Math.cos(s);
      s = Math.sin(s);
    }
    const g = grad(src, "f")(0.3);
    expect(g.value).toBe(s);
    expect(Math.abs((g.gradient[0] as number) - d)).toBeLessThan(1e-15);
  });
});
