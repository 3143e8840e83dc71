// CFG analyses: RPO, dominator trees and natural loops on hand-worked
// reducible and irreducible CFGs, unreachable blocks, random CFGs against a
// naive reference (set-based dominators, per-back-edge loop bodies), and large
// inputs that would break recursive or quadratic algorithms.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FuncBuilder } from "../../ir/builder.js";
import { computeDomTree, computeLoops, computeRPO, dominates, predecessors, reachable, successors, walkDomTree, type LoopInfo } from "../../ir/cfg.js";
import type { Func } from "../../ir/types.js";

/** A function whose block `b` branches to `succs[b]` (none: ret; one: br;
 * two: condbr on the entry parameter). Only the shape matters here. */
function cfg(succs: readonly (readonly number[])[]): Func {
  const fb = new FuncBuilder("g", []);
  for (let b = 0; b < succs.length; b++) fb.addBlock();
  const c = fb.addParam(0, "bool", "c");
  succs.forEach((s, b) => {
    if (s.length === 0) fb.ret(b, []);
    else if (s.length === 1) fb.br(b, s[0]!);
    else fb.condbr(b, c, s[0]!, [], s[1]!, []);
  });
  return fb.finish();
}

/** Loops as comparable records (latches sorted: their order is not specified). */
function loopsOf(info: LoopInfo): { header: number; blocks: number[]; latches: number[]; parent: number; depth: number }[] {
  return info.loops.map((l) => ({ header: l.header, blocks: [...l.blocks], latches: [...l.latches].sort((a, b) => a - b), parent: l.parent, depth: l.depth }));
}

