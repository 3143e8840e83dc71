// Models for the sparsity tests: programs in the TypeScript subset whose
// Jacobian or Hessian pattern is known by construction (tridiagonal residual,
// Broyden banded, 2-D Brusselator, Rosenbrock, generated banded /
// block-diagonal / arrowhead programs of random sizes, the branch whose global
// pattern is the union of both sides), plus programs with data-dependent
// control flow that are only checked for soundness. Plain data.

import type { Rng } from "../support/models.js";
import { uniform, vec } from "../support/models.js";

/** One model: source, entry point, a random point, and its pattern when known. */
export interface SparseModel {
  readonly name: string;
  readonly src: string;
  readonly fn: string;
  readonly args: (r: Rng) => (number | Float64Array)[];
  /** true: the pattern is the Hessian's (the function returns one number). */
  readonly hessian?: boolean;
  /** The exact global pattern by row, when known by construction. */
  readonly expected?: (args: readonly (number | Float64Array)[]) => number[][];
}

const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const len = (a: readonly (number | Float64Array)[]): number => (a[0] as Float64Array).length;
const range = (lo: number, hi: number): number[] => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, k) => lo + k);
const rows = (n: number, row: (i: number) => number[]): number[][] => Array.from({ length: n }, (_, i) => [...new Set(row(i))].sort((a, b) => a - b));
const band = (n: number, lo: number, hi: number): number[][] => rows(n, (i) => range(Math.max(0, i - lo), Math.min(n - 1, i + hi)));

const tridiagonal: SparseModel = {
  name: "tridiagonal residual",
  src: `function f(x: number[]): number[] {
    const n = x.length; const F = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const left = i > 0 ? x[i - 1] : 0;
      const right = i < n - 1 ? x[i + 1] : 0;
      F[i] = left - 2 * x[i] + right + 0.1 * x[i] * x[i] - Math.sin(x[i]);
    }
    return F;
  }`,
  fn: "f",
  args: (r) => [vec(r, int(r, 1, 12), -2, 2)],
  expected: (a) => band(len(a), 1, 1),
};

const broyden: SparseModel = {
  name: "Broyden banded",
  src: `function f(x: number[]): number[] {
    const n = x.length; const F = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = x[i] * (2 + 5 * x[i] * x[i]) + 1;
      const lo = Math.max(0, i - 5);
      const hi = Math.min(n - 1, i + 1);
      for (let j = lo; j <= hi; j++) {
        if (j !== i) s -= x[j] * (1 + x[j]);
      }
      F[i] = s;
    }
    return F;
  }`,
  fn: "f",
  args: (r) => [vec(r, int(r, 1, 14), -1, 1)],
  expected: (a) => band(len(a), 5, 1),
};

const brusselator: SparseModel = {
  name: "2-D Brusselator",
  src: `function f(x: number[]): number[] {
    let N = 0;
    while (2 * N * N < x.length) N++;
    const M = N * N; const F = new Float64Array(2 * M); const alpha = 10;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        const ip = (i + 1) % N;
        const im = (i + N - 1) % N;
        const jp = (j + 1) % N;
        const jm = (j + N - 1) % N;
        const k = i * N + j;
        const u = x[k];
        const v = x[M + k];
        const lu = x[ip * N + j] + x[im * N + j] + x[i * N + jp] + x[i * N + jm] - 4 * u;
        const lv = x[M + ip * N + j] + x[M + im * N + j] + x[M + i * N + jp] + x[M + i * N + jm] - 4 * v;
        F[k] = 1 + u * u * v - 4.4 * u + alpha * lu;
        F[M + k] = 3.4 * u - u * u * v + alpha * lv;
      }
    }
    return F;
  }`,
  fn: "f",
  args: (r) => {
    const N = int(r, 1, 5);
    return [vec(r, 2 * N * N, 0.5, 2)];
  },
  expected: (a) => {
    const N = Math.round(Math.sqrt(len(a) / 2));
    const M = N * N;
    const around = (i: number, j: number): number[] => [[i, j], [(i + 1) % N, j], [(i + N - 1) % N, j], [i, (j + 1) % N], [i, (j + N - 1) % N]].map(([p, q]) => p! * N + q!);
    return rows(2 * M, (row) => {
      const k = row % M;
      const [i, j] = [Math.floor(k / N), k % N];
      return [k, M + k, ...around(i, j).map((c) => (row < M ? c : M + c))];
    });
  },
};

const rosenbrock: SparseModel = {
  name: "Rosenbrock Hessian",
  src: `function f(x: number[]): number {
    let s = 0;
    for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
    return s;
  }`,
  fn: "f",
  hessian: true,
  args: (r) => [vec(r, int(r, 2, 12), -1.5, 1.5)],
  expected: (a) => band(len(a), 1, 1),
};

