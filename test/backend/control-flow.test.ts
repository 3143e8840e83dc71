// Structured control flow and block arguments in the generated JavaScript:
// parallel copies on back edges (swap_loop, rotate_loop, a copy whose sources
// are shared), irreducible CFGs through the dispatch fallback, loops in
// sequence staying flat, nesting deeper than MAX_NESTING falling back, and
// the unit behaviour of `sequentialize`. Every run is checked against the
// interpreter.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, emitJS } from "../../backend/index.js";
import { sequentialize } from "../../backend/parallel-copy.js";
import { MAX_NESTING } from "../../backend/structure.js";
import { FuncBuilder } from "../../ir/builder.js";
import { parseIR } from "../../ir/parser.js";
import type { Module } from "../../ir/types.js";
import { verify } from "../../ir/verifier.js";
import { expectAgrees } from "./support.js";

const SWAP_LOOP = `
func @swap(%a: f64, %b: f64, %n: i32) -> (f64, f64) {
^entry:
  %zero: i32 = const 0
  br ^loop(%a, %b, %zero)
^loop(%x: f64, %y: f64, %i: i32):
  %more: bool = lt %i, %n
  condbr %more, ^body, ^exit
^body:
  %one: i32 = const 1
  %i1: i32 = add %i, %one
  br ^loop(%y, %x, %i1)
^exit:
  ret %x, %y
}
`;

const ROTATE_LOOP = `
func @rotate(%a: f64, %b: f64, %c: f64, %d: f64, %n: i32) -> (f64, f64, f64, f64) {
^entry:
  %zero: i32 = const 0
  br ^loop(%a, %b, %c, %d, %zero)
^loop(%w: f64, %x: f64, %y: f64, %z: f64, %i: i32):
  %more: bool = lt %i, %n
  condbr %more, ^body, ^exit
^body:
  %one: i32 = const 1
  %i1: i32 = add %i, %one
  br ^loop(%x, %y, %z, %w, %i1)
^exit:
  ret %w, %x, %y, %z
}
`;

// Two cycles on one edge (a 2-cycle and a 3-cycle) plus a parameter fed from
// another parameter that is itself overwritten, and a duplicated source.
const TANGLED_LOOP = `
func @tangled(%a: f64, %b: f64, %c: f64, %d: f64, %e: f64, %n: i32) -> (f64, f64, f64, f64, f64, f64) {
^entry:
  %zero: i32 = const 0
  br ^loop(%a, %b, %c, %d, %e, %a, %zero)
^loop(%p: f64, %q: f64, %r: f64, %s: f64, %t: f64, %u: f64, %i: i32):
  %more: bool = lt %i, %n
  condbr %more, ^body, ^exit
^body:
  %one: i32 = const 1
  %i1: i32 = add %i, %one
  %sum: f64 = add %p, %t
  br ^loop(%q, %p, %s, %t, %r, %q, %i1)
^exit:
  ret %p, %q, %r, %s, %t, %u
}
`;

function runAll(module: Module, fn: string, argsList: readonly (readonly number[])[]): void {
  verify(module);
  for (const args of argsList) expectAgrees(module, fn, args);
}

describe("block arguments are a parallel copy", () => {
  it("swap_loop", () => {
    const m = parseIR(SWAP_LOOP);
    const swap = compile(m).swap!;
    expect(swap(1, 2, 0)).toEqual([1, 2]);
    expect(swap(1, 2, 1)).toEqual([2, 1]);
    expect(swap(1, 2, 7)).toEqual([2, 1]);
    runAll(m, "swap", [[1, 2, 0], [1, 2, 3], [-0, NaN, 4]]);
  });

  it("rotate_loop", () => {
    const m = parseIR(ROTATE_LOOP);
    const rotate = compile(m).rotate!;
    expect(rotate(1, 2, 3, 4, 1)).toEqual([2, 3, 4, 1]);
    expect(rotate(1, 2, 3, 4, 3)).toEqual([4, 1, 2, 3]);
    expect(rotate(1, 2, 3, 4, 8)).toEqual([1, 2, 3, 4]);
    runAll(m, "rotate", [[1, 2, 3, 4, 0], [1, 2, 3, 4, 5], [1, 2, 3, 4, 6]]);
  });

  it("tangled_loop: two cycles, a chain and a shared source on one edge", () => {
    const m = parseIR(TANGLED_LOOP);
    runAll(m, "tangled", [0, 1, 2, 3, 4, 5, 6].map((n) => [1, 2, 3, 4, 5, n]));
    expect(compile(m).tangled!(1, 2, 3, 4, 5, 1)).toEqual([2, 1, 4, 5, 3, 2]);
  });
});

describe("sequentialize", () => {
  const names = ["a", "b", "c", "d", "e", "f"];
  const apply = (dests: string[], srcs: string[]): Record<string, string> => {
    const env: Record<string, string> = {};
    for (const name of [...names, ...srcs]) env[name] = `old ${name}`;
    for (const m of sequentialize(dests, srcs, (k) => `t${k}`)) env[m.dest] = env[m.src]!;
    return env;
  };

  it("drops identity moves and needs no temporary without a cycle", () => {
    const moves = sequentialize(["a", "b", "c"], ["a", "c", "x"], (k) => `t${k}`);
    expect(moves).toEqual([
      { dest: "b", src: "c" },
      { dest: "c", src: "x" },
    ]);
  });

  it("breaks a 2-cycle with one temporary", () => {
    const moves = sequentialize(["a", "b"], ["b", "a"], (k) => `t${k}`);
    expect(moves.filter((m) => m.dest.startsWith("t"))).toHaveLength(1);
    expect(apply(["a", "b"], ["b", "a"])).toMatchObject({ a: "old b", b: "old a" });
  });

  it("has parallel-copy semantics on random permutations with extra sources", () => {
    const arb = fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 6, maxLength: 6 }).chain((srcIdx) =>
      fc.shuffledSubarray(names, { minLength: 1 }).map((dests) => ({ dests, srcs: dests.map((_, i) => (srcIdx[i]! < 6 ? names[srcIdx[i]!]! : `k${srcIdx[i]}`)) })),
    );
    fc.assert(
      fc.property(arb, ({ dests, srcs }) => {
        const env = apply(dests, srcs);
        dests.forEach((d, i) => expect(env[d]).toBe(`old ${srcs[i]}`));
        for (const n of names) if (!dests.includes(n)) expect(env[n]).toBe(`old ${n}`);
      }),
      { numRuns: 300 },
    );
  });
});

