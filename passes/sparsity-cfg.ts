// CFG facts the sparsity analysis needs at data-dependent branches: the
// immediate post-dominator of each block (where the two sides of a branch
// join), and whether a branch block can come back to itself before reaching
// that join (a loop whose control depends on active data, which is iterated
// to a fixpoint). Post-dominators are dominators of the reversed CFG with a
// virtual exit fed by every `ret` and `unreachable` block (Cooper–Harvey–
// Kennedy, as ir/cfg.ts does forward). Blocks that cannot reach the exit
// (endless loops) are post-dominated by the exit alone. Iterative throughout.
// Imports ir/ only.

import { predecessors, successors } from "../ir/cfg.js";
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
  // Reverse post-order of the reversed graph from the exit.
  const index = new Int32Array(n + 1).fill(-1);
  const post: number[] = [];
  const visited = new Uint8Array(n + 1);
  const next = new Int32Array(n + 1);
  const stack = [exit];
  visited[exit] = 1;
  while (stack.length) {
    const b = stack[stack.length - 1]!;
    const s = rsucc(b);
    if (next[b]! < s.length) {
      const t = s[next[b]!++]!;
      if (!visited[t]) {
        visited[t] = 1;
        stack.push(t);
      }
    } else {
      stack.pop();
      post.push(b);
    }
  }
  const order = post.reverse();
  order.forEach((b, i) => (index[b] = i));
  const idom = new Int32Array(n + 1).fill(-1);
  idom[exit] = exit;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (index[a]! > index[b]!) a = idom[a]!;
      while (index[b]! > index[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = 1; k < order.length; k++) {
      const b = order[k]!;
      let d = -1;
      for (const p of rpred(b)) {
        if (idom[p] === -1) continue;
        d = d === -1 ? p : intersect(p, d);
      }
      if (d !== -1 && idom[b] !== d) {
        idom[b] = d;
        changed = true;
      }
    }
  }
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
