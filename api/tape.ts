// The tape of reverse mode as a closed form in the parameters (the trip
// counts): `tapeSize(src, fn)` builds `fn.vjp` exactly as `grad`/`vjp` do,
// then counts what its forward sweep pushes, per block run, through the flop
// counter's closed-form machinery (passes/flops-closed.ts: symbolic trip
// counts, bounds, assumptions). Every push of `fn.vjp` happens before its
// first pop, so the bytes pushed in one call are the peak size of its own
// tape. Bytes: 8 per f64 or array reference, 4 per i32. Callees' variants
// keep tapes of their own, popped before they return; their pushes are
// included (an upper bound on the peak for functions that call others).

import type { RtValue } from "../ir/eval.js";
import type { Func, Module } from "../ir/types.js";
import { findFunc } from "../ir/types.js";
import { COST_CLASSES, type ClassCounts, type Weights } from "../passes/flops-cost.js";
import { evaluateFormula, type FlopFormula, flopFormulas, formulaText } from "../passes/flops.js";
import { runPipeline } from "../passes/pipeline.js";
import { addVjp } from "../passes/rev-ad.js";
import { CLEANUP } from "./forward.js";
import { activeArgs, funcOf, toModule } from "./source.js";

/** The tape size of `fn.vjp` as text: polynomials in the parameters (null where there is none). */
export interface TapeFormula {
  readonly bytes: string | null;
  readonly entries: string | null;
  /** Where the tape depends on the path taken (a branch taping different values): lower and upper bounds. */
  readonly bounds?: { readonly bytes: Bounds<string>; readonly entries: Bounds<string> };
  readonly assumes: readonly string[];
  readonly why: readonly string[];
}

/** A lower and an upper bound. */
export interface Bounds<T> {
  readonly lower: T;
  readonly upper: T;
}

const MEMORY = COST_CLASSES.indexOf("memory");
const ONLY_MEMORY: Weights = Object.fromEntries(COST_CLASSES.map((c) => [c, c === "memory" ? 1 : 0])) as unknown as Weights;

/** Per block of `func`: pushed bytes (or entries) as the `memory` class, nothing else. */
function pushCounter(unit: "bytes" | "entries"): (func: Func) => readonly ClassCounts[] {
  return (func) =>
    func.blocks.map((block) => {
      const counts = new Array<number>(COST_CLASSES.length).fill(0);
      for (const inst of block.insts) {
        if (inst.op !== "stack.push") continue;
        counts[MEMORY]! += unit === "entries" ? 1 : func.values[inst.args[0]!]!.type === "stack<i32>" ? 4 : 8;
      }
      return counts;
    });
}

/** `tapeSize(src, fn, { wrt })`: the formula, and its value at given arguments. */
export function tapeSize(src: string | Module, fn: string, opts: { readonly wrt?: readonly number[] } = {}) {
  const module = toModule(src);
  const func = funcOf(module, fn);
  const wrt = activeArgs(func, opts.wrt);
  const transformed = runPipeline(addVjp(runPipeline(module, CLEANUP), { fn, wrt }), CLEANUP);
  const name = `${fn}.vjp`;
  const vjp = findFunc(transformed, name)!;
  const forms = (unit: "bytes" | "entries"): FlopFormula => flopFormulas(transformed, ONLY_MEMORY, [name], pushCounter(unit)).get(name)!;
  const bytes = forms("bytes");
  const entries = forms("entries");
  const text = formulaText(bytes);
  const entriesText = formulaText(entries);
  const bounds = text.bounds.total && entriesText.bounds.total ? { bytes: text.bounds.total, entries: entriesText.bounds.total } : undefined;
  // Reasons matter only where a count is missing (the reverse loops' own trip counts never do: they push nothing).
  const formula: TapeFormula = { bytes: text.total, entries: entriesText.total, ...(bounds ? { bounds } : {}), assumes: text.assumes, why: text.total === null && !bounds ? text.why : [] };
  return {
    formula,
    module: transformed,
    /** The tape size of one call at `args` (the primal's arguments), null where the formula has no value there. */
    at(args: readonly RtValue[]): { bytes: number | null; entries: number | null; bounds?: { bytes: Bounds<number>; entries: Bounds<number> } } {
      const full = [...args, ...vjp.blocks[0]!.params.slice(args.length).map(() => 1)];
      const b = evaluateFormula(bytes, vjp, full);
      const e = evaluateFormula(entries, vjp, full);
      const range = b.bounds.total && e.bounds.total ? { bounds: { bytes: b.bounds.total, entries: e.bounds.total } } : {};
      return { bytes: b.total, entries: e.total, ...range };
    },
  };
}
