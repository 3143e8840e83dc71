// Finite-difference references for the model functions of
// test/support/models.ts: random points where every FD probe takes the
// branches of the point itself (others are skipped and counted), each with
// the extrapolated Jacobian of the flattened differentiable results with
// respect to the flattened active arguments. Also the conversions between
// API results and flat vectors the AD tests compare.

import { parseTS } from "../../frontend/index.js";
import type { Module } from "../../ir/types.js";
import { flatten, smoothProbe, type Arg } from "../support/check.js";
import { fdJacobian, type FdMatrix } from "../support/fd.js";
import { activeOf, makeRng, type Model, type Rng } from "../support/models.js";

/** One smooth point of a model with its FD Jacobian. */
export interface RefPoint {
  readonly args: Arg[];
  readonly wrt: number[];
  /** Flat active inputs. */
  readonly x: number[];
  /** Flat differentiable results. */
  readonly y: number[];
  readonly jac: FdMatrix;
}

/** The smooth points found for a model and how many candidates were not smooth. */
export interface ModelRefs {
  readonly module: Module;
  readonly points: RefPoint[];
  readonly skipped: number;
}

/** Up to `count` smooth points of `model` among at most `tries` random candidates. */
export function referencePoints(model: Model, seed: number, count = 3, tries = 12): ModelRefs {
  const module = parseTS(model.src);
  const rng = makeRng(seed);
  const points: RefPoint[] = [];
  let skipped = 0;
  for (let t = 0; t < tries && points.length < count; t++) {
    const args = model.inputs(rng);
    const wrt = activeOf(model, args);
    const probe = smoothProbe(module, model.fn, args, wrt, model.externs);
    const jac = fdJacobian(probe.f, probe.x);
    if (!probe.isSmooth()) {
      skipped++;
      continue;
    }
    points.push({ args, wrt, x: probe.x, y: probe.y, jac });
  }
  return { module, points, skipped };
}

/** A random vector of n entries in [-1, 1). */
export function randomVector(r: Rng, n: number): number[] {
  return Array.from({ length: n }, () => 2 * r() - 1);
}

/** J·v from an FD Jacobian, with the propagated error bound. */
export function matVec(m: FdMatrix, v: readonly number[]): { value: number[]; error: number[] } {
  return {
    value: m.value.map((row) => row.reduce((s, a, j) => s + a * v[j]!, 0)),
    error: m.error.map((row) => row.reduce((s, e, j) => s + e * Math.abs(v[j]!), 0)),
  };
}

/** Jᵀ·u from an FD Jacobian, with the propagated error bound. */
export function vecMat(u: readonly number[], m: FdMatrix): { value: number[]; error: number[] } {
  const n = m.value[0]?.length ?? 0;
  const value = new Array<number>(n).fill(0);
  const error = new Array<number>(n).fill(0);
  m.value.forEach((row, i) =>
    row.forEach((a, j) => {
      value[j] += u[i]! * a;
      error[j] += Math.abs(u[i]!) * m.error[i]![j]!;
    }),
  );
  return { value, error };
}

/** Splits a flat vector into API arguments shaped like `args`: active
 * entries from `flat`, inactive ones zero (numbers) or zero arrays. */
export function shapeLike(flat: readonly number[], args: readonly Arg[], wrt: readonly number[]): Arg[] {
  const out: Arg[] = args.map((a) => (typeof a === "number" ? 0 : new Float64Array(a.length)));
  let k = 0;
  for (const i of wrt) {
    const a = args[i]!;
    if (typeof a === "number") out[i] = flat[k++]!;
    else {
      out[i] = Float64Array.from(flat.slice(k, k + a.length));
      k += a.length;
    }
  }
  return out;
}

/** Shapes a flat cotangent like the differentiable results `values` (bare when there is one). */
export function shapeResults(flat: readonly number[], values: readonly unknown[]): unknown {
  let k = 0;
  const out = values.map((v) => {
    if (typeof v === "number") return flat[k++]!;
    const a = Float64Array.from(flat.slice(k, k + (v as Float64Array).length));
    k += a.length;
    return a;
  });
  return out.length === 1 ? out[0] : out;
}

/** A user-facing value (bare or a list) as a list. */
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** Flat active entries of a per-argument list (nulls for inactive arguments). */
export const flatActive = (perArg: readonly unknown[], wrt: readonly number[]): number[] => flatten(wrt.map((i) => perArg[i]));
