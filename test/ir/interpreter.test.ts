// The reference interpreter and the evaluation table: every op against the
// JavaScript operator or Math function it is defined by (NaN, -0, infinities
// included), parallel copy on block arguments (swap and rotate loops, condbr
// edges), calls, recursion and its depth limit, runtime errors with their
// codes, argument checking and value semantics at the boundary, externs, and
// onBlock counts.

import { describe, expect, it } from "vitest";
import { FuncBuilder } from "../../ir/builder.js";
import { EVAL, evalPure, type RtValue, type Scalar } from "../../ir/eval.js";
import { DerivRuntimeError, type ErrorCode } from "../../ir/errors.js";
import { interpret, type InterpretOptions } from "../../ir/interpreter.js";
import { OPCODES, type Opcode } from "../../ir/ops.js";
import type { BlockId, Extern, Func, Module, SourceLoc, Type, ValueId } from "../../ir/types.js";
import { verify } from "../../ir/verifier.js";

const mod = (funcs: Func[], externs: Extern[] = []): Module => {
  const m = { funcs, externs };
  verify(m);
  return m;
};

/** A one-block function: `body` emits into the entry block and returns the results. */
function straight(name: string, params: readonly Type[], results: readonly Type[], body: (fb: FuncBuilder, b: BlockId, ps: ValueId[]) => ValueId[]): Func {
  const fb = new FuncBuilder(name, results);
  const b = fb.addBlock("entry");
  const ps = params.map((t, k) => fb.addParam(b, t, `p${k}`));
  fb.ret(b, body(fb, b, ps));
  return fb.finish();
}

/** `@op(params) -> result` applying `op` to its parameters. */
function opFunc(op: Opcode, params: readonly Type[], result: Type): Module {
  return mod([straight("t", params, [result], (fb, b, ps) => [fb.emit1(b, op, ps, result)])]);
}

/** The runtime error thrown by `f` (fails if none or another kind). */
function runtimeErrorOf(f: () => unknown): DerivRuntimeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DerivRuntimeError);
    return e as DerivRuntimeError;
  }
  throw new Error("expected a DerivRuntimeError");
}

function expectCode(f: () => unknown, code: ErrorCode, ...fragments: string[]): DerivRuntimeError {
  const e = runtimeErrorOf(f);
  expect(e.code).toBe(code);
  for (const s of fragments) expect(e.message).toContain(s);
  return e;
}

const F64S = [0, -0, 1, -1, 0.5, -0.5, 2.5, -2.5, 3, -7.25, Math.PI, 1e300, -1e-300, 5e-324, NaN, Infinity, -Infinity];
const I32S = [0, -0, 1, -1, 2, -3, 7, 2 ** 31 - 1, -(2 ** 31)];

// Reference semantics straight from JavaScript, for every pure scalar op.
const UNARY: Partial<Record<Opcode, (x: number) => number>> = {
  neg: (x) => -x,
  abs: Math.abs,
  sqrt: Math.sqrt,
  cbrt: Math.cbrt,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  log2: Math.log2,
  log10: Math.log10,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  sign: Math.sign,
  floor: Math.floor,
  ceil: Math.ceil,
  round: Math.round,
};
const BINARY: Partial<Record<Opcode, (x: number, y: number) => number>> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  rem: (x, y) => x % y,
  pow: (x, y) => x ** y,
  min: Math.min,
  max: Math.max,
  atan2: Math.atan2,
  hypot: Math.hypot,
};
const COMPARE: Partial<Record<Opcode, (x: number, y: number) => boolean>> = {
  lt: (x, y) => x < y,
  le: (x, y) => x <= y,
  gt: (x, y) => x > y,
  ge: (x, y) => x >= y,
  eq: (x, y) => x === y,
  ne: (x, y) => x !== y,
};
const I32_OPS: readonly Opcode[] = ["add", "sub", "mul", "rem", "neg", "min", "max", "abs"];

