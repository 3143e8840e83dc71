// DOT text -> SVG for `deriv dump --emit svg`, with Graphviz compiled to
// WebAssembly (@viz-js/viz), so no system Graphviz is needed. Loads the
// WebAssembly module on first use only; touches nothing but its arguments.

import { instance, type Viz } from "@viz-js/viz";
import { DerivError } from "../ir/errors.js";

let viz: Promise<Viz> | undefined;

/** Renders one DOT graph as a standalone SVG document. Graphviz warnings go
 * to `warn`; a graph Graphviz cannot lay out is an E_CLI_OUTPUT error naming
 * `what`. */
export async function renderSvg(dot: string, what: string, warn: (message: string) => void): Promise<string> {
  viz ??= instance();
  const result = (await viz).render(dot, { format: "svg" });
  for (const e of result.errors) if (e.level === "warning") warn(`warning: Graphviz: ${e.message.trim()}`);
  if (result.status !== "success") {
    const reason = result.errors.map((e) => e.message.trim()).join("; ") || "unknown failure";
    throw new DerivError("cli", [{ code: "E_CLI_OUTPUT", message: `cannot render ${what} as SVG: Graphviz: ${reason}` }]);
  }
  return result.output;
}
