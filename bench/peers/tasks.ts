// The peer tasks of a run: for each entry of the catalog, the task's inputs
// (bench/inputs.ts), its hand-written derivative (timed for H and, computed
// once, the reference every peer is checked against) and the cells of the
// finite-difference and TF.js peers.

import { lorenz, lorenzGradient, LORENZ_STEPS, LORENZ_DT, LORENZ_TAPE_LENGTH } from "../baselines/lorenz.js";
import { logistic, logisticGradient } from "../baselines/logistic.js";
import { rosenbrock, rosenbrockGradient, rosenbrockHvp } from "../baselines/rosenbrock.js";
import { tridiagonal, tridiagonalDenseJacobian, tridiagonalPattern, tridiagonalSeeds, tridiagonalSparseJacobian } from "../baselines/tridiagonal.js";
import { LORENZ_ARGS, logisticData, rosenbrockV, rosenbrockX, tridiagonalX } from "../inputs.js";
import { peerCatalog } from "./catalog.js";
import type { PeerSizes } from "./catalog.js";
import type { PeerCell, PeerTask } from "./cell.js";
import { fdCompressedJacobianCell, fdDenseJacobianCell, fdGradientCell, fdHvpCell } from "./fd.js";
import type { Tfjs } from "./tfjs.js";
import { tfCompressedJacobianCell, tfDenseJacobianCell, tfLogisticGradientCell, tfLorenzGradientCell, tfRosenbrockGradientCell, tfRosenbrockHvpCell } from "./tfjs.js";

/** The hand-written derivative and the peers' cells of one task. */
interface TaskBody {
  readonly hand: () => unknown;
  readonly cells: readonly PeerCell[];
}

/** `f`'s result, computed on first use. */
function once<T>(f: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= f());
}

function rosenbrockTask(tf: Tfjs, n: number): TaskBody {
  const x = rosenbrockX(n);
  const g = new Float64Array(n);
  const hand = (): Float64Array => (rosenbrockGradient(x, g), g);
  const reference = once(() => Float64Array.from(hand()));
  return { hand, cells: [fdGradientCell(rosenbrock, x, reference), tfRosenbrockGradientCell(tf, x, reference)] };
}

function lorenzTask(tf: Tfjs): TaskBody {
  const p = Float64Array.from(LORENZ_ARGS);
  const grad = new Float64Array(6);
  const tape = new Float64Array(LORENZ_TAPE_LENGTH);
  const hand = (): Float64Array => (lorenzGradient(p, grad, tape), grad);
  const at = (steps: number): Float64Array => {
    const g = new Float64Array(6);
    lorenzGradient(p, g, new Float64Array(LORENZ_TAPE_LENGTH), steps);
    return g;
  };
  const f = (q: Float64Array): number => lorenz(q[0]!, q[1]!, q[2]!, q[3]!, q[4]!, q[5]!);
  const full = once(() => at(LORENZ_STEPS));
  return { hand, cells: [fdGradientCell(f, p, full), tfLorenzGradientCell(tf, LORENZ_ARGS, LORENZ_DT, LORENZ_STEPS, at)] };
}

function logisticTask(tf: Tfjs): TaskBody {
  const { X, y, w } = logisticData(2000, 50);
  const g = new Float64Array(w.length);
  const hand = (): Float64Array => (logisticGradient(X, y, w, g), g);
  const reference = once(() => Float64Array.from(hand()));
  const f = (wv: Float64Array): number => logistic(X, y, wv);
  return { hand, cells: [fdGradientCell(f, w, reference), tfLogisticGradientCell(tf, X, y, w, reference)] };
}

function sparseTask(tf: Tfjs, n: number): TaskBody {
  const x = tridiagonalX(n);
  const jac = tridiagonalPattern(n);
  const seeds = tridiagonalSeeds(n);
  const compressed = new Float64Array(3 * n);
  const hand = (): Float64Array => (tridiagonalSparseJacobian(x, jac, seeds, compressed), jac.values);
  const reference = once(() => Float64Array.from(hand()));
  return { hand, cells: [fdCompressedJacobianCell(tridiagonal, x, tridiagonalPattern(n), seeds, reference), tfCompressedJacobianCell(tf, x, tridiagonalPattern(n), reference)] };
}

function denseTask(tf: Tfjs, n: number): TaskBody {
  const x = tridiagonalX(n);
  const dense = new Float64Array(n * n);
  const seed = new Float64Array(n);
  const hand = (): Float64Array => (tridiagonalDenseJacobian(x, dense, seed), dense);
  // Every hand-written call writes the same values, so the reference can share its buffer.
  const reference = once(hand);
  return { hand, cells: [fdDenseJacobianCell(tridiagonal, x, reference), tfDenseJacobianCell(tf, x, reference)] };
}

function hvpTask(tf: Tfjs): TaskBody {
  const n = 1000;
  const x = rosenbrockX(n);
  const v = rosenbrockV(n);
  const g = new Float64Array(n);
  const hv = new Float64Array(n);
  const hand = (): Float64Array => (rosenbrockHvp(x, v, g, hv), hv);
  const reference = once(() => Float64Array.from(hand()));
  return { hand, cells: [fdHvpCell(rosenbrockGradient, x, v, reference), tfRosenbrockHvpCell(tf, x, v, reference)] };
}

/** The peer tasks whose key `isWanted`, in catalog order, each built (its
 * inputs allocated) only when the previous one is done with. */
export function* peerTasks(sizes: PeerSizes, tf: Tfjs, isWanted: (key: string) => boolean): Generator<PeerTask> {
  const bodies: Record<string, () => TaskBody> = {
    "T1-1000": () => rosenbrockTask(tf, 1000),
    "T1-100000": () => rosenbrockTask(tf, 100_000),
    T2: () => lorenzTask(tf),
    T3: () => logisticTask(tf),
    [`T4-${sizes.t4Sparse}-sparse`]: () => sparseTask(tf, sizes.t4Sparse),
    [`T4-${sizes.t4Dense}-dense`]: () => denseTask(tf, sizes.t4Dense),
    T5: () => hvpTask(tf),
  };
  for (const info of peerCatalog(sizes)) {
    if (isWanted(info.key)) yield { key: info.key, task: info.task, row: info.row, ...bodies[info.key]!() };
  }
}
