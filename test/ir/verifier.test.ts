// The verifier: valid functions pass; each kind of malformed IR is rejected
// with its code, a message naming function, block and instruction, a frame of
// printed IR with a `>` marker, and the source location when there is one.

import { describe, expect, it } from "vitest";
import { FuncBuilder } from "../../ir/builder.js";
import { VerifyError, type Diagnostic } from "../../ir/errors.js";
import type { Opcode } from "../../ir/ops.js";
import type { Block, BlockId, Extern, Func, Inst, Module, Type } from "../../ir/types.js";
import { checkModule, verify } from "../../ir/verifier.js";

const mod = (funcs: Func[], externs: Extern[] = []): Module => ({ funcs, externs });

function patchBlock(func: Func, b: BlockId, patch: (block: Block) => Partial<Block>): Func {
  return { ...func, blocks: func.blocks.map((x, i) => (i === b ? { ...x, ...patch(x) } : x)) };
}

function patchInst(func: Func, b: BlockId, k: number, patch: (inst: Inst) => Partial<Inst>): Func {
  return patchBlock(func, b, (x) => ({ insts: x.insts.map((inst, i) => (i === k ? { ...inst, ...patch(inst) } : inst)) }));
}

/** The one diagnostic of `module` (fails if there are none or several). */
function only(module: Module): Diagnostic {
  const ds = checkModule(module);
  expect(ds.map((d) => d.message)).toHaveLength(1);
  return ds[0]!;
}

// Value ids: xs 0, n 1, zero 2, acc0 3, i 4, acc 5, more 6, x 7, sq 8, acc1 9,
// one 10, i1 11, r 12. Blocks: entry 0, loop 1, body 2, exit 3.
function sumsq(): Func {
  const fb = new FuncBuilder("sumsq", ["f64"]);
  const [entry, loop, body, exit] = [fb.addBlock("entry"), fb.addBlock("loop"), fb.addBlock("body"), fb.addBlock("exit")];
  const xs = fb.addParam(entry, "f64[]", "xs");
  const n = fb.emit1(entry, "array.len", [xs], "i32", {}, "n");
  const zero = fb.constant(entry, "i32", 0, undefined, "zero");
  const acc0 = fb.constant(entry, "f64", 0, undefined, "acc0");
  fb.br(entry, loop, [zero, acc0]);
  const i = fb.addParam(loop, "i32", "i");
  const acc = fb.addParam(loop, "f64", "acc");
  const more = fb.emit1(loop, "lt", [i, n], "bool", {}, "more");
  fb.condbr(loop, more, body, [], exit, [acc]);
  const x = fb.emit1(body, "array.get", [xs, i], "f64", {}, "x");
  const sq = fb.emit1(body, "mul", [x, x], "f64", {}, "sq");
  const acc1 = fb.emit1(body, "add", [acc, sq], "f64", {}, "acc1");
  const one = fb.constant(body, "i32", 1, undefined, "one");
  const i1 = fb.emit1(body, "add", [i, one], "i32", {}, "i1");
  fb.br(body, loop, [i1, acc1]);
  const r = fb.addParam(exit, "f64", "r");
  fb.ret(exit, [r]);
  return fb.finish();
}

// Value ids: x 0, zero 1, c 2, y 3, z 4. Blocks: entry 0, a 1, b 2, join 3.
// `^join` uses %y from `^a`, which does not dominate it.
function badDiamond(): Func {
  const fb = new FuncBuilder("diamond", ["f64"]);
  const [entry, a, b, join] = [fb.addBlock("entry"), fb.addBlock("a"), fb.addBlock("b"), fb.addBlock("join")];
  const x = fb.addParam(entry, "f64", "x");
  const zero = fb.constant(entry, "f64", 0, undefined, "zero");
  const c = fb.emit1(entry, "lt", [x, zero], "bool", {}, "c");
  fb.condbr(entry, c, a, [], b, []);
  const y = fb.emit1(a, "neg", [x], "f64", {}, "y");
  fb.br(a, join);
  fb.br(b, join);
  const z = fb.emit1(join, "add", [y, x], "f64", {}, "z");
  fb.ret(join, [z]);
  return fb.finish();
}

