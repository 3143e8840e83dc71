// Affine facts for the flop counter's closed forms: which numeric values (and
// array lengths) are affine in the function's parameters, array lengths and
// loop iteration indices, and the trip count of every loop whose count is
// affine in those. Reads the IR only; needs a reducible CFG.
//
// One walk in reverse post-order. Entry parameters become atoms (`n`,
// `len(xs)`); constants, add/sub, mul and div by a constant, neg, the
// i32/f64 conversions and `array.len` propagate affine polynomials. A loop
// header parameter is an induction variable when every edge entering the loop
// passes the same affine start and every back edge passes `p + c` (`add p, c`,
// `add c, p`, `sub p, c`, one constant c): its value is start + c*k, k the
// iteration index (an `iter` atom). A loop is counted when its only exits
// leave from the header, through a `condbr` on `lt/le/gt/ge` (possibly under
// `not`) of affine operands in which k has a coefficient moving toward the
// bound; its trip count T (back edges taken per entry) is then
//   stay while E(k) < 0:   T = ceil(-E0/a)      stay while E(k) <= 0:  T = 1 - ceil(E0/a)
// for E(k) = E0 + a*k, a > 0, clamped at 0 when constant (otherwise the
// closed form assumes T >= 0). f64 arithmetic on bounds is taken as exact
// (true for integer-valued data below 2^53); f64 induction variables must
// have dyadic starts and steps (denominator <= 2^16) over integer atoms, so
// repeated addition is exact (for magnitudes below 2^36). Raw polynomials may mention the iteration
// index of a loop that does not contain the use; `valueAt` replaces it by
// that loop's trip count (the index's value after the loop), or gives up.

import type { DomTree, LoopInfo } from "../ir/cfg.js";
import { blockNames, formatName, valueNames } from "../ir/printer.js";
import type { BlockId, Func, Inst, ValueId } from "../ir/types.js";
import { termEdges } from "../ir/types.js";
import { AFFINE, type AffineOperands } from "./flops-affine-rules.js";
import type { Poly, Rat } from "./flops-poly.js";
import {
  atomKey,
  ceilOf,
  isIntegerAtom,
  polyAdd,
  polyAtom,
  polyConstValue,
  polyEq,
  polyInt,
  polyMap,
  polyScale,
  polySub,
  rat,
  ratFromNumber,
  ratSign,
  ZERO,
} from "./flops-poly.js";

/** The trip count of one loop (back edges taken per entry), or why not. */
export type LoopTrip = { readonly kind: "counted"; readonly trip: Poly } | { readonly kind: "unknown"; readonly why: string };

/** Affine facts of one function. */
export interface AffineFacts {
  /** Per loop (LoopInfo order): its `iter` atom key and its trip count. */
  readonly iterKeys: readonly string[];
  readonly trips: readonly LoopTrip[];
  /** Printed `@f^block` name of a loop's header. */
  loopName(l: number): string;
  /** The value of numeric `v` as seen in block `at`, or null if not affine. */
  valueAt(v: ValueId, at: BlockId): Poly | null;
  /** The length of array `v` as seen in block `at`, or null if unknown. */
  lengthAt(v: ValueId, at: BlockId): Poly | null;
  /** True if block `b` lies in loop `l` (nested loops included). */
  inLoop(l: number, b: BlockId): boolean;
}

const MAX_DYADIC = 1n << 16n;

/** Denominator a power of two <= 2^16: repeated f64 addition stays exact. */
function isDyadic(r: Rat): boolean {
  return r.d <= MAX_DYADIC && (r.d & (r.d - 1n)) === 0n;
}

type Rel = "lt" | "le" | "gt" | "ge";
const FLIP: Readonly<Record<Rel, Rel>> = { lt: "ge", le: "gt", gt: "le", ge: "lt" };
const isRel = (op: string): op is Rel => op === "lt" || op === "le" || op === "gt" || op === "ge";

const paramNameCache = new WeakMap<Func, readonly string[]>();

/** The printed names of a function's parameters (the names of their atoms). */
export function paramNames(func: Func): readonly string[] {
  let names = paramNameCache.get(func);
  if (!names) {
    const all = valueNames(func);
    names = func.blocks[0]!.params.map((p) => all[p]!);
    paramNameCache.set(func, names);
  }
  return names;
}

