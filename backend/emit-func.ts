// One IR function as one JavaScript function `f_k`. Values become `let`
// variables `v<id>` declared at the top (SSA values of a block dominating their
// uses, so one declaration per value suffices); constants are inlined as
// literals; parameters of a block with a single in-edge are renamed to that
// edge's arguments (the edge's source dominates every use) instead of copied.
// The body is the structured program of structure.ts, or, for irreducible or
// too deeply nested CFGs, a `switch` over block ids inside a loop. Block
// arguments are assigned as sequentialised parallel copies. Reads the IR only.

import { computeDomTree } from "../ir/cfg.js";
import type { BlockId, Edge, Func, Inst, Type, ValueId } from "../ir/types.js";
import { termEdges, termUses } from "../ir/types.js";
import { provenAccesses } from "./bounds.js";
import { UnsupportedError } from "../ir/errors.js";
import type { EmitCtx, LocalStack } from "./emit-ops.js";
import { EMIT } from "./emit-ops.js";
import { commentSafe, jsLiteral } from "./js-text.js";
import { sequentialize } from "./parallel-copy.js";
import { STACK_CAPACITY } from "./runtime.js";
import type { Stmt } from "./structure.js";
import { singleEdgeBlocks, structure } from "./structure.js";

/** Module-level facts the function emitter needs (emit-module.ts provides them). */
export interface FuncEnv {
  readonly checked: boolean;
  /** Internal name of a function and the slots of its results 1.. */
  callee(name: string): { readonly fn: string; readonly extraResults: readonly string[] };
  /** Binding of an extern (see EmitCtx.extern). */
  extern(name: string): { readonly fn: string | undefined; readonly index: number; readonly singleF64: boolean };
  /** Registers a source location and returns its index in the module's table (-1 for none). */
  loc(inst: Inst["loc"]): number;
}

/** Locals per generated function: V8 overflows its stack on entering a frame
 * of about 150,000 (measured on Node 20); 100,000 run. */
const MAX_LOCALS = 120_000;

/** How a function body was laid out. */
export type Layout = "structured" | "dispatch";

/** Emits `function <jsName>(...) { ... }` for `func`; `resultSlots` name the
 * module variables carrying results 1.. of a multi-result function. */
export function emitFunc(func: Func, jsName: string, resultSlots: readonly string[], env: FuncEnv): { text: string; layout: Layout; pools: string[] } {
  const tree = computeDomTree(func);
  const body = structure(func, tree);
  const order = tree.rpo.order;
  const single = singleEdgeBlocks(func);
  const names = nameValues(func, order, single);
  let temps = 0;
  const temp = (k: number): string => {
    temps = Math.max(temps, k + 1);
    return `t${k}`;
  };

  const stacks = localStacks(func, order, jsName);
  const proven = env.checked ? provenAccesses(func, tree) : new Set<Inst>();
  const constants = new Map<ValueId, number>();
  for (const b of order) for (const inst of func.blocks[b]!.insts) if (inst.op === "const") constants.set(inst.results[0]!, inst.value!);
  const ctx: EmitCtx = {
    use: (v) => names[v]!,
    def: (v) => names[v]!,
    typeOf: (v): Type => func.values[v]!.type,
    constOf: (v) => constants.get(v),
    loc: (inst) => env.loc(inst.loc),
    checked: env.checked,
    proven: (inst) => proven.has(inst),
    callee: (name) => env.callee(name),
    extern: (name) => env.extern(name),
    localStack: (v) => stacks.get(v),
  };
  const pooled = [...stacks.values()].flatMap((s) => (s.pool ? [s.pool] : []));
  const inlined = inlinedConditions(func, order);
  const code = (b: BlockId, ind: string, out: string[]): void => {
    for (const inst of func.blocks[b]!.insts) {
      if (inlined.get(b) === inst) continue;
      const rule = EMIT[inst.op];
      const line = "expr" in rule ? `${names[inst.results[0]!]} = ${rule.expr(ctx, inst)};` : rule.stmt(ctx, inst);
      if (line) out.push(ind + line);
    }
  };
  const copies = (e: Edge, ind: string, out: string[]): void => {
    if (single[e.block]) return;
    const params = func.blocks[e.block]!.params.map((p) => names[p]!);
    for (const m of sequentialize(params, e.args.map((a) => names[a]!), temp)) out.push(`${ind}${m.dest} = ${m.src};`);
  };
  const exit = (b: BlockId, ind: string, out: string[]): void => {
    const term = func.blocks[b]!.term;
    if (term.kind === "unreachable") out.push(`${ind}throw rt_unreachable(${env.loc(term.loc)});`);
    else if (term.kind === "ret") {
      const vals = term.values.map((v) => names[v]!);
      vals.slice(1).forEach((v, k) => out.push(`${ind}${resultSlots[k]!} = ${v};`));
      // Hand borrowed tape buffers (possibly grown) back to their pools.
      for (const s of stacks.values()) if (s.pool) out.push(`${ind}if (${s.pool.owned}) { ${s.pool.buffer} = ${s.d}; ${s.pool.busy} = false; }`);
      out.push(vals.length ? `${ind}return ${vals[0]};` : `${ind}return;`);
    }
  };
  const cond = (b: BlockId): string => {
    const def = inlined.get(b);
    const rule = def && EMIT[def.op];
    if (rule && "expr" in rule) return rule.expr(ctx, def!);
    const term = func.blocks[b]!.term;
    return term.kind === "condbr" ? names[term.cond]! : "";
  };

  const lines: string[] = [];
  const layout: Layout = body ? "structured" : "dispatch";
  if (body) printStructured(body, undefined, "  ", lines, new Set(), { code, copies, exit, cond });
  else printDispatch(func, order, lines, { code, copies, exit, cond });

  const params = func.blocks[0]!.params.map((p) => names[p]!);
  const lets = declaredValues(func, order, single, names, new Set(inlined.values()));
  if (lets.length > MAX_LOCALS) {
    throw new UnsupportedError("backend", [{ code: "E_BACKEND_TOO_LARGE", message: `@${func.name} needs ${lets.length} JavaScript locals, more than the ${MAX_LOCALS} one V8 frame holds (split the function)` }]);
  }
  for (let k = 0; k < temps; k++) lets.push(`t${k}`);
  for (const s of stacks.values()) lets.push(s.d, s.n, ...(s.pool ? [s.pool.owned] : []));
  if (layout === "dispatch") lets.push("bb = 0");
  const head = [`// @${commentSafe(func.name)}`, `function ${jsName}(${params.join(", ")}) {`];
  if (lets.length) head.push(`  let ${lets.join(", ")};`);
  const pools = pooled.map((p) => `${p.buffer} = new Float64Array(${STACK_CAPACITY}), ${p.busy} = false`);
  return { text: `${head.join("\n")}\n${lines.join("\n")}\n}`, layout, pools };
}

