// The per-op tables of the sparsity analysis: the JavaScript templates the
// block compiler inlines agree with `EVAL` (bit for bit, on tricky operands),
// and the rule table is consistent with the op table (nonlinear pairs name
// real operands; ops without f64 results carry no derivative).

import { describe, expect, it } from "vitest";
import { EVAL } from "../../ir/eval.js";
import type { EvalContext } from "../../ir/eval.js";
import { OPCODES, OPS, type Opcode } from "../../ir/ops.js";
import type { Inst } from "../../ir/types.js";
import { SPARSITY } from "../../passes/rules/sparsity.js";
import { JS } from "../../passes/sparsity-jit.js";

const NUMBERS = [0, -0, 1, -1, 2.5, -3.75, 7, 0.1, 1e300, -1e-300, NaN, Infinity, -Infinity];
const BOOLS = [true, false];
const ctx = {} as EvalContext;

/** Operand tuples for an op with `arity` operands of the given kind. */
function operands(arity: number, bools: boolean): (number | boolean)[][] {
  const pool: (number | boolean)[] = bools ? BOOLS : NUMBERS;
  if (arity === 1) return pool.map((x) => [x]);
  return pool.flatMap((x) => pool.map((y) => [x, y]));
}

describe("inlined JavaScript of pure ops", () => {
  /** Templates that are not expressions: `$lit`, `$load`, `$store`. */
  const special = (op: Opcode): boolean => /^\$[a-z]/.test(JS[op] ?? "");
  const inlined = OPCODES.filter((op) => JS[op] !== null && !special(op));
  it.each(inlined)("%s agrees with EVAL", (op: Opcode) => {
    const params = OPS[op].params as readonly string[];
    const f = new Function("x0", "x1", `return ${JS[op]!.replace(/\$(\d)/g, "x$1")};`) as (a: unknown, b: unknown) => unknown;
    const inst: Inst = { op, args: [], results: [] };
    for (const args of operands(params.length, params[0] === "bool")) {
      expect(Object.is(f(args[0], args[1]), EVAL[op](args, inst, ctx)), `${op}(${args.join(", ")})`).toBe(true);
    }
  });

  it("covers every pure op whose operands are scalars", () => {
    const scalarOnly = OPCODES.filter((op) => OPS[op].pure && OPS[op].params !== "variadic" && !(OPS[op].params as readonly string[]).includes("f64[]"));
    expect(scalarOnly.filter((op) => JS[op] === null)).toEqual(["select"]);
    expect(OPCODES.filter(special)).toEqual(["const", "array.get", "array.set"]);
  });
});

describe("sparsity rules", () => {
  it("name real operands in their nonlinear pairs", () => {
    for (const op of OPCODES) {
      const rule = SPARSITY[op];
      if (rule.kind !== "nonlinear") continue;
      const arity = (OPS[op].params as readonly string[]).length;
      for (const [i, j] of rule.pairs) expect(i < arity && j < arity, op).toBe(true);
    }
  });

  it("carry no derivative through ops without an f64 result", () => {
    for (const op of OPCODES) {
      const results = OPS[op].results;
      if (results === "variadic" || results.length === 0 || SPARSITY[op].kind === "structural") continue;
      if (!results.includes("f64" as never) && !results.includes("T" as never)) expect(SPARSITY[op].kind, op).toBe("zero");
    }
  });
});
