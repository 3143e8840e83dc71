// Random verified IR modules for property tests (fast-check). A module is
// generated as a *recipe* (plain data: statements that pick their operands by
// index modulo the live pool, so fast-check shrinks it structurally) and then
// lowered through FuncBuilder. Lowering keeps the IR valid by construction:
// values changed in branches meet in join-block parameters, loops carry a
// chosen subset of values as header parameters (permuted on the back edge,
// which exercises parallel copy), array indices are in bounds by construction
// (the loop counter over that array's length, or `rem` by a length known or
// checked to be > 0), `i32` values stay far inside ±2^31 (magnitudes are
// tracked) and `rem` divisors are made >= 1. Trip counts are small constants or
// array lengths (≤ MAX_ARRAY_LEN) and calls only go to earlier functions, so
// every function terminates; a static cost estimate drops calls that would
// exceed the step budget. Reads the ir/ modules only.

import fc from "fast-check";
import { FuncBuilder } from "../../ir/builder.js";
import type { RtValue } from "../../ir/eval.js";
import type { ExternFn } from "../../ir/interpreter.js";
import type { Opcode, OpDecl, TypeSpec } from "../../ir/ops.js";
import { OPCODES, OPS } from "../../ir/ops.js";
import { formatName, printIR } from "../../ir/printer.js";
import type { BlockId, Extern, Func, Module, Type, ValueId } from "../../ir/types.js";
import { paramTypes } from "../../ir/types.js";

/** Largest constant trip count of a generated loop. */
export const MAX_TRIP = 4;
/** Longest array a generated program creates or `arbInputs` passes. */
export const MAX_ARRAY_LEN = 5;
/** Most f64 parameters of a generated function (it may also take one f64[]). */
const MAX_PARAMS = 3;
/** Bound on the magnitude of generated `i32` values. */
const MAX_INT = 2 ** 20;

/** Knobs of the generator; every field is optional. */
export interface GenOptions {
  /** At most this many functions per module (default 3); each may call earlier ones. */
  readonly maxFuncs?: number;
  /** At most this many statements per statement list (default 5). */
  readonly maxStmts?: number;
  /** Nesting depth of ifs and loops (default 2). */
  readonly maxNesting?: number;
  /** At most this many results per function (default 3). */
  readonly maxResults?: number;
  /** Array parameters, results and ops (default true). */
  readonly arrays?: boolean;
  /** Calls between functions (default true). */
  readonly calls?: boolean;
  /** Extern declarations and calls; bind them with `GEN_EXTERN_BINDINGS` (default false). */
  readonly externs?: boolean;
  /** `stack.*` ops (default true). */
  readonly stacks?: boolean;
  /** Never-taken `unreachable` branches and early returns (default true). */
  readonly unreachable?: boolean;
  /** Unary f64 ops to draw from (default `F64_UNARY_OPS`); with `binaryOps`
   * both empty, no f64 arithmetic is generated. */
  readonly unaryOps?: readonly Opcode[];
  /** Binary f64 ops to draw from (default `F64_BINARY_OPS`). */
  readonly binaryOps?: readonly Opcode[];
  /** A call is left out when it would take the caller's estimated step count
   * past this (default 20,000); loops alone stay within MAX_TRIP/MAX_ARRAY_LEN
   * iterations per nesting level. */
  readonly budget?: number;
  /** No array aliasing across calls (default false): each function works on
   * a copy of its array parameter made on entry and returns copies of its
   * array results after the first, so it never writes or returns its
   * argument and its results are distinct arrays (what rev-ad accepts). */
  readonly aliasFree?: boolean;
}

type Opts = Required<GenOptions>;


const allows = (d: OpDecl, s: TypeSpec, t: Type): boolean => s === t || (s === "T" && (d.typeVar?.includes(t) ?? false));
function opsWhere(arity: number, operand: Type, result: Type): Opcode[] {
  return OPCODES.filter((op) => {
    const d: OpDecl = OPS[op];
    if (!d.pure || d.params === "variadic" || d.results === "variadic") return false;
    return d.params.length === arity && d.params.every((s) => allows(d, s, operand)) && d.results.length === 1 && allows(d, d.results[0]!, result);
  });
}

/** Every pure unary f64 -> f64 op of the op table. */
export const F64_UNARY_OPS: readonly Opcode[] = opsWhere(1, "f64", "f64");
/** Every pure binary f64 x f64 -> f64 op of the op table. */
export const F64_BINARY_OPS: readonly Opcode[] = opsWhere(2, "f64", "f64");
const DEFAULTS: Opts = {
  maxFuncs: 3,
  maxStmts: 5,
  maxNesting: 2,
  maxResults: 3,
  arrays: true,
  calls: true,
  externs: false,
  stacks: true,
  unreachable: true,
  unaryOps: F64_UNARY_OPS,
  binaryOps: F64_BINARY_OPS,
  budget: 20_000,
  aliasFree: false,
};

