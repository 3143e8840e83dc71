// Compile-time scaling of the optimisation pipeline `simplify,cse,dce` (no
// verify-each) on the fixed shapes of bench/shapes.ts: a block chain, a deep
// dominator tree, 50 nested loops and straight-line code at two sizes, so the
// growth ratio time(100k) / time(10k) can be read off.

import { runPipelineWithReport } from "../passes/pipeline.js";
import { chainShape, deepDomTreeShape, nestedLoopsShape, straightLineShape, type Shape } from "./shapes.js";
import { median } from "./timing.js";

/** One measurement: the median pipeline time in ms over `reps` runs. */
export interface PipelineTiming {
  readonly shape: string;
  readonly size: number;
  readonly ms: number;
}

function timeShape(name: string, shape: Shape, size: number, reps: number): PipelineTiming {
  const module = shape(size);
  const times: number[] = [];
  for (let r = 0; r < reps; r++) times.push(runPipelineWithReport(module, "simplify,cse,dce", { verifyEach: false }).report.totalMs);
  return { shape: name, size, ms: median(times) };
}

/** The measurements of one bench run. */
export function timePipelines(quick: boolean): PipelineTiming[] {
  const reps = quick ? 1 : 5;
  return [
    timeShape("block chain", chainShape, 10_000, reps),
    timeShape("deep dominator tree", deepDomTreeShape, 10_000, reps),
    timeShape("nested loops", nestedLoopsShape, 50, reps),
    timeShape("straight-line", straightLineShape, 10_000, reps),
    timeShape("straight-line", straightLineShape, 100_000, reps),
  ];
}

/** Markdown table, with the 100k / 10k ratio of the straight-line shape. */
export function formatPipelines(rows: readonly PipelineTiming[]): string {
  const lines = ["| shape | size | simplify,cse,dce |", "|---|---|---|", ...rows.map((r) => `| ${r.shape} | ${r.size.toLocaleString("en-US")} | ${r.ms.toFixed(1)} ms |`)];
  const small = rows.find((r) => r.shape === "straight-line" && r.size === 10_000);
  const big = rows.find((r) => r.shape === "straight-line" && r.size === 100_000);
  if (small && big) lines.push(`\nstraight-line time(100k) / time(10k) = ${(big.ms / small.ms).toFixed(1)} (target ≤ 15)`);
  return lines.join("\n");
}
