// The pass manager: parses pipeline text against the registry and runs the
// passes in order, with LLVM/MLIR-style instrumentation: verify after each
// pass (default on), IR dumps before/after all passes, after named passes,
// after a change (changed functions only) or after a failure (a reproducer
// file plus the command that reruns it), a timing table, per-pass statistics,
// a debug counter bounding the rewrites a pass may make, and a per-pass
// callback. Reads modules, never mutates them; writes only the reproducer file.

import { writeFileSync } from "node:fs";
import type { Diagnostic } from "../ir/errors.js";
import { DerivError, PipelineError } from "../ir/errors.js";
import { printFunc, printIR } from "../ir/printer.js";
import type { Module } from "../ir/types.js";
import { checkModule, verify } from "../ir/verifier.js";
import { AnalysisCache } from "./analysis.js";
import type { OptionValue, PassContext } from "./pass.js";
import type { PassInvocation, Pipeline } from "./pipeline-text.js";
import { parsePipelineWith, pipelineDiagnostic, pipelineError } from "./pipeline-text.js";
import { REGISTRY } from "./registry.js";
import type { PassRecord } from "./report.js";
import { statsTable, timingTable } from "./report.js";
import { didYouMean } from "./suggest.js";

export type { PassInvocation, Pipeline } from "./pipeline-text.js";
export type { PassRecord } from "./report.js";

/** What `onPass` receives after each pass. */
export interface PassEvent {
  /** Registry name of the pass. */
  readonly pass: string;
  /** The invocation as written, options included. */
  readonly text: string;
  readonly before: Module;
  readonly after: Module;
  /** `after !== before`. */
  readonly changed: boolean;
  readonly ms: number;
  readonly stats: Readonly<Record<string, number>>;
}

/** Instrumentation of a pipeline run. */
export interface PipelineOptions {
  /** Verify the input and every changed module (default true). */
  readonly verifyEach?: boolean;
  readonly printBeforeAll?: boolean;
  readonly printAfterAll?: boolean;
  /** Print the module after every invocation of these passes. */
  readonly printAfter?: readonly string[];
  /** After each pass that changed something, print only the changed functions. */
  readonly printAfterChange?: boolean;
  /** When a pass throws or leaves invalid IR: write the module as it was
   * before that pass to `reproducerPath` (or print it, without a path) and
   * name the `deriv dump` command that reruns the failing rest of the pipeline. */
  readonly printAfterFailure?: { readonly reproducerPath?: string };
  /** Print the timing table at the end. */
  readonly timing?: boolean;
  /** Print the statistics table at the end. */
  readonly stats?: boolean;
  /** Per pass name, the number of rewrites it may make over the whole run. */
  readonly debugCounter?: Readonly<Record<string, number>>;
  /** Called after each pass. */
  readonly onPass?: (event: PassEvent) => void;
  /** Where dumps and tables go (default: stderr). */
  readonly out?: (text: string) => void;
  /** Analysis cache to use (default: a fresh one per run); share one across
   * runs to keep analyses of unchanged functions. */
  readonly analyses?: AnalysisCache;
}

/** What a run produced besides the module. */
export interface PipelineReport {
  readonly passes: readonly PassRecord[];
  readonly totalMs: number;
  readonly timingTable: string;
  readonly statsTable: string;
  /** Analysis cache hits and misses during the run. */
  readonly analyses: { readonly hits: number; readonly misses: number };
}

/** Parses pipeline text against the pass registry (see pipeline-text.ts for
 * the syntax). Throws PipelineError pointing at the offending character. */
export function parsePipeline(text: string): Pipeline {
  return parsePipelineWith(text, REGISTRY);
}

/** Runs the pipeline `spec` (text or parsed) on `module` and returns the result. */
export function runPipeline(module: Module, spec: string | Pipeline, options: PipelineOptions = {}): Module {
  return runPipelineWithReport(module, spec, options).module;
}

