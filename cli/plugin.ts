// `--plugin FILE.js`, accepted by every command: imports an ES module before
// the command runs; importing it is what registers its passes (a plugin calls
// `registerPass` from deriv's public API at top level, see
// docs/writing-a-pass.md). The path is resolved against the current
// directory. A module that cannot be imported is E_CLI_INPUT; a DerivError
// the plugin throws (e.g. E_PIPELINE_REGISTER) is reported as is.

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DerivError } from "../ir/errors.js";
import { UsageError } from "./args.js";

/** Splits every `--plugin FILE` / `--plugin=FILE` off `argv`, in order. */
export function takePluginFlags(argv: readonly string[]): { plugins: string[]; rest: string[] } {
  const plugins: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith("--plugin=")) plugins.push(arg.slice("--plugin=".length));
    else if (arg !== "--plugin") rest.push(arg);
    else if (i + 1 < argv.length) plugins.push(argv[++i]!);
    else throw new UsageError("flag --plugin needs a value");
  }
  return { plugins, rest };
}

/** Imports the plugin module `file` (relative to the current directory). */
export async function loadPlugin(file: string): Promise<void> {
  try {
    await import(pathToFileURL(resolve(file)).href);
  } catch (e) {
    if (e instanceof DerivError) throw e;
    throw new DerivError("cli", [{ code: "E_CLI_INPUT", message: `--plugin: cannot load ${file}: ${(e as Error).message}` }]);
  }
}
