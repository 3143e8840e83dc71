import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { it } from "vitest";
import { sparsity } from "../../api/sparse.js";
import { printIR } from "../../ir/printer.js";
import { arbModuleWithInputs, GEN_EXTERN_BINDINGS } from "../gen/ir-gen.js";
it("hunt", () => {
  fc.assert(
    fc.property(arbModuleWithInputs({ externs: true }), ({ module, fn, args }) => {
      writeFileSync("/tmp/last.ir", printIR(module) + "\n// args " + JSON.stringify(args.map((a) => (a instanceof Float64Array ? Array.from(a) : a))) + "\n");
      try { sparsity(module, fn, { externs: GEN_EXTERN_BINDINGS, onWarning: () => {} })(...args); } catch (e) { if (!(e instanceof Error && /depends on the active/.test(e.message)) && !(e as any).code) throw e; }
      try { sparsity(module, fn, { mode: "local", externs: GEN_EXTERN_BINDINGS, onWarning: () => {} })(...args); } catch (e) { if (!(e as any).code) throw e; }
    }),
    { numRuns: 20000 },
  );
}, 3600000);