/** Computes the affine facts of a reducible function. */
export function computeAffine(func: Func, loops: LoopInfo, dom: DomTree): AffineFacts {
  const n = func.values.length;
  const num = new Array<Poly | null>(n).fill(null);
  const len = new Array<Poly | null>(n).fill(null);
  const def = new Array<Inst | undefined>(n);
  for (const b of func.blocks) for (const inst of b.insts) for (const r of inst.results) def[r] = inst;

  let bn: string[] | undefined; // printed block names, only when a message needs them
  const loopName = (l: number): string => `@${formatName(func.name)}^${formatName((bn ??= blockNames(func))[loops.loops[l]!.header]!)}`;
  // Iteration indices are internal (summed away), so they are keyed by block id.
  const iterAtoms = loops.loops.map((l) => ({ kind: "iter", loop: `@${func.name}#${l.header}` }) as const);
  const iterKeys = iterAtoms.map(atomKey);
  const iterLoop = new Map(iterKeys.map((k, l) => [k, l]));
  const headerLoop = new Int32Array(func.blocks.length).fill(-1);
  loops.loops.forEach((l, i) => (headerLoop[l.header] = i));
  const trips: LoopTrip[] = loops.loops.map(() => ({ kind: "unknown", why: "not reached" }));

  const inLoop = (l: number, b: BlockId): boolean => {
    for (let k = loops.loopOf[b]!; k !== -1; k = loops.loops[k]!.parent) if (k === l) return true;
    return false;
  };
  /** Replaces indices of loops not containing `at` by their trip counts. */
  const contextual = (p: Poly | null, at: BlockId): Poly | null => {
    for (let round = 0; p && round <= loops.loops.length; round++) {
      let changed = false;
      p = polyMap(p, (a) => {
        if (a.kind !== "iter") return undefined;
        const l = iterLoop.get(atomKey(a))!;
        if (inLoop(l, at)) return undefined;
        changed = true;
        const t = trips[l]!;
        return t.kind === "counted" ? t.trip : null;
      });
      if (!changed) return p;
    }
    return p;
  };
  const valueAt = (v: ValueId, at: BlockId): Poly | null => contextual(num[v]!, at);
  const lengthAt = (v: ValueId, at: BlockId): Poly | null => contextual(len[v]!, at);

  const names = paramNames(func);
  func.blocks[0]!.params.forEach((p, i) => {
    const t = func.values[p]!.type;
    if (t === "f64" || t === "i32") num[p] = polyAtom({ kind: "param", name: names[i]!, integer: t === "i32" });
    else if (t === "f64[]") len[p] = polyAtom({ kind: "len", name: names[i]! });
  });

  /** Arguments passed to parameter `j` of block `b`, with the edge's source. */
  const inEdges: { from: BlockId; args: readonly ValueId[] }[][] = func.blocks.map(() => []);
  for (const from of dom.rpo.order) for (const e of termEdges(func.blocks[from]!.term)) inEdges[e.block]!.push({ from, args: e.args });
  const incoming = (b: BlockId, j: number): { from: BlockId; arg: ValueId }[] => inEdges[b]!.map((e) => ({ from: e.from, arg: e.args[j]! }));
  /** The common value of `get` over `items`, or null (stops at the first miss). */
  const agree = <T>(items: readonly T[], get: (item: T) => Poly | null): Poly | null => {
    let first: Poly | null = null;
    for (const item of items) {
      const p = get(item);
      if (!p || (first && !polyEq(p, first))) return null;
      first ??= p;
    }
    return first;
  };

  /** The step c if `arg` is `p + c`, `c + p` or `p - c` for a constant c; 0 if `arg` is `p`. */
  const stepOf = (p: ValueId, arg: ValueId): Rat | undefined => {
    if (arg === p) return ZERO;
    const d = def[arg];
    if (!d || (d.op !== "add" && d.op !== "sub")) return undefined;
    const [x, y] = d.args as [ValueId, ValueId];
    const constOf = (v: ValueId): Rat | undefined => {
      const dv = def[v];
      return dv?.op === "const" ? ratFromNumber(dv.value!) : undefined;
    };
    if (x === p) {
      const c = constOf(y);
      return c && (d.op === "add" ? c : rat(-c.n, c.d));
    }
    return d.op === "add" && y === p ? constOf(x) : undefined;
  };

  const headerParams = (b: BlockId, l: number): void => {
    func.blocks[b]!.params.forEach((p, j) => {
      const edges = incoming(b, j);
      const entering = edges.filter((e) => !inLoop(l, e.from));
      const back = edges.filter((e) => inLoop(l, e.from));
      const type = func.values[p]!.type;
      if (type === "f64[]") {
        if (back.every((e) => e.arg === p)) len[p] = agree(entering, (e) => lengthAt(e.arg, b));
        return;
      }
      if (type !== "f64" && type !== "i32") return;
      const start = agree(entering, (e) => valueAt(e.arg, b));
      const steps = back.map((e) => stepOf(p, e.arg));
      const step = steps[0];
      if (!start || !step || !steps.every((s) => s && s.n === step.n && s.d === step.d)) return;
      if (step.n === 0n) {
        num[p] = start;
        return;
      }
      const exact = type === "i32" || (isDyadic(step) && start.terms.every((t) => isDyadic(t.coef) && t.factors.every((f) => isIntegerAtom(f.atom))));
      if (exact) num[p] = polyAdd(start, polyScale(polyAtom(iterAtoms[l]!), step));
    });
  };

  const operands: AffineOperands = {
    num: (v) => num[v]!,
    len: (v) => len[v]!,
  };
  const evalInst = (inst: Inst): void => {
    const r = inst.results[0];
    if (r === undefined || inst.results.length !== 1) return;
    const t = func.values[r]!.type;
    if (t === "f64" || t === "i32") num[r] = AFFINE[inst.op](inst, operands);
    else if (t === "f64[]") len[r] = AFFINE[inst.op](inst, operands);
  };

  /** The trip count of loop `l`, whose header `h` has just been evaluated. */
  const tripOf = (l: number, h: BlockId): LoopTrip => {
    const unknown = (why: string): LoopTrip => ({ kind: "unknown", why: `${loopName(l)}: ${why}` });
    const loop = loops.loops[l]!;
    for (const b of loop.blocks) {
      if (b !== h && termEdges(func.blocks[b]!.term).some((e) => !inLoop(l, e.block))) return unknown("the loop is left from a block other than its header (a test at the bottom, a break or a return)");
    }
    const term = func.blocks[h]!.term;
    if (term.kind !== "condbr" || inLoop(l, term.then.block) === inLoop(l, term.else.block)) return unknown("no exit test at the loop header");
    let stayWhenTrue = inLoop(l, term.then.block);
    let cond = def[term.cond];
    while (cond?.op === "not") {
      stayWhenTrue = !stayWhenTrue;
      cond = def[cond.args[0]!];
    }
    if (!cond || !isRel(cond.op)) return unknown("the exit test is not a comparison <, <=, >, >=");
    const lhs = valueAt(cond.args[0]!, h);
    const rhs = valueAt(cond.args[1]!, h);
    if (!lhs || !rhs) return unknown("the exit test does not compare affine values of the parameters and induction variables");
    let rel: Rel = stayWhenTrue ? cond.op : FLIP[cond.op];
    let e = polySub(lhs, rhs);
    if (rel === "gt" || rel === "ge") {
      e = polyScale(e, rat(-1n));
      rel = rel === "gt" ? "lt" : "le";
    }
    const k = iterKeys[l]!;
    const withK = e.terms.filter((t) => t.factors.some((f) => atomKey(f.atom) === k));
    const slope = withK.length === 1 && withK[0]!.factors.length === 1 ? withK[0]!.coef : ZERO;
    if (ratSign(slope) <= 0) return unknown("no induction variable moves toward the bound");
    const e0 = polySub(e, { terms: withK });
    const trip = rel === "lt" ? ceilOf(polyScale(e0, rat(-slope.d, slope.n))) : polySub(polyInt(1), ceilOf(polyScale(e0, rat(slope.d, slope.n))));
    const c = polyConstValue(trip);
    return { kind: "counted", trip: c !== undefined && ratSign(c) < 0 ? polyInt(0) : trip };
  };

  const asked = loops.loops.length > 0 || func.blocks.some((b) => b.insts.some((inst) => inst.op === "call"));
  for (const b of asked ? dom.rpo.order : []) {
    const l = headerLoop[b]!;
    if (b !== 0 && l >= 0) headerParams(b, l);
    else if (b !== 0) {
      func.blocks[b]!.params.forEach((p, j) => {
        const edges = incoming(b, j);
        const type = func.values[p]!.type;
        if (type === "f64" || type === "i32") num[p] = agree(edges, (e) => valueAt(e.arg, b));
        else if (type === "f64[]") len[p] = agree(edges, (e) => lengthAt(e.arg, b));
      });
    }
    for (const inst of func.blocks[b]!.insts) evalInst(inst);
    if (l >= 0) trips[l] = tripOf(l, b);
  }
  return { iterKeys, trips, loopName, valueAt, lengthAt, inLoop };
}

