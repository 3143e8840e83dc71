// Generators of large IR shapes for compile-time scaling of the passes (the
// bench harness calls these too): a long chain of blocks, a deep dominator
// tree, deeply nested loops and long straight-line code. Each is one function
// `@f(%x: f64, %n: f64) -> f64` with work for simplify (x*1, constant
// arithmetic, single-predecessor chains), cse (recomputed products) and dce
// (unused values), and each terminates quickly in the interpreter for n = 1.
// Built with FuncBuilder; imports only ir/.

import { FuncBuilder } from "../ir/builder.js";
import type { BlockId, Module, ValueId } from "../ir/types.js";

/** A shape generator: size -> module. */
export type Shape = (size: number) => Module;

function start(): { fb: FuncBuilder; x: ValueId; n: ValueId; entry: BlockId } {
  const fb = new FuncBuilder("f", ["f64"]);
  const entry = fb.addBlock("entry");
  const x = fb.addParam(entry, "f64", "x");
  const n = fb.addParam(entry, "f64", "n");
  return { fb, x, n, entry };
}

/** A few instructions of local work in block `b` on `acc`: `acc*1` (simplify),
 * `x*x` computed twice (cse), a dead `sin` (dce). Returns the new accumulator. */
function work(fb: FuncBuilder, b: BlockId, x: ValueId, acc: ValueId, k: number): ValueId {
  const one = fb.constant(b, "f64", 1);
  const same = fb.emit1(b, "mul", [acc, one], "f64");
  const sq1 = fb.emit1(b, "mul", [x, x], "f64");
  const sq2 = fb.emit1(b, "mul", [x, x], "f64");
  const c = fb.constant(b, "f64", k % 7);
  const c2 = fb.emit1(b, "add", [c, c], "f64");
  fb.emit1(b, "sin", [sq2], "f64");
  const t = fb.emit1(b, "add", [same, sq1], "f64");
  return fb.emit1(b, "add", [t, c2], "f64");
}

/** `size` blocks in a chain, each jumping to the next with the accumulator as
 * a block argument (simplify merges them into one block). */
export const chainShape: Shape = (size) => {
  const { fb, x, entry } = start();
  let cur = entry;
  let acc = x;
  for (let k = 1; k < size; k++) {
    const next = fb.addBlock(`b${k}`);
    const p = fb.addParam(next, "f64", "acc");
    acc = work(fb, cur, x, acc, k);
    fb.br(cur, next, [acc]);
    cur = next;
    acc = p;
  }
  fb.ret(cur, [acc]);
  return { funcs: [fb.finish()], externs: [] };
};

/** A dominator tree of depth `size`: block k tests `acc < n` and either goes
 * deeper or leaves to a shared exit, so block k dominates every later block. */
export const deepDomTreeShape: Shape = (size) => {
  const { fb, x, n, entry } = start();
  const exit = fb.addBlock("exit");
  const r = fb.addParam(exit, "f64", "r");
  fb.ret(exit, [r]);
  let cur = entry;
  let acc = x;
  for (let k = 1; k < size; k++) {
    acc = work(fb, cur, x, acc, k);
    const more = fb.emit1(cur, "lt", [acc, n], "bool");
    const next = fb.addBlock(`d${k}`);
    fb.condbr(cur, more, next, [], exit, [acc]);
    cur = next;
  }
  fb.br(cur, exit, [acc]);
  return { funcs: [fb.finish()], externs: [] };
};

/** `size` nested counting loops, each running `n` times (so n = 1 is cheap). */
export const nestedLoopsShape: Shape = (size) => {
  const { fb, x, n, entry } = start();
  const zero = fb.constant(entry, "f64", 0);
  const one = fb.constant(entry, "f64", 1);
  // Going in: each level's header (counter, acc), body enters the next level.
  const headers: { header: BlockId; i: ValueId; acc: ValueId; exit: BlockId; exitAcc: ValueId }[] = [];
  let cur = entry;
  let acc = x;
  for (let k = 0; k < size; k++) {
    const header = fb.addBlock(`h${k}`);
    const i = fb.addParam(header, "f64", "i");
    const hacc = fb.addParam(header, "f64", "acc");
    fb.br(cur, header, [zero, acc]);
    const body = fb.addBlock(`body${k}`);
    const exit = fb.addBlock(`exit${k}`);
    const exitAcc = fb.addParam(exit, "f64", "acc");
    const more = fb.emit1(header, "lt", [i, n], "bool");
    fb.condbr(header, more, body, [], exit, [hacc]);
    headers.push({ header, i, acc: hacc, exit, exitAcc });
    cur = body;
    acc = work(fb, body, x, hacc, k);
  }
  // Coming out: the innermost body's result feeds the innermost latch.
  for (let k = size - 1; k >= 0; k--) {
    const h = headers[k]!;
    const next = fb.emit1(cur, "add", [h.i, one], "f64");
    fb.br(cur, h.header, [next, acc]);
    cur = h.exit;
    acc = h.exitAcc;
  }
  fb.ret(cur, [acc]);
  return { funcs: [fb.finish()], externs: [] };
};

/** One block of about `size` instructions. */
export const straightLineShape: Shape = (size) => {
  const { fb, x, entry } = start();
  let acc = x;
  for (let k = 0; k * 9 < size; k++) acc = work(fb, entry, x, acc, k);
  fb.ret(entry, [acc]);
  return { funcs: [fb.finish()], externs: [] };
};

/** Every shape by name. */
export const SHAPES: Readonly<Record<string, Shape>> = {
  chain: chainShape,
  "deep-dom-tree": deepDomTreeShape,
  "nested-loops": nestedLoopsShape,
  "straight-line": straightLineShape,
};
