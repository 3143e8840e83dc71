// TypeScript source -> frontend -> backend against the interpreter on 1,000
// random programs of the subset (test/gen/ts-gen.ts) with a few inputs each:
// compiled results must equal the interpreter's bit for bit, and the caller's
// arrays must stay unchanged. Compiled code runs without extern bindings, so
// this also checks that stopGradient defaults to the identity.

import fc from "fast-check";
import { expect, it } from "vitest";
import { parseTS } from "../../frontend/index.js";
import { arbTSCase } from "../gen/ts-gen.js";
import type { ExternFn } from "../../ir/interpreter.js";
import { compiled, interpreted, sameOutcome, showOutcome } from "./support.js";

// The interpreter has no default for stopGradient; compiled code binds the identity.
const STOP_GRADIENT: Readonly<Record<string, ExternFn>> = { stopGradient: (x) => x! };

it("compiled code == interpreter on 1,000 random TypeScript programs", () => {
  let runs = 0;
  fc.assert(
    fc.property(arbTSCase(), ({ program, inputs }) => {
      const module = parseTS(program.source);
      for (const args of inputs) {
        const copies = args.map((a) => (Array.isArray(a) ? a.slice() : a));
        const want = interpreted(module, program.entry, args, STOP_GRADIENT);
        const got = compiled(module, program.entry, args);
        if (!sameOutcome(got, want)) throw new Error(`compiled ${showOutcome(got)} but interpreted ${showOutcome(want)}`);
        expect(args).toEqual(copies);
        runs++;
      }
    }),
    { numRuns: 1000 },
  );
  expect(runs).toBeGreaterThanOrEqual(1000);
});
