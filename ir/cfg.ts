// Control-flow analyses on dense arrays indexed by block id: successors and
// predecessors, reachability, reverse post-order, the dominator tree
// (Cooper, Harvey & Kennedy, "A Simple, Fast Dominance Algorithm", 2001),
// and natural loops with their nesting. All iterative (no recursion), so
// 10^5-block functions are fine. Results are plain data; callers cache them
// per function object (passes/analysis cache). Imports only ir/ modules.

import type { BlockId, Func } from "./types.js";
import { termEdges } from "./types.js";

/** Successor block ids of every block (duplicates kept: `condbr c, ^a, ^a` gives [a, a]). */
export function successors(func: Func): BlockId[][] {
  return func.blocks.map((b) => termEdges(b.term).map((e) => e.block));
}

/** Predecessor block ids of every block, one entry per incoming edge. */
export function predecessors(func: Func): BlockId[][] {
  const preds: BlockId[][] = func.blocks.map(() => []);
  func.blocks.forEach((b, id) => {
    for (const e of termEdges(b.term)) preds[e.block]?.push(id);
  });
  return preds;
}

/** Reverse post-order of the blocks reachable from the entry. */
export interface RPO {
  /** Reachable blocks in reverse post-order (entry first). */
  readonly order: readonly BlockId[];
  /** Position of each block in `order`, or -1 if unreachable. */
  readonly index: Int32Array;
}

/** Iterative DFS from the entry computing reverse post-order. */
export function computeRPO(func: Func): RPO {
  const succ = successors(func);
  return graphRPO(func.blocks.length, 0, (b) => succ[b]!);
}

/** Reverse post-order of the nodes of any graph (nodes 0..n-1) reachable
 * from `root`, by an iterative DFS; used forward here and on the reversed CFG
 * for post-dominators. */
export function graphRPO(n: number, root: number, succ: (b: number) => readonly number[]): RPO {
  const index = new Int32Array(n).fill(-1);
  const post: number[] = [];
  if (n === 0) return { order: [], index };
  const visited = new Uint8Array(n);
  const stack: number[] = [root];
  const next = new Int32Array(n); // next successor to visit per node
  visited[root] = 1;
  while (stack.length) {
    const b = stack[stack.length - 1]!;
    const s = succ(b);
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
  return { order, index };
}

/** Cooper–Harvey–Kennedy on any graph: immediate dominators of the nodes in
 * `rpo` (whose first node is the root, its own idom); -1 for unreached nodes. */
export function graphIdoms(n: number, rpo: RPO, preds: (b: number) => readonly number[]): Int32Array {
  const idom = new Int32Array(n).fill(-1);
  if (rpo.order.length === 0) return idom;
  idom[rpo.order[0]!] = rpo.order[0]!;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (rpo.index[a]! > rpo.index[b]!) a = idom[a]!;
      while (rpo.index[b]! > rpo.index[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = 1; k < rpo.order.length; k++) {
      const b = rpo.order[k]!;
      let d = -1;
      for (const p of preds(b)) {
        if (idom[p] === -1) continue; // unprocessed or unreachable
        d = d === -1 ? p : intersect(p, d);
      }
      if (d !== -1 && idom[b] !== d) {
        idom[b] = d;
        changed = true;
      }
    }
  }
  return idom;
}

/** Blocks reachable from the entry (1) or not (0). */
export function reachable(func: Func): Uint8Array {
  const rpo = computeRPO(func);
  const out = new Uint8Array(func.blocks.length);
  for (const b of rpo.order) out[b] = 1;
  return out;
}

/** The dominator tree of the reachable blocks. */
export interface DomTree {
  /** Immediate dominator of each block (entry: itself; unreachable: -1). */
  readonly idom: Int32Array;
  /** Children in the tree, in RPO order. */
  readonly children: readonly BlockId[][];
  /** Pre-order number and subtree end, for O(1) `dominates`. */
  readonly pre: Int32Array;
  readonly last: Int32Array;
  /** Depth in the tree (entry 0; unreachable -1). */
  readonly depth: Int32Array;
  readonly rpo: RPO;
}

/** Cooper–Harvey–Kennedy: iterate `idom(b) = intersect(processed preds)` over RPO to a fixpoint. */
export function computeDomTree(func: Func): DomTree {
  const n = func.blocks.length;
  const rpo = computeRPO(func);
  const preds = predecessors(func);
  const idom = graphIdoms(n, rpo, (b) => preds[b]!);
  const children: BlockId[][] = func.blocks.map(() => []);
  for (const b of rpo.order) if (b !== 0) children[idom[b]!]!.push(b);
  const pre = new Int32Array(n).fill(-1);
  const last = new Int32Array(n).fill(-1);
  const depth = new Int32Array(n).fill(-1);
  if (n > 0) {
    // Iterative pre-order walk assigning [pre, last] intervals.
    let counter = 0;
    const stack: [BlockId, number][] = [[0, 0]];
    depth[0] = 0;
    pre[0] = counter++;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const [b, i] = top;
      const kids = children[b]!;
      if (i < kids.length) {
        top[1] = i + 1;
        const c = kids[i]!;
        pre[c] = counter++;
        depth[c] = depth[b]! + 1;
        stack.push([c, 0]);
      } else {
        last[b] = counter - 1;
        stack.pop();
      }
    }
  }
  return { idom, children, pre, last, depth, rpo };
}

/** Walks the dominator tree iteratively in pre-order from the entry: `enter(b)`
 * before b's subtree, `leave(b)` after it (scoped tables: add on enter, undo on leave). */