/** A caller of `@h(f64) -> f64` and `extern @g(f64) -> f64` whose only call is built by `make`. */
function callModule(make: (fb: FuncBuilder, x: number, i: number) => number): Module {
  const h = new FuncBuilder("h", ["f64"]);
  const hb = h.addBlock("entry");
  h.ret(hb, [h.addParam(hb, "f64", "p")]);
  const fb = new FuncBuilder("caller", ["f64"]);
  const b = fb.addBlock("entry");
  const x = fb.addParam(b, "f64", "x");
  const i = fb.constant(b, "i32", 2, undefined, "i");
  fb.ret(b, [make(fb, x, i)]);
  return mod([h.finish(), fb.finish()], [{ name: "g", params: ["f64"], results: ["f64"] }]);
}

describe("verifier accepts valid IR", () => {
  it("accepts a loop with block arguments", () => {
    expect(checkModule(mod([sumsq()]))).toEqual([]);
    expect(() => verify(mod([sumsq()]))).not.toThrow();
  });

  it("accepts calls, extern calls, multiple results and self-recursion", () => {
    const two = new FuncBuilder("two", ["f64", "i32"]);
    const tb = two.addBlock();
    const p = two.addParam(tb, "f64", "p");
    const k = two.constant(tb, "i32", -3);
    two.ret(tb, [p, k]);
    const fb = new FuncBuilder("f", ["f64"]);
    const b = fb.addBlock();
    const x = fb.addParam(b, "f64", "x");
    const [a] = fb.emit(b, "call", [x], ["f64", "i32"], { callee: "two" });
    const g = fb.emit1(b, "call.extern", [a!], "f64", { callee: "g" });
    const self = fb.emit1(b, "call", [g], "f64", { callee: "f" });
    fb.ret(b, [self]);
    expect(checkModule(mod([two.finish(), fb.finish()], [{ name: "g", params: ["f64"], results: ["f64"] }]))).toEqual([]);
  });

  it("accepts stacks, arrays, select, conversions, bool literals, `unreachable` and no results", () => {
    const fb = new FuncBuilder("misc", []);
    const [b, dead] = [fb.addBlock(), fb.addBlock("dead")];
    const x = fb.addParam(b, "f64", "x");
    const n = fb.constant(b, "i32", 4);
    const t = fb.constant(b, "bool", 1);
    const arr = fb.emit1(b, "array.new", [n, x], "f64[]");
    const copy = fb.emit1(b, "array.copy", [arr], "f64[]");
    const pick = fb.emit1(b, "select", [t, arr, copy], "f64[]");
    fb.emit(b, "array.set", [pick, n, x], []);
    const s = fb.emit1(b, "stack.new", [], "stack<i32>");
    fb.emit(b, "stack.push", [s, n], []);
    const popped = fb.emit1(b, "stack.pop", [s], "i32");
    const f = fb.emit1(b, "i32.to.f64", [popped], "f64");
    fb.emit1(b, "f64.to.i32", [f], "i32");
    fb.ret(b, []);
    fb.setTerm(dead, { kind: "unreachable" });
    expect(checkModule(mod([fb.finish()]))).toEqual([]);
  });

  it("checks only block-local order in unreachable blocks", () => {
    // ^dead has no predecessors: its use of %y (from ^a) is not a dominance error.
    const fb = new FuncBuilder("f", ["f64"]);
    const [entry, a, dead] = [fb.addBlock("entry"), fb.addBlock("a"), fb.addBlock("dead")];
    const x = fb.addParam(entry, "f64", "x");
    fb.br(entry, a);
    const y = fb.emit1(a, "neg", [x], "f64", {}, "y");
    fb.ret(a, [y]);
    const later = fb.newValue("f64", "later");
    const w = fb.emit1(dead, "add", [y, later], "f64", {}, "w");
    fb.emitWith(dead, "neg", [x], [later]);
    fb.ret(dead, [w]);
    const d = only(mod([fb.finish()]));
    expect(d.code).toBe("E_VERIFY_DOMINANCE");
    expect(d.message).toBe("@f, block ^dead, instruction `%w: f64 = add %y, %later`: operand 2 %later is used before its definition later in ^dead");
  });

  it("verifies a 10^5-instruction function with 1000 blocks", () => {
    const fb = new FuncBuilder("big", ["f64"]);
    const entry = fb.addBlock("entry");
    const x = fb.addParam(entry, "f64", "x");
    let prev = entry;
    let carried = x;
    for (let k = 0; k < 1000; k++) {
      const b = fb.addBlock();
      fb.br(prev, b, [carried]);
      let v = fb.addParam(b, "f64");
      for (let j = 0; j < 100; j++) v = fb.emit1(b, j % 2 ? "mul" : "add", [v, x], "f64");
      prev = b;
      carried = v;
    }
    fb.ret(prev, [carried]);
    const big = fb.finish();
    expect(big.blocks.reduce((s, b) => s + b.insts.length, 0)).toBe(100_000);
    expect(checkModule(mod([big]))).toEqual([]);
    // One fault (a use of the last value, early on) is found and named.
    const broken = patchInst(big, 1, 50, (inst) => ({ args: [inst.args[0]!, carried] }));
    const d = only(mod([broken]));
    expect(d.code).toBe("E_VERIFY_DOMINANCE");
    expect(d.message).toMatch(/^@big, block \^bb0, instruction `%\S+: f64 = add %\S+, %\S+`: operand 2 %\S+ is defined in block \^bb999, which does not dominate \^bb0$/);
  });
});

