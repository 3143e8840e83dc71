// Model functions in the TypeScript subset (DESIGN.md §6) for the AD
// exactness tests, each with a seeded input generator that keeps the inputs
// inside the function's domain and away from kinks the branch-trace check
// cannot see (rem, floor, round jumps; min/max/abs ties). They cover
// polynomials, transcendental mixes, loops with fixed and data-dependent trip
// counts and exits, nested loops, early returns, recursion, arrays in and out,
// in-place updates, arrays allocated inside, tuples, stopGradient,
// Math.min/max/abs/pow/hypot/atan2, black boxes with and without rules, TS
// functions with custom rules, and the bench tasks of shared/bench/TASKS.md at
// small sizes. Plain data plus `installRules`, which registers a model's custom
// rules and returns how to restore the registry.

import type { ExternFn } from "../../ir/interpreter.js";
import { customRule, registerRule, unregisterRule, type CustomRule } from "../../passes/rules/custom.js";
import type { Arg } from "./check.js";

/** A seeded uniform generator on [0, 1). */
export type Rng = () => number;

/** mulberry32: a small deterministic PRNG. */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform on [lo, hi). */
export const uniform = (r: Rng, lo: number, hi: number): number => lo + (hi - lo) * r();
/** n uniforms on [lo, hi) as an f64 array. */
export const vec = (r: Rng, n: number, lo: number, hi: number): Float64Array => Float64Array.from({ length: n }, () => uniform(r, lo, hi));
/** Uniform on ±[lo, hi): magnitude in [lo, hi), random sign. */
const signed = (r: Rng, lo: number, hi: number): number => (r() < 0.5 ? -1 : 1) * uniform(r, lo, hi);

/** One model function and how to call it. */
export interface Model {
  readonly name: string;
  /** TS source (the subset). */
  readonly src: string;
  readonly fn: string;
  /** Arguments at a random point. */
  readonly inputs: (r: Rng) => Arg[];
  /** Active arguments (default: every argument). */
  readonly wrt?: readonly number[];
  /** Primal bindings of the `declare function`s. */
  readonly externs?: Readonly<Record<string, ExternFn>>;
  /** Custom derivative rules registered while the model is used. */
  readonly rules?: Readonly<Record<string, CustomRule>>;
  /** Relative tolerance floor (default 1e-9); looser where a black box is differentiated by FD. */
  readonly rel?: number;
}

/** Registers `model.rules`; returns the function that restores the previous rules. */
export function installRules(model: Model): () => void {
  const names = Object.keys(model.rules ?? {});
  const saved = names.map((n) => customRule(n));
  names.forEach((n) => registerRule(n, model.rules![n]!));
  return () =>
    names.forEach((n, i) => {
      unregisterRule(n);
      if (saved[i]) registerRule(n, saved[i]);
    });
}

/** The active argument indices of a model at arguments `args`. */
export function activeOf(model: Model, args: readonly Arg[]): number[] {
  return model.wrt ? [...model.wrt] : args.map((_, i) => i);
}

const scalar = (name: string, src: string, inputs: (r: Rng) => Arg[], extra: Partial<Model> = {}): Model => ({ name, src, fn: "f", inputs, ...extra });

// ---------------------------------------------------------------- straight-line

