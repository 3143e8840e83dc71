// Backend compile time on large synthetic functions: a straight-line block
// of n instructions, and a function of n instructions spread over a chain of
// if/else diamonds and counted loops. Measures emission alone, `compile`
// (emission + `new Function`), and the first call (V8 parsing and compiling
// the generated function lazily, which is not the backend's time).

import { performance } from "node:perf_hooks";
import { emitModule } from "../backend/emit-module.js";
import { compile } from "../backend/index.js";
import { FuncBuilder } from "../ir/builder.js";
import { median } from "./timing.js";
import type { Module, ValueId } from "../ir/types.js";

/** One measurement, times in ms (medians of `reps`). */
export interface CompileTiming {
  readonly shape: string;
  readonly instructions: number;
  readonly blocks: number;
  readonly emitMs: number;
  readonly compileMs: number;
  readonly firstCallMs: number;
  readonly layout: string;
}

const OPS = ["add", "mul", "sub", "sin"] as const;

/** `f(x, y)`: n instructions in one block, each combining two recent values. */
export function straightLine(n: number): Module {
  const b = new FuncBuilder("straight", ["f64"]);
  const e = b.addBlock();
  const pool: ValueId[] = [b.addParam(e, "f64", "x"), b.addParam(e, "f64", "y")];
  for (let k = 0; k < n; k++) {
    const op = OPS[k % OPS.length]!;
    const a = pool[pool.length - 1]!;
    const c = pool[pool.length - 2]!;
    pool.push(b.emit1(e, op, op === "sin" ? [a] : [a, c], "f64"));
  }
  b.ret(e, [pool[pool.length - 1]!]);
  return { funcs: [b.finish()], externs: [] };
}

/** `f(x, y)`: about n instructions in a chain of units, each an if/else
 * diamond whose arms meet in a block parameter, every fourth a counted loop. */
export function branchy(n: number): Module {
  const b = new FuncBuilder("branchy", ["f64"]);
  let cur = b.addBlock();
  const x = b.addParam(cur, "f64", "x");
  let acc = b.addParam(cur, "f64", "y");
  let count = 0;
  const emit = (block: number, op: "add" | "mul" | "sub" | "sin" | "lt", args: ValueId[], type: "f64" | "bool" = "f64"): ValueId => {
    count++;
    return b.emit1(block, op, args, type);
  };
  for (let unit = 0; count < n; unit++) {
    if (unit % 4 === 3) {
      const zero = b.constant(cur, "i32", 0);
      const one = b.constant(cur, "i32", 1);
      const trips = b.constant(cur, "i32", 3);
      count += 3;
      const head = b.addBlock();
      const body = b.addBlock();
      const exit = b.addBlock();
      const i = b.addParam(head, "i32");
      const a = b.addParam(head, "f64");
      b.br(cur, head, [zero, acc]);
      count++;
      const more = b.emit1(head, "lt", [i, trips], "bool");
      b.condbr(head, more, body, [], exit, []);
      const s = emit(body, "sin", [a]);
      const a1 = emit(body, "add", [a, s]);
      const i1 = b.emit1(body, "add", [i, one], "i32");
      count++;
      b.br(body, head, [i1, a1]);
      cur = exit;
      acc = a;
      continue;
    }
    const c = emit(cur, "lt", [acc, x], "bool");
    const thenB = b.addBlock();
    const elseB = b.addBlock();
    const join = b.addBlock();
    b.condbr(cur, c, thenB, [], elseB, []);
    const t1 = emit(thenB, "mul", [acc, x]);
    const t2 = emit(thenB, "add", [t1, acc]);
    b.br(thenB, join, [t2]);
    const e1 = emit(elseB, "sub", [acc, x]);
    const e2 = emit(elseB, "sin", [e1]);
    b.br(elseB, join, [e2]);
    cur = join;
    acc = b.addParam(join, "f64");
  }
  b.ret(cur, [acc]);
  return { funcs: [b.finish()], externs: [] };
}

/** Times the backend on `module` (function 0, called with (0.5, 0.25)). */
export function timeCompile(shape: string, module: Module, reps: number): CompileTiming {
  const func = module.funcs[0]!;
  const emitMs: number[] = [];
  const compileMs: number[] = [];
  const firstCallMs: number[] = [];
  let layout = "";
  for (let r = 0; r < reps; r++) {
    let t0 = performance.now();
    layout = emitModule(module).layouts[0]!;
    emitMs.push(performance.now() - t0);
    t0 = performance.now();
    const fn = compile(module)[func.name]!;
    compileMs.push(performance.now() - t0);
    t0 = performance.now();
    fn(0.5, 0.25);
    firstCallMs.push(performance.now() - t0);
  }
  const instructions = func.blocks.reduce((s, bl) => s + bl.insts.length, 0);
  return { shape, instructions, blocks: func.blocks.length, emitMs: median(emitMs), compileMs: median(compileMs), firstCallMs: median(firstCallMs), layout };
}
