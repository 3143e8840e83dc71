// Primal differential checks of one fuzz case: every argument list runs
// through the original TypeScript in Node (TS cases), the reference
// interpreter, the compiled JavaScript, and the interpreter on the module
// after `simplify,cse,dce,inline` (verified after each pass);
// all must agree bit for bit (NaN and -0 included) or fail with the same
// DerivError code. Compiled code must leave the caller's arrays unchanged.
// A disagreement throws a `Discrepancy`.

import { compile, type Callable } from "../../backend/index.js";
import { DerivError } from "../../ir/errors.js";
import type { RtValue } from "../../ir/eval.js";
import { interpret, type ExternFn } from "../../ir/interpreter.js";
import type { Module } from "../../ir/types.js";
import { findFunc } from "../../ir/types.js";
import { runPipeline } from "../../passes/pipeline.js";
import { sameOutcome, showOutcome, type Outcome } from "../backend/support.js";
import { DEFAULT_EXTERNS, jsFunctions, runJS, sameBits } from "../frontend/support.js";

/** The optimisation pipeline whose output must compute the same bits. */
export const OPT_PIPELINE = "simplify,cse,dce,inline";

/** A property of the compiler that a generated case violates. */
export class Discrepancy extends Error {
  override readonly name = "Discrepancy";
}

function outcome(run: () => readonly RtValue[]): Outcome {
  try {
    return { ok: run() };
  } catch (e) {
    if (!(e instanceof DerivError)) throw e;
    return e.location ? { code: e.code, line: e.location.line, col: e.location.col } : { code: e.code };
  }
}

/** Runs `fn` of `module` through the interpreter and compiled once for all argument lists. */
function executors(module: Module, fn: string, externs: Readonly<Record<string, ExternFn>>): { label: string; run: (args: readonly RtValue[]) => Outcome }[] {
  const n = findFunc(module, fn)!.results.length;
  const callable: Callable = compile(module, { externs })[fn]!;
  return [
    { label: "interpreter", run: (args) => outcome(() => interpret(module, fn, copy(args), { externs })) },
    {
      label: "compiled",
      run: (args) => {
        const before = copy(args);
        const o = outcome(() => {
          const r = callable(...args);
          return n === 0 ? [] : n === 1 ? [r] : r;
        });
        if (!args.every((a, i) => sameBits(a, before[i]))) throw new Discrepancy("compiled code modified the caller's array argument");
        return o;
      },
    },
  ];
}

const copy = (args: readonly RtValue[]): RtValue[] => args.map((a) => (typeof a === "number" ? a : a instanceof Float64Array ? a.slice() : a));

/** The module after the optimisation pipeline (a pass failure or a verifier
 * error after a pass is a discrepancy: the input was valid). */
export function optimise(module: Module): Module {
  try {
    return runPipeline(module, OPT_PIPELINE, { verifyEach: true, out: () => {} });
  } catch (e) {
    throw new Discrepancy(`${OPT_PIPELINE} failed on a valid module: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Node's results of the original TypeScript, or undefined for IR cases. */
export type NodeRunner = ((args: readonly RtValue[]) => unknown[]) | undefined;

/** Node running the program: `js` if given (the generator's plain
 * JavaScript version), else the TypeScript source transpiled by TypeScript. */
export function nodeRunner(source: string, plain: string | undefined, module: Module, fn: string): NodeRunner {
  const names = module.funcs.map((f) => f.name);
  const js = plain === undefined ? jsFunctions(source, names) : (new Function("stopGradient", `${plain}\nreturn { ${names.join(", ")} };`)(DEFAULT_EXTERNS.stopGradient) as Record<string, (...args: unknown[]) => unknown>);
  const n = findFunc(module, fn)!.results.length;
  return (args) => runJS(js, n, fn, args.map((a) => (typeof a === "number" ? a : Array.from(a as ArrayLike<number>))));
}

const show = (v: unknown): string =>
  Array.isArray(v) || v instanceof Float64Array ? `[${Array.from(v as ArrayLike<unknown>, show).join(", ")}]` : Object.is(v, -0) ? "-0" : String(v);

/** Checks every argument list through every executor of `module` and of
 * `optimised`; returns the reference (interpreter) outcome of each list. */
export function checkPrimal(module: Module, optimised: Module, fn: string, inputs: readonly (readonly RtValue[])[], externs: Readonly<Record<string, ExternFn>>, node: NodeRunner): Outcome[] {
  const runs = [
    ...executors(module, fn, externs),
    { label: `interpreter after ${OPT_PIPELINE}`, run: (args: readonly RtValue[]) => outcome(() => interpret(optimised, fn, copy(args), { externs })) },
  ];
  return inputs.map((args) => {
    const [reference, ...others] = runs.map((e) => ({ label: e.label, o: e.run(args) }));
    const want = reference!.o;
    const where = `@${fn}(${args.map(show).join(", ")})`;
    if (node) {
      if (!("ok" in want)) throw new Discrepancy(`${where}: the interpreter failed with ${showOutcome(want)} where Node returns ${show(node(args))}`);
      const js = node(args);
      if (js.length !== want.ok.length || !js.every((v, i) => sameBits(v, want.ok[i]))) throw new Discrepancy(`${where}: Node ${show(js)} but interpreter ${showOutcome(want)}`);
    }
    for (const { label, o } of others) if (!sameOutcome(o, want)) throw new Discrepancy(`${where}: ${label} ${showOutcome(o)} but interpreter ${showOutcome(want)}`);
    return want;
  });
}
