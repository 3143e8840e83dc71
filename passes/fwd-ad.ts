// The `fwd-ad` pass: forward-mode AD as an IR transformation (compiled dual
// numbers). For `f` and active parameters W it adds `f.jvp(x..., dx...) ->
// (y..., dy...)`: the same CFG, every active value followed by its tangent.
// With `dirs = k`, a scalar tangent is k f64 values and a container tangent
// (shadow) one container holding k entries per element (`t[i*k + d]`).
//
// Algorithm: activity analysis (passes/activity.ts) picks the values that get
// tangents; the function is rebuilt with the same value ids (so the primal is
// copied verbatim) plus tangent block parameters and tangent instructions from
// the rule table (passes/rules/jvp.ts). Tangents are `ValueId | null`, null
// a symbolic zero: no arithmetic on a known zero is ever emitted; a zero is
// materialised (`const 0.0`) only where a value must be passed (edges, calls,
// returns, array stores). Calls get callee variants `g.jvp` per activity mask,
// generated through a worklist, so recursion terminates. Calls to externs and
// to functions with a registered rule become `call.extern @"g.jvp"` (one call
// per direction); api/ binds those to the rule or to finite differences.
//
// Reads its input module only; returns a new module sharing untouched functions.

import { FuncBuilder } from "../ir/builder.js";
import { computeRPO } from "../ir/cfg.js";
import { PipelineError } from "../ir/errors.js";
import type { Opcode } from "../ir/ops.js";
import type { BlockId, Extern, Func, Inst, Module, SourceLoc, Terminator, Type, ValueId } from "../ir/types.js";
import { findExtern, findFunc } from "../ir/types.js";
import { computeActivity, isContainer, isDifferentiable, resolveAdRequest, STOP_GRADIENT } from "./activity.js";
import { emitCountedLoop } from "./loop-emit.js";
import { customRule } from "./rules/custom.js";
import type { Pass } from "./pass.js";
import { JVP, makeEmitter, selectTangent, type Tangent } from "./rules/jvp.js";

/** Tangent of a value: per direction for f64 (entries may be symbolic zeros), one shadow for containers. */
type TangentOf = readonly Tangent[] | null;

/** Options of one JVP request. */
export interface JvpRequest {
  readonly fn: string;
  /** Active parameter indices (default: every f64 / f64[] parameter). */
  readonly wrt?: readonly number[];
  /** Number of tangent directions (default 1). */
  readonly dirs?: number;
}

function fail(message: string): never {
  throw new PipelineError("pipeline", [{ code: "E_PIPELINE_PASS_FAILED", message: `fwd-ad: ${message}` }]);
}

/** Signature of the extern `g.jvp` for extern (or custom-rule function) `g`. */
export function jvpExternSignature(params: readonly Type[], results: readonly Type[]): { params: Type[]; results: Type[] } {
  return {
    params: [...params, ...params.filter((t) => t === "f64")],
    results: [...results, ...results.filter((t) => t === "f64")],
  };
}

/** Adds `fn.jvp` (and the callee variants it needs) to `module`. */
export function addJvp(module: Module, request: JvpRequest): Module {
  const dirs = request.dirs ?? 1;
  if (!Number.isInteger(dirs) || dirs < 1) fail(`dirs must be a positive integer, got ${dirs}`);
  const { root, wrt, rootName } = resolveAdRequest(module, request.fn, request.wrt, "jvp", fail);

  const taken = new Set<string>([...module.funcs.map((f) => f.name), ...module.externs.map((e) => e.name)]);
  const variants = new Map<string, string>();
  const queue: { func: Func; mask: number[]; name: string }[] = [];
  const externs: Extern[] = [...module.externs];
  const request1 = (func: Func, mask: number[], preferred: string): string => {
    const key = `${func.name}\u0000${mask.join(",")}`;
    const known = variants.get(key);
    if (known) return known;
    let name = preferred;
    for (let k = 1; taken.has(name); k++) name = `${preferred}.${k}`;
    taken.add(name);
    variants.set(key, name);
    queue.push({ func, mask, name });
    return name;
  };
  const jvpExtern = (name: string, params: readonly Type[], results: readonly Type[]): string => {
    const ext = `${name}.jvp`;
    if (!findExtern({ funcs: [], externs }, ext)) {
      if (params.some(isContainer) || results.some(isContainer)) fail(`@${name} takes or returns arrays; derivative rules for black boxes support f64 arguments and results only`);
      externs.push({ name: ext, ...jvpExternSignature(params, results) });
      taken.add(ext);
    }
    return ext;
  };
  const env: VariantEnv = {
    dirs,
    module,
    variantOf: (callee, mask) => {
      const f = findFunc(module, callee)!;
      const all = f.blocks[0]!.params.flatMap((p, i) => (isDifferentiable(f.values[p]!.type) ? [i] : []));
      const full = mask.length === all.length;
      return request1(f, mask, full ? `${callee}.jvp` : `${callee}.jvp[${mask.join(",")}]`);
    },
    externJvp: jvpExtern,
  };

  request1(root, [...wrt], rootName);
  const added: Func[] = [];
  while (queue.length) {
    const job = queue.shift()!;
    added.push(differentiate(job.func, job.mask, job.name, env));
  }
  return { funcs: [...module.funcs, ...added], externs };
}

