// Printer/parser round trip on modules built with FuncBuilder: every op of
// OPS, every literal edge case (and random doubles and i32s), names that need
// quoting, duplicate hints, unnamed values and blocks, source locations.
// Modules built in layout order (ids in order of definition, unique plain
// hints) must come back structurally equal, not just print the same.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FuncBuilder } from "../../ir/builder.js";
import type { Opcode, OpTable } from "../../ir/ops.js";
import { OPCODES } from "../../ir/ops.js";
import { parseIR } from "../../ir/parser.js";
import { printIR } from "../../ir/printer.js";
import type { Func, Module, Type } from "../../ir/types.js";

/** Prints with locations, parses, checks the reprint is identical; returns the parsed module. */
function roundTrip(m: Module): Module {
  const text = printIR(m, { locations: true });
  const back = parseIR(text);
  expect(printIR(back, { locations: true })).toBe(text);
  return back;
}

/** The module without name hints on values and blocks (for modules whose hints the printer renames). */
function stripNames(m: Module): Module {
  const strip = (f: Func): Func => ({
    ...f,
    values: f.values.map((v) => ({ type: v.type })),
    blocks: f.blocks.map(({ name: _, ...b }) => b),
  });
  return { ...m, funcs: m.funcs.map(strip) };
}

/** One sample signature per op, so that every op is printed and parsed. */
const SAMPLE: OpTable<{ readonly args: readonly Type[]; readonly results: readonly Type[] }> = {
  const: { args: [], results: ["f64"] },
  add: { args: ["f64", "f64"], results: ["f64"] },
  sub: { args: ["i32", "i32"], results: ["i32"] },
  mul: { args: ["f64", "f64"], results: ["f64"] },
  div: { args: ["f64", "f64"], results: ["f64"] },
  rem: { args: ["i32", "i32"], results: ["i32"] },
  neg: { args: ["f64"], results: ["f64"] },
  pow: { args: ["f64", "f64"], results: ["f64"] },
  min: { args: ["f64", "f64"], results: ["f64"] },
  max: { args: ["i32", "i32"], results: ["i32"] },
  abs: { args: ["f64"], results: ["f64"] },
  sqrt: { args: ["f64"], results: ["f64"] },
  cbrt: { args: ["f64"], results: ["f64"] },
  exp: { args: ["f64"], results: ["f64"] },
  expm1: { args: ["f64"], results: ["f64"] },
  log: { args: ["f64"], results: ["f64"] },
  log1p: { args: ["f64"], results: ["f64"] },
  log2: { args: ["f64"], results: ["f64"] },
  log10: { args: ["f64"], results: ["f64"] },
  sin: { args: ["f64"], results: ["f64"] },
  cos: { args: ["f64"], results: ["f64"] },
  tan: { args: ["f64"], results: ["f64"] },
  asin: { args: ["f64"], results: ["f64"] },
  acos: { args: ["f64"], results: ["f64"] },
  atan: { args: ["f64"], results: ["f64"] },
  atan2: { args: ["f64", "f64"], results: ["f64"] },
  sinh: { args: ["f64"], results: ["f64"] },
  cosh: { args: ["f64"], results: ["f64"] },
  tanh: { args: ["f64"], results: ["f64"] },
  hypot: { args: ["f64", "f64"], results: ["f64"] },
  sign: { args: ["f64"], results: ["f64"] },
  floor: { args: ["f64"], results: ["f64"] },
  ceil: { args: ["f64"], results: ["f64"] },
  round: { args: ["f64"], results: ["f64"] },
  lt: { args: ["f64", "f64"], results: ["bool"] },
  le: { args: ["i32", "i32"], results: ["bool"] },
  gt: { args: ["f64", "f64"], results: ["bool"] },
  ge: { args: ["f64", "f64"], results: ["bool"] },
  eq: { args: ["i32", "i32"], results: ["bool"] },
  ne: { args: ["f64", "f64"], results: ["bool"] },
  select: { args: ["bool", "f64[]", "f64[]"], results: ["f64[]"] },
  and: { args: ["bool", "bool"], results: ["bool"] },
  or: { args: ["bool", "bool"], results: ["bool"] },
  not: { args: ["bool"], results: ["bool"] },
  "i32.to.f64": { args: ["i32"], results: ["f64"] },
  "f64.to.i32": { args: ["f64"], results: ["i32"] },
  "array.new": { args: ["i32", "f64"], results: ["f64[]"] },
  "array.get": { args: ["f64[]", "i32"], results: ["f64"] },
  "array.set": { args: ["f64[]", "i32", "f64"], results: [] },
  "array.len": { args: ["f64[]"], results: ["i32"] },
  "array.copy": { args: ["f64[]"], results: ["f64[]"] },
  call: { args: ["f64", "f64[]"], results: ["f64", "f64"] },
  "call.extern": { args: ["f64"], results: ["f64"] },
  "stack.new": { args: [], results: ["stack<i32>"] },
  "stack.push": { args: ["stack<f64>", "f64"], results: [] },
  "stack.pop": { args: ["stack<f64>"], results: ["f64"] },
};

