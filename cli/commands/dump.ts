// `deriv dump FILE`: parse, verify, optionally run a pass pipeline with the
// pass manager's instrumentation (print before/after, after change, after
// failure with a reproducer, timing, statistics, debug counter), then print
// the result as IR (optionally annotated by an analysis), JavaScript, a DOT
// picture of each function's CFG, or one function's CFG drawn as SVG.

import { emitJS } from "../../backend/index.js";
import { toDot } from "../../ir/graph.js";
import { printIR, type PrintOptions } from "../../ir/printer.js";
import type { Func, Module } from "../../ir/types.js";
import { verify } from "../../ir/verifier.js";
import { activityAnnotator } from "../../passes/activity.js";
import { flopAnnotator, flopBlockAnnotator } from "../../passes/flops.js";
import { runPipelineWithReport, type PipelineOptions } from "../../passes/pipeline.js";
import { tapeAnnotator } from "../../passes/rev-ad-plan.js";
import { fileArg, flagSet, flagString, parseArgs, UsageError, type ParsedArgs } from "../args.js";
import { loadModule } from "../io.js";
import { renderSvg } from "../render-svg.js";

const EMITS = ["ir", "js", "dot", "svg"] as const;
const ANNOTATIONS = ["activity", "tape", "flops"] as const;

/** Keeps only function `fn` (and the externs) for printing. */
function onlyFunc(module: Module, fn: string | undefined): Module {
  if (!fn) return module;
  const funcs = module.funcs.filter((f) => f.name === fn);
  if (!funcs.length) throw new UsageError(`no function @${fn} (functions: ${module.funcs.map((f) => f.name).join(", ") || "none"})`);
  return { funcs, externs: module.externs };
}

/** The one function an SVG picture shows: an SVG document holds one graph. */
function onePicture(module: Module): Func {
  if (module.funcs.length !== 1) throw new UsageError(`--emit svg draws one function; pick it with --fn F (functions: ${module.funcs.map((f) => f.name).join(", ") || "none"})`);
  return module.funcs[0]!;
}

/** `--debug-counter simplify=3,cse=1` */
function parseDebugCounter(text: string | undefined): Record<string, number> | undefined {
  if (text === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const part of text.split(",")) {
    const m = /^([a-z][a-z0-9-]*)=(\d+)$/.exec(part.trim());
    if (!m) throw new UsageError(`--debug-counter expects PASS=N[,PASS=N...], got '${part}'`);
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

/** The pipeline instrumentation requested on the command line. */
function pipelineOptions(args: ParsedArgs): PipelineOptions {
  const printAfter = flagString(args, "print-after");
  const debugCounter = parseDebugCounter(flagString(args, "debug-counter"));
  const reproducer = flagString(args, "reproducer");
  return {
    verifyEach: !flagSet(args, "no-verify-each"),
    printBeforeAll: flagSet(args, "print-before-all"),
    printAfterAll: flagSet(args, "print-after-all"),
    printAfterChange: flagSet(args, "print-after-change"),
    timing: flagSet(args, "time-passes"),
    stats: flagSet(args, "stats"),
    out: (text) => process.stderr.write(text.endsWith("\n") ? text : text + "\n"),
    ...(printAfter ? { printAfter: printAfter.split(",") } : {}),
    ...(flagSet(args, "print-after-failure") || reproducer ? { printAfterFailure: reproducer ? { reproducerPath: reproducer } : {} } : {}),
    ...(debugCounter ? { debugCounter } : {}),
  };
}

function annotations(kind: string | undefined, module: Module): PrintOptions {
  if (kind === undefined) return {};
  if (!(ANNOTATIONS as readonly string[]).includes(kind)) throw new UsageError(`--annotate must be one of ${ANNOTATIONS.join(", ")}, got '${kind}'`);
  if (kind === "flops") return { annotateInst: flopAnnotator(module), annotateBlock: flopBlockAnnotator(module) };
  if (kind === "activity") return { annotateInst: activityAnnotator() };
  return { annotateInst: tapeAnnotator(module) };
}

export async function runDump(argv: readonly string[]): Promise<number> {
  const args = parseArgs(
    argv,
    ["fn", "passes", "emit", "print-after", "debug-counter", "annotate", "reproducer"],
    ["no-verify-each", "print-before-all", "print-after-all", "print-after-change", "print-after-failure", "time-passes", "stats"],
  );
  const file = fileArg(args, "dump");
  const emit = flagString(args, "emit") ?? "ir";
  if (!(EMITS as readonly string[]).includes(emit)) throw new UsageError(`--emit must be one of ${EMITS.join(", ")}, got '${emit}'`);
  let module = loadModule(file);
  verify(module);
  const spec = flagString(args, "passes");
  if (spec) module = runPipelineWithReport(module, spec, pipelineOptions(args)).module;
  const shown = onlyFunc(module, flagString(args, "fn"));
  if (emit === "ir") process.stdout.write(printIR(shown, annotations(flagString(args, "annotate"), module)));
  else if (emit === "js") process.stdout.write(emitJS(module) + "\n");
  else if (emit === "dot") process.stdout.write(shown.funcs.map((f) => toDot(f)).join("\n"));
  else {
    const func = onePicture(shown);
    process.stdout.write(await renderSvg(toDot(func), `the CFG of @${func.name}`, (m) => process.stderr.write(m + "\n")));
  }
  return 0;
}
