// `dce`: dead-code elimination.
//
// Algorithm (per function, "mark live, sweep the rest", so dead cycles such as
// a loop parameter only feeding itself die too):
//   1. blocks unreachable from the entry are removed (all of them as one rewrite);
//   2. roots: every non-pure instruction (it may trap, write memory, call) but
//      `stack.new` (it cannot trap; it is not pure only so that CSE never
//      merges two stacks, so an unused one dies), every
//      terminator's condition and returned values, and the function's own
//      parameters; a worklist then marks live the operands of live
//      instructions and, for a live block parameter, the argument bound to it
//      on every incoming edge;
//   3. pure instructions with no live result are deleted, and so are block
//      parameters that are not live, together with their argument on every
//      edge (entry-block parameters are the signature and stay).
// With `funcs=true keep=f,g`, it first deletes every function that cannot be
// reached through calls from the functions named in `keep` (externs stay),
// all of them as one rewrite.
// Debug counter: each deletion asks `ctx.allowRewrite()`, users before
// definitions (reverse layout); after the first refusal every remaining dead
// item is kept, and so is whatever the kept items use. Linear in the size of
// the function. Idempotent: after a run everything left is live.

import { assert } from "../ir/errors.js";
import { isPure } from "../ir/ops.js";
import type { Func, Module, ValueId } from "../ir/types.js";
import { termUses } from "../ir/types.js";
import type { DraftEdge } from "./draft.js";
import { draftEdges, finishDraft, toDraft } from "./draft.js";
import type { Pass, PassContext } from "./pass.js";
import { mapFuncs } from "./pass.js";
import { didYouMean } from "./suggest.js";

/** The `dce` pass. Before/after:
 * ```
 * ^entry:                                ^entry:
 *   %s: f64 = sin %x                       br ^loop(%x)
 *   br ^loop(%x, %s)            ->       ^loop(%a: f64):
 * ^loop(%a: f64, %u: f64):                 ...
 *   %u1: f64 = add %u, %a                  br ^loop(%a1)
 *   ...
 *   br ^loop(%a1, %u1)
 * ```
 * (`%u` only feeds itself around the loop, so it dies with `%s` and `%u1`.) */
export const dce: Pass = {
  name: "dce",
  description: "delete dead pure instructions, unused block parameters, unreachable blocks (and uncalled functions with funcs=true)",
  options: [
    { name: "funcs", kind: "bool", default: false, doc: "also delete functions not reachable through calls from `keep`" },
    { name: "keep", kind: "string-list", default: [], doc: "the root functions for funcs=true (required with it)" },
  ],
  run: (module, ctx) => {
    if (!ctx.bool("funcs") && ctx.strList("keep").length) throw ctx.optionError("keep= only applies with funcs=true");
    const pruned = ctx.bool("funcs") ? removeUncalled(module, ctx) : module;
    return mapFuncs(pruned, (func) => dceFunc(func, ctx));
  },
};

/** Deletes functions unreachable in the call graph from `keep`. */
function removeUncalled(module: Module, ctx: PassContext): Module {
  const keep = ctx.strList("keep");
  if (keep.length === 0) throw ctx.optionError("funcs=true needs keep=<functions>: the roots whose callees stay");
  const byName = new Map(module.funcs.map((f) => [f.name, f]));
  for (const k of keep) {
    if (!byName.has(k)) throw ctx.optionError(`keep: no function @${k} in the module${didYouMean(k, [...byName.keys()])}`);
  }
  const reached = new Set<string>(keep);
  const work = [...keep];
  while (work.length) {
    const f = byName.get(work.pop()!)!;
    for (const b of f.blocks) {
      for (const inst of b.insts) {
        if (inst.op === "call" && byName.has(inst.callee!) && !reached.has(inst.callee!)) {
          reached.add(inst.callee!);
          work.push(inst.callee!);
        }
      }
    }
  }
  // One rewrite for all of them, so a budget never keeps a caller of a deleted function.
  const funcs = module.funcs.filter((f) => reached.has(f.name));
  if (funcs.length === module.funcs.length || !ctx.allowRewrite()) return module;
  ctx.stat("functions removed", module.funcs.length - funcs.length);
  return { ...module, funcs };
}

