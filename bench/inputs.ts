// The deterministic inputs of TASKS.md, exactly as the peer figures used them.

/** T1/T5: x[i] = 1 + 0.5 sin(0.1 i + 0.3). */
export function rosenbrockX(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 1 + 0.5 * Math.sin(0.1 * i + 0.3));
}

/** T5: v[i] = cos(0.05 i). */
export function rosenbrockV(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => Math.cos(0.05 * i));
}

/** T2: initial state (1, 1, 1) and (sigma, rho, beta) = (10, 28, 8/3). */
export const LORENZ_ARGS: readonly number[] = [1, 1, 1, 10, 28, 8 / 3];

/** T3: X (rows x cols, row-major) with X[k] = sin(0.37 k + 0.1), y_i = sin(1.7 i) > 0 ? 1 : 0, w_j = 0.1 cos(0.3 j). */
export function logisticData(rows: number, cols: number): { X: Float64Array; y: Float64Array; w: Float64Array } {
  return {
    X: Float64Array.from({ length: rows * cols }, (_, k) => Math.sin(0.37 * k + 0.1)),
    y: Float64Array.from({ length: rows }, (_, i) => (Math.sin(1.7 * i) > 0 ? 1 : 0)),
    w: Float64Array.from({ length: cols }, (_, j) => 0.1 * Math.cos(0.3 * j)),
  };
}

/** T4: x[i] = 0.5 sin(0.013 i + 0.2). */
export function tridiagonalX(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 0.5 * Math.sin(0.013 * i + 0.2));
}
