// The TensorFlow.js peer (4.22, pure-JS CPU backend, float32 only), written
// as a user of its API would: tf.grad / tf.grads for reverse mode, the Lorenz
// loop (T2) unrolled on scalar tensors, T4's sparse Jacobian as three
// reverse sweeps with the colour cotangents (TF.js has no forward mode), the
// dense Jacobian one reverse sweep per row, T5's H v as the gradient of
// grad f · v. Inputs become tensors once, outside the timed call; each call
// runs in tf.tidy and reads its result back with dataSync. Loaded lazily
// (`loadTfjs`), so bench runs without peers never import it.

import type { Tensor } from "@tensorflow/tfjs";
import type { CSC } from "../baselines/tridiagonal.js";
import { spreadIndices } from "./budget.js";
import type { PeerCell } from "./cell.js";
import { gatherRows } from "./parts.js";

/** The TF.js module. */
export type Tfjs = typeof import("@tensorflow/tfjs");

/** Imports TF.js on the CPU backend. Production mode mutes TF.js's console
 * warnings, among them the "install tfjs-node" banner of the CPU backend. */
export async function loadTfjs(): Promise<Tfjs> {
  const tf = await import("@tensorflow/tfjs");
  tf.enableProdMode();
  await tf.setBackend("cpu");
  return tf;
}

/** Runs `compute` in tf.tidy and reads its tensor(s) back, disposing them. */
function read(tf: Tfjs, compute: () => Tensor | Tensor[]): Float32Array {
  const out = tf.tidy(compute);
  const list = Array.isArray(out) ? out : [out];
  const values = list.length === 1 ? (list[0]!.dataSync() as Float32Array) : Float32Array.from(list.flatMap((t) => Array.from(t.dataSync())));
  tf.dispose(list);
  return values;
}

/** A cell over tensors created by `setup` and disposed with the cell. */
function tensorCell(tf: Tfjs, full: number, unit: string, setup: (units: number) => { inputs: Tensor[]; run: () => unknown; want: () => unknown }): PeerCell {
  return {
    tool: "tfjs",
    full,
    unit,
    at: (units) => {
      const { inputs, run, want } = setup(units);
      return { run, want, dispose: () => tf.dispose(inputs) };
    },
  };
}

/** T1's function on a tensor of length n, as a TF.js user writes it. */
function tfRosenbrock(tf: Tfjs, n: number): (t: Tensor) => Tensor {
  return (t) => {
    const head = t.slice(0, n - 1);
    const a = t.slice(1).sub(head.square());
    const b = tf.scalar(1).sub(head);
    return a.square().mul(100).add(b.square()).sum();
  };
}

/** T1: the Rosenbrock gradient. */
export function tfRosenbrockGradientCell(tf: Tfjs, x: Float64Array, reference: () => Float64Array): PeerCell {
  const gradient = tf.grad(tfRosenbrock(tf, x.length));
  return tensorCell(tf, 1, "reverse sweeps", () => {
    const xt = tf.tensor1d(Float32Array.from(x));
    return { inputs: [xt], run: () => read(tf, () => gradient(xt)), want: reference };
  });
}

/** T5: H v as the gradient of grad f(x) · v. */
export function tfRosenbrockHvpCell(tf: Tfjs, x: Float64Array, v: Float64Array, reference: () => Float64Array): PeerCell {
  const f = tfRosenbrock(tf, x.length);
  return tensorCell(tf, 1, "double sweeps", () => {
    const xt = tf.tensor1d(Float32Array.from(x));
    const vt = tf.tensor1d(Float32Array.from(v));
    const hvp = tf.grad((t) => tf.grad(f)(t).mul(vt).sum());
    return { inputs: [xt, vt], run: () => read(tf, () => hvp(xt)), want: reference };
  });
}

/** T2: the Lorenz RK4 loop on scalar tensors, `units` steps of size `dt`,
 * gradient w.r.t. the 6 inputs; `reference(steps)` is the hand-written one. */
