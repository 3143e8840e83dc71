// Sparse derivatives (DESIGN.md §4): `sparsity` (the detected pattern),
// `sparseJacobian` and `sparseHessian`. Both derivative conveniences detect
// the pattern (passes/sparsity.ts), colour it (api/coloring.ts) and build the
// seeds once per argument shape (array lengths and inactive arguments' values)
// in the default global mode, then each call runs one compressed sweep:
// `fwd-ad{dirs=colours}` whose seed d is the sum of the columns of colour d
// (fwd∘rev for Hessians), and scatters the compressed result into CSC
// through a precomputed gather index. Local mode detects at every call.

import type { Callable } from "../backend/index.js";
import { DerivError } from "../ir/errors.js";
import type { Module } from "../ir/types.js";
import { isDifferentiable } from "../passes/activity.js";
import { detectSparsity, type DetectedPattern } from "../passes/sparsity.js";
import { columnColoring, starColoring, transpose, type Coloring, type ColoringOrder } from "./coloring.js";
import { compileJvp } from "./forward.js";
import { compileHvp } from "./second-order.js";
import { activeArgs, checkArgs, funcOf, resultList, sizeOf, toModule, userValue, type ApiOptions } from "./source.js";

/** A sparse matrix in compressed sparse columns (rows sorted within each column). */
export interface CSC {
  readonly rows: number;
  readonly cols: number;
  readonly colPtr: Int32Array;
  readonly rowIdx: Int32Array;
  readonly values: Float64Array;
}

/** Options of `sparsity`, `sparseJacobian` and `sparseHessian`. */
export interface SparseOptions extends ApiOptions {
  /** global (default): one pattern for every value of the active inputs of
   * these shapes; local: the pattern at the given point. */
  readonly mode?: "global" | "local";
  /** Vertex order of the greedy colouring (default: the better of both). */
  readonly order?: ColoringOrder;
}

/** A detected pattern as DESIGN.md §4 shows it. */
export interface SparsityResult {
  readonly rows: number;
  readonly cols: number;
  readonly nnz: number;
  /** `[row, column]` pairs sorted by row, then column. */
  readonly pattern: [number, number][];
  /** Where the analysis over-approximated (e.g. an index computed from active data). */
  readonly warnings: readonly string[];
}

function detect(module: Module, fn: string, wrt: readonly number[], args: readonly unknown[], opts: SparseOptions, hessian: boolean): DetectedPattern {
  return detectSparsity(module, fn, args, { mode: opts.mode ?? "global", hessian, wrt, ...(opts.externs ? { externs: opts.externs } : {}) });
}

/** `sparsity(src, fn, { mode, hessian })(...args)`: the Jacobian pattern
 * (rows = differentiable outputs flattened, cols = active inputs flattened),
 * or with `hessian` the Hessian pattern of a function returning one number. */
export function sparsity(src: string | Module, fn: string, opts: SparseOptions & { readonly hessian?: boolean } = {}) {
  const module = toModule(src);
  const func = funcOf(module, fn);
  const wrt = activeArgs(func, opts.wrt);
  return (...args: unknown[]): SparsityResult => {
    checkArgs(func, args);
    const p = detect(module, fn, wrt, args, opts, opts.hessian ?? false);
    const pattern: [number, number][] = [];
    for (let r = 0; r < p.rows; r++) for (let k = p.rowPtr[r]!; k < p.rowPtr[r + 1]!; k++) pattern.push([r, p.colIdx[k]!]);
    return { rows: p.rows, cols: p.cols, nnz: pattern.length, pattern, warnings: p.warnings };
  };
}

/** Everything that depends only on the pattern: colouring, seeds, CSC structure, gather index. */
interface Plan {
  readonly pattern: DetectedPattern;
  readonly colors: Coloring;
  readonly seeds: unknown[];
  readonly colPtr: Int32Array;
  readonly rowIdx: Int32Array;
  /** values[e] = compressed[gather[e]], compressed laid out as [row * dirs + colour]. */
  readonly gather: Int32Array;
  readonly dirs: number;
}

