// Runtime behaviour of compiled code at and inside the boundary: faults raise
// the interpreter's DerivRuntimeError codes at the same locations, argument
// checks, calling conventions (one result, several, none), value semantics of
// array arguments, extern binding and checking, and deep recursion.

import { describe, expect, it } from "vitest";
import { compile, emitJS } from "../../backend/index.js";
import { DerivRuntimeError } from "../../ir/errors.js";
import type { RtValue } from "../../ir/eval.js";
import { parseIR } from "../../ir/parser.js";
import { verify } from "../../ir/verifier.js";
import { compiled, expectAgrees } from "./support.js";

/** The code (and line) of the DerivRuntimeError `run` throws. */
function fault(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof DerivRuntimeError) return e.location ? `${e.code}@${e.location.line}` : e.code;
    throw e;
  }
  throw new Error("expected a DerivRuntimeError");
}

const ARRAYS = `
func @get(%xs: f64[], %k: i32) -> f64 {
^entry:
  %x: f64 = array.get %xs, %k loc(3:5)
  ret %x
}

func @getRem(%xs: f64[], %k: i32, %d: i32) -> f64 {
^entry:
  %j: i32 = rem %k, %d
  %x: f64 = array.get %xs, %j loc(9:5)
  ret %x
}

func @put(%xs: f64[], %k: i32, %v: f64) -> f64[] {
^entry:
  array.set %xs, %k, %v loc(15:5)
  ret %xs
}

func @make(%n: f64, %v: f64) -> f64[] {
^entry:
  %k: i32 = f64.to.i32 %n loc(21:5)
  %a: f64[] = array.new %k, %v loc(22:5)
  ret %a
}

func @roundTrip(%x: f64) -> f64 {
^entry:
  %k: i32 = f64.to.i32 %x loc(28:5)
  %y: f64 = i32.to.f64 %k
  ret %y
}

func @sumFirst(%xs: f64[]) -> f64 {
^entry:
  %zero: i32 = const 0
  %x: f64 = array.get %xs, %zero
  %c: f64[] = array.copy %xs
  %n: i32 = array.len %c
  %nf: f64 = i32.to.f64 %n
  %s: f64 = add %x, %nf
  ret %s
}
`;

describe("faults", () => {
  const m = parseIR(ARRAYS, { file: "arrays.ir" });
  verify(m);
  const f = compile(m);

  it("array.get out of bounds, at the instruction's location", () => {
    expect(f.get!([1, 2], 1)).toBe(2);
    expect(fault(() => f.get!([1, 2], 2))).toBe("E_RUNTIME_BOUNDS@3");
    expect(fault(() => f.get!([1, 2], -1))).toBe("E_RUNTIME_BOUNDS@3");
    expect(fault(() => f.get!([], 0))).toBe("E_RUNTIME_BOUNDS@3");
    for (const k of [0, 1, 2, -1, 2 ** 31 - 1, -(2 ** 31)]) expectAgrees(m, "get", [Float64Array.of(1, 2), k]);
  });

  it("a NaN index (integer remainder by zero) is out of bounds", () => {
    expect(fault(() => f.getRem!([1, 2], 1, 0))).toBe("E_RUNTIME_BOUNDS@9");
    expect(Object.is(f.getRem!([7, 8], -0, 5), 7)).toBe(true);
    for (const [k, d] of [[1, 0], [3, 2], [-3, 2], [0, 0]]) expectAgrees(m, "getRem", [Float64Array.of(7, 8), k!, d!]);
  });

  it("array.set out of bounds, and in bounds on a copy of the argument", () => {
    const xs = Float64Array.of(1, 2);
    const out = f.put!(xs, 0, 5);
    expect(Array.from(out)).toEqual([5, 2]);
    expect(Array.from(xs)).toEqual([1, 2]);
    expect(out).not.toBe(xs);
    expect(fault(() => f.put!(xs, 2, 5))).toBe("E_RUNTIME_BOUNDS@15");
    expectAgrees(m, "put", [xs, 1, -0]);
    expectAgrees(m, "put", [xs, 3, 1]);
  });

  it("f64.to.i32 accepts exactly the integers in [-2^31, 2^31), keeping -0", () => {
    expect(Object.is(f.roundTrip!(-0), -0)).toBe(true);
    expect(f.roundTrip!(-(2 ** 31))).toBe(-(2 ** 31));
    for (const x of [1.5, NaN, Infinity, 2 ** 31, -(2 ** 31) - 1]) expect(fault(() => f.roundTrip!(x))).toBe("E_RUNTIME_INDEX@28");
    for (const x of [-0, 0, 3, 1.5, NaN, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -Infinity]) expectAgrees(m, "roundTrip", [x]);
  });

  it("array.new needs a length in [0, 2^31)", () => {
    expect(Array.from(f.make!(3, 1.5))).toEqual([1.5, 1.5, 1.5]);
    expect(f.make!(0, 1).length).toBe(0);
    expect(fault(() => f.make!(-1, 0))).toBe("E_RUNTIME_INDEX@22");
    for (const n of [0, 2, -1, -0]) expectAgrees(m, "make", [n, NaN]);
  });

  it("stack.pop on an empty stack and `unreachable`", () => {
    const s = parseIR(`
func @pop2(%x: f64) -> f64 {
^entry:
  %s: stack<f64> = stack.new
  stack.push %s, %x
  %a: f64 = stack.pop %s
  %b: f64 = stack.pop %s loc(6:3)
  ret %b
}

func @never(%x: f64) -> f64 {
^entry:
  %z: f64 = const 0.0
  %c: bool = lt %x, %z
  condbr %c, ^bad, ^ok
^bad:
  unreachable loc(15:3)
^ok:
  ret %x
}
`);
    verify(s);
    const g = compile(s);
    expect(fault(() => g.pop2!(1))).toBe("E_RUNTIME_STACK@6");
    expect(fault(() => g.never!(-1))).toBe("E_RUNTIME_UNREACHABLE@15");
    expect(g.never!(2)).toBe(2);
    expectAgrees(s, "pop2", [1]);
    expectAgrees(s, "never", [-1]);
  });
});

