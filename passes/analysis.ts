// The analysis cache of the pass manager: CFG analyses from ir/cfg.ts
// (predecessors, successors, reverse post-order, dominator tree, loops)
// computed on demand and cached per function object in a WeakMap. Functions
// are immutable and a pass that changes one returns a new object, so an entry
// never goes stale: unchanged functions hit, rewritten ones miss. Counts hits
// and misses so tests (and --stats) can see the cache at work.

import type { DomTree, LoopInfo, RPO } from "../ir/cfg.js";
import { computeDomTree, computeLoops, computeRPO, predecessors, successors } from "../ir/cfg.js";
import type { BlockId, Func } from "../ir/types.js";

interface Entry {
  preds?: BlockId[][];
  succs?: BlockId[][];
  rpo?: RPO;
  domTree?: DomTree;
  loops?: LoopInfo;
}

/** Per-function analyses computed on demand. */
export class AnalysisCache {
  private readonly entries = new WeakMap<Func, Entry>();
  /** Analyses served from the cache. */
  hits = 0;
  /** Analyses computed. */
  misses = 0;

  /** Predecessor block ids of every block, one per incoming edge. */
  preds(func: Func): readonly (readonly BlockId[])[] {
    return this.get(func, "preds", () => predecessors(func));
  }

  /** Successor block ids of every block, in edge order. */
  succs(func: Func): readonly (readonly BlockId[])[] {
    return this.get(func, "succs", () => successors(func));
  }

  /** Reverse post-order of the reachable blocks. */
  rpo(func: Func): RPO {
    return this.get(func, "rpo", () => this.domTreeIfCached(func)?.rpo ?? computeRPO(func));
  }

  /** The dominator tree of the reachable blocks. */
  domTree(func: Func): DomTree {
    return this.get(func, "domTree", () => computeDomTree(func));
  }

  /** Natural loops and their nesting. */
  loops(func: Func): LoopInfo {
    return this.get(func, "loops", () => computeLoops(func, this.domTree(func)));
  }

  private domTreeIfCached(func: Func): DomTree | undefined {
    return this.entries.get(func)?.domTree;
  }

  private get<K extends keyof Entry>(func: Func, key: K, compute: () => NonNullable<Entry[K]>): NonNullable<Entry[K]> {
    let entry = this.entries.get(func);
    if (!entry) {
      entry = {};
      this.entries.set(func, entry);
    }
    const cached = entry[key];
    if (cached !== undefined) {
      this.hits++;
      return cached as NonNullable<Entry[K]>;
    }
    this.misses++;
    const value = compute();
    entry[key] = value;
    return value;
  }
}
