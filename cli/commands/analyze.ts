// `deriv analyze FILE --passes SPEC`: runs a pipeline for what its analysis
// passes report (`ctx.print`: flops, sparsity, a plugin's pass such as
// examples/interval) and prints those reports on stdout. The module itself
// is not printed; `deriv dump --passes SPEC` prints it on stdout and the
// reports on stderr. Verify-each is on.

import { runPipeline } from "../../passes/pipeline.js";
import { fileArg, flagString, parseArgs, UsageError } from "../args.js";
import { loadModule } from "../io.js";

export function runAnalyze(argv: readonly string[]): number {
  const args = parseArgs(argv, ["passes"], []);
  const file = fileArg(args, "analyze");
  const spec = flagString(args, "passes");
  if (!spec) throw new UsageError("deriv analyze: --passes SPEC is required (e.g. --passes 'flops{fn=f}')");
  runPipeline(loadModule(file), spec, { verifyEach: true, out: (text) => process.stdout.write(text.endsWith("\n") ? text : text + "\n") });
  return 0;
}
