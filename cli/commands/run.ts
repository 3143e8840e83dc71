// `deriv run FILE --fn F --at JSON [--passes SPEC] [--interp]`: runs a
// function through the JS backend (or the reference interpreter) and prints
// {"value": result}; a tuple result prints as an array.

import { compile } from "../../backend/index.js";
import { interpret } from "../../ir/interpreter.js";
import { findFunc } from "../../ir/types.js";
import { runPipeline } from "../../passes/pipeline.js";
import { fileArg, flagSet, flagString, parseArgs, UsageError } from "../args.js";
import { decodeArgs, encodeJSON, loadModule } from "../io.js";

export function runRun(argv: readonly string[]): number {
  const args = parseArgs(argv, ["fn", "at", "passes"], ["interp"]);
  const file = fileArg(args, "run");
  const fn = flagString(args, "fn");
  const at = flagString(args, "at");
  if (!fn) throw new UsageError("deriv run: --fn F is required");
  if (at === undefined) throw new UsageError("deriv run: --at JSON is required (e.g. --at '[1.5, [1, 2]]')");
  let module = loadModule(file);
  const spec = flagString(args, "passes");
  if (spec) module = runPipeline(module, spec, { verifyEach: true });
  const func = findFunc(module, fn);
  if (!func) throw new UsageError(`deriv run: no function @${fn} (functions: ${module.funcs.map((f) => f.name).join(", ") || "none"})`);
  const inputs = decodeArgs(at);
  let results: unknown[];
  if (flagSet(args, "interp")) {
    results = interpret(module, fn, inputs);
  } else {
    const callable = compile(module)[fn]!;
    const out: unknown = callable(...inputs);
    results = func.results.length === 1 ? [out] : (out as unknown[]);
  }
  process.stdout.write(encodeJSON({ value: results.length === 1 ? results[0] : results }) + "\n");
  return 0;
}