describe("scalar ops", () => {
  it.each(Object.keys(UNARY) as Opcode[])("%s matches its JavaScript definition on f64", (op) => {
    const m = opFunc(op, ["f64"], "f64");
    for (const x of F64S) {
      expect(Object.is(interpret(m, "t", [x])[0], UNARY[op]!(x)), `${op}(${x})`).toBe(true);
      expect(Object.is(evalPure(op, [x]), UNARY[op]!(x))).toBe(true);
    }
  });

  it.each(Object.keys(BINARY) as Opcode[])("%s matches its JavaScript definition on f64", (op) => {
    const m = opFunc(op, ["f64", "f64"], "f64");
    for (const x of F64S) {
      for (const y of F64S) {
        expect(Object.is(interpret(m, "t", [x, y])[0], BINARY[op]!(x, y)), `${op}(${x}, ${y})`).toBe(true);
        expect(Object.is(evalPure(op, [x, y]), BINARY[op]!(x, y))).toBe(true);
      }
    }
  });

  it.each(Object.keys(COMPARE) as Opcode[])("%s matches its JavaScript operator on f64 and i32", (op) => {
    for (const [t, values] of [["f64", F64S], ["i32", I32S]] as const) {
      const m = opFunc(op, [t, t], "bool");
      for (const x of values) for (const y of values) expect(interpret(m, "t", [x, y])[0], `${op}(${x}, ${y})`).toBe(COMPARE[op]!(x, y));
    }
  });

  it.each(I32_OPS)("%s on i32 has JavaScript number semantics (no wrapping)", (op) => {
    const unary = UNARY[op];
    const m = opFunc(op, unary ? ["i32"] : ["i32", "i32"], "i32");
    for (const x of I32S) {
      if (unary) expect(Object.is(interpret(m, "t", [x])[0], unary(x))).toBe(true);
      else for (const y of I32S) expect(Object.is(interpret(m, "t", [x, y])[0], BINARY[op]!(x, y)), `${op}(${x}, ${y})`).toBe(true);
    }
    if (op === "add") expect(interpret(m, "t", [2 ** 31 - 1, 1])).toEqual([2 ** 31]);
  });

  it("min/max order -0 below 0 and propagate NaN; round ties toward +inf", () => {
    expect(Object.is(evalPure("min", [0, -0]), -0)).toBe(true);
    expect(Object.is(evalPure("max", [-0, 0]), 0)).toBe(true);
    expect(evalPure("min", [NaN, 1])).toBeNaN();
    expect(evalPure("max", [1, NaN])).toBeNaN();
    expect(evalPure("round", [-2.5])).toBe(-2);
    expect(Object.is(evalPure("round", [-0.5]), -0)).toBe(true);
    expect(Object.is(evalPure("rem", [-4, 2]), -0)).toBe(true);
  });

  it("and, or, not and select on every operand type", () => {
    const bools = [true, false];
    const and = opFunc("and", ["bool", "bool"], "bool");
    const or = opFunc("or", ["bool", "bool"], "bool");
    const not = opFunc("not", ["bool"], "bool");
    for (const x of bools) {
      expect(interpret(not, "t", [x])).toEqual([!x]);
      for (const y of bools) {
        expect(interpret(and, "t", [x, y])).toEqual([x && y]);
        expect(interpret(or, "t", [x, y])).toEqual([x || y]);
      }
    }
    for (const [t, a, b] of [["f64", -0, NaN], ["i32", 3, -4], ["bool", false, true]] as const) {
      const m = opFunc("select", ["bool", t, t], t);
      expect(Object.is(interpret(m, "t", [true, a, b])[0], a)).toBe(true);
      expect(Object.is(interpret(m, "t", [false, a, b])[0], b)).toBe(true);
    }
    // Selecting between arrays selects a reference: writing through the result writes the chosen array.
    const sel = mod([
      straight("t", ["bool", "f64[]", "f64[]"], ["f64[]", "f64[]"], (fb, b, [c, x, y]) => {
        const r = fb.emit1(b, "select", [c!, x!, y!], "f64[]");
        fb.emit(b, "array.set", [r, fb.constant(b, "i32", 0), fb.constant(b, "f64", 9)], []);
        return [x!, y!];
      }),
    ]);
    expect(interpret(sel, "t", [true, [1], [2]])).toEqual([Float64Array.of(9), Float64Array.of(2)]);
    expect(interpret(sel, "t", [false, [1], [2]])).toEqual([Float64Array.of(1), Float64Array.of(9)]);
  });

  it("const yields f64 literals bit for bit, i32 and bool", () => {
    const literals = [-0, NaN, Infinity, -Infinity, 5e-324, 0.1];
    const m = mod([straight("t", [], literals.map(() => "f64" as const), (fb, b) => literals.map((x) => fb.constant(b, "f64", x)))]);
    interpret(m, "t", []).forEach((v, k) => expect(Object.is(v, literals[k])).toBe(true));
    const n = mod([straight("t", [], ["i32", "bool", "bool"], (fb, b) => [fb.constant(b, "i32", -7), fb.constant(b, "bool", 1), fb.constant(b, "bool", 0)])]);
    expect(interpret(n, "t", [])).toEqual([-7, true, false]);
  });

  it("evalPure rejects ops that are not pure", () => {
    expect(() => evalPure("array.new", [1, 2])).toThrow(/internal error/);
    expect(() => evalPure("const", [])).toThrow(/internal error/);
  });
});

