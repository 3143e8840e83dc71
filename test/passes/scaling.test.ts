// Large shapes (test/passes/shapes.ts) through `simplify,cse,dce`: the
// result is verified, computes the same as the input in the interpreter, and
// has the expected structure (a chain collapses to one block, loops survive).
// Correctness only, at sizes that keep the suite fast; the bench measures
// time (see shapes.ts).

import { describe, expect, it } from "vitest";
import { computeLoops } from "../../ir/cfg.js";
import type { Module } from "../../ir/types.js";
import { runPipeline } from "../../passes/pipeline.js";
import { outcome, sameOutcome, showOutcome } from "./equiv.js";
import { chainShape, deepDomTreeShape, nestedLoopsShape, SHAPES, straightLineShape } from "../../bench/shapes.js";

const instCount = (m: Module): number => m.funcs[0]!.blocks.reduce((s, b) => s + b.insts.length, 0);

function expectSame(before: Module, after: Module, inputs: readonly [number, number][]): void {
  for (const args of inputs) {
    const want = outcome(before, "f", args);
    const got = outcome(after, "f", args);
    expect(sameOutcome(got, want), `f(${args}): want ${showOutcome(want)}, got ${showOutcome(got)}`).toBe(true);
  }
}

describe("scaling shapes through simplify,cse,dce", () => {
  it("a 2,000-block chain collapses into one block", () => {
    const m = chainShape(2000);
    const out = runPipeline(m, "simplify,cse,dce");
    expect(out.funcs[0]!.blocks.length).toBe(1);
    expect(instCount(out)).toBeLessThan(instCount(m) / 3);
    expectSame(m, out, [[0.5, 1], [-2, 3]]);
  });

  it("a dominator tree 1,000 deep keeps its branches and shares x*x down the tree", () => {
    const m = deepDomTreeShape(1000);
    const out = runPipeline(m, "simplify,cse,dce");
    expect(out.funcs[0]!.blocks.length).toBe(1000);
    expect(out.funcs[0]!.blocks.flatMap((b) => b.insts).filter((i) => i.op === "mul")).toHaveLength(1);
    expectSame(m, out, [[0.5, 1e9], [0.5, 10], [NaN, 1]]);
  });

  it("50 nested loops stay 50 nested loops", () => {
    const m = nestedLoopsShape(50);
    const out = runPipeline(m, "simplify,cse,dce");
    const loops = computeLoops(out.funcs[0]!).loops;
    expect(loops).toHaveLength(50);
    expect(Math.max(...loops.map((l) => l.depth))).toBe(50);
    expectSame(m, out, [[0.5, 1], [2, 0]]);
  });

  it("20,000 straight-line instructions shrink to the live ones", () => {
    const m = straightLineShape(20_000);
    const out = runPipeline(m, "simplify,cse,dce");
    expect(instCount(out)).toBeLessThan(instCount(m) / 2);
    expectSame(m, out, [[0.25, 0], [-0, 0]]);
  });

  it("a 10,000-block chain and 100,000 instructions go through without recursion limits", () => {
    for (const m of [chainShape(10_000), straightLineShape(100_000)]) {
      const out = runPipeline(m, "simplify,cse,dce", { verifyEach: false });
      expect(out.funcs[0]!.blocks.length).toBe(1);
      expectSame(m, out, [[0.5, 1]]);
    }
  });

  it("every shape is registered by name", () => {
    expect(Object.keys(SHAPES).sort()).toEqual(["chain", "deep-dom-tree", "nested-loops", "straight-line"]);
  });
});
