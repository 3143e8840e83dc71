// Per-instruction transfer functions of the sparsity analysis: `EXEC`, an
// exhaustive `OpTable` of handlers. Pure ops follow the rule table
// passes/rules/sparsity.ts (and `EVAL` for their concrete values when every
// operand is known); containers, select, calls to black boxes and stacks have
// their own handlers here; calls to module functions go back to the machine
// (passes/sparsity-exec.ts). Handlers read registers of the current frame and
// write through the `Heap`, so forks can log and undo their writes.

import type { EvalContext, EvalRule, RtValue } from "../ir/eval.js";
import { EVAL } from "../ir/eval.js";
import { internalError, runtimeError } from "../ir/errors.js";
import type { ExternFn } from "../ir/interpreter.js";
import type { OpTable } from "../ir/ops.js";
import type { Inst, Type } from "../ir/types.js";
import { STOP_GRADIENT } from "./activity.js";
import { customRule } from "./rules/custom.js";
import { SPARSITY, type SparsityRule } from "./rules/sparsity.js";
import type { Conc, Heap, Store } from "./sparsity-heap.js";
import { isRef, joinVal, storesOf, UNKNOWN } from "./sparsity-heap.js";
import type { DepSet, HessSet, SetArena } from "./sparsity-sets.js";

/** What handlers see of a call frame. */
export interface OpFrame {
  readonly regs: Store;
  /** Value types of the function being run. */
  readonly types: readonly Type[];
}

/** A decoded instruction. */
export interface DInst {
  readonly inst: Inst;
  readonly run: OpHandler;
  /** Operand buffer for `EVAL` (rules never keep it). */
  readonly scratch: RtValue[];
}

/** What handlers need from the machine running them. */
export interface Machine {
  readonly heap: Heap;
  readonly hessian: boolean;
  readonly externs: Readonly<Record<string, ExternFn>>;
  /** The summary store of allocation site (inst, result k) while inside a
   * data-dependent loop (`undefined` there on first use); null outside such loops. */
  siteStore(inst: Inst, k: number): Store | undefined | null;
  setSiteStore(inst: Inst, k: number, s: Store): void;
  /** Records a warning (once per message and instruction). */
  warn(message: string, inst: Inst): void;
  /** Runs `call @g` of the module. */
  callFunc(fr: OpFrame, d: DInst): void;
}

/** A transfer function. */
export type OpHandler = (m: Machine, fr: OpFrame, d: DInst) => void;

const NO_CONTEXT: EvalContext = {
  typeOf: () => internalError("sparsity: a pure rule asked for a value type"),
  call: () => internalError("sparsity: a pure rule made a call"),
  callExtern: () => internalError("sparsity: a pure rule made an extern call"),
};

/** A pure op driven by its sparsity rule; concrete when every operand is. */
function pureOp(rule: Exclude<SparsityRule, { kind: "structural" }>, ev: EvalRule): OpHandler {
  return (m, fr, d) => {
    const Z = m.heap.sets;
    const { val, dep, hes } = fr.regs;
    const args = d.inst.args;
    const sc = d.scratch;
    let known = true;
    for (let k = 0; k < args.length; k++) {
      const v = val[args[k]!];
      if (v === UNKNOWN) known = false;
      sc[k] = v as RtValue;
    }
    let out: Conc = UNKNOWN;
    if (known) out = ev(sc, d.inst, NO_CONTEXT) as Conc;
    else if (rule.kind === "zero" && rule.absorbing !== undefined && sc.includes(rule.absorbing)) out = rule.absorbing;
    let dp: DepSet = 0;
    let hs: HessSet = 0;
    if (rule.kind !== "zero") {
      for (let k = 0; k < args.length; k++) dp = Z.union(dp, dep[args[k]!]!);
      if (m.hessian) {
        for (let k = 0; k < args.length; k++) hs = Z.hessUnion(hs, hes[args[k]!]!);
        if (rule.kind === "nonlinear") for (const [i, j] of rule.pairs) hs = Z.hessUnion(hs, Z.hessCross(dep[args[i]!]!, dep[args[j]!]!));
      }
    }
    m.heap.write(fr.regs, d.inst.results[0]!, out, dp, hs);
  };
}

/** Running join of cells (reads through a reference or an unknown index). */
interface Acc {
  val: Conc;
  dep: DepSet;
  hes: HessSet;
}

