// A mutable working copy of one function for the transform passes. A pass
// copies a function into a `Draft` once, rewrites it in place (instructions,
// terminators, block liveness; value replacements recorded in `repl`, a
// union-find-like forwarding table), and, only if it changed something,
// rebuilds an immutable `Func` once through `FuncBuilder` + `ValueMap`
// (ir/builder.ts), which also renumbers values densely in layout order. The
// input function is never touched: instructions are shared immutable records
// and are replaced, not edited.

import type { InstExtras } from "../ir/builder.js";
import { FuncBuilder, ValueMap } from "../ir/builder.js";
import type { BlockId, Func, Inst, SourceLoc, Terminator, ValueId, ValueInfo } from "../ir/types.js";

/** A jump target whose arguments may be edited. */
export interface DraftEdge {
  block: BlockId;
  args: ValueId[];
}

/** A terminator whose edges may be edited. Structurally a `Terminator`. */
export type DraftTerm =
  | { kind: "br"; target: DraftEdge; loc?: SourceLoc }
  | { kind: "condbr"; cond: ValueId; then: DraftEdge; else: DraftEdge; loc?: SourceLoc }
  | { kind: "ret"; values: ValueId[]; loc?: SourceLoc }
  | { kind: "unreachable"; loc?: SourceLoc };

/** A block of a draft. `live` false means deleted (never reachable again). */
export interface DraftBlock {
  name?: string;
  params: ValueId[];
  insts: Inst[];
  term: DraftTerm;
  live: boolean;
}

/** The working copy. Value ids are those of the source function; new values
 * are appended with `addValue`. */
export interface Draft {
  readonly func: Func;
  readonly blocks: DraftBlock[];
  readonly values: ValueInfo[];
  /** `repl[v]` is the value that replaces `v`, or -1. Read through `resolve`. */
  readonly repl: number[];
}

/** Copies a terminator with fresh, editable edges. */
export function draftTerm(term: Terminator): DraftTerm {
  const e = (x: { block: BlockId; args: readonly ValueId[] }): DraftEdge => ({ block: x.block, args: x.args.slice() });
  switch (term.kind) {
    case "br":
      return { ...term, target: e(term.target) };
    case "condbr":
      return { ...term, then: e(term.then), else: e(term.else) };
    case "ret":
      return { ...term, values: term.values.slice() };
    case "unreachable":
      return { ...term };
  }
}

/** A working copy of `func`. */
export function toDraft(func: Func): Draft {
  const blocks = func.blocks.map((b): DraftBlock => {
    const d: DraftBlock = { params: b.params.slice(), insts: b.insts.slice(), term: draftTerm(b.term), live: true };
    if (b.name !== undefined) d.name = b.name;
    return d;
  });
  return { func, blocks, values: func.values.slice(), repl: new Array<number>(func.values.length).fill(-1) };
}

/** The value that currently stands for `v` (follows `repl`, compressing paths). */
export function resolve(d: Draft, v: ValueId): ValueId {
  let r = v;
  while (d.repl[r]! >= 0) r = d.repl[r]!;
  while (d.repl[v]! >= 0 && d.repl[v] !== r) {
    const next = d.repl[v]!;
    d.repl[v] = r;
    v = next;
  }
  return r;
}

/** Records that every use of `v` now reads `by`. */
export function replaceValue(d: Draft, v: ValueId, by: ValueId): void {
  d.repl[v] = resolve(d, by);
}

/** Appends a value to the draft's table and returns its id. */
export function addValue(d: Draft, info: ValueInfo): ValueId {
  d.values.push(info);
  d.repl.push(-1);
  return d.values.length - 1;
}

/** The edges of a draft terminator (then before else). */
export function draftEdges(term: DraftTerm): DraftEdge[] {
  switch (term.kind) {
    case "br":
      return [term.target];
    case "condbr":
      return [term.then, term.else];
    case "ret":
    case "unreachable":
      return [];
  }
}

/** The function as a read-only view, for the ir/cfg.ts analyses. Deleted
 * blocks must be unreachable (they are never branched to from live blocks). */
export function draftView(d: Draft): Func {
  return { ...d.func, blocks: d.blocks, values: d.values };
}

const NO_EXTRAS: InstExtras = {};

/** The immediates and location of an instruction, as the builder takes them. */
function extrasOf(inst: Inst): InstExtras {
  if (inst.value === undefined && inst.callee === undefined && inst.loc === undefined) return NO_EXTRAS;
  const extras: InstExtras = {};
  if (inst.value !== undefined) extras.value = inst.value;
  if (inst.callee !== undefined) extras.callee = inst.callee;
  if (inst.loc !== undefined) extras.loc = inst.loc;
  return extras;
}

/** Builds the immutable function: live blocks in `order` (default: array
 * order), every use resolved through `repl`, values renumbered in layout order. */
export function finishDraft(d: Draft, order?: readonly BlockId[]): Func {
  const layout = (order ?? d.blocks.map((_, i) => i)).filter((b) => d.blocks[b]!.live);
  const fb = new FuncBuilder(d.func.name, d.func.results, d.func.loc);
  const newBlock = new Int32Array(d.blocks.length).fill(-1);
  const vm = new ValueMap(d.values.length);
  const define = (v: ValueId): ValueId => {
    const info = d.values[v]!;
    const nv = fb.newValue(info.type, info.name);
    vm.set(v, nv);
    return nv;
  };
  // Definitions first (uses may precede definitions in layout order).
  for (const b of layout) {
    const blk = d.blocks[b]!;
    const nb = fb.addBlock(blk.name);
    newBlock[b] = nb;
    for (const p of blk.params) fb.addParamValue(nb, define(p));
    for (const inst of blk.insts) inst.results.forEach(define);
  }
  const use = (v: ValueId): ValueId => vm.get(resolve(d, v));
  const edge = (e: DraftEdge): { block: BlockId; args: ValueId[] } => ({ block: newBlock[e.block]!, args: e.args.map(use) });
  for (const b of layout) {
    const blk = d.blocks[b]!;
    const nb = newBlock[b]!;
    for (const inst of blk.insts) {
      fb.emitWith(nb, inst.op, inst.args.map(use), inst.results.map((r) => vm.get(r)), extrasOf(inst));
    }
    const t = blk.term;
    const loc = t.loc ? { loc: t.loc } : {};
    switch (t.kind) {
      case "br":
        fb.setTerm(nb, { kind: "br", target: edge(t.target), ...loc });
        break;
      case "condbr":
        fb.setTerm(nb, { kind: "condbr", cond: use(t.cond), then: edge(t.then), else: edge(t.else), ...loc });
        break;
      case "ret":
        fb.setTerm(nb, { kind: "ret", values: t.values.map(use), ...loc });
        break;
      case "unreachable":
        fb.setTerm(nb, { ...t });
        break;
    }
  }
  return fb.finish();
}
