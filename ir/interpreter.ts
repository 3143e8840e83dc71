// The reference interpreter (DESIGN.md §2): runs a verified module through the
// evaluation table `EVAL`. IR calls use an explicit frame stack, never JS
// recursion, so deep IR recursion ends in E_RUNTIME_TOO_DEEP instead of a JS
// RangeError. Each module is decoded once (cached per module object) into
// dense per-instruction records; registers are plain arrays indexed by value
// id. Block arguments are a parallel copy. Array arguments are copied at the
// outer boundary, so the caller's arrays never change. Reads the module only.
// Imports only ir/ modules.

import type { EvalContext, EvalRule, RtValue } from "./eval.js";
import { EVAL } from "./eval.js";
import { assert, runtimeError } from "./errors.js";
import { OPS } from "./ops.js";
import { formatName } from "./printer.js";
import type { BlockId, Extern, Func, Inst, Module, Terminator, Type, ValueId } from "./types.js";
import { paramTypes } from "./types.js";

export type { RtValue } from "./eval.js";

/** A JS function bound to an extern declaration. */
export type ExternFn = (...args: number[]) => number | readonly number[];

/** Options of `interpret`. */
export interface InterpretOptions {
  /** Bindings for the module's extern declarations (checked when called). */
  readonly externs?: Readonly<Record<string, ExternFn>>;
  /** Called each time a block is entered, including each function's entry block. */
  readonly onBlock?: (func: Func, block: BlockId) => void;
  /** Maximum number of active IR frames (default `DEFAULT_MAX_DEPTH`). */
  readonly maxDepth?: number;
}

/** Default limit on active IR frames. */
export const DEFAULT_MAX_DEPTH = 100_000;

/** How an instruction's rule result is stored. */
const enum Shape {
  None,
  One,
  Many,
}

interface DInst {
  readonly inst: Inst;
  readonly rule: EvalRule;
  readonly shape: Shape;
  /** Operand buffer, refilled before each evaluation (rules never keep it). */
  readonly args: RtValue[];
}

interface DEdge {
  readonly block: BlockId;
  readonly args: readonly ValueId[];
  readonly params: readonly ValueId[];
}

/** A decoded terminator: kind 0 br, 1 condbr, 2 ret, 3 unreachable. */
interface DTerm {
  readonly kind: 0 | 1 | 2 | 3;
  readonly cond: ValueId;
  readonly then: DEdge | undefined;
  readonly else: DEdge | undefined;
  readonly values: readonly ValueId[];
  readonly term: Terminator;
}

interface DBlock {
  readonly insts: readonly DInst[];
  readonly term: DTerm;
}

interface DFunc {
  readonly func: Func;
  readonly blocks: readonly DBlock[];
  readonly params: readonly ValueId[];
}

interface DModule {
  readonly funcs: ReadonlyMap<string, DFunc>;
  readonly externs: ReadonlyMap<string, Extern>;
}

interface Frame {
  readonly fn: DFunc;
  readonly regs: RtValue[];
  block: BlockId;
  pc: number;
  /** Result registers (in the caller) of the call that created this frame. */
  readonly callerResults: readonly ValueId[];
}

const decodedModules = new WeakMap<Module, DModule>();

function shapeOf(inst: Inst): Shape {
  const results = OPS[inst.op].results;
  if (results === "variadic") return Shape.Many;
  return results.length === 0 ? Shape.None : Shape.One;
}

function decodeFunc(func: Func): DFunc {
  const edge = (e: { block: BlockId; args: readonly ValueId[] }): DEdge => ({ block: e.block, args: e.args, params: func.blocks[e.block]!.params });
  const blocks = func.blocks.map((b): DBlock => {
    const insts = b.insts.map((inst): DInst => ({ inst, rule: EVAL[inst.op], shape: shapeOf(inst), args: new Array<RtValue>(inst.args.length) }));
    const t = b.term;
    const base = { cond: -1, then: undefined, else: undefined, values: [], term: t };
    let term: DTerm;
    switch (t.kind) {
      case "br":
        term = { ...base, kind: 0, then: edge(t.target) };
        break;
      case "condbr":
        term = { ...base, kind: 1, cond: t.cond, then: edge(t.then), else: edge(t.else) };
        break;
      case "ret":
        term = { ...base, kind: 2, values: t.values };
        break;
      case "unreachable":
        term = { ...base, kind: 3 };
        break;
    }
    return { insts, term };
  });
  return { func, blocks, params: func.blocks[0]!.params };
}

