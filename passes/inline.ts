// `inline`: replaces calls to small or single-call functions by their bodies.
//
// Algorithm: functions are processed bottom-up over the call graph's strongly
// connected components (ir/graph.ts `callSCCs`, callees first), so a callee is
// final before it is copied. Recursive functions (members of a call cycle,
// `recursiveFuncs`) are never inlined, but calls inside them are. A call to
// `@g` is inlined when `g` is not recursive, returns somewhere, and either has
// at most `size` instructions (terminators count) or has exactly one call site
// in the module (`single-use`); and the caller stays within `caller-budget`
// instructions, which keeps hot functions small enough for V8's optimising
// tier (TurboFan stops optimising functions of roughly 60 KB of bytecode and
// an IR instruction costs a few bytes of it).
// Splicing, in a draft of the caller: the block holding the call is cut
// after the call; the callee's entry block continues it, the callee's
// parameters become the call's arguments, the other callee blocks are copied
// (values and blocks renumbered), and each `ret` becomes a `br` to a
// continuation block whose parameters are the call's results and which holds
// the rest of the cut block. With a single `ret` no continuation block is
// made: the rest goes after that `ret`'s block and the results are the
// returned values. Copied blocks and the continuation are scanned too, in
// layout order, so the result does not depend on the order of discovery and a
// second run changes nothing.
// Block names: `<callee>_<block>` and `<callee>_ret`.

import { callSCCs, recursiveFuncs } from "../ir/graph.js";
import type { Func, Inst, Module } from "../ir/types.js";
import type { Draft, DraftBlock } from "./draft.js";
import { addValue, draftTerm, finishDraft, replaceValue, toDraft } from "./draft.js";
import type { Pass, PassContext } from "./pass.js";
import { mapFuncs } from "./pass.js";

/** The `inline` pass. Before/after (`@sq` has a single block):
 * ```
 * func @sq(%a: f64) -> f64 {         func @f(%x: f64) -> f64 {
 * ^entry:                            ^entry:
 *   %m: f64 = mul %a, %a               %m: f64 = mul %x, %x
 *   ret %m                   ->        %y: f64 = add %m, %x
 * }                                    ret %y
 * func @f(%x: f64) -> f64 {          }
 * ^entry:
 *   %s: f64 = call @sq(%x)
 *   %y: f64 = add %s, %x
 *   ret %y
 * }
 * ``` */
export const inline: Pass = {
  name: "inline",
  description: "inline calls to small or single-call non-recursive functions, within a caller size budget",
  options: [
    { name: "size", kind: "int", default: 40, doc: "inline every call to a callee of at most this many instructions" },
    { name: "single-use", kind: "bool", default: true, doc: "also inline a callee of any size at its only call site" },
    { name: "caller-budget", kind: "int", default: 2000, doc: "never grow a caller beyond this many instructions" },
  ],
  run: (module, ctx) => inlineModule(module, ctx),
};

/** Instructions of a function, terminators included. */
function funcSize(func: Func): number {
  let n = 0;
  for (const b of func.blocks) n += b.insts.length + 1;
  return n;
}

/** How much inlining `callee` grows its caller's `funcSize`: the callee's code
 * replaces the call, its blocks past the entry are added, and a single `ret`
 * vanishes while several become branches to a new continuation block. */
function growth(callee: Func): number {
  const rets = callee.blocks.filter((b) => b.term.kind === "ret").length;
  return funcSize(callee) - (rets === 1 ? 2 : 1);
}

interface Policy {
  readonly ctx: PassContext;
  /** Final (already processed) version of each function, by name. */
  readonly done: Map<string, Func>;
  readonly recursive: ReadonlySet<string>;
  readonly callSites: ReadonlyMap<string, number>;
  readonly size: number;
  readonly singleUse: boolean;
  readonly budget: number;
}

function inlineModule(module: Module, ctx: PassContext): Module {
  const callSites = new Map<string, number>();
  for (const f of module.funcs) {
    for (const b of f.blocks) for (const inst of b.insts) if (inst.op === "call") callSites.set(inst.callee!, (callSites.get(inst.callee!) ?? 0) + 1);
  }
  const policy: Policy = {
    ctx,
    done: new Map(),
    recursive: recursiveFuncs(module),
    callSites,
    size: ctx.int("size"),
    singleUse: ctx.bool("single-use"),
    budget: ctx.int("caller-budget"),
  };
  const byName = new Map(module.funcs.map((f) => [f.name, f]));
  for (const scc of callSCCs(module)) {
    for (const name of scc) {
      const f = byName.get(name);
      if (f) policy.done.set(name, inlineInto(f, policy));
    }
  }
  return mapFuncs(module, (f) => policy.done.get(f.name) ?? f);
}

