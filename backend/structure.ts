// Structured control flow from a reducible CFG: Ramsey, "Beyond Relooper:
// recursive translation of unstructured control flow to structured control
// flow" (ICFP 2022). Walking the dominator tree, a block's code is wrapped in
// one labelled block per dominator-tree child that is a merge node (two or
// more forward in-edges), innermost = lowest reverse-post-order number, each
// child's code following its labelled block; a loop header's code is wrapped in
// a loop. A branch is a `continue` (back edge), a `break` to the labelled block
// that a merge node follows, or otherwise the target's code inlined (the target
// then has one in-edge and is a dominator-tree child of the source).
// One change to the paper: blocks that leave a loop are placed after the loop
// (wrapped around it like merge children) and reached by `break`, instead of
// inside it; see `loopExits`.
//
// Labels are named after their target block, so a `break`/`continue` needs no
// context stack: the algorithm guarantees the label encloses the jump.
// The walk uses an explicit task stack, so dominator trees of any depth are
// fine; nesting of the produced syntax beyond `MAX_NESTING` (V8's parser is
// recursive) and irreducible CFGs return `undefined`, and the caller falls
// back to a dispatch loop. Imports only ir/.

import { computeDomTree, computeLoops } from "../ir/cfg.js";
import type { DomTree, LoopInfo } from "../ir/cfg.js";
import type { BlockId, Edge, Func } from "../ir/types.js";
import { termEdges } from "../ir/types.js";

/** A statement of the structured program. Bodies are mutable only while built. */
export type Stmt =
  /** The instructions of a block. */
  | { readonly kind: "code"; readonly block: BlockId }
  /** Block arguments of `edge` (leaving `from`) assigned, then: fall into the
   * target's code that follows, `break` to the labelled block the target
   * follows, or `continue` the loop the target heads. */
  | { readonly kind: "jump"; readonly from: BlockId; readonly edge: Edge; readonly via: "fall" | "break" | "continue" }
  /** A labelled block; leaving it (break or falling off) reaches `follow`'s code. */
  | { readonly kind: "labelled"; readonly follow: BlockId; readonly body: Stmt[] }
  /** An endless loop headed by `header`; `continue` re-enters the header. */
  | { readonly kind: "loop"; readonly header: BlockId; readonly body: Stmt[] }
  /** Two-way branch on the `condbr` condition of `block`. */
  | { readonly kind: "if"; readonly block: BlockId; readonly then: Stmt[]; readonly else: Stmt[] }
  /** The `ret` or `unreachable` terminator of `block`. */
  | { readonly kind: "exit"; readonly block: BlockId };

/** Deepest syntax nesting (labelled blocks, loops, ifs) emitted structurally. */
export const MAX_NESTING = 400;

type Task =
  | { readonly k: "tree"; readonly x: BlockId; readonly out: Stmt[]; readonly depth: number }
  /** Wraps `x`'s code (or, if `loop`, `x`'s loop) in labelled blocks for `follows[i..]`. */
  | { readonly k: "within"; readonly x: BlockId; readonly follows: readonly BlockId[]; readonly i: number; readonly loop: boolean; readonly out: Stmt[]; readonly depth: number };

/** The structured body of `func`, or `undefined` if its CFG is irreducible or
 * the structure would nest deeper than `MAX_NESTING`. Unreachable blocks are dropped. */