function decodeModule(module: Module): DModule {
  let d = decodedModules.get(module);
  if (!d) {
    d = {
      funcs: new Map(module.funcs.map((f) => [f.name, decodeFunc(f)])),
      externs: new Map(module.externs.map((e) => [e.name, e])),
    };
    decodedModules.set(module, d);
  }
  return d;
}

/** Checks (and copies, for arrays and stacks) a value crossing into the IR as
 * `type`; returns undefined if it is not of that kind. `number[]` is accepted
 * for `f64[]` and converted. */
function admit(type: Type, v: unknown): RtValue | undefined {
  switch (type) {
    case "f64":
      return typeof v === "number" ? v : undefined;
    case "i32":
      return typeof v === "number" && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31 ? v : undefined;
    case "bool":
      return typeof v === "boolean" ? v : undefined;
    case "f64[]":
      if (v instanceof Float64Array) return v.slice();
      return isNumberArray(v) ? Float64Array.from(v) : undefined;
    case "stack<f64>":
    case "stack<i32>":
      return isNumberArray(v) ? v.slice() : undefined;
    case "stack<f64[]>":
      return Array.isArray(v) && v.every((x) => x instanceof Float64Array) ? v.slice() : undefined;
  }
}

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === "number");
}

function describe(v: unknown): string {
  if (v instanceof Float64Array) return `Float64Array(${v.length})`;
  if (Array.isArray(v)) return `array(${v.length})`;
  return typeof v === "number" || typeof v === "boolean" ? `${typeof v} ${String(v)}` : typeof v;
}

/** The interpreter state; also the evaluation context of the rules. */
class Machine implements EvalContext {
  private readonly frames: Frame[] = [];
  private readonly maxDepth: number;

  constructor(
    private readonly mod: DModule,
    private readonly options: InterpretOptions,
  ) {
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  }

  typeOf(v: ValueId): Type {
    return this.frames[this.frames.length - 1]!.fn.func.values[v]!.type;
  }

  call(inst: Inst, args: readonly RtValue[]): undefined {
    const callee = this.mod.funcs.get(inst.callee!);
    assert(callee, `interpret: call to unknown function @${formatName(inst.callee!)}`);
    this.push(callee, args, inst.results);
    return undefined;
  }

  callExtern(inst: Inst, args: readonly RtValue[]): readonly RtValue[] {
    const name = inst.callee!;
    const shown = `@${formatName(name)}`;
    const decl = this.mod.externs.get(name);
    assert(decl, `interpret: call to undeclared extern ${shown}`);
    const externs = this.options.externs;
    const fn = externs && Object.hasOwn(externs, name) ? externs[name] : undefined;
    if (typeof fn !== "function") throw runtimeError("E_RUNTIME_EXTERN", `extern ${shown} has no binding (pass it in options.externs)`, inst.loc);
    // Arrays are passed as copies so a misbehaving extern cannot alter IR state.
    const out = fn(...(args.map((a) => (a instanceof Float64Array || Array.isArray(a) ? a.slice() : a)) as number[]));
    const raw: readonly unknown[] = decl.results.length === 1 && !Array.isArray(out) ? [out] : (out as readonly unknown[]);
    if (!Array.isArray(raw) || raw.length !== decl.results.length) {
      throw runtimeError("E_RUNTIME_EXTERN", `extern ${shown} must return ${decl.results.length} value(s), got ${describe(out)}`, inst.loc);
    }
    return decl.results.map((t, i) => {
      const v = admit(t, raw[i]);
      if (v === undefined) throw runtimeError("E_RUNTIME_EXTERN", `extern ${shown} result ${i} should be ${t}, got ${describe(raw[i])}`, inst.loc);
      return v;
    });
  }