const newAcc = (): Acc => ({ val: undefined, dep: 0, hes: 0 });

function addCell(Z: SetArena, acc: Acc, s: Store, k: number): void {
  acc.val = joinVal(acc.val, s.val[k]);
  acc.dep = Z.union(acc.dep, s.dep[k] ?? 0);
  acc.hes = Z.hessUnion(acc.hes, s.hes[k] ?? 0);
}

/** Joins every element of `s` into `acc`. */
function addAll(Z: SetArena, acc: Acc, s: Store): void {
  const n = s.length < 0 ? Math.min(1, s.val.length) : s.length;
  for (let k = 0; k < n; k++) addCell(Z, acc, s, k);
}

const value = (acc: Acc): Conc => (acc.val === undefined ? UNKNOWN : acc.val);

function boundsError(inst: Inst, i: number, length: number): never {
  throw runtimeError("E_RUNTIME_BOUNDS", `${inst.op}: index ${i} out of bounds for length ${length}`, inst.loc);
}

const inBounds = (i: number, s: Store): boolean => Number.isInteger(i) && i >= 0 && i < s.length;

const widened = "an array index depends on the active inputs: widened to every element";

const arrayGet: OpHandler = (m, fr, d) => {
  const Z = m.heap.sets;
  const [a, i] = d.inst.args;
  const ref = fr.regs.val[a!] as Conc;
  const idx = fr.regs.val[i!];
  const res = d.inst.results[0]!;
  if (!Array.isArray(ref) && (ref as Store).length >= 0 && typeof idx === "number") {
    const s = ref as Store;
    if (!inBounds(idx, s)) boundsError(d.inst, idx, s.length);
    m.heap.write(fr.regs, res, s.val[idx], s.dep[idx]!, s.hes[idx]!);
    return;
  }
  const stores = storesOf(ref as Store);
  const acc = newAcc();
  let hit = false;
  for (const s of stores) {
    if (s.length < 0) addAll(Z, acc, s);
    else if (typeof idx !== "number") addAll(Z, acc, s);
    else if (inBounds(idx, s)) addCell(Z, acc, s, idx);
    else continue;
    hit = true;
  }
  if (typeof idx !== "number") m.warn(widened, d.inst);
  if (!hit) boundsError(d.inst, idx as number, stores[0]!.length);
  m.heap.write(fr.regs, res, value(acc), acc.dep, acc.hes);
};

const arraySet: OpHandler = (m, fr, d) => {
  const [a, i, v] = d.inst.args;
  const { val, dep, hes } = fr.regs;
  const ref = val[a!] as Conc;
  const idx = val[i!];
  const x = val[v!];
  const xd = dep[v!]!;
  const xh = hes[v!]!;
  if (!Array.isArray(ref) && (ref as Store).length >= 0 && typeof idx === "number") {
    const s = ref as Store;
    if (!inBounds(idx, s)) boundsError(d.inst, idx, s.length);
    m.heap.write(s, idx, x, xd, xh);
    return;
  }
  const stores = storesOf(ref as Store);
  if (typeof idx !== "number") m.warn(widened, d.inst);
  const strong = stores.length === 1;
  let hit = false;
  for (const s of stores) {
    if (s.length < 0) m.heap.write(s, 0, x, xd, xh);
    else if (typeof idx !== "number") for (let k = 0; k < s.length; k++) m.heap.weakWrite(s, k, x, xd, xh);
    else if (!inBounds(idx, s)) continue;
    else if (strong) m.heap.write(s, idx, x, xd, xh);
    else m.heap.weakWrite(s, idx, x, xd, xh);
    hit = true;
  }
  if (!hit) boundsError(d.inst, idx as number, stores[0]!.length);
};

/** A new array store (result k of `inst`), or the summary of its allocation
 * site inside a data-dependent loop, so that the states there stay finite. */
