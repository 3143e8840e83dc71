// Measurements of sparse derivatives on the T4 residual (shared bench
// TASKS.md): detection time against one primal run (compiled and
// interpreted), colouring time and colours, the compressed sparse Jacobian
// against the hand-written one of bench/baselines/tridiagonal.ts, and the
// dense forward Jacobian for comparison. Plain functions returning rows of
// numbers; the bench harness (or a one-off script) prints them.

import { readFileSync } from "node:fs";
import { columnColoring } from "../../api/coloring.js";
import { jacobian } from "../../api/jacobian.js";
import { sparseJacobian } from "../../api/sparse.js";
import { compile } from "../../backend/index.js";
import { tridiagonalPattern, tridiagonalSparseJacobian } from "../../bench/baselines/tridiagonal.js";
import { parseTS } from "../../frontend/index.js";
import { interpret } from "../../ir/interpreter.js";
import { detectSparsity } from "../../passes/sparsity.js";

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

/** The T4 input of TASKS.md. */
export const t4Input = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => 0.5 * Math.sin(0.013 * i + 0.2));

/** Measures T4 at each size of `ns`. */
export function measureT4(ns: readonly number[], options: { reps?: number; denseUpTo?: number } = {}): T4Row[] {
  const reps = options.reps ?? 10;
  const src = readFileSync(new URL("../../bench/tasks/t4-tridiagonal.mts", import.meta.url), "utf8");
  const module = parseTS(src);
  const primal = compile(module)["tridiagonal"]!;
  const sparse = sparseJacobian(module, "tridiagonal");
  const dense = jacobian(module, "tridiagonal");
  return ns.map((n) => {
    const x = t4Input(n);
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
