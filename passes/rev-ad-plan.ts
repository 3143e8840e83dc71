// The analysis half of reverse mode: everything `rev-ad` decides before it
// emits code. Activity, CFG facts (blocks on cycles, blocks dominating the
// exit, blocks that reach a return), the incoming-edge numbering that `from`
// records, liveness of active f64 values (whose adjoints the reverse blocks
// carry), and the tape plan: which primal values each reverse rule reads and
// whether each is read directly, re-emitted (constants) or pushed on a stack.
// `deriv dump --annotate tape` prints the plan. Reads the IR only.

import { computeDomTree, computeLoops, dominates, predecessors, type DomTree } from "../ir/cfg.js";
import { PipelineError } from "../ir/errors.js";
import { valueNames } from "../ir/printer.js";
import type { BlockId, Edge, Func, Inst, Module, Type, ValueId } from "../ir/types.js";
import { findFunc, termEdges, termUses } from "../ir/types.js";
import { computeActivity, isContainer, STOP_GRADIENT } from "./activity.js";
import { VJP } from "./rules/vjp.js";

/** A PipelineError from rev-ad. */
export function revAdError(message: string): PipelineError {
  return new PipelineError("pipeline", [{ code: "E_PIPELINE_PASS_FAILED", message: `rev-ad: ${message}` }]);
}

function fail(message: string): never {
  throw revAdError(message);
}

/** Ops cheap enough to recompute in the reverse sweep instead of taping their result. */
const RECOMPUTABLE: ReadonlySet<string> = new Set(["add", "sub", "mul", "neg", "i32.to.f64"]);

/** How the values a block's reverse rules read get there: pushed after an
 * instruction (popped at its mirror point), or recomputed from other values. */
export interface SavePlan {
  readonly pushes: Map<Inst, ValueId[]>;
  readonly recompute: Map<ValueId, Inst>;
}

/** An incoming edge of a block; its position in the block's list is the `from` value recorded for it. */
export interface InEdge {
  readonly pred: BlockId;
  readonly edge: Edge;
}

/** Blocks that lie on a cycle of the CFG (iterative Tarjan SCC; self-loops included). */
function blocksOnCycles(func: Func): Uint8Array {
  const n = func.blocks.length;
  const succ = func.blocks.map((b) => termEdges(b.term).map((e) => e.block));
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const out = new Uint8Array(n);
  const stack: number[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length) {
      const top = work[work.length - 1]!;
      const [v, k] = top;
      if (k < succ[v]!.length) {
        top[1]++;
        const w = succ[v]![k]!;
        if (w === v) out[v] = 1;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
      } else {
        work.pop();
        if (work.length) {
          const parent = work[work.length - 1]![0];
          low[parent] = Math.min(low[parent]!, low[v]!);
        }
        if (low[v] === index[v]) {
          const comp: number[] = [];
          let w: number;
          do {
            w = stack.pop()!;
            onStack[w] = 0;
            comp.push(w);
          } while (w !== v);
          if (comp.length > 1) for (const c of comp) out[c] = 1;
        }
      }
    }
  }
  return out;
}

/** Conservative: does `func` (or a callee it passes an array parameter to) write an array parameter? */
export function mayWriteParams(module: Module, func: Func, visiting: Set<string> = new Set()): boolean {
  if (visiting.has(func.name)) return false;
  visiting.add(func.name);
  const { aliasClass } = computeActivity(func, []);
  const paramClasses = new Set(func.blocks[0]!.params.filter((p) => isContainer(func.values[p]!.type)).map((p) => aliasClass[p]!));
  if (paramClasses.size === 0) return false;
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      if ((inst.op === "array.set" || inst.op === "stack.push" || inst.op === "stack.pop") && paramClasses.has(aliasClass[inst.args[0]!]!)) return true;
      if (inst.op === "call" && inst.args.some((a) => paramClasses.has(aliasClass[a]!))) {
        const callee = findFunc(module, inst.callee!);
        if (callee && mayWriteParams(module, callee, visiting)) return true;
      }
    }
  }
  return false;
}

