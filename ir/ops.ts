// The op table: every IR operation declared once (name, signature, purity,
// flop class, one-line doc). Every per-domain rule table (evaluation, folding,
// JVP, VJP, sparsity, JS emission) is a `OpTable<R>` = `{ [K in Opcode]: R }`,
// so adding an op here does not compile until every table handles it.
// Imports only ./types.

import type { Type } from "./types.js";

/** A type in a signature: a concrete type, the op's type variable `T`, or a
 * stack of `T`. */
export type TypeSpec = Type | "T" | "stack<T>";

/** Cost class of an op for flop counting. */
export type FlopClass =
  | "none"
  | "add"
  | "mul"
  | "div"
  | "sqrt"
  | "transcendental"
  | "compare"
  | "memory"
  | "call";

export interface OpDecl {
  /** Operand types; `"variadic"` for calls (checked against the callee). */
  readonly params: readonly TypeSpec[] | "variadic";
  /** Result types; `"variadic"` for calls. */
  readonly results: readonly TypeSpec[] | "variadic";
  /** The types `T` may stand for (absent when `T` is not used). */
  readonly typeVar?: readonly Type[];
  /** No side effects, no traps, result depends only on operands. */
  readonly pure: boolean;
  readonly flop: FlopClass;
  readonly doc: string;
}

const NUM: readonly Type[] = ["f64", "i32"];
const SCALAR: readonly Type[] = ["f64", "i32", "bool"];

const binNum = (doc: string, flop: FlopClass): OpDecl => ({ params: ["T", "T"], results: ["T"], typeVar: NUM, pure: true, flop, doc });
const unNum = (doc: string, flop: FlopClass): OpDecl => ({ params: ["T"], results: ["T"], typeVar: NUM, pure: true, flop, doc });
const binF = (doc: string, flop: FlopClass): OpDecl => ({ params: ["f64", "f64"], results: ["f64"], pure: true, flop, doc });
const unF = (doc: string, flop: FlopClass): OpDecl => ({ params: ["f64"], results: ["f64"], pure: true, flop, doc });
const cmp = (doc: string): OpDecl => ({ params: ["T", "T"], results: ["bool"], typeVar: NUM, pure: true, flop: "compare", doc });

