// SSA construction straight from the AST, after Braun, Buchwald, Hack, Leißa,
// Mallon, Zwinkau, "Simple and Efficient Construction of Static Single
// Assignment Form" (CC 2013): `write`/`read` per variable and block, sealed
// blocks, incomplete phis for unsealed blocks, and trivial-phi removal with
// rerouting of uses. Phis are block parameters; their operands become edge
// arguments on each predecessor's terminator when the function is finished.
//
// Everything is iterative: `read` walks single-predecessor chains with a loop
// (memoising the definition in every block it passes), phis that need
// operands wait on a queue, and trivial-phi removal runs a worklist. Removed
// phis are recorded in a replacement map resolved once at the end, when the
// draft is emitted through a `FuncBuilder` in reverse post-order with dense,
// fresh value ids (dead phis and unreachable blocks are dropped).

import { FuncBuilder, type InstExtras } from "../ir/builder.js";
import { assert } from "../ir/errors.js";
import type { Opcode } from "../ir/ops.js";
import type { BlockId, Func, SourceLoc, Type, ValueId } from "../ir/types.js";

/** An SSA variable: a source variable or a temporary of the lowering. */
export type SsaVar = number;

interface Phi {
  readonly block: BlockId;
  readonly variable: SsaVar;
  /** One operand per predecessor edge of `block`, once filled. */
  operands: ValueId[];
  filled: boolean;
  /** Phis that have this one as an operand (to re-check when it is removed). */
  readonly users: ValueId[];
}

interface DraftEdge {
  readonly block: BlockId;
  /** Index of this edge among the target's predecessors. */
  readonly pred: number;
}

type DraftTerm =
  | { readonly kind: "br"; readonly target: DraftEdge; readonly loc: SourceLoc }
  | { readonly kind: "condbr"; readonly cond: ValueId; readonly then: DraftEdge; readonly else: DraftEdge; readonly loc: SourceLoc }
  | { readonly kind: "ret"; readonly values: readonly ValueId[]; readonly loc: SourceLoc };

interface DraftInst {
  readonly op: Opcode;
  readonly args: readonly ValueId[];
  readonly results: readonly ValueId[];
  readonly extras: InstExtras;
}

interface DraftBlock {
  readonly name: string | undefined;
  /** Fixed parameters (the entry block's are the function's). */
  readonly params: ValueId[];
  readonly preds: BlockId[];
  sealed: boolean;
  /** Phi candidates, in creation order. */
  readonly phis: ValueId[];
  readonly incomplete: Map<SsaVar, ValueId>;
  readonly defs: Map<SsaVar, ValueId>;
  readonly insts: DraftInst[];
  term?: DraftTerm;
}

/** Reads by instructions and terminators: resolved values and their locations. */
interface RealUses {
  readonly values: readonly ValueId[];
  readonly locs: readonly (SourceLoc | undefined)[];
}

/** A use of a variable that may not have been assigned on some path. */
export interface UndefinedUse {
  readonly variable: SsaVar;
  readonly loc: SourceLoc | undefined;
}

/** Builds one function in SSA form from structured control flow. */
export class SsaBuilder {
  private readonly values: { type: Type; name?: string }[] = [];
  private readonly blocks: DraftBlock[] = [];
  /** Phi records by value id (sparse). */
  private readonly phis: (Phi | undefined)[] = [];
  /** Replacement of each removed phi (sparse). */
  private readonly replaced: (ValueId | undefined)[] = [];
  private readonly undefs = new Map<ValueId, SsaVar>();
  private readonly pending: ValueId[] = [];

  constructor(
    private readonly name: string,
    private readonly results: readonly Type[],
    private readonly varType: (v: SsaVar) => Type,
    private readonly varName: (v: SsaVar) => string | undefined,
    private readonly loc?: SourceLoc,
  ) {}

  /** A new block; the first one is the entry block (sealed, no predecessors). */
  newBlock(name?: string): BlockId {
    this.blocks.push({ name, params: [], preds: [], sealed: this.blocks.length === 0, phis: [], incomplete: new Map(), defs: new Map(), insts: [] });
    return this.blocks.length - 1;
  }

  /** A function parameter (a fixed parameter of the entry block). */
  addParam(type: Type, name: string): ValueId {
    const v = this.newValue(type, name);
    this.blocks[0]!.params.push(v);
    return v;
  }

  /** The type of a value. */
  typeOf(v: ValueId): Type {
    return this.values[this.resolve(v)]!.type;
  }