/** The facts and decisions of reverse mode for `func` with active parameters
 * `mask`; `module` tells which callees write their array arguments (without
 * it, every call is assumed to). */
export function planReverse(func: Func, mask: readonly number[], module?: Module) {
  const { active, aliasClass } = computeActivity(func, mask);
  const type = (v: ValueId): Type => func.values[v]!.type;
  const classActive = (v: ValueId): boolean => isContainer(type(v)) && active[aliasClass[v]!] === 1;
  const isActiveF64 = (v: ValueId): boolean => type(v) === "f64" && active[v] === 1;
  const nBlocks = func.blocks.length;

  // Active f64 stacks (a tape under reverse over reverse) get shadow stacks;
  // stacks of arrays, and active stacks crossing calls or returns, do not.
  const isStack = (v: ValueId): boolean => type(v).startsWith("stack<");
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      const active = inst.results.concat(inst.args).filter((v) => isStack(v) && classActive(v));
      if (active.some((v) => type(v) === "stack<f64[]>")) fail(`@${func.name} keeps a stack of active arrays; reverse mode supports active stacks of numbers only`);
      if (active.length && (inst.op === "call" || inst.op === "call.extern")) fail(`@${func.name} passes an active stack to @${inst.callee}; not supported in reverse mode`);
    }
    if (block.term.kind === "ret" && block.term.values.some((v) => isStack(v) && classActive(v))) fail(`@${func.name} returns an active stack; not supported in reverse mode`);
  }

  // CFG facts over reachable blocks.
  const dom = computeDomTree(func);
  const reach = dom.rpo.index;
  const isReachable = (b: BlockId): boolean => reach[b]! >= 0;
  const preds = predecessors(func);
  const retBlocks = dom.rpo.order.filter((b) => func.blocks[b]!.term.kind === "ret");
  if (retBlocks.length === 0) fail(`@${func.name} never returns`);
  const reachesExit = new Uint8Array(nBlocks);
  {
    const work = [...retBlocks];
    for (const r of work) reachesExit[r] = 1;
    while (work.length) {
      const b = work.pop()!;
      for (const p of preds[b]!) if (isReachable(p) && !reachesExit[p]) {
        reachesExit[p] = 1;
        work.push(p);
      }
    }
  }
  const onCycle = blocksOnCycles(func);
  const domExit = new Uint8Array(nBlocks);
  for (const b of dom.rpo.order) domExit[b] = retBlocks.every((r) => dominates(dom, b, r)) ? 1 : 0;
  const defBlock = new Int32Array(func.values.length).fill(-1);
  const defInst = new Array<Inst | undefined>(func.values.length);
  func.blocks.forEach((block, b) => {
    for (const p of block.params) defBlock[p] = b;
    for (const inst of block.insts) for (const r of inst.results) {
      defBlock[r] = b;
      defInst[r] = inst;
    }
  });
  /** A value the reverse sweep can read directly: computed once, before the exit. */
  const isAvailable = (v: ValueId): boolean => {
    const b = defBlock[v]!;
    return b >= 0 && domExit[b] === 1 && onCycle[b] === 0;
  };
  const isConst = (v: ValueId): boolean => defInst[v]?.op === "const";
  const retValues = (r: BlockId): readonly ValueId[] => {
    const t = func.blocks[r]!.term;
    return t.kind === "ret" ? t.values : [];
  };
  // Array classes written anywhere: call arguments from them are snapshotted,
  // because a callee's VJP re-runs its forward sweep on the array's contents.
  // A callee that writes an array argument changes the caller's array too.
  const writesArgs = (inst: Inst): boolean => {
    if (inst.op !== "call") return false;
    const callee = module && findFunc(module, inst.callee!);
    return !module || (callee !== undefined && mayWriteParams(module, callee));
  };
  const writtenClasses = new Set<ValueId>();
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      if (inst.op === "array.set") writtenClasses.add(aliasClass[inst.args[0]!]!);
      else if (writesArgs(inst)) for (const a of inst.args) if (isContainer(type(a))) writtenClasses.add(aliasClass[a]!);
    }
  }
  // Arrays whose contents never change in this function: read-only inputs.
  const mayChange = new Set(writtenClasses);
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      if (inst.op === "call" || inst.op === "call.extern" || inst.op === "stack.push") for (const a of inst.args) if (isContainer(type(a))) mayChange.add(aliasClass[a]!);
    }
  }
  /** `array.get a, i` reads the same value in the reverse sweep as in the forward one. */
  const isStableRead = (inst: Inst): boolean => inst.op === "array.get" && isAvailable(inst.args[0]!) && !mayChange.has(aliasClass[inst.args[0]!]!);

  // Incoming edges of each block (reachable sources), in a fixed order; `from` = position.
  const inEdges: InEdge[][] = func.blocks.map(() => []);
  for (const b of dom.rpo.order) for (const e of termEdges(func.blocks[b]!.term)) inEdges[e.block]!.push({ pred: b, edge: e });

  // Counted loops: natural loops entered by one edge and closed by one back
  // edge. Their header records no `from` per iteration; the forward sweep
  // carries a trip counter (0 on entry, +1 on the back edge) and pushes it
  // once per loop execution, on each exit edge; the reverse sweep carries it
  // down to 0, which tells the back edge from the entry edge. Integer
  // induction variables of counted loops (`i = c; i += ±1`) are rebuilt from
  // the counter in reverse instead of being taped.
  const loopInfo = computeLoops(func, dom);
  const loops = loopInfo.loops;
  const countedEdges: ({ entry: InEdge; back: InEdge } | undefined)[] = loops.map((loop) => {
    if (loopInfo.irreducible || !reachesExit[loop.header]) return undefined;
    const inside = new Set(loop.blocks);
    const edges = inEdges[loop.header]!;
    const entry = edges.filter((e) => !inside.has(e.pred));
    const back = edges.filter((e) => inside.has(e.pred));
    return entry.length === 1 && back.length === 1 ? { entry: entry[0]!, back: back[0]! } : undefined;
  });
  const countedHeader = new Int32Array(nBlocks).fill(-1);
  countedEdges.forEach((c, l) => {
    if (c) countedHeader[loops[l]!.header] = l;
  });
  /** Counted loops containing `b`, outermost first. */
  const countedLoopsOf = (b: BlockId): number[] => {
    const out: number[] = [];
    for (let l = loopInfo.loopOf[b]!; l !== -1; l = loops[l]!.parent) if (countedEdges[l]) out.unshift(l);
    return out;
  };
  const needsFrom = (b: BlockId): boolean => reachesExit[b] === 1 && inEdges[b]!.length > 1 && countedHeader[b] === -1;
  /** Induction variables: header parameter -> loop, initial value, step (±1). */
  const induction = new Map<ValueId, { loop: number; init: ValueId; step: 1 | -1 }>();
  countedEdges.forEach((c, l) => {
    if (!c) return;
    func.blocks[loops[l]!.header]!.params.forEach((p, j) => {
      const init = c.entry.edge.args[j]!;
      const next = defInst[c.back.edge.args[j]!];
      if (type(p) !== "i32" || !(isConst(init) || isAvailable(init)) || !next) return;
      const [a, k] = next.args;
      const unit = (v: ValueId | undefined): number => (v !== undefined && defInst[v]?.op === "const" ? Math.abs(defInst[v]!.value as number) === 1 ? (defInst[v]!.value as number) : 0 : 0);
      let step = 0;
      if (next.op === "add" && a === p) step = unit(k);
      else if (next.op === "add" && k === p) step = unit(a);
      else if (next.op === "sub" && a === p) step = -unit(k);
      if (step !== 0) induction.set(p, { loop: l, init, step: step as 1 | -1 });
    });
  });
  /** `v` is an induction variable of a counted loop containing block `b`. */
  const isInductionIn = (v: ValueId, b: BlockId): boolean => {
    const iv = induction.get(v);
    return iv !== undefined && countedLoopsOf(b).includes(iv.loop);
  };

  // Liveness of active f64 values (terminator uses count as uses in their block).
  const liveIn: Set<ValueId>[] = func.blocks.map(() => new Set());
  const liveOut: Set<ValueId>[] = func.blocks.map(() => new Set());
  {
    const use: Set<ValueId>[] = func.blocks.map(() => new Set());
    const def: Set<ValueId>[] = func.blocks.map(() => new Set());
    func.blocks.forEach((block, b) => {
      for (const p of block.params) def[b]!.add(p);
      const useV = (v: ValueId): void => {
        if (isActiveF64(v) && !def[b]!.has(v)) use[b]!.add(v);
      };
      for (const inst of block.insts) {
        inst.args.forEach(useV);
        for (const r of inst.results) def[b]!.add(r);
      }
      termUses(block.term).forEach(useV);
    });
    const order = [...dom.rpo.order].reverse();
    for (let changed = true; changed; ) {
      changed = false;
      for (const b of order) {
        const out = liveOut[b]!;
        for (const e of termEdges(func.blocks[b]!.term)) for (const v of liveIn[e.block]!) if (!out.has(v)) {
          out.add(v);
          changed = true;
        }
        const inn = liveIn[b]!;
        for (const v of use[b]!) if (!inn.has(v)) {
          inn.add(v);
          changed = true;
        }
        for (const v of out) if (!def[b]!.has(v) && !inn.has(v)) {
          inn.add(v);
          changed = true;
        }
      }
    }
  }
  /** Adjoints carried into B': active f64 values live at the end of B or read by its terminator. */
  const carriedOf = (b: BlockId): ValueId[] => {
    const s = new Set(liveOut[b]!);
    for (const v of termUses(func.blocks[b]!.term)) if (isActiveF64(v)) s.add(v);
    return [...s].sort((x, y) => x - y);
  };

  /** Primal values the reverse rule of `inst` reads. */
  const needsOf = (inst: Inst): ValueId[] => {
    const rule = VJP[inst.op];
    if (rule.kind === "adjoint") {
      const anyActive = inst.results.some(isActiveF64);
      if (!anyActive) return [];
      return [...rule.needs.args.map((i) => inst.args[i]!), ...(rule.needs.result ? [inst.results[0]!] : [])];
    }
    if (rule.kind === "zero") return [];
    switch (inst.op) {
      // A stack is needed for its shadow.
      case "stack.push":
      case "stack.pop":
        return classActive(inst.args[0]!) ? [inst.args[0]!] : [];
      case "select":
        return isActiveF64(inst.results[0]!) ? [inst.args[0]!] : [];
      // Arrays are needed for their shadows (and, for calls, their contents).
      case "array.get":
      case "array.set":
        return classActive(inst.args[0]!) ? [inst.args[0]!, inst.args[1]!] : [];
      case "array.new":
        return classActive(inst.results[0]!) && isActiveF64(inst.args[1]!) ? [inst.results[0]!] : [];
      case "array.copy":
        return classActive(inst.results[0]!) && classActive(inst.args[0]!) ? [inst.results[0]!, inst.args[0]!] : [];
      case "call":
      case "call.extern":
        return reversesCall(inst) ? [...inst.args, ...inst.results.filter((r) => isContainer(type(r)))] : [];
      default:
        return [];
    }
  };
  const reversesCall = (inst: Inst): boolean =>
    inst.callee !== STOP_GRADIENT && (inst.results.some((r) => isActiveF64(r) || classActive(r)) || inst.args.some(classActive)) && inst.args.some((a) => isActiveF64(a) || classActive(a));
  /** Per instruction, the values saved on the stacks (in push order). A value
   * needed by several instructions of a block is pushed once, at the last of
   * them, and popped at its mirror point, which precedes the others' in reverse. */
  const savePlan = (block: (typeof func.blocks)[number]): SavePlan => {
    const b = func.blocks.indexOf(block);
    // A needed value defined earlier in this block by a cheap op, or read from
    // an array that never changes, is recomputed in reverse from its operands,
    // which become needed in its place.
    const defAt = new Map<ValueId, Inst>();
    for (const inst of block.insts) for (const r of inst.results) defAt.set(r, inst);
    const recompute = new Map<ValueId, Inst>();
    const last = new Map<ValueId, number>();
    // Each recomputed value is re-emitted once per reverse block (memoised), so
    // recomputing costs at most one op per primal instruction of the block.
    const need = (v: ValueId, k: number): void => {
      if (isAvailable(v) || isConst(v) || isInductionIn(v, b)) return;
      const def = defAt.get(v);
      const cheap = def && RECOMPUTABLE.has(def.op) && def.args.every((a) => type(a) === "f64" || type(a) === "i32");
      if (def && (cheap || isStableRead(def))) {
        recompute.set(v, def);
        for (const a of def.op === "array.get" ? [def.args[1]!] : def.args) need(a, k);
        return;
      }
      last.set(v, Math.max(last.get(v) ?? -1, k));
    };
    block.insts.forEach((inst, k) => {
      for (const v of needsOf(inst)) need(v, k);
    });
    const pushes = new Map<Inst, ValueId[]>();
    for (const [v, k] of [...last].sort((x, y) => x[1] - y[1] || x[0] - y[0])) {
      const inst = block.insts[k]!;
      pushes.set(inst, [...(pushes.get(inst) ?? []), v]);
    }
    return { pushes, recompute };
  };
  return { func, active, aliasClass, type, classActive, isActiveF64, dom: dom as DomTree, retBlocks, reachesExit, onCycle, domExit, defInst, isAvailable, isConst, retValues, writtenClasses, inEdges, needsFrom, loops, countedEdges, countedHeader, countedLoopsOf, induction, isInductionIn, liveIn, liveOut, carriedOf, needsOf, reversesCall, savePlan };
}

