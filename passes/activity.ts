// Activity analysis: which values of a function carry derivatives with
// respect to a set of active parameters. A value is *active* when it is
// *varied* (depends differentiably on an active parameter) and *useful*
// (reaches a result, or an array parameter the caller can read). Containers
// (`f64[]`, `stack<f64>`, `stack<f64[]>`) are mutable and shared by
// reference, so they are grouped into alias classes (union-find over edges,
// selects, calls and stacks of arrays) and a class is varied or useful as a
// whole. Also here: the check shared by the AD passes' requests.
// Both directions iterate to a fixpoint over the instructions (loops need
// several rounds). Reads the IR only; used by fwd-ad and rev-ad.

import type { Func, Module, Type, ValueId } from "../ir/types.js";
import { termEdges } from "../ir/types.js";
import { JVP } from "./rules/jvp.js";

/** Name of the prelude extern whose result never carries a derivative. */
export const STOP_GRADIENT = "stopGradient";

/** True for the types whose values are shared by reference and get shadows. */
export function isContainer(t: Type): boolean {
  return t === "f64[]" || t === "stack<f64>" || t === "stack<f64[]>";
}

/** True for the types that can carry a derivative. */
export function isDifferentiable(t: Type): boolean {
  return t === "f64" || isContainer(t);
}

/** Checks an AD request (function exists, `wrt` indices are differentiable
 * parameters, `fn.<suffix>` is not taken) and resolves the default `wrt`. */
export function resolveAdRequest(module: Module, fn: string, wrt: readonly number[] | undefined, suffix: string, fail: (message: string) => never): { root: Func; wrt: number[]; rootName: string } {
  const root = module.funcs.find((f) => f.name === fn);
  if (!root) fail(`no function @${fn} (functions: ${module.funcs.map((f) => f.name).join(", ") || "none"})`);
  const types = root.blocks[0]!.params.map((p) => root.values[p]!.type);
  const active = wrt ? [...wrt] : types.flatMap((t, i) => (isDifferentiable(t) ? [i] : []));
  for (const i of active) {
    if (!Number.isInteger(i) || i < 0 || i >= types.length) fail(`wrt index ${i} out of range: @${root.name} has ${types.length} parameters`);
    if (!isDifferentiable(types[i]!)) fail(`parameter ${i} of @${root.name} has type ${types[i]} and cannot be differentiated`);
  }
  const rootName = `${root.name}.${suffix}`;
  if (module.funcs.some((f) => f.name === rootName)) fail(`@"${rootName}" already exists in the module`);
  return { root, wrt: active, rootName };
}

/** Result of the analysis, indexed by value id. */
export interface Activity {
  /** 1 if the value needs a tangent / adjoint. */
  readonly active: Uint8Array;
  /** Alias-class representative of each container value (its own id otherwise). */
  readonly aliasClass: Int32Array;
}

