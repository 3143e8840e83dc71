// The `rev-ad` pass: reverse-mode AD that keeps loops as loops ("Don't Unroll
// Adjoint", Innes 2018; Enzyme's cache-or-recompute). For `f` and active
// parameters W it adds `f.vjp(x..., ybar...) -> (y..., xbar...)`:
//
//   prologue  -> forward sweep (the primal CFG, recording) -> turn
//             -> reverse sweep (the primal CFG mirrored)   -> ret
//
// Forward sweep: the primal, copied with its value ids, plus (1) at every
// block with several incoming edges an i32 block parameter `from` set to a
// constant on each edge — except loop headers entered by one edge and closed
// by one back edge, which carry a trip counter instead (pushed once per loop
// execution on its exits, counted down in reverse; induction variables are
// rebuilt from it), (2) shadow arrays beside active arrays and shadow stacks
// beside active stacks (a 0 pushed and popped in lockstep), and (3) for
// each instruction, the primal values its reverse rule needs: used directly
// if their block runs at most once and dominates the exit, re-emitted if they
// are constants, otherwise pushed on an f64 or i32 stack right after the
// instruction and popped at its mirror point (so LIFO order is exact).
// `from` is saved the same way, so the adjoint of a loop is a loop over the
// recorded stack, never an unrolled tape; code size is linear in the primal.
//
// Reverse sweep: one block B' per primal block B that can reach a return.
// Adjoint accumulators are SSA values carried as block parameters: B' takes
// the adjoints of the active f64 values live at the end of B (forward
// liveness = reverse liveness of adjoints), walks B's instructions backwards
// through the rule table (passes/rules/vjp.ts), finalising each value's
// adjoint at its definition, then dispatches on `from` to the predecessor,
// adding block-parameter adjoints into the edge arguments' adjoints. Arrays:
// `a[i] = v` moves shadow[i] into vbar and clears it; `y = a[i]` adds ybar to
// shadow[i]. Calls use callee variants `g.vjp…` (which recompute the callee's
// forward sweep on copies of the array arguments taken before the call, when
// the caller or the callee writes them; a callee writing its argument moves
// the shadow like `a[i] = v` does); black boxes and custom rules become
// `call.extern @"g.vjp"`.
//
// Reverse of `y = pop s` pushes ybar on the shadow stack; reverse of
// `push s, v` pops v's adjoint from it (so rev over rev works through a tape).
//
// Limits (rejected with a PipelineError, never a wrong answer): active stacks
// of arrays, active stacks crossing calls or returns, active arrays or stacks
// created or merged inside loops or branches that do not dominate the exit,
// custom vjp rules on functions that write their array arguments.

import { FuncBuilder } from "../ir/builder.js";
import type { Opcode } from "../ir/ops.js";
import type { BlockId, Edge, Func, Inst, Module, SourceLoc, Type, ValueId } from "../ir/types.js";
import { findFunc } from "../ir/types.js";
import { computeActivity, isContainer, isDifferentiable, resolveAdRequest } from "./activity.js";
import { emitCountedLoop } from "./loop-emit.js";
import type { Pass } from "./pass.js";
import { mayWriteParams, planReverse, revAdError, type SavePlan } from "./rev-ad-plan.js";
import { customRule } from "./rules/custom.js";
import { makeEmitter, type Tangent } from "./rules/jvp.js";
import { VJP } from "./rules/vjp.js";

/** Options of one VJP request. */
export interface VjpRequest {
  readonly fn: string;
  /** Active parameter indices (default: every f64 / f64[] parameter). */
  readonly wrt?: readonly number[];
  /** Also add `fn.vjp.into(x..., ybar..., xbar arrays...) -> (y..., xbar numbers...)`,
   * which adds the adjoints of active array parameters into arrays the caller
   * provides (preallocated outputs) instead of returning fresh ones. */
  readonly into?: boolean;
}

function fail(message: string): never {
  throw revAdError(message);
}

/** Signature of the extern `g.vjp` for a black box `g`: (x..., ybar per f64 result) -> (y..., xbar per f64 param). */
export function vjpExternSignature(params: readonly Type[], results: readonly Type[]): { params: Type[]; results: Type[] } {
  return { params: [...params, ...results.filter((t) => t === "f64")], results: [...results, ...params.filter((t) => t === "f64")] };
}

/** `top`: the user-facing `f.vjp` (array adjoints returned fresh). `inner`:
 * callee variants, which take the caller's shadow arrays and accumulate into them. */
type Mode = "top" | "inner";

interface Env {
  readonly module: Module;
  variantOf(callee: string, mask: number[]): string;
  externVjp(name: string, params: readonly Type[], results: readonly Type[]): string;
  /** True if `func` may write one of its array parameters. */
  writesParams(func: Func): boolean;
}