/** The callee to inline at `inst`, if the policy allows it at caller size `callerSize`. */
function calleeToInline(inst: Inst, callerSize: number, p: Policy): Func | undefined {
  if (inst.op !== "call") return undefined;
  const callee = p.done.get(inst.callee!);
  if (!callee || p.recursive.has(callee.name) || !callee.blocks.some((b) => b.term.kind === "ret")) return undefined;
  const size = funcSize(callee);
  if (size > p.size && !(p.singleUse && p.callSites.get(callee.name) === 1)) return undefined;
  if (callerSize + growth(callee) > p.budget) {
    p.ctx.stat("calls kept by the caller budget");
    return undefined;
  }
  return callee;
}

function inlineInto(caller: Func, p: Policy): Func {
  if (!caller.blocks.some((b) => b.insts.some((inst) => inst.op === "call" && p.done.has(inst.callee!)))) return caller;
  let callerSize = funcSize(caller);
  const d = toDraft(caller);
  const followers: number[][] = d.blocks.map(() => []);
  let changed = false;
  // Blocks to scan, in layout order (a stack: next block on top).
  const work: { block: number; start: number }[] = d.blocks.map((_, b) => ({ block: d.blocks.length - 1 - b, start: 0 }));
  while (work.length) {
    const { block, start } = work.pop()!;
    for (let k = start; k < d.blocks[block]!.insts.length; k++) {
      const inst = d.blocks[block]!.insts[k]!;
      const callee = calleeToInline(inst, callerSize, p);
      if (!callee || !p.ctx.allowRewrite()) continue;
      p.ctx.stat("calls inlined");
      callerSize += growth(callee);
      changed = true;
      const next = splice(d, block, k, callee, followers);
      for (let i = next.length - 1; i >= 0; i--) work.push(next[i]!);
      k--; // the callee's entry code now starts at k
    }
  }
  if (!changed) return caller;
  // Layout: each block followed by the blocks spliced in after it, recursively.
  const order: number[] = [];
  const stack = caller.blocks.map((_, b) => caller.blocks.length - 1 - b);
  while (stack.length) {
    const b = stack.pop()!;
    order.push(b);
    for (let i = followers[b]!.length - 1; i >= 0; i--) stack.push(followers[b]![i]!);
  }
  return finishDraft(d, order);
}

/** Inlines `callee` at instruction `k` of block `b`; returns the new blocks
 * that hold code to scan, in layout order. */
function splice(d: Draft, b: number, k: number, callee: Func, followers: number[][]): { block: number; start: number }[] {
  const blk = d.blocks[b]!;
  const call = blk.insts[k]!;
  const rest = blk.insts.slice(k + 1);
  const after = blk.term;
  blk.insts = blk.insts.slice(0, k);

  const base = d.values.length;
  for (const info of callee.values) addValue(d, info);
  const V = (v: number): number => base + v;
  callee.blocks[0]!.params.forEach((p, i) => replaceValue(d, V(p), call.args[i]!));

  const label = (j: number): string => `${callee.name}_${callee.blocks[j]!.name ?? `bb${j}`}`;
  const B = callee.blocks.map((cb, j) => {
    if (j === 0) return b;
    const nb: DraftBlock = { name: label(j), params: cb.params.map(V), insts: [], term: { kind: "unreachable" }, live: true };
    d.blocks.push(nb);
    return d.blocks.length - 1;
  });
  const rets = callee.blocks.flatMap((cb, j) => (cb.term.kind === "ret" ? [j] : []));
  let cont = -1;
  if (rets.length > 1) {
    d.blocks.push({ name: `${callee.name}_ret`, params: call.results.slice(), insts: rest, term: after, live: true });
    cont = d.blocks.length - 1;
  }

  callee.blocks.forEach((cb, j) => {
    const target = d.blocks[B[j]!]!;
    for (const inst of cb.insts) target.insts.push({ ...inst, args: inst.args.map(V), results: inst.results.map(V) });
    const term = draftTerm(cb.term);
    if (term.kind === "br") term.target = { block: B[term.target.block]!, args: term.target.args.map(V) };
    if (term.kind === "condbr") {
      term.cond = V(term.cond);
      term.then = { block: B[term.then.block]!, args: term.then.args.map(V) };
      term.else = { block: B[term.else.block]!, args: term.else.args.map(V) };
    }
    if (term.kind !== "ret") {
      target.term = term;
    } else if (cont >= 0) {
      target.term = term.loc ? { kind: "br", target: { block: cont, args: term.values.map(V) }, loc: term.loc } : { kind: "br", target: { block: cont, args: term.values.map(V) } };
    } else {
      // The only return: the rest of the cut block continues right here.
      call.results.forEach((r, i) => replaceValue(d, r, V(term.values[i]!)));
      for (const inst of rest) target.insts.push(inst);
      target.term = after;
    }
  });

  const added = B.slice(1);
  if (cont >= 0) added.push(cont);
  followers[b] = [...added, ...followers[b]!];
  for (const nb of added) followers[nb] = [];
  return added.map((nb) => ({ block: nb, start: 0 }));
}
