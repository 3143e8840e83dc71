// Closed forms are never a guess: on generated modules (test/gen/ir-gen.ts:
// loops over constants and array lengths, branches, calls, externs), wherever
// a quantity has a closed form without unknown symbols and its assumptions
// hold at the inputs, it equals the count of an instrumented run, and every
// lower and upper bound contains that count.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DerivError } from "../../ir/errors.js";
import { printIR } from "../../ir/printer.js";
import { findFunc } from "../../ir/types.js";
import { COST_CLASSES, type CostClass, DEFAULT_WEIGHTS, type Weights } from "../../passes/flops-cost.js";
import { countRun } from "../../passes/flops-dynamic.js";
import { isAccumulator, polyMentions } from "../../passes/flops-poly.js";
import { evaluateFormula, flopFormulas, formulaText } from "../../passes/flops.js";
import { arbModuleWithInputs, GEN_EXTERN_BINDINGS } from "../gen/ir-gen.js";

const ODD: Weights = { add: 1, mul: 3, div: 7, sqrt: 11, transcendental: 0.5, compare: 2, memory: 0.25, call: 5, int: 1 };

describe("closed forms on generated modules", () => {
  it.each([
    ["default weights", DEFAULT_WEIGHTS],
    ["other weights", ODD],
  ] as const)("agree with the run wherever they apply (%s)", (_name, weights) => {
    let checked = 0;
    let bounded = 0;
    fc.assert(
      fc.property(arbModuleWithInputs({ externs: true }), ({ module, fn, args }) => {
        let run;
        try {
          run = countRun(module, fn, args, weights, { externs: GEN_EXTERN_BINDINGS });
        } catch (e) {
          if (e instanceof DerivError) return;
          throw e;
        }
        const formula = flopFormulas(module, weights).get(fn)!;
        const value = evaluateFormula(formula, findFunc(module, fn)!, args);
        if (!value.applies) return;
        const problems: string[] = [];
        const known = (p: typeof formula.total) => p !== null && !polyMentions(p, isAccumulator);
        if (known(formula.total)) {
          if (value.total !== run.total) problems.push(`total: formula ${value.total}, run ${run.total}`);
          checked++;
        }
        for (const c of COST_CLASSES) if (known(formula.byClass[c]) && value.byClass[c] !== run.byClass[c]) problems.push(`${c}: formula ${value.byClass[c]}, run ${run.byClass[c]}`);
        for (const [q, b] of Object.entries(value.bounds)) {
          const got = q === "total" ? run.total : run.byClass[q as CostClass];
          if (!(b.lower <= got && got <= b.upper)) problems.push(`${q}: ${got} outside [${b.lower}, ${b.upper}]`);
          bounded++;
        }
        if (problems.length) expect.fail(`${problems.join("; ")}\n${JSON.stringify(formulaText(formula))}\n${printIR(module)}`);
      }),
      { numRuns: 100 },
    );
    expect(checked).toBeGreaterThan(20);
    expect(bounded).toBeGreaterThan(20);
  });
});
