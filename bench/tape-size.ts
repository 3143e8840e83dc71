// Reverse mode's tape per call on the bench tasks: the formula `deriv flops
// --tape` reports (api/tape.ts) and its value at the task inputs, beside the
// hand-written adjoint's own tape where it has one (T2 stores the RK4 states).
// Nothing is timed.

import { tapeSize } from "../api/tape.js";
import type { RtValue } from "../ir/eval.js";
import { LORENZ_TAPE_LENGTH } from "./baselines/lorenz.js";
import { LORENZ_ARGS, logisticData, rosenbrockX } from "./inputs.js";
import { taskModule } from "./sources.js";

/** One task's tape. */
export interface TapeRow {
  readonly task: string;
  readonly formula: string | null;
  readonly bytes: number | null;
  readonly entries: number | null;
  /** Bytes of the hand-written gradient's tape, if it keeps one. */
  readonly handBytes: number | null;
}

export function measureTapes(): TapeRow[] {
  const { X, y, w } = logisticData(2000, 50);
  const cases: [string, string, string, RtValue[], number | null][] = [
    ["T1 n=100,000", "t1-rosenbrock.mts", "rosenbrock", [rosenbrockX(100_000)], null],
    ["T2 Lorenz RK4", "t2-lorenz.mts", "lorenz", [...LORENZ_ARGS], 8 * LORENZ_TAPE_LENGTH],
    ["T3 logistic 2000x50 (wrt w)", "t3-logistic.mts", "logistic", [X, y, w], null],
  ];
  return cases.map(([task, file, fn, args, handBytes]) => {
    const tape = tapeSize(taskModule(file), fn, fn === "logistic" ? { wrt: [2] } : {});
    return { task, formula: tape.formula.bytes, ...tape.at(args), handBytes };
  });
}

export function formatTapes(rows: readonly TapeRow[]): string {
  const lines = ["| task | tape bytes (formula) | bytes | entries | hand-written tape bytes |", "|---|---|---|---|---|"];
  for (const r of rows) lines.push(`| ${r.task} | ${r.formula ?? "none"} | ${r.bytes ?? "-"} | ${r.entries ?? "-"} | ${r.handBytes ?? "none"} |`);
  return lines.join("\n");
}
