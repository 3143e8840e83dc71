// The flop-count fixtures: every `// flops:` count written by hand in a
// fixture header must equal both an independent counter (below: the test's
// own walk over the instructions of every block the interpreter enters) and
// the analysis's dynamic count; every closed form must print as written and
// equal the dynamic count at each of its sizes; loops of N iterations must
// cost exactly linearly in N; bounds must contain the count. Symbolic trip
// counts are checked by valuing them with the back edges the run took. See
// directives.ts for the syntax.

import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { computeLoops } from "../../ir/cfg.js";
import { interpret } from "../../ir/interpreter.js";
import { OPS } from "../../ir/ops.js";
import { parseIR } from "../../ir/parser.js";
import { blockNames } from "../../ir/printer.js";
import type { Func, Module } from "../../ir/types.js";
import { findFunc } from "../../ir/types.js";
import { verify } from "../../ir/verifier.js";
import { COST_CLASSES, type CostClass, DEFAULT_WEIGHTS } from "../../passes/flops-cost.js";
import { countRun } from "../../passes/flops-dynamic.js";
import { isAccumulator, type Poly, polyConstValue, polyMentions, rat } from "../../passes/flops-poly.js";
import { evaluateFormula, flopFormulas, formulaText, type FlopFormula, type FormulaValue } from "../../passes/flops.js";
import { buildArgs, parseDirectives, type FixtureArg } from "./directives.js";

const DIR = new URL("./fixtures/", import.meta.url);
const FILES = readdirSync(DIR).filter((f) => f.endsWith(".ir")).sort();
const FLOAT_CLASSES = ["add", "mul", "div", "sqrt", "transcendental", "compare"];

/** Every extern returns the sum of its arguments. */
function externsOf(module: Module): Record<string, (...a: number[]) => number> {
  return Object.fromEntries(module.externs.map((e) => [e.name, (...a: number[]) => a.reduce((s, x) => s + x, 0)]));
}

/** The test's own counter: classes from the op table's flop field, i32
 * operands of arithmetic charged to `int`; plus back edges taken per loop. */
function independentCount(module: Module, fn: string, args: FixtureArg[]) {
  const counts: Record<string, number> = Object.fromEntries(COST_CLASSES.map((c) => [c, 0]));
  const backEdges = new Map<string, number>();
  const prev = new Map<Func, number>();
  const loopsOf = new Map<Func, ReturnType<typeof computeLoops>>();
  interpret(module, fn, args, {
    externs: externsOf(module),
    onBlock: (func, block) => {
      for (const inst of func.blocks[block]!.insts) {
        const flop = OPS[inst.op].flop;
        if (flop === "none") continue;
        const intOperands = ["add", "mul", "div", "compare"].includes(flop) && func.values[inst.args[0]!]!.type === "i32";
        counts[intOperands ? "int" : flop]!++;
      }
      let loops = loopsOf.get(func);
      if (!loops) {
        loopsOf.set(func, (loops = computeLoops(func)));
        for (const loop of loops.loops) backEdges.set(`@${func.name}^${blockNames(func)[loop.header]}`, 0);
      }
      const from = prev.get(func);
      prev.set(func, block);
      if (block === 0 || from === undefined) return;
      for (const loop of loops.loops) {
        if (loop.header === block && loop.blocks.includes(from)) {
          const key = `@${func.name}^${blockNames(func)[block]}`;
          backEdges.set(key, (backEdges.get(key) ?? 0) + 1);
        }
      }
    },
  });
  const total = FLOAT_CLASSES.reduce((s, c) => s + counts[c]!, 0);
  return { counts, total, backEdges };
}

/** The value of every quantity of `formula` at `args`, trip symbols valued by `trips`. */
function formulaAt(formula: FlopFormula, func: Func, args: FixtureArg[], trips: ReadonlyMap<string, number> = new Map()) {
  return evaluateFormula(formula, func, args, (a) => (a.kind === "trip" && trips.has(a.loop) ? rat(BigInt(trips.get(a.loop)!)) : undefined));
}

/** True for a closed form without unknown symbols (trip counts, callee costs). */
const known = (p: Poly | null): boolean => p !== null && !polyMentions(p, isAccumulator);

/** Every bound known at these arguments contains the run's count. */
function expectWithinBounds(value: FormulaValue, run: { total: number; byClass: Record<CostClass, number> }): void {
  for (const [q, b] of Object.entries(value.bounds)) {
    const got = q === "total" ? run.total : run.byClass[q as CostClass];
    expect(b.lower, `lower bound of ${q}`).toBeLessThanOrEqual(got);
    expect(b.upper, `upper bound of ${q}`).toBeGreaterThanOrEqual(got);
  }
}

