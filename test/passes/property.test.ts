// Property tests of the optimisation passes over generated modules
// (test/gen/ir-gen.ts): `simplify,cse,dce,inline` (and the other order)
// preserves interpreter results bit for bit, every pass is idempotent (a
// second run returns the identical module object), every debug-counter budget
// leaves valid, equivalent IR, and iterating the whole pipeline reaches a
// fixpoint at which it returns its input object. (One run of the pipeline is
// not a fixpoint in general: dce empties blocks that simplify then threads,
// inlining exposes constants, cse makes branch arguments equal.)

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { printIR } from "../../ir/printer.js";
import type { Module } from "../../ir/types.js";
import { runPipeline } from "../../passes/pipeline.js";
import { arbModuleWithInputs, GEN_EXTERN_BINDINGS } from "../gen/ir-gen.js";
import { outcome, sameOutcome, showOutcome } from "./equiv.js";

const options = { externs: GEN_EXTERN_BINDINGS };

describe("optimisation passes on generated modules", () => {
  it.each(["simplify,cse,dce,inline", "inline,simplify,cse,dce"])("%s preserves interpreter results bit for bit", (spec) => {
    fc.assert(
      fc.property(arbModuleWithInputs({ externs: true }), ({ module, fn, args }) => {
        const out = runPipeline(module, spec);
        const want = outcome(module, fn, args, options);
        const got = outcome(out, fn, args, options);
        expect(sameOutcome(got, want), `want ${showOutcome(want)}, got ${showOutcome(got)}\n${printIR(out)}`).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("each pass is idempotent: a second run returns the identical module", () => {
    fc.assert(
      fc.property(arbModuleWithInputs({ externs: true }), ({ module }) => {
        for (const pass of ["simplify", "cse", "dce", "inline", "inline{size=8 caller-budget=40}"]) {
          const once = runPipeline(module, pass);
          const twice = runPipeline(once, pass);
          expect(twice === once, `${pass} changed its own output:\n${printIR(once)}\n---\n${printIR(twice)}`).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("any debug-counter budget leaves valid IR (verify-each) that computes the same results", () => {
    fc.assert(
      fc.property(arbModuleWithInputs({ externs: true }), fc.constantFrom("simplify", "cse", "dce", "inline"), fc.nat(12), ({ module, fn, args }, pass, budget) => {
        const out = runPipeline(module, pass, { debugCounter: { [pass]: budget } });
        const want = outcome(module, fn, args, options);
        const got = outcome(out, fn, args, options);
        expect(sameOutcome(got, want), `${pass}=${budget}: want ${showOutcome(want)}, got ${showOutcome(got)}\n${printIR(out)}`).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("the pipeline reaches a fixpoint within a few runs (at most 8), which it then returns unchanged", () => {
    fc.assert(
      fc.property(arbModuleWithInputs({ externs: true }), ({ module }) => {
        let m: Module = module;
        let runs = 0;
        for (let next = runPipeline(m, "simplify,cse,dce,inline"); next !== m; next = runPipeline(m, "simplify,cse,dce,inline")) {
          m = next;
          expect(++runs, "runs to the fixpoint").toBeLessThanOrEqual(8);
        }
        expect(runPipeline(m, "simplify,cse,dce,inline")).toBe(m);
      }),
      { numRuns: 300 },
    );
  });
});