  /** Gives an unnamed value a name hint (e.g. the variable it is assigned to). */
  nameIfUnnamed(v: ValueId, name: string): void {
    const info = this.values[v]!;
    if (info.name === undefined && !this.undefs.has(v)) info.name = name;
  }

  /** Appends an instruction to `b` with fresh results of `types`. */
  emit(b: BlockId, op: Opcode, args: readonly ValueId[], types: readonly Type[], extras: InstExtras): ValueId[] {
    const blk = this.open(b);
    const results = types.map((t) => this.newValue(t));
    blk.insts.push({ op, args: [...args], results, extras });
    return results;
  }

  /** Appends a one-result instruction. */
  emit1(b: BlockId, op: Opcode, args: readonly ValueId[], type: Type, extras: InstExtras): ValueId {
    return this.emit(b, op, args, [type], extras)[0]!;
  }

  /** Number of predecessor edges of `b` so far. */
  predCount(b: BlockId): number {
    return this.blocks[b]!.preds.length;
  }

  br(from: BlockId, to: BlockId, loc: SourceLoc): void {
    this.open(from).term = { kind: "br", target: this.edge(from, to), loc };
  }

  condbr(from: BlockId, cond: ValueId, thenB: BlockId, elseB: BlockId, loc: SourceLoc): void {
    assert(thenB !== elseB, "ssa: condbr with both targets equal");
    this.open(from).term = { kind: "condbr", cond, then: this.edge(from, thenB), else: this.edge(from, elseB), loc };
  }

  ret(from: BlockId, values: readonly ValueId[], loc: SourceLoc): void {
    this.open(from).term = { kind: "ret", values: [...values], loc };
  }

  /** writeVariable: `value` is the current definition of `v` at the end of `b` so far. */
  write(v: SsaVar, b: BlockId, value: ValueId): void {
    this.blocks[b]!.defs.set(v, value);
  }

  /** A value standing for "not assigned yet"; a use of it that survives is an error. */
  undefinedValue(v: SsaVar): ValueId {
    const u = this.newValue(this.varType(v));
    this.undefs.set(u, v);
    return u;
  }

  /** readVariable: the definition of `v` reaching the current end of `b`. */
  read(v: SsaVar, b: BlockId): ValueId {
    const value = this.lookup(v, b);
    this.drain();
    return value;
  }

  /** Declares that every predecessor of `b` is known; completes its phis. */
  seal(b: BlockId): void {
    const blk = this.blocks[b]!;
    assert(!blk.sealed, `ssa: block ${b} sealed twice`);
    blk.sealed = true;
    for (const phi of blk.incomplete.values()) this.pending.push(phi);
    blk.incomplete.clear();
    this.drain();
  }

  /** The finished function, or the uses of possibly unassigned variables. */
  finish(): { func: Func } | { undefinedUses: UndefinedUse[] } {
    this.drain();
    const layout = this.layout();
    const uses = this.realUses(layout);
    const live = this.livePhis(uses);
    if (this.undefs.size > 0) {
      const undefinedUses = this.undefinedUses(uses, live);
      if (undefinedUses.length > 0) return { undefinedUses };
    }
    return { func: this.emitFunc(layout, live, this.usedValues(uses, live)) };
  }

  private newValue(type: Type, name?: string): ValueId {
    this.values.push(name === undefined ? { type } : { type, name });
    return this.values.length - 1;
  }

  private open(b: BlockId): DraftBlock {
    const blk = this.blocks[b]!;
    assert(blk.term === undefined, `ssa: block ${b} already has a terminator`);
    return blk;
  }

  private edge(from: BlockId, to: BlockId): DraftEdge {
    const target = this.blocks[to]!;
    assert(!target.sealed, `ssa: new edge into sealed block ${to}`);
    target.preds.push(from);
    return { block: to, pred: target.preds.length - 1 };
  }

  /** Follows replaced phis to the value that stands for them now. */
  private resolve(v: ValueId): ValueId {
    let r = v;
    while (this.replaced[r] !== undefined) r = this.replaced[r]!;
    while (this.replaced[v] !== undefined) {
      const next = this.replaced[v]!;
      this.replaced[v] = r;
      v = next;
    }
    return r;
  }

  private newPhi(b: BlockId, v: SsaVar): ValueId {
    const phi = this.newValue(this.varType(v), this.varName(v));
    this.phis[phi] = { block: b, variable: v, operands: [], filled: false, users: [] };
    this.blocks[b]!.phis.push(phi);
    return phi;
  }