describe("the boundary", () => {
  const m = parseIR(`
func @mix(%x: f64, %xs: f64[], %b: bool, %k: i32, %s: stack<f64>) -> (f64, bool, i32) {
^entry:
  %y: f64 = stack.pop %s
  %z: f64 = add %x, %y
  ret %z, %b, %k
}

func @none() -> () {
^entry:
  ret
}
` + ARRAYS);
  verify(m);
  const f = compile(m);

  it("returns one result directly, several as an array, none as undefined", () => {
    expect(f.roundTrip!(3)).toBe(3);
    expect(f.mix!(1, [], true, 4, [2])).toEqual([3, true, 4]);
    expect(f.none!()).toBeUndefined();
  });

  it("checks the number and kinds of arguments", () => {
    expect(fault(() => f.roundTrip!())).toBe("E_RUNTIME_ARGS");
    expect(fault(() => f.roundTrip!(1, 2))).toBe("E_RUNTIME_ARGS");
    expect(fault(() => f.roundTrip!("1"))).toBe("E_RUNTIME_ARGS");
    expect(fault(() => f.get!(1, 0))).toBe("E_RUNTIME_ARGS");
    expect(fault(() => f.get!([1, "2"], 0))).toBe("E_RUNTIME_ARGS");
    expect(fault(() => f.get!([1], 0.5))).toBe("E_RUNTIME_ARGS");
    expect(fault(() => f.mix!(1, [], 1, 4, [2]))).toBe("E_RUNTIME_ARGS");
    expect(fault(() => f.mix!(1, [], true, 4, Float64Array.of(2)))).toBe("E_RUNTIME_ARGS");
    const argLists = [[1, [], true, 2 ** 31, [1]], [1, new Float32Array(1), true, 0, [1]], [NaN, [1, 2], false, -3, [4, 5]]] as unknown as RtValue[][];
    for (const args of argLists) expect(compiled(m, "mix", args)).toEqual(expectAgrees(m, "mix", args));
  });

  it("accepts number[] for f64[] and never changes the caller's arrays", () => {
    const xs = [1, 2, 3];
    expect(f.sumFirst!(xs)).toBe(4);
    const s = [1, 2];
    expect(f.mix!(0, xs, true, 0, s)).toEqual([2, true, 0]);
    expect(s).toEqual([1, 2]);
    expect(xs).toEqual([1, 2, 3]);
  });
});

describe("stacks", () => {
  const m = parseIR(`
extern @sum(stack<f64>) -> f64

func @grow(%s: stack<i32>, %n: i32) -> (stack<i32>, f64) {
^entry:
  %zero: i32 = const 0
  br ^loop(%zero)
^loop(%i: i32):
  %more: bool = lt %i, %n
  condbr %more, ^body, ^exit
^body:
  stack.push %s, %i
  %one: i32 = const 1
  %i1: i32 = add %i, %one
  br ^loop(%i1)
^exit:
  %t: stack<f64> = stack.new
  %x: f64 = const -0.0
  stack.push %t, %x
  %y: f64 = call.extern @sum(%t)
  ret %s, %y
}

func @arrays(%a: f64[], %b: f64[]) -> (f64[], f64[]) {
^entry:
  %s: stack<f64[]> = stack.new
  stack.push %s, %a
  stack.push %s, %b
  %top: f64[] = stack.pop %s
  %zero: i32 = const 0
  %v: f64 = const 9.0
  array.set %top, %zero, %v
  %next: f64[] = stack.pop %s
  ret %top, %next
}
`);
  verify(m);
  const externs = { sum: ((s: number[]) => (s.push(1), s.reduce((p, q) => p + q, 0))) as unknown as (...a: number[]) => number };

  it("grow past their initial capacity and cross the boundary as number[]", () => {
    const f = compile(m, { externs });
    const start = [7, 8];
    const [s, y] = f.grow!(start, 40);
    expect(s).toEqual([7, 8, ...Array.from({ length: 40 }, (_, i) => i)]);
    expect(start).toEqual([7, 8]);
    expect(y).toBe(1);
    for (const n of [0, 3, 15, 16, 17, 100]) expectAgrees(m, "grow", [[1.5, -0], n], externs);
  });

  it("of arrays hold references", () => {
    const a = Float64Array.of(1, 2);
    const [top, next] = compile(m).arrays!(a, [3]);
    expect(Array.from(top)).toEqual([9]);
    expect(Array.from(next)).toEqual([1, 2]);
    expect(next).not.toBe(a);
    expectAgrees(m, "arrays", [a, Float64Array.of(3)]);
  });
});