/** Every comparison (numeric x numeric -> bool). */
const CMP_OPS: readonly Opcode[] = opsWhere(2, "f64", "bool").filter((op) => allows(OPS[op], "T", "i32"));

// Magnitude bound of the result of an i32 op from those of its operands; an
// i32 op without an entry here is not generated (its range is unknown).
const INT_MAGNITUDE: Partial<Record<Opcode, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a + b,
  mul: (a, b) => a * b,
  rem: (a) => a,
  min: Math.max,
  max: Math.max,
  neg: (a) => a,
  abs: (a) => a,
};
const INT_OPS = opsWhere(2, "i32", "i32")
  .concat(opsWhere(1, "i32", "i32"))
  .filter((op) => INT_MAGNITUDE[op] !== undefined);

interface GenExtern extends Extern {
  readonly impl: ExternFn;
}

const GEN_EXTERNS: readonly GenExtern[] = [
  { name: "gen.axpy", params: ["f64", "f64", "f64"], results: ["f64"], impl: (a, x, y) => a! * x! + y! },
  { name: "gen.polar", params: ["f64", "f64"], results: ["f64", "f64"], impl: (r, t) => [r! * Math.cos(t!), r! * Math.sin(t!)] },
];

/** JS bindings of the externs declared by modules generated with `externs: true`. */
export const GEN_EXTERN_BINDINGS: Readonly<Record<string, ExternFn>> = Object.fromEntries(GEN_EXTERNS.map((e) => [e.name, e.impl]));

// ---------------------------------------------------------------- recipes

/** An operand choice: an index taken modulo the size of the pool it picks from. */
type Pick = number;
/** A slot to overwrite (modulo the pool size), or null for a new slot. */
type Dst = Pick | null;

/** A condition: a comparison, optionally combined with a second one. */
export interface CondRecipe {
  readonly op: Pick;
  readonly a: Pick;
  readonly b: Pick;
  readonly ints: boolean;
  /** 0 plain, 1 not, 2 and, 3 or, 4 select(c, c2, c). */
  readonly mod: number;
  readonly op2: Pick;
  readonly a2: Pick;
  readonly b2: Pick;
}

/** One statement of a generated function body. */
export type StmtRecipe =
  | { readonly k: "math"; readonly op: Pick; readonly a: Pick; readonly b: Pick; readonly dst: Dst }
  | { readonly k: "const"; readonly value: number; readonly dst: Dst }
  | { readonly k: "int"; readonly op: Pick; readonly a: Pick; readonly b: Pick }
  | { readonly k: "conv"; readonly a: Pick; readonly back: boolean; readonly dst: Dst }
  | { readonly k: "select"; readonly cond: CondRecipe; readonly type: "f64" | "i32" | "f64[]"; readonly x: Pick; readonly y: Pick; readonly dst: Dst }
  | { readonly k: "swap"; readonly a: Pick; readonly b: Pick }
  | { readonly k: "rotate"; readonly by: Pick }
  | { readonly k: "if"; readonly cond: CondRecipe; readonly then: readonly StmtRecipe[]; readonly else: readonly StmtRecipe[]; readonly edgeArgs: boolean; readonly early: boolean }
  /** `n`: the trip count (const and f64 bounds) or the array whose length bounds the loop (len). */
  | { readonly k: "loop"; readonly bound: "const" | "len" | "f64"; readonly n: Pick; readonly carry: number; readonly body: readonly StmtRecipe[]; readonly exitArgs: boolean }
  | { readonly k: "anew"; readonly len: number; readonly fill: Pick; readonly dst: Dst }
  | { readonly k: "acopy"; readonly a: Pick; readonly dst: Dst }
  | { readonly k: "aget"; readonly a: Pick; readonly i: Pick; readonly dst: Dst }
  | { readonly k: "aset"; readonly a: Pick; readonly i: Pick; readonly v: Pick }
  | { readonly k: "call"; readonly fn: Pick; readonly args: readonly Pick[]; readonly dst: Dst }
  | { readonly k: "extern"; readonly fn: Pick; readonly args: readonly Pick[]; readonly dst: Dst }
  | { readonly k: "stack"; readonly ints: boolean; readonly a: Pick; readonly b: Pick }
  | { readonly k: "dead" };

/** One generated function: its signature and body. */
export interface FuncRecipe {
  readonly params: number;
  readonly arrayParam: boolean;
  readonly results: readonly ("f64" | "f64[]")[];
  readonly body: readonly StmtRecipe[];
  /** Which slot each result (and each early return) picks. */
  readonly ret: readonly Pick[];
}

