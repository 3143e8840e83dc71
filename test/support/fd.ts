// An independent finite-difference reference for the AD tests (DESIGN.md §8).
// Central differences D(h) = (f(x + h v) - f(x - h v)) / 2h at steps h0,
// h0/2, h0/4, …, Richardson-extrapolated in a tableau (D(h) = f' + c1 h² +
// c2 h⁴ + …, so level j removes the h^(2j) term). The value is the last
// diagonal entry; its error estimate is the larger of the distances to the
// previous diagonal entry and to the last row's previous column, plus the
// rounding error of the smallest step. Deliberately shares no code with
// api/finite-diff.ts (the fallback under test). Pure functions over number[].

/** A vector function of a flat vector (the tests flatten arguments and results). */
export type VecFn = (x: readonly number[]) => number[];

/** Step control of the extrapolation. */
export interface FdOptions {
  /** First step along a unit-scaled direction (default 2^-5, scaled by max(1, ‖x‖∞) / ‖v‖∞). */
  readonly h0?: number;
  /** Number of step sizes (default 5: h0 … h0/16). */
  readonly levels?: number;
}

/** A derivative estimate: one value and one error bound per output component. */
export interface FdEstimate {
  readonly value: number[];
  readonly error: number[];
}

const EPS = 2 ** -52;

const maxAbs = (xs: readonly number[]): number => xs.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

/** d/dt f(x + t v) at t = 0, extrapolated, with a per-component error estimate. */
export function fdDirectional(f: VecFn, x: readonly number[], v: readonly number[], options: FdOptions = {}): FdEstimate {
  const levels = options.levels ?? 5;
  const vmax = maxAbs(v);
  if (vmax === 0) {
    const m = f(x).length;
    return { value: new Array<number>(m).fill(0), error: new Array<number>(m).fill(0) };
  }
  const h0 = ((options.h0 ?? 2 ** -5) * Math.max(1, maxAbs(x))) / vmax;
  let fscale = 0;
  const central = (h: number): number[] => {
    const plus = f(x.map((xi, i) => xi + h * v[i]!));
    const minus = f(x.map((xi, i) => xi - h * v[i]!));
    fscale = Math.max(fscale, maxAbs(plus), maxAbs(minus));
    return plus.map((p, i) => (p - minus[i]!) / (2 * h));
  };
  // tableau[i][j]: step h0 / 2^i, extrapolated j times.
  const tableau: number[][][] = [];
  for (let i = 0; i < levels; i++) {
    const row: number[][] = [central(h0 / 2 ** i)];
    for (let j = 1; j <= i; j++) {
      const factor = 4 ** j - 1;
      const prev = row[j - 1]!;
      const above = tableau[i - 1]![j - 1]!;
      row.push(prev.map((p, c) => p + (p - above[c]!) / factor));
    }
    tableau.push(row);
  }
  const last = tableau[levels - 1]!;
  const value = last[levels - 1]!;
  const diag = levels > 1 ? tableau[levels - 2]![levels - 2]! : value;
  const side = levels > 1 ? last[levels - 2]! : value;
  const smallest = h0 / 2 ** (levels - 1);
  const rounding = (8 * EPS * fscale) / smallest;
  const error = value.map((d, c) => Math.max(Math.abs(d - diag[c]!), Math.abs(d - side[c]!)) + rounding);
  return { value, error };
}

/** The unit vector e_j of length n. */
export function unit(n: number, j: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === j ? 1 : 0));
}

/** A Jacobian estimate: `value[i][j]` = ∂f_i/∂x_j, with errors of the same shape. */
export interface FdMatrix {
  readonly value: number[][];
  readonly error: number[][];
}

/** The Jacobian of f at x, one extrapolated directional derivative per column. */
export function fdJacobian(f: VecFn, x: readonly number[], options: FdOptions = {}): FdMatrix {
  const m = f(x).length;
  const value = Array.from({ length: m }, () => new Array<number>(x.length).fill(0));
  const error = Array.from({ length: m }, () => new Array<number>(x.length).fill(0));
  x.forEach((_, j) => {
    const col = fdDirectional(f, x, unit(x.length, j), options);
    for (let i = 0; i < m; i++) {
      value[i]![j] = col.value[i]!;
      error[i]![j] = col.error[i]!;
    }
  });
  return { value, error };
}

/** The gradient of a scalar function (the single row of its Jacobian). */
export function fdGradient(f: (x: readonly number[]) => number, x: readonly number[], options: FdOptions = {}): FdEstimate {
  const jac = fdJacobian((y) => [f(y)], x, options);
  return { value: jac.value[0]!, error: jac.error[0]! };
}

/** Second derivatives as differences of a gradient: `value[i][j]` = ∂g_i/∂x_j
 * for g = ∇f supplied by the caller (by AD or by another reference). */
export function fdHessian(gradient: VecFn, x: readonly number[], options: FdOptions = {}): FdMatrix {
  return fdJacobian(gradient, x, options);
}
