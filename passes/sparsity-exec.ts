// The abstract interpreter behind the sparsity analysis. It runs a function
// on abstract values (a concrete value or UNKNOWN, plus dependency sets) and
// follows control flow concretely whenever the branch condition is known:
// counters, lengths and indices computed from the argument shapes run exactly
// like the program, so loops with such trip counts are simply executed. A
// branch on an UNKNOWN condition forks: each side runs to the branch's
// immediate post-dominator on the shared state (the heap logs and undoes
// their writes), and the sides' final states are joined there. When a side
// can come back to the branch before the join (a loop whose control depends
// on active data), re-entries are cut and their states joined into the
// state at the branch until nothing grows (a fixpoint); allocation sites
// inside such loops are summarized by one weak store so the lattice is
// finite. A side that fails at run time (out of bounds, empty stack,
// `unreachable`) contributes nothing. Calls run the callee's body; a
// recursive call under a data-dependent branch of its caller, or a call
// nested deeper than MAX_CALL_DEPTH, is summarized conservatively (every
// result depends on every argument), which keeps the work bounded. Blocks
// run as JavaScript compiled on first use (sparsity-jit.ts), or through the
// per-op handlers with `jit: false`. Reads the module only.

import { assert, DerivRuntimeError, runtimeError } from "../ir/errors.js";
import type { ExternFn } from "../ir/interpreter.js";
import { formatName } from "../ir/printer.js";
import type { BlockId, Func, Inst, Module, SourceLoc, Terminator, Type, ValueId } from "../ir/types.js";
import { computeDomTree, dominates, successors, type DomTree } from "../ir/cfg.js";
import type { Conc, Delta, Store } from "./sparsity-heap.js";
import { Heap } from "./sparsity-heap.js";
import { computeIpdom, EXIT, reentersBefore } from "./sparsity-cfg.js";
import type { DInst, Machine, OpFrame } from "./sparsity-ops.js";
import { blackBox, EXEC } from "./sparsity-ops.js";
import { compileBlock, type BlockCode } from "./sparsity-jit.js";
import type { DepSet, HessSet } from "./sparsity-sets.js";

/** Calls nested deeper than this are summarized instead of followed. */
export const MAX_CALL_DEPTH = 400;

/** A block argument edge with the target's parameters. */
interface DEdge {
  readonly block: BlockId;
  readonly args: readonly ValueId[];
  readonly params: readonly ValueId[];
}

interface DBlock {
  readonly insts: readonly DInst[];
  /** The compiled block, without and with Hessian sets (compiled on first use). */
  code: BlockCode | null;
  codeH: BlockCode | null;
  readonly term: Terminator;
  readonly then: DEdge | null;
  readonly else: DEdge | null;
}

/** A function decoded for the analysis, with its lazily computed CFG facts. */
export interface DFunc {
  readonly func: Func;
  readonly blocks: readonly DBlock[];
  readonly types: readonly Type[];
  readonly succ: readonly (readonly BlockId[])[];
  ipdom: Int32Array | null;
  /** Dominator tree and the block defining each value (for liveness at joins). */
  dom: DomTree | null;
  defBlock: Int32Array | null;
  /** Per block: -1 not computed, 1 if its branch can re-enter it before the join. */
  readonly loopFork: Int8Array;
}

/** A fork in progress whose block can be re-entered (a data-dependent loop). */
interface LoopFork {
  readonly block: BlockId;
  mark: number;
  reentries: Delta[];
}

/** A call frame: registers, return slots and the loop forks in progress. */
export interface Frame extends OpFrame {
  readonly fn: DFunc;
  readonly ret: Store;
  readonly forks: LoopFork[];
  /** Lowest index in `forks` that a cut targeted since it was last reset. */
  lowestCut: number;
  /** Forks of this frame in progress (loop forks or not). */
  forking: number;
}

/** Returned by `fork` when every path was cut by an enclosing loop fork. */
const CUT = -2;

function decodeFunc(func: Func): DFunc {
  const edge = (e: { block: BlockId; args: readonly ValueId[] }): DEdge => ({ block: e.block, args: e.args, params: func.blocks[e.block]!.params });
  const blocks = func.blocks.map((b): DBlock => {
    const insts = b.insts.map((inst): DInst => ({ inst, run: EXEC[inst.op], scratch: new Array(inst.args.length) }));
    const t = b.term;
    const then = t.kind === "br" ? edge(t.target) : t.kind === "condbr" ? edge(t.then) : null;
    return { insts, code: null, codeH: null, term: t, then, else: t.kind === "condbr" ? edge(t.else) : null };
  });
  return {
    func,
    blocks,
    types: func.values.map((v) => v.type),
    succ: successors(func),
    ipdom: null,
    dom: null,
    defBlock: null,
    loopFork: new Int8Array(func.blocks.length).fill(-1),
  };
}

/** The block that defines each value (block parameter or instruction result). */
function definingBlocks(func: Func): Int32Array {
  const def = new Int32Array(func.values.length);
  func.blocks.forEach((b, id) => {
    for (const p of b.params) def[p] = id;
    for (const inst of b.insts) for (const r of inst.results) def[r] = id;
  });
  return def;
}

