// Measurements of sparse derivatives on the T4 residual (shared bench
// TASKS.md): detection time against one primal run (compiled and
// interpreted), colouring time and colours, the compressed sparse Jacobian
// against the hand-written one of bench/baselines/tridiagonal.ts, and the
// dense forward Jacobian for comparison. `npm run bench` prints the table.

import { performance } from "node:perf_hooks";
import { columnColoring } from "../api/coloring.js";
import { jacobian } from "../api/jacobian.js";
import { sparseJacobian } from "../api/sparse.js";
import { compile } from "../backend/index.js";
import { interpret } from "../ir/interpreter.js";
import { detectSparsity } from "../passes/sparsity.js";
import { tridiagonalPattern, tridiagonalSparseJacobian } from "./baselines/tridiagonal.js";
import { tridiagonalX } from "./inputs.js";
import { taskModule } from "./sources.js";

/** One size of the T4 measurements (times in milliseconds, best of `reps`). */
export interface T4Row {
  readonly n: number;
  readonly primalMs: number;
  readonly interpretedMs: number;
  readonly detectMs: number;
  readonly colorMs: number;
  readonly colors: number;
  readonly sparseMs: number;
  readonly handMs: number;
  /** Dense forward Jacobian, measured up to `denseUpTo`. */
  readonly denseMs: number | null;
}

/** Best wall time of `f` over `reps` runs, in ms. */
function best(f: () => void, reps: number): number {
  let t = Infinity;
  for (let k = 0; k < reps; k++) {
    const start = performance.now();
    f();
    t = Math.min(t, performance.now() - start);
  }
  return t;
}

/** Measures T4 at each size of `ns`. */
export function measureT4(ns: readonly number[], options: { reps?: number; denseUpTo?: number } = {}): T4Row[] {
  const reps = options.reps ?? 10;
  const module = taskModule("t4-tridiagonal.mts");
  const primal = compile(module)["tridiagonal"]!;
  const sparse = sparseJacobian(module, "tridiagonal");
  const dense = jacobian(module, "tridiagonal");
  return ns.map((n) => {
    const x = tridiagonalX(n);
    const pattern = detectSparsity(module, "tridiagonal", [x], { mode: "global" });
    const coloring = columnColoring(pattern);
    const jac = tridiagonalPattern(n);
    const seed = new Float64Array(n);
    const compressed = new Float64Array(3 * n);
    sparse(x);
    return {
      n,
      primalMs: best(() => primal(x), 5 * reps),
      interpretedMs: best(() => interpret(module, "tridiagonal", [x]), Math.min(reps, 3)),
      detectMs: best(() => detectSparsity(module, "tridiagonal", [x], { mode: "global" }), reps),
      colorMs: best(() => columnColoring(pattern), reps),
      colors: coloring.count,
      sparseMs: best(() => sparse(x), 5 * reps),
      handMs: best(() => tridiagonalSparseJacobian(x, jac, seed, compressed), 5 * reps),
      denseMs: n <= (options.denseUpTo ?? 10_000) ? best(() => dense(x), Math.min(reps, 3)) : null,
    };
  });
}

/** Markdown table of the T4 sparsity measurements. */
export function formatT4(rows: readonly T4Row[]): string {
  const ms = (x: number | null): string => (x === null ? "-" : `${x.toFixed(3)} ms`);
  return [
    "| n | detection | / compiled primal | / interpreted primal | colouring | colours | compressed J | hand sparse J | compressed / hand | dense forward J |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map((r) =>
      [r.n.toLocaleString("en-US"), ms(r.detectMs), (r.detectMs / r.primalMs).toFixed(1), (r.detectMs / r.interpretedMs).toFixed(2), ms(r.colorMs), String(r.colors), ms(r.sparseMs), ms(r.handMs), (r.sparseMs / r.handMs).toFixed(2), ms(r.denseMs)].join(" | ").replace(/^/, "| ") + " |",
    ),
  ].join("\n");
}