function dceFunc(func: Func, ctx: PassContext): Func {
  const reachable = new Uint8Array(func.blocks.length);
  for (const b of ctx.analyses.rpo(func).order) reachable[b] = 1;
  const d = toDraft(func);
  let changed = false;
  // All unreachable blocks go as one rewrite, so a budget never keeps a block
  // that branches to a deleted one.
  const unreachable = d.blocks.filter((_, b) => !reachable[b]);
  if (unreachable.length && ctx.allowRewrite()) {
    for (const blk of unreachable) blk.live = false;
    changed = true;
    ctx.stat("unreachable blocks removed", unreachable.length);
  }

  // Where each value is defined: block, and instruction index (-1 - i for parameter i).
  const nv = func.values.length;
  const siteBlock = new Int32Array(nv).fill(-1);
  const siteAt = new Int32Array(nv);
  const incoming: DraftEdge[][] = d.blocks.map(() => []);
  d.blocks.forEach((blk, b) => {
    if (!blk.live) return;
    blk.params.forEach((p, i) => ((siteBlock[p] = b), (siteAt[p] = -1 - i)));
    blk.insts.forEach((inst, k) => inst.results.forEach((r) => ((siteBlock[r] = b), (siteAt[r] = k))));
    for (const e of draftEdges(blk.term)) incoming[e.block]!.push(e);
  });

  // Marking: a live value makes its definition live (instruction operands, or
  // the arguments bound to a parameter on every incoming edge).
  const live = new Uint8Array(nv);
  // Per-instruction flags, flat: instruction k of block b is at base[b] + k.
  const base = new Int32Array(d.blocks.length + 1);
  d.blocks.forEach((blk, b) => (base[b + 1] = base[b]! + blk.insts.length));
  const liveInst = new Uint8Array(base[d.blocks.length]!);
  const deadInst = new Uint8Array(liveInst.length);
  const work: ValueId[] = [];
  const markValue = (v: ValueId): void => {
    if (!live[v]) {
      live[v] = 1;
      work.push(v);
    }
  };
  const markInst = (b: number, k: number): void => {
    if (liveInst[base[b]! + k]) return;
    liveInst[base[b]! + k] = 1;
    const inst = d.blocks[b]!.insts[k]!;
    inst.results.forEach(markValue);
    inst.args.forEach(markValue);
  };
  const propagate = (): void => {
    while (work.length) {
      const v = work.pop()!;
      const b = siteBlock[v]!;
      const at = siteAt[v]!;
      assert(b >= 0, `dce: %${v} of @${func.name} is used but not defined in live code`);
      if (at >= 0) markInst(b, at);
      else if (b !== 0) for (const e of incoming[b]!) markValue(e.args[-1 - at]!);
    }
  };
  d.blocks.forEach((blk, b) => {
    if (!blk.live) return;
    const all = !reachable[b]; // a kept unreachable block keeps everything it has
    blk.insts.forEach((inst, k) => {
      if (all || !(isPure(inst.op) || inst.op === "stack.new")) markInst(b, k);
    });
    if (b === 0 || all) blk.params.forEach(markValue);
    const t = blk.term;
    if (t.kind === "condbr") markValue(t.cond);
    if (t.kind === "ret") t.values.forEach(markValue);
    if (all) termUses(t).forEach(markValue);
  });
  propagate();

  // Sweep, users before definitions, asking the debug counter per deletion.
  let refused = false;
  const sweep = (alive: boolean, keep: () => void): boolean => {
    if (alive) return false;
    if (!refused && ctx.allowRewrite()) return true;
    refused = true;
    keep();
    return false;
  };
  const deadParam = new Uint8Array(nv);
  for (let b = d.blocks.length - 1; b >= 0; b--) {
    const blk = d.blocks[b]!;
    if (!blk.live) continue;
    for (let k = blk.insts.length - 1; k >= 0; k--) if (sweep(liveInst[base[b]! + k] === 1, () => markInst(b, k))) deadInst[base[b]! + k] = 1;
    if (b === 0) continue;
    for (const p of blk.params) if (sweep(live[p] === 1, () => markValue(p))) deadParam[p] = 1;
  }
  propagate(); // what the refused deletions keep

  let removedInsts = 0;
  let removedParams = 0;
  d.blocks.forEach((blk, b) => {
    if (!blk.live) return;
    const insts = blk.insts.filter((_, k) => !(deadInst[base[b]! + k] && !liveInst[base[b]! + k]));
    removedInsts += blk.insts.length - insts.length;
    blk.insts = insts;
    if (b === 0) return;
    const keepParam = blk.params.map((p) => !(deadParam[p] && !live[p]));
    if (keepParam.every(Boolean)) return;
    removedParams += keepParam.filter((k) => !k).length;
    blk.params = blk.params.filter((_, i) => keepParam[i]);
    for (const e of incoming[b]!) e.args = e.args.filter((_, i) => keepParam[i]);
  });
  if (removedInsts) ctx.stat("instructions removed", removedInsts);
  if (removedParams) ctx.stat("block parameters removed", removedParams);
  return changed || removedInsts || removedParams ? finishDraft(d) : func;
}