const decoded = new WeakMap<Module, Map<string, DFunc>>();

/** The decoded functions of a module (cached per module object). */
export function decodeModule(module: Module): Map<string, DFunc> {
  let d = decoded.get(module);
  if (!d) {
    d = new Map(module.funcs.map((f) => [f.name, decodeFunc(f)]));
    decoded.set(module, d);
  }
  return d;
}

/** The abstract machine of one analysis run. */
export class Tracer implements Machine {
  readonly heap: Heap;
  private readonly warnings = new Set<string>();
  private depth = 0;
  /** Frames in progress per function (recursion). */
  private readonly active = new Map<DFunc, number>();
  private loops = 0;
  private readonly sites = new Map<Inst, Store[]>();
  private readonly argVal: Conc[] = [];
  private readonly argDep: DepSet[] = [];
  private readonly argHes: HessSet[] = [];

  /** `jit`: run blocks compiled by sparsity-jit.ts (else through the handlers, for cross-checking). */
  constructor(
    private readonly funcs: ReadonlyMap<string, DFunc>,
    readonly hessian: boolean,
    readonly externs: Readonly<Record<string, ExternFn>>,
    inputs: number,
    private readonly jit: boolean,
  ) {
    this.heap = new Heap(inputs);
  }

  /** Warnings recorded so far, in order. */
  get warningList(): string[] {
    return [...this.warnings];
  }

  siteStore(inst: Inst, k: number): Store | undefined | null {
    return this.loops > 0 ? this.sites.get(inst)?.[k] : null;
  }

  setSiteStore(inst: Inst, k: number, s: Store): void {
    let stores = this.sites.get(inst);
    if (!stores) this.sites.set(inst, (stores = []));
    stores[k] = s;
  }

  warn(message: string, inst: Inst): void {
    this.warnAt(message, inst.loc);
  }

  private warnAt(message: string, loc: SourceLoc | undefined): void {
    this.warnings.add(loc ? `${loc.file ?? "<input>"}:${loc.line}:${loc.col}: ${message}` : message);
  }

  /** A fresh frame for `fn` (parameters unset). */
  newFrame(fn: DFunc): Frame {
    const n = fn.func.values.length;
    return {
      fn,
      types: fn.types,
      regs: this.heap.newStore("frame", n, undefined, 0, 0),
      ret: this.heap.newStore("frame", fn.func.results.length, undefined, 0, 0),
      forks: [],
      lowestCut: Infinity,
      forking: 0,
    };
  }

  /** Runs a frame whose parameters are set; its results are in `fr.ret`. */
  runFrame(fr: Frame): void {
    this.run(fr, 0, EXIT);
  }

  callFunc(fr: OpFrame, d: DInst): void {
    const name = d.inst.callee!;
    const callee = this.funcs.get(name)!;
    const active = this.active.get(callee) ?? 0;
    // A recursive call reached through a data-dependent branch of its caller
    // could unfold without bound (and in both sides): summarize it.
    const unbounded = active > 0 && (fr as Frame).forking > 0;
    if (unbounded || this.depth >= MAX_CALL_DEPTH) {
      const why = unbounded ? "recursion under a data-dependent branch" : `calls nested deeper than ${MAX_CALL_DEPTH}`;
      this.warn(`${why}: @${formatName(name)} is summarized (each result depends on every argument)`, d.inst);
      blackBox(this, fr, d, null, null, true);
      return;
    }
    const cf = this.newFrame(callee);
    const params = callee.func.blocks[0]!.params;
    const { val, dep, hes } = fr.regs;
    d.inst.args.forEach((a, k) => this.heap.write(cf.regs, params[k]!, val[a], dep[a]!, hes[a]!));
    this.depth++;
    this.active.set(callee, active + 1);
    try {
      this.runFrame(cf);
    } finally {
      this.depth--;
      this.active.set(callee, active);
    }
    d.inst.results.forEach((r, k) => this.heap.write(fr.regs, r, cf.ret.val[k], cf.ret.dep[k]!, cf.ret.hes[k]!));
  }

  /** Binds an edge's arguments to its target's parameters (a parallel copy). */
  private jump(fr: Frame, e: DEdge): void {
    const n = e.args.length;
    if (n === 0) return;
    const { val, dep, hes } = fr.regs;
    for (let k = 0; k < n; k++) {
      const a = e.args[k]!;
      this.argVal[k] = val[a];
      this.argDep[k] = dep[a]!;
      this.argHes[k] = hes[a]!;
    }
    for (let k = 0; k < n; k++) this.heap.write(fr.regs, e.params[k]!, this.argVal[k], this.argDep[k]!, this.argHes[k]!);
  }

