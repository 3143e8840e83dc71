// `simplify`: local rewrites that preserve results bit for bit.
//
// Algorithm: copy the function into a draft once, then repeat rounds until a
// round changes nothing (or, in a CFG without retreating edges, until a round
// changes no control flow: reverse post-order then sees every definition
// before its uses, so a further round would find nothing). Each round
//   1. removes blocks unreachable from the entry (all at once: one rewrite);
//   2. walks the blocks in reverse post-order and, per block,
//      - replaces a block parameter by the single value that every incoming
//        edge passes for it (itself aside: loop-invariant parameters),
//      - folds instructions with the rule table passes/rules/fold.ts
//        (constants evaluated with the reference semantics; exact identities
//        such as `x*1`, `x-0`, `x+(-0)`, `--x`, `select` on a constant),
//      - folds its terminator: `condbr` on a constant, or with identical
//        targets and arguments, becomes `br`;
//   3. merges a block into its single predecessor when that predecessor ends
//      in an unconditional `br` to it (repeatedly, so a chain collapses in one
//      round);
//   4. threads jumps through empty forwarding blocks (no instructions, a `br`,
//      parameters used only by that `br`): each edge into such a block goes
//      straight to the final target of the forwarding chain (chains that
//      cycle are left alone).
// Every rewrite first asks the debug counter (`ctx.allowRewrite()`), so
// `simplify=N` lets exactly the first N happen. A round is linear in the size
// of the function; the draft is rebuilt into a `Func` once, only if something
// changed. Assumes verified input; preserves semantics exactly (NaN, -0,
// infinities), never touches non-pure instructions except to delete
// unreachable code. Idempotent: it stops only when no rule applies.

import { computeRPO } from "../ir/cfg.js";
import type { Scalar } from "../ir/eval.js";
import { isPure } from "../ir/ops.js";
import type { Func, Inst, ValueId } from "../ir/types.js";
import type { Draft, DraftBlock, DraftEdge } from "./draft.js";
import { draftEdges, draftView, finishDraft, replaceValue, resolve, toDraft } from "./draft.js";
import type { Pass, PassContext } from "./pass.js";
import { mapFuncs } from "./pass.js";
import type { FoldInput } from "./rules/fold.js";
import { FOLD } from "./rules/fold.js";

/** The `simplify` pass. Before/after:
 * ```
 * ^entry:                                ^entry:
 *   %one: f64 = const 1.0                  %one: f64 = const 1.0
 *   %two: f64 = const 2.0                  %two: f64 = const 2.0
 *   %y: f64 = mul %x, %one       ->        %t: bool = const true
 *   %t: bool = lt %one, %two               ret %x
 *   condbr %t, ^a(%y), ^b
 * ^a(%r: f64):
 *   ret %r
 * ^b:
 *   ret %two
 * ```
 * (`x*1` is `x`; the comparison folds; the branch folds; `^b` is unreachable
 * and goes; `^a` merges into the entry. Dead constants are left for `dce`.) */
export const simplify: Pass = {
  name: "simplify",
  description: "IEEE-exact constant folding and identities, branch folding, block merging, jump threading, unreachable-block removal",
  options: [],
  run: (module, ctx) => mapFuncs(module, (func) => new Simplifier(func, ctx).run()),
};

class Simplifier {
  private readonly d: Draft;
  /** Constant value of each value id, valid where `isConst` is set (booleans 0/1). */
  private readonly constVal: Float64Array;
  private readonly isConst: Uint8Array;
  /** Defining instruction of each instruction result. */
  private readonly defs: (Inst | undefined)[];
  private readonly constantOf = (v: ValueId): Scalar | undefined => this.constant(v);
  private readonly defOf = (v: ValueId): Inst | undefined => this.defs[v];
  private changed = false;

  constructor(
    func: Func,
    private readonly ctx: PassContext,
  ) {
    this.d = toDraft(func);
    const n = func.values.length;
    this.constVal = new Float64Array(n);
    this.isConst = new Uint8Array(n);
    this.defs = new Array<Inst | undefined>(n);
    for (const b of func.blocks) for (const inst of b.insts) this.define(inst);
  }

  run(): Func {
    for (let again = true; again; ) {
      const rpo = computeRPO(draftView(this.d));
      let cfg = this.removeUnreachable(rpo.order);
      const incoming = this.incomingEdges();
      let local = false;
      for (const b of rpo.order) {
        const blk = this.d.blocks[b]!;
        local = this.simplifyBlock(blk, b === 0 ? [] : incoming[b]!) || local;
        cfg = this.foldTerm(blk) || cfg;
      }
      cfg = this.mergeBlocks(rpo.order) || cfg;
      cfg = this.threadJumps(rpo.order) || cfg;
      if (cfg || local) this.changed = true;
      // In reverse post-order every definition is seen before its uses except
      // across retreating edges, so without a CFG change or such an edge one
      // round has found everything.
      again = cfg || (local && this.hasRetreatingEdge(rpo.index));
    }
    return this.changed ? finishDraft(this.d) : this.d.func;
  }

