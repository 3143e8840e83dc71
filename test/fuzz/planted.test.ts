// The fuzzer is strong enough to matter: bugs planted for the duration of
// one test (production code has no hooks for them) are caught by the CI
// batch (same seed, within its program count) and reported as a discrepancy:
// - a wrong reverse-mode rule (VJP.mul replaced by add's rule),
// - a wrong forward-mode rule (JVP.sin replaced by sinh's rule),
// - a parallel copy sequentialised naively in the JS backend (the block
//   arguments of an edge assigned one after the other, which breaks loops
//   that swap or rotate values).
// Rule tables are plain exported objects, patched and restored in `finally`;
// the backend's parallel-copy module is mocked for this file with a switch
// that is off except inside its test.

import { describe, expect, it, vi } from "vitest";
import type { Move } from "../../backend/parallel-copy.js";
import { JVP } from "../../passes/rules/jvp.js";
import { VJP } from "../../passes/rules/vjp.js";
import type { FuzzKind } from "./cases.js";
import { CI_BATCH, runBatch } from "./engine.js";

const planted = vi.hoisted(() => ({ naiveCopy: false }));

vi.mock("../../backend/parallel-copy.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../backend/parallel-copy.js")>();
  /** `dests[i] = srcs[i]` in order: wrong once a move reads an earlier destination. */
  const naive = (dests: readonly string[], srcs: readonly string[]): Move[] => dests.flatMap((dest, i) => (dest === srcs[i] ? [] : [{ dest, src: srcs[i]! }]));
  return { ...real, sequentialize: (dests: readonly string[], srcs: readonly string[], temp: (k: number) => string) => (planted.naiveCopy ? naive(dests, srcs) : real.sequentialize(dests, srcs, temp)) };
});

/** Runs the CI batch of `kind` with the bug planted by `plant` (undone by the
 * function it returns); returns the error of the first failing case. */
function catchPlanted(kind: FuzzKind, plant: () => () => void): string {
  const undo = plant();
  let result;
  try {
    result = runBatch({ kind, runs: CI_BATCH.runs, seed: CI_BATCH.seed, noShrink: true });
  } finally {
    undo();
  }
  expect(result.failure, "the planted bug went unnoticed").toBeDefined();
  console.log(`planted bug caught at ${kind} case ${result.failure!.at} of ${CI_BATCH.runs}: ${result.failure!.error.split("\n")[0]}`);
  return result.failure!.error;
}

/** Replaces `table[key]` by `value` until the returned function is called. */
function patch<T extends object, K extends keyof T>(table: T, key: K, value: T[K]): () => void {
  const saved = table[key];
  table[key] = value;
  return () => void (table[key] = saved);
}

describe("planted bugs are caught by the CI batch", () => {
  it("a wrong VJP rule (mul differentiated like add), on IR and TypeScript programs", () => {
    for (const kind of ["ir", "ts"] as const) expect(catchPlanted(kind, () => patch(VJP, "mul", VJP.add))).toMatch(/dot-product|central differences/);
    expect(VJP.mul).not.toBe(VJP.add);
  });

  it("a wrong JVP rule (sin differentiated like sinh)", () => {
    expect(catchPlanted("ir", () => patch(JVP, "sin", JVP.sinh))).toMatch(/dot-product|central differences/);
    expect(JVP.sin).not.toBe(JVP.sinh);
  });

  it("a naive sequential parallel copy in the backend", () => {
    const error = catchPlanted("ir", () => {
      planted.naiveCopy = true;
      return () => void (planted.naiveCopy = false);
    });
    expect(error).toMatch(/compiled .* but interpreter/);
  });

  it("passes the CI batch prefix again once the bugs are removed", () => {
    expect(runBatch({ kind: "ir", runs: 50, seed: CI_BATCH.seed, noShrink: true }).failure).toBeUndefined();
  });
});