function makeUnionFind(n: number): { find: (v: number) => number; union: (a: number, b: number) => void; parent: Int32Array } {
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (v: number): number => {
    while (parent[v] !== v) {
      parent[v] = parent[parent[v]!]!;
      v = parent[v]!;
    }
    return v;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  return { find, union, parent };
}

/** Computes activity of `func`'s values when the parameters at `activeParams`
 * (indices into the entry block's parameters) are active. */
export function computeActivity(func: Func, activeParams: readonly number[]): Activity {
  const n = func.values.length;
  const type = (v: ValueId): Type => func.values[v]!.type;
  const uf = makeUnionFind(n);
  const containers = (vs: readonly ValueId[]): ValueId[] => vs.filter((v) => isContainer(type(v)));

  // Alias classes: block arguments, selects, and everything a call touches.
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      if (inst.op === "select" && isContainer(type(inst.results[0]!))) {
        uf.union(inst.results[0]!, inst.args[1]!);
        uf.union(inst.results[0]!, inst.args[2]!);
      } else if (inst.op === "stack.push" && type(inst.args[0]!) === "stack<f64[]>") {
        uf.union(inst.args[0]!, inst.args[1]!); // a stack of arrays aliases what it holds
      } else if (inst.op === "stack.pop" && type(inst.args[0]!) === "stack<f64[]>") {
        uf.union(inst.args[0]!, inst.results[0]!);
      } else if (inst.op === "call" || inst.op === "call.extern") {
        const cs = [...containers(inst.args), ...containers(inst.results)];
        for (let i = 1; i < cs.length; i++) uf.union(cs[0]!, cs[i]!);
      }
    }
    for (const e of termEdges(block.term)) {
      const params = func.blocks[e.block]!.params;
      e.args.forEach((a, i) => {
        if (isContainer(type(a))) uf.union(a, params[i]!);
      });
    }
  }

  // The flag of a value: containers share their class root's flag.
  const slot = (v: ValueId): number => (isContainer(type(v)) ? uf.find(v) : v);
  const varied = new Uint8Array(n);
  const useful = new Uint8Array(n);
  const entry = func.blocks[0]!;
  for (const i of activeParams) {
    const p = entry.params[i];
    if (p !== undefined && isDifferentiable(type(p))) varied[slot(p)] = 1;
  }

  const mark = (flags: Uint8Array, v: ValueId): boolean => {
    if (!isDifferentiable(type(v))) return false;
    const s = slot(v);
    if (flags[s]) return false;
    flags[s] = 1;
    return true;
  };
  const has = (flags: Uint8Array, v: ValueId): boolean => isDifferentiable(type(v)) && flags[slot(v)] === 1;

  // Forward: varied.
  for (let changed = true; changed; ) {
    changed = false;
    for (const block of func.blocks) {
      for (const inst of block.insts) {
        const anyArg = inst.args.some((a) => has(varied, a));
        if (inst.op === "array.set" || inst.op === "stack.push") {
          if (has(varied, inst.args[inst.args.length - 1]!)) changed = mark(varied, inst.args[0]!) || changed;
        } else if (inst.op === "call" || inst.op === "call.extern") {
          if (anyArg && inst.callee !== STOP_GRADIENT) for (const v of [...inst.results, ...containers(inst.args)]) changed = mark(varied, v) || changed;
        } else if (JVP[inst.op].kind !== "zero" && anyArg) {
          for (const v of inst.results) changed = mark(varied, v) || changed;
        }
      }
      for (const e of termEdges(block.term)) {
        const params = func.blocks[e.block]!.params;
        e.args.forEach((a, i) => {
          if (has(varied, a)) changed = mark(varied, params[i]!) || changed;
        });
      }
    }
  }

  // Backward: useful.
  for (const block of func.blocks) if (block.term.kind === "ret") for (const v of block.term.values) mark(useful, v);
  // Arrays passed in are shared with the caller, which sees what is written into them.
  for (const p of entry.params) if (isContainer(type(p))) mark(useful, p);
  for (let changed = true; changed; ) {
    changed = false;
    for (let b = func.blocks.length - 1; b >= 0; b--) {
      const block = func.blocks[b]!;
      for (const e of termEdges(block.term)) {
        const params = func.blocks[e.block]!.params;
        e.args.forEach((a, i) => {
          if (has(useful, params[i]!)) changed = mark(useful, a) || changed;
        });
      }
      for (let k = block.insts.length - 1; k >= 0; k--) {
        const inst = block.insts[k]!;
        const needArgs =
          inst.op === "array.set" || inst.op === "stack.push"
            ? has(useful, inst.args[0]!)
            : inst.op === "call" || inst.op === "call.extern"
              ? inst.callee !== STOP_GRADIENT && [...inst.results, ...containers(inst.args)].some((v) => has(useful, v))
              : JVP[inst.op].kind !== "zero" && inst.results.some((v) => has(useful, v));
        if (needArgs) for (const a of inst.args) changed = mark(useful, a) || changed;
      }
    }
  }

  const active = new Uint8Array(n);
  const aliasClass = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    aliasClass[v] = isContainer(type(v)) ? uf.find(v) : v;
    if (has(varied, v) && has(useful, v)) active[v] = 1;
  }
  return { active, aliasClass };
}

/** `--annotate activity`: marks instructions whose results are active, every
 * number and array parameter being active (cached per function). */
export function activityAnnotator(): (func: Func, block: number, index: number) => string | undefined {
  const cache = new WeakMap<Func, Activity>();
  return (func, b, k) => {
    let act = cache.get(func);
    if (!act) {
      const mask = func.blocks[0]!.params.flatMap((p, i) => (isDifferentiable(func.values[p]!.type) ? [i] : []));
      cache.set(func, (act = computeActivity(func, mask)));
    }
    const inst = func.blocks[b]!.insts[k]!;
    const results = inst.results.filter((r) => isDifferentiable(func.values[r]!.type));
    if (!results.length) return inst.op === "array.set" || inst.op === "stack.push" ? (act.active[act.aliasClass[inst.args[0]!]!] ? "active store" : undefined) : undefined;
    return results.some((r) => act!.active[act!.aliasClass[r]!]) ? "active" : "inactive";
  };
}
