// Random control-flow graphs, not limited to the structured shapes of
// test/gen/ir-gen.ts: every block may jump to any block (forward, backward,
// itself), so loops get several entries and exits, exits to merge nodes and
// breaks out of nested loops, and many graphs are irreducible. Each block
// carries two state values and a step counter through its parameters (edges
// permute them, exercising parallel copies); the counter bounds the run.
// Compiled code must agree with the interpreter bit for bit, through both the
// structured layout and the dispatch fallback.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emitModule } from "../../backend/emit-module.js";
import { FuncBuilder } from "../../ir/builder.js";
import type { BlockId, Module } from "../../ir/types.js";
import { verify } from "../../ir/verifier.js";
import { compiled, interpreted, sameOutcome, showOutcome } from "./support.js";

/** One block of the recipe: its successors (offsets from the block, modulo
 * the block count), whether it branches two ways (on `s0 < s1`, the second
 * edge swapping the state), which new or old state values its edges pass, and
 * its arithmetic op. */
interface BlockRecipe {
  readonly targets: readonly [number, number];
  readonly twoWay: boolean;
  readonly perm: readonly [number, number];
  readonly op: number;
}

const arbBlock: fc.Arbitrary<BlockRecipe> = fc.record({
  targets: fc.tuple(fc.integer({ min: -3, max: 4 }), fc.integer({ min: -3, max: 4 })),
  twoWay: fc.boolean(),
  perm: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
  op: fc.integer({ min: 0, max: 3 }),
});

const LIMIT = 25;

/** `cfg(x, y) -> (s0, s1, steps)`: the recipe's blocks after an entry block,
 * and an exit block every block may leave to once the counter passes LIMIT. */
function buildCfg(blocks: readonly BlockRecipe[]): Module {
  const b = new FuncBuilder("cfg", ["f64", "f64", "f64"]);
  const entry = b.addBlock();
  const x = b.addParam(entry, "f64", "x");
  const y = b.addParam(entry, "f64", "y");
  const ids = blocks.map(() => b.addBlock());
  const exit = b.addBlock();
  const params = ids.map((id) => [b.addParam(id, "f64"), b.addParam(id, "f64"), b.addParam(id, "f64")] as const);
  const [e0, e1, e2] = [b.addParam(exit, "f64"), b.addParam(exit, "f64"), b.addParam(exit, "f64")];
  b.ret(exit, [e0, e1, e2]);
  const zero = b.constant(entry, "f64", 0);
  b.br(entry, ids[0]!, [x, y, zero]);
  blocks.forEach((r, k) => {
    const id = ids[k]!;
    const [s0, s1, c] = params[k]!;
    const one = b.constant(id, "f64", 1);
    const c1 = b.emit1(id, "add", [c, one], "f64");
    const half = b.constant(id, "f64", 0.5);
    const n0 = b.emit1(id, (["mul", "add", "sub", "min"] as const)[r.op]!, [s0, half], "f64");
    const n1 = b.emit1(id, "add", [s1, s0], "f64");
    const pool = [n0, n1, s0, s1];
    const args = [pool[r.perm[0]]!, pool[r.perm[1]]!, c1];
    const cap = b.constant(id, "f64", LIMIT);
    const done = b.emit1(id, "gt", [c1, cap], "bool");
    const target = (t: number): BlockId => ids[(((k + t) % ids.length) + ids.length) % ids.length]!;
    const go = b.addBlock();
    b.condbr(id, done, exit, args, go, []);
    if (r.twoWay) {
      const lt = b.emit1(go, "lt", [s0, s1], "bool");
      b.condbr(go, lt, target(r.targets[0]), args, target(r.targets[1]), [args[1]!, args[0]!, c1]);
    } else b.br(go, target(r.targets[0]), args);
  });
  return { funcs: [b.finish()], externs: [] };
}

describe("random control-flow graphs", () => {
  it("agree with the interpreter, structured and dispatched", () => {
    const layouts = { structured: 0, dispatch: 0 };
    fc.assert(
      fc.property(fc.array(arbBlock, { minLength: 1, maxLength: 9 }), fc.double({ min: -4, max: 4, noNaN: true }), fc.double({ min: -4, max: 4, noNaN: true }), (blocks, x, y) => {
        const module = buildCfg(blocks);
        verify(module);
        layouts[emitModule(module).layouts[0]!]++;
        const want = interpreted(module, "cfg", [x, y]);
        const got = compiled(module, "cfg", [x, y]);
        expect("ok" in want, showOutcome(want)).toBe(true);
        if (!sameOutcome(got, want)) throw new Error(`compiled ${showOutcome(got)} but interpreted ${showOutcome(want)}`);
      }),
      { numRuns: 600 },
    );
    expect(layouts.structured).toBeGreaterThan(100);
    expect(layouts.dispatch).toBeGreaterThan(25);
  });
});
