// Property: on random programs of the subset (test/gen/ts-gen.ts) the
// frontend's IR verifies and, run by the reference interpreter, gives the same
// results as the original TypeScript run by Node, bit for bit.

import fc from "fast-check";
import { expect, test } from "vitest";
import { DerivError } from "../../ir/errors.js";
import { findFunc } from "../../ir/types.js";
import { arbTSCase } from "../gen/ts-gen.js";
import { compileTS, jsFunctions, runIR, runJS, sameBits } from "./support.js";

test("interpreter == original TypeScript on 1,000 random programs", () => {
  let runs = 0;
  fc.assert(
    fc.property(arbTSCase(), ({ program, inputs }) => {
      const module = compileTS(program.source);
      const js = jsFunctions(
        program.source,
        module.funcs.map((f) => f.name),
      );
      const n = findFunc(module, program.entry)!.results.length;
      for (const args of inputs) {
        const ir = runIR(module, program.entry, args);
        if (ir instanceof DerivError) throw ir;
        const want = runJS(js, n, program.entry, args);
        expect(ir.length).toBe(want.length);
        ir.forEach((v, i) => expect(sameBits(v, want[i]), `result ${i}: ${String(v)} vs ${String(want[i])}`).toBe(true));
        runs++;
      }
    }),
    { numRuns: 1000 },
  );
  expect(runs).toBeGreaterThanOrEqual(1000);
});