/** Numeric stacks used only by push and pop in this function: kept in two
 * locals instead of an object. Those created in the entry block (once per
 * call, e.g. reverse-mode tapes) borrow a module-level buffer, so a tape is
 * allocated and grown once, not on every call; a nested or reentrant call
 * finding the buffer busy allocates its own. */
function localStacks(func: Func, order: readonly BlockId[], jsName: string): Map<ValueId, LocalStack> {
  const candidates = new Map<ValueId, BlockId>();
  for (const b of order) {
    for (const inst of func.blocks[b]!.insts) {
      const r = inst.results[0];
      if (inst.op === "stack.new" && r !== undefined && (func.values[r]!.type === "stack<f64>" || func.values[r]!.type === "stack<i32>")) candidates.set(r, b);
    }
  }
  const escapes = (v: ValueId): void => {
    candidates.delete(v);
  };
  for (const b of order) {
    const block = func.blocks[b]!;
    for (const inst of block.insts) {
      const onlyAsStack = inst.op === "stack.push" || inst.op === "stack.pop";
      inst.args.forEach((a, i) => {
        if (!onlyAsStack || i !== 0) escapes(a);
      });
    }
    for (const v of termUses(block.term)) escapes(v);
  }
  const out = new Map<ValueId, LocalStack>();
  for (const [v, b] of candidates) {
    const base = `${jsName}_s${v}`;
    out.set(v, b === 0 ? { d: `${base}d`, n: `${base}n`, pool: { buffer: `${base}_pool`, busy: `${base}_busy`, owned: `${base}o` } } : { d: `${base}d`, n: `${base}n` });
  }
  return out;
}

/** JS names of every value: `v<id>`, literals for constants, and the edge's
 * argument for parameters of single-in-edge blocks (resolved in RPO, where
 * the edge's source, and so every argument's definition, comes first). */
function nameValues(func: Func, order: readonly BlockId[], single: Uint8Array): string[] {
  const names = func.values.map((_, v) => `v${v}`);
  for (const b of order) {
    for (const inst of func.blocks[b]!.insts) {
      if (inst.op === "const") names[inst.results[0]!] = jsLiteral(func.values[inst.results[0]!]!.type, inst.value!);
    }
  }
  for (const b of order) {
    for (const e of termEdges(func.blocks[b]!.term)) {
      if (!single[e.block]) continue;
      const params = func.blocks[e.block]!.params;
      params.forEach((p, i) => (names[p] = names[e.args[i]!]!));
    }
  }
  return names;
}

/** Variables to declare: results of non-constant instructions (except
 * inlined conditions) and parameters of multi-edge blocks, in reachable blocks. */
function declaredValues(func: Func, order: readonly BlockId[], single: Uint8Array, names: readonly string[], inlined: ReadonlySet<Inst>): string[] {
  const out: string[] = [];
  for (const b of order) {
    const block = func.blocks[b]!;
    if (b !== 0 && !single[b]) for (const p of block.params) out.push(names[p]!);
    for (const inst of block.insts) if (inst.op !== "const" && !inlined.has(inst)) for (const r of inst.results) out.push(names[r]!);
  }
  return out;
}