export function tfLorenzGradientCell(tf: Tfjs, args: readonly number[], dt: number, steps: number, reference: (steps: number) => Float64Array): PeerCell {
  return tensorCell(tf, steps, "RK4 steps", (units) => {
    const loss = (x0: Tensor, y0: Tensor, z0: Tensor, sigma: Tensor, rho: Tensor, beta: Tensor): Tensor => {
      const half = tf.scalar(0.5 * dt);
      const whole = tf.scalar(dt);
      const sixth = tf.scalar(dt / 6);
      const two = tf.scalar(2);
      const rhs = (x: Tensor, y: Tensor, z: Tensor): [Tensor, Tensor, Tensor] => [sigma.mul(y.sub(x)), x.mul(rho.sub(z)).sub(y), x.mul(y).sub(beta.mul(z))];
      let [x, y, z] = [x0, y0, z0];
      for (let s = 0; s < units; s++) {
        const [k1x, k1y, k1z] = rhs(x, y, z);
        const [k2x, k2y, k2z] = rhs(x.add(half.mul(k1x)), y.add(half.mul(k1y)), z.add(half.mul(k1z)));
        const [k3x, k3y, k3z] = rhs(x.add(half.mul(k2x)), y.add(half.mul(k2y)), z.add(half.mul(k2z)));
        const [k4x, k4y, k4z] = rhs(x.add(whole.mul(k3x)), y.add(whole.mul(k3y)), z.add(whole.mul(k3z)));
        x = x.add(sixth.mul(k1x.add(two.mul(k2x)).add(two.mul(k3x)).add(k4x)));
        y = y.add(sixth.mul(k1y.add(two.mul(k2y)).add(two.mul(k3y)).add(k4y)));
        z = z.add(sixth.mul(k1z.add(two.mul(k2z)).add(two.mul(k3z)).add(k4z)));
      }
      return x.add(y).add(z);
    };
    const gradients = tf.grads(loss as (...t: Tensor[]) => Tensor);
    const inputs = args.map((a) => tf.scalar(a));
    return { inputs, run: () => read(tf, () => gradients(inputs)), want: () => reference(units) };
  });
}

/** T3: the logistic-regression gradient w.r.t. w (X row-major, rows x cols). */
export function tfLogisticGradientCell(tf: Tfjs, X: Float64Array, y: Float64Array, w: Float64Array, reference: () => Float64Array): PeerCell {
  const rows = y.length;
  const cols = w.length;
  return tensorCell(tf, 1, "reverse sweeps", () => {
    const Xt = tf.tensor2d(Float32Array.from(X), [rows, cols]);
    const yt = tf.tensor1d(Float32Array.from(y));
    const wt = tf.tensor1d(Float32Array.from(w));
    const gradient = tf.grad((wv) => {
      const z = Xt.matMul(wv.reshape([cols, 1])).reshape([rows]);
      return tf.softplus(z).sub(yt.mul(z)).mean();
    });
    return { inputs: [Xt, yt, wt], run: () => read(tf, () => gradient(wt)), want: reference };
  });
}

/** T4's residual F(x) on a tensor of length n. */
function tridiagonalTensor(tf: Tfjs, n: number): (x: Tensor) => Tensor {
  return (x) => {
    const left = tf.pad(x.slice(0, n - 1), [[1, 0]]);
    const right = tf.pad(x.slice(1), [[0, 1]]);
    return left.sub(x.mul(2)).add(right).add(x.square().mul(0.1)).sub(x.sin());
  };
}

/** T4's sparse Jacobian by three reverse sweeps: with the cotangent w_c
 * (ones on the rows i = c mod 3), (J^T w_c)_j = J_ij for the one row i of
 * colour c that column j touches; decompressed into a copy of `pattern`. */
export function tfCompressedJacobianCell(tf: Tfjs, x: Float64Array, pattern: CSC, reference: () => Float64Array): PeerCell {
  const n = x.length;
  const vjp = tf.grad(tridiagonalTensor(tf, n));
  return tensorCell(tf, 1, "colour sweeps", () => {
    const xt = tf.tensor1d(Float32Array.from(x));
    const colours = [0, 1, 2].map((c) => tf.tensor1d(Float32Array.from({ length: n }, (_, i) => (i % 3 === c ? 1 : 0))));
    const values = new Float64Array(pattern.values.length);
    const run = (): Float64Array => {
      const sweeps = colours.map((w) => read(tf, () => vjp(xt, w)));
      for (let j = 0; j < n; j++) {
        for (let k = pattern.colPtr[j]!; k < pattern.colPtr[j + 1]!; k++) values[k] = sweeps[pattern.rowIdx[k]! % 3]![j]!;
      }
      return values;
    };
    return { inputs: [xt, ...colours], run, want: reference };
  });
}

/** T4's dense Jacobian, one reverse sweep per row (rows concatenated);
 * `reference()` is the hand-written dense Jacobian (column-major). */
export function tfDenseJacobianCell(tf: Tfjs, x: Float64Array, reference: () => Float64Array): PeerCell {
  const n = x.length;
  const vjp = tf.grad(tridiagonalTensor(tf, n));
  return tensorCell(tf, n, "row sweeps", (units) => {
    const rows = spreadIndices(units, n);
    const xt = tf.tensor1d(Float32Array.from(x));
    const jac = new Float64Array(rows.length * n);
    const run = (): Float64Array => {
      rows.forEach((i, k) => {
        const unit = new Float32Array(n);
        unit[i] = 1;
        jac.set(read(tf, () => vjp(xt, tf.tensor1d(unit))), k * n);
      });
      return jac;
    };
    return { inputs: [xt], run, want: () => gatherRows(reference(), n, rows) };
  });
}