/** F_i = x_i · Σ_{k=-lo..hi} (k + 0.5) sin(x_{i+k} + 0.1 k), inside the bounds. */
function bandedJacobian(seed: number, lo: number, hi: number): SparseModel {
  return {
    name: `generated banded Jacobian #${seed} (lower ${lo}, upper ${hi})`,
    src: `function f(x: number[]): number[] {
      const n = x.length; const F = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = -${lo}; k <= ${hi}; k++) {
          const j = i + k;
          if (j >= 0 && j < n) s += (k + 0.5) * Math.sin(x[j] + 0.1 * k);
        }
        F[i] = s * x[i];
      }
      return F;
    }`,
    fn: "f",
    args: (r) => [vec(r, int(r, 1, 16), -2, 2)],
    expected: (a) => band(len(a), lo, hi),
  };
}

/** F_i = x_i · Σ_{j in i's block} x_j with blocks of `size`. */
function blockJacobian(seed: number, size: number): SparseModel {
  return {
    name: `generated block-diagonal Jacobian #${seed} (blocks of ${size})`,
    src: `function f(x: number[]): number[] {
      const F = new Float64Array(x.length);
      for (let b = 0; b < x.length; b += ${size}) {
        let s = 0;
        for (let j = b; j < b + ${size}; j++) s += Math.exp(0.1 * x[j]);
        for (let i = b; i < b + ${size}; i++) F[i] = x[i] * s;
      }
      return F;
    }`,
    fn: "f",
    args: (r) => [vec(r, size * int(r, 1, 5), -1, 1)],
    expected: (a) => rows(len(a), (i) => range(i - (i % size), i - (i % size) + size - 1)),
  };
}

const arrowheadJacobian: SparseModel = {
  name: "generated arrowhead Jacobian",
  src: `function f(x: number[]): number[] {
    const n = x.length; const F = new Float64Array(n);
    let s = 0;
    for (let j = 0; j < n; j++) s += x[j] * x[j];
    F[0] = s;
    for (let i = 1; i < n; i++) F[i] = Math.cos(x[i]) + x[0] * x[i];
    return F;
  }`,
  fn: "f",
  args: (r) => [vec(r, int(r, 1, 16), -2, 2)],
  expected: (a) => rows(len(a), (i) => (i === 0 ? range(0, len(a) - 1) : [0, i])),
};

/** f = Σ_i Σ_{k=0..width} (k + 1) x_i x_{i+k}: a banded Hessian. */
function bandedHessian(seed: number, width: number): SparseModel {
  return {
    name: `generated banded Hessian #${seed} (half width ${width})`,
    src: `function f(x: number[]): number {
      let s = 0;
      for (let i = 0; i < x.length; i++) {
        for (let k = 0; k <= ${width} && i + k < x.length; k++) s += (k + 1) * x[i] * x[i + k];
      }
      return s;
    }`,
    fn: "f",
    hessian: true,
    args: (r) => [vec(r, int(r, 1, 16), -2, 2)],
    expected: (a) => band(len(a), width, width),
  };
}

/** f = Σ_blocks (Σ_{j in block} x_j)²: dense diagonal blocks. */
function blockHessian(seed: number, size: number): SparseModel {
  return {
    name: `generated block-diagonal Hessian #${seed} (blocks of ${size})`,
    src: `function f(x: number[]): number {
      let total = 0;
      for (let b = 0; b < x.length; b += ${size}) {
        let s = 0;
        for (let j = b; j < b + ${size}; j++) s += x[j];
        total += s * s;
      }
      return total;
    }`,
    fn: "f",
    hessian: true,
    args: (r) => [vec(r, size * int(r, 1, 5), -1, 1)],
    expected: (a) => rows(len(a), (i) => range(i - (i % size), i - (i % size) + size - 1)),
  };
}

const arrowheadHessian: SparseModel = {
  name: "generated arrowhead Hessian",
  src: `function f(x: number[]): number {
    let s = x[0] * x[0] * x[0];
    for (let i = 1; i < x.length; i++) s += x[0] * x[i] + Math.sin(x[i]);
    return s;
  }`,
  fn: "f",
  hessian: true,
  args: (r) => [vec(r, int(r, 1, 16), -2, 2)],
  expected: (a) => rows(len(a), (i) => (i === 0 ? range(0, len(a) - 1) : [0, i])),
};

/** The branch whose global pattern is the union of both sides. */
export const unionBranch: SparseModel = {
  name: "data-dependent branch",
  src: `function f(x: number[]): number[] {
    const n = x.length; const y = new Float64Array(n);
    for (let i = 1; i < n - 1; i++) {
      if (x[i] > 0) y[i] = x[i] * x[i + 1];
      else y[i] = x[i - 1];
    }
    return y;
  }`,
  fn: "f",
  args: (r) => [vec(r, int(r, 3, 12), -1, 1)],
  expected: (a) => rows(len(a), (i) => (i === 0 || i === len(a) - 1 ? [] : [i - 1, i, i + 1])),
};

/** Sparse models with their exact patterns; generated ones with sizes from `seed`. */
export function exactModels(r: Rng): SparseModel[] {
  const gen: SparseModel[] = [];
  for (let s = 0; s < 3; s++) {
    gen.push(bandedJacobian(s, int(r, 0, 3), int(r, 0, 3)), blockJacobian(s, int(r, 1, 4)), bandedHessian(s, int(r, 0, 3)), blockHessian(s, int(r, 1, 4)));
  }
  return [tridiagonal, broyden, brusselator, rosenbrock, arrowheadJacobian, arrowheadHessian, unionBranch, ...gen];
}

