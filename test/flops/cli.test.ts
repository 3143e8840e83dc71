// `deriv flops`: JSON on stdout with exact counts at --at, the closed form
// without it, block counts, weights, the ratio between two functions (the
// cheap-gradient ratio of f.vjp to f through --passes), usage errors.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { UsageError } from "../../cli/args.js";
import { runFlops } from "../../cli/commands/flops.js";

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}.ir`, import.meta.url));

/** Runs the command and parses what it printed. */
async function flopsJSON(...argv: string[]): Promise<Record<string, any>> {
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    expect(await runFlops(argv)).toBe(0);
  } finally {
    spy.mockRestore();
  }
  return JSON.parse(out) as Record<string, any>;
}

afterEach(() => vi.restoreAllMocks());

describe("deriv flops", () => {
  it("counts a run at --at and reports the closed form and that it applies", async () => {
    const r = await flopsJSON(fixture("counted-loop"), "--fn", "f", "--at", "[1, 10]");
    expect(r["total"]).toBe(31);
    expect(r["byClass"]).toEqual({ add: 10, mul: 0, div: 0, sqrt: 0, transcendental: 10, compare: 11, memory: 0, call: 0, int: 10 });
    expect(r["formula"]).toMatchObject({ total: "3*ceil(n) + 1", assumes: ["ceil(n) >= 0"], applies: true });
    expect(r["byBlock"]).toBeUndefined();
  });

  it("--tape reports reverse mode's tape as a formula in the trip count, and its size at --at", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "deriv-tape-")), "power.ts");
    writeFileSync(file, "function power(x: number, n: number): number {\n  let y = 1;\n  for (let i = 0; i < n; i++) y = Math.sin(y * x);\n  return y;\n}\n");
    const r = await flopsJSON(file, "--fn", "power", "--tape", "--at", "[0.5, 10]");
    // Per iteration one f64, y (y*x, the argument of sin, is recomputed from it); the loop itself tapes nothing.
    expect(r["tape"]).toEqual({ bytes: "8*ceil(n)", entries: "ceil(n)", assumes: ["ceil(n) >= 0"], at: { bytes: 80, entries: 10 } });
    // A parameter read inside the loop is never taped.
    expect((await flopsJSON(fixture("counted-loop"), "--fn", "f", "--tape"))["tape"]).toMatchObject({ bytes: "0", entries: "0" });
    await expect(flopsJSON(fixture("counted-loop"), "--fn", "f", "--tape", "--vs", "f")).rejects.toThrow(UsageError);
  });

  it("prints the closed form alone without --at", async () => {
    const r = await flopsJSON(fixture("nested-rect"), "--fn", "grid");
    expect(r["total"]).toBe("3*ceil(m)*ceil(n) + 2*ceil(n) + 1");
    expect(r["byClass"]["mul"]).toBe("ceil(m)*ceil(n)");
    expect(r["formula"]["applies"]).toBeUndefined();
  });

  it("says why there is no closed form", async () => {
    const r = await flopsJSON(fixture("branch-unequal"), "--fn", "clip");
    expect(r["total"]).toBeNull();
    expect(r["formula"]["why"].join("\n")).toContain("paths cost differently in total");
  });

  it("reports block counts with --by-block", async () => {
    const r = await flopsJSON(fixture("counted-loop"), "--fn", "f", "--at", "[1, 10]", "--by-block");
    expect(r["byBlock"]["@f^body"]).toEqual({ runs: 10, total: 20 });
    expect(r["byBlock"]["@f^loop"]).toEqual({ runs: 11, total: 11 });
  });

  it("applies --weights to the run and to the formula", async () => {
    const r = await flopsJSON(fixture("counted-loop"), "--fn", "f", "--at", "[1, 10]", "--weights", "transcendental:20,int:1");
    expect(r["total"]).toBe(10 + 10 * 20 + 11 + 10);
    expect(r["formula"]["total"]).toBe("23*ceil(n) + 1");
  });

  it("compares two functions and gives the ratio of their totals", async () => {
    const r = await flopsJSON(fixture("calls"), "--fn", "g", "--vs", "f", "--at", "[1.5, 4]");
    expect(r["fn"]).toMatchObject({ name: "g", total: 9 });
    expect(r["vs"]).toMatchObject({ name: "f", total: 25 });
    expect(r["ratio"]).toBe(25 / 9);
  });

  it("gives the cheap-gradient ratio of f.vjp to f through --passes", async () => {
    const r = await flopsJSON(fixture("sumsq"), "--fn", "sumsq", "--vs", "sumsq.vjp", "--passes", "rev-ad{fn=sumsq}", "--at", "[[1, 2, 3, 4, 5, 6, 7, 8]]");
    expect(r["fn"]["total"]).toBe(16);
    // The seed ybar defaulted to 1; the gradient costs a small constant factor more.
    expect(r["ratio"]).toBeGreaterThan(1);
    expect(r["ratio"]).toBeLessThanOrEqual(4);
    expect(r["vs"]["formula"]["total"]).toMatch(/trip\(@"sumsq\.vjp"\^/);
  });

  it("rejects bad usage", async () => {
    await expect(runFlops([fixture("sumsq")])).rejects.toThrow(UsageError);
    await expect(runFlops([fixture("sumsq"), "--fn", "nope"])).rejects.toThrow(/no function @nope/);
    await expect(runFlops([fixture("sumsq"), "--fn", "sumsq", "--by-block"])).rejects.toThrow(/--by-block needs --at/);
    await expect(runFlops([fixture("sumsq"), "--fn", "sumsq", "--weights", "flop:2"])).rejects.toThrow(/unknown cost class 'flop'/);
    await expect(runFlops([fixture("array-calls"), "--fn", "norm", "--vs", "dist", "--at", "[[1]]"])).rejects.toThrow(/--vs-at JSON is needed/);
  });
});