describe("externs", () => {
  const m = parseIR(`
extern @g(f64) -> f64
extern @pair(f64, f64[]) -> (f64, i32)
extern @stopGradient(f64) -> f64
extern @toString(f64) -> f64

func @callG(%x: f64) -> f64 {
^entry:
  %y: f64 = call.extern @g(%x) loc(9:3)
  ret %y
}

func @callPair(%x: f64, %xs: f64[]) -> (f64, i32, f64) {
^entry:
  %a: f64, %k: i32 = call.extern @pair(%x, %xs) loc(15:3)
  %zero: i32 = const 0
  %first: f64 = array.get %xs, %zero
  ret %a, %k, %first
}

func @stop(%x: f64) -> f64 {
^entry:
  %y: f64 = call.extern @stopGradient(%x)
  ret %y
}

func @proto(%x: f64) -> f64 {
^entry:
  %y: f64 = call.extern @toString(%x) loc(28:3)
  ret %y
}
`);
  verify(m);

  it("calls bound externs and checks what they return", () => {
    const f = compile(m, { externs: { g: (x: number) => 2 * x, pair: (x: number, xs: Float64Array) => ((xs[0] = 99), [x + xs.length, 7]) } });
    expect(f.callG!(2)).toBe(4);
    expect(f.callPair!(1, [5, 6])).toEqual([3, 7, 5]);
    expectAgrees(m, "callPair", [1, Float64Array.of(5, 6)], { pair: (x, xs) => ((xs as unknown as Float64Array)[0] = 99, [x! + 1, 7]) });
    const bad = compile(m, { externs: { g: () => "2", pair: () => [1, 1.5] } });
    expect(fault(() => bad.callG!(1))).toBe("E_RUNTIME_EXTERN@9");
    expect(fault(() => bad.callPair!(1, []))).toBe("E_RUNTIME_EXTERN@15");
    expect(compile(m, { externs: { g: () => [3] } }).callG!(0)).toBe(3);
  });

  it("reports a missing binding when called, names it, and never takes one from Object.prototype", () => {
    const f = compile(m);
    expect(fault(() => f.callG!(1))).toBe("E_RUNTIME_EXTERN@9");
    expect(() => f.callG!(1)).toThrow(/@g/);
    expect(fault(() => f.proto!(1))).toBe("E_RUNTIME_EXTERN@28");
    expectAgrees(m, "callG", [1]);
    expect(() => compile(m, { externs: { g: 3 as unknown as Function } })).toThrow(DerivRuntimeError);
  });

  it("binds stopGradient to the identity unless given", () => {
    expect(compile(m).stop!(1.5)).toBe(1.5);
    expect(compile(m, { externs: { stopGradient: () => 0 } }).stop!(1.5)).toBe(0);
  });
});

describe("recursion", () => {
  const m = parseIR(`
func @leaf(%x: f64) -> f64 {
^entry:
  ret %x
}

func @outer(%n: f64) -> f64 {
^entry:
  %r: f64 = call @depth(%n)
  ret %r
}

func @depth(%n: f64) -> f64 {
^entry:
  %zero: f64 = const 0.0
  %done: bool = le %n, %zero
  condbr %done, ^base, ^rec
^base:
  ret %zero
^rec:
  %one: f64 = const 1.0
  %m: f64 = sub %n, %one
  %r: f64 = call @depth(%m)
  %s: f64 = add %r, %one
  ret %s
}
`);
  verify(m);

  it("runs moderately deep recursion and reports a JS stack overflow as E_RUNTIME_TOO_DEEP", () => {
    const f = compile(m);
    expect(f.depth!(1000)).toBe(1000);
    expect(fault(() => f.depth!(1e7))).toBe("E_RUNTIME_TOO_DEEP");
    expect(fault(() => f.outer!(1e7))).toBe("E_RUNTIME_TOO_DEEP");
    expect(f.depth!(10)).toBe(10);
  });

  it("guards only the wrappers of functions that can reach a cycle of calls", () => {
    const guarded = emitJS(m)
      .split("\nfunction ")
      .filter((f) => f.startsWith("x_") && f.includes("rt_caught"))
      .map((f) => f.slice(0, 3));
    expect(guarded).toEqual(["x_1", "x_2"]);
  });
});