  /** readVariableRecursive without recursion: walks up single-predecessor
   * chains; a phi that needs operands is queued instead of filled in place. */
  private lookup(v: SsaVar, b: BlockId): ValueId {
    const passed: BlockId[] = [];
    let cur = b;
    let value: ValueId;
    for (;;) {
      const blk = this.blocks[cur]!;
      const def = blk.defs.get(v);
      if (def !== undefined) {
        value = def;
        break;
      }
      if (!blk.sealed) {
        value = this.newPhi(cur, v);
        blk.incomplete.set(v, value);
        break;
      }
      if (blk.preds.length === 1) {
        passed.push(cur);
        assert(passed.length <= this.blocks.length, "ssa: cycle of single-predecessor blocks");
        cur = blk.preds[0]!;
        continue;
      }
      value = blk.preds.length === 0 ? this.undefinedValue(v) : this.newPhi(cur, v);
      if (blk.preds.length > 0) this.pending.push(value);
      break;
    }
    this.blocks[cur]!.defs.set(v, value);
    for (const p of passed) this.blocks[p]!.defs.set(v, value);
    return value;
  }

  /** addPhiOperands for every queued phi, then tryRemoveTrivialPhi. */
  private drain(): void {
    while (this.pending.length > 0) {
      const phi = this.pending.pop()!;
      const info = this.phis[phi]!;
      for (const p of this.blocks[info.block]!.preds) {
        const op = this.lookup(info.variable, p);
        info.operands.push(op);
        this.phis[op]?.users.push(phi);
      }
      info.filled = true;
      this.removeTrivial(phi);
    }
  }

  /** tryRemoveTrivialPhi with a worklist: a phi whose operands are all one
   * value (or itself) is replaced by that value; its users are re-checked. */
  private removeTrivial(start: ValueId): void {
    const work = [start];
    while (work.length > 0) {
      const phi = work.pop()!;
      const info = this.phis[phi]!;
      if (this.replaced[phi] !== undefined || !info.filled) continue;
      let same = -1;
      let trivial = true;
      for (const op of info.operands) {
        const r = this.resolve(op);
        if (r === same || r === phi) continue;
        if (same !== -1) {
          trivial = false;
          break;
        }
        same = r;
      }
      if (!trivial) continue;
      if (same === -1) same = this.undefinedValue(info.variable);
      this.replaced[phi] = same;
      const target = this.phis[same];
      for (const u of info.users) {
        if (u === phi) continue;
        target?.users.push(u);
        work.push(u);
      }
    }
  }

  /** Reverse post-order of the reachable blocks, visiting the second successor
   * first so that `then` code precedes `else` code and loop bodies precede exits. */
  private layout(): BlockId[] {
    const n = this.blocks.length;
    const seen = new Uint8Array(n);
    const post: BlockId[] = [];
    const stack: BlockId[] = [0];
    const next = new Int32Array(n);
    seen[0] = 1;
    while (stack.length > 0) {
      const b = stack[stack.length - 1]!;
      const succ = this.successors(b);
      if (next[b]! < succ.length) {
        const s = succ[succ.length - 1 - next[b]!++]!;
        if (!seen[s]) {
          seen[s] = 1;
          stack.push(s);
        }
      } else {
        stack.pop();
        post.push(b);
      }
    }
    return post.reverse();
  }

  private successors(b: BlockId): BlockId[] {
    const t = this.blocks[b]!.term;
    assert(t !== undefined, `ssa: reachable block ${b} of @${this.name} has no terminator`);
    return t.kind === "br" ? [t.target.block] : t.kind === "condbr" ? [t.then.block, t.else.block] : [];
  }

  /** Values read by instructions and terminators (resolved; edge arguments
   * excluded), with the location of each read. */
  private realUses(layout: readonly BlockId[]): RealUses {
    const values: ValueId[] = [];
    const locs: (SourceLoc | undefined)[] = [];
    const add = (v: ValueId, loc: SourceLoc | undefined): void => {
      values.push(this.resolve(v));
      locs.push(loc);
    };
    for (const b of layout) {
      const blk = this.blocks[b]!;
      for (const inst of blk.insts) for (const a of inst.args) add(a, inst.extras.loc);
      const t = blk.term!;
      if (t.kind === "condbr") add(t.cond, t.loc);
      else if (t.kind === "ret") for (const v of t.values) add(v, t.loc);
    }
    return { values, locs };
  }