function allocate(m: Machine, inst: Inst, fresh: Store, k = 0): Store {
  const Z = m.heap.sets;
  const site = m.siteStore(inst, k);
  if (site === null) return fresh;
  if (site === undefined) {
    m.setSiteStore(inst, k, fresh);
    return fresh;
  }
  site.weak = true;
  if (site.length === fresh.length && fresh.length >= 0) {
    for (let k = 0; k < fresh.length; k++) m.heap.weakWrite(site, k, fresh.val[k], fresh.dep[k]!, fresh.hes[k]!);
    return site;
  }
  if (site.length < 0) {
    // Already one summary cell: join the new array into it.
    const acc = newAcc();
    addAll(Z, acc, fresh);
    m.heap.write(site, 0, acc.val, acc.dep, acc.hes);
    return site;
  }
  // Lengths differ: from now on one summary cell for every array of the site.
  const acc = newAcc();
  addAll(Z, acc, site);
  addAll(Z, acc, fresh);
  const summary = m.heap.newStore(site.kind, 1, acc.val, acc.dep, acc.hes);
  summary.length = -1;
  summary.weak = true;
  m.setSiteStore(inst, k, summary);
  return summary;
}

const TWO_31 = 2 ** 31;

const arrayNew: OpHandler = (m, fr, d) => {
  const [n, v] = d.inst.args;
  const { val, dep, hes } = fr.regs;
  const len = val[n!];
  let fresh: Store;
  if (typeof len === "number") {
    if (!Number.isInteger(len) || len < 0 || len >= TWO_31) {
      throw runtimeError("E_RUNTIME_INDEX", `array.new: length ${len} is not an integer in [0, 2^31)`, d.inst.loc);
    }
    fresh = m.heap.newStore("array", len, val[v!], dep[v!]!, hes[v!]!);
  } else {
    m.warn("an array length depends on the active inputs: its elements are summarized together", d.inst);
    fresh = m.heap.newStore("array", 1, val[v!], dep[v!]!, hes[v!]!);
    fresh.length = -1;
  }
  m.heap.write(fr.regs, d.inst.results[0]!, allocate(m, d.inst, fresh), 0, 0);
};

const arrayCopy: OpHandler = (m, fr, d) => {
  const Z = m.heap.sets;
  const stores = storesOf(fr.regs.val[d.inst.args[0]!] as Store);
  const src = stores[0]!;
  let fresh: Store;
  if (stores.length === 1 && src.length >= 0) {
    fresh = m.heap.newStore("array", 0, undefined, 0, 0);
    fresh.val = src.val.slice(0, src.length);
    fresh.dep = src.dep.slice(0, src.length);
    fresh.hes = src.hes.slice(0, src.length);
    fresh.length = src.length;
  } else if (src.length >= 0 && stores.every((s) => s.length === src.length)) {
    // One of several arrays of the same length: element-wise joins.
    fresh = m.heap.newStore("array", src.length, undefined, 0, 0);
    for (let k = 0; k < src.length; k++) {
      const acc = newAcc();
      for (const s of stores) addCell(Z, acc, s, k);
      fresh.val[k] = value(acc);
      fresh.dep[k] = acc.dep;
      fresh.hes[k] = acc.hes;
    }
  } else {
    const acc = newAcc();
    for (const s of stores) addAll(Z, acc, s);
    fresh = m.heap.newStore("array", 1, value(acc), acc.dep, acc.hes);
    fresh.length = -1;
  }
  m.heap.write(fr.regs, d.inst.results[0]!, allocate(m, d.inst, fresh), 0, 0);
};

const arrayLen: OpHandler = (m, fr, d) => {
  const lengths = storesOf(fr.regs.val[d.inst.args[0]!] as Store).map((s) => s.length);
  const n = lengths.every((l) => l === lengths[0] && l >= 0) ? lengths[0]! : UNKNOWN;
  m.heap.write(fr.regs, d.inst.results[0]!, n, 0, 0);
};

const select: OpHandler = (m, fr, d) => {
  const Z = m.heap.sets;
  const [c, a, b] = d.inst.args;
  const { val, dep, hes } = fr.regs;
  const cv = val[c!];
  const res = d.inst.results[0]!;
  if (cv === true || cv === false) {
    const k = cv ? a! : b!;
    m.heap.write(fr.regs, res, val[k], dep[k]!, hes[k]!);
  } else {
    m.heap.write(fr.regs, res, joinVal(val[a!], val[b!]), Z.union(dep[a!]!, dep[b!]!), Z.hessUnion(hes[a!]!, hes[b!]!));
  }
};