describe("conversions", () => {
  it("i32.to.f64 is exact; f64.to.i32 keeps integers in [-2^31, 2^31), -0 included", () => {
    const up = opFunc("i32.to.f64", ["i32"], "f64");
    for (const x of I32S) expect(Object.is(interpret(up, "t", [x])[0], x)).toBe(true);
    const down = opFunc("f64.to.i32", ["f64"], "i32");
    for (const x of [0, -0, 3, -3, 2 ** 31 - 1, -(2 ** 31)]) expect(Object.is(interpret(down, "t", [x])[0], x)).toBe(true);
  });

  it.each([0.5, 2 ** 31, -(2 ** 31) - 1, NaN, Infinity, -Infinity])("f64.to.i32(%s) is E_RUNTIME_INDEX", (x) => {
    expectCode(() => interpret(opFunc("f64.to.i32", ["f64"], "i32"), "t", [x]), "E_RUNTIME_INDEX", "f64.to.i32", String(x));
  });
});

const LOC: SourceLoc = { file: "model.ts", line: 7, col: 12 };

describe("arrays", () => {
  it("array.new fills, array.len, array.get read; a length-0 array is fine", () => {
    const m = mod([
      straight("t", ["i32", "f64"], ["f64[]", "i32"], (fb, b, [n, v]) => {
        const a = fb.emit1(b, "array.new", [n!, v!], "f64[]");
        return [a, fb.emit1(b, "array.len", [a], "i32")];
      }),
    ]);
    expect(interpret(m, "t", [3, -0])).toEqual([Float64Array.of(-0, -0, -0), 3]);
    expect(Object.is((interpret(m, "t", [3, -0])[0] as Float64Array)[2], -0)).toBe(true);
    expect(interpret(m, "t", [0, 1])).toEqual([new Float64Array(0), 0]);
  });

  it("array.new with a negative length is E_RUNTIME_INDEX at the instruction's location", () => {
    const m = mod([straight("t", ["i32"], ["f64[]"], (fb, b, [n]) => [fb.emit1(b, "array.new", [n!, fb.constant(b, "f64", 0)], "f64[]", { loc: LOC })])]);
    const e = expectCode(() => interpret(m, "t", [-1]), "E_RUNTIME_INDEX", "length -1");
    expect(e.location).toEqual(LOC);
  });

  const getter = (): Module =>
    mod([straight("t", ["f64[]", "i32"], ["f64"], (fb, b, [a, i]) => [fb.emit1(b, "array.get", [a!, i!], "f64", { loc: LOC })])]);
  const setter = (): Module =>
    mod([
      straight("t", ["f64[]", "i32", "f64"], ["f64[]"], (fb, b, [a, i, v]) => {
        fb.emit(b, "array.set", [a!, i!, v!], [], { loc: LOC });
        return [a!];
      }),
    ]);

  it("array.get and array.set in bounds", () => {
    expect(interpret(getter(), "t", [[1, 2, 3], 2])).toEqual([3]);
    expect(interpret(setter(), "t", [[1, 2, 3], 0, 7])).toEqual([Float64Array.of(7, 2, 3)]);
  });

  it.each([-1, 3, 2 ** 31 - 1])("index %s out of bounds is E_RUNTIME_BOUNDS naming index, length and location", (i) => {
    const e = expectCode(() => interpret(getter(), "t", [[1, 2, 3], i]), "E_RUNTIME_BOUNDS", `index ${i}`, "length 3");
    expect(e.location).toEqual(LOC);
    expect(e.message).toContain("model.ts:7:12");
    expectCode(() => interpret(setter(), "t", [[1, 2, 3], i, 0]), "E_RUNTIME_BOUNDS", `index ${i}`, "length 3");
  });

  it("a non-integer index (rem by zero gives NaN) is E_RUNTIME_BOUNDS", () => {
    const m = mod([
      straight("t", ["f64[]", "i32"], ["f64"], (fb, b, [a, i]) => {
        const bad = fb.emit1(b, "rem", [i!, fb.constant(b, "i32", 0)], "i32");
        return [fb.emit1(b, "array.get", [a!, bad], "f64")];
      }),
    ]);
    expectCode(() => interpret(m, "t", [[1], 0]), "E_RUNTIME_BOUNDS", "index NaN", "length 1");
  });

  it("array.copy is a fresh array; arrays are references inside the IR", () => {
    const m = mod([
      straight("t", ["f64[]"], ["f64[]", "f64[]"], (fb, b, [a]) => {
        const c = fb.emit1(b, "array.copy", [a!], "f64[]");
        fb.emit(b, "array.set", [c, fb.constant(b, "i32", 0), fb.constant(b, "f64", 5)], []);
        fb.emit(b, "array.set", [a!, fb.constant(b, "i32", 1), fb.constant(b, "f64", 6)], []);
        return [a!, c];
      }),
    ]);
    expect(interpret(m, "t", [[1, 2]])).toEqual([Float64Array.of(1, 6), Float64Array.of(5, 2)]);
  });
});

