// The JavaScript backend (DESIGN.md §2, §4): IR module -> JavaScript source ->
// callables. `emitJS` returns the generated source, `compile` turns it into
// one closure per module through a single `new Function` and returns the
// boundary wrappers by function name. Calling convention: scalars as numbers
// and booleans, arrays as Float64Array (number[] accepted), one result
// directly, several as a JS array, none as undefined; the caller's arrays are
// never modified. Imports ir/ and this folder only.

import { runtimeError } from "../ir/errors.js";
import type { Module } from "../ir/types.js";
import type { EmittedModule } from "./emit-module.js";
import { emitModule } from "./emit-module.js";
import { makeRuntime } from "./runtime.js";

/** A compiled entry point. */
export type Callable = (...args: unknown[]) => any;

/** Options of `compile` and `emitJS`. */
export interface CompileOptions {
  /** JS functions bound to the module's extern declarations, by name. Calling
   * an unbound extern throws E_RUNTIME_EXTERN; `stopGradient` defaults to the identity. */
  readonly externs?: Readonly<Record<string, Function>>;
  /** Bounds checks on array accesses (default true). Without them an
   * out-of-bounds read yields undefined and a write is dropped: use only on
   * code known to be in bounds. */
  readonly checked?: boolean;
  /** Out-parameters: array parameters (indices, by function name) that the
   * function writes in place. Callers pass a Float64Array, which is used as
   * is instead of being copied (preallocated outputs, e.g. `f.vjp.into`). */
  readonly inPlace?: Readonly<Record<string, readonly number[]>>;
}

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The extern bindings in module order (undefined: unbound). */
function bindExterns(module: Module, externs: Readonly<Record<string, Function>>): (Function | undefined)[] {
  return module.externs.map((e) => {
    if (own(externs, e.name)) {
      const fn = externs[e.name];
      if (typeof fn !== "function") throw runtimeError("E_RUNTIME_EXTERN", `the binding of extern @${e.name} is not a function`, e.loc);
      return fn;
    }
    return e.name === "stopGradient" ? (x: unknown) => x : undefined;
  });
}

/** Emits `module` with the externs that `options` binds. */
function emit(module: Module, options: CompileOptions): { emitted: EmittedModule; bound: (Function | undefined)[] } {
  const bound = bindExterns(module, options.externs ?? {});
  const boundNames = new Set(module.externs.filter((_, k) => bound[k] !== undefined).map((e) => e.name));
  const emitted = emitModule(module, { checked: options.checked ?? true, isBound: (name) => boundNames.has(name), ...(options.inPlace ? { inPlace: options.inPlace } : {}) });
  return { emitted, bound };
}

/** The JavaScript source generated for `module`: the body of a function of
 * `(rt, ext)` (runtime helpers, extern bindings) returning the wrappers. */
export function emitJS(module: Module, options: CompileOptions = {}): string {
  return emit(module, options).emitted.body;
}

/** Compiles a verified module to callables, one per function, by name. */
export function compile(module: Module, options: CompileOptions = {}): Record<string, Callable> {
  const { emitted, bound } = emit(module, options);
  const wrappers = new Function("rt", "ext", emitted.body)(makeRuntime(emitted.tables), bound) as Callable[];
  const out: Record<string, Callable> = {};
  module.funcs.forEach((f, k) => Object.defineProperty(out, f.name, { value: wrappers[k], enumerable: true }));
  return out;
}
