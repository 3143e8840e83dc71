// CFG facts the sparsity analysis needs at data-dependent branches: the
// immediate post-dominator of each block (where the two sides of a branch
// join), and whether a branch block can come back to itself before reaching
// that join (a loop whose control depends on active data, which is iterated
// to a fixpoint). Post-dominators are dominators of the reversed CFG with a
// virtual exit fed by every `ret` and `unreachable` block (Cooper–Harvey–
// Kennedy, as ir/cfg.ts does forward). Blocks that cannot reach the exit
// (endless loops) are post-dominated by the exit alone. Iterative throughout.
// Imports ir/ only.

import { graphIdoms, graphRPO, predecessors, successors } from "../ir/cfg.js";
import type { BlockId, Func } from "../ir/types.js";

/** The virtual exit block (a post-dominator meaning "the function returns"). */
export const EXIT = -1;

/** Immediate post-dominator of every block (EXIT for the virtual exit). */
export function computeIpdom(func: Func): Int32Array {
  const n = func.blocks.length;
  const exit = n;
  const succ = successors(func);
  const preds = predecessors(func);
  const exits = func.blocks.flatMap((b, id) => (b.term.kind === "ret" || b.term.kind === "unreachable" ? [id] : []));
  // Reverse graph: exit -> exit blocks, b -> preds(b). Its predecessors: succ(b) (+ exit).
  const rsucc = (b: number): readonly number[] => (b === exit ? exits : preds[b]!);
  const rpred = (b: number): readonly number[] => {
    const t = func.blocks[b]!.term.kind;
    return t === "ret" || t === "unreachable" ? [...succ[b]!, exit] : succ[b]!;
  };
  // Dominators of the reversed graph, rooted at the virtual exit.
  const idom = graphIdoms(n + 1, graphRPO(n + 1, exit, rsucc), rpred);
  const out = new Int32Array(n);
  for (let b = 0; b < n; b++) out[b] = idom[b] === -1 || idom[b] === exit ? EXIT : idom[b]!;
  return out;
}

/** True if some path leaves `b` and comes back to `b` without passing `join`. */
export function reentersBefore(succ: readonly (readonly BlockId[])[], b: BlockId, join: BlockId): boolean {
  const seen = new Uint8Array(succ.length);
  const work = [...succ[b]!];
  while (work.length) {
    const t = work.pop()!;
    if (t === b) return true;
    if (t === join || seen[t]) continue;
    seen[t] = 1;
    for (const s of succ[t]!) work.push(s);
  }
  return false;
}
