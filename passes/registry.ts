// The pass registry (Binaryen style): a flat table name -> pass, listed
// alphabetically with one-line descriptions (`deriv passes`). Built-in passes
// are listed in BUILTIN_PASSES below, in alphabetical order; passes defined
// elsewhere (a user's analysis pass, say) join through `registerPass`.

import { PipelineError } from "../ir/errors.js";
import { cse } from "./cse.js";
import { dce } from "./dce.js";
import { flops } from "./flops.js";
import { fwdAd } from "./fwd-ad.js";
import { inline } from "./inline.js";
import type { Pass } from "./pass.js";
import type { PassLookup } from "./pipeline-text.js";
import { revAd } from "./rev-ad.js";
import { simplify } from "./simplify.js";
import { sparsity } from "./sparsity.js";

/** The passes that ship with deriv, alphabetically by name. */
const BUILTIN_PASSES: readonly Pass[] = [cse, dce, flops, fwdAd, inline, revAd, simplify, sparsity];

const PASS_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const passes = new Map<string, Pass>();

/** Adds a pass to the registry. Its name must be kebab-case and not taken,
 * its option names kebab-case and distinct; otherwise a PipelineError
 * (E_PIPELINE_REGISTER). */
export function registerPass(pass: Pass): void {
  const reject = (message: string): never => {
    throw new PipelineError("pipeline", [{ code: "E_PIPELINE_REGISTER", message: `registerPass('${pass.name}'): ${message}` }]);
  };
  if (!PASS_NAME.test(pass.name)) reject("a pass name is kebab-case: lower-case words joined by '-'");
  if (passes.has(pass.name)) reject("a pass with this name is already registered");
  const seen = new Set<string>();
  for (const o of pass.options) {
    if (!PASS_NAME.test(o.name)) reject(`option '${o.name}' is not kebab-case`);
    if (seen.has(o.name)) reject(`option '${o.name}' is declared twice`);
    seen.add(o.name);
  }
  passes.set(pass.name, pass);
}

for (const pass of BUILTIN_PASSES) registerPass(pass);

/** The pass registered as `name`, or undefined. */
export function getPass(name: string): Pass | undefined {
  return passes.get(name);
}

/** Every registered pass, alphabetically by name. */
export function listPasses(): Pass[] {
  return [...passes.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The registry as the pipeline parser sees it. */
export const REGISTRY: PassLookup = {
  get: getPass,
  names: () => listPasses().map((p) => p.name),
};