/** Seeds for `dirs` directions: direction d is the sum of the unit columns of colour d. */
function colorSeeds(args: readonly unknown[], wrt: readonly number[], colors: Int32Array, dirs: number): unknown[] {
  const seeds: unknown[] = [];
  let offset = 0;
  for (const i of wrt) {
    if (typeof args[i] === "number") {
      for (let d = 0; d < dirs; d++) seeds.push(colors[offset] === d ? 1 : 0);
      offset++;
    } else {
      const size = sizeOf(args[i]);
      const t = new Float64Array(size * dirs);
      for (let q = 0; q < size; q++) t[q * dirs + colors[offset + q]!] = 1;
      seeds.push(t);
      offset += size;
    }
  }
  return seeds;
}

/** Plan for a pattern coloured with `dirs` colours; `locate(row, col)` is
 * the index of entry (row, col) in the compressed result [row * dirs + colour]. */
function makePlan(p: DetectedPattern, colors: Coloring, dirs: number, args: readonly unknown[], wrt: readonly number[], locate: (row: number, col: number) => number): Plan {
  const { colPtr, rowIdx } = transpose(p);
  const gather = new Int32Array(rowIdx.length);
  for (let c = 0; c < p.cols; c++) for (let e = colPtr[c]!; e < colPtr[c + 1]!; e++) gather[e] = locate(rowIdx[e]!, c);
  return { pattern: p, colors, seeds: colorSeeds(args, wrt, colors.ofColumn, dirs), colPtr, rowIdx, gather, dirs };
}

/** Compressed tangents as one array [row * dirs + d]: array tangents are laid
 * out that way, and a scalar's tangent comes as `dirs` consecutive results. */
function flatten(tangents: readonly unknown[]): Float64Array {
  if (tangents.length === 1 && tangents[0] instanceof Float64Array) return tangents[0];
  const parts = tangents.map((t) => (typeof t === "number" ? Float64Array.of(t) : (t as Float64Array)));
  const out = new Float64Array(parts.reduce((s, t) => s + t.length, 0));
  let at = 0;
  for (const t of parts) {
    out.set(t, at);
    at += t.length;
  }
  return out;
}

function decompress(plan: Plan, rows: number, compressed: Float64Array): CSC {
  const values = new Float64Array(plan.gather.length);
  const g = plan.gather;
  for (let e = 0; e < g.length; e++) values[e] = compressed[g[e]!]!;
  return { rows, cols: plan.pattern.cols, colPtr: plan.colPtr, rowIdx: plan.rowIdx, values };
}

/** Key of everything the global pattern depends on: active shapes and inactive values. */
function shapeKey(args: readonly unknown[], wrt: readonly number[]): string {
  return JSON.stringify(args.map((a, i) => (wrt.includes(i) ? (typeof a === "number" ? "s" : sizeOf(a)) : ArrayBuffer.isView(a) ? Array.from(a as Float64Array) : a)));
}

/** Caches plans per shape (global mode) and compiled code per number of directions. */
function planner(opts: SparseOptions, build: (args: readonly unknown[]) => Plan, compileFor: (dirs: number) => Callable) {
  const plans = new Map<string, Plan>();
  const code = new Map<number, Callable>();
  return (args: readonly unknown[], wrt: readonly number[]): { plan: Plan; callable: Callable } => {
    let plan: Plan | undefined;
    if (opts.mode !== "local") {
      const key = shapeKey(args, wrt);
      plan = plans.get(key);
      if (!plan) plans.set(key, (plan = build(args)));
    } else plan = build(args);
    let callable = code.get(plan.dirs);
    if (!callable) code.set(plan.dirs, (callable = compileFor(plan.dirs)));
    return { plan, callable };
  };
}

function unsupported(message: string): never {
  throw new DerivError("pipeline", [{ code: "E_PIPELINE_PASS_FAILED", message }]);
}

