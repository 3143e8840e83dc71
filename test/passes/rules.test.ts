// The claims behind the rule tables, checked on grids of special values
// (nan, ±0, ±1, ±inf, subnormals, large i32s): every fold and identity of
// passes/rules/fold.ts gives bit-identical results (one function per op and
// type, with the op applied to every mix of parameters and constants,
// simplified, then run on every pair of grid inputs), and every op that cse
// treats as commutative gives bit-identical results in both operand orders.

import { describe, expect, it } from "vitest";
import { FuncBuilder } from "../../ir/builder.js";
import { evalPure, type Scalar } from "../../ir/eval.js";
import type { Opcode, OpDecl, TypeSpec } from "../../ir/ops.js";
import { isPure, OPCODES, OPS } from "../../ir/ops.js";
import type { Module, Type, ValueId } from "../../ir/types.js";
import { COMMUTES } from "../../passes/cse.js";
import { runPipeline } from "../../passes/pipeline.js";
import { outcome, sameOutcome, showOutcome } from "./equiv.js";

const GRID: Record<"f64" | "i32" | "bool", readonly Scalar[]> = {
  f64: [NaN, 0, -0, 1, -1, Infinity, -Infinity, 2.5, -3, 5e-324],
  i32: [0, -0, 1, -1, 7, -3, 2 ** 30],
  bool: [true, false],
};

type Scal = keyof typeof GRID;

/** Concrete operand and result types of `op` at type variable `t`, if scalar. */
function signature(decl: OpDecl, t: Scal): { params: Scal[]; result: Scal } | undefined {
  if (decl.params === "variadic" || decl.results === "variadic" || decl.results.length !== 1) return undefined;
  const inst = (s: TypeSpec): Type | undefined => (s === "T" ? t : s === "stack<T>" ? undefined : s);
  const params = decl.params.map(inst);
  const result = inst(decl.results[0]!);
  const scalar = (x: Type | undefined): x is Scal => x === "f64" || x === "i32" || x === "bool";
  return params.every(scalar) && scalar(result) ? { params: params as Scal[], result } : undefined;
}

/** `@f(%x, %y)` applying `op` to every mix of the parameters and grid constants
 * (and to itself, for unary ops), returning every result. */
function opModule(op: Opcode, params: readonly Scal[], result: Scal): Module {
  const fb = new FuncBuilder("f", []);
  const b = fb.addBlock("entry");
  const x = fb.addParam(b, params[0]!, "x");
  const y = fb.addParam(b, params[params.length - 1]!, "y");
  const consts = (t: Scal): ValueId[] => GRID[t].map((c) => fb.constant(b, t, Number(c)));
  const outs: ValueId[] = [];
  const apply = (args: ValueId[]): ValueId => {
    const r = fb.emit1(b, op, args, result);
    outs.push(r);
    return r;
  };
  if (params.length === 1) {
    const r = apply([x]);
    if (result === params[0]) apply([r]);
    for (const c of consts(params[0]!)) apply([c]);
  } else {
    const [cx, cy] = [consts(params[0]!), consts(params[1]!)];
    apply([x, y]);
    if (params[0] === params[1]) apply([x, x]);
    for (const c of cy) apply([x, c]);
    for (const c of cx) apply([c, y]);
    for (const c of cx) for (const d of cy) apply([c, d]);
  }
  fb.ret(b, outs);
  const func = { ...fb.finish(), results: outs.map(() => result) };
  return { funcs: [func], externs: [] };
}

const CASES = OPCODES.filter((op) => isPure(op) && op !== "const" && op !== "select").flatMap((op) => {
  const decl: OpDecl = OPS[op];
  const vars: Scal[] = decl.typeVar ? (decl.typeVar.filter((t) => t in GRID) as Scal[]) : ["f64"];
  return vars.flatMap((t) => {
    const sig = signature(decl, t);
    return sig ? [{ name: `${op} on ${sig.params.join(", ")}`, op, ...sig }] : [];
  });
});

describe("fold rules are exact", () => {
  it("cover every pure scalar op", () => {
    expect(new Set(CASES.map((c) => c.op)).size).toBeGreaterThan(40);
  });

  it.each(CASES)("$name", ({ op, params, result }) => {
    const m = opModule(op, params, result);
    const out = runPipeline(m, "simplify");
    expect(out, "something folded").not.toBe(m);
    for (const a of GRID[params[0]!]) {
      for (const b of GRID[params[params.length - 1]!]) {
        const want = outcome(m, "f", [a, b]);
        const got = outcome(out, "f", [a, b]);
        expect(sameOutcome(got, want), `${op}(${String(a)}, ${String(b)}): want ${showOutcome(want)}, got ${showOutcome(got)}`).toBe(true);
      }
    }
  });

  it("select folds exactly for constant conditions, equal arms and select c, true, false", () => {
    const fb = new FuncBuilder("f", ["f64", "f64", "f64", "bool", "bool"]);
    const b = fb.addBlock("entry");
    const c = fb.addParam(b, "bool", "c");
    const x = fb.addParam(b, "f64", "x");
    const y = fb.addParam(b, "f64", "y");
    const t = fb.constant(b, "bool", 1);
    const f = fb.constant(b, "bool", 0);
    const r = [
      fb.emit1(b, "select", [t, x, y], "f64"),
      fb.emit1(b, "select", [f, x, y], "f64"),
      fb.emit1(b, "select", [c, x, x], "f64"),
      fb.emit1(b, "select", [c, t, f], "bool"),
      fb.emit1(b, "select", [c, f, t], "bool"),
    ];
    fb.ret(b, r);
    const m: Module = { funcs: [fb.finish()], externs: [] };
    const out = runPipeline(m, "simplify");
    expect(out.funcs[0]!.blocks[0]!.insts.filter((i) => i.op === "select")).toHaveLength(1);
    for (const cv of GRID.bool) for (const xv of GRID.f64) for (const yv of GRID.f64) expect(sameOutcome(outcome(out, "f", [cv, xv, yv]), outcome(m, "f", [cv, xv, yv]))).toBe(true);
  });
});

describe("cse's commutative ops commute bit for bit", () => {
  const commutative = OPCODES.filter((op) => COMMUTES[op]);
  it.each(commutative)("%s", (op) => {
    const decl: OpDecl = OPS[op];
    for (const t of (decl.typeVar ?? ["bool"]) as Scal[]) {
      for (const a of GRID[t]) {
        for (const b of GRID[t]) {
          expect(Object.is(evalPure(op, [a, b]), evalPure(op, [b, a])), `${op}(${String(a)}, ${String(b)})`).toBe(true);
        }
      }
    }
  });

  it("includes min and max: Math.min(-0, 0) and Math.min(0, -0) are both -0, Math.max both 0", () => {
    expect(commutative).toEqual(expect.arrayContaining(["add", "mul", "min", "max", "eq", "ne", "and", "or"]));
    expect(Object.is(Math.min(-0, 0), -0) && Object.is(Math.min(0, -0), -0)).toBe(true);
    expect(Object.is(Math.max(-0, 0), 0) && Object.is(Math.max(0, -0), 0)).toBe(true);
  });
});
