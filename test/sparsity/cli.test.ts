// `deriv sparsity` (JSON on stdout, warnings on stderr, --svg spy plot,
// usage errors) and the `sparsity` analysis pass in a pipeline.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { UsageError } from "../../cli/args.js";
import { runSparsity, spySvg } from "../../cli/commands/sparsity.js";
import { parseTS } from "../../frontend/index.js";
import { runPipeline } from "../../passes/pipeline.js";
import { getPass, registerPass } from "../../passes/registry.js";
import { sparsity as sparsityPass } from "../../passes/sparsity.js";
import { unionBranch } from "./models.js";

const dir = mkdtempSync(join(tmpdir(), "deriv-sparsity-"));
const file = join(dir, "branch.ts");
writeFileSync(file, unionBranch.src);

/** Runs the command, returning its exit code and what it wrote. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
  const code = await runSparsity(argv);
  return { code, out, err };
}

afterEach(() => vi.restoreAllMocks());

describe("deriv sparsity", () => {
  const at = JSON.stringify([[0.5, -1, 2, -3]]);

  it("prints the global pattern as JSON", async () => {
    const { code, out } = await run([file, "--fn", "f", "--at", at]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      rows: 4,
      cols: 4,
      nnz: 6,
      pattern: [
        [1, 0],
        [1, 1],
        [1, 2],
        [2, 1],
        [2, 2],
        [2, 3],
      ],
    });
  });

  it("follows the taken branches with --mode local", async () => {
    const { out } = await run([file, "--fn", "f", "--at", at, "--mode", "local"]);
    expect(JSON.parse(out).pattern).toEqual([
      [1, 0],
      [2, 2],
      [2, 3],
    ]);
  });

  it("prints Hessian patterns and writes a spy plot", async () => {
    const src = join(dir, "ros.ts");
    writeFileSync(src, `function f(x: number[]): number { let s = 0; for (let i = 0; i + 1 < x.length; i++) s += (x[i + 1] - x[i] * x[i]) ** 2; return s; }`);
    const svg = join(dir, "spy.svg");
    const { out } = await run([src, "--fn", "f", "--at", "[[1, 2, 3]]", "--hessian", "--svg", svg]);
    expect(JSON.parse(out).nnz).toBe(7);
    const text = readFileSync(svg, "utf8");
    expect(text.startsWith("<svg")).toBe(true);
    expect(text.match(/<rect x="\d+"/g)).toHaveLength(7);
  });

  it("reports warnings on stderr", async () => {
    const src = join(dir, "index.ts");
    writeFileSync(src, `function f(x: number[]): number { return x[Math.floor(Math.abs(x[0])) % x.length]; }`);
    const { code, err } = await run([src, "--fn", "f", "--at", "[[1, 2, 3]]"]);
    expect(code).toBe(0);
    expect(err).toMatch(/warning: .*widened to every element/);
  });

  it("rejects bad usage", async () => {
    await expect(run([file, "--at", at])).rejects.toThrow(UsageError);
    await expect(run([file, "--fn", "f"])).rejects.toThrow(UsageError);
    await expect(run([file, "--fn", "f", "--at", at, "--mode", "both"])).rejects.toThrow(/global or local/);
  });
});

describe("spy plots", () => {
  it("bin patterns larger than the plot", () => {
    const pattern: [number, number][] = Array.from({ length: 2000 }, (_, i) => [i, i]);
    const svg = spySvg({ rows: 2000, cols: 2000, nnz: 2000, pattern, warnings: [] });
    expect(svg.match(/<rect x="\d+"/g)!.length).toBeLessThanOrEqual(600);
    expect(svg).toContain("2000 x 2000, 2000 nonzeros");
  });
});

describe("the sparsity pass", () => {
  it("prints the pattern for the given array sizes and leaves the module unchanged", () => {
    if (!getPass("sparsity")) registerPass(sparsityPass);
    const module = parseTS(unionBranch.src);
    const lines: string[] = [];
    const out = runPipeline(module, "sparsity{fn=f sizes=4}", { out: (t) => lines.push(t) });
    expect(out).toBe(module);
    expect(lines).toEqual(["sparsity @f: 4x4, nnz 6", "  0: ", "  1: 0 1 2", "  2: 1 2 3", "  3: "]);
  });

  it("checks its options", () => {
    if (!getPass("sparsity")) registerPass(sparsityPass);
    const module = parseTS(unionBranch.src);
    expect(() => runPipeline(module, "sparsity{fn=f}")).toThrow(/1 array parameter/);
    expect(() => runPipeline(module, "sparsity{fn=g sizes=4}")).toThrow(/no function @g/);
  });
});
