// The interval-range example pass (examples/interval, docs/writing-a-pass.md)
// through the public API: golden reports of the fixtures in
// test/examples/interval/ (each starts with `// RUN: <pipeline>` and a line
// saying what it checks; `npx vitest run test/examples -u` rewrites the .out
// files, and a reviewer reads the diff), run with verify-each; findings as
// statistics; option errors; soundness of every transfer rule on random
// intervals, and of the whole analysis (reachability, returned values) on
// random programs against the reference interpreter.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeIntervals } from "../../examples/interval/interval-range.js";
import { contains, format, type Interval, iv, TRANSFER } from "../../examples/interval/intervals.js";
import { type Module, OPCODES, OPS, type Opcode, parseIR, parseTS, PipelineError, runPipeline } from "../../index.js";
import type { RtValue } from "../../ir/eval.js";
import { EVAL } from "../../ir/eval.js";
import { interpret } from "../../ir/interpreter.js";
import type { Inst } from "../../ir/types.js";
import { AnalysisCache } from "../../passes/analysis.js";
import { arbModuleWithInputs } from "../gen/ir-gen.js";

const DIR = new URL("interval/", import.meta.url).pathname;
const MODEL = "examples/interval/model.ts";
/** The pipeline the guide runs on the example model. */
const MODEL_PIPELINE = "interval-range{fn=f ranges=x:0:1,y:-1:1},interval-range{fn=harmonic ranges=n:0:inf}";

/** Runs `spec` with verify-each; returns the printed report, the summed statistics and the output module. */
function analyze(module: Module, spec: string): { report: string; stats: Record<string, number>; out: Module } {
  const lines: string[] = [];
  const stats: Record<string, number> = {};
  const out = runPipeline(module, spec, {
    verifyEach: true,
    out: (text) => lines.push(text.endsWith("\n") ? text : text + "\n"),
    onPass: (e) => Object.entries(e.stats).forEach(([k, n]) => (stats[k] = (stats[k] ?? 0) + n)),
  });
  return { report: lines.join(""), stats, out };
}

/** Parses a .ts or .ir file; locations name it `file`. */
function load(path: string, file = path): Module {
  const text = readFileSync(path, "utf8");
  return path.endsWith(".ir") ? parseIR(text, { file }) : parseTS(text, { file });
}

const LOG = "possible log of a negative number";
const DIV = "possible division by zero";

describe("golden reports", () => {
  const cases = readdirSync(DIR).filter((f) => /\.(ts|ir)$/.test(f)).sort();
  it.each(cases)("%s", async (file) => {
    const path = join(DIR, file);
    const [run, what] = readFileSync(path, "utf8").split("\n");
    const spec = /^\/\/ RUN: (.+)$/.exec(run ?? "")?.[1];
    expect(spec && /^\/\/ \S/.test(what ?? ""), `${file} starts with '// RUN: <pipeline>' and a '// <what it checks>' line`).toBeTruthy();
    const input = load(path, `test/examples/interval/${file}`);
    const { report, out } = analyze(input, spec!);
    expect(out, "an analysis returns its input module").toBe(input);
    await expect(`${run}\n${what}\n${report}`).toMatchFileSnapshot(path.replace(/\.(ts|ir)$/, ".out"));
  });

  it("the example model, as the guide runs it", async () => {
    const { report } = analyze(load(MODEL), MODEL_PIPELINE);
    await expect(report).toMatchFileSnapshot(join(DIR, "model.out"));
  });
});

describe("findings", () => {
  it("flags the possibly negative log and the possible division by zero of the model, with their locations", () => {
    const { report, stats } = analyze(load(MODEL), "interval-range{fn=f ranges=x:0:1,y:-1:1}");
    expect(stats).toEqual({ [LOG]: 1, [DIV]: 1 });
    expect(report).toContain(`warning: ${LOG} at ${MODEL}:7:17 (argument in [-0.5, 0.5])`);
    expect(report).toContain(`warning: ${DIV} at ${MODEL}:8:36 (divisor in [-1, 2])`);
  });

  it("proves the model safe where its parameters make it so", () => {
    // x in [0.6, 1] keeps x - 0.5 positive; y in [-1, 0.5] keeps x - y away from zero.
    expect(analyze(load(MODEL), "interval-range{fn=f ranges=x:0.6:1,y:-1:0.5}").stats).toEqual({});
  });

  it("does not flag safe code for any input, and flags the same code made unsafe", () => {
    const safe = parseTS("function g(x: number, y: number): number { return Math.log(1 + x * x) + y / (2 + Math.sin(x)); }");
    expect(analyze(safe, "interval-range{fn=g}").stats).toEqual({});
    const unsafe = parseTS("function g(x: number, y: number): number { return Math.log(1 + x * y) + y / (1 + Math.sin(x)); }");
    expect(analyze(unsafe, "interval-range{fn=g}").stats).toEqual({ [LOG]: 1, [DIV]: 1 });
  });

  it("reaches a fixpoint on loops whose values grow forever, by widening", () => {
    const src = "function h(n: number): number { let x = 1; let k = 0; while (k < n) { x = x * 1.5 + 0.5; k = k + 1; } return Math.log(x) / x; }";
    const { report, stats } = analyze(parseTS(src), "interval-range{fn=h ranges=n:0:inf}");
    expect(stats).toEqual({});
    expect(report).toContain("^loop(%k_1: i32, %x_1: f64):  // [0, inf] [1, inf]");
  });
});