/** A generated module before lowering. */
export interface ModuleRecipe {
  readonly funcs: readonly FuncRecipe[];
}

const pick = fc.nat({ max: 255 });
const rarely = fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 });
const dst = fc.option(pick, { nil: null, freq: 2 });

/** Interesting f64 literals and arguments: ordinary values, small integers,
 * signed zeros, NaN, infinities, huge and tiny magnitudes. */
export const arbF64: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.double({ min: -10, max: 10, noNaN: true }), weight: 6 },
  { arbitrary: fc.integer({ min: -4, max: 4 }), weight: 2 },
  { arbitrary: fc.constantFrom(0, -0, 0.5, -2.5, NaN, Infinity, -Infinity, 1e300, -1e300, 1e-300, 5e-324), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
);

const arbCond: fc.Arbitrary<CondRecipe> = fc.record({
  op: pick,
  a: pick,
  b: pick,
  ints: fc.boolean(),
  mod: fc.nat({ max: 4 }),
  op2: pick,
  a2: pick,
  b2: pick,
});

function arbStmts(o: Opts): fc.Arbitrary<StmtRecipe[]> {
  const picks = fc.array(pick, { minLength: 4, maxLength: 4 });
  const leaves: fc.WeightedArbitrary<StmtRecipe>[] = [
    { weight: 8, arbitrary: fc.record({ k: fc.constant("math" as const), op: pick, a: pick, b: pick, dst }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant("const" as const), value: arbF64, dst }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant("int" as const), op: pick, a: pick, b: pick }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("conv" as const), a: pick, back: fc.boolean(), dst }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant("select" as const), cond: arbCond, type: fc.constantFrom(...(o.arrays ? (["f64", "i32", "f64[]"] as const) : (["f64", "i32"] as const))), x: pick, y: pick, dst }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("swap" as const), a: pick, b: pick }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("rotate" as const), by: pick }) },
  ];
  if (o.arrays) {
    leaves.push(
      { weight: 1, arbitrary: fc.record({ k: fc.constant("anew" as const), len: fc.nat({ max: MAX_ARRAY_LEN }), fill: pick, dst }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("acopy" as const), a: pick, dst }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant("aget" as const), a: pick, i: pick, dst }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant("aset" as const), a: pick, i: pick, v: pick }) },
    );
  }
  if (o.calls) leaves.push({ weight: 2, arbitrary: fc.record({ k: fc.constant("call" as const), fn: pick, args: picks, dst }) });
  if (o.externs) leaves.push({ weight: 1, arbitrary: fc.record({ k: fc.constant("extern" as const), fn: pick, args: picks, dst }) });
  if (o.stacks) leaves.push({ weight: 1, arbitrary: fc.record({ k: fc.constant("stack" as const), ints: fc.boolean(), a: pick, b: pick }) });
  if (o.unreachable) leaves.push({ weight: 1, arbitrary: fc.constant({ k: "dead" as const }) });

  // Nested lists are short; a function body is longer and never empty.
  const list = (item: fc.Arbitrary<StmtRecipe>): fc.Arbitrary<StmtRecipe[]> => fc.array(item, { maxLength: o.maxStmts, size: "max" });
  let stmt: fc.Arbitrary<StmtRecipe> = fc.oneof(...leaves);
  for (let d = 0; d < o.maxNesting; d++) {
    const inner = list(stmt);
    stmt = fc.oneof(
      ...leaves,
      { weight: 5, arbitrary: fc.record({ k: fc.constant("if" as const), cond: arbCond, then: inner, else: inner, edgeArgs: fc.boolean(), early: o.unreachable ? rarely : fc.constant(false) }) },
      { weight: 5, arbitrary: fc.record({ k: fc.constant("loop" as const), bound: fc.constantFrom(...(o.arrays ? (["const", "len", "f64"] as const) : (["const", "f64"] as const))), n: fc.nat({ max: MAX_TRIP }), carry: fc.nat({ max: 0xffff }), body: inner, exitArgs: fc.boolean() }) },
    );
  }
  return fc.array(stmt, { minLength: 1, maxLength: 2 * o.maxStmts, size: "max" });
}

/** Arbitrary module recipes (shrink well; lower them with `buildModule`). */
export function arbModuleRecipe(options: GenOptions = {}): fc.Arbitrary<ModuleRecipe> {
  const o = resolve(options);
  const func = fc.record({
    params: fc.integer({ min: 1, max: MAX_PARAMS }),
    arrayParam: o.arrays ? fc.boolean() : fc.constant(false),
    results: fc.array(o.arrays ? fc.constantFrom("f64" as const, "f64" as const, "f64[]" as const) : fc.constant("f64" as const), { minLength: 1, maxLength: o.maxResults }),
    body: arbStmts(o),
    ret: fc.array(pick, { minLength: o.maxResults, maxLength: o.maxResults }),
  });
  return fc.record({ funcs: fc.array(func, { minLength: 1, maxLength: o.maxFuncs, size: "max" }) });
}