const EXTRAS: Partial<Record<Opcode, { value?: number; callee?: string }>> = {
  const: { value: 1.5 },
  call: { callee: "two" },
  "call.extern": { callee: "ext.g" },
};

/** A function using every op once, with a parameter of each type, a loop edge and locations on some instructions. */
function allOpsModule(): Module {
  const b = new FuncBuilder("all_ops", ["f64", "f64"]);
  const entry = b.addBlock("entry");
  const params = new Map<Type, number>();
  const paramNames = { f64: "x", i32: "k", bool: "c", "f64[]": "xs", "stack<f64>": "s" } as const;
  for (const [t, name] of Object.entries(paramNames)) params.set(t as Type, b.addParam(entry, t as Type, name));
  OPCODES.forEach((op, i) => {
    const s = SAMPLE[op];
    const loc = i % 3 === 0 ? { line: i + 1, col: 2 } : i % 3 === 1 ? { file: "src/model.ts", line: i + 1, col: 7 } : undefined;
    const extras = { ...EXTRAS[op], ...(loc && { loc }) };
    b.emit(
      entry,
      op,
      s.args.map((t) => params.get(t)!),
      s.results,
      extras,
      s.results.map((_, k) => `${op}_${k}`),
    );
  });
  const exit = b.addBlock("exit");
  const r = b.addParam(exit, "f64", "r");
  b.condbr(entry, params.get("bool")!, exit, [params.get("f64")!], exit, [params.get("f64")!], { line: 99, col: 3 });
  b.ret(exit, [r, r]);
  const two = new FuncBuilder("two", ["f64", "f64"]);
  const e2 = two.addBlock("entry");
  const x = two.addParam(e2, "f64", "x");
  two.addParam(e2, "f64[]", "xs");
  two.ret(e2, [x, x], { file: "a.ts", line: 1, col: 1 });
  return { funcs: [b.finish(), two.finish()], externs: [{ name: "ext.g", params: ["f64"], results: ["f64"] }] };
}

describe("every op", () => {
  it("the sample table covers OPCODES", () => {
    expect(Object.keys(SAMPLE).sort()).toEqual([...OPCODES].sort());
  });

  it("round-trips to an equal module", () => {
    const m = allOpsModule();
    const text = printIR(m, { locations: true });
    for (const op of OPCODES) expect(text).toContain(` ${op}`);
    expect(roundTrip(m)).toEqual(m);
  });

  it("reads annotated output (trailing comments from analyses) as the same module", () => {
    const m = allOpsModule();
    const annotated = printIR(m, { locations: true, annotateInst: (_, b, i) => `b${b} i${i} // nested`, annotateBlock: (f) => `in @${f.name}` });
    expect(annotated).toContain("  // b0 i0 // nested");
    expect(parseIR(annotated)).toEqual(m);
  });

  it("drops locations when printed without them", () => {
    const back = parseIR(printIR(allOpsModule()));
    const f = back.funcs[0]!;
    expect(f.blocks.flatMap((b) => [...b.insts.map((i) => i.loc), b.term.loc]).filter((l) => l !== undefined)).toEqual([]);
  });
});