const straight: Model[] = [
  scalar("poly3", `function f(x: number, y: number): number { return x * x * x - 2 * x * y + (y * y * y) / 3 - 7; }`, (r) => [uniform(r, -2, 2), uniform(r, -2, 2)]),
  scalar(
    "transcendental",
    `function f(x: number, y: number): number { return Math.sin(x) * Math.exp(y) + Math.log(1 + x * x) + Math.tanh(x * y) + Math.sqrt(1 + y * y) - Math.cos(x - y); }`,
    (r) => [uniform(r, -2, 2), uniform(r, -1, 1)],
  ),
  scalar(
    "inverse-trig",
    `function f(x: number, y: number): number { return Math.asin(x / 2) * Math.acos(y / 3) + Math.atan(x * y) + Math.tan(0.3 * x); }`,
    (r) => [uniform(r, -1.5, 1.5), uniform(r, -2, 2)],
  ),
  scalar(
    "hyperbolic-logs",
    `function f(x: number, y: number): number { return Math.sinh(x) * Math.cosh(y) + Math.expm1(x) + Math.log1p(y * y) + Math.cbrt(x + 5) + Math.log2(y + 3) * Math.log10(x + 4); }`,
    (r) => [uniform(r, -1, 1), uniform(r, -1, 1)],
  ),
  scalar(
    "pow-mix",
    `function f(x: number, y: number): number { return Math.pow(x, y) + x ** 3 + Math.pow(2, x) + y ** 0.5 + Math.pow(x, -1.5); }`,
    (r) => [uniform(r, 0.5, 2), uniform(r, 0.5, 2)],
  ),
  scalar(
    "div-rem",
    `function f(x: number, y: number): number { return x / y + (x % y) * y - 3 / (x * x + 1); }`,
    // x = y (k + frac) with frac in [0.25, 0.75]: far from the jumps of rem.
    (r) => {
      const y = uniform(r, 1, 2);
      return [y * (Math.floor(uniform(r, -3, 3)) + uniform(r, 0.25, 0.75)), y];
    },
  ),
  scalar(
    "floor-ceil-round-sign",
    `function f(x: number, y: number): number { return x * Math.floor(y) + Math.round(x) * y + Math.ceil(x) * x + Math.sign(y) * x * y; }`,
    (r) => [Math.floor(uniform(r, -3, 3)) + uniform(r, 0.1, 0.4), signed(r, 0.2, 0.8) + Math.floor(uniform(r, -2, 2))],
  ),
  scalar(
    "min-max-abs",
    `function f(x: number, y: number, z: number): number { return Math.min(x, y) * Math.max(x, z) + Math.abs(x - z) + Math.max(x, y, z) - Math.min(y * z, x); }`,
    // Well-separated values: no ties within the FD probes.
    (r) => {
      const xs = [uniform(r, -3, -2), uniform(r, -0.5, 0.5), uniform(r, 2, 3)];
      for (let i = 2; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [xs[i], xs[j]] = [xs[j]!, xs[i]!];
      }
      return xs;
    },
  ),
  scalar(
    "hypot-atan2",
    `function f(x: number, y: number): number { return Math.hypot(x, y) + Math.atan2(y, x) * Math.hypot(Math.hypot(x, 1), y); }`,
    // Away from the branch cut of atan2 (negative x axis).
    (r) => [uniform(r, 0.3, 2), uniform(r, -2, 2)],
  ),
  scalar("constants", `function f(x: number): number { return Math.PI * x * x + Math.E * Math.sin(x) - Math.SQRT2 / (1 + x * x); }`, (r) => [uniform(r, -2, 2)]),
  scalar(
    "compound-ops",
    `function f(x: number, y: number): number {
       let a = x; a += y; a *= x; a -= 2 * y; a /= 1 + y * y; let b = y; b++; b *= a; b--; return -b + a ** 2;
     }`,
    (r) => [uniform(r, -2, 2), uniform(r, -2, 2)],
  ),
];

// ---------------------------------------------------------------- control flow