function resolve(options: GenOptions): Opts {
  return { ...DEFAULTS, ...options };
}

// ---------------------------------------------------------------- lowering

interface IntSlot {
  readonly v: ValueId;
  /** |value| <= mag. */
  readonly mag: number;
}
interface ArrSlot {
  readonly v: ValueId;
  /** length >= minLen. */
  readonly minLen: number;
}
/** The live values, by kind; statements pick from and assign to these slots. */
interface Env {
  f: ValueId[];
  i: IntSlot[];
  a: ArrSlot[];
}
const cloneEnv = (e: Env): Env => ({ f: [...e.f], i: [...e.i], a: [...e.a] });

/** What a caller needs to know about an earlier function. */
interface Callee {
  readonly name: string;
  readonly params: readonly Type[];
  readonly results: readonly Type[];
  readonly cost: number;
}

/** Name of the k-th generated function; odd ones need quoting in the text format. */
const funcName = (k: number): string => (k % 2 ? `f.${k}` : `f${k}`);

class FuncLowering {
  private readonly fb: FuncBuilder;
  private cur: BlockId;
  private env: Env = { f: [], i: [], a: [] };
  private readonly loops: { counter: IntSlot; lenOf: ValueId | undefined }[] = [];
  private mult = 1;
  /** Estimated instructions executed per call. */
  cost = 0;

  constructor(
    private readonly r: FuncRecipe,
    name: string,
    private readonly callees: readonly Callee[],
    private readonly o: Opts,
  ) {
    this.fb = new FuncBuilder(name, r.results);
    this.cur = this.fb.addBlock("entry");
  }

  lower(): Func {
    for (let k = 0; k < this.r.params; k++) this.env.f.push(this.fb.addParam(0, "f64", `x${k}`));
    if (this.r.arrayParam) {
      const xs = this.fb.addParam(0, "f64[]", "xs");
      this.env.a.push({ v: this.o.aliasFree ? this.emit1("array.copy", [xs], "f64[]") : xs, minLen: 0 });
    }
    this.env.i.push({ v: this.constant("i32", 1), mag: 1 });
    this.stmts(this.r.body);
    this.ret();
    return this.fb.finish();
  }

  private emit(op: Opcode, args: readonly ValueId[], types: readonly Type[], callee?: string): ValueId[] {
    this.cost += this.mult;
    return this.fb.emit(this.cur, op, args, types, callee === undefined ? {} : { callee });
  }
  private emit1(op: Opcode, args: readonly ValueId[], type: Type): ValueId {
    return this.emit(op, args, [type])[0]!;
  }
  private constant(type: Type, value: number): ValueId {
    this.cost += this.mult;
    return this.fb.constant(this.cur, type, value);
  }

  private f(p: Pick): ValueId {
    return this.env.f[p % this.env.f.length]!;
  }
  private int(p: Pick): IntSlot {
    return this.env.i[p % this.env.i.length]!;
  }
  /** An array slot; creates one (length 1..3) if there is none. */
  private arr(p: Pick): ArrSlot {
    if (this.env.a.length === 0) this.newArray(1 + (p % 3), p, null);
    return this.env.a[p % this.env.a.length]!;
  }
  private setF(d: Dst, v: ValueId): void {
    if (d === null) this.env.f.push(v);
    else this.env.f[d % this.env.f.length] = v;
  }
  private setA(d: Dst, s: ArrSlot): void {
    if (d === null || this.env.a.length === 0) this.env.a.push(s);
    else this.env.a[d % this.env.a.length] = s;
  }
  private newArray(len: number, fill: Pick, d: Dst): void {
    const v = this.emit1("array.new", [this.constant("i32", len), this.f(fill)], "f64[]");
    this.setA(d, { v, minLen: len });
  }

  // Statements never leave `cur` terminated: an early return ends an `if`
  // arm, and lowering continues in the other arm.
  private stmts(list: readonly StmtRecipe[]): void {
    for (const s of list) this.stmt(s);
  }

