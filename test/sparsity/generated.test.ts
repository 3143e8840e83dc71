// The sparsity analysis on generated IR modules (test/gen/ir-gen.ts: branches
// and loops on data, arrays, stacks, calls, black boxes, dead paths):
// - the global pattern depends on the shapes only: two points of the same
//   shapes give the same pattern;
// - at a point, the local pattern lies in the global one, and the finite
//   nonzeros of the forward-mode Jacobian lie in the local pattern;
// - compiled blocks (sparsity-jit.ts) compute exactly what the handlers do.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jacobian } from "../../api/jacobian.js";
import { sparsity } from "../../api/sparse.js";
import { DerivError, PipelineError } from "../../ir/errors.js";
import { interpret } from "../../ir/interpreter.js";
import type { RtValue } from "../../ir/eval.js";
import { detectSparsity } from "../../passes/sparsity.js";
import { arbModuleWithInputs, GEN_EXTERN_BINDINGS } from "../gen/ir-gen.js";
import { missing, rowsOf } from "./support.js";

const externs = GEN_EXTERN_BINDINGS;

/** True if the reference interpreter runs `fn` on `args` without a runtime error. */
function runs(module: Parameters<typeof interpret>[0], fn: string, args: readonly RtValue[]): boolean {
  try {
    interpret(module, fn, args, { externs });
    return true;
  } catch (e) {
    if (e instanceof DerivError) return false;
    throw e;
  }
}

/** `detect()`, or undefined when a result's length depends on the active
 * inputs (no global pattern exists; the analysis says so). */
function patternOrNone<T>(detect: () => T): T | undefined {
  try {
    return detect();
  } catch (e) {
    if (e instanceof PipelineError && e.message.includes("depends on the active inputs")) return undefined;
    throw e;
  }
}

/** Another point of the same shapes. */
const moved = (args: readonly RtValue[]): RtValue[] => args.map((a) => (typeof a === "number" ? 0.75 - 1.3 * a : a instanceof Float64Array ? a.map((x, i) => Math.cos(3 * x + i)) : a));

describe("sparsity on generated modules", () => {
  it("the global pattern depends on the argument shapes only", () => {
    fc.assert(
      fc.property(arbModuleWithInputs({ externs: true }), ({ module, fn, args }) => {
        const detect = sparsity(module, fn, { externs, onWarning: () => {} });
        const a = patternOrNone(() => detect(...args));
        fc.pre(a !== undefined);
        expect(detect(...moved(args)).pattern).toEqual(a.pattern);
      }),
      { numRuns: 200 },
    );
  });

  it("local pattern ⊆ global pattern", () => {
    fc.assert(
      fc.property(arbModuleWithInputs({ externs: true }), ({ module, fn, args }) => {
        fc.pre(runs(module, fn, args));
        const opts = { externs, onWarning: () => {} };
        const global = patternOrNone(() => sparsity(module, fn, opts)(...args));
        fc.pre(global !== undefined);
        const local = rowsOf(sparsity(module, fn, { ...opts, mode: "local" })(...args));
        expect(missing(local, rowsOf(global)), "local entries outside the global pattern").toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("compiled blocks and the per-op handlers agree (patterns, Hessians, warnings, errors)", () => {
    fc.assert(
      fc.property(arbModuleWithInputs({ externs: true }), ({ module, fn, args }) => {
        const func = module.funcs.find((f) => f.name === fn)!;
        const hessian = func.results.length === 1 && func.results[0] === "f64";
        for (const mode of ["global", "local"] as const) {
          const run = (jit: boolean): unknown => {
            try {
              const p = detectSparsity(module, fn, args, { mode, hessian, externs, jit });
              return { rowPtr: Array.from(p.rowPtr), colIdx: Array.from(p.colIdx), warnings: p.warnings };
            } catch (e) {
              if (e instanceof DerivError) return { error: e.message };
              throw e;
            }
          };
          expect(run(true)).toEqual(run(false));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("the finite nonzeros of the forward Jacobian lie in the local pattern", () => {
    fc.assert(
      fc.property(arbModuleWithInputs({ externs: true }), ({ module, fn, args }) => {
        fc.pre(runs(module, fn, args));
        const opts = { externs, onWarning: () => {} };
        const dense = jacobian(module, fn, opts)(...args).jacobian;
        const nz = dense.map((row) => Array.from(row).flatMap((v, j) => (v !== 0 && Number.isFinite(v) ? [j] : [])));
        const local = rowsOf(sparsity(module, fn, { ...opts, mode: "local" })(...args));
        expect(missing(nz, local), "nonzeros outside the local pattern").toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
