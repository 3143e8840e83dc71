// The `sparsity` analysis: which outputs of a function depend on which
// inputs (the Jacobian pattern) and, for a function returning one number,
// which pairs of inputs interact nonlinearly (the Hessian pattern), by
// abstract interpretation over the IR (passes/sparsity-exec.ts).
//
// - global mode: active inputs are unknown; everything else (lengths, counters,
//   indices, inactive arguments) runs concretely from the given arguments, so
//   the pattern holds for every value of the active inputs of these shapes.
//   Branches on active data take the union of both sides; loops controlled by
//   active data iterate to a fixpoint; an index computed from active data
//   widens to the whole array (with a warning). Never under-reports.
// - local mode: every input keeps its value, so exactly the branches taken at
//   this point are followed.
//
// `detectSparsity` is the entry point used by api/sparse.ts; the pass prints
// the global pattern of `fn` for arrays of the given sizes and leaves the
// module unchanged. Reads the module only.

import { assert, PipelineError, runtimeError, UnsupportedError } from "../ir/errors.js";
import type { ExternFn } from "../ir/interpreter.js";
import type { Module } from "../ir/types.js";
import { findFunc } from "../ir/types.js";
import { isDifferentiable } from "./activity.js";
import type { Pass } from "./pass.js";
import type { Conc, Store } from "./sparsity-heap.js";
import { isRef, storesOf, UNKNOWN } from "./sparsity-heap.js";
import { decodeModule, Tracer } from "./sparsity-exec.js";
import type { DepSet, SetArena } from "./sparsity-sets.js";

/** Options of `detectSparsity`. */
export interface DetectOptions {
  readonly mode: "global" | "local";
  /** Also the Hessian pattern (the function must return one number). */
  readonly hessian?: boolean;
  /** Active argument indices (default: every number / array argument). */
  readonly wrt?: readonly number[];
  /** Primal bindings of black boxes, used for their values when their arguments are known. */
  readonly externs?: Readonly<Record<string, ExternFn>>;
  /** Run compiled blocks (default true); false runs the per-op handlers,
   * to cross-check the block compiler. */
  readonly jit?: boolean;
}

/** A detected pattern in compressed rows: row r's sorted columns are
 * `colIdx[rowPtr[r] .. rowPtr[r+1])`. */
export interface DetectedPattern {
  /** Rows: differentiable output entries flattened (Hessian: the inputs). */
  readonly rows: number;
  /** Columns: active input entries flattened. */
  readonly cols: number;
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  /** Where the analysis had to over-approximate, one line each. */
  readonly warnings: readonly string[];
}

function fail(message: string): never {
  throw new PipelineError("pipeline", [{ code: "E_PIPELINE_PASS_FAILED", message: `sparsity: ${message}` }]);
}

/** The sparsity pattern of `fn` at `args` (see the module comment). */
export function detectSparsity(module: Module, fn: string, args: readonly unknown[], options: DetectOptions): DetectedPattern {
  const funcs = decodeModule(module);
  const root = funcs.get(fn);
  if (!root) fail(`no function @${fn} (functions: ${module.funcs.map((f) => f.name).join(", ") || "none"})`);
  const params = root.func.blocks[0]!.params;
  const types = params.map((p) => root.types[p]!);
  if (args.length !== types.length) throw runtimeError("E_RUNTIME_ARGS", `@${fn} takes ${types.length} argument(s), got ${args.length}`);
  const wrt = options.wrt ?? types.flatMap((t, i) => (isDifferentiable(t) ? [i] : []));
  const global = options.mode === "global";
  const hessian = options.hessian ?? false;
  if (hessian && (root.func.results.length !== 1 || root.func.results[0] !== "f64")) {
    fail(`a Hessian pattern needs @${fn} to return one number (it returns ${root.func.results.join(", ") || "nothing"})`);
  }
  for (const i of wrt) if (!isDifferentiable(types[i] ?? "i32")) fail(`wrt: argument ${i} of @${fn} is not a number or array argument`);
  let cols = 0;
  const offset = types.map((t, i) => {
    if (!wrt.includes(i)) return -1;
    const at = cols;
    cols += t === "f64" ? 1 : numbers(args[i], i, fn).length;
    return at;
  });
  const tracer = new Tracer(funcs, hessian, options.externs ?? {}, cols, options.jit ?? true);
  const heap = tracer.heap;
  const frame = tracer.newFrame(root);
  params.forEach((p, i) => {
    const x = args[i];
    const t = types[i]!;
    const at = offset[i]!;
    if (t === "f64[]" || t === "stack<f64>" || t === "stack<i32>") {
      const xs = numbers(x, i, fn);
      const s = heap.newStore(t === "f64[]" ? "array" : "stack", xs.length, undefined, 0, 0);
      s.length = xs.length;
      for (let k = 0; k < xs.length; k++) {
        s.val[k] = at >= 0 && global ? UNKNOWN : xs[k];
        if (at >= 0) s.dep[k] = heap.sets.singleton(at + k);
      }
      heap.write(frame.regs, p, s, 0, 0);
    } else {
      if (typeof x !== (t === "bool" ? "boolean" : "number")) throw runtimeError("E_RUNTIME_ARGS", `@${fn} argument ${i} expects ${t}`);
      heap.write(frame.regs, p, at >= 0 && global ? UNKNOWN : (x as Conc), at >= 0 ? heap.sets.singleton(at) : 0, 0);
    }
  });
  try {
    tracer.runFrame(frame);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new UnsupportedError("runtime", [{ code: "E_RUNTIME_TOO_DEEP", message: `sparsity: @${fn} nests calls and data-dependent branches too deeply to analyse` }]);
    }
    throw e;
  }

  if (hessian) {
    const byRow = heap.sets.pairsOf(frame.ret.hes[0]!, cols);
    const rowPtr = new Int32Array(cols + 1);
    byRow.forEach((r, i) => (rowPtr[i + 1] = rowPtr[i]! + r.length));
    return { rows: cols, cols, rowPtr, colIdx: Int32Array.from(byRow.flat()), warnings: tracer.warningList };
  }
  const sets: DepSet[] = [];
  root.func.results.forEach((t, r) => {
    if (t === "f64") sets.push(frame.ret.dep[r]!);
    else if (t === "f64[]") for (const d of elementDeps(heap.sets, frame.ret.val[r], r, fn)) sets.push(d);
  });
  return { rows: sets.length, cols, ...heap.sets.toRows(sets), warnings: tracer.warningList };
}