describe("stacks", () => {
  it("pop returns pushed values last-in first-out, for f64 and i32", () => {
    for (const t of ["f64", "i32"] as const) {
      const m = mod([
        straight("t", [t, t], [t, t], (fb, b, [x, y]) => {
          const s = fb.emit1(b, "stack.new", [], `stack<${t}>`);
          fb.emit(b, "stack.push", [s, x!], []);
          fb.emit(b, "stack.push", [s, y!], []);
          return [fb.emit1(b, "stack.pop", [s], t), fb.emit1(b, "stack.pop", [s], t)];
        }),
      ]);
      expect(interpret(m, "t", [1, -0])).toEqual([-0, 1]);
    }
  });

  it("pop on an empty stack is E_RUNTIME_STACK", () => {
    const m = mod([straight("t", ["stack<f64>"], ["f64"], (fb, b, [s]) => [fb.emit1(b, "stack.pop", [s!], "f64", { loc: LOC })])]);
    expect(interpret(m, "t", [[1, 2]])).toEqual([2]);
    expect(expectCode(() => interpret(m, "t", [[]]), "E_RUNTIME_STACK", "empty").location).toEqual(LOC);
  });
});

/** `@loop(n: i32, vals...)`: a counted loop whose back edge passes the carried
 * values permuted by `perm` (new k-th value = old perm[k]-th value). */
function permuteLoop(perm: readonly number[]): Module {
  const fb = new FuncBuilder("loop", perm.map(() => "f64" as const));
  const [entry, header, body, exit] = [fb.addBlock("entry"), fb.addBlock("header"), fb.addBlock("body"), fb.addBlock("exit")];
  const n = fb.addParam(entry, "i32", "n");
  const init = perm.map((_, k) => fb.addParam(entry, "f64", `v${k}`));
  fb.br(entry, header, [fb.constant(entry, "i32", 0), ...init]);
  const i = fb.addParam(header, "i32", "i");
  const vals = perm.map((_, k) => fb.addParam(header, "f64", `c${k}`));
  fb.condbr(header, fb.emit1(header, "lt", [i, n], "bool"), body, [], exit, []);
  const i1 = fb.emit1(body, "add", [i, fb.constant(body, "i32", 1)], "i32");
  fb.br(body, header, [i1, ...perm.map((p) => vals[p]!)]);
  fb.ret(exit, vals);
  return mod([fb.finish()]);
}