/** Programs with data-dependent control flow, checked for soundness only. */
export const controlModels: SparseModel[] = [
  {
    name: "data-dependent while loop (fixpoint)",
    src: `function f(x: number[]): number[] {
      const y = new Float64Array(x.length); let i = 0; let s = 0;
      while (s < 2 && i < x.length) { s += x[i] * x[i]; y[i] = s; i++; }
      return y;
    }`,
    fn: "f",
    args: (r) => [vec(r, int(r, 1, 8), -1.5, 1.5)],
  },
  {
    name: "break on active data",
    src: `function f(x: number[]): number[] {
      const y = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) { if (x[i] > 0.5) break; y[i] = Math.exp(x[i]); }
      return y;
    }`,
    fn: "f",
    args: (r) => [vec(r, int(r, 1, 8), -1, 1)],
  },
  {
    name: "early return on active data",
    src: `function f(x: number[], a: number): number {
      for (let i = 0; i < x.length; i++) { if (x[i] * a > 1) return x[i] / a; }
      return a * a;
    }`,
    fn: "f",
    args: (r) => [vec(r, int(r, 1, 6), -2, 2), uniform(r, 0.5, 2)],
  },
  {
    name: "index from active data",
    src: `function f(x: number[]): number[] {
      const n = x.length; const y = new Float64Array(n);
      const k = Math.min(n - 1, Math.max(0, Math.floor(Math.abs(x[0]) * n)));
      y[k] = x[1] * 2;
      y[0] += x[k];
      return y;
    }`,
    fn: "f",
    args: (r) => [vec(r, int(r, 2, 8), -1, 1)],
  },
  {
    name: "Newton iteration with a data-dependent stop",
    src: `function f(a: number): number {
      let x = 1; let it = 0;
      while (Math.abs(x * x - a) > 1e-12 && it < 60) { x = 0.5 * (x + a / x); it++; }
      return x;
    }`,
    fn: "f",
    hessian: true,
    args: (r) => [uniform(r, 0.5, 4)],
  },
  {
    name: "arrays allocated in a data-dependent loop",
    src: `function f(x: number[]): number[] {
      let acc = new Float64Array(x.length); let i = 0;
      while (i < x.length && x[i] < 0.8) {
        const t = new Float64Array(x.length);
        for (let j = 0; j < x.length; j++) t[j] = acc[j] + x[i] * x[j];
        acc = t; i++;
      }
      return acc;
    }`,
    fn: "f",
    args: (r) => [vec(r, int(r, 1, 5), -1, 1)],
  },
  {
    name: "recursion with a data-dependent depth",
    src: `function g(x: number, k: number): number { return x > 1 && k < 30 ? g(x * 0.5, k + 1) + 1 : x; }
    function f(x: number[]): number[] { const y = new Float64Array(x.length); for (let i = 0; i < x.length; i++) y[i] = g(x[i] * x[i], 0); return y; }`,
    fn: "f",
    args: (r) => [vec(r, int(r, 1, 5), -3, 3)],
  },
  {
    name: "recursion with an unbounded data-dependent depth",
    src: `function g(x: number): number { return x > 1 ? g(x * 0.5) + x : x * x; }
    function f(x: number[]): number[] { const y = new Float64Array(x.length); for (let i = 0; i < x.length; i++) y[i] = g(x[i]) * x[0]; return y; }`,
    fn: "f",
    args: (r) => [vec(r, int(r, 1, 4), -3, 3)],
  },
  {
    name: "tree recursion under data-dependent branches",
    src: `function g(x: number, y: number): number { return x > 1 ? g(x - 1, y * x) + g(x - 2, y) : y * Math.sin(x); }
    function f(x: number[]): number[] { const out = new Float64Array(x.length - 1); for (let i = 0; i + 1 < x.length; i++) out[i] = g(x[i], x[i + 1]); return out; }`,
    fn: "f",
    args: (r) => [vec(r, int(r, 2, 5), -1, 4)],
  },
  {
    name: "select between arrays on active data",
    src: `function f(x: number[], y: number[]): number[] {
      const a = x[0] > 0 ? x : y;
      const b = a.slice();
      b[1] = b[0] * 3;
      return b;
    }`,
    fn: "f",
    args: (r) => [vec(r, 3, -1, 1), vec(r, 3, -1, 1)],
  },
  {
    name: "nested data-dependent loops",
    src: `function f(x: number[]): number {
      let s = 0; let i = 0;
      while (i < x.length && s < 3) {
        let j = 0;
        while (j < x.length && x[j] * s < 1) { s += x[i] * x[j] * 0.1 + 0.05; j++; }
        i++;
      }
      return s;
    }`,
    fn: "f",
    hessian: true,
    args: (r) => [vec(r, int(r, 1, 5), -1, 1)],
  },
];
