// Closed forms of flop counts in a function's parameters (the symbolic half of
// the `flops` analysis). Reads the IR only.
//
// Algorithm, per function, callees before callers (call-graph SCCs):
// 1. Block costs: class counts of the block (passes/flops-cost.ts) plus, for
//    each `call @g`, g's closed form with g's parameters replaced by the
//    affine values of the arguments (passes/flops-affine.ts). Where that is
//    impossible (no closed form, argument not affine, recursion) the call
//    contributes an accumulator atom `total(@g)`, `mul(@g)`, … instead.
// 2. Regions, innermost loop first. Inside a loop (or the function body) the
//    blocks and the already-collapsed inner loops form a DAG; walking it in
//    reverse post-order, each node's incoming cost is the cost of every path
//    reaching it, which must agree (per quantity: each class and the weighted
//    total separately) for the count to stay exact. Branches whose arms cost
//    the same therefore stay exact; arms whose costs differ by something of
//    known sign give a lower and an upper bound (passes/flops-range.ts);
//    anything else has no closed form and is reported in `why`, never
//    guessed. The cost reaching the back edges is one iteration I(k), the
//    cost reaching the exits is E.
// 3. A counted loop (trip count T) costs sum_{k<T} I(k) + E(T) per entry
//    (Faulhaber sums, so nested and triangular loops give polynomials); any
//    other loop costs trip(@f^h)*I + E, its trip count left symbolic (I must
//    not depend on its own iteration). Accumulator terms are totals already
//    and pass through sums unchanged; a term multiplying one by an iteration
//    index cannot be summed and has no closed form.
// 4. Assumptions (passes/flops-assume.ts): each non-constant trip count T
//    must be >= 0; a formula applies at given inputs only where all hold.

import { computeDomTree, computeLoops } from "../ir/cfg.js";
import { internalError } from "../ir/errors.js";
import { blockNames, formatName } from "../ir/printer.js";
import type { BlockId, Edge, Func, Inst, Module } from "../ir/types.js";
import { findFunc, termEdges } from "../ir/types.js";
import { computeAffine, type AffineFacts, paramNames } from "./flops-affine.js";
import { type Assumption, forAll, simplifyAssumptions } from "./flops-assume.js";
import { calleeFirstSCCs } from "./flops-callgraph.js";
import { blockCounts, type ClassCounts, COST_CLASSES, type Weights } from "./flops-cost.js";
import type { Atom, Poly } from "./flops-poly.js";
import { addRange, exact, isExact, joinRange, mapRange, type Range } from "./flops-range.js";
import {
  atomKey,
  formatPoly,
  isAccumulator,
  polyAdd,
  polyAtom,
  polyConst,
  polyConstValue,
  polyInt,
  polyMap,
  polyMentions,
  polyMul,
  polySumOver,
  POLY_ZERO,
  rat,
  ratAdd,
  ratFromNumber,
  ratMul,
  splitAccumulators,
  ZERO,
} from "./flops-poly.js";

/** The quantities a closed form is computed for: each class, then the weighted total. */
export const QUANTITIES = [...COST_CLASSES, "total"] as const;
/** A quantity of a closed form: a cost class or `total`. */
export type Quantity = (typeof QUANTITIES)[number];

/** The closed form of one function's cost. */
export interface FuncForm {
  /** Per quantity (QUANTITIES order): bounds polynomial in the parameters
   * (and accumulator atoms), equal when exact, or null when there are none. */
  readonly quantities: readonly (Range | null)[];
  /** Conditions under which the polynomials are exact. */
  readonly assumes: readonly Assumption[];
  /** Why some quantity has no closed form or some trip count is symbolic. */
  readonly why: readonly string[];
}

type Vec = (Range | null)[];

/** Cost and assumptions of a DAG node (a block or a collapsed loop). */
interface NodeCost {
  readonly vec: Vec;
  readonly assumes: readonly Assumption[];
}

const zeroVec = (): Vec => QUANTITIES.map(() => exact(POLY_ZERO));
const addVec = (a: Vec, b: Vec): Vec => a.map((p, q) => p && b[q]! && addRange(p, b[q]!));
const costAtom = (callee: string, q: number): Range => exact(polyAtom({ kind: "cost", callee, quantity: QUANTITIES[q]! }));

/** What one run of each block of a function counts, per cost class (default:
 * its operations, `blockCounts`; the tape-size formula counts pushed bytes). */
