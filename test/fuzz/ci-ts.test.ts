// The CI fuzz batch, TypeScript half (issue 11): 1,000 generated programs
// from a fixed seed through the frontend, Node, the interpreter, the
// compiled code, the optimisation pipeline and both AD modes (engine.ts).
// Zero discrepancies; at least 80 % of the programs reach the AD checks.
// The IR half runs in ci-ir.test.ts, in parallel.

import { it } from "vitest";
import { expectCleanBatch } from "./ci.js";

it("1,000 generated TypeScript programs: no discrepancy, ≥ 80 % reach the AD checks", () => expectCleanBatch("ts"), 600_000);