describe("hand-worked CFGs", () => {
  it("diamond", () => {
    const f = cfg([[1, 2], [3], [3], []]);
    expect(successors(f)).toEqual([[1, 2], [3], [3], []]);
    expect(predecessors(f)).toEqual([[], [0], [0], [1, 2]]);
    expect([...computeRPO(f).order]).toEqual([0, 2, 1, 3]);
    const t = computeDomTree(f);
    expect([...t.idom]).toEqual([0, 0, 0, 0]);
    expect(t.children).toEqual([[2, 1, 3], [], [], []]);
    expect([...t.depth]).toEqual([0, 1, 1, 1]);
    expect(dominates(t, 1, 3)).toBe(false);
    expect(dominates(t, 0, 3)).toBe(true);
    expect(dominates(t, 3, 3)).toBe(true);
    expect(computeLoops(f).loops).toEqual([]);
  });

  it("nested loops", () => {
    // 1 = outer header (latch 5), 3 = inner header (latch 4), 6 = exit.
    const f = cfg([[1], [2, 6], [3], [4, 5], [3], [1], []]);
    expect([...computeRPO(f).order]).toEqual([0, 1, 6, 2, 3, 5, 4]);
    const t = computeDomTree(f);
    expect([...t.idom]).toEqual([0, 0, 1, 2, 3, 3, 1]);
    expect([...t.depth]).toEqual([0, 1, 2, 3, 4, 4, 2]);
    expect(dominates(t, 2, 5)).toBe(true);
    expect(dominates(t, 4, 5)).toBe(false);
    const info = computeLoops(f, t);
    expect(loopsOf(info)).toEqual([
      { header: 1, blocks: [1, 2, 3, 4, 5], latches: [5], parent: -1, depth: 1 },
      { header: 3, blocks: [3, 4], latches: [4], parent: 0, depth: 2 },
    ]);
    expect([...info.loopOf]).toEqual([-1, 0, 0, 1, 1, 0, -1]);
    expect(info.irreducible).toBe(false);
  });

  it("walkDomTree enters each reachable block once, in pre-order, and leaves it after its subtree", () => {
    const f = cfg([[1], [2, 6], [3], [4, 5], [3], [1], [], [6]]); // nested loops; block 7 unreachable
    const events: string[] = [];
    walkDomTree(computeDomTree(f), (b) => events.push(`+${b}`), (b) => events.push(`-${b}`));
    expect(events.join(" ")).toBe("+0 +1 +6 -6 +2 +3 +5 -5 +4 -4 -3 -2 -1 -0"); // children in RPO order
  });

  it("a loop with two latches", () => {
    const f = cfg([[1], [2, 5], [3, 4], [1], [1], []]);
    const t = computeDomTree(f);
    expect([...t.idom]).toEqual([0, 0, 1, 2, 2, 1]);
    expect(loopsOf(computeLoops(f, t))).toEqual([{ header: 1, blocks: [1, 2, 3, 4], latches: [3, 4], parent: -1, depth: 1 }]);
  });

  it("a loop with breaks", () => {
    // while (1) { if (2) break; if (3) break; 4 } -> 5
    const f = cfg([[1], [2, 5], [5, 3], [4, 5], [1], []]);
    const t = computeDomTree(f);
    expect([...t.idom]).toEqual([0, 0, 1, 2, 3, 1]);
    const info = computeLoops(f, t);
    expect(loopsOf(info)).toEqual([{ header: 1, blocks: [1, 2, 3, 4], latches: [4], parent: -1, depth: 1 }]);
    expect([...info.loopOf]).toEqual([-1, 0, 0, 0, 0, -1]);
  });

  it("an inner loop whose body continues the outer loop and breaks to its latch", () => {
    // Outer header 1 (latches 4 and 6), inner header 3 (latch 5); 4 -> 1 is `continue outer`.
    const f = cfg([[1], [2, 7], [3], [4, 6], [5, 1], [3, 6], [1], []]);
    const t = computeDomTree(f);
    expect([...t.idom]).toEqual([0, 0, 1, 2, 3, 4, 3, 1]);
    const info = computeLoops(f, t);
    expect(loopsOf(info)).toEqual([
      { header: 1, blocks: [1, 2, 3, 4, 5, 6], latches: [4, 6], parent: -1, depth: 1 },
      { header: 3, blocks: [3, 4, 5], latches: [5], parent: 0, depth: 2 },
    ]);
    expect([...info.loopOf]).toEqual([-1, 0, 0, 1, 1, 1, 0, -1]);
  });

  it("early exits", () => {
    const f = cfg([[1, 4], [2, 4], [3, 4], [], []]);
    const t = computeDomTree(f);
    expect([...t.idom]).toEqual([0, 0, 1, 2, 0]);
    expect(t.children).toEqual([[1, 4], [2], [3], [], []]);
    expect(computeLoops(f, t).loops).toEqual([]);
  });

  it("a self-loop and a repeated edge count one latch", () => {
    const f = cfg([[1], [1, 1]]);
    expect(successors(f)).toEqual([[1], [1, 1]]);
    expect(predecessors(f)).toEqual([[], [0, 1, 1]]);
    expect(loopsOf(computeLoops(f))).toEqual([{ header: 1, blocks: [1], latches: [1], parent: -1, depth: 1 }]);
  });

  it("a two-entry loop is irreducible and not a natural loop", () => {
    const f = cfg([[1, 2], [2], [1, 3], []]);
    const t = computeDomTree(f);
    expect([...computeRPO(f).order]).toEqual([0, 1, 2, 3]);
    expect([...t.idom]).toEqual([0, 0, 0, 2]);
    const info = computeLoops(f, t);
    expect(info.loops).toEqual([]);
    expect(info.irreducible).toBe(true);
    expect(info.irreducibleEdges).toEqual([[2, 1]]);
  });

  it("an irreducible region inside a natural loop", () => {
    // 3 <-> 4 entered from 2 at both ends; 4 -> 1 is the outer back edge.
    const f = cfg([[1], [2, 5], [3, 4], [4], [3, 1], []]);
    const t = computeDomTree(f);
    expect([...t.idom]).toEqual([0, 0, 1, 2, 2, 1]);
    const info = computeLoops(f, t);
    expect(loopsOf(info)).toEqual([{ header: 1, blocks: [1, 2, 3, 4], latches: [4], parent: -1, depth: 1 }]);
    expect(info.irreducibleEdges).toEqual([[4, 3]]);
  });

  it("unreachable blocks: no RPO index, no idom, dominate nothing, join no loop", () => {
    // 2 <-> 3 is a dead loop; 4 is a dead predecessor of the latch 5 of the live loop at 1.
    const f = cfg([[1], [5, 6], [3], [2], [5], [1], []]);
    const rpo = computeRPO(f);
    expect([...rpo.order]).toEqual([0, 1, 6, 5]);
    expect([...rpo.index]).toEqual([0, 1, -1, -1, -1, 3, 2]);
    expect([...reachable(f)]).toEqual([1, 1, 0, 0, 0, 1, 1]);
    const t = computeDomTree(f);
    expect([...t.idom]).toEqual([0, 0, -1, -1, -1, 1, 1]);
    expect([...t.depth]).toEqual([0, 1, -1, -1, -1, 2, 2]);
    expect(dominates(t, 2, 2)).toBe(false);
    expect(dominates(t, 0, 3)).toBe(false);
    expect(loopsOf(computeLoops(f, t))).toEqual([{ header: 1, blocks: [1, 5], latches: [5], parent: -1, depth: 1 }]);
  });
});