/** `sparseJacobian(src, fn, opts)(...args)`: the value and the Jacobian in
 * CSC (rows = differentiable outputs flattened, cols = active inputs
 * flattened) from one compressed forward sweep per call. */
export function sparseJacobian(src: string | Module, fn: string, opts: SparseOptions = {}) {
  const module = toModule(src);
  const func = funcOf(module, fn);
  const wrt = activeArgs(func, opts.wrt);
  if (func.results.some((t) => isDifferentiable(t) && t !== "f64" && t !== "f64[]")) unsupported(`sparseJacobian: @${fn} returns a stack`);
  const nTangents = func.results.filter(isDifferentiable).length;
  const prepare = planner(
    opts,
    (args) => {
      const p = detect(module, fn, wrt, args, opts, false);
      const colors = columnColoring(p, opts.order);
      const dirs = Math.max(1, colors.count);
      return makePlan(p, colors, dirs, args, wrt, (row, col) => row * dirs + colors.ofColumn[col]!);
    },
    (dirs) => compileJvp(module, func, wrt, dirs, opts),
  );
  return (...args: unknown[]): { value: unknown; jacobian: CSC; colors: Coloring } => {
    checkArgs(func, args);
    const { plan, callable } = prepare(args, wrt);
    const all = resultList(func, callable(...args, ...plan.seeds), nTangents);
    const values = all.slice(0, func.results.length);
    return { value: userValue(values), jacobian: decompress(plan, plan.pattern.rows, flatten(all.slice(func.results.length))), colors: plan.colors };
  };
}

/** Where entry (i, j) of a star-coloured symmetric matrix is read: row i at
 * colour c(j) when no other neighbour of i has colour c(j), else row j at
 * colour c(i) (the star property makes one of them exact; the diagonal is
 * row i at c(i), which no neighbour of i shares). */
function starLocate(p: DetectedPattern, colors: Int32Array, dirs: number): (i: number, j: number) => number {
  return (i, j) => {
    const cj = colors[j]!;
    let same = 0;
    for (let k = p.rowPtr[i]!; k < p.rowPtr[i + 1]!; k++) if (p.colIdx[k] !== i && colors[p.colIdx[k]!] === cj) same++;
    return i === j || same === 1 ? i * dirs + cj : j * dirs + colors[i]!;
  };
}

/** `sparseHessian(src, fn, opts)(...args)`: the value and the Hessian of a
 * function returning one number, in CSC over the flattened active inputs,
 * from one compressed forward-over-reverse sweep per call. */
export function sparseHessian(src: string | Module, fn: string, opts: SparseOptions = {}) {
  const module = toModule(src);
  const func = funcOf(module, fn);
  if (func.results.length !== 1 || func.results[0] !== "f64") unsupported(`sparseHessian: @${fn} must return one number (it returns ${func.results.join(", ") || "nothing"})`);
  const wrt = activeArgs(func, opts.wrt);
  const prepare = planner(
    opts,
    (args) => {
      const p = detect(module, fn, wrt, args, opts, true);
      const colors = starColoring(p, opts.order);
      const dirs = Math.max(1, colors.count);
      return makePlan(p, colors, dirs, args, wrt, starLocate(p, colors.ofColumn, dirs));
    },
    (dirs) => compileHvp(module, func, wrt, dirs, opts),
  );
  return (...args: unknown[]): { value: number; hessian: CSC; colors: Coloring } => {
    checkArgs(func, args);
    const { plan, callable } = prepare(args, wrt);
    const all = resultList(func, callable(...args, 1, ...plan.seeds), 2 * wrt.length + plan.dirs);
    // (y, xbar..., dy × dirs, dxbar...): the compressed Hessian is dxbar.
    const compressed = flatten(all.slice(1 + wrt.length + plan.dirs));
    return { value: all[0] as number, hessian: decompress(plan, plan.pattern.rows, compressed), colors: plan.colors };
  };
}
