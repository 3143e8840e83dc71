// JavaScript emission of every op: `EMIT`, an exhaustive `OpTable` of rules,
// each turning one instruction into JS statements over the names the function
// emitter assigned (see emit-func.ts). Semantics follow ir/eval.ts exactly,
// including which DerivRuntimeError a fault raises; faults call a runtime
// helper (backend/runtime.ts) on the cold path only. `Math.*` functions are
// the module-level constants `m_<name>` (emit-module.ts declares them).
// Imports ir/ and runtime.ts (for the numeric stack's initial capacity).

import type { OpTable } from "../ir/ops.js";
import type { Inst, Type, ValueId } from "../ir/types.js";
import { STACK_CAPACITY } from "./runtime.js";

/** What a rule may ask of the function emitter. */
export interface EmitCtx {
  /** The JS expression for value `v` (a variable or an inlined literal). */
  use(v: ValueId): string;
  /** The JS variable for value `v`, which the instruction defines. */
  def(v: ValueId): string;
  /** The IR type of value `v`. */
  typeOf(v: ValueId): Type;
  /** The literal of `v` if it is a constant, else undefined. */
  constOf(v: ValueId): number | undefined;
  /** The index of `inst`'s location in the module's location table (-1: none). */
  loc(inst: Inst): number;
  /** Emit bounds checks on array accesses (`compile(..., { checked })`). */
  readonly checked: boolean;
  /** True if a dominating access already proved this access in bounds (backend/bounds.ts). */
  proven(inst: Inst): boolean;
  /** The internal name `f_k` of a module function and the names of its result slots 1.. (`r_k_i`). */
  callee(name: string): { readonly fn: string; readonly extraResults: readonly string[] };
  /** A numeric stack kept in two locals (buffer, count) because it never
   * leaves its function; `pool` names the module-level buffer and busy flag
   * it borrows when its `stack.new` runs once per call. */
  localStack(v: ValueId): LocalStack | undefined;
  /** The binding `e_k` of an extern (undefined if unbound), its index in the
   * module's extern table, and whether it is declared with the one result `f64`. */
  extern(name: string): { readonly fn: string | undefined; readonly index: number; readonly singleF64: boolean };
}

/** The JS names of a local numeric stack (see EmitCtx.localStack). */
export interface LocalStack {
  readonly d: string;
  readonly n: string;
  readonly pool?: { readonly buffer: string; readonly busy: string; readonly owned: string };
}

/** How an instruction becomes JavaScript: a pure op with one result as an
 * expression (the function emitter assigns it to the result, or inlines it
 * into a branch condition), anything else as statements. */
export type EmitRule = { readonly expr: (c: EmitCtx, inst: Inst) => string } | { readonly stmt: (c: EmitCtx, inst: Inst) => string };

const a0 = (c: EmitCtx, i: Inst): string => c.use(i.args[0]!);
const a1 = (c: EmitCtx, i: Inst): string => c.use(i.args[1]!);
const d0 = (c: EmitCtx, i: Inst): string => c.def(i.results[0]!);
const isScalar = (t: Type): boolean => t === "f64" || t === "i32" || t === "bool";
const isNumStack = (t: Type): boolean => t === "stack<f64>" || t === "stack<i32>";

const infix = (op: string): EmitRule => ({ expr: (c, i) => `${a0(c, i)} ${op} ${a1(c, i)}` });
const math1 = (name: MathName): EmitRule => ({ expr: (c, i) => `m_${name}(${a0(c, i)})` });
const math2 = (name: MathName): EmitRule => ({ expr: (c, i) => `m_${name}(${a0(c, i)}, ${a1(c, i)})` });

/** The `Math` members generated code uses, captured once per module as `m_<name>`. */
export const MATH_NAMES = [
  "pow", "min", "max", "abs", "sqrt", "cbrt", "exp", "expm1", "log", "log1p", "log2", "log10",
  "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "hypot",
  "sign", "floor", "ceil", "round",
] as const;
type MathName = (typeof MATH_NAMES)[number];

