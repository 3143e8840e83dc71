// The peers of the bench on small problems (bench/peers/fd.ts, tfjs.ts):
// each cell's result is compared with the hand-written derivative exactly as
// the bench does (maxRelativeError on the computed part), full and reduced;
// errors stay within what central differences (~eps^(2/3)) and float32
// allow. Also the error computation on float32 results and partial
// references, and the peer table's text. Nothing is timed.

import { beforeAll, describe, expect, it } from "vitest";
import { maxRelativeError } from "../../bench/agree.js";
import { lorenz, lorenzGradient, LORENZ_DT, LORENZ_TAPE_LENGTH } from "../../bench/baselines/lorenz.js";
import { logistic, logisticGradient } from "../../bench/baselines/logistic.js";
import { rosenbrock, rosenbrockGradient, rosenbrockHvp } from "../../bench/baselines/rosenbrock.js";
import { tridiagonal, tridiagonalDenseJacobian, tridiagonalPattern, tridiagonalSeeds, tridiagonalSparseJacobian } from "../../bench/baselines/tridiagonal.js";
import { LORENZ_ARGS, logisticData, rosenbrockV, rosenbrockX, tridiagonalX } from "../../bench/inputs.js";
import { peerCatalog } from "../../bench/peers/catalog.js";
import type { PeerCell, PeerResult } from "../../bench/peers/cell.js";
import { fdCompressedJacobianCell, fdDenseJacobianCell, fdGradientCell, fdHvpCell } from "../../bench/peers/fd.js";
import { formatPeers } from "../../bench/peers/format.js";
import { gather, gatherColumns, gatherRows } from "../../bench/peers/parts.js";
import type { Tfjs } from "../../bench/peers/tfjs.js";
import { loadTfjs, tfCompressedJacobianCell, tfDenseJacobianCell, tfLogisticGradientCell, tfLorenzGradientCell, tfRosenbrockGradientCell, tfRosenbrockHvpCell } from "../../bench/peers/tfjs.js";

/** The bench's error of `cell` on `units` of its problem. */
function errorAt(cell: PeerCell, units = cell.full): number {
  const sized = cell.at(units);
  try {
    return maxRelativeError(sized.run(), sized.want());
  } finally {
    sized.dispose?.();
  }
}

const n = 40;
const x = rosenbrockX(n);
const v = rosenbrockV(n);
const gradient = (): Float64Array => {
  const g = new Float64Array(n);
  rosenbrockGradient(x, g);
  return g;
};
const hvp = (): Float64Array => {
  const hv = new Float64Array(n);
  rosenbrockHvp(x, v, new Float64Array(n), hv);
  return hv;
};
const tx = tridiagonalX(n);
const sparse = (): Float64Array => {
  const jac = tridiagonalPattern(n);
  tridiagonalSparseJacobian(tx, jac, tridiagonalSeeds(n), new Float64Array(3 * n));
  return jac.values;
};
const dense = (): Float64Array => {
  const jac = new Float64Array(n * n);
  tridiagonalDenseJacobian(tx, jac, new Float64Array(n));
  return jac;
};
const lorenzAt = (steps: number): Float64Array => {
  const g = new Float64Array(6);
  lorenzGradient(Float64Array.from(LORENZ_ARGS), g, new Float64Array(LORENZ_TAPE_LENGTH), steps);
  return g;
};

describe("peer error computation", () => {
  it("compares float32 results entry by entry", () => {
    const want = Float64Array.from([1, 2, 3]);
    expect(maxRelativeError(Float32Array.from(want), want)).toBe(0);
    expect(maxRelativeError(Float32Array.from([1, 2, 3.3]), want)).toBeCloseTo(0.3 / 3.3, 6);
    expect(maxRelativeError(Float32Array.from([1, 2]), want)).toBe(Infinity);
  });

  it("selects the part of a reference a reduced peer computed", () => {
    const a = Float64Array.from({ length: 9 }, (_, k) => k); // 3 x 3 column-major: a[j*3+i] = J_ij
    expect(Array.from(gather(a, Int32Array.from([0, 4, 8])))).toEqual([0, 4, 8]);
    expect(Array.from(gatherColumns(a, 3, Int32Array.from([2])))).toEqual([6, 7, 8]);
    expect(Array.from(gatherRows(a, 3, Int32Array.from([1])))).toEqual([1, 4, 7]);
  });
});