describe("literals", () => {
  /** A function returning constants of `type` with the given values. */
  function constModule(type: Type, values: readonly number[]): Module {
    const b = new FuncBuilder("lits", values.map(() => type));
    const e = b.addBlock("entry");
    b.ret(
      e,
      values.map((v, i) => b.constant(e, type, v, undefined, `c${i}`)),
    );
    return { funcs: [b.finish()], externs: [] };
  }
  function constsBack(type: Type, values: readonly number[]): number[] {
    return roundTrip(constModule(type, values)).funcs[0]!.blocks[0]!.insts.map((i) => i.value!);
  }
  const expectSame = (got: readonly number[], want: readonly number[]): void => {
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => expect(Object.is(g, want[i]), `${g} vs ${want[i]}`).toBe(true));
  };

  it("keeps f64 edge cases bit for bit", () => {
    const edge = [0, -0, NaN, Infinity, -Infinity, 1, -1.5, 0.1, 1 / 3, 1e21, 1e-7, 123456789012345680000, 5e-324, 2.5e-323, Number.MAX_VALUE, Number.EPSILON, 2 ** 53, 2 ** 53 + 2, -(2 ** 31), 1.7976931348623155e308];
    expectSame(constsBack("f64", edge), edge);
  });

  it("keeps i32 edge cases and bools", () => {
    const ints = [0, -0, 1, -1, 2147483647, -2147483648, 65536];
    expectSame(constsBack("i32", ints), ints);
    expectSame(constsBack("bool", [0, 1]), [0, 1]);
  });

  it("keeps random doubles and i32s", () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { minLength: 1, maxLength: 8 }), (xs) => expectSame(constsBack("f64", xs), xs)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 8 }), (xs) => expectSame(constsBack("i32", xs), xs)),
      { numRuns: 100 },
    );
  });
});

