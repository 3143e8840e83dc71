// The cost model and its surfaces: f64 arithmetic is charged to float
// classes and i32 index arithmetic to `int`; weights parse, validate and
// change both counts and closed forms (a branch whose arms cost the same
// under one weighting may not under another); `--annotate flops` comments;
// the `flops` analysis pass in a pipeline.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PipelineError } from "../../ir/errors.js";
import { parseIR } from "../../ir/parser.js";
import { printIR } from "../../ir/printer.js";
import { DEFAULT_WEIGHTS, flopAnnotator, flopBlockAnnotator, instClass, parseWeights, type Weights } from "../../passes/flops-cost.js";
import { countRun } from "../../passes/flops-dynamic.js";
import { flopFormulas, flops, formulaText } from "../../passes/flops.js";
import { runPipeline } from "../../passes/pipeline.js";
import { getPass, registerPass } from "../../passes/registry.js";

const fixture = (name: string) => parseIR(readFileSync(new URL(`./fixtures/${name}.ir`, import.meta.url), "utf8"));

const mixed = parseIR(`
func @m(%x: f64, %n: i32) -> f64 {
^entry:
  %a: f64 = add %x, %x
  %b: i32 = add %n, %n
  %c: bool = lt %x, %x
  %d: bool = lt %n, %n
  %e: i32 = max %n, %n
  %f: f64 = min %x, %x
  %g: f64 = hypot %x, %x
  %h: f64 = pow %x, %x
  %i: i32 = rem %n, %n
  %j: f64 = neg %x
  ret %a
}
`);

describe("classes", () => {
  it("charge f64 arithmetic to float classes and i32 arithmetic to int", () => {
    const func = mixed.funcs[0]!;
    expect(func.blocks[0]!.insts.map((inst) => instClass(func, inst) ?? "-")).toEqual(["add", "int", "compare", "int", "int", "compare", "sqrt", "transcendental", "int", "-"]);
  });

  it("annotate instructions and blocks for `deriv dump --annotate flops`", () => {
    const module = fixture("sumsq");
    const out = printIR(module, { annotateInst: flopAnnotator(module), annotateBlock: flopBlockAnnotator(module) });
    expect(out).toContain("%sq: f64 = mul %x, %x  // flops=1 (mul)");
    expect(out).toContain("%i1: i32 = add %i, %one  // flops=0 (int)");
    expect(out).toContain("%x: f64 = array.get %xs, %i  // flops=0 (memory)");
    expect(out).toContain("%zero: i32 = const 0\n");
    expect(out).toContain("^body:  // flops=2 per run (add=1 mul=1 memory=1 int=1)");
    const weighted = printIR(module, { annotateInst: flopAnnotator(module, { ...DEFAULT_WEIGHTS, mul: 3 }) });
    expect(weighted).toContain("mul %x, %x  // flops=3 (mul)");
  });
});

describe("weights", () => {
  it("parse as class:weight over the defaults and reject the rest", () => {
    expect(parseWeights(["div:4", "transcendental=20"])).toEqual({ weights: { ...DEFAULT_WEIGHTS, div: 4, transcendental: 20 } });
    expect(parseWeights(["flop:1"])).toEqual({ error: expect.stringContaining("unknown cost class 'flop'") });
    expect(parseWeights(["div:-1"])).toEqual({ error: expect.stringContaining("finite number >= 0") });
    expect(parseWeights(["div"])).toEqual({ error: expect.stringContaining("expected class:number") });
  });

  it("weigh the run's total and the closed form alike", () => {
    const module = fixture("counted-loop");
    const w: Weights = { ...DEFAULT_WEIGHTS, transcendental: 20, compare: 0.5, int: 1 };
    expect(countRun(module, "f", [1, 10], w).total).toBe(10 + 200 + 5.5 + 10);
    expect(formulaText(flopFormulas(module, w).get("f")!).total).toBe("45/2*ceil(n) + 1/2");
  });

  it("decide which branches balance: mul and add arms cost the same only if they weigh the same", () => {
    const module = fixture("branch-equal");
    expect(flopFormulas(module).get("alt")!.total).not.toBeNull();
    const f = formulaText(flopFormulas(module, { ...DEFAULT_WEIGHTS, mul: 2 }).get("alt")!);
    expect(f.total).toBeNull();
    expect(f.why.join("\n")).toContain("@alt^join entry: paths cost differently in total (3 vs 4)");
  });
});

describe("the flops pass", () => {
  if (!getPass("flops")) registerPass(flops);

  it("prints closed forms and returns its input unchanged", () => {
    const module = fixture("calls");
    const lines: string[] = [];
    const out = runPipeline(module, "flops{fn=f}", { out: (t) => lines.push(t) });
    expect(out).toBe(module);
    expect(lines.join("\n")).toBe(
      [
        "flops @f: total = ceil(n)^2 + 2*ceil(n) + 1",
        "  add = ceil(n), mul = 1/2*ceil(n)^2 - 1/2*ceil(n), compare = 1/2*ceil(n)^2 + 3/2*ceil(n) + 1, call = ceil(n), int = 1/2*ceil(n)^2 + 1/2*ceil(n)",
        "  assuming ceil(n) >= 0",
      ].join("\n"),
    );
  });

  it("reports every function with notes on what stays symbolic", () => {
    const lines: string[] = [];
    runPipeline(fixture("early-exit"), "flops{weights=memory:1}", { out: (t) => lines.push(t) });
    const text = lines.join("\n");
    expect(text).toContain("flops @find: total = between 2*trip(@find^loop) and 2*trip(@find^loop) + 2");
    expect(text).toContain("int = 2*trip(@find^loop) + 1");
    expect(text).toContain("note: trip count left symbolic: @find^loop: the loop is left from a block other than its header");
  });

  it("rejects unknown functions and malformed weights with a PipelineError", () => {
    expect(() => runPipeline(fixture("sumsq"), "flops{fn=nope}")).toThrow(PipelineError);
    expect(() => runPipeline(fixture("sumsq"), "flops{fn=nope}")).toThrow(/no function @nope \(functions: @sumsq\)/);
    expect(() => runPipeline(fixture("sumsq"), "flops{weights=div:x}")).toThrow(/weight of div must be a finite number/);
  });
});
