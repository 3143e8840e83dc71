// Derivatives of black boxes by finite differences: Ridders' method
// (central differences at shrinking steps, Richardson-extrapolated in a
// Neville tableau) with an error estimate. This is the fallback for externs
// that have no registered rule; it is not used to check deriv's own results
// (tests have an independent reference in test/support).

/** A directional derivative and its estimated absolute error. */
export interface FdEstimate {
  readonly derivative: number[];
  readonly error: number;
}

/** d/dt g(x + t v) at t = 0 for a vector function g, by Ridders' extrapolation. */
export function directionalDerivative(g: (x: readonly number[]) => readonly number[], x: readonly number[], v: readonly number[]): FdEstimate {
  const vmax = Math.max(...v.map(Math.abs));
  const m = g(x).length;
  if (vmax === 0 || x.length === 0) return { derivative: new Array<number>(m).fill(0), error: 0 };
  const xmax = Math.max(1, ...x.map(Math.abs));
  let h = (0.1 * xmax) / vmax;
  const CON = 1.4;
  const CON2 = CON * CON;
  const NTAB = 10;
  const SAFE = 2;
  const central = (step: number): number[] => {
    const plus = g(x.map((xi, i) => xi + step * v[i]!));
    const minus = g(x.map((xi, i) => xi - step * v[i]!));
    return plus.map((p, i) => (p - minus[i]!) / (2 * step));
  };
  const dist = (a: readonly number[], b: readonly number[]): number => Math.max(0, ...a.map((ai, i) => Math.abs(ai - b[i]!)));
  const table: number[][][] = [[central(h)]];
  let best = table[0]![0]!;
  let err = Infinity;
  for (let i = 1; i < NTAB; i++) {
    h /= CON;
    const row: number[][] = [central(h)];
    let fac = CON2;
    for (let j = 1; j <= i; j++) {
      const prevSame = row[j - 1]!;
      const prevRow = table[i - 1]![j - 1]!;
      row.push(prevSame.map((a, c) => (a * fac - prevRow[c]!) / (fac - 1)));
      fac *= CON2;
      const errt = Math.max(dist(row[j]!, prevSame), dist(row[j]!, prevRow));
      if (errt <= err) {
        err = errt;
        best = row[j]!;
      }
    }
    table.push(row);
    if (dist(row[i]!, table[i - 1]![i - 1]!) >= SAFE * err) break;
  }
  return { derivative: best, error: err };
}