  private stmt(s: StmtRecipe): void {
    switch (s.k) {
      case "math": {
        const { unaryOps, binaryOps } = this.o;
        const k = s.op % (unaryOps.length + binaryOps.length || 1);
        if (k < unaryOps.length) return this.setF(s.dst, this.emit1(unaryOps[k]!, [this.f(s.a)], "f64"));
        const op = binaryOps[k - unaryOps.length];
        if (op !== undefined) this.setF(s.dst, this.emit1(op, [this.f(s.a), this.f(s.b)], "f64"));
        return;
      }
      case "const":
        return this.setF(s.dst, this.constant("f64", s.value));
      case "int":
        return void this.env.i.push(this.intOp(INT_OPS[s.op % INT_OPS.length]!, this.int(s.a), this.int(s.b)));
      case "conv": {
        const x = this.int(s.a);
        const y = this.emit1("i32.to.f64", [x.v], "f64");
        if (s.back) this.env.i.push({ v: this.emit1("f64.to.i32", [y], "i32"), mag: x.mag });
        return this.setF(s.dst, y);
      }
      case "select":
        return this.select(s);
      case "swap": {
        const f = this.env.f;
        const i = s.a % f.length;
        const j = s.b % f.length;
        [f[i], f[j]] = [f[j]!, f[i]!];
        return;
      }
      case "rotate": {
        const k = s.by % this.env.f.length;
        this.env.f = this.env.f.slice(k).concat(this.env.f.slice(0, k));
        return;
      }
      case "if":
        return this.ifStmt(s);
      case "loop":
        return this.loop(s);
      case "anew":
        return this.newArray(s.len, s.fill, s.dst);
      case "acopy": {
        const a = this.arr(s.a);
        return this.setA(s.dst, { v: this.emit1("array.copy", [a.v], "f64[]"), minLen: a.minLen });
      }
      case "aget":
        return this.arrayGet(s.a, s.i, s.dst);
      case "aset":
        return this.arraySet(s.a, s.i, s.v);
      case "call":
        return this.call(s.fn, s.args, s.dst);
      case "extern": {
        const e = GEN_EXTERNS[s.fn % GEN_EXTERNS.length]!;
        const results = this.emit("call.extern", e.params.map((_, k) => this.f(s.args[k % s.args.length]!)), e.results, e.name);
        return results.forEach((v, k) => this.setF(k === 0 ? s.dst : null, v));
      }
      case "stack": {
        if (!s.ints) return void this.env.f.push(...this.stackRoundTrip("f64", this.f(s.a), this.f(s.b)));
        const x = this.int(s.a);
        const y = this.int(s.b);
        const [y2, x2] = this.stackRoundTrip("i32", x.v, y.v);
        return void this.env.i.push({ v: y2, mag: y.mag }, { v: x2, mag: x.mag });
      }
      case "dead": {
        const t = this.constant("bool", 1);
        const cont = this.fb.addBlock();
        const dead = this.fb.addBlock("dead");
        this.fb.condbr(this.cur, t, cont, [], dead, []);
        this.fb.setTerm(dead, { kind: "unreachable" });
        this.cur = cont;
        return;
      }
    }
  }

  private intOp(op: Opcode, a: IntSlot, b: IntSlot): IntSlot {
    let divisor = b;
    if (op === "rem") divisor = { v: this.emit1("max", [b.v, this.constant("i32", 1)], "i32"), mag: Math.max(b.mag, 1) };
    const mag = INT_MAGNITUDE[op]!(a.mag, divisor.mag);
    if (mag > MAX_INT) return this.intOp("min", a, b);
    const unary = (OPS[op].params as readonly TypeSpec[]).length === 1;
    return { v: this.emit1(op, unary ? [a.v] : [a.v, divisor.v], "i32"), mag };
  }

  private cond(c: CondRecipe): ValueId {
    const cmp = (op: Pick, a: Pick, b: Pick, ints: boolean): ValueId =>
      this.emit1(CMP_OPS[op % CMP_OPS.length]!, ints ? [this.int(a).v, this.int(b).v] : [this.f(a), this.f(b)], "bool");
    const c1 = cmp(c.op, c.a, c.b, c.ints);
    if (c.mod === 0) return c1;
    if (c.mod === 1) return this.emit1("not", [c1], "bool");
    const c2 = cmp(c.op2, c.a2, c.b2, false);
    if (c.mod === 4) return this.emit1("select", [c1, c2, c1], "bool");
    return this.emit1(c.mod === 2 ? "and" : "or", [c1, c2], "bool");
  }

  private select(s: Extract<StmtRecipe, { k: "select" }>): void {
    const c = this.cond(s.cond);
    if (s.type === "f64") return this.setF(s.dst, this.emit1("select", [c, this.f(s.x), this.f(s.y)], "f64"));
    if (s.type === "i32") {
      const x = this.int(s.x);
      const y = this.int(s.y);
      return void this.env.i.push({ v: this.emit1("select", [c, x.v, y.v], "i32"), mag: Math.max(x.mag, y.mag) });
    }
    const x = this.arr(s.x);
    const y = this.arr(s.y);
    this.setA(s.dst, { v: this.emit1("select", [c, x.v, y.v], "f64[]"), minLen: Math.min(x.minLen, y.minLen) });
  }