const control: Model[] = [
  scalar(
    "ternary",
    `function f(x: number, y: number): number { return x > 0 ? x * x * y : -x * Math.sin(y); }`,
    (r) => [signed(r, 0.2, 2), uniform(r, -2, 2)],
  ),
  scalar(
    "if-chain",
    `function f(x: number, y: number): number {
       let r = 0;
       if (x < -1) r = x * y; else if (x < 0) r = Math.exp(x) * y; else if (x < 1) { r = x * x; r += y; } else r = Math.log(x) + y * y;
       return r * 2;
     }`,
    (r) => [[-1.6, -0.5, 0.5, 1.6][Math.floor(r() * 4)]! + uniform(r, -0.3, 0.3), uniform(r, -2, 2)],
  ),
  scalar(
    "logic-short-circuit",
    `function f(x: number, y: number): number { if ((x > 0 && y > 0) || !(x > -1)) return x * y; return x + y * y; }`,
    (r) => [signed(r, 0.2, 2), signed(r, 0.2, 2)],
  ),
  scalar(
    "early-return",
    `function f(x: number, y: number): number {
       if (x < 0) return -x * y;
       let s = 0;
       for (let i = 0; i < 10; i++) { s += x * Math.cos(i * y); if (s > 2) return s * y; }
       return s;
     }`,
    (r) => [uniform(r, -1, 1), uniform(r, -1, 1)],
  ),
  scalar(
    "fixed-loop",
    `function f(x: number, y: number): number { let s = 0; for (let i = 0; i < 5; i++) { s += Math.sin(x * i) * y; } return s; }`,
    (r) => [uniform(r, -2, 2), uniform(r, -2, 2)],
  ),
  scalar(
    "power-loop",
    `function f(x: number): number { let p = 1; let i = 0; while (i < 4) { p *= x; i++; } return p; }`,
    (r) => [uniform(r, -2, 2)],
  ),
  scalar(
    "trip-count-argument",
    `function f(x: number, n: number): number { let s = x; for (let i = 0; i < n; i++) s = Math.sin(s) + x; return s; }`,
    (r) => [uniform(r, -2, 2), 1 + Math.floor(r() * 5)],
    { wrt: [0] },
  ),
  scalar(
    "newton-sqrt",
    `function f(a: number): number { let r = a; while (Math.abs(r * r - a) > 1e-12 * a) r = 0.5 * (r + a / r); return r; }`,
    (r) => [uniform(r, 0.5, 10)],
  ),
  scalar(
    "halving-exit",
    `function f(x: number, y: number): number { let s = 0; while (x > 0.01) { x = x / 2; s += x * y; } return s + x; }`,
    (r) => [uniform(r, 0.5, 10), uniform(r, -2, 2)],
  ),
  scalar(
    "do-while",
    `function f(x: number, y: number): number { let t = y; let k = 0; do { t = t * x + 1; k++; } while (t < 5 && k < 6); return t; }`,
    (r) => [uniform(r, 0.5, 1.5), uniform(r, 0, 1)],
  ),
  scalar(
    "break-loop",
    `function f(x: number): number { let s = 0; for (let i = 1; i < 20; i++) { s += x / i; if (s > 3) break; } return s * s; }`,
    (r) => [uniform(r, 0.5, 2)],
  ),
  scalar(
    "continue-loop",
    `function f(x: number, y: number): number { let s = 0; for (let i = 0; i < 7; i++) { if (i % 2 === 0) continue; s += Math.pow(x, i) * y; } return s; }`,
    (r) => [uniform(r, -1.2, 1.2), uniform(r, -2, 2)],
  ),
  scalar(
    "nested-loops",
    `function f(a: number[]): number { let s = 0; for (let i = 0; i < a.length; i++) for (let j = 0; j < i; j++) s += Math.sin(a[i] * a[j]); return s; }`,
    (r) => [vec(r, 4, -1.5, 1.5)],
  ),
  scalar(
    "labelled-continue",
    `function f(a: number[]): number {
       let s = 0;
       outer: for (let i = 0; i < a.length; i++) { for (let j = 0; j < a.length; j++) { if (j > i) continue outer; s += a[i] * a[j] * (j + 1); } }
       return s;
     }`,
    (r) => [vec(r, 4, -2, 2)],
  ),
  scalar(
    "inner-while-data-dependent",
    `function f(a: number[]): number { let s = 0; for (const v of a) { let t = v * v; while (t > 1) t = t / 3; s += t * v; } return s; }`,
    (r) => [vec(r, 3, 0.5, 4)],
  ),
  scalar(
    "early-return-in-nested-loop",
    `function f(a: number[], x: number): number {
       for (let i = 0; i < a.length; i++) { for (let j = 0; j < a.length; j++) { const p = a[i] * a[j] * x; if (p > 2) return p + i; } }
       return x * a[0];
     }`,
    (r) => [vec(r, 3, 0.2, 1.8), uniform(r, 0.5, 1.5)],
  ),
];

// ---------------------------------------------------------------- recursion and calls

