// A small helper for passes that must emit a counted loop in the middle of a
// block (AD passes: filling, summing or accumulating shadow arrays). The
// current block is ended with a branch into a fresh loop; emission continues
// in the loop's exit block, which the helper returns. Touches only the builder
// it is given.

import type { FuncBuilder } from "../ir/builder.js";
import type { BlockId, SourceLoc, ValueId } from "../ir/types.js";

/** Emits `for (i = 0; i < n; i++) body(bodyBlock, i)` after the instructions
 * of `from`, and returns the block where emission continues. `carried` values
 * are loop-carried f64 accumulators: `body` returns their next values, and
 * the exit block receives their final values as `finals`. */
export function emitCountedLoop(
  B: FuncBuilder,
  from: BlockId,
  n: ValueId,
  loc: SourceLoc | undefined,
  body: (block: BlockId, i: ValueId, carried: readonly ValueId[]) => readonly ValueId[],
  init: readonly ValueId[] = [],
): { block: BlockId; finals: ValueId[] } {
  const head = B.addBlock("loop");
  const bodyB = B.addBlock("loop_body");
  const done = B.addBlock("loop_done");
  const zero = B.constant(from, "i32", 0, loc);
  B.br(from, head, [zero, ...init], loc);
  const i = B.addParam(head, "i32", "i");
  const carried = init.map(() => B.addParam(head, "f64"));
  const finals = init.map(() => B.addParam(done, "f64"));
  const more = B.emit1(head, "lt", [i, n], "bool", loc ? { loc } : {});
  B.condbr(head, more, bodyB, [], done, carried, loc);
  const next = body(bodyB, i, carried);
  const one = B.constant(bodyB, "i32", 1, loc);
  const i1 = B.emit1(bodyB, "add", [i, one], "i32", loc ? { loc } : {});
  B.br(bodyB, head, [i1, ...next], loc);
  return { block: done, finals };
}
