// The comparisons the bench runs, one row per task and measure: the
// hand-written JavaScript first (the reference every other case is checked
// against and divided by), then deriv's compiled code. Derivative rows carry
// only the hand-written derivative until deriv's AD passes add theirs; their
// `primalRow` names the row whose hand-written time gives the P ratio.

import { lorenz, lorenzGradient, LORENZ_TAPE_LENGTH } from "./baselines/lorenz.js";
import { logistic, logisticGradient } from "./baselines/logistic.js";
import { rosenbrock, rosenbrockGradient, rosenbrockHvp } from "./baselines/rosenbrock.js";
import { tridiagonal, tridiagonalDenseJacobian, tridiagonalPattern, tridiagonalSparseJacobian } from "./baselines/tridiagonal.js";
import { LORENZ_ARGS, logisticData, rosenbrockV, rosenbrockX, tridiagonalX } from "./inputs.js";
import { compileTask } from "./sources.js";
import type { Case } from "./timing.js";

/** One comparison. `cases[0]` is the hand-written reference. */
export interface Row {
  readonly key: string;
  readonly task: string;
  readonly measure: string;
  readonly cases: readonly Case[];
  readonly primalRow?: string;
}

/** Sizes of one bench run: T4's sizes, and the one (among them) that also
 * gets the dense Jacobian. */
export interface Sizes {
  readonly t4: readonly number[];
  readonly t4Dense: number;
}

/** deriv's compiled primal, with and without bounds checks. */
function derivPrimal(file: string, fn: string, args: readonly unknown[]): Case[] {
  const checked = compileTask(file, fn);
  const unchecked = compileTask(file, fn, { checked: false });
  return [
    { name: "deriv", run: () => checked(...args) },
    { name: "deriv unchecked", run: () => unchecked(...args) },
  ];
}

/** Every row of a run. */
export function benchRows(sizes: Sizes): Row[] {
  const rows: Row[] = [];
  for (const n of [1000, 100_000]) {
    const x = rosenbrockX(n);
    const g = new Float64Array(n);
    const label = `T1 n=${n.toLocaleString("en-US")}`;
    rows.push({ key: `T1-${n}`, task: label, measure: "primal", cases: [{ name: "hand", run: () => rosenbrock(x) }, ...derivPrimal("t1-rosenbrock.mts", "rosenbrock", [x])] });
    rows.push({ key: `T1-${n}-grad`, task: label, measure: "gradient", primalRow: `T1-${n}`, cases: [{ name: "hand", run: () => (rosenbrockGradient(x, g), g) }] });
  }
  {
    const p = Float64Array.from(LORENZ_ARGS);
    const grad = new Float64Array(6);
    const tape = new Float64Array(LORENZ_TAPE_LENGTH);
    const [x0, y0, z0, s, r, b] = LORENZ_ARGS as [number, number, number, number, number, number];
    rows.push({ key: "T2", task: "T2 Lorenz RK4", measure: "primal", cases: [{ name: "hand", run: () => lorenz(x0, y0, z0, s, r, b) }, ...derivPrimal("t2-lorenz.mts", "lorenz", LORENZ_ARGS)] });
    rows.push({ key: "T2-grad", task: "T2 Lorenz RK4", measure: "gradient (adjoint)", primalRow: "T2", cases: [{ name: "hand", run: () => (lorenzGradient(p, grad, tape), grad) }] });
  }
  {
    const { X, y, w } = logisticData(2000, 50);
    const g = new Float64Array(50);
    rows.push({ key: "T3", task: "T3 logistic 2000x50", measure: "primal", cases: [{ name: "hand", run: () => logistic(X, y, w) }, ...derivPrimal("t3-logistic.mts", "logistic", [X, y, w])] });
    rows.push({ key: "T3-grad", task: "T3 logistic 2000x50", measure: "gradient wrt w", primalRow: "T3", cases: [{ name: "hand", run: () => (logisticGradient(X, y, w, g), g) }] });
  }
  for (const n of sizes.t4) {
    const x = tridiagonalX(n);
    const jac = tridiagonalPattern(n);
    const seed = new Float64Array(n);
    const compressed = new Float64Array(3 * n);
    const label = `T4 n=${n.toLocaleString("en-US")}`;
    rows.push({ key: `T4-${n}`, task: label, measure: "primal", cases: [{ name: "hand", run: () => tridiagonal(x) }, ...derivPrimal("t4-tridiagonal.mts", "tridiagonal", [x])] });
    rows.push({ key: `T4-${n}-sparse`, task: label, measure: "sparse Jacobian (3 colours)", primalRow: `T4-${n}`, cases: [{ name: "hand", run: () => (tridiagonalSparseJacobian(x, jac, seed, compressed), jac.values) }] });
    if (n !== sizes.t4Dense) continue;
    const dense = new Float64Array(n * n);
    const column = new Float64Array(n);
    rows.push({ key: `T4-${n}-dense`, task: label, measure: "dense Jacobian (n sweeps)", primalRow: `T4-${n}`, cases: [{ name: "hand", run: () => (tridiagonalDenseJacobian(x, dense, seed, column), column) }] });
  }
  {
    const n = 1000;
    const x = rosenbrockX(n);
    const v = rosenbrockV(n);
    const g = new Float64Array(n);
    const hv = new Float64Array(n);
    rows.push({ key: "T5-hvp", task: "T5 n=1,000", measure: "Hessian-vector product", primalRow: "T1-1000", cases: [{ name: "hand", run: () => (rosenbrockHvp(x, v, g, hv), hv) }] });
  }
  return rows;
}