describe("irreducible control flow", () => {
  // Two entries into a cycle a <-> b, and a loop nested in the cycle.
  const IRREDUCIBLE = `
func @irr(%x: f64, %n: i32) -> f64 {
^entry:
  %zero: i32 = const 0
  %z: f64 = const 0.0
  %pos: bool = gt %x, %z
  condbr %pos, ^a(%zero, %x), ^b(%zero, %x)
^a(%i: i32, %acc: f64):
  %one: i32 = const 1
  %i1: i32 = add %i, %one
  %half: f64 = const 0.5
  %acc1: f64 = mul %acc, %half
  %done: bool = ge %i1, %n
  condbr %done, ^exit(%acc1), ^b(%i1, %acc1)
^b(%j: i32, %acc2: f64):
  %k0: i32 = const 0
  br ^inner(%k0, %acc2)
^inner(%k: i32, %s: f64):
  %two: i32 = const 2
  %more: bool = lt %k, %two
  condbr %more, ^innerBody, ^bEnd
^innerBody:
  %three: f64 = const 3.0
  %s1: f64 = add %s, %three
  %one_k: i32 = const 1
  %k1: i32 = add %k, %one_k
  br ^inner(%k1, %s1)
^bEnd:
  %one_j: i32 = const 1
  %j1: i32 = add %j, %one_j
  %done_b: bool = ge %j1, %n
  condbr %done_b, ^exit(%s), ^a(%j1, %s)
^exit(%r: f64):
  ret %r
}
`;

  it("compiles through the dispatch fallback and agrees with the interpreter", () => {
    const m = parseIR(IRREDUCIBLE);
    expect(emitJS(m)).toContain("switch (bb)");
    runAll(
      m,
      "irr",
      [-2, 0.5, 3].flatMap((x) => [0, 1, 2, 5].map((n) => [x, n])),
    );
  });

  it("keeps the reducible functions of the same module structured", () => {
    const m = parseIR(IRREDUCIBLE + SWAP_LOOP);
    const js = emitJS(m);
    expect(js.match(/switch \(bb\)/g)).toHaveLength(1);
    runAll(m, "swap", [[1, 2, 3]]);
  });
});

/** `f(x)`: `count` counted loops one after the other, each adding to an accumulator. */
function loopsInSequence(count: number): Module {
  const b = new FuncBuilder("seq", ["f64"]);
  let cur = b.addBlock();
  let acc = b.addParam(cur, "f64", "x");
  for (let k = 0; k < count; k++) {
    const zero = b.constant(cur, "i32", 0);
    const head = b.addBlock();
    const body = b.addBlock();
    const exit = b.addBlock();
    const i = b.addParam(head, "i32");
    const a = b.addParam(head, "f64");
    b.br(cur, head, [zero, acc]);
    const two = b.constant(head, "i32", 2);
    const more = b.emit1(head, "lt", [i, two], "bool");
    b.condbr(head, more, body, [], exit, []);
    const s = b.emit1(body, "sin", [a], "f64");
    const a1 = b.emit1(body, "add", [a, s], "f64");
    const one = b.constant(body, "i32", 1);
    const i1 = b.emit1(body, "add", [i, one], "i32");
    b.br(body, head, [i1, a1]);
    cur = exit;
    acc = a;
  }
  b.ret(cur, [acc]);
  return { funcs: [b.finish()], externs: [] };
}

/** `f(x)`: ifs nested `depth` deep (each then-branch holds the next if). */
function nestedIfs(depth: number): Module {
  const b = new FuncBuilder("nest", ["f64"]);
  let cur = b.addBlock();
  const x = b.addParam(cur, "f64", "x");
  for (let k = 0; k < depth; k++) {
    const c = b.constant(cur, "f64", k);
    const gt = b.emit1(cur, "gt", [x, c], "bool");
    const thenB = b.addBlock();
    const elseB = b.addBlock();
    b.condbr(cur, gt, thenB, [], elseB, []);
    b.ret(elseB, [c]);
    cur = thenB;
  }
  b.ret(cur, [x]);
  return { funcs: [b.finish()], externs: [] };
}

describe("layout", () => {
  it("keeps 300 loops in sequence flat and structured", () => {
    const m = loopsInSequence(300);
    verify(m);
    const js = emitJS(m);
    expect(js).not.toContain("switch (bb)");
    expect(js.match(/while \(true\)/g)).toHaveLength(300);
    runAll(m, "seq", [[0.3], [-1]]);
  });

  it("falls back to the dispatch loop when ifs nest deeper than MAX_NESTING", () => {
    const shallow = nestedIfs(MAX_NESTING - 10);
    const deep = nestedIfs(MAX_NESTING + 10);
    expect(emitJS(shallow)).not.toContain("switch (bb)");
    expect(emitJS(deep)).toContain("switch (bb)");
    runAll(deep, "nest", [[-1], [50.5], [MAX_NESTING + 20]]);
  });
});
