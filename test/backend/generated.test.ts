// Differential test: ≥ 1,000 generated modules (test/gen/ir-gen.ts) run
// through the reference interpreter and through the compiled JavaScript must
// give identical results bit for bit, or the same runtime error.

import fc from "fast-check";
import { describe, it } from "vitest";
import { GEN_EXTERN_BINDINGS, arbModuleWithInputs } from "../gen/ir-gen.js";
import { compiled, interpreted, sameOutcome, showOutcome } from "./support.js";

describe("compiled code vs interpreter on generated modules", () => {
  it("agrees on 1,000 modules with arrays, calls, stacks and externs", () => {
    fc.assert(
      fc.property(arbModuleWithInputs({ externs: true }), ({ module, fn, args }) => {
        const want = interpreted(module, fn, args, GEN_EXTERN_BINDINGS);
        const got = compiled(module, fn, args, GEN_EXTERN_BINDINGS);
        if (!sameOutcome(got, want)) throw new Error(`compiled ${showOutcome(got)} but interpreted ${showOutcome(want)}`);
      }),
      { numRuns: 1000 },
    );
  });
});