export function walkDomTree(tree: DomTree, enter: (b: BlockId) => void, leave: (b: BlockId) => void): void {
  if (tree.children.length === 0) return;
  const stack: { b: BlockId; next: number }[] = [{ b: 0, next: 0 }];
  enter(0);
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const kids = tree.children[top.b]!;
    if (top.next < kids.length) {
      const c = kids[top.next++]!;
      stack.push({ b: c, next: 0 });
      enter(c);
      continue;
    }
    leave(top.b);
    stack.pop();
  }
}

/** True if block `a` dominates block `b` (reflexive). False if either is unreachable. */
export function dominates(tree: DomTree, a: BlockId, b: BlockId): boolean {
  const pa = tree.pre[a]!;
  const pb = tree.pre[b]!;
  return pa >= 0 && pb >= 0 && pa <= pb && pb <= tree.last[a]!;
}

/** One natural loop. */
export interface Loop {
  readonly header: BlockId;
  /** Blocks of the loop (header included), ascending ids. */
  readonly blocks: readonly BlockId[];
  /** Sources of the back edges into the header. */
  readonly latches: readonly BlockId[];
  /** Index of the innermost enclosing loop in `LoopInfo.loops`, or -1. */
  readonly parent: number;
  /** 1 for outermost loops. */
  readonly depth: number;
}

export interface LoopInfo {
  /** Loops, outer loops before the loops they contain. */
  readonly loops: readonly Loop[];
  /** Innermost loop of each block (index into `loops`), or -1. */
  readonly loopOf: Int32Array;
  /** True if some retreating edge's target does not dominate its source. */
  readonly irreducible: boolean;
  /** Retreating edges that are not back edges ([from, to]). */
  readonly irreducibleEdges: readonly (readonly [BlockId, BlockId])[];
}

/** Natural loops: one per header, the union over its back edges (edges whose
 * target dominates their source) of the blocks that reach a latch without
 * passing the header. Irreducible regions are reported, not turned into loops.
 *
 * Headers are processed innermost first (descending RPO index: an enclosing
 * header dominates, hence precedes, the headers nested in it). The backward
 * walk from the latches collapses every inner loop it meets into one step
 * (union-find over loops, "outermost loop found so far"), continuing from that
 * loop's header: each block is claimed once by its innermost loop, so the
 * walk is linear in the edges apart from the `blocks` lists themselves. */
export function computeLoops(func: Func, tree: DomTree = computeDomTree(func)): LoopInfo {
  const n = func.blocks.length;
  const { index: rpoIndex, order } = tree.rpo;
  const preds = predecessors(func);
  const succ = successors(func);
  const latchesOf: (BlockId[] | undefined)[] = new Array(n);
  const headers: BlockId[] = [];
  const irreducibleEdges: [BlockId, BlockId][] = [];
  for (const b of order) {
    for (const s of succ[b]!) {
      if (rpoIndex[s]! > rpoIndex[b]!) continue;
      if (!dominates(tree, s, b)) {
        irreducibleEdges.push([b, s]);
        continue;
      }
      let l = latchesOf[s];
      if (!l) {
        l = latchesOf[s] = [];
        headers.push(s);
      }
      // Sources come in RPO order, so a repeated latch (`condbr %c, ^h, ^h`) is the last one.
      if (l[l.length - 1] !== b) l.push(b);
    }
  }
  headers.sort((a, b) => rpoIndex[b]! - rpoIndex[a]!); // innermost first

  // Loops numbered in processing order here; renumbered outer-first below.
  const innermost = new Int32Array(n).fill(-1);
  const parent = new Int32Array(headers.length).fill(-1);
  const top = new Int32Array(headers.length); // union-find toward the outermost loop claimed so far
  const find = (l: number): number => {
    let r = l;
    while (top[r] !== r) r = top[r]!;
    while (top[l] !== r) {
      const up = top[l]!;
      top[l] = r;
      l = up;
    }
    return r;
  };
  const work: BlockId[] = [];
  headers.forEach((h, k) => {
    top[k] = k;
    innermost[h] = k;
    for (const l of latchesOf[h]!) if (l !== h) work.push(l);
    while (work.length) {
      const b = work.pop()!;
      const inner = innermost[b]!;
      if (inner === -1) {
        innermost[b] = k;
        for (const p of preds[b]!) if (rpoIndex[p]! >= 0) work.push(p);
        continue;
      }
      const sub = find(inner);
      if (sub === k) continue;
      parent[sub] = k;
      top[sub] = k;
      for (const p of preds[headers[sub]!]!) if (rpoIndex[p]! >= 0) work.push(p);
    }
  });

  // Final numbering: headers in RPO order, so outer loops precede inner ones.
  const count = headers.length;
  const rank = (k: number): number => count - 1 - k;
  const blocks: BlockId[][] = headers.map(() => []);
  for (let b = 0; b < n; b++) {
    for (let k = innermost[b]!; k !== -1; k = parent[k]!) blocks[rank(k)]!.push(b);
  }
  const loops: Loop[] = [];
  for (let r = 0; r < count; r++) {
    const k = rank(r);
    const p = parent[k] === -1 ? -1 : rank(parent[k]!);
    const h = headers[k]!;
    loops.push({ header: h, blocks: blocks[r]!, latches: latchesOf[h]!, parent: p, depth: p === -1 ? 1 : loops[p]!.depth + 1 });
  }
  const loopOf = new Int32Array(n).fill(-1);
  for (let b = 0; b < n; b++) if (innermost[b] !== -1) loopOf[b] = rank(innermost[b]!);
  return { loops, loopOf, irreducible: irreducibleEdges.length > 0, irreducibleEdges };
}
