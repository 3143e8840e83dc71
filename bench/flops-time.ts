// The cost of counting flops on the bench tasks, against one compiled primal
// run: the one-time analysis (closed forms of every loop), and evaluating the
// closed form at the task's arguments (what a count at given inputs costs once
// the analysis is cached).

import { performance } from "node:perf_hooks";
import { compile } from "../backend/index.js";
import { findFunc } from "../ir/types.js";
import type { RtValue } from "../ir/eval.js";
import { DEFAULT_WEIGHTS } from "../passes/flops-cost.js";
import { evaluateFormula, flopFormulas } from "../passes/flops.js";
import { LORENZ_ARGS, logisticData, rosenbrockX, tridiagonalX } from "./inputs.js";
import { taskModule } from "./sources.js";
import { median } from "./timing.js";

/** One task's counting cost, in ms (medians). */
export interface FlopsTiming {
  readonly task: string;
  readonly total: number | null;
  readonly analysisMs: number;
  readonly evaluateMs: number;
  readonly primalMs: number;
}

function timeMs(run: () => unknown, reps: number): number {
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function timeTask(task: string, file: string, fn: string, args: readonly RtValue[], reps: number): FlopsTiming {
  const module = taskModule(file);
  const func = findFunc(module, fn)!;
  const primal = compile(module)[fn]!;
  for (let r = 0; r < 20; r++) primal(...args);
  const formula = flopFormulas(module, DEFAULT_WEIGHTS, [fn]).get(fn)!;
  const value = evaluateFormula(formula, func, args);
  return {
    task,
    total: value.total,
    analysisMs: timeMs(() => flopFormulas(module, DEFAULT_WEIGHTS, [fn]), reps),
    evaluateMs: timeMs(() => evaluateFormula(formula, func, args), reps),
    primalMs: timeMs(() => primal(...args), reps),
  };
}

/** Counting cost on T1 (n = 10^5), T2, T3 and T4 (n = 10^5). */
export function timeFlops(quick: boolean): FlopsTiming[] {
  const reps = quick ? 5 : 21;
  const { X, y, w } = logisticData(2000, 50);
  return [
    timeTask("T1 n=100,000", "t1-rosenbrock.mts", "rosenbrock", [rosenbrockX(100_000)], reps),
    timeTask("T2 Lorenz RK4", "t2-lorenz.mts", "lorenz", LORENZ_ARGS, reps),
    timeTask("T3 logistic 2000x50", "t3-logistic.mts", "logistic", [X, y, w], reps),
    timeTask("T4 n=100,000", "t4-tridiagonal.mts", "tridiagonal", [tridiagonalX(100_000)], reps),
  ];
}

/** Markdown table. */
export function formatFlops(rows: readonly FlopsTiming[]): string {
  const ms = (x: number): string => `${x.toFixed(3)} ms`;
  return [
    "| task | flops (closed form at the inputs) | analysis (once) | evaluate at inputs | compiled primal | evaluate / primal |",
    "|---|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.task} | ${r.total ?? "-"} | ${ms(r.analysisMs)} | ${ms(r.evaluateMs)} | ${ms(r.primalMs)} | ${(r.evaluateMs / r.primalMs).toFixed(3)} |`),
  ].join("\n");
}
