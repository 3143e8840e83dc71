// Shared helpers of the frontend tests: compile TS-subset source (and verify
// the IR), run a function through the reference interpreter, run the original
// TypeScript (transpiled by `ts.transpileModule`, evaluated with `new
// Function`) on the same inputs, and compare results bit for bit.

import ts from "typescript";
import { expect } from "vitest";
import { parseTS } from "../../frontend/index.js";
import { DerivError } from "../../ir/errors.js";
import type { RtValue } from "../../ir/eval.js";
import { interpret, type ExternFn } from "../../ir/interpreter.js";
import { printIR } from "../../ir/printer.js";
import { findFunc, type Module } from "../../ir/types.js";
import { verify } from "../../ir/verifier.js";

/** A function argument: a number or an array (copied before each run). */
export type Arg = number | readonly number[];

/** Default extern bindings: the primal of `stopGradient` is the identity. */
export const DEFAULT_EXTERNS: Readonly<Record<string, ExternFn>> = { stopGradient: (x) => x };

/** Parses and verifies; a verifier failure prints the IR. */
export function compileTS(source: string, file?: string): Module {
  const module = parseTS(source, file === undefined ? {} : { file });
  try {
    verify(module);
  } catch (e) {
    throw new Error(`${String(e)}\n--- IR ---\n${printIR(module)}`);
  }
  return module;
}

/** The file's functions as JavaScript, from `ts.transpileModule`. */
export function jsFunctions(source: string, names: readonly string[], externs: Readonly<Record<string, ExternFn>> = DEFAULT_EXTERNS): Record<string, (...args: unknown[]) => unknown> {
  const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS } }).outputText;
  const externNames = Object.keys(externs);
  const make = new Function("exports", ...externNames, `${js}\nreturn { ${names.join(", ")} };`) as (...a: unknown[]) => Record<string, (...args: unknown[]) => unknown>;
  return make({}, ...externNames.map((n) => externs[n]));
}

const copyArg = (a: Arg): RtValue => (typeof a === "number" ? a : Float64Array.from(a));

/** Results of `fn` in the interpreter (a list), or the DerivError thrown. */
export function runIR(module: Module, fn: string, args: readonly Arg[], externs: Readonly<Record<string, ExternFn>> = DEFAULT_EXTERNS): RtValue[] | DerivError {
  try {
    return interpret(module, fn, args.map(copyArg), { externs });
  } catch (e) {
    if (e instanceof DerivError) return e;
    throw e;
  }
}

/** Results of the original TypeScript, as a list shaped like the IR's. */
export function runJS(js: Record<string, (...args: unknown[]) => unknown>, resultCount: number, fn: string, args: readonly Arg[]): unknown[] {
  const r = js[fn]!(...args.map((a) => (typeof a === "number" ? a : [...a])));
  return resultCount === 1 ? [r] : [...(r as unknown[])];
}

/** Bit-for-bit equality of numbers and arrays (any array kind). */
export function sameBits(a: unknown, b: unknown): boolean {
  const isArr = (x: unknown): x is ArrayLike<number> => Array.isArray(x) || x instanceof Float64Array;
  if (isArr(a) || isArr(b)) {
    if (!isArr(a) || !isArr(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  }
  return Object.is(a, b);
}

function show(v: unknown): string {
  if (v instanceof Float64Array) return `Float64Array[${[...v].map(show).join(", ")}]`;
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  return Object.is(v, -0) ? "-0" : String(v);
}

/** Compiles `source`, then checks `fn` against the original TypeScript on
 * every input list: same results bit for bit. */
export function expectSameAsJS(source: string, fn: string, inputs: readonly (readonly Arg[])[], externs: Readonly<Record<string, ExternFn>> = DEFAULT_EXTERNS): Module {
  const module = compileTS(source);
  const js = jsFunctions(
    source,
    module.funcs.map((f) => f.name),
    externs,
  );
  const n = findFunc(module, fn)!.results.length;
  for (const args of inputs) {
    const ir = runIR(module, fn, args, externs);
    if (ir instanceof DerivError) throw new Error(`${fn}(${args.map(show).join(", ")}) failed in the interpreter: ${ir.message}\n${printIR(module)}`);
    const want = runJS(js, n, fn, args);
    const ok = ir.length === want.length && ir.every((v, i) => sameBits(v, want[i]));
    if (!ok) expect.fail(`${fn}(${args.map(show).join(", ")}): interpreter ${show(ir)} but TypeScript ${show(want)}\n${printIR(module)}`);
  }
  return module;
}
