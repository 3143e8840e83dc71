// `deriv passes`: the pass registry, alphabetically, with each pass's options.

import { listPasses } from "../../passes/registry.js";
import { parseArgs } from "../args.js";

/** Renders the registry as text (also used for the README). */
export function renderPasses(): string {
  const out: string[] = [];
  for (const pass of listPasses()) {
    out.push(`${pass.name}: ${pass.description}`);
    for (const o of pass.options) {
      const dflt = o.default !== undefined ? ` (default ${Array.isArray(o.default) ? o.default.join(",") : String(o.default)})` : o.required ? " (required)" : "";
      out.push(`    ${o.name}=<${o.kind}>${dflt}  ${o.doc}`);
    }
  }
  return out.join("\n") + "\n";
}

export function runPasses(argv: readonly string[]): number {
  parseArgs(argv, [], []);
  process.stdout.write(renderPasses());
  return 0;
}
