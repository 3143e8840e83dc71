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

/** Checks the argument count before anything is compiled or run. */
export function checkArity(func: Func, args: readonly unknown[]): void {
  const n = func.blocks[0]!.params.length;
  if (args.length !== n) {
    throw new DerivRuntimeError("runtime", [{ code: "E_RUNTIME_ARGS", message: `@${func.name} takes ${n} argument${n === 1 ? "" : "s"}, got ${args.length}` }]);
  }
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
