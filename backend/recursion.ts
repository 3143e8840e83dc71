// Which functions can recurse: those that reach a cycle of the call graph.
// Only their boundary wrappers need the try/catch that turns a JS stack
// overflow into E_RUNTIME_TOO_DEEP; a try/catch around an inlined hot loop
// costs V8 15-20 % (measured on T1), and a call chain without a cycle is
// as deep as the call graph at most. (A cycle through an extern that calls a
// compiled function back is not seen here.) Reads the IR only.

import type { Module } from "../ir/types.js";

/** For each function of `module` (in order): true if a call from it can reach
 * a cycle of calls (itself included). The complement is found by peeling:
 * a function is acyclic once every function it calls is. */
export function mayRecurse(module: Module): boolean[] {
  const index = new Map(module.funcs.map((f, k) => [f.name, k]));
  const callees = module.funcs.map((f) => {
    const out = new Set<number>();
    for (const b of f.blocks) for (const inst of b.insts) if (inst.op === "call") out.add(index.get(inst.callee!)!);
    return [...out];
  });
  const acyclic = module.funcs.map(() => false);
  for (let changed = true; changed; ) {
    changed = false;
    callees.forEach((cs, k) => {
      if (!acyclic[k] && cs.every((c) => acyclic[c])) {
        acyclic[k] = true;
        changed = true;
      }
    });
  }
  return acyclic.map((a) => !a);
}