describe("names", () => {
  const AWKWARD = ['a"b', "back\\slash", "new\nline", "cr\rlf", "tab\there", "*/", "/*", "${x}", "`tick`", "with space", "x.y", "1abc", "é", "💥", "\u0000", "\u2028", "\ud800", "//not a comment", "%^@", "{}", "loc(1:2)", "-inf", "f64", "ret", "-"];

  it("quotes awkward function, extern, block and value names and reads them back", () => {
    const funcs = AWKWARD.map((name, i) => {
      const b = new FuncBuilder(name, ["f64"]);
      const e = b.addBlock(name);
      const x = b.addParam(e, "f64", name);
      const y = b.emit1(e, "call.extern", [x], "f64", { callee: `ext ${name}` }, `${name}'`);
      const next = b.addBlock(`${name}'`);
      const p = b.addParam(next, "f64", `${name}''`);
      b.br(e, next, [y], { file: name, line: i + 1, col: 1 });
      b.ret(next, [p]);
      return b.finish();
    });
    const m: Module = { funcs, externs: AWKWARD.map((name) => ({ name: `ext ${name}`, params: ["f64"], results: ["f64"] })) };
    expect(roundTrip(m)).toEqual(m);
  });

  it("keeps plain names bare", () => {
    const b = new FuncBuilder("$f_1", ["f64"]);
    const e = b.addBlock("_entry$");
    const x = b.addParam(e, "f64", "$x");
    b.ret(e, [x]);
    const m: Module = { funcs: [b.finish()], externs: [] };
    expect(printIR(m)).toBe("func @$f_1(%$x: f64) -> f64 {\n^_entry$:\n  ret %$x\n}\n");
    expect(roundTrip(m)).toEqual(m);
  });

  it("reads back the distinct names the printer gives duplicate hints", () => {
    const b = new FuncBuilder("dups", ["f64"]);
    const e = b.addBlock("b");
    const x = b.addParam(e, "f64", "x");
    let acc = x;
    for (const hint of ["x", "x_1", "x", undefined, "3", "x", undefined, "x_2"]) acc = b.emit1(e, "neg", [acc], "f64", {}, hint);
    const l = b.addBlock("b");
    b.br(e, l, []);
    b.ret(l, [acc]);
    const m: Module = { funcs: [b.finish()], externs: [] };
    const back = roundTrip(m);
    // The digit-only hint "3" reads as a number: like the two unnamed values, it comes back without a hint.
    const hints = back.funcs[0]!.values.map((v) => v.name);
    const named = hints.filter((h) => h !== undefined);
    expect(named.length).toBe(hints.length - 3);
    expect(new Set(named).size).toBe(named.length);
    expect(back.funcs[0]!.blocks.map((bl) => bl.name)).toEqual(["b", "b_1"]);
    expect(stripNames(back)).toEqual(stripNames(m));
  });

  it("round-trips unnamed values and blocks", () => {
    const b = new FuncBuilder("anon", ["f64"]);
    const e = b.addBlock();
    const x = b.addParam(e, "f64");
    const one = b.constant(e, "f64", 1);
    const loop = b.addBlock();
    const i = b.addParam(loop, "f64");
    b.br(e, loop, [x]);
    const more = b.emit1(loop, "lt", [i, one], "bool");
    const next = b.emit1(loop, "add", [i, one], "f64", {}, "next");
    const done = b.addBlock("done");
    b.condbr(loop, more, loop, [next], done, []);
    b.ret(done, [i]);
    const m: Module = { funcs: [b.finish()], externs: [] };
    const back = roundTrip(m);
    expect(stripNames(back)).toEqual(stripNames(m));
    expect(back.funcs[0]!.values.map((v) => v.name)).toEqual([undefined, undefined, undefined, undefined, "next"]);
  });

  it("round-trips digit-string block and function names", () => {
    const b = new FuncBuilder("12", []);
    const e = b.addBlock("0");
    const next = b.addBlock("7");
    b.br(e, next);
    b.ret(next, []);
    const m: Module = { funcs: [b.finish()], externs: [{ name: "3", params: [], results: [] }] };
    expect(printIR(m)).toBe("extern @3() -> ()\n\nfunc @12() -> () {\n^0:\n  br ^7\n^7:\n  ret\n}\n");
    expect(roundTrip(m)).toEqual(m);
  });

  it("round-trips blocks laid out in another order than created", () => {
    const b = new FuncBuilder("order", ["f64"]);
    const e = b.addBlock("entry");
    const x = b.addParam(e, "f64", "x");
    const late = b.addBlock("late");
    const early = b.addBlock("early");
    const y = b.emit1(early, "neg", [x], "f64", {}, "y");
    b.br(e, early);
    b.br(early, late);
    b.ret(late, [y]);
    const m: Module = { funcs: [b.finish([0, 2, 1])], externs: [] };
    expect(printIR(m)).toContain("^early:\n  %y: f64 = neg %x\n  br ^late\n^late:\n  ret %y\n");
    roundTrip(m);
  });
});

describe("modules", () => {
  it("round-trips the empty module, blockless functions and externs without results", () => {
    expect(roundTrip({ funcs: [], externs: [] })).toEqual({ funcs: [], externs: [] });
    const m: Module = {
      funcs: [{ name: "nothing", results: [], blocks: [], values: [] }],
      externs: [
        { name: "a", params: [], results: [] },
        { name: "b", params: ["f64[]", "stack<f64>", "stack<i32>", "bool", "i32"], results: ["f64", "f64[]"] },
      ],
    };
    expect(roundTrip(m)).toEqual(m);
  });
});
