// Which array accesses need no bounds check of their own: those dominated by
// a checked access to the same index of an array of the same length. Arrays
// never change length, so once `a[i]` did not trap, `b[i]` cannot either when
// `b` was made as `array.new (array.len a), v` or `array.copy a` (transitively)
// and `i` is the same SSA value. Walks the dominator tree with a scoped set.
// Reads the IR only; used by the function emitter (emit-func.ts).

import { type DomTree, walkDomTree } from "../ir/cfg.js";
import type { Func, Inst, ValueId } from "../ir/types.js";

/** The `array.get` / `array.set` instructions of `func` whose bounds check is implied by a dominating one. */
export function provenAccesses(func: Func, tree: DomTree): Set<Inst> {
  // Length classes: an array made from another's length (or copied) shares its class.
  const defs = new Map<ValueId, Inst>();
  for (const block of func.blocks) for (const inst of block.insts) for (const r of inst.results) defs.set(r, inst);
  const lengthClass = (a: ValueId): ValueId => {
    for (let steps = 0; steps < 64; steps++) {
      const d = defs.get(a);
      if (d?.op === "array.copy") a = d.args[0]!;
      else if (d?.op === "array.new" && defs.get(d.args[0]!)?.op === "array.len") a = defs.get(d.args[0]!)!.args[0]!;
      else break;
    }
    return a;
  };
  const proven = new Set<Inst>();
  const known = new Set<string>();
  const added: string[] = [];
  const marks: number[] = [];
  const enter = (b: number): void => {
    marks.push(added.length);
    for (const inst of func.blocks[b]!.insts) {
      if (inst.op !== "array.get" && inst.op !== "array.set") continue;
      const key = `${lengthClass(inst.args[0]!)},${inst.args[1]!}`;
      if (known.has(key)) proven.add(inst);
      else {
        known.add(key);
        added.push(key);
      }
    }
  };
  walkDomTree(tree, enter, () => {
    const mark = marks.pop()!;
    while (added.length > mark) known.delete(added.pop()!);
  });
  return proven;
}