describe("options", () => {
  const model = load(MODEL);
  it.each([
    ["interval-range{fn=nope}", "no function @nope"],
    ["interval-range{fn=f ranges=z:0:1}", "@f has no parameter 'z' (parameters: x, y)"],
    ["interval-range{fn=f ranges=x:1:0}", "range 'x:1:0' is not NAME:LO:HI with LO <= HI"],
    ["interval-range{fn=f ranges=x:0}", "range 'x:0' is not NAME:LO:HI"],
    ["interval-range{fn=f ranges=x:a:1}", "range 'x:a:1' is not NAME:LO:HI"],
    ["interval-range{ranges=x:0:1}", "needs option fn=<string>"],
  ])("%s is E_PIPELINE_OPTION", (spec, message) => {
    const err = (() => {
      try {
        analyze(model, spec);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(PipelineError);
    expect((err as PipelineError).code).toBe("E_PIPELINE_OPTION");
    expect((err as PipelineError).message).toContain(message);
  });

  it("takes a parameter by index, and inf bounds", () => {
    expect(analyze(model, "interval-range{fn=f ranges=0:-inf:-1,1:2:inf}").report).toContain("^entry:  // [-inf, -1] [2, inf]");
  });
});

/** Ops whose operands and result are numbers or booleans: the ones a random interval can test. */
const SCALAR_OPS = OPCODES.filter((op) => {
  const d = OPS[op];
  return op !== "const" && d.params !== "variadic" && d.params.length > 0 && d.results.length === 1 && [...d.params, ...d.results].every((t) => ["f64", "i32", "T", "bool"].includes(t));
});

/** An interval of the kind `t` and a point inside it: three numbers sorted, the middle one the point. */
function arbIntervalPoint(t: string): fc.Arbitrary<{ interval: Interval; point: number }> {
  if (t === "bool") return fc.constantFrom([0, 0, 0], [1, 1, 1], [0, 0, 1], [0, 1, 1]).map(([lo, p, hi]) => ({ interval: iv(lo!, hi!), point: p! }));
  const num = fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.integer({ min: -3, max: 3 }), fc.constantFrom(0, -0, Infinity, -Infinity, 1e300, -1e300));
  return fc.tuple(num, num, num).map((xs) => {
    const [lo, p, hi] = xs.sort((a, b) => a - b);
    return { interval: iv(lo!, hi!), point: p! };
  });
}

describe("soundness", () => {
  it("every transfer rule contains the op's result for any operands inside its operand intervals", () => {
    for (const op of SCALAR_OPS) {
      const params = OPS[op].params as readonly string[];
      for (const square of op === "mul" ? [false, true] : [false]) {
        fc.assert(
          fc.property(fc.tuple(...params.map(arbIntervalPoint)), (operands) => {
            const used = square ? [operands[0]!, operands[0]!] : operands;
            const inst: Inst = { op: op as Opcode, args: square ? [0, 0] : used.map((_, k) => k), results: [used.length] };
            let result: RtValue | undefined;
            try {
              result = EVAL[op](used.map((o, k) => (params[k] === "bool" ? o.point === 1 : o.point)), inst, undefined!) as RtValue;
            } catch {
              return; // a checked conversion of a non-integer: a runtime error, no value
            }
            const value = typeof result === "boolean" ? Number(result) : (result as number);
            const interval = TRANSFER[op](used.map((o) => o.interval), inst);
            if (!Number.isNaN(value)) expect(contains(interval, value), `${op}${square ? " (square)" : ""}(${used.map((o) => `${o.point} in ${format(o.interval)}`).join(", ")}) = ${value} not in ${format(interval)}`).toBe(true);
          }),
          { numRuns: 300, seed: 7 },
        );
      }
    }
  });

  // NaN is outside the domain (intervals bound the non-NaN values), so the
  // programs use only ops that never turn non-NaN operands into NaN.
  const nanFree = { arrays: false, stacks: false, unaryOps: ["neg", "abs", "sign", "floor", "ceil", "round", "exp", "expm1", "cbrt", "atan", "sinh", "cosh", "tanh"], binaryOps: ["add", "sub", "min", "max", "hypot", "atan2"] } as const;

  it("on random programs, every block the interpreter enters is reached and every result lies in its interval", () => {
    fc.assert(
      fc.property(arbModuleWithInputs(nanFree), ({ module, fn, args }) => {
        const func = module.funcs.find((f) => f.name === fn)!;
        const params = args.map((a) => (typeof a === "number" ? iv(a, a) : iv(-Infinity, Infinity)));
        const { intervals, reached } = analyzeIntervals(func, params, new AnalysisCache());
        const entered = new Set<number>();
        const results = interpret(module, fn, args, { onBlock: (f, b) => f.name === fn && entered.add(b) });
        for (const b of entered) expect(reached[b], `block ${b} of @${fn} is entered but not reached`).toBe(1);
        func.blocks.forEach((block, b) => {
          if (block.term.kind !== "ret" || !entered.has(b)) return;
          block.term.values.forEach((v, k) => {
            const r = results[k];
            if (typeof r === "number" && !Number.isNaN(r)) expect(contains(intervals[v]!, r), `result ${k} = ${r} not in ${format(intervals[v]!)}`).toBe(true);
          });
        });
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