describe("verifier rejects malformed IR", () => {
  it("a function without blocks", () => {
    const d = only(mod([{ name: "empty", results: ["f64"], blocks: [], values: [] }]));
    expect(d.code).toBe("E_VERIFY_ENTRY");
    expect(d.message).toBe("@empty: the function has no blocks (no entry block)");
    expect(d.frame).toBe("> func @empty() -> f64 {\n  }");
  });

  it("a branch to the entry block", () => {
    const f = patchBlock(sumsq(), 2, () => ({ term: { kind: "br", target: { block: 0, args: [0] } } }));
    const d = only(mod([f]));
    expect(d.code).toBe("E_VERIFY_ENTRY");
    expect(d.message).toBe("@sumsq, block ^body, terminator `br ^entry(%xs)`: branches to the entry block ^entry, which must have no predecessors");
  });

  it("a branch to a block that does not exist", () => {
    const f = patchBlock(sumsq(), 2, () => ({ term: { kind: "br", target: { block: 9, args: [] } } }));
    const d = only(mod([f]));
    expect(d.code).toBe("E_VERIFY_STRUCTURE");
    expect(d.message).toContain("block ^body, terminator `br ^\"?9\"`: branches to block #9, which does not exist (the function has 4 blocks)");
  });

  it("a value defined twice", () => {
    // The printer names the twice-defined %acc `acc_1` everywhere; %r is left undefined.
    const f = patchBlock(sumsq(), 3, () => ({ params: [5] }));
    const ds = checkModule(mod([f]));
    expect(ds.map((d) => [d.code, d.message])).toEqual([
      ["E_VERIFY_STRUCTURE", "@sumsq, block ^exit: %acc_1 is defined twice (first in block ^loop)"],
      ["E_VERIFY_STRUCTURE", '@sumsq, block ^exit, terminator `ret %"?12"`: returned value 1 %"?12" is never defined'],
    ]);
    expect(ds[0]!.frame).toBe(["    %i1: i32 = add %i, %one", "    br ^loop(%i1, %acc1)", "> ^exit(%acc_1: f64):", '    ret %"?12"', "  }"].join("\n"));
  });

  it("a use of a value that is never defined, or of an id out of range", () => {
    const f = sumsq();
    const ghost = f.values.length;
    const withGhost: Func = { ...patchInst(f, 2, 2, () => ({ args: [5, ghost] })), values: [...f.values, { type: "f64", name: "ghost" }] };
    const d = only(mod([withGhost]));
    expect(d.code).toBe("E_VERIFY_STRUCTURE");
    expect(d.message).toBe('@sumsq, block ^body, instruction `%acc1: f64 = add %acc, %"?13"`: operand 2 %"?13" is never defined');
    const e = only(mod([patchInst(f, 2, 2, () => ({ args: [5, 999] }))]));
    expect(e.code).toBe("E_VERIFY_STRUCTURE");
    expect(e.message).toContain('operand 2 %"?999" is not a value of the function (it has 13 values)');
  });

  it("operands whose types disagree on the type variable", () => {
    const d = only(mod([patchInst(sumsq(), 2, 2, () => ({ args: [5, 4] }))]));
    expect(d.code).toBe("E_VERIFY_TYPE");
    expect(d.message).toBe("@sumsq, block ^body, instruction `%acc1: f64 = add %acc, %i`: operand 2 %i has type i32, expected f64 (T = f64 from operand 1 %acc)");
    expect(d.frame).toBe(["    %x: f64 = array.get %xs, %i", "    %sq: f64 = mul %x, %x", ">   %acc1: f64 = add %acc, %i", "    %one: i32 = const 1", "    %i1: i32 = add %i, %one"].join("\n"));
  });

  it("a type variable outside the op's domain, and a concrete operand of the wrong type", () => {
    const fb = new FuncBuilder("f", ["bool"]);
    const b = fb.addBlock();
    const t = fb.constant(b, "bool", 1, undefined, "t");
    const both = fb.emit1(b, "add", [t, t], "bool", {}, "both");
    fb.ret(b, [both]);
    const d = only(mod([fb.finish()]));
    expect(d.code).toBe("E_VERIFY_TYPE");
    expect(d.message).toContain("`%both: bool = add %t, %t`: operand 1 %t has type bool: add is defined for T in {f64, i32}, not T = bool");
    const e = only(mod([patchInst(sumsq(), 2, 0, () => ({ args: [0, 3] }))]));
    expect(e.code).toBe("E_VERIFY_TYPE");
    expect(e.message).toContain("`%x: f64 = array.get %xs, %acc0`: operand 2 %acc0 has type f64, expected i32");
  });

  it("stack operands", () => {
    const fb = new FuncBuilder("f", ["f64"]);
    const b = fb.addBlock();
    const x = fb.addParam(b, "f64", "x");
    const s = fb.emit1(b, "stack.new", [], "stack<f64>", {}, "s");
    const k = fb.constant(b, "i32", 1, undefined, "k");
    fb.emit(b, "stack.push", [s, k], []);
    const y = fb.emit1(b, "stack.pop", [x], "f64", {}, "y");
    fb.ret(b, [y]);
    const ds = checkModule(mod([fb.finish()]));
    expect(ds.map((d) => [d.code, d.message.replace(/^.*`: /, "")])).toEqual([
      ["E_VERIFY_TYPE", "operand 2 %k has type i32, expected f64 (T = f64 from operand 1 %s)"],
      ["E_VERIFY_TYPE", "operand 1 %x has type f64, expected a stack"],
    ]);
  });

  it("wrong operand and result counts", () => {
    const d = only(mod([patchInst(sumsq(), 2, 1, () => ({ op: "neg" }))]));
    expect(d.code).toBe("E_VERIFY_ARITY");
    expect(d.message).toBe("@sumsq, block ^body, instruction `%sq: f64 = neg %x, %x`: neg takes 1 operand, got 2");
    const fb = new FuncBuilder("f", []);
    const b = fb.addBlock();
    const a = fb.addParam(b, "f64[]", "a");
    const i = fb.constant(b, "i32", 0, undefined, "i");
    const x = fb.constant(b, "f64", 1, undefined, "x");
    fb.emit(b, "array.set", [a, i, x], ["f64"], {}, ["oops"]);
    fb.ret(b, []);
    const e = only(mod([fb.finish()]));
    expect(e.code).toBe("E_VERIFY_ARITY");
    expect(e.message).toContain("`%oops: f64 = array.set %a, %i, %x`: array.set has 0 results, got 1");
  });

  it("literals: missing, non-integer i32, bool other than 0/1, operands on const", () => {
    const cases: [Partial<Inst>, string, string][] = [
      [{ value: undefined }, "E_VERIFY_ATTR", "`%one: i32 = const NaN`: const has no literal value"],
      [{ value: 1.5 }, "E_VERIFY_ATTR", "`%one: i32 = const 1.5`: i32 literal 1.5 is not an integer"],
      [{ args: [4] }, "E_VERIFY_ARITY", "`%one: i32 = const 1`: const takes 0 operands, got 1"],
    ];
    for (const [patch, code, message] of cases) {
      const d = only(mod([patchInst(sumsq(), 2, 3, () => patch)]));
      expect(d.code).toBe(code);
      expect(d.message).toContain(message);
    }
    const fb = new FuncBuilder("f", ["bool"]);
    const b = fb.addBlock();
    fb.ret(b, [fb.constant(b, "bool", 2, undefined, "t")]);
    const d = only(mod([fb.finish()]));
    expect(d.code).toBe("E_VERIFY_ATTR");
    expect(d.message).toContain("bool literal must be 0 or 1, got 2");
  });

  it("a callee or literal on an op that is neither a call nor a const", () => {
    const d = only(mod([patchInst(sumsq(), 2, 1, () => ({ callee: "g" }))]));
    expect(d.code).toBe("E_VERIFY_ATTR");
    expect(d.message).toBe("@sumsq, block ^body, instruction `%sq: f64 = mul %x, %x`: mul has a callee (@g); only calls do");
    const e = only(mod([patchInst(sumsq(), 2, 1, () => ({ value: 2 }))]));
    expect(e.code).toBe("E_VERIFY_ATTR");
    expect(e.message).toContain("mul has a literal value; only const does");
  });

  it("calls to unknown names and to the wrong kind of callee", () => {
    const cases: [(fb: FuncBuilder, x: number, i: number) => number, string][] = [
      [(fb, x) => fb.emit1(0, "call", [x], "f64", { callee: "nope" }, "y"), "`%y: f64 = call @nope(%x)`: @nope is not a function of the module"],
      [(fb, x) => fb.emit1(0, "call", [x], "f64", { callee: "g" }), "@g is not a function of the module (@g is an extern: use call.extern)"],
      [(fb, x) => fb.emit1(0, "call.extern", [x], "f64", { callee: "h" }), "@h is not an extern of the module (@h is a function: use call)"],
      [(fb, x) => fb.emit1(0, "call", [x], "f64", {}, "y"), "`%y: f64 = call @\"?\"(%x)`: call has no callee"],
    ];
    for (const [make, message] of cases) {
      const d = only(callModule(make));
      expect(d.code).toBe(message.includes("no callee") ? "E_VERIFY_ATTR" : "E_VERIFY_CALL");
      expect(d.message).toContain(message);
      expect(d.message).toMatch(/^@caller, block \^entry, instruction `/);
    }
  });

  it("calls whose arguments or results do not match the signature", () => {
    const cases: [(fb: FuncBuilder, x: number, i: number) => number, string[]][] = [
      [(fb, _x, i) => fb.emit1(0, "call", [i], "f64", { callee: "h" }), ["argument 1 %i has type i32, but @h expects f64"]],
      [(fb) => fb.emit1(0, "call.extern", [], "f64", { callee: "g" }), ["@g takes 1 argument, got 0"]],
      [(fb, x) => fb.emit(0, "call", [x], ["f64", "f64"], { callee: "h" })[0]!, ["@h returns 1 value, but the call has 2 results"]],
      [
        (fb, x) => fb.emit1(0, "call.extern", [fb.emit1(0, "call.extern", [x], "i32", { callee: "g" }, "k")], "f64", { callee: "g" }),
        ["result %k has type i32, but @g returns f64", "argument 1 %k has type i32, but @g expects f64"],
      ],
    ];
    for (const [make, details] of cases) {
      const ds = checkModule(callModule(make));
      expect(ds.map((d) => d.code)).toEqual(details.map(() => "E_VERIFY_CALL"));
      expect(ds.map((d) => d.message.replace(/^.*`: /, ""))).toEqual(details);
    }
  });

  it("edges whose arguments do not match the target's parameters", () => {
    const d = only(mod([patchBlock(sumsq(), 0, () => ({ term: { kind: "br", target: { block: 1, args: [2] } } }))]));
    expect(d.code).toBe("E_VERIFY_EDGE");
    expect(d.message).toBe("@sumsq, block ^entry, terminator `br ^loop(%zero)`: passes 1 argument to ^loop, which has 2 parameters");
    const ds = checkModule(mod([patchBlock(sumsq(), 1, (b) => ({ term: { ...b.term, else: { block: 3, args: [4] } } as Block["term"] }))]));
    expect(ds).toHaveLength(1);
    expect(ds[0]!.code).toBe("E_VERIFY_EDGE");
    expect(ds[0]!.message).toBe("@sumsq, block ^loop, terminator `condbr %more, ^body, ^exit(%i)`: else-edge: argument 1 %i has type i32, but parameter %r of ^exit has type f64");
  });

  it("a branch condition that is not bool", () => {
    const d = only(mod([patchBlock(sumsq(), 1, (b) => ({ term: { ...b.term, cond: 5 } as Block["term"] }))]));
    expect(d.code).toBe("E_VERIFY_TYPE");
    expect(d.message).toBe("@sumsq, block ^loop, terminator `condbr %acc, ^body, ^exit(%acc)`: condition %acc has type f64, expected bool");
  });

  it("returns that do not match the function's results", () => {
    const d = only(mod([patchBlock(sumsq(), 3, () => ({ term: { kind: "ret", values: [12, 12] } }))]));
    expect(d.code).toBe("E_VERIFY_RETURN");
    expect(d.message).toBe("@sumsq, block ^exit, terminator `ret %r, %r`: returns 2 values, but the function returns 1 value (f64)");
    const e = only(mod([patchBlock(sumsq(), 3, () => ({ term: { kind: "ret", values: [4] } }))]));
    expect(e.code).toBe("E_VERIFY_RETURN");
    expect(e.message).toContain("`ret %i`: returned value 1 %i has type i32, but the function returns f64");
  });

  it("a use not dominated by its definition", () => {
    const d = only(mod([badDiamond()]));
    expect(d.code).toBe("E_VERIFY_DOMINANCE");
    expect(d.message).toBe("@diamond, block ^join, instruction `%z: f64 = add %y, %x`: operand 1 %y is defined in block ^a, which does not dominate ^join");
    expect(d.frame).toContain(">   %z: f64 = add %y, %x");
  });

  it("a use before its definition in the same block, and an instruction reading its own result", () => {
    const d = only(mod([patchInst(sumsq(), 2, 1, () => ({ args: [7, 9] }))]));
    expect(d.code).toBe("E_VERIFY_DOMINANCE");
    expect(d.message).toBe("@sumsq, block ^body, instruction `%sq: f64 = mul %x, %acc1`: operand 2 %acc1 is used before its definition later in ^body");
    const e = only(mod([patchInst(sumsq(), 2, 1, () => ({ args: [7, 8] }))]));
    expect(e.code).toBe("E_VERIFY_DOMINANCE");
    expect(e.message).toContain("operand 2 %sq is this instruction's own result");
  });

  it("edge arguments and conditions are uses at the end of the source block", () => {
    // `br ^loop(%i1, %acc1)` moved into ^loop's header would read values of ^body.
    const f = patchBlock(sumsq(), 0, () => ({ term: { kind: "br", target: { block: 1, args: [11, 3] } } }));
    const d = only(mod([f]));
    expect(d.code).toBe("E_VERIFY_DOMINANCE");
    expect(d.message).toBe("@sumsq, block ^entry, terminator `br ^loop(%i1, %acc0)`: argument 1 %i1 is defined in block ^body, which does not dominate ^entry");
  });

  it("a reachable use of a value defined in an unreachable block", () => {
    const fb = new FuncBuilder("f", ["f64"]);
    const [entry, dead] = [fb.addBlock("entry"), fb.addBlock("dead")];
    const x = fb.addParam(entry, "f64", "x");
    const y = fb.emit1(dead, "neg", [x], "f64", {}, "y");
    fb.ret(dead, [y]);
    fb.ret(entry, [y]);
    const d = only(mod([fb.finish()]));
    expect(d.code).toBe("E_VERIFY_DOMINANCE");
    expect(d.message).toBe("@f, block ^entry, terminator `ret %y`: returned value 1 %y is defined in block ^dead, which is unreachable");
  });

  it("duplicate function and extern names", () => {
    const g: Extern = { name: "g", params: ["f64"], results: ["f64"], loc: { line: 1, col: 1 } };
    const ds = checkModule(mod([sumsq(), sumsq(), { ...sumsq(), name: "g" }], [g, g]));
    expect(ds.map((d) => [d.code, d.message])).toEqual([
      ["E_VERIFY_STRUCTURE", "extern @g: declared twice"],
      ["E_VERIFY_STRUCTURE", "@sumsq: the name @sumsq is already used by another function"],
      ["E_VERIFY_STRUCTURE", "@g: the name @g is already used by an extern"],
    ]);
    expect(ds[0]!.frame).toBe("> extern @g(f64) -> f64");
    expect(ds[0]!.location).toEqual({ line: 1, col: 1 });
  });

  it("unknown types and unknown ops", () => {
    const f = sumsq();
    const badType: Func = { ...f, values: f.values.map((v, i) => (i === 8 ? { ...v, type: "f32" as Type } : v)) };
    const ds = checkModule(mod([badType]));
    expect(ds[0]!.code).toBe("E_VERIFY_TYPE");
    expect(ds[0]!.message).toBe('@sumsq, block ^body, instruction `%sq: f32 = mul %x, %x`: %sq has unknown type "f32"');
    const d = only(mod([patchInst(f, 2, 1, () => ({ op: "frob" as Opcode }))]));
    expect(d.code).toBe("E_VERIFY_STRUCTURE");
    expect(d.message).toContain('`%sq: f64 = frob %x, %x`: unknown op "frob"');
  });
});

