// Lowering of one checked function to SSA IR. The state machine is an
// explicit task stack (no recursion, so 10^4-deep nesting and 10^5-statement
// bodies are fine): a task may emit code, push values on the value stack, or
// schedule more tasks to run next, in order. Expressions push their values
// (a tuple pushes each element); statements move `cur`, the block being
// filled, which is null after a jump (code after it is dead and skipped).
// Expression rules are in lower-expr.ts, statement rules in lower-stmt.ts.

import type ts from "typescript";
import type { Opcode } from "../ir/ops.js";
import type { BlockId, Func, SourceLoc, Type, ValueId } from "../ir/types.js";
import type { Reporter } from "./diagnostics.js";
import type { ExprType, FuncFacts, FuncSig, VarId } from "./facts.js";
import { stmtTask } from "./lower-stmt.js";
import { SsaBuilder, type SsaVar } from "./ssa.js";

/** A unit of lowering work. */
export type Task = () => void;

/** Where `break` and `continue` go inside a loop or labelled statement. */
export interface JumpTarget {
  readonly labels: readonly string[];
  readonly isLoop: boolean;
  readonly breakTo: BlockId;
  readonly continueTo: BlockId;
}

/** Number of values an expression of type `t` pushes. */
export function width(t: ExprType): number {
  return typeof t === "object" ? t.tuple.length : 1;
}

/** Lowers one function; state shared by the expression and statement rules. */
export class Lowerer {
  readonly ssa: SsaBuilder;
  /** The block being filled, or null in dead code. */
  cur: BlockId | null = null;
  readonly jumps: JumpTarget[] = [];
  private readonly tasks: Task[] = [];
  private readonly vals: ValueId[] = [];
  private readonly temps: { type: Type; name: string | undefined }[] = [];
  /** Integer literals, so that one used as an f64 becomes an f64 constant
   * instead of a conversion (the unused i32 constant is dropped by `finish`). */
  private readonly literals = new Map<ValueId, { value: number; node: ts.Node }>();

  constructor(
    readonly facts: FuncFacts,
    readonly sigs: ReadonlyMap<string, FuncSig>,
    readonly rep: Reporter,
  ) {
    const nv = facts.vars.length;
    this.ssa = new SsaBuilder(
      facts.sig.name,
      facts.sig.results,
      (v) => (v < nv ? facts.vars[v]!.type : this.temps[v - nv]!.type),
      (v) => (v < nv ? facts.vars[v]!.name : this.temps[v - nv]!.name),
      rep.locOf(facts.sig.node.name ?? facts.sig.node),
    );
  }

  /** Lowers the body; the function, or undefined after reporting. */
  run(): Func | undefined {
    const { facts } = this;
    const entry = this.ssa.newBlock("entry");
    this.cur = entry;
    facts.params.forEach((id, i) => {
      const p = facts.sig.params[i]!;
      let v = this.ssa.addParam(p.type, p.name);
      if (facts.copyParams[i]) v = this.emit("array.copy", [v], "f64[]", p.node);
      this.write(id, v);
    });
    this.then(stmtTask(this, facts.sig.node.body!));
    while (this.tasks.length > 0) this.tasks.pop()!();
    const sig = facts.sig;
    if (this.cur !== null) {
      this.rep.typeError(sig.node.type ?? sig.node, `function '${sig.name}' does not return a value on every path`);
      return undefined;
    }
    const done = this.ssa.finish();
    if ("func" in done) return done.func;
    const seen = new Set<SsaVar>();
    for (const u of done.undefinedUses) {
      if (seen.has(u.variable)) continue;
      seen.add(u.variable);
      const name = facts.vars[u.variable]?.name ?? "a temporary";
      this.rep.report("E_TS_UNDEFINED", `'${name}' may be used before it is assigned`, u.loc ?? this.rep.locOf(sig.node));
    }
    return undefined;
  }

  /** Schedules tasks to run next, in the given order. */
  then(...tasks: Task[]): void {
    this.thenAll(tasks);
  }

  /** `then` for a list of any length (no argument spreading). */
  thenAll(tasks: readonly Task[]): void {
    for (let i = tasks.length - 1; i >= 0; i--) this.tasks.push(tasks[i]!);
  }

  push(...vs: ValueId[]): void {
    for (const v of vs) this.vals.push(v);
  }