const stackNew: OpHandler = (m, fr, d) => {
  const site = m.siteStore(d.inst, 0);
  let s = m.heap.newStore("stack", 0, undefined, 0, 0);
  if (site === undefined) m.setSiteStore(d.inst, 0, s);
  else if (site) {
    // A stack allocated again inside a data-dependent loop: one summary.
    m.heap.smash(site);
    site.weak = true;
    s = site;
  }
  m.heap.write(fr.regs, d.inst.results[0]!, s, 0, 0);
};

/** Stacks reached through several references, or summaries, are smashed before use. */
function stackStores(m: Machine, ref: Conc): readonly Store[] {
  const stores = storesOf(ref as Store);
  if (stores.length > 1 || stores[0]!.weak) for (const s of stores) m.heap.smash(s);
  return stores;
}

const stackPush: OpHandler = (m, fr, d) => {
  const [st, v] = d.inst.args;
  const { val, dep, hes } = fr.regs;
  for (const s of stackStores(m, val[st!])) {
    if (s.length < 0) m.heap.write(s, 0, val[v!], dep[v!]!, hes[v!]!);
    else {
      const n = s.length;
      m.heap.write(s, n, val[v!], dep[v!]!, hes[v!]!);
      m.heap.setLength(s, n + 1);
    }
  }
};

const stackPop: OpHandler = (m, fr, d) => {
  const Z = m.heap.sets;
  const acc = newAcc();
  const stores = stackStores(m, fr.regs.val[d.inst.args[0]!]);
  for (const s of stores) {
    if (s.length < 0) addAll(Z, acc, s);
    else if (s.length === 0) throw runtimeError("E_RUNTIME_STACK", "stack.pop: the stack is empty", d.inst.loc);
    else {
      addCell(Z, acc, s, s.length - 1);
      m.heap.setLength(s, s.length - 1);
    }
  }
  m.heap.write(fr.regs, d.inst.results[0]!, value(acc), acc.dep, acc.hes);
};

/** First-order and Hessian sets of everything an operand holds (all elements of containers). */
function operandSets(Z: SetArena, fr: OpFrame, v: number): Acc {
  const x = fr.regs.val[v];
  const acc: Acc = { val: x, dep: fr.regs.dep[v] ?? 0, hes: fr.regs.hes[v] ?? 0 };
  if (isRef(x)) for (const s of storesOf(x)) addAll(Z, acc, s);
  return acc;
}

/** A call whose body is not followed: result r depends on the operands listed
 * in `uses[r]` (every operand when absent), nonlinearly; the concrete results
 * are `concrete` when known. With `mutates`, container operands may be
 * written with anything the call sees. */
export function blackBox(m: Machine, fr: OpFrame, d: DInst, uses: readonly (readonly number[])[] | null, concrete: readonly number[] | null, mutates: boolean): void {
  const args = d.inst.args;
  const Z = m.heap.sets;
  const sets = args.map((a) => operandSets(Z, fr, a));
  const gather = (ks: readonly number[]): Acc => {
    const acc = newAcc();
    for (const k of ks) {
      const s = sets[k];
      if (!s) continue;
      acc.dep = Z.union(acc.dep, s.dep);
      acc.hes = Z.hessUnion(acc.hes, s.hes);
    }
    if (m.hessian) acc.hes = Z.hessUnion(acc.hes, Z.hessCross(acc.dep, acc.dep));
    return acc;
  };
  const every = args.map((_, k) => k);
  const all = gather(every);
  d.inst.results.forEach((r, j) => {
    const t = fr.types[r]!;
    const g = uses ? gather(uses[j] ?? every) : all;
    const known = concrete?.[j];
    if (t === "f64") m.heap.write(fr.regs, r, known ?? UNKNOWN, g.dep, g.hes);
    else if (t === "f64[]" || t === "stack<f64>" || t === "stack<i32>") {
      const s = m.heap.newStore(t === "f64[]" ? "array" : "stack", 1, UNKNOWN, g.dep, g.hes);
      s.length = -1;
      m.heap.write(fr.regs, r, allocate(m, d.inst, s, j), 0, 0);
    } else m.heap.write(fr.regs, r, known ?? UNKNOWN, 0, 0);
  });
  if (!mutates) return;
  for (const a of args) {
    const x = fr.regs.val[a];
    if (!isRef(x)) continue;
    for (const s of storesOf(x)) {
      if (s.kind === "stack") m.heap.smash(s);
      const n = s.length < 0 ? 1 : s.length;
      for (let k = 0; k < n; k++) m.heap.weakWrite(s, k, UNKNOWN, all.dep, all.hes);
    }
  }
}