describe("finite-difference peer", () => {
  it("approximates the Rosenbrock gradient, on all directions and on a spread subset", () => {
    const cell = fdGradientCell(rosenbrock, x, gradient);
    expect(errorAt(cell)).toBeLessThan(1e-5);
    expect(errorAt(cell, 7)).toBeLessThan(1e-5);
  });

  it("approximates the Lorenz and logistic gradients", () => {
    const f = (q: Float64Array): number => lorenz(q[0]!, q[1]!, q[2]!, q[3]!, q[4]!, q[5]!);
    expect(errorAt(fdGradientCell(f, Float64Array.from(LORENZ_ARGS), () => lorenzAt(5000)))).toBeLessThan(1e-5);
    const { X, y, w } = logisticData(30, 5);
    const g = new Float64Array(5);
    logisticGradient(X, y, w, g);
    expect(errorAt(fdGradientCell((wv) => logistic(X, y, wv), w, () => g))).toBeLessThan(1e-5);
  });

  it("leaves its input untouched", () => {
    const copy = Float64Array.from(x);
    errorAt(fdGradientCell(rosenbrock, copy, gradient));
    expect(copy).toEqual(x);
  });

  it("approximates T4's compressed and dense Jacobians and the Hessian-vector product", () => {
    expect(errorAt(fdCompressedJacobianCell(tridiagonal, tx, tridiagonalPattern(n), tridiagonalSeeds(n), sparse))).toBeLessThan(1e-6);
    const denseCell = fdDenseJacobianCell(tridiagonal, tx, dense);
    expect(errorAt(denseCell)).toBeLessThan(1e-6);
    expect(errorAt(denseCell, 5)).toBeLessThan(1e-6);
    expect(errorAt(fdHvpCell(rosenbrockGradient, x, v, hvp))).toBeLessThan(1e-5);
  });
});

describe("TF.js peer (cpu, float32)", () => {
  let tf: Tfjs;
  beforeAll(async () => {
    tf = await loadTfjs();
  });

  it("runs on the CPU backend and frees its tensors", () => {
    expect(tf.getBackend()).toBe("cpu");
    const before = tf.memory().numTensors;
    errorAt(tfRosenbrockGradientCell(tf, x, gradient));
    errorAt(tfDenseJacobianCell(tf, tx, dense), 3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("matches the hand-written gradients to float32 accuracy", () => {
    expect(errorAt(tfRosenbrockGradientCell(tf, x, gradient))).toBeLessThan(1e-4);
    const { X, y, w } = logisticData(30, 5);
    const g = new Float64Array(5);
    logisticGradient(X, y, w, g);
    expect(errorAt(tfLogisticGradientCell(tf, X, y, w, () => g))).toBeLessThan(1e-4);
    expect(errorAt(tfRosenbrockHvpCell(tf, x, v, hvp))).toBeLessThan(1e-3);
  });

  it("differentiates a shortened Lorenz loop against the hand-written adjoint of as many steps", () => {
    const cell = tfLorenzGradientCell(tf, LORENZ_ARGS, LORENZ_DT, 5000, lorenzAt);
    expect(cell.full).toBe(5000);
    expect(errorAt(cell, 20)).toBeLessThan(1e-4);
  });

  it("recovers T4's Jacobian from three colour sweeps and from row sweeps", () => {
    expect(errorAt(tfCompressedJacobianCell(tf, tx, tridiagonalPattern(n), sparse))).toBeLessThan(1e-5);
    expect(errorAt(tfDenseJacobianCell(tf, tx, dense))).toBeLessThan(1e-5);
    expect(errorAt(tfDenseJacobianCell(tf, tx, dense), 4)).toBeLessThan(1e-5);
  });
});

describe("peer table", () => {
  const catalog = peerCatalog({ t4Sparse: 10_000, t4Dense: 10_000 });
  const result = (tool: "fd" | "tfjs", over: Partial<PeerResult>): PeerResult => ({
    key: "T2",
    task: "T2 Lorenz RK4 gradient",
    tool,
    handSeconds: 4e-4,
    seconds: 8e-4,
    ratio: 2,
    error: 1.5e-8,
    repetitions: 100,
    measuredUnits: 6,
    fullUnits: 6,
    unit: "directions",
    extrapolated: false,
    ...over,
  });

  it("marks extrapolated cells with ~ and notes them and single calls", () => {
    const peers = [result("fd", {}), result("tfjs", { seconds: 20.5, ratio: 51_250, error: 3e-7, repetitions: 1, measuredUnits: 1000, fullUnits: 5000, unit: "RK4 steps", extrapolated: true })];
    const text = formatPeers(catalog, peers, []);
    const line = text.split("\n").find((l) => l.startsWith("| T2"))!;
    expect(line.split("|").map((c) => c.trim())).toEqual(["", "T2 Lorenz RK4 gradient", "400 µs", "-", "800 µs", "2.00", "1.5e-8", "~20.5 s", "51,250", "3.0e-7", "5.3 s · 13432 H", "12.8 ms · 32 H", ""]);
    expect(text).toContain("- ~ T2 Lorenz RK4 gradient, TF.js 4.22 cpu (f32): extrapolated linearly from 1,000 of 5,000 RK4 steps (one call).");
    expect(text).toContain("not rerun");
  });

  it("shows only the quoted figures when a record has no peers", () => {
    const text = formatPeers(catalog, [], []);
    expect(text.split("\n").filter((l) => l.startsWith("| T")).length).toBe(catalog.length);
    expect(text).toContain("| 243 µs · 53 H");
  });

  it("quotes PEERS.md only at the T4 size it measured", () => {
    const quick = peerCatalog({ t4Sparse: 10_000, t4Dense: 1000 });
    expect(quick.find((c) => c.key === "T4-1000-dense")?.quoted).toBeUndefined();
    expect(quick.find((c) => c.key === "T4-10000-sparse")?.quoted?.adolc).toBe("1.9 ms · 7.0 H");
  });
});