const recursion: Model[] = [
  scalar(
    "recursive-power",
    `function rp(x: number, n: number): number { if (n <= 0) return 1; return x * rp(x, n - 1); }
     function f(x: number): number { return rp(x, 5) + rp(Math.sin(x), 2); }`,
    (r) => [uniform(r, -1.5, 1.5)],
  ),
  scalar(
    "tree-recursion",
    `function g(x: number, n: number): number { if (n < 2) return x; return g(x, n - 1) * 0.5 + Math.sin(g(x, n - 2)); }
     function f(x: number, y: number): number { return g(x * y, 5); }`,
    (r) => [uniform(r, -1.5, 1.5), uniform(r, -1.5, 1.5)],
  ),
  scalar(
    "mutual-recursion",
    `function a(x: number, n: number): number { if (n <= 0) return x; return b(x * 1.1, n - 1); }
     function b(x: number, n: number): number { if (n <= 0) return x * x; return a(Math.sin(x) + x, n - 1); }
     function f(x: number): number { return a(x, 5); }`,
    (r) => [uniform(r, -1, 1)],
  ),
  scalar(
    "helper-calls",
    `function sq(x: number): number { return x * x; }
     function dist(x: number, y: number): number { return Math.sqrt(sq(x) + sq(y)); }
     function f(x: number, y: number): number { return dist(x, y) * sq(x - y) + dist(1, y); }`,
    (r) => [uniform(r, 0.5, 2), uniform(r, -2, 2)],
  ),
  scalar(
    "call-with-array",
    `function total(a: number[]): number { let s = 0; for (const v of a) s += v * v; return s; }
     function f(a: number[], x: number): number { return total(a) * x + Math.sin(total(a)); }`,
    (r) => [vec(r, 3, -1, 1), uniform(r, -2, 2)],
  ),
];

// ---------------------------------------------------------------- arrays

const arrays: Model[] = [
  { name: "dot", src: `function f(a: number[], b: number[]): number { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; }`, fn: "f", inputs: (r) => [vec(r, 4, -2, 2), vec(r, 4, -2, 2)] },
  { name: "norm2", src: `function f(a: Float64Array): number { let s = 0; for (const v of a) s += v * v; return Math.sqrt(s); }`, fn: "f", inputs: (r) => [vec(r, 5, 0.2, 2)] },
  {
    name: "softmax",
    src: `function f(a: number[]): number[] {
      let m = a[0]; for (let i = 1; i < a.length; i++) if (a[i] > m) m = a[i];
      const out = new Float64Array(a.length); let s = 0;
      for (let i = 0; i < a.length; i++) { out[i] = Math.exp(a[i] - m); s += out[i]; }
      for (let i = 0; i < a.length; i++) out[i] = out[i] / s;
      return out;
    }`,
    fn: "f",
    inputs: (r) => [vec(r, 4, -2, 2)],
  },
  {
    name: "scale-in-place",
    src: `function f(a: number[], x: number): number[] { for (let i = 0; i < a.length; i++) a[i] = a[i] * x; return a; }`,
    fn: "f",
    inputs: (r) => [vec(r, 4, -2, 2), uniform(r, -2, 2)],
  },
  {
    name: "prefix-sum",
    src: `function f(a: number[]): number[] { for (let i = 1; i < a.length; i++) a[i] += a[i - 1] * 0.5; return a; }`,
    fn: "f",
    inputs: (r) => [vec(r, 5, -2, 2)],
  },
  {
    name: "reverse-swaps",
    src: `function f(a: number[], x: number): number {
      const n = a.length;
      for (let i = 0; i < n / 2; i++) { const t = a[i]; a[i] = a[n - 1 - i] * x; a[n - 1 - i] = t; }
      let s = 0; for (let i = 0; i < n; i++) s += a[i] * (i + 1);
      return s;
    }`,
    fn: "f",
    inputs: (r) => [vec(r, 5, -2, 2), uniform(r, -2, 2)],
  },
  {
    name: "bubble-sort",
    src: `function f(a: number[]): number[] {
      for (let i = 0; i < a.length; i++) for (let j = 0; j + 1 < a.length - i; j++) if (a[j] > a[j + 1]) { const t = a[j]; a[j] = a[j + 1]; a[j + 1] = t; }
      for (let i = 0; i < a.length; i++) a[i] = a[i] * (i + 1);
      return a;
    }`,
    fn: "f",
    inputs: (r) => [Float64Array.from([3, 0.5, 2, -1, 1.3].map((v) => v + uniform(r, -0.2, 0.2)))],
  },
  {
    name: "allocated-inside",
    src: `function f(a: number[], x: number): number {
      const b = new Float64Array(a.length);
      for (let i = 0; i < a.length; i++) b[i] = a[i] * a[i] + x;
      const c = new Array(a.length).fill(x);
      let s = 0; for (let i = 0; i < a.length; i++) s += b[i] * c[i];
      return s;
    }`,
    fn: "f",
    inputs: (r) => [vec(r, 4, -2, 2), uniform(r, -2, 2)],
  },
  {
    name: "array-literal",
    src: `function f(x: number, y: number): number[] { const v = [x, y, x * y]; v[1] = v[1] * v[2]; return v; }`,
    fn: "f",
    inputs: (r) => [uniform(r, -2, 2), uniform(r, -2, 2)],
  },
  {
    name: "slice-copy",
    src: `function f(a: number[], x: number): number { const b = a.slice(); b[0] = x * b[1]; let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; }`,
    fn: "f",
    inputs: (r) => [vec(r, 3, -2, 2), uniform(r, -2, 2)],
  },
  {
    name: "aliasing",
    src: `function f(a: number[], x: number): number { const b = a; b[0] = x * a[1]; return a[0] * a[1] + b[2]; }`,
    fn: "f",
    inputs: (r) => [vec(r, 3, -2, 2), uniform(r, -2, 2)],
  },
  {
    name: "mat-vec",
    src: `function f(A: number[], v: number[]): number[] {
      const n = v.length; const out = new Float64Array(n);
      for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += A[i * n + j] * v[j]; out[i] = Math.tanh(s); }
      return out;
    }`,
    fn: "f",
    inputs: (r) => [vec(r, 9, -1, 1), vec(r, 3, -1, 1)],
  },
  {
    name: "tuple-return",
    src: `function f(r: number, t: number): [number, number] { return [r * Math.cos(t), r * Math.sin(t)]; }`,
    fn: "f",
    inputs: (r) => [uniform(r, 0.5, 2), uniform(r, -3, 3)],
  },
  {
    name: "tuple-with-array",
    src: `function f(a: number[], x: number): [number, number[]] {
      const b = new Float64Array(a.length); let s = 0;
      for (let i = 0; i < a.length; i++) { b[i] = Math.exp(a[i] * x); s += b[i]; }
      return [s, b];
    }`,
    fn: "f",
    inputs: (r) => [vec(r, 3, -1, 1), uniform(r, -1, 1)],
  },
];

