// Golden fixtures of the AD passes: every test/ad/golden/<case>.ir starts
// with `// RUN: <pipeline>`, a comment saying what it checks and optionally
// `// INACTIVE: a, b` (values that must get no tangent). The printed result
// is compared with <case>.out.ir (vitest file snapshots; `npx vitest run
// test/ad -u` rewrites them and a reviewer reads the diff). Structural checks
// on every added function: it verifies, no add/sub/mul/div/neg takes a
// `const 0.0` operand (zero tangents and adjoints stay symbolic), and no value
// listed as inactive has a tangent (`%d<name>`). The loop fixtures with trip
// counts 3 and 1,000 must give vjps of the same size that contain a loop, and
// their tape is measured: peak entries grow linearly in the trip count.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { computeLoops } from "../../ir/cfg.js";
import { parseIR } from "../../ir/parser.js";
import { printIR } from "../../ir/printer.js";
import type { Func, Module } from "../../ir/types.js";
import { findFunc } from "../../ir/types.js";
import { verify } from "../../ir/verifier.js";
import { runPipeline } from "../../passes/pipeline.js";
import { tapeSize } from "../../api/tape.js";
import type { RtValue } from "../../ir/eval.js";
import { measureTape } from "./tape.js";

const DIR = join(new URL(".", import.meta.url).pathname, "golden");
const ARITH = new Set(["add", "sub", "mul", "div", "neg"]);

interface Fixture {
  readonly file: string;
  readonly spec: string;
  readonly header: string;
  readonly inactive: readonly string[];
  readonly input: Module;
}

function readFixture(file: string): Fixture {
  const text = readFileSync(join(DIR, file), "utf8");
  const lines = text.split("\n");
  const run = /^\/\/ RUN: (.*)$/.exec(lines[0] ?? "");
  if (!run || !/^\/\/ \S/.test(lines[1] ?? "")) throw new Error(`${file}: must start with '// RUN: <pipeline>' and a '// <what it checks>' line`);
  const inactive = /^\/\/ INACTIVE: (.*)$/.exec(lines[2] ?? "");
  const headerLines = inactive ? 3 : 2;
  return {
    file,
    spec: run[1]!.trim(),
    header: lines.slice(0, headerLines).join("\n") + "\n",
    inactive: inactive ? inactive[1]!.split(",").map((s) => s.trim()) : [],
    input: parseIR(text, { file: `test/ad/golden/${file}` }),
  };
}

/** Arithmetic instructions of `func` with an operand defined by `const 0.0` / `const -0.0`. */
function arithmeticOnZero(func: Func): string[] {
  const zeros = new Set<number>();
  for (const b of func.blocks) for (const i of b.insts) if (i.op === "const" && i.value === 0 && func.values[i.results[0]!]!.type === "f64") zeros.add(i.results[0]!);
  return func.blocks.flatMap((b) => b.insts.filter((i) => ARITH.has(i.op) && i.args.some((a) => zeros.has(a))).map((i) => `${i.op} %${i.args.join(", %")}`));
}

const instCount = (func: Func): number => func.blocks.reduce((n, b) => n + b.insts.length + 1, 0);

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith(".ir") && !f.endsWith(".out.ir"))
  .sort()
  .map(readFixture);

describe("AD golden fixtures", () => {
  it("has fwd-ad and rev-ad cases", () => {
    expect(fixtures.filter((f) => f.spec.startsWith("fwd-ad")).length).toBeGreaterThanOrEqual(5);
    expect(fixtures.filter((f) => f.spec.startsWith("rev-ad")).length).toBeGreaterThanOrEqual(3);
  });

  it.each(fixtures.map((f) => [f.file, f] as const))("%s", async (_file, fx) => {
    const output = runPipeline(fx.input, fx.spec, { out: () => {} });
    await expect(fx.header + printIR(output)).toMatchFileSnapshot(join(DIR, fx.file.replace(/\.ir$/, ".out.ir")));
    verify(output);
    const added = output.funcs.filter((f) => !findFunc(fx.input, f.name));
    expect(added.length, "the pass adds functions").toBeGreaterThan(0);
    // A pipeline of the AD pass alone leaves the input functions as they were.
    if (!fx.spec.includes(",")) for (const f of fx.input.funcs) expect(findFunc(output, f.name), `@${f.name} is left intact`).toBe(f);
    // Symbolic zeros are the AD pass's own property: checked on its output
    // before clean-up (CSE may forward a cleared shadow element, `0.0`, into an add).
    const adOnly = runPipeline(fx.input, firstPass(fx.spec), { out: () => {} });
    for (const f of adOnly.funcs.filter((g) => !findFunc(fx.input, g.name))) expect(arithmeticOnZero(f), `@${f.name}: arithmetic on a zero constant`).toEqual([]);
    const [, pass, fn] = /^(fwd|rev)-ad\{fn=([^ }]+)/.exec(fx.spec)!;
    const root = findFunc(output, `${fn}.${pass === "fwd" ? "jvp" : "vjp"}`)!;
    const names = new Set(root.values.map((v) => v.name));
    for (const n of fx.inactive) {
      expect(names.has(n), `fixture names %${n}`).toBe(true);
      expect(names.has(`d${n}`), `@${root.name}: inactive %${n} has a tangent`).toBe(false);
    }
  });
});

/** The first pass of a pipeline text (commas inside `{...}` belong to options). */
function firstPass(spec: string): string {
  let depth = 0;
  for (let k = 0; k < spec.length; k++) {
    if (spec[k] === "{") depth++;
    else if (spec[k] === "}") depth--;
    else if (spec[k] === "," && depth === 0) return spec.slice(0, k);
  }
  return spec;
}

