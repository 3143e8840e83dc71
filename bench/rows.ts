// The comparisons the bench runs, one row per task and measure: the
// hand-written JavaScript first (the reference every other case is checked
// against and divided by), then deriv's compiled code. Derivative rows carry
// deriv's derivatives through the public API (transformed and compiled once,
// before timing) and the hand-written primal, timed interleaved with them
// for the P ratio.

import { lorenz, lorenzGradient, lorenzJvp, LORENZ_TAPE_LENGTH } from "./baselines/lorenz.js";
import { logistic, logisticGradient } from "./baselines/logistic.js";
import { rosenbrock, rosenbrockGradient, rosenbrockHvp } from "./baselines/rosenbrock.js";
import { tridiagonal, tridiagonalDenseJacobian, tridiagonalJvp, tridiagonalPattern, tridiagonalSeeds, tridiagonalSparseJacobian } from "./baselines/tridiagonal.js";
import { LORENZ_ARGS, logisticData, rosenbrockV, rosenbrockX, tridiagonalX } from "./inputs.js";
import { grad as gradient, hvp, jacobian, jvp } from "../index.js";
import { sparseJacobian } from "../api/sparse.js";
import { compileTask, taskModule } from "./sources.js";
import type { Case } from "./timing.js";

/** One comparison. `cases[0]` is the hand-written reference; `primal` (for
 * derivative rows) is timed with the cases but not checked against them. */
export interface Row {
  readonly key: string;
  readonly task: string;
  readonly measure: string;
  readonly cases: readonly Case[];
  readonly primal?: Case;
}

/** Sizes of one bench run: T4's sizes, and the one (among them) that also
 * gets the dense Jacobian. */
export interface Sizes {
  readonly t4: readonly number[];
  readonly t4Dense: number;
}

const hand = (run: () => unknown): Case => ({ name: "hand", run });

/** A primal row: hand-written, then deriv's compiled code with and without bounds checks. */
function primalRow(key: string, task: string, run: () => unknown, file: string, fn: string, args: readonly unknown[]): Row {
  const checked = compileTask(file, fn);
  const unchecked = compileTask(file, fn, { checked: false });
  const cases = [hand(run), { name: "deriv", run: () => checked(...args) }, { name: "deriv unchecked", run: () => unchecked(...args) }];
  return { key, task, measure: "primal", cases };
}

/** A derivative row: the hand-written derivative, deriv's, and the hand-written primal. */
function derivativeRow(key: string, task: string, measure: string, run: () => unknown, primal: () => unknown, derivs: readonly Case[]): Row {
  return { key, task, measure, cases: [hand(run), ...derivs], primal: { name: "hand primal", run: primal } };
}