function numbers(x: unknown, i: number, fn: string): ArrayLike<number> {
  if (x instanceof Float64Array || (Array.isArray(x) && x.every((v) => typeof v === "number"))) return x as ArrayLike<number>;
  throw runtimeError("E_RUNTIME_ARGS", `@${fn} argument ${i} expects an array of numbers`);
}

/** Dependency sets of each element of a returned array. */
function elementDeps(Z: SetArena, ref: Conc, r: number, fn: string): DepSet[] {
  assert(isRef(ref), `sparsity: result ${r} of @${fn} is not an array`);
  const stores = storesOf(ref);
  const length = stores[0]!.length;
  if (stores.some((s: Store) => s.length !== length || s.length < 0)) {
    fail(`the length of result ${r} of @${fn} depends on the active inputs, so no pattern fits every input of these shapes; use mode "local"`);
  }
  const [first, ...rest] = stores;
  if (rest.length === 0) return first!.dep.slice(0, length);
  return Array.from({ length }, (_, k) => rest.reduce((acc, s) => Z.union(acc, s.dep[k] ?? 0), first!.dep[k] ?? 0));
}

/** Prints the global pattern of `fn` for array arguments of the given sizes. */
export const sparsity: Pass = {
  name: "sparsity",
  description: "analysis: print the Jacobian (or Hessian) sparsity pattern of a function for given array sizes",
  options: [
    { name: "fn", kind: "string", required: true, doc: "the function to analyse" },
    { name: "sizes", kind: "int-list", default: [], doc: "lengths of the array parameters, in order" },
    { name: "hessian", kind: "bool", default: false, doc: "print the Hessian pattern (the function returns one number)" },
  ],
  run(module, ctx) {
    const name = ctx.str("fn");
    const func = findFunc(module, name);
    if (!func) throw ctx.optionError(`no function @${name}`);
    const sizes = [...ctx.intList("sizes")];
    const types = func.blocks[0]!.params.map((p) => func.values[p]!.type);
    const arrays = types.filter((t) => t === "f64[]").length;
    if (sizes.length !== arrays) throw ctx.optionError(`@${name} has ${arrays} array parameter(s); sizes= gives ${sizes.length}`);
    const fixed = types.findIndex((t) => t !== "f64" && t !== "f64[]");
    if (fixed >= 0) throw ctx.optionError(`parameter ${fixed} of @${name} has type ${types[fixed]}: the pass needs number and array parameters only (the API takes actual values)`);
    const args = types.map((t) => (t === "f64[]" ? new Float64Array(sizes.shift()!) : 0));
    const wrt = types.map((_, i) => i);
    const p = detectSparsity(module, name, args, { mode: "global", hessian: ctx.bool("hessian"), wrt });
    const nnz = p.colIdx.length;
    ctx.print(`sparsity @${name}${ctx.bool("hessian") ? " hessian" : ""}: ${p.rows}x${p.cols}, nnz ${nnz}`);
    for (let i = 0; i < p.rows; i++) ctx.print(`  ${i}: ${Array.from(p.colIdx.subarray(p.rowPtr[i]!, p.rowPtr[i + 1]!)).join(" ")}`);
    for (const w of p.warnings) ctx.print(`  warning: ${w}`);
    ctx.stat("nonzeros", nnz);
    return module;
  },
};
