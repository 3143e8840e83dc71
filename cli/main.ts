#!/usr/bin/env node
// The `deriv` command: a thin dispatcher over the public API. Results go to
// stdout, diagnostics to stderr; exit 0 on success, 1 on a user error (a
// DerivError, printed with its location), 2 on a usage error (DESIGN.md §5).

import { DerivError, PipelineError } from "../ir/errors.js";
import { UsageError } from "./args.js";
import { runAnalyze } from "./commands/analyze.js";
import { runDerivative } from "./commands/derivatives.js";
import { runDump } from "./commands/dump.js";
import { runFlops } from "./commands/flops.js";
import { runPasses } from "./commands/passes.js";
import { runOps } from "./commands/ops.js";
import { runRun } from "./commands/run.js";
import { runSparsity } from "./commands/sparsity.js";
import { loadPlugin, takePluginFlags } from "./plugin.js";

interface Command {
  readonly summary: string;
  readonly run: (argv: readonly string[]) => number | Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  analyze: { summary: "analyze FILE --passes SPEC                                 print the analysis passes' reports", run: runAnalyze },
  dump: { summary: "dump FILE [--fn F] [--passes SPEC] [--emit ir|js|dot|svg] print (transformed) IR", run: runDump },
  flops: { summary: "flops FILE --fn F [--at JSON] [--vs G] [--weights ...]     flop counts and closed forms", run: runFlops },
  grad: { summary: "grad FILE --fn F --at JSON [--wrt 0,2] [--externs M.mjs]    value and gradient", run: (a) => runDerivative("grad", a) },
  hessian: { summary: "hessian FILE --fn F --at JSON [--wrt ...]                 value, gradient, Hessian", run: (a) => runDerivative("hessian", a) },
  jacobian: { summary: "jacobian FILE --fn F --at JSON [--mode forward|reverse]   value and Jacobian", run: (a) => runDerivative("jacobian", a) },
  ops: { summary: "ops                                                        the op table", run: runOps },
  passes: { summary: "passes                                                     the pass registry with options", run: runPasses },
  sparsity: { summary: "sparsity FILE --fn F --at JSON [--mode global|local] [--hessian] [--svg OUT]", run: runSparsity },
  run: { summary: "run FILE --fn F --at JSON [--passes SPEC] [--interp]       run a function", run: runRun },
};

function usage(): string {
  const plugin = "every command also takes --plugin FILE.js (repeatable): an ES module that registers passes";
  return ["usage: deriv <command> ...", ...Object.values(COMMANDS).map((c) => `  deriv ${c.summary}`), plugin].join("\n") + "\n";
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`deriv: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  try {
    const { plugins, rest: commandArgs } = takePluginFlags(rest);
    for (const file of plugins) await loadPlugin(file);
    return await command.run(commandArgs);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`deriv ${name}: ${e.message}\n`);
      return 2;
    }
    // A malformed --passes text is a usage error: one line, exit 2.
    if (e instanceof PipelineError && ["E_PIPELINE_SYNTAX", "E_PIPELINE_UNKNOWN_PASS", "E_PIPELINE_OPTION"].includes(e.code)) {
      process.stderr.write(`deriv ${name}: --passes: ${e.code}: ${e.diagnostics[0]!.message.split("\n")[0]}\n`);
      return 2;
    }
    if (e instanceof DerivError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