export type BlockCounter = (func: Func) => readonly ClassCounts[];

/** Closed forms of the functions of `module` reachable from `roots` (default:
 * all), by name. */
export function closedForms(module: Module, weights: Weights, roots?: readonly string[], counter: BlockCounter = blockCounts): Map<string, FuncForm> {
  const forms = new Map<string, FuncForm>();
  for (const scc of calleeFirstSCCs(module, roots)) {
    const members = scc.map((name) => findFunc(module, name)).filter((f): f is Func => f !== undefined);
    // Calls inside the SCC (recursion) see no form yet: they cost 0 in the
    // quantities the whole SCC never spends, atoms in the others.
    const cyclic = members.length > 1 || members.some((f) => f.blocks.some((b) => b.insts.some((inst) => inst.op === "call" && inst.callee === f.name)));
    const zero = cyclic ? sccZero(members, weights, forms, counter) : QUANTITIES.map(() => false);
    const computed = members.map((f) => [f.name, analyzeFunc(module, f, weights, forms, zero, counter)] as const);
    for (const [name, form] of computed) forms.set(name, form);
  }
  return forms;
}

/** Per quantity: true if no block of the SCC `members` spends it and every
 * call leaving the SCC goes to a function whose closed form for it is 0. */
function sccZero(members: readonly Func[], weights: Weights, forms: ReadonlyMap<string, FuncForm>, counter: BlockCounter): boolean[] {
  const names = new Set(members.map((f) => f.name));
  return QUANTITIES.map((_, q) =>
    members.every((f) =>
      f.blocks.every((b, id) => {
        const counts = counter(f)[id]!;
        const spent = q < COST_CLASSES.length ? counts[q]! : counts.reduce((s, k, i) => s + k * weights[COST_CLASSES[i]!], 0);
        if (spent !== 0) return false;
        return b.insts.every((inst) => inst.op !== "call" || names.has(inst.callee!) || isZero(forms.get(inst.callee!)?.quantities[q]));
      }),
    ),
  );
}

const isZero = (r: Range | null | undefined): boolean => !!r && !r.lo.terms.length && !r.hi.terms.length;

/** True if a polynomial mentions an accumulator atom. */
const isSymbolic = (p: Poly): boolean => polyMentions(p, isAccumulator);