describe.each(FILES)("%s", (file) => {
  const text = readFileSync(new URL(file, DIR), "utf8");
  const module = parseIR(text, { file });
  const d = parseDirectives(text);
  const formulas = flopFormulas(module);
  const funcOf = (fn: string): Func => findFunc(module, fn) ?? expect.fail(`no @${fn}`);

  it("verifies and carries a one-line description and hand counts", () => {
    verify(module);
    expect(text.split("\n")[0]).toMatch(/^\/\/ \S/);
    expect(d.flops.length).toBeGreaterThan(0);
  });

  it.each(d.flops.map((f) => [`line ${f.line}: @${f.fn}(${f.template})`, f] as const))("counts %s", (_name, f) => {
    const args = buildArgs(f.template);
    const mine = independentCount(module, f.fn, buildArgs(f.template));
    const run = countRun(module, f.fn, args, DEFAULT_WEIGHTS, { externs: externsOf(module) });
    const hand = Object.fromEntries(COST_CLASSES.map((c) => [c, f.expect[c] ?? 0]));
    expect(mine.counts).toEqual(hand);
    expect(mine.total).toBe(f.expect["total"] ?? 0);
    expect(run.byClass).toEqual(hand);
    expect(run.total).toBe(f.expect["total"] ?? 0);
    expect(Object.values(run.byBlock).reduce((s, b) => s + b.total, 0)).toBe(run.total);
    // A symbolic formula, its trip counts valued from the run, gives the same counts.
    const formula = formulas.get(f.fn)!;
    const value = formulaAt(formula, funcOf(f.fn), args, mine.backEdges);
    const cost = (a: { kind: string }) => a.kind === "cost";
    if (!value.applies) return;
    if (formula.total && !polyMentions(formula.total, cost)) expect(value.total).toBe(run.total);
    for (const c of COST_CLASSES) {
      const p = formula.byClass[c];
      if (p && !polyMentions(p, cost)) expect(value.byClass[c], c).toBe(run.byClass[c]);
    }
    expectWithinBounds(value, run);
  });

  const withFormula = [...new Set(d.formulas.map((f) => f.fn))];
  it.each(withFormula)("prints the closed form of @%s", (fn) => {
    const t = formulaText(formulas.get(fn)!);
    const got: Record<string, string | null> = { total: t.total, ...t.byClass };
    const want: Record<string, string | null> = Object.fromEntries(Object.keys(got).map((q) => [q, "0"]));
    for (const f of d.formulas.filter((x) => x.fn === fn)) want[f.quantity] = f.text;
    expect(got).toEqual(want);
    expect([...t.assumes].sort()).toEqual(d.assumes.filter((a) => a.fn === fn).map((a) => a.text).sort());
    expect(t.bounds).toEqual(Object.fromEntries(d.bounds.filter((b) => b.fn === fn).map((b) => [b.quantity, { lower: b.lower, upper: b.upper }])));
  });

  it.each(d.sizes.map((s) => [`line ${s.line}: @${s.fn}`, s] as const))("closed form equals the run at 5 sizes, %s", (_name, s) => {
    const func = funcOf(s.fn);
    const formula = formulas.get(s.fn)!;
    const vars = Object.entries(s.vars);
    expect(vars.every(([, v]) => v.length === 5)).toBe(true);
    let checked = 0;
    for (let k = 0; k < 5; k++) {
      const env = Object.fromEntries(vars.map(([name, v]) => [name, v[k]!]));
      const args = buildArgs(s.template, env);
      const run = countRun(module, s.fn, args, DEFAULT_WEIGHTS, { externs: externsOf(module) });
      const value = formulaAt(formula, func, args);
      expect(value.applies, JSON.stringify(env)).toBe(true);
      if (known(formula.total)) expect(value.total, JSON.stringify(env)).toBe(run.total);
      for (const c of COST_CLASSES) {
        if (!known(formula.byClass[c])) continue;
        expect(value.byClass[c], `${c} at ${JSON.stringify(env)}`).toBe(run.byClass[c]);
        checked++;
      }
      expectWithinBounds(value, run);
    }
    expect(checked).toBeGreaterThan(0);
  });

  it.each(d.linear.map((s) => [`line ${s.line}: @${s.fn}`, s] as const))("costs exactly linear in N, %s", (_name, s) => {
    const runs = Array.from({ length: 11 }, (_, n) => countRun(module, s.fn, buildArgs(s.template, { N: n }), DEFAULT_WEIGHTS, { externs: externsOf(module) }));
    const keys = s.quantities.length ? s.quantities : ["total", ...COST_CLASSES];
    for (const key of keys) {
      const ys = runs.map((r) => (key === "total" ? r.total : r.byClass[key as CostClass]));
      const step = ys[1]! - ys[0]!;
      ys.forEach((y, n) => expect(y, `${key} at N=${n}`).toBe(ys[0]! + n * step));
    }
    expect(runs[10]!.total).toBeGreaterThan(runs[0]!.total);
  });

  it.each(d.notApplicable.map((s) => [`line ${s.line}: @${s.fn}(${s.template})`, s] as const))("knows the closed form does not apply at %s", (_name, s) => {
    const value = formulaAt(formulas.get(s.fn)!, funcOf(s.fn), buildArgs(s.template));
    expect(value.applies).toBe(false);
    expect(value.total).toBeNull();
  });
});

describe("the fixture set", () => {
  const all = FILES.map((f) => {
    const text = readFileSync(new URL(f, DIR), "utf8");
    return { file: f, d: parseDirectives(text), formulas: flopFormulas(parseIR(text)) };
  });

  it("has at least 15 fixtures, at least 8 of them with closed forms checked at 5 sizes", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(15);
    expect(all.filter(({ d }) => d.sizes.length > 0).length).toBeGreaterThanOrEqual(8);
  });

  it("checks every closed form in the parameters at sizes", () => {
    const closedInParams = (p: Poly | null): boolean => known(p) && polyConstValue(p!) === undefined;
    for (const { file, d, formulas } of all) {
      for (const [fn, f] of formulas) {
        if (closedInParams(f.total) || Object.values(f.byClass).some(closedInParams)) expect(d.sizes.map((s) => s.fn), `${file} @${fn}`).toContain(fn);
      }
    }
  });
});