/** Runs the pipeline and also returns the report (per-pass timing, changes,
 * statistics, and the formatted tables). */
export function runPipelineWithReport(module: Module, spec: string | Pipeline, options: PipelineOptions = {}): { module: Module; report: PipelineReport } {
  const pipeline = typeof spec === "string" ? parsePipeline(spec) : spec;
  checkPassNames(options);
  const out = options.out ?? ((text: string) => process.stderr.write(text.endsWith("\n") ? text : text + "\n"));
  const verifyEach = options.verifyEach ?? true;
  const analyses = options.analyses ?? new AnalysisCache();
  const hits0 = analyses.hits;
  const misses0 = analyses.misses;
  const budgets = new Map(Object.entries(options.debugCounter ?? {}));
  const records: PassRecord[] = [];

  if (verifyEach) verify(module);
  let current = module;
  pipeline.passes.forEach((inv, index) => {
    if (options.printBeforeAll) out(dumpHeader("Before", inv) + printIR(current));
    const stats: Record<string, number> = {};
    const ctx = makeContext(inv, pipeline.text, analyses, stats, budgets, out);
    const t0 = performance.now();
    let after: Module;
    try {
      after = inv.pass.run(current, ctx);
    } catch (err) {
      throw failure(pipeline, index, current, err, [], options, out);
    }
    const ms = performance.now() - t0;
    const changed = after !== current;
    let verifyMs = 0;
    if (verifyEach && changed) {
      const v0 = performance.now();
      const diagnostics = checkModule(after);
      verifyMs = performance.now() - v0;
      if (diagnostics.length) throw failure(pipeline, index, current, undefined, diagnostics, options, out);
    }
    if (options.printAfterAll || options.printAfter?.includes(inv.pass.name)) out(dumpHeader("After", inv) + printIR(after));
    if (options.printAfterChange) out(changedDump(inv, current, after));
    records.push({ name: inv.pass.name, text: inv.text, ms, verifyMs, changed, stats });
    options.onPass?.({ pass: inv.pass.name, text: inv.text, before: current, after, changed, ms, stats });
    current = after;
  });

  const report: PipelineReport = {
    passes: records,
    totalMs: records.reduce((s, r) => s + r.ms + r.verifyMs, 0),
    timingTable: timingTable(records),
    statsTable: statsTable(records),
    analyses: { hits: analyses.hits - hits0, misses: analyses.misses - misses0 },
  };
  if (options.timing) out(report.timingTable);
  if (options.stats) out(report.statsTable);
  return { module: current, report };
}

/** Pass names in `printAfter` and `debugCounter` must exist. */
function checkPassNames(options: PipelineOptions): void {
  const names = REGISTRY.names();
  const given = [...(options.printAfter ?? []), ...Object.keys(options.debugCounter ?? {})];
  for (const name of given) {
    if (!names.includes(name)) {
      throw new PipelineError("pipeline", [{ code: "E_PIPELINE_UNKNOWN_PASS", message: `unknown pass '${name}' in pipeline options${didYouMean(name, names)}` }]);
    }
  }
}