/** Adds `fn.vjp` (and the callee variants it needs) to `module`. */
export function addVjp(module: Module, request: VjpRequest): Module {
  const { root, wrt, rootName } = resolveAdRequest(module, request.fn, request.wrt, "vjp", fail);

  const taken = new Set<string>([...module.funcs.map((f) => f.name), ...module.externs.map((e) => e.name)]);
  const variants = new Map<string, string>();
  const queue: { func: Func; mask: number[]; name: string; mode: Mode }[] = [];
  const externs = [...module.externs];
  const writes = new Map<string, boolean>();
  const request1 = (func: Func, mask: number[], preferred: string, mode: Mode): string => {
    const key = `${mode}\u0000${func.name}\u0000${mask.join(",")}`;
    const known = variants.get(key);
    if (known) return known;
    let name = preferred;
    for (let k = 1; taken.has(name); k++) name = `${preferred}.${k}`;
    taken.add(name);
    variants.set(key, name);
    queue.push({ func, mask, name, mode });
    return name;
  };
  const env: Env = {
    module,
    variantOf: (callee, mask) => request1(findFunc(module, callee)!, mask, `${callee}.vjp[${mask.join(",")}]`, "inner"),
    externVjp: (name, params, results) => {
      const ext = `${name}.vjp`;
      if (!externs.some((e) => e.name === ext)) {
        if (params.some(isContainer) || results.some(isContainer)) fail(`@${name} takes or returns arrays; derivative rules for black boxes support f64 arguments and results only`);
        externs.push({ name: ext, ...vjpExternSignature(params, results) });
        taken.add(ext);
      }
      return ext;
    },
    writesParams: (func) => {
      let w = writes.get(func.name);
      if (w === undefined) writes.set(func.name, (w = mayWriteParams(module, func)));
      return w;
    },
  };
  request1(root, [...wrt], rootName, "top");
  if (request.into) request1(root, [...wrt], `${rootName}.into`, "inner");
  const added: Func[] = [];
  while (queue.length) {
    const job = queue.shift()!;
    added.push(reverseDifferentiate(job.func, job.mask, job.name, job.mode, env));
  }
  return { funcs: [...module.funcs, ...added], externs };
}

/** What result `j` of `callee` is, as an array: a fresh array, always its
 * array parameter number k, or a mix (a parameter on some paths, or unknown). */
export function resultAlias(module: Module, callee: Func, j: number, visiting: ReadonlySet<string> = new Set()): number | "fresh" | "mixed" {
  if (visiting.has(callee.name)) return "mixed";
  const { aliasClass } = computeActivity(callee, []);
  const classes = new Set<ValueId>();
  for (const block of callee.blocks) if (block.term.kind === "ret") classes.add(aliasClass[block.term.values[j]!]!);
  const params = new Set<number>();
  let unknown = false;
  callee.blocks[0]!.params.forEach((p, i) => {
    if (classes.has(aliasClass[p]!)) params.add(i);
  });
  for (const block of callee.blocks) {
    for (const inst of block.insts) {
      if (!inst.results.some((r) => classes.has(aliasClass[r]!))) continue;
      if (inst.op === "call") {
        const inner = findFunc(module, inst.callee!);
        const k = inst.results.findIndex((r) => classes.has(aliasClass[r]!));
        if (!inner || resultAlias(module, inner, k, new Set([...visiting, callee.name])) !== "fresh") unknown = true;
      } else if (inst.op !== "array.new" && inst.op !== "array.copy" && inst.op !== "select") unknown = true;
    }
  }
  if (unknown || params.size > 1) return "mixed";
  if (params.size === 1) {
    const hasFresh = callee.blocks.some((b) => b.insts.some((i) => (i.op === "array.new" || i.op === "array.copy" || i.op === "call") && i.results.some((r) => classes.has(aliasClass[r]!))));
    return hasFresh ? "mixed" : [...params][0]!;
  }
  return "fresh";
}

/** True if two array results of one `ret` of `callee` may be the same array (same alias class). */
function resultsMayAlias(callee: Func): boolean {
  const { aliasClass } = computeActivity(callee, []);
  return callee.blocks.some(({ term }) => {
    if (term.kind !== "ret") return false;
    const classes = term.values.filter((v) => isContainer(callee.values[v]!.type)).map((v) => aliasClass[v]!);
    return new Set(classes).size < classes.length;
  });
}