export function structure(func: Func, tree: DomTree = computeDomTree(func)): Stmt[] | undefined {
  const loops = computeLoops(func, tree);
  if (loops.irreducible) return undefined;
  const n = func.blocks.length;
  const rpo = tree.rpo.index;
  const isHeader = new Uint8Array(n);
  for (const l of loops.loops) isHeader[l.header] = 1;
  const forwardIn = new Int32Array(n);
  for (const b of tree.rpo.order) for (const e of termEdges(func.blocks[b]!.term)) if (rpo[e.block]! > rpo[b]!) forwardIn[e.block]!++;
  const exitsAfter = loopExits(func, tree, loops);
  const isExit = new Uint8Array(n);
  for (const list of exitsAfter) for (const y of list) isExit[y] = 1;
  // Blocks a branch reaches by `break`: merge nodes and loop exits.
  const isFollow = (b: BlockId): boolean => forwardIn[b]! >= 2 || isExit[b] === 1;
  const byRpoDesc = (a: BlockId, b: BlockId): number => rpo[b]! - rpo[a]!;
  // Merge children placed around x's code, highest RPO number first (outermost).
  const mergeChildren = (x: BlockId): BlockId[] => tree.children[x]!.filter((c) => !isExit[c] && forwardIn[c]! >= 2).sort(byRpoDesc);

  const body: Stmt[] = [];
  const tasks: Task[] = [{ k: "tree", x: 0, out: body, depth: 0 }];
  while (tasks.length) {
    const t = tasks.pop()!;
    if (t.depth > MAX_NESTING) return undefined;
    if (t.k === "tree") {
      const x = t.x;
      if (isHeader[x]) tasks.push({ k: "within", x, follows: exitsAfter[x]!.slice().sort(byRpoDesc), i: 0, loop: true, out: t.out, depth: t.depth });
      else tasks.push({ k: "within", x, follows: mergeChildren(x), i: 0, loop: false, out: t.out, depth: t.depth });
      continue;
    }
    const { x, follows, i, out, depth } = t;
    if (i < follows.length) {
      const y = follows[i]!;
      const inner: Stmt[] = [];
      out.push({ kind: "labelled", follow: y, body: inner });
      tasks.push({ k: "tree", x: y, out, depth });
      tasks.push({ k: "within", x, follows, i: i + 1, loop: t.loop, out: inner, depth: depth + 1 });
      continue;
    }
    if (t.loop) {
      const inner: Stmt[] = [];
      out.push({ kind: "loop", header: x, body: inner });
      tasks.push({ k: "within", x, follows: mergeChildren(x), i: 0, loop: false, out: inner, depth: depth + 1 });
      continue;
    }
    out.push({ kind: "code", block: x });
    const term = func.blocks[x]!.term;
    const branch = (e: Edge, into: Stmt[], d: number): void => {
      if (rpo[e.block]! <= rpo[x]!) into.push({ kind: "jump", from: x, edge: e, via: "continue" });
      else if (isFollow(e.block)) into.push({ kind: "jump", from: x, edge: e, via: "break" });
      else {
        into.push({ kind: "jump", from: x, edge: e, via: "fall" });
        tasks.push({ k: "tree", x: e.block, out: into, depth: d });
      }
    };
    switch (term.kind) {
      case "br":
        branch(term.target, out, depth);
        break;
      case "condbr": {
        const thenBody: Stmt[] = [];
        const elseBody: Stmt[] = [];
        out.push({ kind: "if", block: x, then: thenBody, else: elseBody });
        branch(term.else, elseBody, depth + 1);
        branch(term.then, thenBody, depth + 1);
        break;
      }
      case "ret":
      case "unreachable":
        out.push({ kind: "exit", block: x });
        break;
    }
  }
  return body;
}

/** For each loop header, the blocks to place right after its loop: every
 * block y outside a loop that contains y's immediate dominator goes after
 * the outermost such loop (the header dominates y). Placing them there rather
 * than inside the loop keeps a sequence of loops flat instead of nesting each
 * later loop inside the previous one. */
function loopExits(func: Func, tree: DomTree, info: LoopInfo): BlockId[][] {
  const out: BlockId[][] = func.blocks.map(() => []);
  const contains = (l: number, b: BlockId): boolean => {
    for (let k = info.loopOf[b]!; k !== -1; k = info.loops[k]!.parent) if (k === l) return true;
    return false;
  };
  for (const y of tree.rpo.order) {
    if (y === 0) continue;
    let outer = -1;
    for (let l = info.loopOf[tree.idom[y]!]!; l !== -1; l = info.loops[l]!.parent) if (!contains(l, y)) outer = l;
    if (outer !== -1) out[info.loops[outer]!.header]!.push(y);
  }
  return out;
}

/** Blocks with exactly one in-edge (entry excluded): their parameters can be
 * renamed to the edge's arguments instead of copied, since the edge's source
 * dominates every use. */
export function singleEdgeBlocks(func: Func): Uint8Array {
  const inEdges = new Int32Array(func.blocks.length);
  for (const b of func.blocks) for (const e of termEdges(b.term)) inEdges[e.block]!++;
  return Uint8Array.from(inEdges, (k, b) => (b !== 0 && k === 1 ? 1 : 0));
}