// --- a naive reference on random CFGs ---

/** Dominator sets by the textbook data-flow iteration (reachable blocks only). */
function naiveDominators(succs: readonly (readonly number[])[]): (Set<number> | undefined)[] {
  const n = succs.length;
  const live = new Set<number>([0]);
  const work = [0];
  while (work.length) {
    for (const s of succs[work.pop()!]!) {
      if (live.has(s)) continue;
      live.add(s);
      work.push(s);
    }
  }
  const preds: number[][] = succs.map(() => []);
  succs.forEach((s, b) => s.forEach((t) => preds[t]!.push(b)));
  const dom = succs.map((_, b) => (live.has(b) ? new Set(b === 0 ? [0] : [...live]) : undefined));
  for (let changed = true; changed; ) {
    changed = false;
    for (let b = 1; b < n; b++) {
      if (!live.has(b)) continue;
      const ps = preds[b]!.filter((p) => live.has(p));
      const next = new Set([...live].filter((d) => ps.every((p) => dom[p]!.has(d))));
      next.add(b);
      // Sets only shrink, so a size change is a change.
      if (next.size !== dom[b]!.size) {
        dom[b] = next;
        changed = true;
      }
    }
  }
  return dom;
}

function naiveLoops(succs: readonly (readonly number[])[], dom: readonly (Set<number> | undefined)[]) {
  const preds: number[][] = succs.map(() => []);
  succs.forEach((s, b) => s.forEach((t) => preds[t]!.push(b)));
  const byHeader = new Map<number, { body: Set<number>; latches: Set<number> }>();
  succs.forEach((s, b) => {
    if (!dom[b]) return;
    for (const h of s) {
      if (!dom[b]!.has(h)) continue;
      const loop = byHeader.get(h) ?? { body: new Set([h]), latches: new Set<number>() };
      byHeader.set(h, loop);
      loop.latches.add(b);
      const work = [b];
      while (work.length) {
        const x = work.pop()!;
        if (loop.body.has(x) || !dom[x]) continue;
        loop.body.add(x);
        work.push(...preds[x]!);
      }
    }
  });
  const loops = [...byHeader].map(([header, l]) => ({ header, blocks: [...l.body].sort((a, b) => a - b), latches: [...l.latches].sort((a, b) => a - b) }));
  const smallestContaining = (b: number, except?: number) =>
    loops.filter((l) => l.header !== except && l.blocks.includes(b)).sort((x, y) => x.blocks.length - y.blocks.length)[0]?.header ?? -1;
  const parentOf = new Map(loops.map((l) => [l.header, smallestContaining(l.header, l.header)]));
  const depth = (h: number): number => (h === -1 ? 0 : 1 + depth(parentOf.get(h)!));
  return {
    loops: loops.map((l) => ({ ...l, parent: parentOf.get(l.header)!, depth: depth(l.header) })).sort((x, y) => x.header - y.header),
    innermost: succs.map((_, b) => smallestContaining(b)),
  };
}

