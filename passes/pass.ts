// The pass interface (DESIGN.md §3): a pass is a plain object with a name, a
// one-line description, its option specs and `run(module, ctx)`. Transform
// passes return a new module and never mutate their input; an unchanged
// function keeps its object identity and an unchanged module is returned as
// is, so "changed?" is a reference check. `PassContext` is what the pass
// manager hands a pass: parsed options, the analysis cache, a statistics sink,
// the debug counter and error constructors that point into the pipeline text.
// Types only, plus the small helper `mapFuncs`.

import type { PipelineError } from "../ir/errors.js";
import type { Func, Module } from "../ir/types.js";
import type { AnalysisCache } from "./analysis.js";

/** The kinds of option values a pipeline can carry. */
export type OptionKind = "string" | "int" | "bool" | "int-list" | "string-list";

/** A parsed option value (the TypeScript type follows the option's kind). */
export type OptionValue = string | number | boolean | readonly number[] | readonly string[];

/** One option of a pass, as written in a pipeline: `name=value`. */
export interface OptionSpec {
  /** kebab-case, as written in the pipeline text. */
  readonly name: string;
  readonly kind: OptionKind;
  /** The value when the option is absent; no default means the option is
   * absent from `ctx.options` unless given (or required). */
  readonly default?: OptionValue;
  /** A pipeline that omits a required option is rejected (E_PIPELINE_OPTION). */
  readonly required?: boolean;
  /** One line for `deriv passes`. */
  readonly doc: string;
}

/** Parsed options of one pass invocation, defaults filled in. */
export type OptionValues = Readonly<Record<string, OptionValue>>;

/** What a pass receives besides the module. */
export interface PassContext {
  /** The options of this invocation (defaults filled in). */
  readonly options: OptionValues;
  /** Typed option accessors: each asserts the option exists with that kind. */
  str(name: string): string;
  int(name: string): number;
  bool(name: string): boolean;
  intList(name: string): readonly number[];
  strList(name: string): readonly string[];
  /** Analyses (RPO, dominator tree, loops, predecessors) computed on demand and
   * cached per function object for the whole pipeline run. */
  readonly analyses: AnalysisCache;
  /** Adds `n` (default 1) to the statistic `name` of this pass invocation. */
  stat(name: string, n?: number): void;
  /** The debug counter: true while this pass may still rewrite. With
   * `debugCounter: { simplify: N }` the first N calls of simplify (over the
   * whole pipeline run) return true and all later ones false. Call it once
   * per rewrite, right before making it; skip the rewrite when it says no. */
  allowRewrite(): boolean;
  /** Writes a line of text to the pipeline's output sink (analysis passes
   * report through this). */
  print(text: string): void;
  /** A PipelineError (E_PIPELINE_OPTION) pointing at this pass in the
   * pipeline text; for option values that parse but make no sense. */
  optionError(message: string): PipelineError;
  /** A PipelineError (E_PIPELINE_PASS_FAILED) for a pass that rejects its input. */
  passError(message: string): PipelineError;
}

/** A pass. `run` must not mutate `module`; see the module comment. */
export interface Pass {
  /** Registry key, kebab-case; the pass's file is passes/<name>.ts. */
  readonly name: string;
  /** One line for `deriv passes`. */
  readonly description: string;
  readonly options: readonly OptionSpec[];
  run(module: Module, ctx: PassContext): Module;
}

/** Applies `f` to every function and returns the module, or the same module
 * object if `f` returned every function unchanged (by identity). */
export function mapFuncs(module: Module, f: (func: Func) => Func): Module {
  let changed = false;
  const funcs = module.funcs.map((func) => {
    const out = f(func);
    if (out !== func) changed = true;
    return out;
  });
  return changed ? { ...module, funcs } : module;
}
