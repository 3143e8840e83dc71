// Hostile arguments at call time: every entry point (compiled callables, the
// interpreter and each API convenience) answers a wrong argument count or
// kind with DerivRuntimeError E_RUNTIME_ARGS before running anything, and an
// out-of-bounds or non-integer index with E_RUNTIME_BOUNDS / E_RUNTIME_INDEX
// (the same code in compiled code, the interpreter and the derivatives).

import { describe, expect, it } from "vitest";
import { compile, DerivRuntimeError, grad, hessian, hvp, interpret, jacobian, jvp, parseTS, sparseJacobian, sparsity, vjp } from "../../index.js";

const SOURCE = `function f(x: number, a: number[]): number { return x * a[0] + Math.sin(a[1]); }
function g(i: number, a: number[]): number { return a[i] * i; }
function h(n: number, x: number): number { const b = new Array(n).fill(x); return b.length * x; }`;
const module = parseTS(SOURCE);

/** A direction shaped like `args` (1 for each number, ones for each array). */
const directionFor = (args: unknown[]): unknown[] => args.map((a) => (Array.isArray(a) ? a.map(() => 1) : 1));

/** Every entry point, called with the arguments of @f (or of `fn`). */
const ENTRIES: Record<string, (args: unknown[], fn?: string) => unknown> = {
  compiled: (args, fn = "f") => compile(module)[fn]!(...args),
  interpreter: (args, fn = "f") => interpret(module, fn, args as never),
  grad: (args, fn = "f") => grad(SOURCE, fn)(...args),
  jvp: (args, fn = "f") => jvp(SOURCE, fn)(args, directionFor(args)),
  vjp: (args, fn = "f") => vjp(SOURCE, fn)(args, 1),
  "jacobian forward": (args, fn = "f") => jacobian(SOURCE, fn, { mode: "forward" })(...args),
  "jacobian reverse": (args, fn = "f") => jacobian(SOURCE, fn, { mode: "reverse" })(...args),
  hessian: (args, fn = "f") => hessian(SOURCE, fn)(...args),
  hvp: (args, fn = "f") => hvp(SOURCE, fn)(args, directionFor(args)),
  sparsity: (args, fn = "f") => sparsity(SOURCE, fn)(...args),
  sparseJacobian: (args, fn = "f") => sparseJacobian(SOURCE, fn)(...args),
};

/** Argument lists for @f(x: number, a: number[]) that are wrong in count or kind. */
const BAD_ARGS: Record<string, unknown[]> = {
  "too few": [1],
  "too many": [1, [2, 3], 4],
  none: [],
  "string for number": ["1", [2, 3]],
  "boolean for number": [true, [2, 3]],
  "null for number": [null, [2, 3]],
  "undefined for number": [undefined, [2, 3]],
  "object for number": [{ valueOf: () => 1 }, [2, 3]],
  "bigint for number": [1n, [2, 3]],
  "array for number": [[1], [2, 3]],
  "number for array": [1, 2],
  "null for array": [1, null],
  "string in array": [1, [2, "3"]],
  "Float32Array for array": [1, new Float32Array([2, 3])],
  "array-like object for array": [1, { length: 2, 0: 2, 1: 3 }],
};


function expectRuntimeError(run: () => unknown, code: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, "no error").toBeInstanceOf(DerivRuntimeError);
  expect((thrown as DerivRuntimeError).code).toBe(code);
}

describe("wrong argument count or kind: E_RUNTIME_ARGS", () => {
  for (const [entry, call] of Object.entries(ENTRIES)) {
    for (const [what, args] of Object.entries(BAD_ARGS)) {
      it(`${entry}: ${what}`, () => expectRuntimeError(() => call(args), "E_RUNTIME_ARGS"));
    }
  }
  const DIRECTIONS: Record<string, () => unknown> = {
    "jvp: too few tangents": () => jvp(SOURCE, "f")([1, [2, 3]], [1]),
    "jvp: a tangent array of the wrong length": () => jvp(SOURCE, "f")([1, [2, 3]], [1, [1]]),
    "jvp: a string tangent": () => jvp(SOURCE, "f")([1, [2, 3]], ["1", [1, 1]]),
    "vjp: an array cotangent for a number result": () => vjp(SOURCE, "f")([1, [2, 3]], [1, 2]),
    "vjp: a string cotangent": () => vjp(SOURCE, "f")([1, [2, 3]], "1"),
    "hvp: too short a direction": () => hvp(SOURCE, "f")([1, [2, 3]], [1]),
  };
  for (const [what, run] of Object.entries(DIRECTIONS)) it(what, () => expectRuntimeError(run, "E_RUNTIME_ARGS"));
});

describe("bad indices and lengths at run time", () => {
  // The global sparsity pattern depends on shapes only: nothing runs.
  for (const [entry, call] of Object.entries(ENTRIES).filter(([e]) => e !== "sparsity")) {
    it(`${entry}: index past the end, negative index, empty array`, () => {
      expectRuntimeError(() => call([2, [1, 2]], "g"), "E_RUNTIME_BOUNDS");
      expectRuntimeError(() => call([-1, [1, 2]], "g"), "E_RUNTIME_BOUNDS");
      expectRuntimeError(() => call([1, []]), "E_RUNTIME_BOUNDS");
    });
    it(`${entry}: fractional, NaN and huge indices, negative and fractional lengths`, () => {
      for (const i of [0.5, NaN, Infinity, 2 ** 40]) expectRuntimeError(() => call([i, [1, 2]], "g"), "E_RUNTIME_INDEX");
      for (const n of [-1, 1.5, NaN]) expectRuntimeError(() => call([n, 2], "h"), "E_RUNTIME_INDEX");
    });
  }
});