function analyzeFunc(module: Module, func: Func, weights: Weights, forms: ReadonlyMap<string, FuncForm>, sccZeros: readonly boolean[], counter: BlockCounter): FuncForm {
  const dom = computeDomTree(func);
  const loops = computeLoops(func, dom);
  if (loops.irreducible) return { quantities: QUANTITIES.map(() => null), assumes: [], why: [`@${formatName(func.name)}: irreducible control flow`] };
  const facts = computeAffine(func, loops, dom);
  const why = new Set<string>();
  for (const t of facts.trips) if (t.kind === "unknown") why.add(`trip count left symbolic: ${t.why}`);
  let invalid: string | undefined;
  let bn: string[] | undefined; // printed block names, only when a message needs them
  const where = (b: BlockId): string => `@${formatName(func.name)}^${formatName((bn ??= blockNames(func))[b]!)}`;
  const weightRats = COST_CLASSES.map((c) => ratFromNumber(weights[c])!);

  const blockCost = (b: BlockId): NodeCost => {
    const counts = counter(func)[b]!;
    let total = ZERO;
    counts.forEach((k, i) => (total = ratAdd(total, ratMul(weightRats[i]!, rat(BigInt(k))))));
    let vec: Vec = [...counts.map((k) => exact(polyInt(k))), exact(polyConst(total))];
    const assumes: Assumption[] = [];
    for (const inst of func.blocks[b]!.insts) {
      if (inst.op !== "call") continue;
      const call = callCost(module, facts, forms, sccZeros, inst, b);
      vec = addVec(vec, call.vec);
      assumes.push(...call.assumes);
    }
    return { vec, assumes };
  };

  // Per-entry costs of the loops, filled innermost first.
  const loopCost: (NodeCost | undefined)[] = loops.loops.map(() => undefined);
  /** The node of block `b` in region `r` (-1: the function body): the block
   * itself, or the child loop of `r` containing it. */
  const nodeOf = (b: BlockId, r: number): { loop: number; block: BlockId } => {
    let l = loops.loopOf[b]!;
    if (l === r) return { loop: -1, block: b };
    while (loops.loops[l]!.parent !== r) l = loops.loops[l]!.parent;
    return { loop: l, block: loops.loops[l]!.header };
  };
  const inRegion = (r: number, b: BlockId): boolean => r === -1 || facts.inLoop(r, b);

  /** Merges `v` into the cost recorded for a join point, per quantity. */
  const merge = (old: Vec | undefined, v: Vec, at: () => string): Vec => {
    if (!old) return v;
    return old.map((p, q) => {
      const w = v[q]!;
      if (!p || !w) return null;
      const joined = joinRange(p, w);
      if (!joined || !isExact(joined)) why.add(`${at()}: paths cost differently in ${QUANTITIES[q]} (${formatRange(p)} vs ${formatRange(w)})${joined ? "" : ", by an amount of unknown sign"}`);
      return joined;
    });
  };

  /** Walks region `r` (a loop, or -1 for the function body). */
  const walkRegion = (r: number) => {
    const entry = r === -1 ? 0 : loops.loops[r]!.header;
    const into = new Map<BlockId, Vec>([[entry, zeroVec()]]);
    let iter: Vec | undefined;
    let exit: Vec | undefined;
    const headerAssumes: Assumption[] = [];
    const bodyAssumes: Assumption[] = [];
    for (const b of dom.rpo.order) {
      if (!inRegion(r, b)) continue;
      const node = nodeOf(b, r);
      if (node.block !== b) continue; // a block inside a child loop
      const inVal = into.get(b);
      if (!inVal) continue;
      const cost = node.loop >= 0 ? loopCost[node.loop]! : blockCost(b);
      (b === entry ? headerAssumes : bodyAssumes).push(...cost.assumes);
      const out = addVec(inVal, cost.vec);
      const edges: Edge[] = [];
      if (node.loop >= 0) {
        for (const lb of loops.loops[node.loop]!.blocks) for (const e of termEdges(func.blocks[lb]!.term)) if (!facts.inLoop(node.loop, e.block)) edges.push(e);
      } else {
        const term = func.blocks[b]!.term;
        if (term.kind === "ret") exit = merge(exit, out, () => `${where(b)} returns`);
        edges.push(...termEdges(term));
      }
      for (const e of edges) {
        if (r >= 0 && e.block === entry) iter = merge(iter, out, () => `${where(entry)} back edges`);
        else if (!inRegion(r, e.block)) exit = merge(exit, out, () => `${where(entry)} exits`);
        else {
          const t = nodeOf(e.block, r).block;
          into.set(t, merge(into.get(t), out, () => `${where(t)} entry`));
        }
      }
    }
    return { iter, exit, headerAssumes, bodyAssumes };
  };

  for (let l = loops.loops.length - 1; l >= 0; l--) {
    const { iter, exit, headerAssumes, bodyAssumes } = walkRegion(l);
    const name = (): string => facts.loopName(l);
    const k = facts.iterKeys[l]!;
    const isK = (a: Atom): boolean => atomKey(a) === k;
    const trip = facts.trips[l]!;
    if (!exit) why.add(`${name()}: the loop never exits`);
    const assumes: Assumption[] = [];
    let vec: Vec;
    if (trip.kind === "counted") {
      const T = trip.trip;
      const atEnd = (p: Poly): Poly | null => polyMap(p, (a) => (isK(a) ? T : undefined));
      const sumIter = (p: Poly): Poly | null => {
        const { acc, rest } = splitAccumulators(p);
        const sum = polyMentions(acc, isK) ? null : polySumOver(rest, k, T);
        return sum && polyAdd(sum, acc);
      };
      vec = QUANTITIES.map((_, q) => {
        const i = iter?.[q];
        const e = exit?.[q];
        if (!i || !e) return null;
        const sum = mapRange(i, sumIter);
        if (!sum) why.add(`${name()}: the cost of an iteration in ${QUANTITIES[q]} is not a polynomial in the iteration index`);
        const last = mapRange(e, atEnd);
        return sum && last && addRange(sum, last);
      });
      if (polyConstValue(T) === undefined) assumes.push({ atLeastZero: T, unless: [] });
      const below = polyAdd(T, polyInt(-1));
      for (const a of bodyAssumes) {
        const q = forAll(a, k, below);
        if (!q) invalid = `${name()}: a condition of an inner loop or callee cannot be checked over all iterations`;
        else assumes.push(...q);
      }
      for (const a of headerAssumes) {
        const q = forAll(a, k, T);
        if (!q) invalid = `${name()}: a condition of a callee in the loop header cannot be checked over all iterations`;
        else assumes.push(...q);
      }
    } else {
      const t = polyAtom({ kind: "trip", loop: name() });
      vec = QUANTITIES.map((_, q) => {
        const i = iter?.[q];
        const e = exit?.[q];
        if (!i || !e) return null;
        if ([i.lo, i.hi, e.lo, e.hi].some((p) => polyMentions(p, isK))) {
          why.add(`${name()}: the cost of an iteration in ${QUANTITIES[q]} depends on the iteration of a loop whose trip count is unknown`);
          return null;
        }
        const times = mapRange(i, (p) => {
          const { acc, rest } = splitAccumulators(p);
          return polyAdd(acc, polyMul(t, rest));
        })!;
        return addRange(times, e);
      });
      for (const a of [...headerAssumes, ...bodyAssumes]) {
        if ([a.atLeastZero, ...a.unless].some((p) => polyMentions(p, isK))) invalid = `${name()}: a condition of an inner loop depends on the iteration of a loop whose trip count is unknown`;
        else assumes.push(a);
      }
    }
    loopCost[l] = { vec, assumes };
  }

  const body = walkRegion(-1);
  if (!body.exit) why.add(`@${formatName(func.name)}: no path returns`);
  const assumes = simplifyAssumptions([...body.headerAssumes, ...body.bodyAssumes]);
  if (assumes === null) invalid = `@${formatName(func.name)}: a trip count is negative for every input`;
  if (invalid !== undefined) return { quantities: QUANTITIES.map(() => null), assumes: [], why: [...why, invalid] };
  const quantities = QUANTITIES.map((_, q) => body.exit?.[q] ?? null);
  for (const r of quantities) if (r && [r.lo, r.hi].some((p) => polyMentions(p, (a) => a.kind === "iter"))) internalError(`flops: iteration index left in the closed form of @${func.name}: ${formatRange(r)}`);
  return { quantities, assumes: assumes ?? [], why: [...why] };
}