describe("block arguments are a parallel copy", () => {
  it("swap loop", () => {
    const m = permuteLoop([1, 0]);
    expect(interpret(m, "loop", [0, 1, 2])).toEqual([1, 2]);
    expect(interpret(m, "loop", [1, 1, 2])).toEqual([2, 1]);
    expect(interpret(m, "loop", [5, 1, 2])).toEqual([2, 1]);
  });

  it("rotate loop", () => {
    const m = permuteLoop([1, 2, 0]);
    expect(interpret(m, "loop", [1, 1, 2, 3])).toEqual([2, 3, 1]);
    expect(interpret(m, "loop", [2, 1, 2, 3])).toEqual([3, 1, 2]);
    expect(interpret(m, "loop", [3, 1, 2, 3])).toEqual([1, 2, 3]);
  });

  it("condbr edge arguments swap too", () => {
    const fb = new FuncBuilder("t", ["f64", "f64"]);
    const [entry, next] = [fb.addBlock("entry"), fb.addBlock("next")];
    const [c, x, y] = [fb.addParam(entry, "bool", "c"), fb.addParam(entry, "f64", "x"), fb.addParam(entry, "f64", "y")];
    const a = fb.addParam(next, "f64", "a");
    const b = fb.addParam(next, "f64", "b");
    fb.condbr(entry, c, next, [y, x], next, [x, y]);
    fb.ret(next, [a, b]);
    const m = mod([fb.finish()]);
    expect(interpret(m, "t", [true, 1, 2])).toEqual([2, 1]);
    expect(interpret(m, "t", [false, 1, 2])).toEqual([1, 2]);
  });
});

/** `@fact(n) = n <= 1 ? 1 : n * fact(n - 1)` over f64. */
function factorial(): Func {
  const fb = new FuncBuilder("fact", ["f64"]);
  const [entry, rec, base] = [fb.addBlock("entry"), fb.addBlock("rec"), fb.addBlock("base")];
  const n = fb.addParam(entry, "f64", "n");
  const one = fb.constant(entry, "f64", 1);
  fb.condbr(entry, fb.emit1(entry, "le", [n, one], "bool"), base, [], rec, []);
  fb.ret(base, [one]);
  const r = fb.emit1(rec, "call", [fb.emit1(rec, "sub", [n, one], "f64")], "f64", { callee: "fact" });
  fb.ret(rec, [fb.emit1(rec, "mul", [n, r], "f64")]);
  return fb.finish();
}

/** `@name(n) = n == 0 ? base : other(n - 1)`: even/odd by mutual recursion. */
function parity(name: string, other: string, base: number): Func {
  const fb = new FuncBuilder(name, ["f64"]);
  const [entry, rec, done] = [fb.addBlock("entry"), fb.addBlock("rec"), fb.addBlock("done")];
  const n = fb.addParam(entry, "f64", "n");
  fb.condbr(entry, fb.emit1(entry, "eq", [n, fb.constant(entry, "f64", 0)], "bool"), done, [], rec, []);
  fb.ret(done, [fb.constant(done, "f64", base)]);
  const m1 = fb.emit1(rec, "sub", [n, fb.constant(rec, "f64", 1)], "f64");
  fb.ret(rec, [fb.emit1(rec, "call", [m1], "f64", { callee: other })]);
  return fb.finish();
}

describe("calls", () => {
  it("multiple results through a call", () => {
    const divmod = straight("divmod", ["f64", "f64"], ["f64", "f64"], (fb, b, [x, y]) => [fb.emit1(b, "floor", [fb.emit1(b, "div", [x!, y!], "f64")], "f64"), fb.emit1(b, "rem", [x!, y!], "f64")]);
    const main = straight("main", ["f64"], ["f64", "f64"], (fb, b, [x]) => fb.emit(b, "call", [x!, fb.constant(b, "f64", 4)], ["f64", "f64"], { callee: "divmod" }));
    expect(interpret(mod([divmod, main]), "main", [-7])).toEqual([-2, -3]);
  });

  it("recursion: factorial", () => {
    const m = mod([factorial()]);
    expect(interpret(m, "fact", [10])).toEqual([3628800]);
    expect(interpret(m, "fact", [0])).toEqual([1]);
  });

  it("mutual recursion: even/odd", () => {
    const m = mod([parity("even", "odd", 1), parity("odd", "even", 0)]);
    expect(interpret(m, "even", [10])).toEqual([1]);
    expect(interpret(m, "even", [7])).toEqual([0]);
    expect(interpret(m, "odd", [7])).toEqual([1]);
  });

  it("recursion 90,000 deep runs within the default depth limit", () => {
    const m = mod([parity("even", "odd", 1), parity("odd", "even", 0)]);
    expect(interpret(m, "even", [90_000])).toEqual([1]);
  });

  it("unbounded recursion ends in E_RUNTIME_TOO_DEEP, not a RangeError", () => {
    const m = mod([parity("even", "odd", 1), parity("odd", "even", 0)]);
    expectCode(() => interpret(m, "even", [-1]), "E_RUNTIME_TOO_DEEP", "too deep");
  });

  it("maxDepth bounds the number of active frames", () => {
    const m = mod([factorial()]);
    expect(interpret(m, "fact", [5], { maxDepth: 5 })).toEqual([120]);
    expectCode(() => interpret(m, "fact", [6], { maxDepth: 5 }), "E_RUNTIME_TOO_DEEP", "@fact");
  });
});