/** Builds the VJP of `func` with active parameters `mask`. */
function reverseDifferentiate(func: Func, mask: readonly number[], name: string, mode: Mode, env: Env): Func {
  const plan = planReverse(func, mask, env.module);
  const { type, classActive, isActiveF64, dom, retBlocks, reachesExit, onCycle, domExit, defInst, isAvailable, retValues, writtenClasses, inEdges, needsFrom, countedEdges, countedHeader, countedLoopsOf, induction, isInductionIn, liveIn, carriedOf, reversesCall, savePlan, aliasClass } = plan;
  const entry = func.blocks[0]!;
  const nBlocks = func.blocks.length;

  // ---- signature
  const params = entry.params;
  const paramTypes = params.map(type);
  const diffResults = func.results.map((t, j) => (isDifferentiable(t) ? j : -1)).filter((j) => j >= 0);
  const maskArrays = mask.filter((i) => isContainer(paramTypes[i]!));
  const maskScalars = mask.filter((i) => paramTypes[i] === "f64");
  const resultTypes: Type[] = [...func.results, ...(mode === "top" ? mask.map((i) => paramTypes[i]!) : maskScalars.map(() => "f64" as Type))];
  const B = new FuncBuilder(name, resultTypes, func.loc);
  for (const info of func.values) B.newValue(info.type, info.name);
  const prologue = B.addBlock("prologue");
  const fwd = func.blocks.map((blk) => B.addBlock(blk.name));
  const pParams = paramTypes.map((t, i) => B.addParam(prologue, t, func.values[params[i]!]!.name));
  const ybarParams = diffResults.map((j) => B.addParam(prologue, func.results[j]!, "ybar"));
  const shadowIn = new Map<number, ValueId>();
  if (mode === "inner") for (const i of maskArrays) shadowIn.set(i, B.addParam(prologue, paramTypes[i]!, `d${func.values[params[i]!]!.name ?? ""}` || undefined));

  let cur: BlockId = prologue;
  let loc: SourceLoc | undefined;
  const ex = (): { loc?: SourceLoc } => (loc ? { loc } : {});
  const op = (o: Opcode, args: readonly ValueId[], t: Type = "f64"): ValueId => B.emit1(cur, o, args, t, ex());
  const f64 = (x: number): ValueId => B.constant(cur, "f64", x, loc);
  const i32 = (x: number): ValueId => B.constant(cur, "i32", x, loc);
  const e = makeEmitter(op, f64);

  // Stacks, created in the prologue only if something is saved (decided at the end).
  // Active and inactive f64 values go on separate tapes, so that forward mode
  // over this VJP sees the inactive tape as inactive (symbolic zero tangents).
  const fstack = B.newValue("stack<f64>", "tape");
  const cstack = B.newValue("stack<f64>", "tape_c");
  const rstack = B.newValue("stack<f64[]>", "tape_a");
  const istack = B.newValue("stack<i32>", "tape_i");
  let usesF = false;
  let usesC = false;
  let usesR = false;
  /** Shadows of arrays restored from the tape in the reverse block being built. */
  let restoredShadows = new Map<ValueId, ValueId>();
  let usesI = false;

  // ---- forward sweep
  const shadow: (ValueId | undefined)[] = new Array(func.values.length);
  const fromParam: (ValueId | undefined)[] = new Array(nBlocks);
  /** Per counted loop, its trip counter in the forward sweep (a header parameter). */
  const tripParam: ValueId[] = [];
  const zeroArray = (like: ValueId, name?: string): ValueId => B.emit1(cur, "array.new", [op("array.len", [like], "i32"), f64(0)], "f64[]", ex(), name);
  const shadowName = (v: ValueId): string | undefined => {
    const n = func.values[v]!.name;
    return n === undefined ? undefined : `d${n}`;
  };
  // Block headers: primal params keep ids; then shadows of active containers; then `from`.
  for (const b of dom.rpo.order) {
    for (const p of func.blocks[b]!.params) B.addParamValue(fwd[b]!, p);
    for (const p of func.blocks[b]!.params) if (classActive(p)) shadow[p] = B.addParam(fwd[b]!, type(p), shadowName(p));
    if (needsFrom(b)) fromParam[b] = B.addParam(fwd[b]!, "i32", "from");
    if (countedHeader[b]! >= 0) tripParam[countedHeader[b]!] = B.addParam(fwd[b]!, "i32", "trip");
  }
  /** Per call, copies of array arguments taken before it (see writtenClasses);
   * in the reverse sweep, where those copies are read (popped if taped). */
  const snapshot = new Map<Inst, Map<ValueId, ValueId>>();
  /** Per block, how its reverse rules get primal values (taped or recomputed). */
  const blockPlans: SavePlan[] = [];
  /** Per instruction, the values saved on the stacks (in push order). */
  const saved = new Map<Inst, ValueId[]>();
  const save = (inst: Inst, list: readonly ValueId[]): void => {
    if (!list.length) return;
    for (const v of list) {
      const t = type(v);
      if (t === "f64") {
        if (plan.active[v]) usesF = true;
        else usesC = true;
        B.emitWith(cur, "stack.push", [plan.active[v] ? fstack : cstack, v], [], ex());
      } else if (t === "i32") {
        usesI = true;
        B.emitWith(cur, "stack.push", [istack, v], [], ex());
      } else if (t === "bool") {
        usesI = true;
        B.emitWith(cur, "stack.push", [istack, op("select", [v, i32(1), i32(0)], "i32")], [], ex());
      } else if (t === "f64[]") {
        // The array itself, then its shadow.
        usesR = true;
        B.emitWith(cur, "stack.push", [rstack, v], [], ex());
        if (classActive(v)) B.emitWith(cur, "stack.push", [rstack, requireShadow(v)], [], ex());
      } else fail(`@${func.name}: a ${t} value is needed by the reverse sweep; not supported`);
    }
    saved.set(inst, [...list]);
  };

  const edgeArgsFwd = (from: BlockId, edge: Edge): ValueId[] => {
    const target = func.blocks[edge.block]!;
    const extra: ValueId[] = [];
    edge.args.forEach((a, i) => {
      if (classActive(target.params[i]!)) extra.push(requireShadow(a));
    });
    if (needsFrom(edge.block)) extra.push(i32(inEdges[edge.block]!.findIndex((x) => x.pred === from && x.edge === edge)));
    const l = countedHeader[edge.block]!;
    if (l >= 0) extra.push(countedEdges[l]!.back.edge === edge ? op("add", [tripParam[l]!, i32(1)], "i32") : i32(0));
    return [...edge.args, ...extra];
  };
  /** Counted loops left by the edge from -> to (to = -1: a return), outermost first. */
  const exitedLoops = (from: BlockId, to: BlockId): number[] => {
    const stay = to < 0 ? [] : countedLoopsOf(to);
    return countedLoopsOf(from).filter((l) => !stay.includes(l));
  };
  const pushTrips = (at: BlockId, exited: readonly number[]): void => {
    if (exited.length) usesI = true;
    for (const l of exited) B.emitWith(at, "stack.push", [istack, tripParam[l]!], [], ex());
  };
  /** The forward edge from -> edge.block: through a block pushing trip counters if it leaves counted loops. */
  const routeFwd = (from: BlockId, edge: Edge, args: ValueId[]): { block: BlockId; args: ValueId[] } => {
    const exited = exitedLoops(from, edge.block);
    if (!exited.length) return { block: fwd[edge.block]!, args };
    const split = B.addBlock("exit");
    pushTrips(split, exited);
    B.br(split, fwd[edge.block]!, args, loc);
    return { block: split, args: [] };
  };
  /** A block that runs at most once, before the exit: its values are read directly in reverse. */
  const blockRunsOnce = (b: BlockId): boolean => domExit[b] === 1 && onCycle[b] === 0;
  /** The shadow of array v where the reverse sweep reads it (it cannot be saved on a stack). */
  const shadowInReverse = (v: ValueId): ValueId => {
    const restored = restoredShadows.get(v);
    if (restored !== undefined) return restored;
    if (!isAvailable(v)) fail(`internal: the shadow of %${v} in @${func.name} is not available in the reverse sweep`);
    return requireShadow(v);
  };
  const requireShadow = (v: ValueId): ValueId => {
    const s = shadow[v];
    if (s === undefined) fail(`internal: no shadow for an active array`);
    return s;
  };

  // Prologue: shadows of array parameters, then into the primal entry.
  for (const i of mask) {
    const p = params[i]!;
    if (!isContainer(paramTypes[i]!)) continue;
    shadow[p] = mode === "inner" ? shadowIn.get(i)! : zeroArray(pParams[i]!, shadowName(p));
  }
  for (const p of params) if (classActive(p) && shadow[p] === undefined) shadow[p] = zeroArray(pParams[params.indexOf(p)]!, shadowName(p));
  const entryArgs = [...pParams, ...params.filter(classActive).map((p) => shadow[p]!)];
  // Inside the forward sweep the shadows of parameters are the entry block's shadow parameters.
  const entryShadowIds = B.params(fwd[0]!).slice(params.length, params.length + params.filter(classActive).length);
  params.filter(classActive).forEach((p, k) => (shadow[p] = entryShadowIds[k]!));
  const prologueEnd = cur;

  const turn = B.addBlock("turn");
  const turnParams = func.results.map((t) => B.addParam(turn, t, "y"));
  const turnShadows = func.results.map((t, j) => (isContainer(t) && retBlocks.some((r) => classActive(retValues(r)[j]!)) ? B.addParam(turn, t) : undefined));
  const turnFrom = retBlocks.length > 1 ? B.addParam(turn, "i32", "from") : undefined;

  for (const b of dom.rpo.order) {
    cur = fwd[b]!;
    const block = func.blocks[b]!;
    const blockPlan = savePlan(block);
    blockPlans[b] = blockPlan;
    const fromV = fromParam[b];
    if (fromV !== undefined && !blockRunsOnce(b)) {
      usesI = true;
      B.emitWith(cur, "stack.push", [istack, fromV], [], ex());
    }
    for (const inst of block.insts) {
      loc = inst.loc;
      if (inst.op === "call" || inst.op === "call.extern") checkCall(inst);
      if (inst.op === "call" && reversesCall(inst)) {
        const copies = new Map<ValueId, ValueId>();
        for (const a of inst.args) {
          if (!isContainer(type(a)) || !writtenClasses.has(aliasClass[a]!) || copies.has(a)) continue;
          copies.set(a, op("array.copy", [a], "f64[]"));
        }
        if (copies.size) snapshot.set(inst, copies);
      }
      B.emitWith(cur, inst.op, inst.args, inst.results, { ...(inst.value !== undefined ? { value: inst.value } : {}), ...(inst.callee !== undefined ? { callee: inst.callee } : {}), ...ex() });
      const y = inst.results[0];
      if (inst.op === "select" && y !== undefined && classActive(y)) shadow[y] = op("select", [inst.args[0]!, requireShadow(inst.args[1]!), requireShadow(inst.args[2]!)], "f64[]");
      if (inst.op === "call") shareResultShadows(inst);
      // A shadow stack moves in lockstep with its active stack (a 0 per push), so values left on the stack get adjoint 0.
      if (inst.op === "stack.push" && classActive(inst.args[0]!)) B.emitWith(cur, "stack.push", [requireShadow(inst.args[0]!), f64(0)], [], ex());
      if (inst.op === "stack.pop" && classActive(inst.args[0]!)) B.emit1(cur, "stack.pop", [requireShadow(inst.args[0]!)], "f64", ex());
      for (const r of inst.results) {
        if (!classActive(r) || shadow[r] !== undefined) continue;
        shadow[r] = type(r) === "stack<f64>" ? B.emit1(cur, "stack.new", [], "stack<f64>", ex(), shadowName(r)) : zeroArray(r, shadowName(r));
      }
      save(inst, blockPlan.pushes.get(inst) ?? []);
      // Snapshots taken in a block that may run several times go on the tape too.
      const copies = snapshot.get(inst);
      if (copies && !blockRunsOnce(b)) {
        usesR = true;
        for (const c of copies.values()) B.emitWith(cur, "stack.push", [rstack, c], [], ex());
      }
    }
    loc = block.term.loc;
    const t = block.term;
    if (t.kind === "br") {
      const args = edgeArgsFwd(b, t.target);
      pushTrips(cur, exitedLoops(b, t.target.block));
      B.br(cur, fwd[t.target.block]!, args, loc);
    } else if (t.kind === "condbr") {
      const yes = routeFwd(b, t.then, edgeArgsFwd(b, t.then));
      const no = routeFwd(b, t.else, edgeArgsFwd(b, t.else));
      B.condbr(cur, t.cond, yes.block, yes.args, no.block, no.args, loc);
    } else if (t.kind === "ret") {
      pushTrips(cur, exitedLoops(b, -1));
      const extra: ValueId[] = [];
      t.values.forEach((v, j) => {
        if (turnShadows[j] !== undefined) extra.push(classActive(v) ? requireShadow(v) : zeroArray(v));
      });
      if (turnFrom !== undefined) extra.push(i32(retBlocks.indexOf(b)));
      B.br(cur, turn, [...t.values, ...extra], loc);
    } else B.setTerm(cur, t);
  }

  /** A call returning (an alias of) its array argument shares that argument's shadow. */
  function shareResultShadows(inst: Inst): void {
    const callee = findFunc(env.module, inst.callee!)!;
    inst.results.forEach((r, j) => {
      if (!classActive(r)) return;
      const alias = resultAlias(env.module, callee, j);
      if (alias === "mixed") fail(`@${callee.name} may return an alias of its array argument on some paths only; not supported in reverse mode`);
      if (alias !== "fresh") shadow[r] = requireShadow(inst.args[alias]!);
    });
  }

  function checkCall(inst: Inst): void {
    if (!reversesCall(inst) || inst.op !== "call") return;
    const callee = findFunc(env.module, inst.callee!)!;
    if (resultsMayAlias(callee)) fail(`@${callee.name} may return the same array as two of its results; not supported in reverse mode`);
    if (customRule(callee.name)?.vjp && env.writesParams(callee)) fail(`@${callee.name} writes an array argument; a custom vjp rule cannot account for that`);
  }

  // ---- reverse sweep
  const rev: (BlockId | undefined)[] = new Array(nBlocks);
  const revParams: ValueId[][] = func.blocks.map(() => []);
  /** Per reverse block, the trip counters of the counted loops around it. */
  const revTrips: Map<number, ValueId>[] = func.blocks.map(() => new Map());
  for (const b of [...dom.rpo.order].reverse()) {
    if (!reachesExit[b]) continue;
    rev[b] = B.addBlock(`${func.blocks[b]!.name ?? "bb"}_rev`);
    revParams[b] = carriedOf(b).map((v) => B.addParam(rev[b]!, "f64", `${func.values[v]!.name ?? ""}_bar` === "_bar" ? undefined : `${func.values[v]!.name}_bar`));
    for (const l of countedLoopsOf(b)) revTrips[b]!.set(l, B.addParam(rev[b]!, "i32", "trip"));
  }
  /** Trip counters for P' when the reverse sweep takes the edge P -> `to` backwards (to = -1: from `turn`):
   * carried for loops around both, popped (innermost first) for loops the edge left. */
  const tripArgs = (pred: BlockId, to: BlockId, trips: ReadonlyMap<number, ValueId>): ValueId[] => {
    const exited = exitedLoops(pred, to);
    const popped = new Map<number, ValueId>();
    for (let k = exited.length - 1; k >= 0; k--) popped.set(exited[k]!, op("stack.pop", [istack], "i32"));
    return countedLoopsOf(pred).map((l) => popped.get(l) ?? trips.get(l)!);
  };
  const finalBlock = B.addBlock("done");

  /** Branches from the current block to P' for the edge P -> S, given S's accumulators at its start. */
  const transition = (pred: BlockId, edge: Edge, acc: Map<ValueId, Tangent>, trips: ReadonlyMap<number, ValueId>): void => {
    const target = func.blocks[edge.block]!;
    const vals = carriedOf(pred).map((w) => {
      let t: Tangent = liveIn[edge.block]!.has(w) ? (acc.get(w) ?? null) : null;
      edge.args.forEach((a, i) => {
        if (a === w && isActiveF64(target.params[i]!)) t = e.add(t, acc.get(target.params[i]!) ?? null);
      });
      return t ?? f64(0);
    });
    B.br(cur, rev[pred]!, [...vals, ...tripArgs(pred, edge.block, trips)], loc);
  };
  /** Dispatches on `from` (an i32) over the incoming edges of a block. */
  const dispatch = (from: ValueId, edges: readonly { pred: BlockId; edge: Edge }[], acc: Map<ValueId, Tangent>, trips: ReadonlyMap<number, ValueId>): void => {
    for (let k = 0; k < edges.length; k++) {
      const { pred, edge } = edges[k]!;
      if (k === edges.length - 1) {
        transition(pred, edge, acc, trips);
        break;
      }
      const here = B.addBlock("edge");
      const next = B.addBlock("dispatch");
      B.condbr(cur, op("eq", [from, i32(k)], "bool"), here, [], next, [], loc);
      cur = here;
      transition(pred, edge, acc, trips);
      cur = next;
    }
  };

  // turn: seed result adjoints, then back into the returning block.
  cur = turn;
  loc = undefined;
  {
    const acc = new Map<ValueId, Tangent>();
    diffResults.forEach((j, k) => {
      const ybar = ybarParams[k]!;
      if (func.results[j] === "f64") acc.set(turnParams[j]!, ybar);
      else if (turnShadows[j] !== undefined) {
        const sh = turnShadows[j]!;
        cur = emitCountedLoop(B, cur, op("array.len", [sh], "i32"), loc, (body, i) => {
          const s = B.emit1(body, "array.get", [sh, i], "f64");
          const g = B.emit1(body, "array.get", [ybar, i], "f64");
          B.emitWith(body, "array.set", [sh, i, B.emit1(body, "add", [s, g], "f64")], []);
          return [];
        }).block;
      }
    });
    // The ret terminators are edges into `turn` whose arguments are the returned values.
    const retEdges = retBlocks.map((r) => ({ pred: r, edge: { block: -1, args: retValues(r) } }));
    const turnTransition = (pred: BlockId, values: readonly ValueId[]): void => {
      const vals = carriedOf(pred).map((w) => {
        let t: Tangent = null;
        values.forEach((a, j) => {
          if (a === w && func.results[j] === "f64") t = e.add(t, acc.get(turnParams[j]!) ?? null);
        });
        return t ?? f64(0);
      });
      B.br(cur, rev[pred]!, [...vals, ...tripArgs(pred, -1, new Map())], loc);
    };
    if (turnFrom === undefined) turnTransition(retEdges[0]!.pred, retEdges[0]!.edge.args);
    else {
      for (let k = 0; k < retEdges.length; k++) {
        if (k === retEdges.length - 1) {
          turnTransition(retEdges[k]!.pred, retEdges[k]!.edge.args);
          break;
        }
        const here = B.addBlock("edge");
        const next = B.addBlock("dispatch");
        B.condbr(cur, op("eq", [turnFrom, i32(k)], "bool"), here, [], next, [], loc);
        cur = here;
        turnTransition(retEdges[k]!.pred, retEdges[k]!.edge.args);
        cur = next;
      }
    }
  }

  // Reverse blocks.
  let finalAcc: Map<ValueId, Tangent> | undefined;
  for (const b of [...dom.rpo.order].reverse()) {
    if (rev[b] === undefined) continue;
    cur = rev[b]!;
    const block = func.blocks[b]!;
    const acc = new Map<ValueId, Tangent>();
    carriedOf(b).forEach((v, k) => acc.set(v, revParams[b]![k]!));
    const addTo = (v: ValueId, t: Tangent): void => {
      if (t === null || !isActiveF64(v)) return;
      acc.set(v, e.add(acc.get(v) ?? null, t));
    };
    const restored = new Map<ValueId, ValueId>();
    const trips = revTrips[b]!;
    restoredShadows = new Map();
    for (let k = block.insts.length - 1; k >= 0; k--) {
      const inst = block.insts[k]!;
      loc = inst.loc;
      // Restore snapshots and saved primal values (reverse push order), re-emit constants.
      const copies = snapshot.get(inst);
      if (copies && !blockRunsOnce(b)) {
        const keys = [...copies.keys()];
        const popped = new Map<ValueId, ValueId>();
        for (let c = keys.length - 1; c >= 0; c--) popped.set(keys[c]!, op("stack.pop", [rstack], "f64[]"));
        snapshot.set(inst, popped);
      }
      const list = saved.get(inst) ?? [];
      for (let s = list.length - 1; s >= 0; s--) {
        const v = list[s]!;
        const t = type(v);
        if (t === "f64[]") {
          if (classActive(v)) restoredShadows.set(v, op("stack.pop", [rstack], "f64[]"));
          restored.set(v, op("stack.pop", [rstack], "f64[]"));
        } else if (t === "f64") restored.set(v, op("stack.pop", [plan.active[v] ? fstack : cstack]));
        else if (t === "i32") restored.set(v, op("stack.pop", [istack], "i32"));
        else restored.set(v, op("ne", [op("stack.pop", [istack], "i32"), i32(0)], "bool"));
      }
      const val = (v: ValueId): ValueId => {
        const r = restored.get(v);
        if (r !== undefined) return r;
        const again = blockPlans[b]!.recompute.get(v);
        if (again) {
          const y = B.emit1(cur, again.op, again.args.map(val), type(v), ex());
          restored.set(v, y);
          return y;
        }
        if (isInductionIn(v, b)) {
          // i = init + step * trip, exact in i32 arithmetic.
          const { loop, init, step } = induction.get(v)!;
          const trip = trips.get(loop)!;
          const start = val(init);
          const y = defInst[init]?.op === "const" && defInst[init]!.value === 0 && step === 1 ? trip : op(step === 1 ? "add" : "sub", [start, trip], "i32");
          restored.set(v, y);
          return y;
        }
        if (isAvailable(v)) return v;
        const d = defInst[v];
        if (d?.op === "const") return B.constant(cur, type(v), d.value!, loc);
        return fail(`internal: value %${v} of @${func.name} is not available in the reverse sweep`);
      };
      reverseInst(inst, val, acc, addTo);
    }
    // Block parameters are finalised; move on to the predecessor.
    loc = block.term.loc;
    if (b === 0) {
      B.br(cur, finalBlock, [], loc);
      finalAcc = acc;
      continue;
    }
    const edges = inEdges[b]!;
    const counted = countedHeader[b]!;
    if (counted >= 0) {
      // Trip 0: back out through the entry edge; otherwise back along the back edge with trip - 1.
      const { entry, back } = countedEdges[counted]!;
      const trip = trips.get(counted)!;
      const here = B.addBlock("loop_entry");
      const again = B.addBlock("loop_back");
      B.condbr(cur, op("eq", [trip, i32(0)], "bool"), here, [], again, [], loc);
      cur = here;
      transition(entry.pred, entry.edge, acc, trips);
      cur = again;
      transition(back.pred, back.edge, acc, new Map(trips).set(counted, op("sub", [trip, i32(1)], "i32")));
    } else if (edges.length === 1) transition(edges[0]!.pred, edges[0]!.edge, acc, trips);
    else {
      const fromV = fromParam[b]!;
      const from = blockRunsOnce(b) ? fromV : op("stack.pop", [istack], "i32");
      dispatch(from, edges, acc, trips);
    }
  }

  function reverseInst(inst: Inst, val: (v: ValueId) => ValueId, acc: Map<ValueId, Tangent>, addTo: (v: ValueId, t: Tangent) => void): void {
    const rule = VJP[inst.op];
    const y = inst.results[0];
    const takeBar = (r: ValueId): Tangent => {
      const t = acc.get(r) ?? null;
      acc.delete(r);
      return t;
    };
    if (rule.kind === "zero") return;
    if (rule.kind === "adjoint") {
      const ybar = takeBar(y!);
      if (ybar === null) return;
      const act = inst.args.map(isActiveF64);
      if (!act.some(Boolean)) return;
      const args = inst.args.map((a, i) => (rule.needs.args.includes(i) ? val(a) : -1));
      const yv = rule.needs.result ? val(y!) : -1;
      rule.contribs(e, args, yv, ybar, act).forEach((c, i) => addTo(inst.args[i]!, c));
      return;
    }
    switch (inst.op) {
      case "select": {
        if (!isActiveF64(y!)) return;
        const ybar = takeBar(y!);
        if (ybar === null) return;
        const c = val(inst.args[0]!);
        if (isActiveF64(inst.args[1]!)) addTo(inst.args[1]!, op("select", [c, ybar, f64(0)]));
        if (isActiveF64(inst.args[2]!)) addTo(inst.args[2]!, op("select", [c, f64(0), ybar]));
        return;
      }
      case "array.get": {
        if (!classActive(inst.args[0]!)) return;
        const ybar = takeBar(y!);
        if (ybar === null) return;
        const sh = shadowInReverse(inst.args[0]!);
        const i = val(inst.args[1]!);
        B.emitWith(cur, "array.set", [sh, i, op("add", [op("array.get", [sh, i]), ybar])], [], ex());
        return;
      }
      case "array.set": {
        if (!classActive(inst.args[0]!)) return;
        const sh = shadowInReverse(inst.args[0]!);
        const i = val(inst.args[1]!);
        if (isActiveF64(inst.args[2]!)) addTo(inst.args[2]!, op("array.get", [sh, i]));
        B.emitWith(cur, "array.set", [sh, i, f64(0)], [], ex());
        return;
      }
      case "array.new": {
        if (!classActive(y!) || !isActiveF64(inst.args[1]!)) return;
        const sh = shadowInReverse(y!);
        const { block, finals } = emitCountedLoop(B, cur, op("array.len", [sh], "i32"), loc, (body, i, [s]) => [B.emit1(body, "add", [s!, B.emit1(body, "array.get", [sh, i], "f64")], "f64")], [f64(0)]);
        cur = block;
        addTo(inst.args[1]!, finals[0]!);
        return;
      }
      case "array.copy": {
        if (!classActive(y!) || !classActive(inst.args[0]!)) return;
        const from = shadowInReverse(y!);
        const to = shadowInReverse(inst.args[0]!);
        cur = emitCountedLoop(B, cur, op("array.len", [from], "i32"), loc, (body, i) => {
          const sum = B.emit1(body, "add", [B.emit1(body, "array.get", [to, i], "f64"), B.emit1(body, "array.get", [from, i], "f64")], "f64");
          B.emitWith(body, "array.set", [to, i, sum], []);
          return [];
        }).block;
        return;
      }
      case "call":
      case "call.extern":
        return reverseCall(inst, val, acc, addTo, takeBar);
      case "stack.new":
        return;
      case "stack.push": {
        // The shadow slot of the pushed value holds its adjoint (pushed by the pop's reverse, or 0).
        if (!classActive(inst.args[0]!)) return;
        const bar = op("stack.pop", [shadowInReverse(inst.args[0]!)]);
        if (isActiveF64(inst.args[1]!)) addTo(inst.args[1]!, bar);
        return;
      }
      case "stack.pop": {
        if (!classActive(inst.args[0]!)) return;
        const ybar = (isActiveF64(y!) ? takeBar(y!) : null) ?? f64(0);
        B.emitWith(cur, "stack.push", [shadowInReverse(inst.args[0]!), ybar], [], ex());
        return;
      }
    }
  }

  function reverseCall(inst: Inst, val: (v: ValueId) => ValueId, _acc: Map<ValueId, Tangent>, addTo: (v: ValueId, t: Tangent) => void, takeBar: (r: ValueId) => Tangent): void {
    if (!reversesCall(inst)) {
      for (const r of inst.results) takeBar(r);
      return;
    }
    const args = inst.args.map((a) => (isContainer(type(a)) ? (snapshot.get(inst)?.get(a) ?? val(a)) : val(a)));
    const f64Bars = inst.results.map((r) => (type(r) === "f64" ? (takeBar(r) ?? f64(0)) : undefined));
    const viaExtern = inst.op === "call.extern" || customRule(inst.callee!)?.vjp !== undefined;
    if (viaExtern) {
      const calleeParams = inst.args.map(type);
      const ext = env.externVjp(inst.callee!, calleeParams, inst.results.map(type));
      const ybars = f64Bars.filter((x): x is ValueId => x !== undefined);
      const outs = B.emit(cur, "call.extern", [...args, ...ybars], [...inst.results.map(type), ...calleeParams.filter((t) => t === "f64")], { callee: ext, ...ex() });
      const xbars = outs.slice(inst.results.length);
      let k = 0;
      inst.args.forEach((a) => {
        if (type(a) === "f64") addTo(a, xbars[k++]!);
      });
      return;
    }
    const maskC = inst.args.flatMap((a, i) => (isActiveF64(a) || classActive(a) ? [i] : []));
    const variant = env.variantOf(inst.callee!, maskC);
    const callee = findFunc(env.module, inst.callee!)!;
    // An array result aliasing an argument already shares its shadow: its cotangent seed is zero.
    const resBars = inst.results.flatMap((r, j) => (type(r) === "f64" ? [f64Bars[j]!] : isContainer(type(r)) ? [classActive(r) && resultAlias(env.module, callee, j) === "fresh" ? shadowInReverse(r) : zeroArray(val(r))] : []));
    const shadows = maskC.filter((i) => isContainer(type(inst.args[i]!))).map((i) => shadowInReverse(inst.args[i]!));
    const scalarIdx = maskC.filter((i) => type(inst.args[i]!) === "f64");
    const outs = B.emit(cur, "call", [...args, ...resBars, ...shadows], [...inst.results.map(type), ...scalarIdx.map(() => "f64" as Type)], { callee: variant, ...ex() });
    scalarIdx.forEach((i, k) => addTo(inst.args[i]!, outs[inst.results.length + k]!));
  }

  // Final block: the primal results and the adjoints of the active parameters.
  cur = finalBlock;
  loc = undefined;
  const acc = finalAcc!;
  const xbars: ValueId[] = mode === "top" ? mask.map((i) => (paramTypes[i] === "f64" ? (acc.get(params[i]!) ?? f64(0)) : shadow[params[i]!]!)) : maskScalars.map((i) => acc.get(params[i]!) ?? f64(0));
  B.ret(cur, [...turnParams, ...xbars]);

  // Prologue: stacks, then jump into the forward sweep.
  cur = prologueEnd;
  if (usesF) B.emitWith(prologue, "stack.new", [], [fstack]);
  if (usesC) B.emitWith(prologue, "stack.new", [], [cstack]);
  if (usesR) B.emitWith(prologue, "stack.new", [], [rstack]);
  if (usesI) B.emitWith(prologue, "stack.new", [], [istack]);
  B.br(prologueEnd, fwd[0]!, entryArgs);

  const order = [prologue, ...dom.rpo.order.map((b) => fwd[b]!), ...Array.from({ length: B.blockCount }, (_, i) => i).filter((i) => i !== prologue && !fwd.includes(i))];
  return B.finish(order);
}

/** `rev-ad{fn=f wrt=0,2}`: adds `f.vjp(x..., ybar...) -> (y..., xbar...)`. */
export const revAd: Pass = {
  name: "rev-ad",
  description: "reverse-mode AD: add f.vjp computing vector-Jacobian products (gradients), loops kept as loops",
  options: [
    { name: "fn", kind: "string", required: true, doc: "the function to differentiate" },
    { name: "wrt", kind: "int-list", doc: "active parameter indices (default: every f64 and f64[] parameter)" },
    { name: "into", kind: "bool", default: false, doc: "also add f.vjp.into, which adds array adjoints into caller-provided arrays" },
  ],
  run(module, ctx) {
    const wrt = ctx.options["wrt"] === undefined ? undefined : ctx.intList("wrt");
    return addVjp(module, { fn: ctx.str("fn"), ...(wrt ? { wrt } : {}), into: ctx.bool("into") });
  },
};