/** Every op of the IR. Keys are the op names of the text format. */
export const OPS = {
  const: { params: [], results: ["T"], typeVar: SCALAR, pure: true, flop: "none", doc: "A literal: `const 1.5`, `const 3`, `const true`, `const nan`, `const -inf`." },

  add: binNum("x + y", "add"),
  sub: binNum("x - y", "add"),
  mul: binNum("x * y", "mul"),
  div: binF("x / y", "div"),
  rem: binNum("x % y (JavaScript remainder: sign of x)", "div"),
  neg: unNum("-x", "none"),
  pow: binF("x ** y (Math.pow)", "transcendental"),
  min: binNum("Math.min(x, y) (NaN if either is NaN; min(-0, 0) = -0)", "compare"),
  max: binNum("Math.max(x, y) (NaN if either is NaN; max(-0, 0) = 0)", "compare"),
  abs: unNum("Math.abs(x)", "none"),

  sqrt: unF("Math.sqrt", "sqrt"),
  cbrt: unF("Math.cbrt", "transcendental"),
  exp: unF("Math.exp", "transcendental"),
  expm1: unF("Math.expm1", "transcendental"),
  log: unF("Math.log", "transcendental"),
  log1p: unF("Math.log1p", "transcendental"),
  log2: unF("Math.log2", "transcendental"),
  log10: unF("Math.log10", "transcendental"),
  sin: unF("Math.sin", "transcendental"),
  cos: unF("Math.cos", "transcendental"),
  tan: unF("Math.tan", "transcendental"),
  asin: unF("Math.asin", "transcendental"),
  acos: unF("Math.acos", "transcendental"),
  atan: unF("Math.atan", "transcendental"),
  atan2: binF("Math.atan2(y, x)", "transcendental"),
  sinh: unF("Math.sinh", "transcendental"),
  cosh: unF("Math.cosh", "transcendental"),
  tanh: unF("Math.tanh", "transcendental"),
  hypot: binF("Math.hypot(x, y)", "sqrt"),
  sign: unF("Math.sign", "none"),
  floor: unF("Math.floor", "none"),
  ceil: unF("Math.ceil", "none"),
  round: unF("Math.round (ties toward +inf)", "none"),

  lt: cmp("x < y"),
  le: cmp("x <= y"),
  gt: cmp("x > y"),
  ge: cmp("x >= y"),
  eq: cmp("x === y"),
  ne: cmp("x !== y"),
  select: { params: ["bool", "T", "T"], results: ["T"], typeVar: ["f64", "i32", "bool", "f64[]"], pure: true, flop: "none", doc: "c ? x : y (both operands already evaluated)" },
  and: { params: ["bool", "bool"], results: ["bool"], pure: true, flop: "none", doc: "logical and of two evaluated booleans" },
  or: { params: ["bool", "bool"], results: ["bool"], pure: true, flop: "none", doc: "logical or of two evaluated booleans" },
  not: { params: ["bool"], results: ["bool"], pure: true, flop: "none", doc: "logical not" },

  "i32.to.f64": { params: ["i32"], results: ["f64"], pure: true, flop: "none", doc: "exact conversion" },
  "f64.to.i32": { params: ["f64"], results: ["i32"], pure: false, flop: "none", doc: "checked conversion: a runtime error unless x is an integer in [-2^31, 2^31)" },

  "array.new": { params: ["i32", "f64"], results: ["f64[]"], pure: false, flop: "memory", doc: "new array of length n filled with v (error if n < 0)" },
  "array.get": { params: ["f64[]", "i32"], results: ["f64"], pure: false, flop: "memory", doc: "a[i] (runtime error out of bounds)" },
  "array.set": { params: ["f64[]", "i32", "f64"], results: [], pure: false, flop: "memory", doc: "a[i] = v in place (runtime error out of bounds)" },
  "array.len": { params: ["f64[]"], results: ["i32"], pure: true, flop: "none", doc: "a.length" },
  "array.copy": { params: ["f64[]"], results: ["f64[]"], pure: false, flop: "memory", doc: "a fresh copy of a (a.slice())" },

  call: { params: "variadic", results: "variadic", pure: false, flop: "call", doc: "call @f(args): a function of the module" },
  "call.extern": { params: "variadic", results: "variadic", pure: false, flop: "call", doc: "call.extern @g(args): a black-box function bound at compile time" },

  "stack.new": { params: [], results: ["stack<T>"], typeVar: ["f64", "i32", "f64[]"], pure: false, flop: "none", doc: "an empty stack (reverse-mode tapes)" },
  "stack.push": { params: ["stack<T>", "T"], results: [], typeVar: ["f64", "i32", "f64[]"], pure: false, flop: "memory", doc: "push v" },
  "stack.pop": { params: ["stack<T>"], results: ["T"], typeVar: ["f64", "i32", "f64[]"], pure: false, flop: "memory", doc: "pop the last pushed value (runtime error if empty)" },
} as const satisfies Record<string, OpDecl>;

/** The name of an op. */
export type Opcode = keyof typeof OPS;

/** A rule table over every op: the exhaustive-table pattern. */
export type OpTable<R> = { readonly [K in Opcode]: R };

/** Every opcode, in declaration order. */
export const OPCODES: readonly Opcode[] = Object.keys(OPS) as Opcode[];

/** The declaration of an op. */
export function opDecl(op: Opcode): OpDecl {
  return OPS[op];
}

/** True if `name` is an opcode. */
export function isOpcode(name: string): name is Opcode {
  return Object.prototype.hasOwnProperty.call(OPS, name);
}

/** True if the op has no side effects and cannot trap (safe to delete, CSE, hoist). */
export function isPure(op: Opcode): boolean {
  return OPS[op].pure;
}