  /** Pushes x and y on a new stack and pops them back: returns [y, x]. */
  private stackRoundTrip(t: "f64" | "i32", x: ValueId, y: ValueId): [ValueId, ValueId] {
    const st = this.emit1("stack.new", [], `stack<${t}>`);
    this.emit("stack.push", [st, x], []);
    this.emit("stack.push", [st, y], []);
    return [this.emit1("stack.pop", [st], t), this.emit1("stack.pop", [st], t)];
  }

  /** An in-bounds index into `a`: the counter of an enclosing loop over a's
   * length (unless `ip` says otherwise), else `rem(abs(i), len)`, which needs
   * len > 0 (known, or checked by the caller). */
  private index(a: ArrSlot, ip: Pick): ValueId {
    const loop = this.loops.find((l) => l.lenOf === a.v);
    if (loop && ip % 3 !== 0) return loop.counter.v;
    const len = this.emit1("array.len", [a.v], "i32");
    return this.emit1("rem", [this.emit1("abs", [this.int(ip).v], "i32"), len], "i32");
  }

  /** Emits `len(a) > 0` and branches on it; continues in the in-bounds block
   * and returns the join block (reached directly, with `elseArgs`, if empty). */
  private guardNonEmpty(a: ArrSlot, elseArgs: readonly ValueId[]): BlockId {
    const len = this.emit1("array.len", [a.v], "i32");
    const pos = this.emit1("gt", [len, this.constant("i32", 0)], "bool");
    const yes = this.fb.addBlock();
    const join = this.fb.addBlock();
    this.fb.condbr(this.cur, pos, yes, [], join, elseArgs);
    this.cur = yes;
    return join;
  }

  /** `array.get` in bounds; an empty array yields `f(ip)` instead. */
  private arrayGet(ap: Pick, ip: Pick, d: Dst): void {
    const a = this.arr(ap);
    const known = a.minLen > 0 || this.loops.some((l) => l.lenOf === a.v);
    if (known) return this.setF(d, this.emit1("array.get", [a.v, this.index(a, ip)], "f64"));
    const join = this.guardNonEmpty(a, [this.f(ip)]);
    const v = this.emit1("array.get", [a.v, this.index(a, ip)], "f64");
    this.fb.br(this.cur, join, [v]);
    this.cur = join;
    this.setF(d, this.fb.addParam(join, "f64"));
  }

  /** `array.set` in bounds; skipped on an empty array. */
  private arraySet(ap: Pick, ip: Pick, vp: Pick): void {
    const a = this.arr(ap);
    const known = a.minLen > 0 || this.loops.some((l) => l.lenOf === a.v);
    if (known) return void this.emit("array.set", [a.v, this.index(a, ip), this.f(vp)], []);
    const join = this.guardNonEmpty(a, []);
    this.emit("array.set", [a.v, this.index(a, ip), this.f(vp)], []);
    this.fb.br(this.cur, join, []);
    this.cur = join;
  }

  private call(fp: Pick, args: readonly Pick[], d: Dst): void {
    if (this.callees.length === 0) return;
    const callee = this.callees[fp % this.callees.length]!;
    if (this.cost + this.mult * callee.cost > this.o.budget) return;
    const argVals = callee.params.map((t, k) => (t === "f64" ? this.f(args[k % args.length]!) : this.arr(args[k % args.length]!).v));
    const results = this.emit("call", argVals, callee.results, callee.name);
    this.cost += this.mult * callee.cost;
    callee.results.forEach((t, k) => (t === "f64" ? this.setF(k === 0 ? d : null, results[k]!) : this.setA(k === 0 ? d : null, { v: results[k]!, minLen: 0 })));
  }

  private ret(): void {
    const values: ValueId[] = [];
    let arrays = 0;
    this.r.results.forEach((t, k) => {
      const p = this.r.ret[k % this.r.ret.length]!;
      if (t === "f64") return void values.push(this.f(p));
      // An array result after the first may alias it (the same slot, a select, a join): copy it.
      const v = this.arr(p).v;
      values.push(this.o.aliasFree && arrays++ > 0 ? this.emit1("array.copy", [v], "f64[]") : v);
    });
    this.fb.ret(this.cur, values);
  }

  /** The f64 and array slot values, in order (what joins and edges carry). */
  private carried(e: Env, fMask: (k: number) => boolean, aMask: (k: number) => boolean): { types: Type[]; values: ValueId[] } {
    const types: Type[] = [];
    const values: ValueId[] = [];
    e.f.forEach((v, k) => fMask(k) && (types.push("f64"), values.push(v)));
    e.a.forEach((s, k) => aMask(k) && (types.push("f64[]"), values.push(s.v)));
    return { types, values };
  }