/** The plan of one function. */
export type ReversePlan = ReturnType<typeof planReverse>;

/** `--annotate tape`: per instruction, how the values its reverse rule reads
 * get there (all number and array parameters active). */
export function tapeAnnotator(module?: Module): (func: Func, block: BlockId, index: number) => string | undefined {
  const cache = new WeakMap<Func, { plan: ReversePlan | string; names: string[]; plans: Map<BlockId, SavePlan> }>();
  return (func, b, k) => {
    let entry = cache.get(func);
    if (!entry) {
      const mask = func.blocks[0]!.params.flatMap((p, i) => (func.values[p]!.type === "f64" || isContainer(func.values[p]!.type) ? [i] : []));
      let plan: ReversePlan | string;
      try {
        plan = planReverse(func, mask, module);
      } catch (e) {
        plan = (e as Error).message;
      }
      entry = { plan, names: valueNames(func), plans: new Map() };
      cache.set(func, entry);
    }
    const { plan, names } = entry;
    if (typeof plan === "string") return k === 0 ? plan : undefined;
    const block = func.blocks[b]!;
    let blockPlan = entry.plans.get(b);
    if (!blockPlan) entry.plans.set(b, (blockPlan = plan.savePlan(block)));
    const inst = block.insts[k]!;
    const needs = plan.needsOf(inst);
    if (!needs.length) return undefined;
    const pushed = blockPlan.pushes.get(inst) ?? [];
    const parts = [...new Set(needs)].map((v) => {
      const name = `%${names[v]}`;
      if (plan.isAvailable(v)) return `${name}: slot`;
      if (plan.isConst(v) || blockPlan.recompute.has(v)) return `${name}: recomputed`;
      if (plan.isInductionIn(v, b)) return `${name}: from the loop counter`;
      const perIter = plan.onCycle[b] ? " per iteration" : "";
      return pushed.includes(v) ? `${name}: pushed (${plan.type(v)})${perIter}` : `${name}: from a later push`;
    });
    return `tape ${parts.join(", ")}`;
  };
}
