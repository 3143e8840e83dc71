// `interval-range{fn=f ranges=x:0:1}`: an example analysis pass registered from outside passes/
// (docs/writing-a-pass.md). Abstract interpretation of one function over intervals (./intervals.ts)
// from its parameters' `ranges` (default [-inf, inf]): blocks are visited in reverse post-order until
// nothing changes; a block parameter joins its arguments on the executable incoming edges, widened
// at targets of retreating edges (loop headers) so loops terminate; a branch refines only by dropping
// an edge whose condition is known. Prints the function with each value's interval as a trailing
// comment and a warning per log of a possibly negative number or division by a possible zero.

import { type Func, type Inst, type Pass, type PassContext, printIR, registerPass } from "../../index.js";
import { contains, format, type Interval, iv, join, TOP, TRANSFER, widen } from "./intervals.js";

/** A suspicious instruction: what may go wrong, and the interval of the operand at fault. */
export type Finding = { readonly message: string; readonly inst: Inst; readonly interval: Interval };

/** The interval of every value of `func` (undefined: not reached), the reached blocks and the findings. */
export function analyzeIntervals(func: Func, params: readonly Interval[], analyses: PassContext["analyses"]) {
  const { order, index } = analyses.rpo(func);
  const val: (Interval | undefined)[] = [];
  func.blocks[0]!.params.forEach((p, i) => (val[p] = params[i]));
  const reached = Uint8Array.from(func.blocks, (_, b) => (b === 0 ? 1 : 0));
  for (let changed = true; changed; ) {
    changed = false;
    for (const b of order) {
      if (!reached[b]) continue;
      const { insts, term } = func.blocks[b]!;
      for (const inst of insts) for (const r of inst.results) val[r] = TRANSFER[inst.op](inst.args.map((a) => val[a]!), inst);
      // A condbr whose condition is known ([1, 1] or [0, 0]) takes one arm only.
      const edges = term.kind === "br" ? [term.target] : term.kind === "condbr" ? [term.then, term.else].filter((_, k) => (k ? val[term.cond]!.lo <= 0 : val[term.cond]!.hi >= 1)) : [];
      for (const { block, args } of edges) {
        if (!reached[block]) [reached[block], changed] = [1, true];
        args.forEach((a, i) => {
          const p = func.blocks[block]!.params[i]!, old = val[p];
          const next = old ? join(old, val[a]!) : val[a]!;
          const v = old && index[block]! <= index[b]! ? widen(old, next) : next; // a retreating edge: widen
          if (!old || v.lo !== old.lo || v.hi !== old.hi) [val[p], changed] = [v, true];
        });
      }
    }
  }
  const findings: Finding[] = [];
  for (const inst of order.filter((b) => reached[b]).flatMap((b) => func.blocks[b]!.insts)) {
    const [a, b] = inst.args.map((v) => val[v]!);
    if (["log", "log2", "log10"].includes(inst.op) && a!.lo < 0) findings.push({ message: "possible log of a negative number", inst, interval: a! });
    if (inst.op === "div" && contains(b!, 0)) findings.push({ message: "possible division by zero", inst, interval: b! });
  }
  return { intervals: val, reached, findings };
}

/** Parameter intervals from `ranges=x:0:1,y:-inf:2` (by name or index; the rest [-inf, inf]). */
function paramIntervals(func: Func, ranges: readonly string[], ctx: PassContext): Interval[] {
  const params = func.blocks[0]!.params, out = params.map(() => TOP);
  for (const r of ranges) {
    const m = /^([^:]+):(-?inf|[-+.\de]+):(-?inf|[-+.\de]+)$/.exec(r);
    const [lo, hi] = [m?.[2], m?.[3]].map((s) => Number(s?.replace("inf", "Infinity"))) as [number, number];
    if (!m || !(lo <= hi)) throw ctx.optionError(`range '${r}' is not NAME:LO:HI with LO <= HI (numbers, inf or -inf)`);
    const i = params.findIndex((p, k) => func.values[p]!.name === m[1] || String(k) === m[1]);
    if (i < 0) throw ctx.optionError(`@${func.name} has no parameter '${m[1]}' (parameters: ${params.map((p, k) => func.values[p]!.name ?? k).join(", ")})`);
    out[i] = iv(lo, hi);
  }
  return out;
}

export const intervalRange: Pass = {
  name: "interval-range",
  description: "analysis (example plugin): value intervals; warns of log of a negative number and division by zero",
  options: [
    { name: "fn", kind: "string", required: true, doc: "the function to analyse" },
    { name: "ranges", kind: "string-list", doc: "parameter intervals NAME:LO:HI, e.g. x:0:1,y:-inf:2 (default [-inf, inf])" },
  ],
  run(module, ctx) {
    const func = module.funcs.find((f) => f.name === ctx.str("fn"));
    if (!func) throw ctx.optionError(`no function @${ctx.str("fn")}`);
    const { intervals, reached, findings } = analyzeIntervals(func, paramIntervals(func, "ranges" in ctx.options ? ctx.strList("ranges") : [], ctx), ctx.analyses);
    // Trailing comments: the intervals of an instruction's results, of a block's parameters.
    const shown = (vs: readonly number[]) => vs.filter((v) => intervals[v] && ["f64", "i32"].includes(func.values[v]!.type)).map((v) => format(intervals[v]!)).join(" ");
    const annotateInst = (_: Func, b: number, k: number) => shown(func.blocks[b]!.insts[k]!.results);
    const annotateBlock = (_: Func, b: number) => (reached[b] ? shown(func.blocks[b]!.params) : "unreachable");
    ctx.print(printIR({ funcs: [func], externs: [] }, { annotateInst, annotateBlock }));
    for (const { message, inst, interval } of findings) {
      const at = inst.loc ? `${inst.loc.file ?? "<input>"}:${inst.loc.line}:${inst.loc.col}` : `@${func.name}`;
      ctx.print(`warning: ${message} at ${at} (${inst.op === "div" ? "divisor" : "argument"} in ${format(interval)})`);
      ctx.stat(message);
    }
    return module;
  },
};

registerPass(intervalRange);
