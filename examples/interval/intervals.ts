// The interval domain of the `interval-range` example pass: [lo, hi] bounds on the real
// values an f64 or i32 may take, and a transfer function per op in an exhaustive `OpTable`
// (adding an op to ir/ops.ts does not compile until it has a row here). Booleans are [0, 0]
// false, [1, 1] true, [0, 1] unknown. Not tracked: NaN (intervals bound the non-NaN values),
// rounding (endpoints are not rounded outward), arrays, stacks, calls (results [-inf, inf]).

import type { Inst, OpTable } from "../../index.js";

/** The reals lo..hi (lo <= hi, infinities allowed). */
export type Interval = { readonly lo: number; readonly hi: number };

/** lo..hi, with a NaN endpoint (from inf - inf) taken as the safe infinity. */
export const iv = (lo: number, hi: number): Interval => ({ lo: Number.isNaN(lo) ? -Infinity : lo, hi: Number.isNaN(hi) ? Infinity : hi });
export const TOP = iv(-Infinity, Infinity);
export const contains = (a: Interval, x: number): boolean => a.lo <= x && x <= a.hi;
const hull = (xs: readonly number[]): Interval => iv(Math.min(...xs), Math.max(...xs));
export const join = (a: Interval, b: Interval): Interval => hull([a.lo, a.hi, b.lo, b.hi]);
/** Widening: a bound that moved since `old` jumps to infinity, so chains are short. */
export const widen = (old: Interval, next: Interval): Interval => iv(next.lo < old.lo ? -Infinity : old.lo, next.hi > old.hi ? Infinity : old.hi);
export const format = (a: Interval): string => `[${[a.lo, a.hi].map((x) => String(x).replace("Infinity", "inf")).join(", ")}]`;

type Transfer = (a: readonly Interval[], inst: Inst) => Interval; // operands' intervals (and the instruction) to the result's

const neg = (a: Interval): Interval => iv(-a.hi, -a.lo);
const mag = (a: Interval): number => Math.max(-a.lo, a.hi); // largest magnitude
const abs = (a: Interval): Interval => (a.lo >= 0 ? a : a.hi <= 0 ? neg(a) : iv(0, mag(a)));
/** x op y over the corners, for an op monotone in each argument in between; a NaN corner (0 * inf, inf / inf) is 0. */
const corners = (a: Interval, b: Interval, op: (x: number, y: number) => number): Interval =>
  hull([op(a.lo, b.lo), op(a.lo, b.hi), op(a.hi, b.lo), op(a.hi, b.hi)].map((x) => (Number.isNaN(x) ? 0 : x)));
const clamp = (x: number, from: number, to: number): number => Math.min(Math.max(x, from), to);
/** A non-decreasing f on its domain [from, to]; arguments outside it are clamped (f gives NaN there). */
const up = (f: (x: number) => number, from = -Infinity, to = Infinity) => ([a]: readonly Interval[]): Interval => iv(f(clamp(a!.lo, from, to)), f(clamp(a!.hi, from, to)));
const fixed = (lo: number, hi: number): Transfer => () => iv(lo, hi), top = fixed(-Infinity, Infinity);
/** A comparison: [1, 1] when `yes` holds for the intervals, [0, 0] when `no` does. */
type Test = (a: Interval, b: Interval) => boolean;
const cmp = (yes: Test, no: Test): Transfer => ([a, b]) => (yes(a!, b!) ? iv(1, 1) : no(a!, b!) ? iv(0, 0) : iv(0, 1));
const lower: Transfer = ([a, b]) => iv(Math.min(a!.lo, b!.lo), Math.min(a!.hi, b!.hi)); // min; `and` on 0/1
const upper: Transfer = ([a, b]) => iv(Math.max(a!.lo, b!.lo), Math.max(a!.hi, b!.hi)); // max; `or` on 0/1
const same: Test = (a, b) => a.lo === a.hi && b.lo === b.hi && a.lo === b.lo, apart: Test = (a, b) => a.hi < b.lo || b.hi < a.lo;

/** Interval transfer rule of every op. */
export const TRANSFER: OpTable<Transfer> = {
  const: (_, inst) => iv(inst.value!, inst.value!), "i32.to.f64": ([a]) => a!, "f64.to.i32": ([a]) => a!, // exact, or a runtime error
  add: ([a, b]) => iv(a!.lo + b!.lo, a!.hi + b!.hi), sub: ([a, b]) => iv(a!.lo - b!.hi, a!.hi - b!.lo), neg: ([a]) => neg(a!), abs: ([a]) => abs(a!),
  // x * x is a square, never negative: interval arithmetic alone cannot see that both operands are one value.
  mul: ([a, b], inst) => (inst.args[0] === inst.args[1] ? corners(abs(a!), abs(a!), (x, y) => x * y) : corners(a!, b!, (x, y) => x * y)),
  div: ([a, b]) => (contains(b!, 0) ? TOP : corners(a!, b!, (x, y) => x / y)),
  rem: ([a, b]) => iv(Math.max(-mag(b!), Math.min(a!.lo, 0)), Math.min(mag(b!), Math.max(a!.hi, 0))), // |x % y| < |y|, sign of x
  pow: ([a]) => (a!.lo >= 0 ? iv(0, Infinity) : TOP), min: lower, max: upper,
  sqrt: up(Math.sqrt, 0), cbrt: up(Math.cbrt), exp: up(Math.exp), expm1: up(Math.expm1),
  log: up(Math.log, 0), log1p: up(Math.log1p, -1), log2: up(Math.log2, 0), log10: up(Math.log10, 0),
  sin: fixed(-1, 1), cos: fixed(-1, 1), tan: top, atan2: fixed(-Math.PI, Math.PI), hypot: ([a, b]) => iv(0, Math.hypot(mag(a!), mag(b!))),
  asin: up(Math.asin, -1, 1), acos: ([a]) => iv(Math.acos(clamp(a!.hi, -1, 1)), Math.acos(clamp(a!.lo, -1, 1))), atan: up(Math.atan),
  sinh: up(Math.sinh), cosh: ([a]) => up(Math.cosh)([abs(a!)]), tanh: up(Math.tanh),
  sign: up(Math.sign), floor: up(Math.floor), ceil: up(Math.ceil), round: up(Math.round),
  lt: cmp((a, b) => a.hi < b.lo, (a, b) => a.lo >= b.hi), le: cmp((a, b) => a.hi <= b.lo, (a, b) => a.lo > b.hi),
  gt: cmp((a, b) => a.lo > b.hi, (a, b) => a.hi <= b.lo), ge: cmp((a, b) => a.lo >= b.hi, (a, b) => a.hi < b.lo),
  eq: cmp(same, apart), ne: cmp(apart, same), select: ([c, a, b]) => (c!.lo === 1 ? a! : c!.hi === 0 ? b! : join(a!, b!)),
  and: lower, or: upper, not: ([a]) => iv(1 - a!.hi, 1 - a!.lo),
  "array.new": top, "array.get": top, "array.set": top, "array.len": fixed(0, 2 ** 31 - 1), "array.copy": top,
  call: top, "call.extern": top, "stack.new": top, "stack.push": top, "stack.pop": top,
};