/** Every row of a run. */
export function benchRows(sizes: Sizes): Row[] {
  const rows: Row[] = [];
  for (const n of [1000, 100_000]) {
    const x = rosenbrockX(n);
    const g = new Float64Array(n);
    const task = `T1 n=${n.toLocaleString("en-US")}`;
    const primal = (): number => rosenbrock(x);
    rows.push(primalRow(`T1-${n}`, task, primal, "t1-rosenbrock.mts", "rosenbrock", [x]));
    const dg = gradient(taskModule("t1-rosenbrock.mts"), "rosenbrock");
    const out = dg(x).gradient;
    rows.push(
      derivativeRow(`T1-${n}-grad`, task, "gradient", () => (rosenbrockGradient(x, g), g), primal, [
        { name: "deriv rev", run: () => dg(x).gradient[0] },
        { name: "deriv rev, into", run: () => dg.into(out, x).gradient[0] },
      ]),
    );
    const v = rosenbrockV(n);
    const dj = jvp(taskModule("t1-rosenbrock.mts"), "rosenbrock");
    rows.push(derivativeRow(`T1-${n}-jvp`, task, "JVP (hand: gradient · v)", () => (rosenbrockGradient(x, g), g.reduce((s, gi, i) => s + gi * v[i]!, 0)), primal, [{ name: "deriv fwd", run: () => dj([x], [v]).tangent }]));
  }
  {
    const p = Float64Array.from(LORENZ_ARGS);
    const grad = new Float64Array(6);
    const tape = new Float64Array(LORENZ_TAPE_LENGTH);
    const [x0, y0, z0, s, r, b] = LORENZ_ARGS as [number, number, number, number, number, number];
    const primal = (): number => lorenz(x0, y0, z0, s, r, b);
    rows.push(primalRow("T2", "T2 Lorenz RK4", primal, "t2-lorenz.mts", "lorenz", LORENZ_ARGS));
    const module = taskModule("t2-lorenz.mts");
    const dg = gradient(module, "lorenz");
    const fj = jacobian(module, "lorenz", { mode: "forward" });
    rows.push(
      derivativeRow("T2-grad", "T2 Lorenz RK4", "gradient (adjoint)", () => (lorenzGradient(p, grad, tape), grad), primal, [
        { name: "deriv rev", run: () => dg(...LORENZ_ARGS).gradient },
        { name: "deriv fwd (6 dirs)", run: () => fj(...LORENZ_ARGS).jacobian },
      ]),
    );
    const units = Array.from({ length: 6 }, (_, k) => Float64Array.from({ length: 6 }, (_, j) => (j === k ? 1 : 0)));
    const six = new Float64Array(6);
    rows.push(
      derivativeRow("T2-jac", "T2 Lorenz RK4", "Jacobian (hand: six JVPs)", () => (units.forEach((u, k) => (six[k] = lorenzJvp(p, u))), six), primal, [
        { name: "deriv fwd (6 dirs)", run: () => fj(...LORENZ_ARGS).jacobian },
      ]),
    );
  }
  {
    const { X, y, w } = logisticData(2000, 50);
    const g = new Float64Array(50);
    const primal = (): number => logistic(X, y, w);
    rows.push(primalRow("T3", "T3 logistic 2000x50", primal, "t3-logistic.mts", "logistic", [X, y, w]));
    const dg = gradient(taskModule("t3-logistic.mts"), "logistic", { wrt: [2] });
    const out = dg(X, y, w).gradient;
    rows.push(
      derivativeRow("T3-grad", "T3 logistic 2000x50", "gradient wrt w", () => (logisticGradient(X, y, w, g), g), primal, [
        { name: "deriv rev", run: () => dg(X, y, w).gradient[2] },
        { name: "deriv rev, into", run: () => dg.into(out, X, y, w).gradient[2] },
      ]),
    );
  }
  for (const n of sizes.t4) {
    const x = tridiagonalX(n);
    const jac = tridiagonalPattern(n);
    const seeds = tridiagonalSeeds(n);
    const compressed = new Float64Array(3 * n);
    const task = `T4 n=${n.toLocaleString("en-US")}`;
    const primal = (): Float64Array => tridiagonal(x);
    rows.push(primalRow(`T4-${n}`, task, primal, "t4-tridiagonal.mts", "tridiagonal", [x]));
    const module = taskModule("t4-tridiagonal.mts");
    const sj = sparseJacobian(module, "tridiagonal");
    const dir = rosenbrockV(n);
    const jout = new Float64Array(n);
    const dj = jvp(module, "tridiagonal");
    rows.push(derivativeRow(`T4-${n}-jvp`, task, "JVP", () => (tridiagonalJvp(x, dir, jout), jout), primal, [{ name: "deriv fwd", run: () => dj([x], [dir]).tangent }]));
    rows.push(
      derivativeRow(`T4-${n}-sparse`, task, "sparse Jacobian (3 colours)", () => (tridiagonalSparseJacobian(x, jac, seeds, compressed), jac.values), primal, [
        { name: "deriv fwd", run: () => sj(x).jacobian.values },
        { name: "deriv incl. detection", run: () => sparseJacobian(module, "tridiagonal")(x).jacobian.values },
      ]),
    );
    if (n !== sizes.t4Dense) continue;
    const dense = new Float64Array(n * n);
    const seed = new Float64Array(n);
    const fj = jacobian(module, "tridiagonal", { mode: "forward" });
    rows.push(derivativeRow(`T4-${n}-dense`, task, "dense Jacobian (n sweeps)", () => (tridiagonalDenseJacobian(x, dense, seed), dense), primal, [{ name: "deriv fwd (8 dirs)", run: () => fj(x).jacobian }]));
  }
  {
    const n = 1000;
    const x = rosenbrockX(n);
    const v = rosenbrockV(n);
    const g = new Float64Array(n);
    const hv = new Float64Array(n);
    const dh = hvp(taskModule("t1-rosenbrock.mts"), "rosenbrock");
    const out = dh([x], [v]);
    rows.push(
      derivativeRow("T5-hvp", "T5 n=1,000", "Hessian-vector product", () => (rosenbrockHvp(x, v, g, hv), hv), () => rosenbrock(x), [
        { name: "deriv fwd∘rev", run: () => dh([x], [v]).hvp[0] },
        { name: "deriv fwd∘rev, into", run: () => dh.into(out, [x], [v]).hvp[0] },
      ]),
    );
  }
  return rows;
}