describe("externs", () => {
  const ext: Extern[] = [
    { name: "g", params: ["f64", "f64"], results: ["f64"] },
    { name: "two", params: ["f64"], results: ["f64", "f64"] },
  ];
  const caller = (): Module =>
    mod(
      [
        straight("t", ["f64"], ["f64", "f64", "f64"], (fb, b, [x]) => {
          const g = fb.emit1(b, "call.extern", [x!, x!], "f64", { callee: "g", loc: LOC });
          return [g, ...fb.emit(b, "call.extern", [x!], ["f64", "f64"], { callee: "two" })];
        }),
      ],
      ext,
    );

  it("calls the bound JS functions, with single and multiple results", () => {
    const externs = { g: (x: number, y: number) => x * y + 1, two: (x: number) => [x + 1, x - 1] };
    expect(interpret(caller(), "t", [3], { externs })).toEqual([10, 4, 2]);
  });

  it("a missing binding is E_RUNTIME_EXTERN naming the extern", () => {
    expectCode(() => interpret(caller(), "t", [3], { externs: { two: (x) => [x, x] } }), "E_RUNTIME_EXTERN", "@g");
  });

  it("only own properties of the externs object are bindings", () => {
    const m = mod([straight("t", ["f64"], ["f64"], (fb, b, [x]) => [fb.emit1(b, "call.extern", [x!], "f64", { callee: "toString" })])], [{ name: "toString", params: ["f64"], results: ["f64"] }]);
    expectCode(() => interpret(m, "t", [1], { externs: {} }), "E_RUNTIME_EXTERN", "@toString");
  });

  it("a binding returning the wrong number or kind of results is E_RUNTIME_EXTERN", () => {
    const g = (x: number) => x;
    expectCode(() => interpret(caller(), "t", [3], { externs: { g, two: (x) => [x] } }), "E_RUNTIME_EXTERN", "@two", "2 value(s)");
    expectCode(() => interpret(caller(), "t", [3], { externs: { g, two: () => [1, "a" as unknown as number] } }), "E_RUNTIME_EXTERN", "@two", "result 1");
  });
});

