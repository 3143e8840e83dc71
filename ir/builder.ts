// A builder for functions: the one way passes and the frontend create IR.
// It owns growable tables while building and hands out an immutable `Func`
// from `finish()`. Rewrites walk old IR and emit new IR through an old->new
// value map (`ValueMap`), IRTools style. Imports only ir/ modules.

import { assert } from "./errors.js";
import type { Opcode } from "./ops.js";
import type { Block, BlockId, Edge, Func, Inst, SourceLoc, Terminator, Type, ValueId, ValueInfo } from "./types.js";

interface BlockDraft {
  name?: string;
  params: ValueId[];
  insts: Inst[];
  term?: Terminator;
}

/** Extra fields of an instruction. */
export interface InstExtras {
  value?: number;
  callee?: string;
  loc?: SourceLoc;
}

/** Builds one function. Blocks are laid out in creation order unless
 * `finish(order)` is given a permutation. */
export class FuncBuilder {
  private readonly values: ValueInfo[] = [];
  private readonly blocks: BlockDraft[] = [];

  constructor(
    readonly name: string,
    readonly results: readonly Type[],
    readonly loc?: SourceLoc,
  ) {}

  /** A fresh value id of `type` (not yet defined anywhere). */
  newValue(type: Type, name?: string): ValueId {
    this.values.push(name === undefined ? { type } : { type, name });
    return this.values.length - 1;
  }

  /** The type of a value created by this builder. */
  typeOf(v: ValueId): Type {
    const info = this.values[v];
    assert(info, `builder: unknown value %${v} in @${this.name}`);
    return info.type;
  }

  /** The name hint of a value, if any. */
  nameOf(v: ValueId): string | undefined {
    return this.values[v]?.name;
  }

  /** Renames the hint of a value (e.g. when SSA construction learns the variable). */
  setName(v: ValueId, name: string | undefined): void {
    const info = this.values[v]!;
    this.values[v] = name === undefined ? { type: info.type } : { type: info.type, name };
  }

  /** Appends a new block; the first one created is the entry block. */
  addBlock(name?: string): BlockId {
    this.blocks.push(name === undefined ? { params: [], insts: [] } : { name, params: [], insts: [] });
    return this.blocks.length - 1;
  }

  /** Number of blocks created so far. */
  get blockCount(): number {
    return this.blocks.length;
  }

  /** Adds a parameter of `type` to block `b` and returns its value. */
  addParam(b: BlockId, type: Type, name?: string): ValueId {
    const v = this.newValue(type, name);
    this.draft(b).params.push(v);
    return v;
  }

  /** Adds an existing (not yet defined) value as a parameter of `b`. */
  addParamValue(b: BlockId, v: ValueId): void {
    this.draft(b).params.push(v);
  }

  /** Parameters of block `b` so far. */
  params(b: BlockId): readonly ValueId[] {
    return this.draft(b).params;
  }

  /** Removes parameter `index` of block `b` (callers fix the edges). */
  removeParam(b: BlockId, index: number): void {
    this.draft(b).params.splice(index, 1);
  }

  /** Appends an instruction with fresh results of `resultTypes`; returns them. */
  emit(b: BlockId, op: Opcode, args: readonly ValueId[], resultTypes: readonly Type[], extras: InstExtras = {}, names: readonly (string | undefined)[] = []): ValueId[] {
    const results = resultTypes.map((t, i) => this.newValue(t, names[i]));
    this.emitWith(b, op, args, results, extras);
    return results;
  }

  /** Appends an instruction with one fresh result and returns it. */
  emit1(b: BlockId, op: Opcode, args: readonly ValueId[], type: Type, extras: InstExtras = {}, name?: string): ValueId {
    return this.emit(b, op, args, [type], extras, [name])[0]!;
  }

  /** Appends an instruction whose result ids were already created with `newValue`. */
  emitWith(b: BlockId, op: Opcode, args: readonly ValueId[], results: readonly ValueId[], extras: InstExtras = {}): void {
    const inst: Inst = { op, args: [...args], results: [...results], ...extras };
    this.draft(b).insts.push(inst);
  }

