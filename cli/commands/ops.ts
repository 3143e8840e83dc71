// `deriv ops`: prints the op table of ir/ops.ts as generated documentation.

import { OPCODES, OPS, type TypeSpec } from "../../ir/ops.js";
import { parseArgs } from "../args.js";

function sig(specs: readonly TypeSpec[] | "variadic"): string {
  return specs === "variadic" ? "..." : specs.length === 1 ? specs[0]! : `(${specs.join(", ")})`;
}

/** Renders the op table as a Markdown table (also used for the README). */
export function renderOpTable(): string {
  const rows = OPCODES.map((op) => {
    const d = OPS[op];
    const tv = "typeVar" in d && d.typeVar ? ` (T: ${d.typeVar.join(" \\| ")})` : "";
    return `| \`${op}\` | ${sig(d.params)} -> ${sig(d.results)}${tv} | ${d.pure ? "pure" : "effect"} | ${d.flop} | ${d.doc.replace(/\|/g, "\\|")} |`;
  });
  return ["| op | signature | purity | flop class | meaning |", "|---|---|---|---|---|", ...rows].join("\n") + "\n";
}

export function runOps(argv: readonly string[]): number {
  parseArgs(argv, [], []);
  process.stdout.write(renderOpTable());
  return 0;
}