/** `p`, or `lo .. hi` for a range. */
function formatRange(r: Range): string {
  return isExact(r) ? formatPoly(r.lo) : `${formatPoly(r.lo)} .. ${formatPoly(r.hi)}`;
}

const paramIndexCache = new WeakMap<Func, Map<string, number>>();

/** Position of each parameter of `func` by printed name (the names its atoms use). */
export function paramIndex(func: Func): Map<string, number> {
  let m = paramIndexCache.get(func);
  if (!m) {
    m = new Map(paramNames(func).map((name, i) => [name, i]));
    paramIndexCache.set(func, m);
  }
  return m;
}

/** The cost of one `call @g` instruction's callee, in the caller's terms. */
function callCost(module: Module, facts: AffineFacts, forms: ReadonlyMap<string, FuncForm>, sccZeros: readonly boolean[], inst: Inst, at: BlockId): NodeCost {
  const g = inst.callee!;
  const form = forms.get(g);
  const atoms = (): NodeCost => ({ vec: QUANTITIES.map((_, q) => (!form && sccZeros[q] ? exact(POLY_ZERO) : costAtom(g, q))), assumes: [] });
  const callee = findFunc(module, g);
  if (!form || !callee) return atoms();
  const byName = paramIndex(callee);
  const subst = (p: Poly): Poly | null =>
    polyMap(p, (a) => {
      if (a.kind !== "param" && a.kind !== "len") return undefined;
      const i = byName.get(a.name);
      if (i === undefined) return internalError(`flops: @${g} has no parameter ${a.name}`);
      const arg = inst.args[i]!;
      return a.kind === "param" ? facts.valueAt(arg, at) : facts.lengthAt(arg, at);
    });
  const assumes: Assumption[] = [];
  for (const a of form.assumes) {
    const atLeastZero = subst(a.atLeastZero);
    const unless = a.unless.map(subst);
    if (!atLeastZero || unless.some((u) => u === null)) return atoms();
    assumes.push({ atLeastZero, unless: unless as Poly[] });
  }
  const vec = form.quantities.map((r, q) => {
    const s = r && !isSymbolic(r.lo) && !isSymbolic(r.hi) ? mapRange(r, subst) : null;
    return s ?? costAtom(g, q);
  });
  return { vec, assumes };
}