  private define(inst: Inst): void {
    if (inst.results.length !== 1) return;
    const r = inst.results[0]!;
    this.defs[r] = inst;
    if (inst.op === "const") {
      this.isConst[r] = 1;
      this.constVal[r] = inst.value!;
    }
  }

  private constant(v: ValueId): Scalar | undefined {
    if (!this.isConst[v]) return undefined;
    const x = this.constVal[v]!;
    return this.d.values[v]!.type === "bool" ? x !== 0 : x;
  }

  /** Asks the debug counter and records the statistic if allowed. */
  private allow(stat: string): boolean {
    if (!this.ctx.allowRewrite()) return false;
    this.ctx.stat(stat);
    return true;
  }

  /** Deletes every live block the entry cannot reach, as one rewrite (so a
   * budget never leaves a kept block branching to a deleted one). */
  private removeUnreachable(order: readonly number[]): boolean {
    const reached = new Uint8Array(this.d.blocks.length);
    for (const b of order) reached[b] = 1;
    const dead = this.d.blocks.filter((blk, b) => blk.live && !reached[b]);
    if (dead.length === 0 || !this.ctx.allowRewrite()) return false;
    this.ctx.stat("unreachable blocks removed", dead.length);
    for (const blk of dead) blk.live = false;
    return true;
  }

  /** Edges into each block from live blocks (unreachable ones included, which
   * only makes parameter replacement more conservative). */
  private incomingEdges(): DraftEdge[][] {
    const incoming: DraftEdge[][] = this.d.blocks.map(() => []);
    for (const blk of this.d.blocks) if (blk.live) for (const e of draftEdges(blk.term)) incoming[e.block]!.push(e);
    return incoming;
  }

  private simplifyBlock(blk: DraftBlock, incoming: readonly DraftEdge[]): boolean {
    let progress = incoming.length > 0 && this.replaceParams(blk, incoming);
    let out: Inst[] | undefined;
    blk.insts.forEach((inst, k) => {
      const r = inst.results.length === 1 ? this.fold(inst) : false;
      if (!r) {
        out?.push(inst);
        return;
      }
      out ??= blk.insts.slice(0, k);
      if (r !== true) out.push(r);
    });
    if (out) {
      blk.insts = out;
      progress = true;
    }
    return progress;
  }

  private hasRetreatingEdge(index: Int32Array): boolean {
    return this.d.blocks.some((blk, b) => blk.live && index[b]! >= 0 && draftEdges(blk.term).some((e) => index[e.block]! <= index[b]!));
  }

  /** A parameter that every edge binds to the same value `v` (or to itself) becomes `v`:
   * ```
   * br ^h(%x)  ...  br ^h(%p)       ^h(%p: f64): use %p    ->   use %x
   * ```
   * `v` dominates every predecessor, hence the block. */
  private replaceParams(blk: DraftBlock, incoming: readonly DraftEdge[]): boolean {
    const d = this.d;
    let keep: boolean[] | undefined;
    blk.params.forEach((p, i) => {
      let v = -1;
      for (const e of incoming) {
        const a = resolve(d, e.args[i]!);
        if (a === p) continue;
        if (v === -1) v = a;
        else if (v !== a) return;
      }
      if (v === -1 || !this.allow("block parameters replaced")) return;
      replaceValue(d, p, v);
      keep ??= blk.params.map(() => true);
      keep[i] = false;
    });
    if (!keep) return false;
    const k = keep;
    blk.params = blk.params.filter((_, i) => k[i]);
    for (const e of incoming) e.args = e.args.filter((_, i) => k[i]);
    return true;
  }

  /** The rewrite of `inst`: a new constant instruction, `true` if its result
   * was replaced by an existing value (drop it), `false` to keep it. */
  private fold(inst: Inst): Inst | boolean {
    const d = this.d;
    const result = inst.results[0]!;
    if (!isPure(inst.op)) return false;
    const args = inst.args.some((a) => d.repl[a]! >= 0) ? inst.args.map((a) => resolve(d, a)) : inst.args;
    const input: FoldInput = { op: inst.op, args, type: d.values[result]!.type, constant: this.constantOf, def: this.defOf };
    const r = FOLD[inst.op](input);
    if (!r || (r.kind === "value" && r.value === result)) return false;
    if (r.kind === "value") {
      if (!this.allow("instructions replaced by an operand")) return false;
      replaceValue(d, result, r.value);
      return true;
    }
    if (!this.allow("instructions folded to constants")) return false;
    const folded: Inst = inst.loc ? { op: "const", args: [], results: [result], value: r.value, loc: inst.loc } : { op: "const", args: [], results: [result], value: r.value };
    this.define(folded);
    return folded;
  }