describe("the boundary", () => {
  const first = (): Module =>
    mod([
      straight("first", ["f64[]", "f64"], ["f64"], (fb, b, [xs]) => {
        fb.emit(b, "array.set", [xs!, fb.constant(b, "i32", 0), fb.constant(b, "f64", 42)], []);
        return [fb.emit1(b, "array.get", [xs!, fb.constant(b, "i32", 1)], "f64")];
      }),
      straight("echo", ["f64[]"], ["f64[]"], (fb, b, [xs]) => {
        fb.emit(b, "array.set", [xs!, fb.constant(b, "i32", 0), fb.constant(b, "f64", 42)], []);
        return [xs!];
      }),
    ]);

  it("array arguments have value semantics: the caller's array never changes", () => {
    const xs = Float64Array.of(1, 2);
    expect(interpret(first(), "first", [xs, 0])).toEqual([2]);
    expect(xs).toEqual(Float64Array.of(1, 2));
    const out = interpret(first(), "echo", [xs])[0];
    expect(out).toEqual(Float64Array.of(42, 2));
    expect(out).not.toBe(xs);
    expect(xs).toEqual(Float64Array.of(1, 2));
  });

  it("number[] is accepted for f64[] and converted", () => {
    const plain = [1, 2];
    expect(interpret(first(), "echo", [plain])[0]).toBeInstanceOf(Float64Array);
    expect(plain).toEqual([1, 2]);
  });

  it.each<[string, RtValue[], string[]]>([
    ["too few arguments", [Float64Array.of(1)], ["@first", "takes 2", "got 1"]],
    ["too many arguments", [Float64Array.of(1), 1, 2], ["@first", "takes 2", "got 3"]],
    ["a number for f64[]", [1, 1], ["@first", "%p0", "f64[]", "number 1"]],
    ["an array for f64", [[1], [1]], ["@first", "%p1", "expects f64"]],
    ["a boolean for f64", [[1], true], ["%p1", "boolean true"]],
    ["non-numbers in an array", [["a"] as unknown as number[], 1], ["%p0", "f64[]"]],
  ])("%s is E_RUNTIME_ARGS naming the function and parameter", (_what, args, fragments) => {
    expectCode(() => interpret(first(), "first", args), "E_RUNTIME_ARGS", ...fragments);
  });

  it("i32 and bool parameters are checked by kind and range", () => {
    const m = opFunc("select", ["bool", "i32", "i32"], "i32");
    expectCode(() => interpret(m, "t", [1, 1, 2]), "E_RUNTIME_ARGS", "expects bool");
    expectCode(() => interpret(m, "t", [true, 0.5, 2]), "E_RUNTIME_ARGS", "expects i32");
    expectCode(() => interpret(m, "t", [true, 2 ** 31, 2]), "E_RUNTIME_ARGS", "expects i32");
  });

  it("an unknown function is E_RUNTIME_ARGS", () => {
    expectCode(() => interpret(first(), "nope", []), "E_RUNTIME_ARGS", "@nope");
  });

  it("reaching unreachable is E_RUNTIME_UNREACHABLE", () => {
    const fb = new FuncBuilder("t", ["f64"]);
    const entry = fb.addBlock("entry");
    fb.addParam(entry, "f64", "x");
    fb.setTerm(entry, { kind: "unreachable", loc: LOC });
    const e = expectCode(() => interpret(mod([fb.finish()]), "t", [1]), "E_RUNTIME_UNREACHABLE", "@t");
    expect(e.location).toEqual(LOC);
  });
});

describe("onBlock", () => {
  it("is called on every block entry, callee entries included", () => {
    const loop = permuteLoop([1, 0]).funcs[0]!;
    const main = straight("main", [], ["f64", "f64"], (fb, b) => fb.emit(b, "call", [fb.constant(b, "i32", 3), fb.constant(b, "f64", 1), fb.constant(b, "f64", 2)], ["f64", "f64"], { callee: "loop" }));
    const m = mod([loop, main]);
    const counts = new Map<string, number>();
    const onBlock: InterpretOptions["onBlock"] = (f, b) => {
      const key = `${f.name}:${f.blocks[b]!.name}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    };
    interpret(m, "main", [], { onBlock });
    expect(Object.fromEntries(counts)).toEqual({ "main:entry": 1, "loop:entry": 1, "loop:header": 4, "loop:body": 3, "loop:exit": 1 });
  });
});

describe("the evaluation table", () => {
  it("has a rule for every opcode", () => {
    for (const op of OPCODES) expect(typeof EVAL[op], op).toBe("function");
  });

  it("every op is exercised by these tests", () => {
    const dedicated: Opcode[] = ["const", "select", "and", "or", "not", "i32.to.f64", "f64.to.i32", "array.new", "array.get", "array.set", "array.len", "array.copy", "call", "call.extern", "stack.new", "stack.push", "stack.pop"];
    const covered = new Set<string>([...Object.keys(UNARY), ...Object.keys(BINARY), ...Object.keys(COMPARE), ...dedicated]);
    expect(OPCODES.filter((op) => !covered.has(op))).toEqual([]);
  });

  it("repeated runs are independent (arrays created by the IR are fresh each time)", () => {
    const m = mod([straight("t", [], ["f64[]"], (fb, b) => [fb.emit1(b, "array.new", [fb.constant(b, "i32", 1), fb.constant(b, "f64", 0)], "f64[]")])]);
    const a = interpret(m, "t", [])[0];
    const b = interpret(m, "t", [])[0];
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
  });

  it("pure rules are plain functions of their operands", () => {
    const args: readonly Scalar[] = [2, 3];
    expect(evalPure("pow", args)).toBe(8);
    expect(evalPure("lt", [NaN, 1])).toBe(false);
    expect(evalPure("not", [false])).toBe(true);
  });
});
