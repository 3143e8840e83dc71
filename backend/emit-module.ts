// A whole module as the body of one `new Function("rt", "ext", body)`: the
// runtime helpers and extern bindings unpacked into constants, `Math.*`
// captured as `m_<name>`, one `f_k` per IR function (so calls between them are
// direct JS calls), module-level result slots `r_k_i` for results 1.. of
// multi-result functions (written just before `return`, read just after the
// call), and one boundary wrapper `x_k` per function that checks and admits
// arguments, copies array arguments the function may write, packs multiple
// results into an array and, for functions that may recurse, maps a stack
// overflow to E_RUNTIME_TOO_DEEP. The body returns `[x_0, x_1, ...]`. No text
// of the input module reaches the body except numbers (js-text.ts) and
// sanitised names in comments.

import { assert } from "../ir/errors.js";
import type { Func, Module, SourceLoc, Type } from "../ir/types.js";
import { paramTypes } from "../ir/types.js";
import type { FuncEnv, Layout } from "./emit-func.js";
import { emitFunc } from "./emit-func.js";
import { MATH_NAMES } from "./emit-ops.js";
import { paramsNeedingCopy } from "./param-writes.js";
import { mayRecurse } from "./recursion.js";
import type { RuntimeTables } from "./runtime.js";
import { RUNTIME_KEYS } from "./runtime.js";

/** Options of the module emitter. */
export interface EmitModuleOptions {
  /** Bounds checks on array accesses (default true). */
  readonly checked?: boolean;
  /** True for the externs that will be bound (`ext[k]` for extern k); the
   * calls of others throw E_RUNTIME_EXTERN. Default: every extern. */
  readonly isBound?: (name: string) => boolean;
  /** Array parameters written in place, by function name (see CompileOptions.inPlace). */
  readonly inPlace?: Readonly<Record<string, readonly number[]>>;
}

/** The generated body and the tables its runtime helpers need. */
export interface EmittedModule {
  readonly body: string;
  readonly tables: RuntimeTables;
  /** Layout chosen per function, in module order. */
  readonly layouts: readonly Layout[];
}

/** Emits the body of the module closure (see the file comment). */
export function emitModule(module: Module, options: EmitModuleOptions = {}): EmittedModule {
  const checked = options.checked ?? true;
  const isBound = options.isBound ?? (() => true);
  const funcIndex = new Map(module.funcs.map((f, k) => [f.name, k]));
  const externIndex = new Map(module.externs.map((e, k) => [e.name, k]));
  const slots = module.funcs.map((f, k) => f.results.slice(1).map((_, i) => `r_${k}_${i + 1}`));
  const locs: SourceLoc[] = [];

  const env: FuncEnv = {
    checked,
    callee(name) {
      const k = funcIndex.get(name);
      assert(k !== undefined, `backend: call to unknown function @${name}`);
      return { fn: `f_${k}`, extraResults: slots[k]! };
    },
    extern(name) {
      const k = externIndex.get(name);
      assert(k !== undefined, `backend: call to undeclared extern @${name}`);
      const decl = module.externs[k]!;
      const singleF64 = decl.results.length === 1 && decl.results[0] === "f64";
      return { fn: isBound(name) ? `e_${k}` : undefined, index: k, singleF64 };
    },
    loc(l) {
      if (!l) return -1;
      locs.push(l);
      return locs.length - 1;
    },
  };

  const parts: string[] = ['"use strict";'];
  parts.push(`const { ${RUNTIME_KEYS.map((k) => `${k}: rt_${k}`).join(", ")} } = rt;`);
  parts.push(`const ${MATH_NAMES.map((m) => `m_${m} = Math.${m}`).join(", ")};`);
  if (module.externs.length) parts.push(`const ${module.externs.map((_, k) => `e_${k} = ext[${k}]`).join(", ")};`);
  const allSlots = slots.flat();
  parts.push(`let rt_res${allSlots.map((s) => `, ${s}`).join("")};`);
  const layouts: Layout[] = [];
  module.funcs.forEach((f, k) => {
    const { text, layout, pools } = emitFunc(f, `f_${k}`, slots[k]!, env);
    if (pools.length) parts.push(`let ${pools.join(", ")};`);
    parts.push(text);
    layouts.push(layout);
  });
  const recursive = mayRecurse(module);
  const inPlaceOf = (name: string): readonly number[] => (options.inPlace && Object.prototype.hasOwnProperty.call(options.inPlace, name) ? options.inPlace[name]! : []);
  const byRef = (f: Func): boolean[] => paramTypes(f).map((t, i) => t === "f64[]" && inPlaceOf(f.name).includes(i));
  module.funcs.forEach((f, k) => parts.push(emitWrapper(k, paramTypes(f), f.results, paramsNeedingCopy(f), byRef(f), slots[k]!, recursive[k]!)));
  parts.push(`return [${module.funcs.map((_, k) => `x_${k}`).join(", ")}];`);

  const tables: RuntimeTables = { funcs: module.funcs.map((f) => ({ name: f.name, params: paramTypes(f) })), externs: module.externs, locs };
  return { body: parts.join("\n"), tables, layouts };
}

/** The boundary wrapper `x_k` of function `f_k`; only a function that may
 * recurse gets the try/catch for stack overflows (see recursion.ts). */
function emitWrapper(k: number, params: readonly Type[], results: readonly Type[], copy: readonly boolean[], byRef: readonly boolean[], slots: readonly string[], recursive: boolean): string {
  const args = params.map((_, i) => `a${i}`);
  const lines = [`function x_${k}(${args.join(", ")}) {`, `  if (arguments.length !== ${params.length}) throw rt_argCount(${k}, arguments.length);`];
  params.forEach((t, i) => {
    const a = `a${i}`;
    if (t === "f64") lines.push(`  if (typeof ${a} !== "number") throw rt_argKind(${k}, ${i}, ${a});`);
    else if (byRef[i]) lines.push(`  if (!(${a} instanceof Float64Array)) throw rt_argKind(${k}, ${i}, ${a});`);
    else if (t === "f64[]" && !copy[i]) lines.push(`  if (!(${a} instanceof Float64Array)) ${a} = rt_admit(${a}, ${k}, ${i}, false);`);
    else lines.push(`  ${a} = rt_admit(${a}, ${k}, ${i}, ${copy[i] ? "true" : "false"});`);
  });
  const call = `f_${k}(${args.join(", ")})`;
  // Numeric stacks leave in the interpreter's representation, a number[].
  const out = (r: string, t: Type): string => (t === "stack<f64>" || t === "stack<i32>" ? `rt_stackOut(${r})` : r);
  const body: string[] = [];
  if (slots.length) body.push(`const r = ${call};`, `return [${[out("r", results[0]!), ...slots.map((s, i) => out(s, results[i + 1]!))].join(", ")}];`);
  else body.push(`return ${results.length ? out(call, results[0]!) : call};`);
  if (recursive) lines.push("  try {", ...body.map((l) => `    ${l}`), "  } catch (e) {", "    throw rt_caught(e);", "  }");
  else lines.push(...body.map((l) => `  ${l}`));
  lines.push("}");
  return lines.join("\n");
}