describe("reverse mode keeps loops as loops", () => {
  const vjpOf = (file: string): Module => {
    const fx = fixtures.find((f) => f.file === file)!;
    return runPipeline(fx.input, fx.spec, { out: () => {} });
  };
  const small = vjpOf("rev-loop-3.ir");
  const large = vjpOf("rev-loop-1000.ir");

  it("trip counts 3 and 1,000 give vjps of the same size, each with a loop", () => {
    const a = findFunc(small, "f.vjp")!;
    const b = findFunc(large, "f.vjp")!;
    expect(instCount(a)).toBe(instCount(b));
    for (const f of [a, b]) {
      const loops = computeLoops(f);
      expect(loops.loops.length, "loops in the vjp (forward sweep and reverse sweep)").toBeGreaterThanOrEqual(2);
      expect(loops.irreducible).toBe(false);
    }
  });

  it("the peak tape grows linearly in the trip count", () => {
    const fx = fixtures.find((f) => f.file === "rev-loop-3.ir")!;
    const withTrips = (n: number): Module => parseIR(printIR(fx.input).replace("%n: i32 = const 3", `%n: i32 = const ${n}`));
    const peaks = [3, 10, 1000].map((n) => {
      const m = n === 3 ? small : n === 1000 ? large : runPipeline(withTrips(n), fx.spec, { out: () => {} });
      return { n, ...measureTape(m, "f.vjp", [0.3, 1]) };
    });
    const [p3, p10, p1000] = peaks as [(typeof peaks)[0], (typeof peaks)[0], (typeof peaks)[0]];
    const perIteration = (p10.peakEntries - p3.peakEntries) / 7;
    const fixed = p3.peakEntries - 3 * perIteration;
    expect(Number.isInteger(perIteration) && perIteration >= 1).toBe(true);
    expect(p1000.peakEntries).toBe(perIteration * 1000 + fixed);
    const bytesPerIteration = (p10.peakBytes - p3.peakBytes) / 7;
    expect(p1000.peakBytes).toBe(bytesPerIteration * 1000 + (p3.peakBytes - 3 * bytesPerIteration));
    console.log(`tape of rev-loop: peak entries = ${perIteration}·N + ${fixed}, peak bytes = ${bytesPerIteration}·N + ${p3.peakBytes - 3 * bytesPerIteration} (N = 3: ${p3.peakEntries} entries / ${p3.peakBytes} B; N = 1000: ${p1000.peakEntries} entries / ${p1000.peakBytes} B)`);
  });

  it("the measured peak tape equals the formula `deriv flops --tape` reports", () => {
    const fx = fixtures.find((f) => f.file === "rev-loop-3.ir")!;
    const cases: { name: string; module: Module | string; fn: string; args: RtValue[] }[] = [
      ...[3, 10, 1000].map((n) => ({ name: `rev-loop N=${n}`, module: parseIR(printIR(fx.input).replace("%n: i32 = const 3", `%n: i32 = const ${n}`)), fn: "f", args: [0.3] })),
      {
        name: "nested loops with symbolic trip counts",
        fn: "g",
        module: `function g(x: number[], m: number): number {
          let s = 0;
          for (let i = 0; i < x.length; i++) {
            for (let j = 0; j < m; j++) s = Math.sin(s + x[i] * j);
            s = s * x[i] + Math.cos(s);
          }
          return s;
        }`,
        args: [Float64Array.of(0.5, -1, 2, 0.25), 3],
      },
      ...(["t2-lorenz.mts", "t3-logistic.mts"] as const).map((file) => {
        const src = readFileSync(join(DIR, "../../../bench/tasks", file), "utf8");
        const fn = /function (\w+)/.exec(src)![1]!;
        const args: RtValue[] = fn === "lorenz" ? [1, 1, 1, 10, 28, 8 / 3] : [Float64Array.from({ length: 30 }, (_, k) => Math.sin(0.37 * k + 0.1)), Float64Array.of(1, 0, 1, 1, 0, 0), Float64Array.of(0.1, -0.2, 0.3, 0.05, 0.2)];
        return { name: file, module: src, fn, args };
      }),
    ];
    // A branch that tapes different values on its two sides: bounds, which hold.
    const branchy = tapeSize(`function h(x: number[]): number { let s = 0; for (let i = 0; i < x.length; i++) { if (x[i] > 0) s = s * x[i]; else s = Math.sin(Math.exp(s) * x[i]) * s; } return s; }`, "h");
    expect(branchy.formula.bytes).toBeNull();
    for (const x of [Float64Array.of(1, 2, 3), Float64Array.of(-1, -2, -3), Float64Array.of(1, -2, 3, -4)]) {
      const measured = measureTape(branchy.module, "h.vjp", [x, 1]);
      const b = branchy.at([x]).bounds!;
      expect(b.bytes.lower <= measured.peakBytes && measured.peakBytes <= b.bytes.upper, `${measured.peakBytes} B in [${b.bytes.lower}, ${b.bytes.upper}]`).toBe(true);
    }
    for (const c of cases) {
      const tape = tapeSize(c.module, c.fn);
      expect(tape.formula.bytes, `${c.name}: a closed form`).not.toBeNull();
      const measured = measureTape(tape.module, `${c.fn}.vjp`, [...c.args, 1]);
      expect(tape.at(c.args), `${c.name}: formula ${tape.formula.bytes} bytes, ${tape.formula.entries} entries`).toEqual({ bytes: measured.peakBytes, entries: measured.peakEntries });
    }
  });
});
