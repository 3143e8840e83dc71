// Runtime helpers that generated code calls on its cold paths: the
// DerivRuntimeErrors of faults (same codes and messages as ir/eval.ts and
// ir/interpreter.ts), argument admission at the boundary, extern result
// checks, and the mapping of a JS stack overflow to E_RUNTIME_TOO_DEEP.
// Error messages name functions and externs through the tables given here,
// never through generated source text. Imports only ir/.

import type { DerivRuntimeError } from "../ir/errors.js";
import { runtimeError } from "../ir/errors.js";
import type { Extern, SourceLoc, Type } from "../ir/types.js";

/** What the helpers may mention: functions and externs by the index the
 * generated code uses (`f_k`, `e_k`), and instruction locations by index. */
export interface RuntimeTables {
  readonly funcs: readonly { readonly name: string; readonly params: readonly Type[] }[];
  readonly externs: readonly Extern[];
  readonly locs: readonly SourceLoc[];
}

/** The compiled representation of `stack<f64>` and `stack<i32>`: a
 * Float64Array grown by doubling and a count (measured about twice as fast
 * as a JS array's push/pop on reverse-mode tapes). `stack<f64[]>` is a plain
 * JS array of references. */
export interface NumStack {
  d: Float64Array;
  n: number;
}

/** Initial capacity of a numeric stack (generated code uses the same literal). */
export const STACK_CAPACITY = 16;

/** The helpers, bound in generated code to `rt_<key>`. Those named after a
 * fault return the error for the generated code to throw. */
export interface Runtime {
  bounds(i: number, len: number, loc: number): DerivRuntimeError;
  toI32(x: number, loc: number): DerivRuntimeError;
  length(n: number, loc: number): DerivRuntimeError;
  /** `new Float64Array(n)`, an allocation failure being E_RUNTIME_INDEX. */
  alloc(n: number, loc: number): Float64Array;
  stackEmpty(loc: number): DerivRuntimeError;
  /** Doubles a numeric stack's capacity. */
  grow(s: NumStack): void;
  /** A copy of a local stack's buffer with twice the capacity. */
  growd(d: Float64Array): Float64Array;
  /** A numeric stack's contents as a fresh `number[]` (bottom first). */
  stackOut(s: NumStack): number[];
  unreachable(loc: number): DerivRuntimeError;
  noExtern(ext: number, loc: number): DerivRuntimeError;
  /** An extern's return value as the list of its declared results (checked, arrays copied). */
  externResults(out: unknown, ext: number, loc: number): unknown[];
  argCount(fn: number, got: number): DerivRuntimeError;
  argKind(fn: number, index: number, got: unknown): DerivRuntimeError;
  /** A non-f64 argument checked against its parameter type; arrays become a
   * Float64Array (copied if `copy` or if given as `number[]`), stacks a copy
   * in their compiled representation. */
  admit(x: unknown, fn: number, index: number, copy: boolean): unknown;
  /** An exception caught at the boundary: a stack overflow becomes E_RUNTIME_TOO_DEEP. */
  caught(e: unknown): unknown;
}

/** The keys of `Runtime`, in the order generated code binds them. */
export const RUNTIME_KEYS = ["bounds", "toI32", "length", "alloc", "stackEmpty", "grow", "growd", "stackOut", "unreachable", "noExtern", "externResults", "argCount", "argKind", "admit", "caught"] as const satisfies readonly (keyof Runtime)[];

const TWO_31 = 2 ** 31;