  /** Pushes a frame for `fn` with `args` bound to its parameters. */
  push(fn: DFunc, args: readonly RtValue[], callerResults: readonly ValueId[]): void {
    if (this.frames.length >= this.maxDepth) {
      throw runtimeError("E_RUNTIME_TOO_DEEP", `call to @${formatName(fn.func.name)}: more than ${this.maxDepth} active calls (recursion too deep)`);
    }
    const regs = new Array<RtValue>(fn.func.values.length);
    const params = fn.params;
    for (let i = 0; i < params.length; i++) regs[params[i]!] = args[i]!;
    this.frames.push({ fn, regs, block: 0, pc: 0, callerResults });
    this.options.onBlock?.(fn.func, 0);
  }

  /** Runs until the outermost frame returns; yields its results. */
  run(): RtValue[] {
    const frames = this.frames;
    const onBlock = this.options.onBlock;
    const scratch: RtValue[] = [];
    for (;;) {
      const frame = frames[frames.length - 1]!;
      const regs = frame.regs;
      const block = frame.fn.blocks[frame.block]!;
      const insts = block.insts;
      let called = false;
      while (frame.pc < insts.length) {
        const d = insts[frame.pc++]!;
        const argIds = d.inst.args;
        const args = d.args;
        for (let i = 0; i < argIds.length; i++) args[i] = regs[argIds[i]!]!;
        const out = d.rule(args, d.inst, this);
        if (d.shape === Shape.One) regs[d.inst.results[0]!] = out as RtValue;
        else if (d.shape === Shape.Many) {
          if (out === undefined) {
            called = true;
            break;
          }
          const results = d.inst.results;
          for (let i = 0; i < results.length; i++) regs[results[i]!] = (out as readonly RtValue[])[i]!;
        }
      }
      if (called) continue;

      const t = block.term;
      if (t.kind === 2) {
        const values = t.values.map((v) => regs[v]!);
        frames.pop();
        if (frames.length === 0) return values;
        const caller = frames[frames.length - 1]!;
        for (let i = 0; i < values.length; i++) caller.regs[frame.callerResults[i]!] = values[i]!;
        continue;
      }
      if (t.kind === 3) {
        throw runtimeError("E_RUNTIME_UNREACHABLE", `@${formatName(frame.fn.func.name)}: reached \`unreachable\``, t.term.loc);
      }
      const e = t.kind === 0 || regs[t.cond] === true ? t.then! : t.else!;
      // Parallel copy: read every argument before writing any parameter.
      const n = e.args.length;
      for (let i = 0; i < n; i++) scratch[i] = regs[e.args[i]!]!;
      for (let i = 0; i < n; i++) regs[e.params[i]!] = scratch[i]!;
      frame.block = e.block;
      frame.pc = 0;
      onBlock?.(frame.fn.func, e.block);
    }
  }
}

/** Runs `fn` of a verified `module` on `args` and returns its results (always
 * an array). Arguments are checked against the parameter types (wrong count
 * or kind: DerivRuntimeError E_RUNTIME_ARGS); array arguments are copied and
 * may be given as `number[]`. Runtime faults are DerivRuntimeErrors: bounds,
 * empty stack pops, `unreachable`, a missing extern binding (checked when the
 * extern is called), recursion deeper than `maxDepth`. */
export function interpret(module: Module, fn: string, args: readonly RtValue[], options: InterpretOptions = {}): RtValue[] {
  const mod = decodeModule(module);
  const entry = mod.funcs.get(fn);
  const shown = `@${formatName(fn)}`;
  if (!entry) throw runtimeError("E_RUNTIME_ARGS", `no function ${shown} in the module`);
  const types = paramTypes(entry.func);
  if (args.length !== types.length) {
    throw runtimeError("E_RUNTIME_ARGS", `${shown} takes ${types.length} argument(s), got ${args.length}`);
  }
  const names = entry.params.map((v) => entry.func.values[v]!.name);
  const admitted = types.map((t, i) => {
    const v = admit(t, args[i]);
    if (v === undefined) {
      const param = names[i] !== undefined ? `%${formatName(names[i])} (#${i})` : `#${i}`;
      throw runtimeError("E_RUNTIME_ARGS", `${shown} parameter ${param} expects ${t}, got ${describe(args[i])}`);
    }
    return v;
  });
  const machine = new Machine(mod, options);
  machine.push(entry, admitted, []);
  return machine.run();
}