function makeContext(
  inv: PassInvocation,
  text: string,
  analyses: AnalysisCache,
  stats: Record<string, number>,
  budgets: Map<string, number>,
  out: (text: string) => void,
): PassContext {
  const get = (name: string, kind: string, check: (v: OptionValue) => boolean): OptionValue => {
    const v = inv.options[name];
    if (v === undefined || !check(v)) throw new Error(`deriv internal error: pass '${inv.pass.name}' read option '${name}' as ${kind}`);
    return v;
  };
  const error = (code: "E_PIPELINE_OPTION" | "E_PIPELINE_PASS_FAILED", message: string): PipelineError => pipelineError(code, `${inv.pass.name}: ${message}`, text, inv.offset);
  return {
    options: inv.options,
    str: (n) => get(n, "string", (v) => typeof v === "string") as string,
    int: (n) => get(n, "int", (v) => typeof v === "number") as number,
    bool: (n) => get(n, "bool", (v) => typeof v === "boolean") as boolean,
    intList: (n) => get(n, "int-list", Array.isArray) as readonly number[],
    strList: (n) => get(n, "string-list", Array.isArray) as readonly string[],
    analyses,
    stat: (name, n = 1) => {
      stats[name] = (stats[name] ?? 0) + n;
    },
    allowRewrite: () => {
      const left = budgets.get(inv.pass.name);
      if (left === undefined) return true;
      if (left <= 0) return false;
      budgets.set(inv.pass.name, left - 1);
      return true;
    },
    print: (line) => out(line),
    optionError: (message) => error("E_PIPELINE_OPTION", message),
    passError: (message) => error("E_PIPELINE_PASS_FAILED", message),
  };
}

function dumpHeader(when: "Before" | "After", inv: PassInvocation): string {
  return `// -----// IR Dump ${when} ${inv.text} //----- //\n`;
}

/** The functions of `after` that are not (by identity) in `before`, plus a
 * note for each function removed; a one-line note if nothing changed. */
function changedDump(inv: PassInvocation, before: Module, after: Module): string {
  if (after === before) return `// -----// IR Dump After ${inv.text} omitted: no change //----- //\n`;
  const old = new Set(before.funcs);
  const kept = new Set(after.funcs.map((f) => f.name));
  const parts = after.funcs.filter((f) => !old.has(f)).map((f) => printFunc(f) + "\n");
  for (const f of before.funcs) if (!kept.has(f.name)) parts.push(`// removed @${f.name}\n`);
  if (after.externs !== before.externs) parts.push(`// externs: ${after.externs.map((e) => "@" + e.name).join(", ") || "(none)"}\n`);
  return `// -----// IR Dump After ${inv.text} (changed functions only) //----- //\n` + parts.join("\n");
}

/** The error for pass `index` failing on `input`: either it threw `thrown`, or
 * it produced IR with the verifier `diagnostics`. With print-after-failure,
 * also writes or prints the reproducer and names the command that reruns it. */
function failure(pipeline: Pipeline, index: number, input: Module, thrown: unknown, diagnostics: readonly Diagnostic[], options: PipelineOptions, out: (text: string) => void): unknown {
  const inv = pipeline.passes[index]!;
  const rest = pipeline.passes.slice(index).map((p) => p.text).join(",");
  let note = "";
  if (options.printAfterFailure) {
    const path = options.printAfterFailure.reproducerPath;
    const command = `deriv dump ${path ?? "<file>"} --passes ${shellQuote(rest)}`;
    const text = `// Reproducer: the module before pass '${inv.text}' failed.\n// RUN: ${command}\n` + printIR(input);
    if (path !== undefined) writeFileSync(path, text);
    else out(`// -----// IR Dump Before failing ${inv.text} //----- //\n` + text);
    note = `; reproduce with: ${command}`;
  }
  if (thrown === undefined) {
    const head = pipelineDiagnostic("E_PIPELINE_PASS_FAILED", `pass '${inv.text}' (#${index + 1} of the pipeline) produced invalid IR${note}`, pipeline.text, inv.offset);
    return new PipelineError("pipeline", [head, ...diagnostics]);
  }
  if (!note) return thrown;
  if (thrown instanceof DerivError) {
    const ctor = thrown.constructor as new (stage: DerivError["stage"], d: readonly Diagnostic[]) => DerivError;
    return new ctor(thrown.stage, [...thrown.diagnostics, { code: "E_PIPELINE_PASS_FAILED", message: `in pass '${inv.text}'${note}` }]);
  }
  if (thrown instanceof Error) thrown.message += `\n(in pass '${inv.text}'${note})`;
  return thrown;
}

/** Single-quotes `s` for a POSIX shell. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
