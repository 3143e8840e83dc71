// `--externs FILE.mjs`: loads a JavaScript module whose exported functions
// are the primal implementations of the program's `declare function`s and
// whose optional `rules` export registers derivative rules
// (`{ g: { jvp?, vjp? } }`).

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DerivError } from "../ir/errors.js";
import { registerRule, type CustomRule } from "../passes/rules/custom.js";
import type { ExternImpl } from "../api/externs.js";

/** Imports FILE, registers its rules, returns its extern functions. */
export async function loadExternsFile(file: string | undefined): Promise<Record<string, ExternImpl>> {
  if (!file) return {};
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  } catch (e) {
    throw new DerivError("cli", [{ code: "E_CLI_INPUT", message: `--externs: cannot load ${file}: ${(e as Error).message}` }]);
  }
  const externs: Record<string, ExternImpl> = {};
  for (const [name, value] of Object.entries(mod)) {
    if (name === "rules" || name === "default") continue;
    if (typeof value === "function") externs[name] = value as ExternImpl;
  }
  const rules = mod["rules"];
  if (rules !== undefined) {
    if (typeof rules !== "object" || rules === null) throw new DerivError("cli", [{ code: "E_CLI_INPUT", message: `--externs: the 'rules' export of ${file} must be an object { name: { jvp?, vjp? } }` }]);
    for (const [name, rule] of Object.entries(rules as Record<string, CustomRule>)) registerRule(name, rule);
  }
  return externs;
}