// ---------------------------------------------------------------- stopGradient, black boxes, custom rules

const softplus = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

const blackBoxes: Model[] = [
  scalar("stop-gradient", `function f(x: number, y: number): number { return x * stopGradient(y * x) + stopGradient(x * x) * y + Math.sin(x); }`, (r) => [uniform(r, -2, 2), uniform(r, -2, 2)]),
  scalar(
    "extern-no-rule",
    `declare function bump(x: number, y: number): number;
     function f(x: number, y: number): number { return bump(x, y) * x + Math.sin(bump(y, x)); }`,
    (r) => [uniform(r, -1, 1), uniform(r, -1, 1)],
    { externs: { bump: (x, y) => Math.exp(-x! * x!) * Math.cos(y!) }, rel: 1e-6 },
  ),
  scalar(
    "extern-tuple-no-rule",
    `declare function polar(r: number, t: number): [number, number];
     function f(x: number, y: number): number { const [a, b] = polar(x, y); return a * a * b + b; }`,
    (r) => [uniform(r, 0.5, 2), uniform(r, -2, 2)],
    { externs: { polar: (r, t) => [r! * Math.cos(t!), r! * Math.sin(t!)] }, rel: 1e-6 },
  ),
  scalar(
    "extern-with-rule",
    `declare function softplus(x: number): number;
     function f(x: number, y: number): number { return softplus(x * y) + softplus(y) * x; }`,
    (r) => [uniform(r, -2, 2), uniform(r, -2, 2)],
    {
      externs: { softplus: (x) => softplus(x!) },
      rules: {
        softplus: {
          jvp: ([x], [dx]) => [softplus(x!), sigmoid(x!) * dx!],
          vjp: ([x], [w]) => [softplus(x!), sigmoid(x!) * w!],
        },
      },
    },
  ),
  scalar(
    "ts-custom-rule",
    `function smoothAbs(x: number): number { return Math.sqrt(x * x + 0.01); }
     function f(x: number, y: number): number { return smoothAbs(x - y) * y + smoothAbs(x); }`,
    (r) => [uniform(r, -2, 2), uniform(r, -2, 2)],
    {
      rules: {
        smoothAbs: {
          jvp: ([x], [dx]) => [Math.sqrt(x! * x! + 0.01), (x! / Math.sqrt(x! * x! + 0.01)) * dx!],
          vjp: ([x], [w]) => [Math.sqrt(x! * x! + 0.01), (x! / Math.sqrt(x! * x! + 0.01)) * w!],
        },
      },
    },
  ),
];

