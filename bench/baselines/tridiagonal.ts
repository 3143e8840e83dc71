// Hand-written JavaScript for T4 (TASKS.md): the tridiagonal residual, its
// Jacobian-vector product, the sparse Jacobian by one forward sweep carrying
// the three colour seeds (columns coloured j mod 3) decompressed to CSC, and
// the dense Jacobian by n forward sweeps.

/** F_i = x_{i-1} - 2 x_i + x_{i+1} + 0.1 x_i^2 - sin(x_i), zero boundary values. */
export function tridiagonal(x: Float64Array): Float64Array {
  const n = x.length;
  const F = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const left = i > 0 ? x[i - 1] : 0;
    const right = i < n - 1 ? x[i + 1] : 0;
    F[i] = left - 2 * x[i] + right + 0.1 * x[i] * x[i] - Math.sin(x[i]);
  }
  return F;
}

/** J(x) v into `out[offset .. offset + n)`. */
export function tridiagonalJvp(x: Float64Array, v: Float64Array, out: Float64Array, offset = 0): void {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const left = i > 0 ? v[i - 1] : 0;
    const right = i < n - 1 ? v[i + 1] : 0;
    out[offset + i] = left + (-2 + 0.2 * x[i] - Math.cos(x[i])) * v[i] + right;
  }
}

/** A sparse matrix in compressed sparse column form. */
export interface CSC {
  readonly rows: number;
  readonly cols: number;
  readonly colPtr: Int32Array;
  readonly rowIdx: Int32Array;
  readonly values: Float64Array;
}

/** The CSC pattern of the n x n tridiagonal matrix (values zero). */
export function tridiagonalPattern(n: number): CSC {
  const colPtr = new Int32Array(n + 1);
  const rowIdx = new Int32Array(Math.max(0, 3 * n - 2));
  let k = 0;
  for (let j = 0; j < n; j++) {
    colPtr[j] = k;
    for (let i = Math.max(0, j - 1); i <= Math.min(n - 1, j + 1); i++) rowIdx[k++] = i;
  }
  colPtr[n] = k;
  return { rows: n, cols: n, colPtr, rowIdx, values: new Float64Array(k) };
}

/** The three seed vectors of the colouring j -> j mod 3, concatenated (3n). */
export function tridiagonalSeeds(n: number): Float64Array {
  const seeds = new Float64Array(3 * n);
  for (let j = 0; j < n; j++) seeds[(j % 3) * n + j] = 1;
  return seeds;
}

/** The Jacobian's values into `jac` (pattern from `tridiagonalPattern`): one
 * forward sweep carrying the three seeds of `tridiagonalSeeds` at once
 * (vector mode, cos x_i computed once per row), then entry (i, j) read from
 * the compressed column of j's colour at row i. `compressed` is a work array
 * of length 3n (colour c at c n). */
export function tridiagonalSparseJacobian(x: Float64Array, jac: CSC, seeds: Float64Array, compressed: Float64Array): void {
  const n = x.length;
  const s1 = n;
  const s2 = 2 * n;
  for (let i = 0; i < n; i++) {
    const d = -2 + 0.2 * x[i] - Math.cos(x[i]);
    if (i > 0 && i < n - 1) {
      compressed[i] = seeds[i - 1] + d * seeds[i] + seeds[i + 1];
      compressed[s1 + i] = seeds[s1 + i - 1] + d * seeds[s1 + i] + seeds[s1 + i + 1];
      compressed[s2 + i] = seeds[s2 + i - 1] + d * seeds[s2 + i] + seeds[s2 + i + 1];
    } else {
      for (let s = 0; s <= s2; s += n) {
        const left = i > 0 ? seeds[s + i - 1] : 0;
        const right = i < n - 1 ? seeds[s + i + 1] : 0;
        compressed[s + i] = left + d * seeds[s + i] + right;
      }
    }
  }
  for (let j = 0; j < n; j++) {
    const base = (j % 3) * n;
    for (let k = jac.colPtr[j]; k < jac.colPtr[j + 1]; k++) jac.values[k] = compressed[base + jac.rowIdx[k]];
  }
}

/** The dense Jacobian, column-major n x n into `jac` (column j at j n), by
 * one JVP per column; `seed` is a work array of length n. */
export function tridiagonalDenseJacobian(x: Float64Array, jac: Float64Array, seed: Float64Array): void {
  const n = x.length;
  seed.fill(0);
  for (let j = 0; j < n; j++) {
    seed[j] = 1;
    tridiagonalJvp(x, seed, jac, j * n);
    seed[j] = 0;
  }
}
