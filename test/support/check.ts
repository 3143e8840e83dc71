// Comparison helpers of the AD tests (DESIGN.md §8): closeness within a
// finite-difference error estimate, the dot-product test between forward and
// reverse mode, and the smoothness check (an FD probe counts only if it takes
// the same branches as the point itself, compared as branch traces from the
// reference interpreter's `onBlock` hook). Also flattening between API
// argument lists and the flat vectors of test/support/fd.ts.

import { expect } from "vitest";
import type { ExternFn, RtValue } from "../../ir/interpreter.js";
import { interpret } from "../../ir/interpreter.js";
import type { Func, Module } from "../../ir/types.js";
import { findFunc } from "../../ir/types.js";
import type { VecFn } from "./fd.js";

/** An argument or result of a model: a number or an f64 array. */
export type Arg = number | Float64Array;

/** Safety factor on FD error estimates (they come from the last two levels only). */
const SAFETY = 10;

/** Numbers of a list of values (numbers and f64 arrays) concatenated; other values are skipped. */
export function flatten(values: readonly unknown[]): number[] {
  const out: number[] = [];
  for (const v of values) {
    if (typeof v === "number") out.push(v);
    else if (v instanceof Float64Array) out.push(...v);
  }
  return out;
}

/** `args` with the entries at `wrt` replaced by consecutive slices of `x` (fresh arrays). */
export function unflatten(x: readonly number[], args: readonly Arg[], wrt: readonly number[]): Arg[] {
  const out = args.map((a) => (typeof a === "number" ? a : a.slice()));
  let k = 0;
  for (const i of wrt) {
    const a = args[i]!;
    if (typeof a === "number") out[i] = x[k++]!;
    else {
      out[i] = Float64Array.from(x.slice(k, k + a.length));
      k += a.length;
    }
  }
  return out;
}

/** Euclidean norm, scaled so that tiny or huge entries neither underflow nor overflow. */
function norm(xs: ArrayLike<number>): number {
  const all = Array.from(xs);
  const m = all.reduce((a, x) => Math.max(a, Math.abs(x)), 0);
  return m === 0 || !Number.isFinite(m) ? m : m * Math.sqrt(all.reduce((s, x) => s + (x / m) ** 2, 0));
}
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((s, x, i) => s + x * b[i]!, 0);

/** Asserts |actual_i - reference_i| ≤ SAFETY·error_i + rel·max(|reference_i|, 1e-3)
 * for every component, listing every mismatch. */
export function expectClose(actual: number | ArrayLike<number>, reference: readonly number[], error: readonly number[], label = "", rel = 1e-9): void {
  const got = typeof actual === "number" ? [actual] : Array.from(actual);
  expect(got.length, `${label}: length`).toBe(reference.length);
  const bad: string[] = [];
  reference.forEach((r, i) => {
    const a = got[i]!;
    const tol = SAFETY * error[i]! + rel * Math.max(Math.abs(r), 1e-3);
    if (!(Math.abs(a - r) <= tol)) bad.push(`[${i}] got ${a}, reference ${r} ± ${error[i]} (tol ${tol.toExponential(2)})`);
  });
  expect(bad, label).toEqual([]);
}

/** The two sides of the dot-product test u·(J v) = (Jᵀu)·v and whether they
 * agree within `rtol` scaled by ‖u‖‖Jv‖ + ‖Jᵀu‖‖v‖, plus a floor of
 * 1000 ε ‖u‖‖v‖: a derivative whose O(1) terms cancel (hypot(x, x) / x) is
 * exactly 0 in one mode and a rounding residue of ~1e-17 in the other. */
export function dotProductGap(u: ArrayLike<number>, jv: ArrayLike<number>, jtu: ArrayLike<number>, v: ArrayLike<number>, rtol = 1e-10): { lhs: number; rhs: number; tol: number; ok: boolean } {
  const lhs = dot(u, jv);
  const rhs = dot(jtu, v);
  const tol = rtol * (norm(u) * norm(jv) + norm(jtu) * norm(v)) + 1000 * Number.EPSILON * norm(u) * norm(v) + 1e-300;
  return { lhs, rhs, tol, ok: Math.abs(lhs - rhs) <= tol };
}

/** Asserts the dot-product test. */
export function expectDotProduct(u: ArrayLike<number>, jv: ArrayLike<number>, jtu: ArrayLike<number>, v: ArrayLike<number>, label = ""): void {
  const { lhs, rhs, tol, ok } = dotProductGap(u, jv, jtu, v);
  expect(ok, `${label}: u·Jv = ${lhs}, Jᵀu·v = ${rhs}, tol ${tol}`).toBe(true);
}

/** The sequence of blocks entered by one interpreter run, as numbers. */
function trace(module: Module, fn: string, args: readonly RtValue[], externs: Readonly<Record<string, ExternFn>>): { out: RtValue[]; blocks: number[] } {
  const ids = new Map<Func, number>(module.funcs.map((f, i) => [f, i]));
  const blocks: number[] = [];
  const out = interpret(module, fn, args, { externs, onBlock: (f, b) => blocks.push(ids.get(f)! * 65536 + b) });
  return { out, blocks };
}

const sameTrace = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** A function of the flat active inputs for the FD reference, run by the
 * reference interpreter; it remembers whether every probe so far took the
 * branches of the base point. `stopGradient` results are frozen at their
 * base-point values (call by call), so the reference sees them as constants. */
export interface SmoothProbe {
  /** The differentiable results, flattened, at flat active inputs x. */
  readonly f: VecFn;
  /** The flat active inputs of the base point. */
  readonly x: number[];
  /** The base point's differentiable results, flattened. */
  readonly y: number[];
  /** True while every probe matched the base point's branch trace. */
  isSmooth(): boolean;
}

/** Builds the probe of `fn` around `args` (active arguments `wrt`). */
export function smoothProbe(module: Module, fn: string, args: readonly Arg[], wrt: readonly number[], externs: Readonly<Record<string, ExternFn>> = {}): SmoothProbe {
  const func = findFunc(module, fn);
  if (!func) throw new Error(`smoothProbe: no function @${fn}`);
  const frozen: number[] = [];
  let call = 0;
  let recording = true;
  const stop: ExternFn = (x) => {
    if (recording) frozen.push(x!);
    // A probe that calls stopGradient more often than the base point took
    // other branches (its trace differs, so it is not smooth): pass x through.
    return recording ? x! : (frozen[call++] ?? x!);
  };
  const bindings = { ...externs, stopGradient: stop };
  const base = trace(module, fn, args, bindings);
  recording = false;
  let smooth = true;
  const f: VecFn = (x) => {
    call = 0;
    const run = trace(module, fn, unflatten(x, args, wrt), bindings);
    if (!sameTrace(run.blocks, base.blocks)) smooth = false;
    return flatten(run.out);
  };
  return { f, x: flatten(wrt.map((i) => args[i])), y: flatten(base.out), isSmooth: () => smooth };
}
