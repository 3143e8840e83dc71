// Which array parameters the boundary wrapper must copy. Arrays have value
// semantics for callers (DESIGN.md §4): a parameter that the function might
// write, hand to another function or extern, or return must be copied on
// entry; one that is only read (`array.get`, `array.len`, `array.copy`), also
// through block arguments and `select`, is passed as is. Reads the IR only.

import type { OpTable } from "../ir/ops.js";
import type { Func } from "../ir/types.js";
import { termEdges } from "../ir/types.js";

/** What an op does with an array operand: only reads it, passes it on to its
 * result (`select`), or may let it escape (write, call, store). Ops without
 * array operands are "escape" too, which is safe should one ever appear. */
type ArrayUse = "read" | "select" | "escape";

const ARRAY_USE: OpTable<ArrayUse> = {
  const: "escape", add: "escape", sub: "escape", mul: "escape", div: "escape", rem: "escape", neg: "escape",
  pow: "escape", min: "escape", max: "escape", abs: "escape", sqrt: "escape", cbrt: "escape", exp: "escape",
  expm1: "escape", log: "escape", log1p: "escape", log2: "escape", log10: "escape", sin: "escape", cos: "escape",
  tan: "escape", asin: "escape", acos: "escape", atan: "escape", atan2: "escape", sinh: "escape", cosh: "escape",
  tanh: "escape", hypot: "escape", sign: "escape", floor: "escape", ceil: "escape", round: "escape",
  lt: "escape", le: "escape", gt: "escape", ge: "escape", eq: "escape", ne: "escape",
  select: "select", and: "escape", or: "escape", not: "escape",
  "i32.to.f64": "escape", "f64.to.i32": "escape",
  "array.new": "escape", "array.get": "read", "array.set": "escape", "array.len": "read", "array.copy": "read",
  call: "escape", "call.extern": "escape",
  "stack.new": "escape", "stack.push": "escape", "stack.pop": "escape",
};

/** For each entry parameter of `func`: true if an array argument there must be copied. */
export function paramsNeedingCopy(func: Func): boolean[] {
  const params = func.blocks[0]!.params;
  return params.map((p) => func.values[p]!.type === "f64[]" && mayEscape(func, p));
}

/** True unless every value `root` flows to (through block arguments and
 * `select`) is only read. A fixpoint over the function's instructions. */
function mayEscape(func: Func, root: number): boolean {
  const alias = new Uint8Array(func.values.length);
  alias[root] = 1;
  for (let changed = true; changed; ) {
    changed = false;
    const flow = (to: number): void => {
      if (!alias[to]) {
        alias[to] = 1;
        changed = true;
      }
    };
    for (const block of func.blocks) {
      for (const inst of block.insts) {
        if (!inst.args.some((a) => alias[a])) continue;
        const use = ARRAY_USE[inst.op];
        if (use === "escape") return true;
        if (use === "select" && (alias[inst.args[1]!] || alias[inst.args[2]!])) flow(inst.results[0]!);
      }
      const term = block.term;
      if (term.kind === "ret" && term.values.some((v) => alias[v])) return true;
      for (const e of termEdges(term)) e.args.forEach((a, i) => alias[a] && flow(func.blocks[e.block]!.params[i]!));
    }
  }
  return false;
}