  /** `condbr` on a constant, or to one target with identical arguments, becomes `br`. */
  private foldTerm(blk: DraftBlock): boolean {
    const t = blk.term;
    if (t.kind !== "condbr") return false;
    const d = this.d;
    const k = this.constant(resolve(d, t.cond));
    const same = t.then.block === t.else.block && t.then.args.every((a, i) => resolve(d, a) === resolve(d, t.else.args[i]!));
    if ((k === undefined && !same) || !this.allow("branches folded")) return false;
    const target = k === undefined || k ? t.then : t.else;
    blk.term = t.loc ? { kind: "br", target, loc: t.loc } : { kind: "br", target };
    return true;
  }

  /** `^b: ... br ^c(args)` where ^b is ^c's only predecessor: ^c's code joins ^b. */
  private mergeBlocks(order: readonly number[]): boolean {
    const d = this.d;
    const predCount = new Int32Array(d.blocks.length);
    for (const blk of d.blocks) if (blk.live) for (const e of draftEdges(blk.term)) predCount[e.block]!++;
    let progress = false;
    for (const b of order) {
      const blk = d.blocks[b]!;
      if (!blk.live) continue;
      while (blk.term.kind === "br") {
        const { block: c, args } = blk.term.target;
        if (c === b || c === 0 || predCount[c] !== 1 || !this.allow("blocks merged")) break;
        const cb = d.blocks[c]!;
        cb.params.forEach((p, i) => replaceValue(d, p, args[i]!));
        for (const inst of cb.insts) blk.insts.push(inst);
        blk.term = cb.term;
        cb.live = false;
        progress = true;
      }
    }
    return progress;
  }

  /** Edges into empty forwarding blocks go to the end of the forwarding chain:
   * ```
   * condbr %c, ^f(%x), ^g      ^f(%p: f64): br ^j(%p)     ->   condbr %c, ^j(%x), ^g
   * ``` */
  private threadJumps(order: readonly number[]): boolean {
    const d = this.d;
    const nv = d.values.length;
    const owner = new Int32Array(nv).fill(-1);
    const index = new Int32Array(nv);
    const used = new Uint8Array(nv);
    d.blocks.forEach((blk, b) => {
      if (blk.live) blk.params.forEach((p, i) => ((owner[p] = b), (index[p] = i)));
    });
    d.blocks.forEach((blk, b) => {
      if (!blk.live) return;
      for (const inst of blk.insts) for (const a of inst.args) used[resolve(d, a)] = 1;
      const t = blk.term;
      const ownBr = blk.insts.length === 0 && t.kind === "br";
      const mark = (v: ValueId): void => {
        const r = resolve(d, v);
        if (!(ownBr && owner[r] === b)) used[r] = 1;
      };
      if (t.kind === "condbr") mark(t.cond);
      if (t.kind === "ret") t.values.forEach(mark);
      for (const e of draftEdges(t)) e.args.forEach(mark);
    });
    const isForwarder = d.blocks.map((blk, b) => b !== 0 && blk.live && blk.insts.length === 0 && blk.term.kind === "br" && blk.term.target.block !== b && blk.params.every((p) => !used[p]));

    // Final destination of each forwarder, its arguments over the forwarder's
    // own parameters and outer values; null when the chain runs into a cycle.
    type Dest = { block: number; args: ValueId[] } | null;
    const dest: (Dest | undefined)[] = new Array(d.blocks.length);
    const targetOf = (b: number): DraftEdge => (d.blocks[b]!.term as { target: DraftEdge }).target;
    const onPath = new Uint8Array(d.blocks.length);
    isForwarder.forEach((fwd, start) => {
      if (!fwd || dest[start] !== undefined) return;
      const path: number[] = [];
      for (let x = start; isForwarder[x] && dest[x] === undefined && !onPath[x]; x = targetOf(x).block) {
        onPath[x] = 1;
        path.push(x);
      }
      // Backwards: a forwarder's destination is its target's, seen through its
      // own arguments; a target still on the path (undefined) closes a cycle.
      for (let k = path.length - 1; k >= 0; k--) {
        const b = path[k]!;
        const { block: t, args } = targetOf(b);
        const next = dest[t];
        if (!isForwarder[t]) dest[b] = { block: t, args: args.map((a) => resolve(d, a)) };
        else dest[b] = next ? { block: next.block, args: next.args.map((a) => (owner[a] === t ? resolve(d, args[index[a]!]!) : a)) } : null;
      }
    });

    let progress = false;
    for (const b of order) {
      const blk = d.blocks[b]!;
      if (!blk.live) continue;
      for (const e of draftEdges(blk.term)) {
        const to = dest[e.block];
        if (!isForwarder[e.block] || !to || !this.allow("jumps threaded")) continue;
        const via = e.block;
        e.args = to.args.map((a) => (owner[a] === via ? resolve(d, e.args[index[a]!]!) : a));
        e.block = to.block;
        progress = true;
      }
    }
    return progress;
  }
}