describe("diagnostics", () => {
  it("reports every problem, in printed-line order, and verify throws them all", () => {
    // A duplicate definition in ^exit (found first) and a type error in ^entry.
    let f = patchBlock(sumsq(), 3, () => ({ params: [5] }));
    f = patchInst(f, 0, 1, () => ({ value: 1.5 }));
    const ds = checkModule(mod([f]));
    expect(ds.map((d) => d.message.split(":")[0])).toEqual(["@sumsq, block ^entry, instruction `%zero", "@sumsq, block ^exit", "@sumsq, block ^exit, terminator `ret %\"?12\"`"]);
    let error: unknown;
    try {
      verify(mod([f]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VerifyError);
    const ve = error as VerifyError;
    expect(ve.stage).toBe("verify");
    expect(ve.code).toBe("E_VERIFY_ATTR");
    expect(ve.diagnostics).toEqual(ds);
    expect(ve.message).toContain("i32 literal 1.5 is not an integer");
    expect(ve.message).toContain("%acc_1 is defined twice");
  });

  it("carries the instruction's source location and, given the source, its line", () => {
    const loc = { file: "m.ts", line: 2, col: 9 };
    const f = patchInst(sumsq(), 2, 2, () => ({ args: [5, 4], loc }));
    const d = only(mod([f]));
    expect(d.location).toEqual(loc);
    const source = "function sumsq(xs: number[]) {\n  acc = acc + i;\n}";
    const [withSource] = checkModule(mod([f]), { source });
    expect(withSource!.frame).toBe(`${d.frame}\n  1 | function sumsq(xs: number[]) {\n> 2 |   acc = acc + i;\n    |         ^`);
  });
});