  /** Replaces the masked slot values of `e` by `values` (in `carried` order).
   * Array slots keep their known minimum length unless `forgetLen` (a loop
   * header parameter may receive any array the body assigns). */
  private rebind(e: Env, fMask: (k: number) => boolean, aMask: (k: number) => boolean, values: readonly ValueId[], forgetLen = false): void {
    let n = 0;
    e.f.forEach((_, k) => fMask(k) && (e.f[k] = values[n++]!));
    e.a.forEach((s, k) => aMask(k) && (e.a[k] = { v: values[n++]!, minLen: forgetLen ? 0 : s.minLen }));
  }

  private ifStmt(s: Extract<StmtRecipe, { k: "if" }>): void {
    const c = this.cond(s.cond);
    const pre = cloneEnv(this.env);
    const all = (): boolean => true;
    const thenB = this.fb.addBlock();
    const elseB = this.fb.addBlock();
    const entryArgs = s.edgeArgs ? this.carried(pre, all, all) : { types: [], values: [] };
    this.fb.condbr(this.cur, c, thenB, entryArgs.values, elseB, entryArgs.values);

    const arm = (b: BlockId, body: readonly StmtRecipe[]): { block: BlockId; env: Env } => {
      this.cur = b;
      this.env = cloneEnv(pre);
      if (s.edgeArgs) this.rebind(this.env, all, all, entryArgs.types.map((t) => this.fb.addParam(b, t)));
      this.stmts(body);
      return { block: this.cur, env: this.env };
    };
    const t = arm(thenB, s.then);
    if (s.early) {
      // The then arm returns: continue in the else arm without a join.
      this.ret();
      const e = arm(elseB, s.else);
      this.cur = e.block;
      this.env = this.truncate(e.env, pre);
      return;
    }
    const e = arm(elseB, s.else);
    const join = this.fb.addBlock();
    const fDiff = (k: number): boolean => t.env.f[k] !== e.env.f[k];
    const aDiff = (k: number): boolean => t.env.a[k]!.v !== e.env.a[k]!.v;
    const te = this.truncate(t.env, pre);
    const ee = this.truncate(e.env, pre);
    const tArgs = this.carried(te, fDiff, aDiff);
    this.fb.br(t.block, join, tArgs.values);
    this.fb.br(e.block, join, this.carried(ee, fDiff, aDiff).values);
    this.env = te;
    ee.a.forEach((s2, k) => (te.a[k] = { v: te.a[k]!.v, minLen: Math.min(te.a[k]!.minLen, s2.minLen) }));
    this.rebind(this.env, fDiff, aDiff, tArgs.types.map((ty) => this.fb.addParam(join, ty)));
    this.cur = join;
  }

  /** `e` cut back to the slots that existed in `pre` (inner values go out of scope). */
  private truncate(e: Env, pre: Env): Env {
    return { f: e.f.slice(0, pre.f.length), i: pre.i.slice(), a: e.a.slice(0, pre.a.length) };
  }

  private loop(s: Extract<StmtRecipe, { k: "loop" }>): void {
    let trips: number;
    let lenOf: ValueId | undefined;
    let bound: ValueId;
    if (s.bound === "len") {
      const a = this.arr(s.n);
      lenOf = a.v;
      bound = this.emit1("array.len", [a.v], "i32");
      trips = MAX_ARRAY_LEN;
    } else {
      trips = s.n % (MAX_TRIP + 1);
      bound = s.bound === "const" ? this.constant("i32", trips) : this.constant("f64", trips - 0.5);
    }
    const pre = cloneEnv(this.env);
    const zero = this.constant("i32", 0);
    const fMask = (k: number): boolean => ((s.carry >> k % 16) & 1) === 1;
    const aMask = (k: number): boolean => ((s.carry >> (k + 8) % 16) & 1) === 1;
    const carried = this.carried(pre, fMask, aMask);

    const header = this.fb.addBlock("loop");
    const body = this.fb.addBlock();
    const exit = this.fb.addBlock();
    const counter = this.fb.addParam(header, "i32", "i");
    const headerParams = carried.types.map((t) => this.fb.addParam(header, t, "acc"));
    this.fb.br(this.cur, header, [zero, ...carried.values]);

    this.cur = header;
    this.mult *= trips + 1;
    let more: ValueId;
    if (s.bound === "f64") more = this.emit1("lt", [this.emit1("i32.to.f64", [counter], "f64"), bound], "bool");
    else more = this.emit1("lt", [counter, bound], "bool");
    this.mult = this.mult / (trips + 1);
    const exitParams = s.exitArgs ? carried.types.map((t) => this.fb.addParam(exit, t)) : headerParams;
    this.fb.condbr(header, more, body, [], exit, s.exitArgs ? headerParams : []);

    this.cur = body;
    this.env = cloneEnv(pre);
    this.rebind(this.env, fMask, aMask, headerParams, true);
    const slot: IntSlot = { v: counter, mag: trips };
    this.env.i.push(slot);
    this.loops.push({ counter: slot, lenOf });
    this.mult *= trips;
    this.stmts(s.body);
    const next = this.emit1("add", [counter, this.constant("i32", 1)], "i32");
    this.fb.br(this.cur, header, [next, ...this.carried(this.truncate(this.env, pre), fMask, aMask).values]);
    this.mult /= trips;
    this.loops.pop();

    this.cur = exit;
    this.env = cloneEnv(pre);
    this.rebind(this.env, fMask, aMask, exitParams, true);
  }
}

