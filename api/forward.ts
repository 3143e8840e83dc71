// Forward-mode conveniences: `jvp` (one Jacobian-vector product) and the
// forward Jacobian, built on the fwd-ad pass with k directions per sweep
// (k = the chunk size, chosen as ForwardDiff does: all inputs if few, else
// the divisor-friendly chunk ≤ 8 that minimises the number of sweeps).
// Each convenience transforms and compiles once, then reuses the callable.

import { compile, type Callable } from "../backend/index.js";
import type { Func, Module } from "../ir/types.js";
import { isDifferentiable } from "../passes/activity.js";
import { addJvp } from "../passes/fwd-ad.js";
import { runPipeline } from "../passes/pipeline.js";
import { bindAdExterns } from "./externs.js";
import { activeArgs, checkArgs, funcOf, resultList, sizeOf, toModule, userValue, type ApiOptions } from "./source.js";

/** The cleanup pipeline run before and after every AD transformation (before:
 * so that repeated reads and expressions are saved on the tape once). */
export const CLEANUP = "simplify,cse,dce";

/** `fn.jvp` with `dirs` directions, compiled. */
export function compileJvp(module: Module, func: Func, wrt: readonly number[], dirs: number, opts: ApiOptions): Callable {
  const transformed = runPipeline(addJvp(runPipeline(module, CLEANUP), { fn: func.name, wrt, dirs }), CLEANUP);
  return compile(transformed, { externs: bindAdExterns(transformed, opts) })[`${func.name}.jvp`]!;
}

/** Splits a `.jvp` result list into values and tangents (one per differentiable result). */
function splitJvp(func: Func, out: unknown): { values: unknown[]; tangents: unknown[] } {
  const nTangents = func.results.filter(isDifferentiable).length;
  const all = resultList(func, out, nTangents);
  return { values: all.slice(0, func.results.length), tangents: all.slice(func.results.length) };
}

/** `jvp(src, fn, opts)(args, tangents)`: the value and J·t. `tangents` has one
 * entry per argument (entries of inactive arguments are ignored). */
export function jvp(src: string | Module, fn: string, opts: ApiOptions = {}) {
  const module = toModule(src);
  const func = funcOf(module, fn);
  const wrt = activeArgs(func, opts.wrt);
  const callable = compileJvp(module, func, wrt, 1, opts);
  return (args: readonly unknown[], tangents: readonly unknown[]): { value: unknown; tangent: unknown } => {
    checkArgs(func, args);
    checkArgs(func, tangents, { args, wrt });
    const { values, tangents: ts } = splitJvp(func, callable(...args, ...wrt.map((i) => tangents[i])));
    return { value: userValue(values), tangent: userValue(ts) };
  };
}

/** ForwardDiff's chunk choice: every input at once up to 8, else the chunk
 * ≤ 8 that needs the fewest sweeps (the largest among ties). */
export function chooseChunk(n: number, max = 8): number {
  if (n <= max) return Math.max(1, n);
  const sweeps = Math.ceil(n / max);
  return Math.ceil(n / sweeps);
}

/** Tangent seeds for directions start..start+k-1 over the flattened active inputs. */
export function makeSeeds(args: readonly unknown[], wrt: readonly number[], sizes: readonly number[], start: number, k: number): unknown[] {
  const seeds: unknown[] = [];
  let offset = 0;
  wrt.forEach((argIndex, w) => {
    const size = sizes[w]!;
    if (typeof args[argIndex] === "number") {
      for (let d = 0; d < k; d++) seeds.push(start + d === offset ? 1 : 0);
    } else {
      const t = new Float64Array(size * k);
      for (let d = 0; d < k; d++) {
        const col = start + d - offset;
        if (col >= 0 && col < size) t[col * k + d] = 1;
      }
      seeds.push(t);
    }
    offset += size;
  });
  return seeds;
}

/** Writes k directions of tangent results into columns start.. of `rows`:
 * a number result gives k scalars in a row, an array result of size s one
 * array of s*k entries (`t[i*k + d]`). `kinds` says which results are arrays. */
export function readTangents(tangents: readonly unknown[], outSizes: readonly number[], isArray: readonly boolean[], rows: Float64Array[], start: number, k: number, n: number): void {
  let row = 0;
  let t = 0;
  outSizes.forEach((size, r) => {
    if (isArray[r]) {
      const arr = tangents[t++] as Float64Array;
      for (let i = 0; i < size; i++) for (let d = 0; d < k && start + d < n; d++) rows[row + i]![start + d] = arr[i * k + d]!;
    } else {
      for (let d = 0; d < k; d++) {
        const v = tangents[t++] as number;
        if (start + d < n) rows[row]![start + d] = v;
      }
    }
    row += size;
  });
}

/** The dense Jacobian by forward sweeps of `chunk` directions:
 * rows = differentiable outputs flattened, cols = active inputs flattened. */
export function forwardJacobian(src: string | Module, fn: string, opts: ApiOptions & { chunk?: number } = {}) {
  const module = toModule(src);
  const func = funcOf(module, fn);
  const wrt = activeArgs(func, opts.wrt);
  const cache = new Map<number, Callable>();
  const diff = func.results.flatMap((t, j) => (isDifferentiable(t) ? [j] : []));
  return (...args: unknown[]): { value: unknown; jacobian: Float64Array[] } => {
    checkArgs(func, args);
    const sizes = wrt.map((i) => sizeOf(args[i]));
    const n = sizes.reduce((a, b) => a + b, 0);
    const k = opts.chunk ?? chooseChunk(n);
    let callable = cache.get(k);
    if (!callable) cache.set(k, (callable = compileJvp(module, func, wrt, k, opts)));
    let value: unknown[] = [];
    let rows: Float64Array[] = [];
    for (let start = 0; start < Math.max(n, 1); start += k) {
      const { values, tangents } = splitJvp(func, callable(...args, ...makeSeeds(args, wrt, sizes, start, k)));
      value = values;
      const outSizes = diff.map((j) => sizeOf(values[j]));
      if (rows.length === 0) rows = Array.from({ length: outSizes.reduce((a, b) => a + b, 0) }, () => new Float64Array(n));
      readTangents(tangents, outSizes, diff.map((j) => func.results[j] !== "f64"), rows, start, k, n);
    }
    return { value: userValue(value), jacobian: rows };
  };
}
