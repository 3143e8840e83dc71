// `deriv flops FILE --fn F [--at JSON] [--vs G [--vs-at JSON]] [--passes SPEC]
// [--weights div:4,...] [--by-block] [--tape] [--externs FILE.mjs]`: flop counts of a
// function. With --at, exact counts of one run (callees included) plus the
// closed form (or bounds) and whether it applies there; without, the closed form alone (total and byClass are
// then formula strings, null where there is none). With --vs, the same for a
// second function and the ratio vs/fn of the totals (e.g. --fn f --vs f.vjp
// --passes 'rev-ad{fn=f}': the cheap-gradient ratio). Extra trailing scalar
// parameters of G (tangent or cotangent seeds) default to 1 when --vs-at is
// not given. With --tape, also the tape of reverse mode on the function: bytes
// and entries as formulas in the parameters, and their values at --at.
// Output: {"total", "byClass", "byBlock"?, "formula"?, "tape"?}, or
// {"fn", "vs", "ratio"}.

import type { ExternImpl } from "../../api/externs.js";
import { flopFormula, flops } from "../../api/flops.js";
import { tapeSize } from "../../api/tape.js";
import type { RtValue } from "../../ir/eval.js";
import type { Func, Module } from "../../ir/types.js";
import { findFunc } from "../../ir/types.js";
import { verify } from "../../ir/verifier.js";
import { parseWeights, type Weights } from "../../passes/flops-cost.js";
import type { FlopFormulaText } from "../../passes/flops.js";
import { runPipeline } from "../../passes/pipeline.js";
import { fileArg, flagSet, flagString, parseArgs, UsageError } from "../args.js";
import { loadExternsFile } from "../externs-file.js";
import { decodeArgs, encodeJSON, loadModule } from "../io.js";

/** A formula for printing: without its plain data, empty parts left out. */
function printable(f: FlopFormulaText & { readonly applies?: boolean }): Record<string, unknown> {
  const { bounds, why, ...rest } = f;
  return { ...rest, ...(Object.keys(bounds).length ? { bounds } : {}), ...(why.length ? { why } : {}) };
}

/** The report of one function as printed. */
function report(module: Module, fn: string, weights: Weights, externs: Record<string, ExternImpl>, at: RtValue[] | undefined, byBlock: boolean): Record<string, unknown> {
  if (!at) {
    const { data: _data, ...f } = flopFormula(module, fn, { weights });
    return { total: f.total, byClass: f.byClass, formula: printable(f) };
  }
  const r = flops(module, fn, { weights, externs })(...at);
  const out: Record<string, unknown> = { total: r.total, byClass: r.byClass };
  if (byBlock) out["byBlock"] = r.byBlock;
  if (r.formula) {
    const { data: _data, ...f } = r.formula;
    out["formula"] = printable(f);
  }
  return out;
}

/** Arguments for `vs`: given, or those of `fn` plus scalar seeds of 1. */
function vsArgs(fn: Func, vs: Func, at: RtValue[], given: string | undefined): RtValue[] {
  if (given !== undefined) return decodeArgs(given);
  const params = vs.blocks[0]!.params.map((p) => vs.values[p]!.type);
  const extra = params.slice(fn.blocks[0]!.params.length);
  if (params.length < at.length || extra.some((t) => t !== "f64")) {
    throw new UsageError(`--vs-at JSON is needed: @${vs.name} takes (${params.join(", ")}), @${fn.name} was given ${at.length} argument(s)`);
  }
  return [...at, ...extra.map(() => 1)];
}

/** Runs `deriv flops` (async because --externs imports a module); the exit code. */
export async function runFlops(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ["fn", "at", "vs", "vs-at", "passes", "weights", "externs"], ["by-block", "tape"]);
  const file = fileArg(args, "flops");
  const fn = flagString(args, "fn");
  if (!fn) throw new UsageError("deriv flops: --fn F is required");
  const atText = flagString(args, "at");
  const vs = flagString(args, "vs");
  const byBlock = flagSet(args, "by-block");
  if (flagString(args, "vs-at") !== undefined && !vs) throw new UsageError("deriv flops: --vs-at needs --vs G");
  if (byBlock && atText === undefined) throw new UsageError("deriv flops: --by-block needs --at JSON (block counts come from a run)");
  const parsed = parseWeights((flagString(args, "weights") ?? "").split(",").filter(Boolean));
  if ("error" in parsed) throw new UsageError(`deriv flops: --weights: ${parsed.error}`);

  const externs = await loadExternsFile(flagString(args, "externs"));
  let module = loadModule(file);
  const spec = flagString(args, "passes");
  if (spec) module = runPipeline(module, spec, { verifyEach: true });
  else verify(module);
  const funcNamed = (name: string): Func => {
    const f = findFunc(module, name);
    if (!f) throw new UsageError(`deriv flops: no function @${name} (functions: ${module.funcs.map((g) => g.name).join(", ") || "none"})`);
    return f;
  };
  const func = funcNamed(fn);
  const at = atText === undefined ? undefined : decodeArgs(atText);
  const main = report(module, fn, parsed.weights, externs, at, byBlock);
  if (flagSet(args, "tape")) {
    if (vs) throw new UsageError("deriv flops: --tape reports one function; drop --vs");
    const tape = tapeSize(module, fn);
    const { assumes, why, ...sizes } = tape.formula;
    main["tape"] = { ...sizes, ...(assumes.length ? { assumes } : {}), ...(why.length ? { why } : {}), ...(at ? { at: tape.at(at) } : {}) };
  }
  if (!vs) {
    process.stdout.write(encodeJSON(main) + "\n");
    return 0;
  }
  const other = funcNamed(vs);
  const second = report(module, vs, parsed.weights, externs, at && vsArgs(func, other, at, flagString(args, "vs-at")), byBlock);
  const ratio = typeof main["total"] === "number" && typeof second["total"] === "number" && main["total"] !== 0 ? second["total"] / main["total"] : null;
  process.stdout.write(encodeJSON({ fn: { name: fn, ...main }, vs: { name: vs, ...second }, ratio }) + "\n");
  return 0;
}