  /** Appends a constant. Booleans are 0/1. */
  constant(b: BlockId, type: Type, value: number, loc?: SourceLoc, name?: string): ValueId {
    return this.emit1(b, "const", [], type, loc ? { value, loc } : { value }, name);
  }

  /** Sets (or replaces) the terminator of block `b`. */
  setTerm(b: BlockId, term: Terminator): void {
    this.draft(b).term = term;
  }

  /** True once `b` has a terminator. */
  isTerminated(b: BlockId): boolean {
    return this.draft(b).term !== undefined;
  }

  br(b: BlockId, target: BlockId, args: readonly ValueId[] = [], loc?: SourceLoc): void {
    this.setTerm(b, loc ? { kind: "br", target: edge(target, args), loc } : { kind: "br", target: edge(target, args) });
  }

  condbr(b: BlockId, cond: ValueId, thenB: BlockId, thenArgs: readonly ValueId[], elseB: BlockId, elseArgs: readonly ValueId[], loc?: SourceLoc): void {
    const t: Terminator = { kind: "condbr", cond, then: edge(thenB, thenArgs), else: edge(elseB, elseArgs) };
    this.setTerm(b, loc ? { ...t, loc } : t);
  }

  ret(b: BlockId, values: readonly ValueId[], loc?: SourceLoc): void {
    this.setTerm(b, loc ? { kind: "ret", values: [...values], loc } : { kind: "ret", values: [...values] });
  }

  /** The immutable function. `order` (block ids, entry first) drops and reorders
   * blocks; branch targets are renumbered to match. */
  finish(order?: readonly BlockId[]): Func {
    const layout = order ?? this.blocks.map((_, i) => i);
    assert(layout[0] === 0, `builder: @${this.name} layout must start with the entry block`);
    const renumber = new Int32Array(this.blocks.length).fill(-1);
    layout.forEach((b, i) => (renumber[b] = i));
    const fix = (e: Edge): Edge => {
      const nb = renumber[e.block]!;
      assert(nb >= 0, `builder: @${this.name} branches to dropped block ${e.block}`);
      return { block: nb, args: e.args };
    };
    const blocks: Block[] = layout.map((b) => {
      const d = this.draft(b);
      assert(d.term, `builder: block ${b} of @${this.name} has no terminator`);
      let term = d.term;
      if (term.kind === "br") term = { ...term, target: fix(term.target) };
      else if (term.kind === "condbr") term = { ...term, then: fix(term.then), else: fix(term.else) };
      const block: Block = { params: d.params.slice(), insts: d.insts.slice(), term };
      return d.name === undefined ? block : { name: d.name, ...block };
    });
    const func: Func = { name: this.name, results: [...this.results], blocks, values: this.values.slice() };
    return this.loc ? { ...func, loc: this.loc } : func;
  }

  private draft(b: BlockId): BlockDraft {
    const d = this.blocks[b];
    assert(d, `builder: unknown block ${b} in @${this.name}`);
    return d;
  }
}

/** An edge value. */
export function edge(block: BlockId, args: readonly ValueId[] = []): Edge {
  return { block, args: [...args] };
}

/** Old-to-new value map for rewrites. Unmapped lookups are internal bugs. */
export class ValueMap {
  private readonly map: Int32Array;
  constructor(size: number) {
    this.map = new Int32Array(size).fill(-1);
  }
  set(oldV: ValueId, newV: ValueId): void {
    this.map[oldV] = newV;
  }
  has(oldV: ValueId): boolean {
    return this.map[oldV]! >= 0;
  }
  get(oldV: ValueId): ValueId {
    const v = this.map[oldV];
    assert(v !== undefined && v >= 0, `value map: %${oldV} has no image`);
    return v;
  }
  getAll(olds: readonly ValueId[]): ValueId[] {
    return olds.map((v) => this.get(v));
  }
}
