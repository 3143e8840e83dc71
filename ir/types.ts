// The IR's data model: plain, immutable-by-convention records with numeric ids.
// Values and blocks are dense integer ids into per-function tables (Cranelift
// style); nothing here has methods. This module imports nothing.

/** Scalar and aggregate types of the IR. `i32` is an internal refinement for
 * integer-valued numbers (counters, lengths, indices); never a parameter type
 * of a source function. `stack<T>` exists for reverse-mode tapes (`stack<f64[]>`
 * records array references). */
export type Type = "f64" | "i32" | "bool" | "f64[]" | "stack<f64>" | "stack<i32>" | "stack<f64[]>";

/** Every type, in a fixed order (printer/parser/generator use this). */
export const ALL_TYPES: readonly Type[] = ["f64", "i32", "bool", "f64[]", "stack<f64>", "stack<i32>", "stack<f64[]>"];

/** Index into `Func.values`. */
export type ValueId = number;
/** Index into `Func.blocks`; block 0 is the entry block. */
export type BlockId = number;

/** A position inside the user's input (1-based line and column). */
export interface SourceLoc {
  readonly file?: string;
  readonly line: number;
  readonly col: number;
}

/** Per-value facts: its type and an optional name hint used only for printing. */
export interface ValueInfo {
  readonly type: Type;
  readonly name?: string;
}

/** Immediate payload of an instruction: a constant's value or a callee name. */
export interface Inst {
  readonly op: import("./ops.js").Opcode;
  readonly args: readonly ValueId[];
  readonly results: readonly ValueId[];
  /** `const`: the literal (booleans are stored as 0/1). */
  readonly value?: number;
  /** `call` / `call.extern`: the callee's name. */
  readonly callee?: string;
  readonly loc?: SourceLoc;
}

/** A jump target with the arguments bound to the target's block parameters. */
export interface Edge {
  readonly block: BlockId;
  readonly args: readonly ValueId[];
}

/** Block terminators. Passing block arguments is a parallel copy. */
export type Terminator =
  | { readonly kind: "br"; readonly target: Edge; readonly loc?: SourceLoc }
  | { readonly kind: "condbr"; readonly cond: ValueId; readonly then: Edge; readonly else: Edge; readonly loc?: SourceLoc }
  | { readonly kind: "ret"; readonly values: readonly ValueId[]; readonly loc?: SourceLoc }
  | { readonly kind: "unreachable"; readonly loc?: SourceLoc };

export interface Block {
  readonly name?: string;
  readonly params: readonly ValueId[];
  readonly insts: readonly Inst[];
  readonly term: Terminator;
}

/** A function. `blocks[0]` is the entry block; its parameters are the
 * function's parameters. Blocks are listed in layout order. */
export interface Func {
  readonly name: string;
  readonly results: readonly Type[];
  readonly blocks: readonly Block[];
  readonly values: readonly ValueInfo[];
  readonly loc?: SourceLoc;
}

/** A black-box function: only its signature is known. */
export interface Extern {
  readonly name: string;
  readonly params: readonly Type[];
  readonly results: readonly Type[];
  readonly loc?: SourceLoc;
}

/** A module: functions and extern declarations, each unique by name, in order. */
export interface Module {
  readonly funcs: readonly Func[];
  readonly externs: readonly Extern[];
}

/** The parameter types of a function (those of its entry block). */
export function paramTypes(func: Func): Type[] {
  return func.blocks[0]!.params.map((v) => func.values[v]!.type);
}

/** The function named `name`, or undefined. */
export function findFunc(module: Module, name: string): Func | undefined {
  return module.funcs.find((f) => f.name === name);
}

/** The extern named `name`, or undefined. */
export function findExtern(module: Module, name: string): Extern | undefined {
  return module.externs.find((e) => e.name === name);
}

/** True for the numeric scalar types (`i32`, `f64`). */
export function isNumeric(t: Type): t is "f64" | "i32" {
  return t === "f64" || t === "i32";
}

/** The successor edges of a terminator, in order (then before else). */
export function termEdges(term: Terminator): readonly Edge[] {
  switch (term.kind) {
    case "br":
      return [term.target];
    case "condbr":
      return [term.then, term.else];
    case "ret":
    case "unreachable":
      return [];
  }
}

/** The values a terminator reads (condition, edge arguments, returned values). */
export function termUses(term: Terminator): ValueId[] {
  switch (term.kind) {
    case "br":
      return [...term.target.args];
    case "condbr":
      return [term.cond, ...term.then.args, ...term.else.args];
    case "ret":
      return [...term.values];
    case "unreachable":
      return [];
  }
}