  /** Runs from `start` (parameters bound) until `stop` is reached (true) or
   * every path was cut by an enclosing loop fork (false). */
  private run(fr: Frame, start: BlockId, stop: number): boolean {
    const blocks = fr.fn.blocks;
    let b = start;
    for (;;) {
      const blk = blocks[b]!;
      const next = this.jit ? (this.hessian ? (blk.codeH ??= this.compile(blk, fr.types, true)) : (blk.code ??= this.compile(blk, fr.types, false)))(this, fr) : this.step(fr, blk);
      if (next >= 0) {
        if (next === stop) return true;
        b = next;
        continue;
      }
      const t = blk.term;
      if (t.kind === "condbr") {
        const p = this.fork(fr, b);
        if (p === CUT) return false;
        if (p === stop) return true;
        b = p;
      } else if (t.kind === "ret") {
        // The join of a branch post-dominates it, so a path meets a return only when joining at the exit.
        assert(stop === EXIT, `sparsity: @${fr.fn.func.name} returns before reaching the join of a branch`);
        const { val, dep, hes } = fr.regs;
        t.values.forEach((v, k) => this.heap.write(fr.ret, k, val[v], dep[v]!, hes[v]!));
        return true;
      } else {
        throw runtimeError("E_RUNTIME_UNREACHABLE", `@${formatName(fr.fn.func.name)}: reached \`unreachable\``, t.loc);
      }
    }
  }

  /** What a compiled block does, by the handlers: runs the instructions and
   * returns the next block, or -1 when the terminator needs the machine. */
  private step(fr: Frame, blk: DBlock): number {
    for (const d of blk.insts) d.run(this, fr, d);
    const t = blk.term;
    const c = t.kind === "condbr" ? fr.regs.val[t.cond] : t.kind === "br";
    const e = c === true ? blk.then : c === false && t.kind === "condbr" ? blk.else : null;
    if (!e) return -1;
    this.jump(fr, e);
    return e.block;
  }

  private compile(blk: DBlock, types: readonly Type[], hessian: boolean): BlockCode {
    return compileBlock(blk.insts, blk.term, blk.then, blk.else, types, hessian);
  }

  /** Registers of `fr` that no code after `join` can read: all of them after
   * a return, else those whose defining block does not dominate the join. */
  private deadAfter(fr: Frame, join: number): (s: Store, cell: number) => boolean {
    const fn = fr.fn;
    if (join === EXIT) return (s) => s === fr.regs;
    const dom = (fn.dom ??= computeDomTree(fn.func));
    const def = (fn.defBlock ??= definingBlocks(fn.func));
    return (s, cell) => s === fr.regs && !dominates(dom, def[cell]!, join);
  }

  private isLoopFork(fn: DFunc, b: BlockId, join: number): boolean {
    if (fn.loopFork[b] === -1) fn.loopFork[b] = reentersBefore(fn.succ, b, join) ? 1 : 0;
    return fn.loopFork[b] === 1;
  }

  /** A branch on an unknown condition at `b`: runs both sides to the join,
   * joins them there and returns the join block (EXIT: the function
   * returned), or CUT. See the module comment. */
  private fork(fr: Frame, b: BlockId): number {
    const fn = fr.fn;
    const join = (fn.ipdom ??= computeIpdom(fn.func))[b]!;
    const loop = this.isLoopFork(fn, b, join);
    if (loop) {
      const at = fr.forks.findIndex((f) => f.block === b);
      if (at >= 0) {
        const f = fr.forks[at]!;
        f.reentries.push(this.heap.capture(f.mark));
        fr.lowestCut = Math.min(fr.lowestCut, at);
        return CUT;
      }
    }
    const blk = fn.blocks[b]!;
    const level = fr.forks.length;
    const state: LoopFork = { block: b, mark: 0, reentries: [] };
    const savedCut = fr.lowestCut;
    if (loop) {
      fr.forks.push(state);
      this.loops++;
    }
    fr.forking++;
    try {
      for (;;) {
        state.mark = this.heap.mark;
        fr.lowestCut = Infinity;
        const arrivals: Delta[] = [];
        let failure: unknown = null;
        for (const e of [blk.then!, blk.else!]) {
          const prev = this.heap.enterSide();
          try {
            this.jump(fr, e);
            if (e.block === join || this.run(fr, e.block, join)) arrivals.push(this.heap.capture(state.mark));
          } catch (err) {
            if (!(err instanceof DerivRuntimeError)) throw err;
            this.warnAt(`a path after a data-dependent branch fails (${err.code}) and is ignored: ${err.diagnostics[0]!.message}`, err.location);
            failure = err;
          } finally {
            this.heap.rollback(state.mark);
            this.heap.leaveSide(prev);
          }
        }
        if (state.reentries.length > 0) {
          const grew = this.heap.joinDeltas(state.reentries, true);
          state.reentries = [];
          if (grew) continue;
        }
        const escaped = fr.lowestCut < level;
        fr.lowestCut = Math.min(savedCut, escaped ? fr.lowestCut : Infinity);
        if (arrivals.length > 0) {
          this.heap.joinDeltas(arrivals, false, this.deadAfter(fr, join));
          return join;
        }
        if (escaped) return CUT;
        throw failure ?? runtimeError("E_RUNTIME_UNREACHABLE", `@${formatName(fn.func.name)}: no path after a data-dependent branch ever leaves its loop`, blk.term.loc);
      }
    } finally {
      fr.forking--;
      if (loop) {
        fr.forks.pop();
        if (--this.loops === 0) this.sites.clear();
      }
    }
  }
}