  pop(): ValueId {
    return this.vals.pop()!;
  }

  /** Pops the last `n` values, in push order. */
  popN(n: number): ValueId[] {
    return this.vals.splice(this.vals.length - n, n);
  }

  /** The checked type of an expression. */
  typeOf(node: ts.Node): ExprType {
    return this.facts.types.get(node)!;
  }

  /** The checked type of a one-value expression. */
  valueTypeOf(node: ts.Node): Type {
    return this.facts.types.get(node) as Type;
  }

  loc(node: ts.Node): SourceLoc {
    return this.rep.locOf(node);
  }

  /** Emits a one-result instruction into the current block. */
  emit(op: Opcode, args: readonly ValueId[], type: Type, at: ts.Node): ValueId {
    return this.ssa.emit1(this.cur!, op, args, type, { loc: this.loc(at) });
  }

  /** Emits an instruction with no or several results. */
  emitN(op: Opcode, args: readonly ValueId[], types: readonly Type[], at: ts.Node, callee?: string): ValueId[] {
    const loc = this.loc(at);
    return this.ssa.emit(this.cur!, op, args, types, callee === undefined ? { loc } : { callee, loc });
  }

  constant(type: Type, value: number, at: ts.Node): ValueId {
    return this.ssa.emit1(this.cur!, "const", [], type, { value, loc: this.loc(at) });
  }

  /** A constant written in the source (a literal or a named constant). */
  literal(type: Type, value: number, at: ts.Node): ValueId {
    const v = this.constant(type, value, at);
    if (type === "i32") this.literals.set(v, { value, node: at });
    return v;
  }

  /** `v` as an f64 (converting an i32). */
  toF64(v: ValueId, at: ts.Node): ValueId {
    if (this.ssa.typeOf(v) !== "i32") return v;
    const lit = this.literals.get(v);
    return lit ? this.constant("f64", lit.value, lit.node) : this.emit("i32.to.f64", [v], "f64", at);
  }

  /** `v` as `want` (only i32 → f64 ever needs a conversion after checking). */
  coerce(v: ValueId, want: Type, at: ts.Node): ValueId {
    return want === "f64" ? this.toF64(v, at) : v;
  }

  /** An array index: an f64 goes through the checked conversion. */
  toIndex(v: ValueId, at: ts.Node): ValueId {
    return this.ssa.typeOf(v) === "f64" ? this.emit("f64.to.i32", [v], "i32", at) : v;
  }

  read(v: SsaVar): ValueId {
    return this.ssa.read(v, this.cur!);
  }

  /** Assigns a variable; an unnamed value takes the variable's name. */
  write(v: SsaVar, value: ValueId): void {
    const name = v < this.facts.vars.length ? this.facts.vars[v]!.name : this.temps[v - this.facts.vars.length]!.name;
    if (name !== undefined) this.ssa.nameIfUnnamed(value, name);
    this.ssa.write(v, this.cur!, value);
  }

  /** The type of a source variable. */
  varType(id: VarId): Type {
    return this.facts.vars[id]!.type;
  }

  /** A fresh SSA variable for lowering's own use. */
  newTemp(type: Type, name?: string): SsaVar {
    this.temps.push({ type, name });
    return this.facts.vars.length + this.temps.length - 1;
  }

  newBlock(name: string): BlockId {
    return this.ssa.newBlock(name);
  }

  /** Ends the current block with a jump to `to`. */
  br(to: BlockId, at: ts.Node): void {
    this.ssa.br(this.cur!, to, this.loc(at));
    this.cur = null;
  }

  /** Ends the current block with a conditional jump. */
  condbr(cond: ValueId, t: BlockId, f: BlockId, at: ts.Node): void {
    this.ssa.condbr(this.cur!, cond, t, f, this.loc(at));
    this.cur = null;
  }

  /** Seals a block whose predecessors are all known and continues there
   * (or in dead code if nothing jumps to it). */
  join(b: BlockId): void {
    this.ssa.seal(b);
    this.cur = this.ssa.predCount(b) > 0 ? b : null;
  }
}

/** Lowers one checked function, or reports why it cannot. */
export function lowerFunction(facts: FuncFacts, sigs: ReadonlyMap<string, FuncSig>, rep: Reporter): Func | undefined {
  return new Lowerer(facts, sigs, rep).run();
}