/** Per block, the instruction computing its `condbr` condition if that is in
 * the block itself, used nowhere else and has an expression rule: it is
 * emitted inside the `if` instead of into a variable (a boolean kept in a variable before the
 * branch made V8's loop 20 % slower on T1). Moving a pure op to the end of
 * its block changes nothing: its operands are SSA values already defined. */
function inlinedConditions(func: Func, order: readonly BlockId[]): Map<BlockId, Inst> {
  const uses = new Int32Array(func.values.length);
  for (const b of order) {
    const block = func.blocks[b]!;
    for (const inst of block.insts) for (const a of inst.args) uses[a]!++;
    for (const v of termUses(block.term)) uses[v]!++;
  }
  const out = new Map<BlockId, Inst>();
  for (const b of order) {
    const { insts, term } = func.blocks[b]!;
    if (term.kind !== "condbr" || uses[term.cond] !== 1) continue;
    const def = insts.find((i) => i.results[0] === term.cond);
    if (def && "expr" in EMIT[def.op]) out.set(b, def);
  }
  return out;
}

interface Printers {
  code(b: BlockId, ind: string, out: string[]): void;
  copies(e: Edge, ind: string, out: string[]): void;
  exit(b: BlockId, ind: string, out: string[]): void;
  cond(b: BlockId): string;
}

/** The negation of a condition: `!v3`, or `!(v3 < v7)` for an inlined one. */
function negate(c: string): string {
  return /^[\w$]+$/.test(c) ? `!${c}` : `!(${c})`;
}

/** What falling off the end of a statement list does: the same as `break B<b>`
 * or `continue L<b>`, or nothing known. A final jump that matches is elided. */
type Fall = { readonly via: "break" | "continue"; readonly block: BlockId } | undefined;

/** Prints structured statements. Loops are `L<header>: while (true)`,
 * labelled blocks `B<follow>: { }`; a label no jump uses is dropped (leaving a
 * plain block). Lines go straight into `out` (no copying of nested output).
 * Recursion depth is the syntax nesting, bounded by structure.ts's MAX_NESTING. */
function printStructured(stmts: readonly Stmt[], fall: Fall, ind: string, out: string[], used: Set<string>, p: Printers): void {
  const inner = ind + "  ";
  stmts.forEach((s, k) => {
    const f = k === stmts.length - 1 ? fall : undefined;
    switch (s.kind) {
      case "code":
        p.code(s.block, ind, out);
        break;
      case "jump": {
        p.copies(s.edge, ind, out);
        if (s.via === "fall" || (f && f.via === s.via && f.block === s.edge.block)) break;
        const label = s.via === "break" ? `B${s.edge.block}` : `L${s.edge.block}`;
        used.add(label);
        out.push(`${ind}${s.via} ${label};`);
        break;
      }
      case "labelled": {
        const open = out.push("") - 1;
        printStructured(s.body, { via: "break", block: s.follow }, inner, out, used, p);
        out[open] = used.has(`B${s.follow}`) ? `${ind}B${s.follow}: {` : `${ind}{`;
        out.push(`${ind}}`);
        break;
      }
      case "loop": {
        const open = out.push("") - 1;
        printStructured(s.body, { via: "continue", block: s.header }, inner, out, used, p);
        out[open] = `${ind}${used.has(`L${s.header}`) ? `L${s.header}: ` : ""}while (true) {`;
        out.push(`${ind}}`);
        break;
      }
      case "if": {
        const c = p.cond(s.block);
        const open = out.push(`${ind}if (${c}) {`) - 1;
        printStructured(s.then, f, inner, out, used, p);
        if (out.length === open + 1) {
          out[open] = `${ind}if (${negate(c)}) {`;
          printStructured(s.else, f, inner, out, used, p);
          out.push(`${ind}}`);
          break;
        }
        const mid = out.push(`${ind}} else {`) - 1;
        printStructured(s.else, f, inner, out, used, p);
        if (out.length === mid + 1) out[mid] = `${ind}}`;
        else out.push(`${ind}}`);
        break;
      }
      case "exit":
        p.exit(s.block, ind, out);
        break;
    }
  });
}

/** Prints the fallback layout: `D: for (;;) switch (bb) { case <block>: ... }`
 * over the reachable blocks, each case ending in a `continue D`, a return or a throw. */
function printDispatch(func: Func, order: readonly BlockId[], out: string[], p: Printers): void {
  const ind = "      ";
  const go = (e: Edge, at: string): void => {
    p.copies(e, at, out);
    out.push(`${at}bb = ${e.block};`);
  };
  out.push("  D: for (;;) switch (bb) {");
  for (const b of order) {
    out.push(`    case ${b}: {`);
    p.code(b, ind, out);
    const term = func.blocks[b]!.term;
    if (term.kind === "br") {
      go(term.target, ind);
      out.push(`${ind}continue D;`);
    } else if (term.kind === "condbr") {
      out.push(`${ind}if (${p.cond(b)}) {`);
      go(term.then, ind + "  ");
      out.push(`${ind}} else {`);
      go(term.else, ind + "  ");
      out.push(`${ind}}`, `${ind}continue D;`);
    } else p.exit(b, ind, out);
    out.push("    }");
  }
  out.push("  }");
}