const arbCfg = fc
  .integer({ min: 1, max: 14 })
  .chain((n) => fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 2 }), { minLength: n, maxLength: n }));

describe("random CFGs against a naive reference", () => {
  it("dominator trees, dominates and natural loops agree", () => {
    fc.assert(
      fc.property(arbCfg, (succs) => {
        const f = cfg(succs);
        const t = computeDomTree(f);
        const dom = naiveDominators(succs);
        succs.forEach((_, b) => {
          const ds = dom[b];
          if (!ds) return expect(t.idom[b]).toBe(-1);
          succs.forEach((__, a) => expect(dominates(t, a, b)).toBe(ds.has(a)));
          // idom: the strict dominator that every other strict dominator dominates.
          const strict = [...ds].filter((d) => d !== b);
          const idom = b === 0 ? 0 : strict.find((d) => strict.every((e) => dom[d]!.has(e)));
          expect(t.idom[b]).toBe(idom);
        });
        const info = computeLoops(f, t);
        const ref = naiveLoops(succs, dom);
        const got = loopsOf(info).map((l) => ({ ...l, parent: l.parent === -1 ? -1 : info.loops[l.parent]!.header }));
        expect(got.sort((x, y) => x.header - y.header)).toEqual(ref.loops);
        expect([...info.loopOf].map((k) => (k === -1 ? -1 : info.loops[k]!.header))).toEqual(ref.innermost);
        // Outer loops come before the loops they contain.
        info.loops.forEach((l, k) => expect(l.parent).toBeLessThan(k));
      }),
      { numRuns: 400 },
    );
  });
});

describe("large inputs", () => {
  it("a 10^4-block chain", () => {
    const n = 10_000;
    const f = cfg(Array.from({ length: n }, (_, b) => (b + 1 < n ? [b + 1] : [])));
    const t = computeDomTree(f);
    expect(t.rpo.order).toHaveLength(n);
    expect(t.depth[n - 1]).toBe(n - 1);
    expect(t.idom[n - 1]).toBe(n - 2);
    expect(dominates(t, 0, n - 1)).toBe(true);
    expect(dominates(t, n - 1, 0)).toBe(false);
    expect(computeLoops(f, t).loops).toEqual([]);
  });

  it("10^4 sequential loops", () => {
    // Loop k: header 1 + 2k -> body 2 + 2k -> header; the header exits to the next loop.
    const k = 10_000;
    const succs: number[][] = [[1]];
    for (let i = 0; i < k; i++) succs.push([2 + 2 * i, 3 + 2 * i], [1 + 2 * i]);
    succs.push([]);
    const info = computeLoops(cfg(succs));
    expect(loopsOf(info)).toEqual(Array.from({ length: k }, (_, i) => ({ header: 1 + 2 * i, blocks: [1 + 2 * i, 2 + 2 * i], latches: [2 + 2 * i], parent: -1, depth: 1 })));
  });

  it("50 and 1000 nested loops", () => {
    for (const depth of [50, 1000]) {
      // Headers h_k = k (k = 1..depth), innermost body depth + 1, exits x_k = depth + 1 + k;
      // x_k is the latch of loop k - 1 (x_1 returns).
      const succs: number[][] = [[1]];
      for (let k = 1; k <= depth; k++) succs.push([k < depth ? k + 1 : depth + 1, depth + 1 + k]);
      succs.push([depth]);
      for (let k = 1; k <= depth; k++) succs.push(k === 1 ? [] : [k - 1]);
      const info = computeLoops(cfg(succs));
      expect(info.loops.map((l) => [l.header, l.depth, l.parent, l.blocks.length])).toEqual(Array.from({ length: depth }, (_, i) => [i + 1, i + 1, i - 1, 2 * (depth - i)]));
      expect(info.loopOf[depth + 1]).toBe(depth - 1);
      expect(info.loops[depth - 1]!.blocks).toEqual([depth, depth + 1]);
    }
  });
});