interface VariantEnv {
  readonly dirs: number;
  readonly module: Module;
  /** Name of the JVP of module function `callee` w.r.t. the argument positions `mask`. */
  variantOf(callee: string, mask: number[]): string;
  /** Declares (once) and names the extern `g.jvp` for a black box or custom rule. */
  externJvp(name: string, params: readonly Type[], results: readonly Type[]): string;
}

/** Builds the JVP of `func` with active parameters `mask`. */
function differentiate(func: Func, mask: readonly number[], name: string, env: VariantEnv): Func {
  const k = env.dirs;
  const { active, aliasClass } = computeActivity(func, mask);
  const type = (v: ValueId): Type => func.values[v]!.type;
  const hint = (v: ValueId): string | undefined => {
    const n = func.values[v]!.name;
    return n === undefined ? undefined : `d${n}`;
  };
  const classActive = (v: ValueId): boolean => active[aliasClass[v]!] === 1 || active[v] === 1;
  const tangentTypes = (t: Type): Type[] => (t === "f64" ? new Array<Type>(k).fill("f64") : isContainer(t) ? [t] : []);
  const resultTypes = [...func.results, ...func.results.flatMap(tangentTypes)];
  const B = new FuncBuilder(name, resultTypes, func.loc);
  for (const info of func.values) B.newValue(info.type, info.name);
  for (const block of func.blocks) B.addBlock(block.name);

  const tan: TangentOf[] = new Array(func.values.length).fill(null);
  let cur: BlockId = 0;
  let loc: SourceLoc | undefined;
  const extras = (): { loc?: SourceLoc } => (loc ? { loc } : {});
  const op = (o: Opcode, args: readonly ValueId[], t: Type = "f64"): ValueId => B.emit1(cur, o, args, t, extras());
  const f64 = (x: number): ValueId => B.constant(cur, "f64", x, loc);
  const i32 = (x: number): ValueId => B.constant(cur, "i32", x, loc);
  const e = makeEmitter(op, f64);
  const orZero = (t: Tangent): ValueId => t ?? f64(0);
  /** Index of direction d of element i in a shadow array. */
  const shadowIndex = (i: ValueId, d: number): ValueId => (k === 1 ? i : op("add", [op("mul", [i, i32(k)], "i32"), i32(d)], "i32"));
  /** A zero shadow for container value v (already defined). */
  const zeroShadow = (v: ValueId): ValueId => {
    if (type(v) !== "f64[]") return B.emit1(cur, "stack.new", [], type(v), extras(), hint(v));
    const len = op("array.len", [v], "i32");
    const n = k === 1 ? len : op("mul", [len, i32(k)], "i32");
    return B.emit1(cur, "array.new", [n, f64(0)], "f64[]", extras(), hint(v));
  };
  /** Tangents of value v per direction (f64) — nulls for inactive values. */
  const dirsOf = (v: ValueId): readonly Tangent[] => tan[v] ?? new Array<Tangent>(k).fill(null);
  /** Values to pass for v's tangent where it must be materialised (edges, calls, returns). */
  const passTangent = (v: ValueId): ValueId[] => {
    if (isContainer(type(v))) return [tan[v]?.[0] ?? zeroShadow(v)];
    return dirsOf(v).map(orZero);
  };

  // Block headers: primal parameters keep their ids; tangent parameters follow.
  func.blocks.forEach((block, b) => {
    for (const p of block.params) B.addParamValue(b, p);
    if (b === 0) return;
    for (const p of block.params) {
      if (type(p) === "f64" && active[p]) tan[p] = Array.from({ length: k }, () => B.addParam(b, "f64", hint(p)));
      else if (isContainer(type(p)) && classActive(p)) tan[p] = [B.addParam(b, type(p), hint(p))];
    }
  });
  const entry = func.blocks[0]!;
  for (const i of mask) {
    const p = entry.params[i]!;
    const ids = tangentTypes(type(p)).map((t) => B.addParam(0, t, hint(p)));
    if (active[p] || (isContainer(type(p)) && classActive(p))) tan[p] = ids;
  }
  // Containers of an active class that enter inactive (not in mask) start with zero shadows.
  for (const p of entry.params) if (isContainer(type(p)) && classActive(p) && !tan[p]) tan[p] = [zeroShadow(p)];

  const emitInst = (inst: Inst): void => {
    loc = inst.loc;
    B.emitWith(cur, inst.op, inst.args, inst.results, { ...(inst.value !== undefined ? { value: inst.value } : {}), ...(inst.callee !== undefined ? { callee: inst.callee } : {}), ...extras() });
  };

  // Dominators before the blocks they dominate: every use sees its definition's tangent.
  const rpo = computeRPO(func);
  rpo.order.forEach((b) => {
    const block = func.blocks[b]!;
    cur = b;
    for (const inst of block.insts) {
      const rule = JVP[inst.op];
      const y = inst.results[0];
      if (inst.op === "call") {
        transformCall(inst);
      } else if (inst.op === "call.extern") {
        transformExternCall(inst, inst.callee!, inst.callee === STOP_GRADIENT);
      } else if (rule.kind === "zero") {
        emitInst(inst);
      } else if (rule.kind === "partials") {
        emitInst(inst);
        if (y !== undefined && active[y]) {
          const need = inst.args.map((a) => tan[a] !== null && tan[a]!.some((t) => t !== null));
          if (need.some(Boolean)) {
            const partials = rule.partials(e, inst.args, y, need);
            tan[y] = Array.from({ length: k }, (_, d) => {
              let acc: Tangent = null;
              inst.args.forEach((a, i) => {
                if (need[i]) acc = e.add(acc, e.scale(partials[i]!, tan[a]![d]!));
              });
              return acc;
            });
          }
        }
      } else if (rule.kind === "tangent") {
        emitInst(inst);
        if (y !== undefined && active[y]) {
          const ts = Array.from({ length: k }, (_, d) => rule.tangent(e, inst.args, y, inst.args.map((a) => dirsOf(a)[d]!)));
          if (ts.some((t) => t !== null)) tan[y] = ts;
        }
      } else {
        transformStructural(inst);
      }
      // Every container of an active class has a shadow from its definition on.
      for (const r of inst.results) if (isContainer(type(r)) && classActive(r) && !tan[r]) tan[r] = [zeroShadow(r)];
    }
    B.setTerm(cur, transformTerm(block.term));
  });

  function transformStructural(inst: Inst): void {
    emitInst(inst);
    const [a0, a1, a2] = inst.args;
    const y = inst.results[0];
    switch (inst.op) {
      case "select":
        if (y !== undefined && isContainer(type(y)) && classActive(y)) tan[y] = [op("select", [a0!, tan[a1!]![0]!, tan[a2!]![0]!], type(y))];
        else if (y !== undefined && active[y]) {
          const ts = Array.from({ length: k }, (_, d) => selectTangent(e, a0!, dirsOf(a1!)[d]!, dirsOf(a2!)[d]!));
          if (ts.some((t) => t !== null)) tan[y] = ts;
        }
        return;
      case "array.new":
        if (classActive(y!)) {
          const fill = dirsOf(a1!);
          if (fill.every((t) => t === null)) return; // zero shadow added by the caller
          if (k === 1) tan[y!] = [B.emit1(cur, "array.new", [a0!, fill[0]!], "f64[]", extras(), hint(y!))];
          else tan[y!] = [fillShadow(a0!, fill.map(orZero), hint(y!))];
        }
        return;
      case "array.get":
        if (active[y!] && tan[a0!]) tan[y!] = Array.from({ length: k }, (_, d) => op("array.get", [tan[a0!]![0]!, shadowIndex(a1!, d)]));
        return;
      case "array.set":
        if (classActive(a0!) && tan[a0!]) {
          const vals = dirsOf(a2!);
          for (let d = 0; d < k; d++) B.emitWith(cur, "array.set", [tan[a0!]![0]!, shadowIndex(a1!, d), orZero(vals[d]!)], [], extras());
        }
        return;
      case "array.copy":
        if (classActive(y!) && tan[a0!]) tan[y!] = [B.emit1(cur, "array.copy", [tan[a0!]![0]!], "f64[]", extras(), hint(y!))];
        return;
      case "stack.new":
        if (classActive(y!)) tan[y!] = [B.emit1(cur, "stack.new", [], type(y!), extras(), hint(y!))];
        return;
      case "stack.push":
        if (type(a0!) === "stack<f64[]>" && classActive(a0!) && tan[a0!]) {
          B.emitWith(cur, "stack.push", [tan[a0!]![0]!, tan[a1!]![0]!], [], extras());
        } else if (type(a0!) === "stack<f64>" && classActive(a0!) && tan[a0!]) {
          const vals = dirsOf(a1!);
          for (let d = 0; d < k; d++) B.emitWith(cur, "stack.push", [tan[a0!]![0]!, orZero(vals[d]!)], [], extras());
        }
        return;
      case "stack.pop":
        // Pops mirror pushes whether or not the popped value is used.
        if (type(a0!) === "stack<f64[]>" && classActive(a0!) && tan[a0!]) {
          tan[y!] = [B.emit1(cur, "stack.pop", [tan[a0!]![0]!], "f64[]", extras(), hint(y!))];
        } else if (type(a0!) === "stack<f64>" && classActive(a0!) && tan[a0!]) {
          const ts = new Array<Tangent>(k);
          for (let d = k - 1; d >= 0; d--) ts[d] = op("stack.pop", [tan[a0!]![0]!]);
          if (active[y!]) tan[y!] = ts;
        }
        return;
    }
  }

  /** A shadow of length n*k with entry i*k+d = fill[d], by an emitted loop. */
  function fillShadow(n: ValueId, fill: readonly ValueId[], name: string | undefined): ValueId {
    const shadowArray = B.emit1(cur, "array.new", [op("mul", [n, i32(k)], "i32"), f64(0)], "f64[]", extras(), name);
    cur = emitCountedLoop(B, cur, n, loc, (body, i) => {
      const base = B.emit1(body, "mul", [i, B.constant(body, "i32", k)], "i32");
      for (let d = 0; d < k; d++) B.emitWith(body, "array.set", [shadowArray, B.emit1(body, "add", [base, B.constant(body, "i32", d)], "i32"), fill[d]!], []);
      return [];
    }).block;
    return shadowArray;
  }

  function transformCall(inst: Inst): void {
    const callee = findFunc(env.module, inst.callee!)!;
    const activeArgs = inst.args.flatMap((a, i) => (tan[a] !== null && tan[a]!.some((t) => t !== null) ? [i] : []));
    if (activeArgs.length === 0) return emitInst(inst);
    if (customRule(callee.name)?.jvp) {
      const calleeTypes = callee.blocks[0]!.params.map((p) => callee.values[p]!.type);
      return transformExternCall(inst, env.externJvp(callee.name, calleeTypes, callee.results), false, true);
    }
    loc = inst.loc;
    const variant = env.variantOf(callee.name, activeArgs);
    const args = [...inst.args, ...activeArgs.flatMap((i) => passTangent(inst.args[i]!))];
    const tangentResults = inst.results.map((r) => tangentTypes(type(r)).map((t) => B.newValue(t, hint(r))));
    B.emitWith(cur, "call", args, [...inst.results, ...tangentResults.flat()], { callee: variant, ...extras() });
    inst.results.forEach((r, i) => {
      if (tangentResults[i]!.length && (active[r] || (isContainer(type(r)) && classActive(r)))) tan[r] = tangentResults[i]!;
    });
  }

  /** Black boxes and custom rules: primal call, then one `g.jvp` call per direction. */
  function transformExternCall(inst: Inst, callee: string, stop: boolean, viaRule = false): void {
    const anyActive = inst.args.some((a) => tan[a] !== null);
    if (!viaRule) emitInst(inst);
    else {
      loc = inst.loc;
      B.emitWith(cur, "call", inst.args, inst.results, { callee: inst.callee!, ...extras() });
    }
    if (stop || !anyActive || !inst.results.some((r) => active[r])) return;
    const ext = viaRule ? callee : env.externJvp(callee, inst.args.map(type), inst.results.map(type));
    const perDir: ValueId[][] = [];
    for (let d = 0; d < k; d++) {
      const dargs = inst.args.filter((a) => type(a) === "f64").map((a) => orZero(dirsOf(a)[d]!));
      const outs = B.emit(cur, "call.extern", [...inst.args, ...dargs], [...inst.results.map(type), ...inst.results.filter((r) => type(r) === "f64").map(() => "f64" as Type)], { callee: ext, ...extras() });
      perDir.push(outs.slice(inst.results.length));
    }
    let j = 0;
    for (const r of inst.results) {
      if (type(r) !== "f64") continue;
      const idx = j++;
      if (active[r]) tan[r] = perDir.map((outs) => outs[idx]!);
    }
  }

  function transformTerm(term: Terminator): Terminator {
    loc = term.loc;
    const edgeArgs = (target: BlockId, args: readonly ValueId[]): ValueId[] => {
      const params = func.blocks[target]!.params;
      const extra: ValueId[] = [];
      args.forEach((a, i) => {
        const p = params[i]!;
        if ((type(p) === "f64" && active[p]) || (isContainer(type(p)) && classActive(p))) extra.push(...passTangent(a));
      });
      return [...args, ...extra];
    };
    const withLoc = <T extends Terminator>(t: T): T => (term.loc ? { ...t, loc: term.loc } : t);
    switch (term.kind) {
      case "br":
        return withLoc({ kind: "br", target: { block: term.target.block, args: edgeArgs(term.target.block, term.target.args) } });
      case "condbr":
        return withLoc({
          kind: "condbr",
          cond: term.cond,
          then: { block: term.then.block, args: edgeArgs(term.then.block, term.then.args) },
          else: { block: term.else.block, args: edgeArgs(term.else.block, term.else.args) },
        });
      case "ret":
        return withLoc({ kind: "ret", values: [...term.values, ...term.values.flatMap((v) => (isDifferentiable(type(v)) ? passTangent(v) : []))] });
      case "unreachable":
        return term;
    }
  }

  // Unreachable blocks are dropped (they were never differentiated).
  const order = Array.from({ length: B.blockCount }, (_, b) => b).filter((b) => b >= func.blocks.length || rpo.index[b]! >= 0);
  return B.finish(order);
}

/** `fwd-ad{fn=f wrt=0,2 dirs=k}`: adds `f.jvp(x..., dx...) -> (y..., dy...)`. */
export const fwdAd: Pass = {
  name: "fwd-ad",
  description: "forward-mode AD: add f.jvp computing Jacobian-vector products (k directions at once)",
  options: [
    { name: "fn", kind: "string", required: true, doc: "the function to differentiate" },
    { name: "wrt", kind: "int-list", doc: "active parameter indices (default: every f64 and f64[] parameter)" },
    { name: "dirs", kind: "int", default: 1, doc: "number of tangent directions carried at once" },
  ],
  run(module, ctx) {
    const wrt = ctx.options["wrt"] === undefined ? undefined : ctx.intList("wrt");
    return addJvp(module, { fn: ctx.str("fn"), dirs: ctx.int("dirs"), ...(wrt ? { wrt } : {}) });
  },
};
