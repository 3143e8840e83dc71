// TypeScript source -> frontend -> backend against the interpreter: every
// model program of test/support/models.ts (the AD test corpus, which includes
// the bench tasks at small sizes), compiled and run on random inputs inside
// its domain, must agree bit for bit with the reference interpreter.

import { describe, it } from "vitest";
import { parseTS } from "../../frontend/index.js";
import type { ExternFn } from "../../ir/interpreter.js";
import { makeRng, MODELS } from "../support/models.js";
import { expectAgrees } from "./support.js";

const STOP_GRADIENT: Readonly<Record<string, ExternFn>> = { stopGradient: (x) => x! };

describe.each(MODELS.map((m) => [m.name, m] as const))("%s", (_, model) => {
  it("agrees with the interpreter on 8 inputs", () => {
    const module = parseTS(model.src, { file: `${model.name}.ts` });
    const rng = makeRng(7);
    for (let k = 0; k < 8; k++) expectAgrees(module, model.fn, model.inputs(rng), { ...STOP_GRADIENT, ...model.externs });
  });
});