/** The bounds check of ir/eval.ts (`i` an integer in [0, a.length)) done by
 * the typed array itself: `a[i]` is undefined exactly when `i` is not a valid
 * integer index (`-0` reads element 0 in both). V8 keeps its own bounds check
 * on the load, so this costs one compare (measured in the bench). */
const outOfBounds = (c: EmitCtx, inst: Inst, elem: string, a: string, i: string): string =>
  `if (${elem} === undefined) throw rt_bounds(${i}, ${a}.length, ${c.loc(inst)});`;

/** JS emission of every op. */
export const EMIT: OpTable<EmitRule> = {
  // Constants are inlined as literals at every use (emit-func.ts names them).
  const: { stmt: () => "" },

  add: infix("+"),
  sub: infix("-"),
  mul: infix("*"),
  div: infix("/"),
  rem: infix("%"),
  neg: { expr: (c, i) => `-${a0(c, i)}` },
  pow: math2("pow"),
  min: math2("min"),
  max: math2("max"),
  abs: math1("abs"),

  sqrt: math1("sqrt"),
  cbrt: math1("cbrt"),
  exp: math1("exp"),
  expm1: math1("expm1"),
  log: math1("log"),
  log1p: math1("log1p"),
  log2: math1("log2"),
  log10: math1("log10"),
  sin: math1("sin"),
  cos: math1("cos"),
  tan: math1("tan"),
  asin: math1("asin"),
  acos: math1("acos"),
  atan: math1("atan"),
  atan2: math2("atan2"),
  sinh: math1("sinh"),
  cosh: math1("cosh"),
  tanh: math1("tanh"),
  hypot: math2("hypot"),
  sign: math1("sign"),
  floor: math1("floor"),
  ceil: math1("ceil"),
  round: math1("round"),

  lt: infix("<"),
  le: infix("<="),
  gt: infix(">"),
  ge: infix(">="),
  eq: infix("==="),
  ne: infix("!=="),
  select: { expr: (c, i) => `${a0(c, i)} ? ${a1(c, i)} : ${c.use(i.args[2]!)}` },
  and: infix("&&"),
  or: infix("||"),
  not: { expr: (c, i) => `!${a0(c, i)}` },

  "i32.to.f64": { expr: (c, i) => a0(c, i) },
  // `x | 0` equals x exactly for integers in [-2^31, 2^31) (and -0, kept as is).
  "f64.to.i32": {
    stmt: (c, i) => {
      const x = a0(c, i);
      return `if ((${x} | 0) !== ${x}) throw rt_toI32(${x}, ${c.loc(i)}); ${d0(c, i)} = ${x};`;
    },
  },

  "array.new": {
    stmt: (c, i) => {
      const n = a0(c, i);
      const fill = c.constOf(i.args[1]!);
      const init = fill !== undefined && Object.is(fill, 0) ? "" : `.fill(${a1(c, i)})`;
      const loc = c.loc(i);
      return `if ((${n} >>> 0) !== ${n} || ${n} >= 2147483648) throw rt_length(${n}, ${loc}); ${d0(c, i)} = rt_alloc(${n}, ${loc})${init};`;
    },
  },
  "array.get": {
    stmt: (c, i) => {
      const [a, k, r] = [a0(c, i), a1(c, i), d0(c, i)];
      return c.checked && !c.proven(i) ? `${r} = ${a}[${k}]; ${outOfBounds(c, i, r, a, k)}` : `${r} = ${a}[${k}];`;
    },
  },
  "array.set": {
    stmt: (c, i) => {
      const [a, k] = [a0(c, i), a1(c, i)];
      const store = `${a}[${k}] = ${c.use(i.args[2]!)};`;
      return c.checked && !c.proven(i) ? `${outOfBounds(c, i, `${a}[${k}]`, a, k)} ${store}` : store;
    },
  },
  "array.len": { expr: (c, i) => `${a0(c, i)}.length` },
  "array.copy": { stmt: (c, i) => `${d0(c, i)} = ${a0(c, i)}.slice();` },

  call: {
    stmt: (c, i) => {
      const { fn, extraResults } = c.callee(i.callee!);
      const call = `${fn}(${i.args.map((v) => c.use(v)).join(", ")})`;
      if (i.results.length === 0) return `${call};`;
      const rest = i.results.slice(1).map((r, k) => ` ${c.def(r)} = ${extraResults[k]!};`);
      return `${d0(c, i)} = ${call};${rest.join("")}`;
    },
  },
  // Arrays and stacks go out as copies and results are checked, as in
  // ir/interpreter.ts (callExtern); a single f64 result takes an inline fast path.
  "call.extern": {
    stmt: (c, i) => {
      const ext = c.extern(i.callee!);
      if (ext.fn === undefined) return `throw rt_noExtern(${ext.index}, ${c.loc(i)});`;
      const args = i.args.map((v) => {
        const t = c.typeOf(v);
        return isScalar(t) ? c.use(v) : isNumStack(t) ? `rt_stackOut(${c.use(v)})` : `${c.use(v)}.slice()`;
      });
      const call = `${ext.fn}(${args.join(", ")})`;
      const check = (out: string): string => `rt_externResults(${out}, ${ext.index}, ${c.loc(i)})`;
      if (ext.singleF64) {
        const r = d0(c, i);
        return `${r} = ${call}; if (typeof ${r} !== "number") ${r} = ${check(r)}[0];`;
      }
      if (i.results.length === 0) return `${check(call)};`;
      const defs = i.results.map((r, k) => ` ${c.def(r)} = rt_res[${k}];`);
      return `rt_res = ${check(call)};${defs.join("")}`;
    },
  },

  // Numeric stacks are `{ d: Float64Array, n }` (runtime.ts NumStack), stacks of arrays JS arrays.
  // Local numeric stacks are two variables; a pooled one reuses its buffer across calls (tapes).
  "stack.new": {
    stmt: (c, i) => {
      const local = c.localStack(i.results[0]!);
      if (local?.pool) {
        const p = local.pool;
        return `if (${p.busy}) { ${local.d} = new Float64Array(${STACK_CAPACITY}); ${p.owned} = false; } else { ${p.busy} = true; ${p.owned} = true; ${local.d} = ${p.buffer}; } ${local.n} = 0;`;
      }
      if (local) return `${local.d} = new Float64Array(${STACK_CAPACITY}); ${local.n} = 0;`;
      return `${d0(c, i)} = ${isNumStack(c.typeOf(i.results[0]!)) ? `{ d: new Float64Array(${STACK_CAPACITY}), n: 0 }` : "[]"};`;
    },
  },
  "stack.push": {
    stmt: (c, i) => {
      const local = c.localStack(i.args[0]!);
      if (local) return `if (${local.n} === ${local.d}.length) ${local.d} = rt_growd(${local.d}); ${local.d}[${local.n}++] = ${a1(c, i)};`;
      const [s, v] = [a0(c, i), a1(c, i)];
      return isNumStack(c.typeOf(i.args[0]!)) ? `if (${s}.n === ${s}.d.length) rt_grow(${s}); ${s}.d[${s}.n++] = ${v};` : `${s}.push(${v});`;
    },
  },
  "stack.pop": {
    stmt: (c, i) => {
      const local = c.localStack(i.args[0]!);
      if (local) return `if (${local.n} === 0) throw rt_stackEmpty(${c.loc(i)}); ${d0(c, i)} = ${local.d}[--${local.n}];`;
      const [s, r] = [a0(c, i), d0(c, i)];
      return isNumStack(c.typeOf(i.args[0]!))
        ? `if (${s}.n === 0) throw rt_stackEmpty(${c.loc(i)}); ${r} = ${s}.d[--${s}.n];`
        : `if (${s}.length === 0) throw rt_stackEmpty(${c.loc(i)}); ${r} = ${s}.pop();`;
    },
  },
};
