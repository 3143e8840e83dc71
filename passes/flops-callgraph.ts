// The call-graph order of the flop counter's closed forms: strongly connected
// components of the functions reachable from some roots, callees before
// callers (iterative Tarjan on dense arrays; ir/graph.ts builds the same
// components through graphology, which costs more than the whole analysis of
// a small module). Reads the IR only.

import type { Module } from "../ir/types.js";

/** SCCs (function names) of the functions reachable from `roots` (default:
 * every function), each SCC after every SCC it calls into. */
export function calleeFirstSCCs(module: Module, roots?: readonly string[]): string[][] {
  const funcs = module.funcs;
  const index = new Map<string, number>();
  funcs.forEach((f, i) => {
    if (!index.has(f.name)) index.set(f.name, i);
  });
  const succ = funcs.map((f) => {
    const out = new Set<number>();
    for (const b of f.blocks) for (const inst of b.insts) if (inst.op === "call" && index.has(inst.callee!)) out.add(index.get(inst.callee!)!);
    return [...out];
  });
  const n = funcs.length;
  const order = new Int32Array(n).fill(-1); // Tarjan discovery index
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const out: string[][] = [];
  let counter = 0;
  const starts = roots ? roots.flatMap((r) => (index.has(r) ? [index.get(r)!] : [])) : funcs.map((_, i) => i);
  for (const s of starts) {
    if (order[s] !== -1) continue;
    const work: [number, number][] = [[s, 0]];
    order[s] = low[s] = counter++;
    stack.push(s);
    onStack[s] = 1;
    while (work.length) {
      const top = work[work.length - 1]!;
      const [v, k] = top;
      if (k < succ[v]!.length) {
        top[1] = k + 1;
        const w = succ[v]![k]!;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, order[w]!);
        continue;
      }
      work.pop();
      if (work.length) {
        const u = work[work.length - 1]![0];
        low[u] = Math.min(low[u]!, low[v]!);
      }
      if (low[v] === order[v]) {
        const comp: string[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(funcs[w]!.name);
        } while (w !== v);
        out.push(comp);
      }
    }
  }
  return out;
}
