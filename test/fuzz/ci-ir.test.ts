// The CI fuzz batch, IR half (issue 11): 1,000 generated IR modules from a
// fixed seed through the interpreter, the compiled code, the optimisation
// pipeline and both AD modes (engine.ts). Zero discrepancies; at least 80 %
// of the modules reach the AD checks. The TypeScript half is ci-ts.test.ts.

import { it } from "vitest";
import { expectCleanBatch } from "./ci.js";

it("1,000 generated IR modules: no discrepancy, ≥ 80 % reach the AD checks", () => expectCleanBatch("ir"), 600_000);