  /** Phis that some real use needs, directly or through other phis. */
  private livePhis(uses: RealUses): Set<ValueId> {
    const live = new Set<ValueId>();
    const work: ValueId[] = [];
    const mark = (v: ValueId): void => {
      if (this.phis[v] !== undefined && !live.has(v)) {
        live.add(v);
        work.push(v);
      }
    };
    for (const v of uses.values) mark(v);
    while (work.length > 0) for (const op of this.phis[work.pop()!]!.operands) mark(this.resolve(op));
    return live;
  }

  /** Real uses of values that are, or flow through live phis from, "not assigned". */
  private undefinedUses(uses: RealUses, live: ReadonlySet<ValueId>): UndefinedUse[] {
    const usersOf = new Map<ValueId, ValueId[]>();
    for (const phi of live) {
      for (const op of this.phis[phi]!.operands) {
        const r = this.resolve(op);
        const list = usersOf.get(r);
        if (list) list.push(phi);
        else usersOf.set(r, [phi]);
      }
    }
    const tainted = new Set<ValueId>(this.undefs.keys());
    const work = [...tainted];
    while (work.length > 0) {
      for (const phi of usersOf.get(work.pop()!) ?? []) {
        if (tainted.has(phi)) continue;
        tainted.add(phi);
        work.push(phi);
      }
    }
    const out: UndefinedUse[] = [];
    uses.values.forEach((v, i) => {
      if (tainted.has(v)) out.push({ variable: this.undefs.get(v) ?? this.phis[v]!.variable, loc: uses.locs[i] });
    });
    return out;
  }

  /** Values something reads (instructions, terminators, edges into live phis). */
  private usedValues(uses: RealUses, live: ReadonlySet<ValueId>): Set<ValueId> {
    const used = new Set<ValueId>(uses.values);
    for (const phi of live) for (const op of this.phis[phi]!.operands) used.add(this.resolve(op));
    return used;
  }

  /** Emits the reachable blocks in `layout` order with fresh dense value ids,
   * dropping dead phis and unused constants. */
  private emitFunc(layout: readonly BlockId[], live: ReadonlySet<ValueId>, used: ReadonlySet<ValueId>): Func {
    const fb = new FuncBuilder(this.name, this.results, this.loc);
    const map = new Map<ValueId, ValueId>();
    const fresh = (v: ValueId): void => {
      const info = this.values[v]!;
      map.set(v, fb.newValue(info.type, info.name));
    };
    const paramsOf: ValueId[][] = [];
    for (const b of layout) paramsOf[b] = [...this.blocks[b]!.params, ...this.blocks[b]!.phis.filter((p) => live.has(p) && this.replaced[p] === undefined)];
    const blockParams = layout.map((b) => paramsOf[b]!);
    const kept = layout.map((b) => this.blocks[b]!.insts.filter((inst) => inst.op !== "const" || used.has(inst.results[0]!)));
    layout.forEach((_, i) => {
      blockParams[i]!.forEach(fresh);
      for (const inst of kept[i]!) inst.results.forEach(fresh);
    });
    const newId = new Map<BlockId, BlockId>();
    for (const b of layout) newId.set(b, fb.addBlock(this.blocks[b]!.name));
    const val = (v: ValueId): ValueId => {
      const m = map.get(this.resolve(v));
      assert(m !== undefined, `ssa: @${this.name} uses a value without definition`);
      return m;
    };
    const args = (e: DraftEdge): ValueId[] => paramsOf[e.block]!.map((p) => val(this.phis[p]!.operands[e.pred]!));
    layout.forEach((b, i) => {
      const nb = newId.get(b)!;
      for (const p of blockParams[i]!) fb.addParamValue(nb, map.get(p)!);
      for (const inst of kept[i]!) fb.emitWith(nb, inst.op, inst.args.map(val), inst.results.map((r) => map.get(r)!), inst.extras);
      const t = this.blocks[b]!.term!;
      if (t.kind === "br") fb.br(nb, newId.get(t.target.block)!, args(t.target), t.loc);
      else if (t.kind === "condbr") fb.condbr(nb, val(t.cond), newId.get(t.then.block)!, args(t.then), newId.get(t.else.block)!, args(t.else), t.loc);
      else fb.ret(nb, t.values.map(val), t.loc);
    });
    return fb.finish();
  }
}