// ---------------------------------------------------------------- bench tasks (small)

/** x[i] = 1 + 0.5 sin(0.1 i + 0.3) as in T1, plus a perturbation. */
const rosenInput = (r: Rng, n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => 1 + 0.5 * Math.sin(0.1 * i + 0.3) + uniform(r, -0.3, 0.3));

const bench: Model[] = [
  {
    name: "T1-rosenbrock",
    src: `function f(x: number[]): number {
      let s = 0;
      for (let i = 0; i < x.length - 1; i++) { const t = x[i + 1] - x[i] * x[i]; s += 100 * t * t + (1 - x[i]) * (1 - x[i]); }
      return s;
    }`,
    fn: "f",
    inputs: (r) => [rosenInput(r, 6)],
  },
  {
    name: "T2-lorenz-rk4",
    src: `function rhs(x: number, y: number, z: number, s: number, r: number, b: number): [number, number, number] {
      return [s * (y - x), x * (r - z) - y, x * y - b * z];
    }
    function f(x0: number, y0: number, z0: number, sigma: number, rho: number, beta: number): number {
      let x = x0; let y = y0; let z = z0; const dt = 0.01;
      for (let k = 0; k < 12; k++) {
        const [ax, ay, az] = rhs(x, y, z, sigma, rho, beta);
        const [bx, by, bz] = rhs(x + 0.5 * dt * ax, y + 0.5 * dt * ay, z + 0.5 * dt * az, sigma, rho, beta);
        const [cx, cy, cz] = rhs(x + 0.5 * dt * bx, y + 0.5 * dt * by, z + 0.5 * dt * bz, sigma, rho, beta);
        const [ex, ey, ez] = rhs(x + dt * cx, y + dt * cy, z + dt * cz, sigma, rho, beta);
        x += (dt / 6) * (ax + 2 * bx + 2 * cx + ex);
        y += (dt / 6) * (ay + 2 * by + 2 * cy + ey);
        z += (dt / 6) * (az + 2 * bz + 2 * cz + ez);
      }
      return x + y + z;
    }`,
    fn: "f",
    inputs: (r) => [1 + uniform(r, -0.1, 0.1), 1 + uniform(r, -0.1, 0.1), 1 + uniform(r, -0.1, 0.1), 10 + uniform(r, -1, 1), 28 + uniform(r, -1, 1), 8 / 3 + uniform(r, -0.2, 0.2)],
  },
  {
    name: "T3-logistic",
    src: `function f(X: number[], y: number[], w: number[]): number {
      const n = y.length; const d = w.length; let loss = 0;
      for (let i = 0; i < n; i++) {
        let z = 0;
        for (let j = 0; j < d; j++) z += X[i * d + j] * w[j];
        const sp = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
        loss += sp - y[i] * z;
      }
      return loss / n;
    }`,
    fn: "f",
    inputs: (r) => [
      Float64Array.from({ length: 18 }, (_, k) => Math.sin(0.37 * k + 0.1)),
      Float64Array.from({ length: 6 }, (_, i) => (Math.sin(1.7 * i) > 0 ? 1 : 0)),
      Float64Array.from({ length: 3 }, (_, j) => 0.1 * Math.cos(0.3 * j) + uniform(r, -1, 1)),
    ],
    wrt: [2],
  },
  {
    name: "T4-tridiagonal",
    src: `function f(x: number[]): number[] {
      const n = x.length; const F = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const l = i > 0 ? x[i - 1] : 0;
        const r = i < n - 1 ? x[i + 1] : 0;
        F[i] = l - 2 * x[i] + r + 0.1 * x[i] * x[i] - Math.sin(x[i]);
      }
      return F;
    }`,
    fn: "f",
    inputs: (r) => [Float64Array.from({ length: 6 }, (_, i) => 0.5 * Math.sin(0.013 * i + 0.2) + uniform(r, -0.5, 0.5))],
  },
];

/** Every model of the suite. */
export const MODELS: readonly Model[] = [...straight, ...control, ...recursion, ...arrays, ...blackBoxes, ...bench];