/** Lowers a recipe to a module (verified by construction). */
export function buildModule(recipe: ModuleRecipe, options: GenOptions = {}): Module {
  const o = resolve(options);
  const funcs: Func[] = [];
  const callees: Callee[] = [];
  recipe.funcs.forEach((r, k) => {
    const lowering = new FuncLowering(r, funcName(k), callees.slice(), o);
    const func = lowering.lower();
    funcs.push(func);
    callees.push({ name: func.name, params: paramTypes(func), results: func.results, cost: lowering.cost });
  });
  const externs: Extern[] = o.externs ? GEN_EXTERNS.map(({ name, params, results }) => ({ name, params, results })) : [];
  return { funcs, externs };
}

/** Arbitrary verified modules. Every function terminates within roughly
 * `budget` steps on any arguments with arrays of length <= MAX_ARRAY_LEN. */
export function arbModule(options: GenOptions = {}): fc.Arbitrary<Module> {
  return arbModuleRecipe(options).map((r) => buildModule(r, options));
}

/** Arbitrary arguments for `func`: f64 from `arbF64`, arrays of length
 * 0..MAX_ARRAY_LEN as Float64Array, small i32s, booleans, short stacks. */
export function arbInputs(func: Func): fc.Arbitrary<RtValue[]> {
  const one = (t: Type): fc.Arbitrary<RtValue> => {
    switch (t) {
      case "f64":
        return arbF64;
      case "i32":
        return fc.integer({ min: -5, max: 5 });
      case "bool":
        return fc.boolean();
      case "f64[]":
        return fc.array(arbF64, { maxLength: MAX_ARRAY_LEN }).map((xs) => Float64Array.from(xs));
      case "stack<f64>":
        return fc.array(arbF64, { maxLength: MAX_ARRAY_LEN });
      case "stack<i32>":
        return fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: MAX_ARRAY_LEN });
      case "stack<f64[]>":
        return fc.array(fc.array(arbF64, { maxLength: MAX_ARRAY_LEN }).map((xs) => Float64Array.from(xs)), { maxLength: 3 });
    }
  };
  return fc.tuple(...paramTypes(func).map(one));
}

/** A generated module, the function to run (the last one, which may call
 * all the others) and matching arguments. Prints as IR in counterexamples. */
export interface ModuleWithInputs {
  readonly module: Module;
  readonly fn: string;
  readonly args: RtValue[];
}

/** Arbitrary `{ module, fn, args }`. Arguments are drawn next to the recipe
 * (not chained on the module) so that counterexamples shrink well. */
export function arbModuleWithInputs(options: GenOptions = {}): fc.Arbitrary<ModuleWithInputs> {
  const scalars = fc.array(arbF64, { minLength: MAX_PARAMS, maxLength: MAX_PARAMS });
  const array = fc.array(arbF64, { maxLength: MAX_ARRAY_LEN });
  return fc.tuple(arbModuleRecipe(options), scalars, array).map(([recipe, xs, arr]) => {
    const module = buildModule(recipe, options);
    const func = module.funcs[module.funcs.length - 1]!;
    let next = 0;
    const args = paramTypes(func).map((t): RtValue => (t === "f64[]" ? Float64Array.from(arr) : xs[next++]!));
    const out: ModuleWithInputs = { module, fn: func.name, args };
    Object.defineProperty(out, fc.toStringMethod, { value: () => `${printIR(module)}run @${formatName(func.name)}(${args.map(showArg).join(", ")})` });
    return out;
  });
}

function showArg(a: RtValue): string {
  if (a instanceof Float64Array) return `[${Array.from(a, (x) => (Object.is(x, -0) ? "-0" : String(x))).join(", ")}]`;
  return Object.is(a, -0) ? "-0" : String(a);
}
