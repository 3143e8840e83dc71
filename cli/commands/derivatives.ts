// `deriv grad | jacobian | hessian FILE --fn F --at JSON [--wrt 0,2]
// [--mode forward|reverse] [--externs FILE.mjs]`: derivatives through the
// public API, printed as JSON.

import { forwardJacobian } from "../../api/forward.js";
import { grad, reverseJacobian } from "../../api/reverse.js";
import { hessian } from "../../api/second-order.js";
import type { ApiOptions } from "../../api/source.js";
import { fileArg, flagString, parseArgs, UsageError } from "../args.js";
import { loadExternsFile } from "../externs-file.js";
import { decodeArgs, encodeJSON, loadModule } from "../io.js";

type Kind = "grad" | "jacobian" | "hessian";

function parseWrt(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(",").map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) throw new UsageError(`--wrt must be a comma-separated list of argument indices, e.g. --wrt 0,2 (got '${text}')`);
  return parts.map(Number);
}

/** Runs one derivative command. */
export async function runDerivative(kind: Kind, argv: readonly string[]): Promise<number> {
  const valued = kind === "jacobian" ? ["fn", "at", "wrt", "externs", "mode"] : ["fn", "at", "wrt", "externs"];
  const args = parseArgs(argv, valued, []);
  const file = fileArg(args, kind);
  const fn = flagString(args, "fn");
  const at = flagString(args, "at");
  if (!fn) throw new UsageError(`deriv ${kind}: --fn F is required`);
  if (at === undefined) throw new UsageError(`deriv ${kind}: --at JSON is required (e.g. --at '[1.5, [1, 2]]')`);
  const mode = flagString(args, "mode") ?? "reverse";
  if (mode !== "forward" && mode !== "reverse") throw new UsageError(`--mode must be forward or reverse, got '${mode}'`);
  const wrt = parseWrt(flagString(args, "wrt"));
  const externs = await loadExternsFile(flagString(args, "externs"));
  const module = loadModule(file);
  const inputs = decodeArgs(at);
  const opts: ApiOptions = { externs, onWarning: (m) => process.stderr.write(m + "\n"), ...(wrt ? { wrt } : {}) };
  let out: unknown;
  if (kind === "grad") out = grad(module, fn, opts)(...inputs);
  else if (kind === "hessian") out = hessian(module, fn, opts)(...inputs);
  else out = (mode === "forward" ? forwardJacobian : reverseJacobian)(module, fn, opts)(...inputs);
  process.stdout.write(encodeJSON(out) + "\n");
  return 0;
}
