// Shared plumbing of the API conveniences: accept TypeScript source or a
// Module, resolve the function and its active arguments, and flatten or
// unflatten argument and result lists between the caller and compiled code.

import { DerivError, DerivRuntimeError } from "../ir/errors.js";
import type { Func, Module, Type } from "../ir/types.js";
import { findFunc } from "../ir/types.js";
import { verify } from "../ir/verifier.js";
import { parseTS } from "../frontend/index.js";
import { isDifferentiable } from "../passes/activity.js";
import type { ExternOptions } from "./externs.js";

/** Options of every convenience (DESIGN.md §4). */
export interface ApiOptions extends ExternOptions {
  /** Active argument indices (default: every number / array argument). */
  readonly wrt?: readonly number[];
}

/** TS source (parsed with the frontend) or an already built module, verified. */
export function toModule(src: string | Module): Module {
  const module = typeof src === "string" ? parseTS(src) : src;
  verify(module);
  return module;
}

/** The function `fn` of `module`, or a DerivError listing the functions. */
export function funcOf(module: Module, fn: string): Func {
  const func = findFunc(module, fn);
  if (!func) throw new DerivError("pipeline", [{ code: "E_PIPELINE_PASS_FAILED", message: `no function @${fn} (functions: ${module.funcs.map((f) => f.name).join(", ") || "none"})` }]);
  return func;
}

/** Parameter types of `func`. */
export function paramTypesOf(func: Func): Type[] {
  return func.blocks[0]!.params.map((p) => func.values[p]!.type);
}

/** The active argument indices: `wrt` checked, or every differentiable one. */
export function activeArgs(func: Func, wrt: readonly number[] | undefined): number[] {
  const types = paramTypesOf(func);
  const all = types.flatMap((t, i) => (isDifferentiable(t) ? [i] : []));
  if (wrt === undefined) return all;
  for (const i of wrt) {
    if (!all.includes(i)) throw new DerivError("pipeline", [{ code: "E_PIPELINE_OPTION", message: `wrt: argument ${i} of @${func.name} is not a number or array argument (differentiable arguments: ${all.join(", ") || "none"})` }]);
  }
  return [...wrt];
}

/** Checks the count and kinds of `values` (one per parameter of `func`)
 * before anything is compiled or run: a number for `f64`, a Float64Array or
 * an array of numbers for `f64[]`. With `like`, the values are directions
 * (tangents) of the arguments `like.args`: those of the active arguments
 * `like.wrt` must have the arguments' sizes, the others are ignored. */
export function checkArgs(func: Func, values: readonly unknown[], like?: { readonly args: readonly unknown[]; readonly wrt: readonly number[] }): void {
  const what = like ? "direction" : "argument";
  const bad = (message: string): never => {
    throw new DerivRuntimeError("runtime", [{ code: "E_RUNTIME_ARGS", message }]);
  };
  const types = paramTypesOf(func);
  if (!Array.isArray(values) || values.length !== types.length) {
    bad(`@${func.name} takes ${types.length} ${what}${types.length === 1 ? "" : "s"}, got ${Array.isArray(values) ? values.length : typeof values}`);
  }
  types.forEach((t, i) => {
    if (like && !like.wrt.includes(i)) return;
    const v = values[i];
    if (t === "f64" && typeof v !== "number") bad(`${what} ${i} of @${func.name} must be a number, got ${describeValue(v)}`);
    if (t === "f64[]") {
      const ok = v instanceof Float64Array || (Array.isArray(v) && Array.from(v).every((e) => typeof e === "number"));
      if (!ok) bad(`${what} ${i} of @${func.name} must be a Float64Array or an array of numbers, got ${describeValue(v)}`);
      if (like && (v as ArrayLike<number>).length !== sizeOf(like.args[i])) bad(`${what} ${i} of @${func.name} must have the length of argument ${i} (${sizeOf(like.args[i])}), got ${(v as ArrayLike<number>).length}`);
    }
  });
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array with a non-number element";
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  return typeof v;
}

/** Number of scalar entries of an argument or result (1 for numbers, length for arrays). */
export function sizeOf(v: unknown): number {
  return typeof v === "number" ? 1 : (v as ArrayLike<number>).length;
}

/** The results of a compiled call as a list (one result is returned bare). */
export function resultList(func: Func, out: unknown, extra = 0): unknown[] {
  return func.results.length + extra === 1 ? [out] : (out as unknown[]);
}

/** A list of results as the user sees it: one result bare, several as an array. */
export function userValue(values: readonly unknown[]): unknown {
  return values.length === 1 ? values[0] : values;
}