/** Concrete results of a bound extern on concrete numeric operands, else null. */
function externValues(m: Machine, fr: OpFrame, d: DInst): number[] | null {
  const fn = m.externs[d.inst.callee!];
  if (!fn) return null;
  const xs = d.inst.args.map((a) => fr.regs.val[a]);
  if (!xs.every((x) => typeof x === "number")) return null;
  const out = fn(...(xs as number[]));
  const list = typeof out === "number" ? [out] : [...out];
  if (list.length !== d.inst.results.length || !list.every((x) => typeof x === "number")) {
    throw runtimeError("E_RUNTIME_EXTERN", `extern @${d.inst.callee} must return ${d.inst.results.length} number(s)`, d.inst.loc);
  }
  return list;
}

const callExtern: OpHandler = (m, fr, d) => {
  const name = d.inst.callee!;
  if (name === STOP_GRADIENT) {
    m.heap.write(fr.regs, d.inst.results[0]!, fr.regs.val[d.inst.args[0]!], 0, 0);
    return;
  }
  const rule = customRule(name)?.sparsity;
  const uses = rule ? rule(d.inst.args.length) : null;
  if (!uses && d.inst.args.some((a) => operandSets(m.heap.sets, fr, a).dep !== 0)) {
    m.warn(`black box @${name} has no sparsity rule: each result is taken to depend on every argument`, d.inst);
  }
  blackBox(m, fr, d, uses, externValues(m, fr, d), false);
};

const constOp: OpHandler = (m, fr, d) => {
  const r = d.inst.results[0]!;
  const v = d.inst.value!;
  m.heap.write(fr.regs, r, fr.types[r] === "bool" ? v !== 0 : v, 0, 0);
};

const callOp: OpHandler = (m, fr, d) => m.callFunc(fr, d);

/** Handler of an op whose rule is not structural. */
function fromRule(op: keyof typeof SPARSITY): OpHandler {
  const rule = SPARSITY[op];
  if (rule.kind === "structural") internalError(`sparsity: ${op} has no structural handler`);
  return pureOp(rule, EVAL[op]);
}

/** The transfer function of every op. */
export const EXEC: OpTable<OpHandler> = {
  const: constOp,
  add: fromRule("add"),
  sub: fromRule("sub"),
  mul: fromRule("mul"),
  div: fromRule("div"),
  rem: fromRule("rem"),
  neg: fromRule("neg"),
  pow: fromRule("pow"),
  min: fromRule("min"),
  max: fromRule("max"),
  abs: fromRule("abs"),
  sqrt: fromRule("sqrt"),
  cbrt: fromRule("cbrt"),
  exp: fromRule("exp"),
  expm1: fromRule("expm1"),
  log: fromRule("log"),
  log1p: fromRule("log1p"),
  log2: fromRule("log2"),
  log10: fromRule("log10"),
  sin: fromRule("sin"),
  cos: fromRule("cos"),
  tan: fromRule("tan"),
  asin: fromRule("asin"),
  acos: fromRule("acos"),
  atan: fromRule("atan"),
  atan2: fromRule("atan2"),
  sinh: fromRule("sinh"),
  cosh: fromRule("cosh"),
  tanh: fromRule("tanh"),
  hypot: fromRule("hypot"),
  sign: fromRule("sign"),
  floor: fromRule("floor"),
  ceil: fromRule("ceil"),
  round: fromRule("round"),
  lt: fromRule("lt"),
  le: fromRule("le"),
  gt: fromRule("gt"),
  ge: fromRule("ge"),
  eq: fromRule("eq"),
  ne: fromRule("ne"),
  select,
  and: fromRule("and"),
  or: fromRule("or"),
  not: fromRule("not"),
  "i32.to.f64": fromRule("i32.to.f64"),
  "f64.to.i32": fromRule("f64.to.i32"),
  "array.new": arrayNew,
  "array.get": arrayGet,
  "array.set": arraySet,
  "array.len": arrayLen,
  "array.copy": arrayCopy,
  call: callOp,
  "call.extern": callExtern,
  "stack.new": stackNew,
  "stack.push": stackPush,
  "stack.pop": stackPop,
};
