// Counting costs less than one primal run: the closed form is computed once
// (a static analysis whose cost does not depend on the inputs) and evaluated
// exactly at the arguments, while the reference interpreter pays for every
// iteration. Measured on big loops; the count must still be exact.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { interpret } from "../../ir/interpreter.js";
import { parseIR } from "../../ir/parser.js";
import type { Module } from "../../ir/types.js";
import { DEFAULT_WEIGHTS } from "../../passes/flops-cost.js";
import { countRun } from "../../passes/flops-dynamic.js";
import { evaluateFormula, flopFormulas } from "../../passes/flops.js";

const text = (name: string): string => readFileSync(new URL(`./fixtures/${name}.ir`, import.meta.url), "utf8");

/** Best of `reps` timings of `f` in ms (`fresh` gives each run its own input). */
function best<T>(reps: number, fresh: () => T, f: (x: T) => unknown): number {
  let min = Infinity;
  for (let i = 0; i < reps; i++) {
    const x = fresh();
    const t = performance.now();
    f(x);
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

describe("the cost of counting", () => {
  it.each([
    ["counted-loop", "f", [0.5, 200_000]],
    ["sumsq", "sumsq", [new Float64Array(200_000).fill(1.5)]],
    ["nested-rect", "grid", [400, 500]],
  ] as const)("%s: analysis plus evaluation beat one interpreted run, and agree with a counted run", (name, fn, args) => {
    const module = parseIR(text(name));
    // A fresh parse per analysis, so nothing is cached between repetitions.
    const analysis = best(5, () => parseIR(text(name)), (m: Module) => {
      const formula = flopFormulas(m, DEFAULT_WEIGHTS, [fn]).get(fn)!;
      return evaluateFormula(formula, m.funcs.find((f) => f.name === fn)!, args as never);
    });
    const primal = best(2, () => undefined, () => interpret(module, fn, args as never));
    expect(analysis).toBeLessThan(primal);
    const formula = flopFormulas(module, DEFAULT_WEIGHTS, [fn]).get(fn)!;
    const value = evaluateFormula(formula, module.funcs.find((f) => f.name === fn)!, args as never);
    expect(value.total).toBe(countRun(module, fn, args as never, DEFAULT_WEIGHTS).total);
  });
});
