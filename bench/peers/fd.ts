// The finite-difference peer: central differences in plain JavaScript, as a
// user without an AD tool would write them. Gradients take one pair of
// f-evaluations per input direction (shrinkable to a subset of directions);
// T4's sparse Jacobian one pair per colour of the 3-colouring; the dense
// Jacobian one pair per column; T5's Hessian-vector product differentiates
// the hand-written gradient along v. Step h = cbrt(eps) max(1, |x|), the
// usual choice for central differences (error ~ eps^(2/3)).

import type { CSC } from "../baselines/tridiagonal.js";
import { spreadIndices } from "./budget.js";
import type { PeerCell } from "./cell.js";
import { gather, gatherColumns } from "./parts.js";

const CBRT_EPS = Math.cbrt(Number.EPSILON);

/** The central-difference step for a coordinate of size |x|. */
function stepFor(x: number): number {
  return CBRT_EPS * Math.max(1, Math.abs(x));
}

/** The partial derivatives of `f` at `work` along the coordinates `dirs`
 * into `out`; `work` is perturbed and restored entry by entry. */
export function centralGradient(f: (x: Float64Array) => number, work: Float64Array, dirs: Int32Array, out: Float64Array): Float64Array {
  for (let k = 0; k < dirs.length; k++) {
    const i = dirs[k]!;
    const xi = work[i]!;
    const h = stepFor(xi);
    work[i] = xi + h;
    const up = f(work);
    work[i] = xi - h;
    const down = f(work);
    work[i] = xi;
    out[k] = (up - down) / (xi + h - (xi - h));
  }
  return out;
}

/** A gradient by central differences, one pair of evaluations per direction;
 * `reference()` is the hand-written gradient. */
export function fdGradientCell(f: (x: Float64Array) => number, x: Float64Array, reference: () => Float64Array): PeerCell {
  return {
    tool: "fd",
    full: x.length,
    unit: "directions",
    at: (units) => {
      const dirs = spreadIndices(units, x.length);
      const work = Float64Array.from(x);
      const out = new Float64Array(dirs.length);
      return { run: () => centralGradient(f, work, dirs, out), want: () => gather(reference(), dirs) };
    },
  };
}

/** `(F(x + h d) - F(x - h d)) / 2h` into `out` at `offset`, for a direction `d`
 * with entries 0 or 1; `up` and `down` are work arrays of length n. */
function centralDirectional(F: (x: Float64Array) => Float64Array, x: Float64Array, d: Float64Array, h: number, up: Float64Array, down: Float64Array, out: Float64Array, offset: number): void {
  for (let i = 0; i < x.length; i++) {
    up[i] = x[i]! + h * d[i]!;
    down[i] = x[i]! - h * d[i]!;
  }
  const fu = F(up);
  const fd = F(down);
  for (let i = 0; i < x.length; i++) out[offset + i] = (fu[i]! - fd[i]!) / (2 * h);
}

/** The largest step any entry of `x` needs. */
function uniformStep(x: Float64Array): number {
  return x.reduce((h, xi) => Math.max(h, stepFor(xi)), 0);
}

/** T4's sparse Jacobian by central differences along the 3 colour seeds
 * (`seeds`, colour c at c n), decompressed into a copy of `pattern`. */
export function fdCompressedJacobianCell(F: (x: Float64Array) => Float64Array, x: Float64Array, pattern: CSC, seeds: Float64Array, reference: () => Float64Array): PeerCell {
  const n = x.length;
  return {
    tool: "fd",
    full: 1,
    unit: "colour sweeps",
    at: () => {
      const h = uniformStep(x);
      const up = new Float64Array(n);
      const down = new Float64Array(n);
      const compressed = new Float64Array(3 * n);
      const values = new Float64Array(pattern.values.length);
      const run = (): Float64Array => {
        for (let c = 0; c < 3; c++) centralDirectional(F, x, seeds.subarray(c * n, (c + 1) * n), h, up, down, compressed, c * n);
        for (let j = 0; j < n; j++) {
          const base = (j % 3) * n;
          for (let k = pattern.colPtr[j]!; k < pattern.colPtr[j + 1]!; k++) values[k] = compressed[base + pattern.rowIdx[k]!]!;
        }
        return values;
      };
      return { run, want: reference };
    },
  };
}

/** A dense Jacobian (column-major) by central differences, one pair of
 * evaluations per column; `reference()` is the hand-written dense Jacobian. */
export function fdDenseJacobianCell(F: (x: Float64Array) => Float64Array, x: Float64Array, reference: () => Float64Array): PeerCell {
  const n = x.length;
  return {
    tool: "fd",
    full: n,
    unit: "columns",
    at: (units) => {
      const columns = spreadIndices(units, n);
      const h = uniformStep(x);
      const seed = new Float64Array(n);
      const up = new Float64Array(n);
      const down = new Float64Array(n);
      const jac = new Float64Array(columns.length * n);
      const run = (): Float64Array => {
        columns.forEach((j, k) => {
          seed[j] = 1;
          centralDirectional(F, x, seed, h, up, down, jac, k * n);
          seed[j] = 0;
        });
        return jac;
      };
      // All columns in order: the reference itself (no n x n copy).
      return { run, want: () => (columns.length === n ? reference() : gatherColumns(reference(), n, columns)) };
    },
  };
}

/** H v by central differences of the gradient `gradient(x, g)` along v. */
export function fdHvpCell(gradient: (x: Float64Array, g: Float64Array) => unknown, x: Float64Array, v: Float64Array, reference: () => Float64Array): PeerCell {
  const n = x.length;
  return {
    tool: "fd",
    full: 1,
    unit: "gradient pairs",
    at: () => {
      const scale = v.reduce((m, vi) => Math.max(m, Math.abs(vi)), 0) || 1;
      const h = uniformStep(x) / scale;
      const point = new Float64Array(n);
      const gu = new Float64Array(n);
      const gd = new Float64Array(n);
      const hv = new Float64Array(n);
      const run = (): Float64Array => {
        for (let i = 0; i < n; i++) point[i] = x[i]! + h * v[i]!;
        gradient(point, gu);
        for (let i = 0; i < n; i++) point[i] = x[i]! - h * v[i]!;
        gradient(point, gd);
        for (let i = 0; i < n; i++) hv[i] = (gu[i]! - gd[i]!) / (2 * h);
        return hv;
      };
      return { run, want: reference };
    },
  };
}