/** Builds the helpers for one compiled module. */
export function makeRuntime(t: RuntimeTables): Runtime {
  const at = (loc: number): SourceLoc | undefined => t.locs[loc];
  const ext = (k: number): string => `@${t.externs[k]!.name}`;
  const argKind = (fn: number, index: number, got: unknown): DerivRuntimeError =>
    runtimeError("E_RUNTIME_ARGS", `@${t.funcs[fn]!.name} parameter #${index} expects ${t.funcs[fn]!.params[index]}, got ${describe(got)}`);
  return {
    bounds: (i, len, loc) => runtimeError("E_RUNTIME_BOUNDS", `array index ${i} out of bounds for length ${len}`, at(loc)),
    toI32: (x, loc) => runtimeError("E_RUNTIME_INDEX", `f64.to.i32: ${x} is not an integer in [-2^31, 2^31)`, at(loc)),
    length: (n, loc) => runtimeError("E_RUNTIME_INDEX", `array.new: length ${n} is not an integer in [0, 2^31)`, at(loc)),
    alloc(n, loc) {
      try {
        return new Float64Array(n);
      } catch (e) {
        if (e instanceof RangeError) throw runtimeError("E_RUNTIME_INDEX", `array.new: cannot allocate an array of length ${n}`, at(loc));
        throw e;
      }
    },
    stackEmpty: (loc) => runtimeError("E_RUNTIME_STACK", "stack.pop: the stack is empty", at(loc)),
    grow(s) {
      const d = new Float64Array(2 * s.d.length);
      d.set(s.d);
      s.d = d;
    },
    growd(d) {
      const e = new Float64Array(2 * d.length);
      e.set(d);
      return e;
    },
    stackOut: (s) => Array.from(s.d.subarray(0, s.n)),
    unreachable: (loc) => runtimeError("E_RUNTIME_UNREACHABLE", "reached `unreachable`", at(loc)),
    noExtern: (k, loc) => runtimeError("E_RUNTIME_EXTERN", `extern ${ext(k)} has no binding (pass it in options.externs)`, at(loc)),
    externResults(out, k, loc) {
      const decl = t.externs[k]!;
      const raw: unknown = decl.results.length === 1 && !Array.isArray(out) ? [out] : out;
      if (!Array.isArray(raw) || raw.length !== decl.results.length) {
        throw runtimeError("E_RUNTIME_EXTERN", `extern ${ext(k)} must return ${decl.results.length} value(s), got ${describe(out)}`, at(loc));
      }
      return decl.results.map((type, i) => {
        const v = admitAs(type, raw[i], true);
        if (v === undefined) throw runtimeError("E_RUNTIME_EXTERN", `extern ${ext(k)} result ${i} should be ${type}, got ${describe(raw[i])}`, at(loc));
        return v;
      });
    },
    argCount: (fn, got) => runtimeError("E_RUNTIME_ARGS", `@${t.funcs[fn]!.name} takes ${t.funcs[fn]!.params.length} argument(s), got ${got}`),
    argKind,
    admit(x, fn, index, copy) {
      const v = admitAs(t.funcs[fn]!.params[index]!, x, copy);
      if (v === undefined) throw argKind(fn, index, x);
      return v;
    },
    caught: (e) => (isStackOverflow(e) ? runtimeError("E_RUNTIME_TOO_DEEP", "recursion too deep (JavaScript stack exhausted)") : e),
  };
}

/** `x` as a value of `type` in its compiled representation, or undefined if
 * it is not of that kind (the interpreter's admission rule). A Float64Array
 * is copied only if `copy`; stacks always are. */
function admitAs(type: Type, x: unknown, copy: boolean): unknown {
  switch (type) {
    case "f64":
      return typeof x === "number" ? x : undefined;
    case "i32":
      return typeof x === "number" && Number.isInteger(x) && x >= -TWO_31 && x < TWO_31 ? x : undefined;
    case "bool":
      return typeof x === "boolean" ? x : undefined;
    case "f64[]":
      if (x instanceof Float64Array) return copy ? x.slice() : x;
      return isNumberArray(x) ? Float64Array.from(x) : undefined;
    case "stack<f64>":
    case "stack<i32>":
      return isNumberArray(x) ? stackIn(x) : undefined;
    case "stack<f64[]>":
      return Array.isArray(x) && x.every((e) => e instanceof Float64Array) ? x.slice() : undefined;
  }
}

/** A numeric stack holding `xs` (bottom first). */
function stackIn(xs: readonly number[]): NumStack {
  const d = new Float64Array(Math.max(STACK_CAPACITY, xs.length));
  d.set(xs);
  return { d, n: xs.length };
}

/** True for the RangeError V8 throws when the call stack is exhausted (not
 * for other RangeErrors, e.g. a failed typed-array allocation). */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

function isNumberArray(x: unknown): x is number[] {
  return Array.isArray(x) && x.every((e) => typeof e === "number");
}

function describe(x: unknown): string {
  if (x instanceof Float64Array) return `Float64Array(${x.length})`;
  if (Array.isArray(x)) return `array(${x.length})`;
  return typeof x === "number" || typeof x === "boolean" ? `${typeof x} ${String(x)}` : typeof x;
}
