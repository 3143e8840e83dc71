// The IR verifier (DESIGN.md §2): structure (ids, single definitions, block
// references, entry block), op signatures from ir/ops.ts, immediates, call
// signatures, block arguments on every edge, returns, and dominance of every
// use. It reports every problem it finds; each diagnostic names function, block
// and instruction with the printer's names and frames the printed IR around the
// fault. Read-only: it never changes the module. Imports only ir/ modules.
//
// Rules worth stating:
// - A value is defined at most once (block parameter or instruction result)
//   and every used value is defined. Table entries that nothing defines or uses
//   are allowed (rewrites through the builder can leave such orphans).
// - Dominance is checked in reachable code only: a use in block `b` at position
//   `k` (the terminator, edge arguments included, uses at the end of `b`) needs
//   its definition earlier in `b` or in a block dominating `b`. In unreachable
//   blocks dominance is undefined, so only the order inside one block is
//   checked there; types, arities and edges are checked everywhere.
// Linear apart from the dominator tree (ir/cfg.ts): dense arrays by id, no
// strings built unless something is wrong.

import { computeDomTree, dominates, type DomTree } from "./cfg.js";
import { assert, codeFrame, VerifyError, type Diagnostic, type ErrorCode } from "./errors.js";
import { isOpcode, OPS, type OpDecl, type TypeSpec } from "./ops.js";
import { blockNames, formatName, printExtern, printFunc, valueNames } from "./printer.js";
import { ALL_TYPES, termEdges, type BlockId, type Edge, type Extern, type Func, type Inst, type Module, type SourceLoc, type Type, type ValueId } from "./types.js";

/** Options of `checkModule` and `verify`. */
export interface VerifyOptions {
  /** The text the module was parsed from: diagnostics with a location also
   * show that source line with a caret. */
  readonly source?: string;
}

/** Every problem of `module`, in module order (externs, then functions in
 * order, each function's problems in printed-line order). Empty if valid. */
export function checkModule(module: Module, options: VerifyOptions = {}): Diagnostic[] {
  const funcs = new Map<string, Func>();
  const externs = new Map<string, Extern>();
  const out: Diagnostic[] = [];
  for (const ext of module.externs) {
    const report = (code: ErrorCode, message: string): void => {
      out.push(withSource(diagnostic(code, `extern @${formatName(ext.name)}: ${message}`, `> ${printExtern(ext)}`, ext.loc), options.source));
    };
    if (externs.has(ext.name)) report("E_VERIFY_STRUCTURE", "declared twice");
    else externs.set(ext.name, ext);
    for (const t of [...ext.params, ...ext.results]) {
      if (!VALID_TYPES.has(t)) report("E_VERIFY_TYPE", `unknown type ${JSON.stringify(t)}`);
    }
  }
  const duplicates = new Set<Func>();
  for (const f of module.funcs) {
    if (funcs.has(f.name) || externs.has(f.name)) duplicates.add(f);
    else funcs.set(f.name, f);
  }
  for (const f of module.funcs) {
    const checker = new FuncChecker(f, funcs, externs);
    if (duplicates.has(f)) {
      const other = externs.has(f.name) ? "an extern" : "another function";
      checker.report(-1, -1, "E_VERIFY_STRUCTURE", `the name @${formatName(f.name)} is already used by ${other}`);
    }
    checker.run();
    for (const d of checker.diagnostics()) out.push(withSource(d, options.source));
  }
  return out;
}

/** Throws a `VerifyError` (stage "verify") carrying every diagnostic of
 * `checkModule` if the module is not valid. */
export function verify(module: Module, options: VerifyOptions = {}): void {
  const diagnostics = checkModule(module, options);
  if (diagnostics.length > 0) throw new VerifyError("verify", diagnostics);
}

const VALID_TYPES: ReadonlySet<string> = new Set(ALL_TYPES);
const STACK_ELEMENT: Readonly<Record<string, Type | undefined>> = { "stack<f64>": "f64", "stack<i32>": "i32", "stack<f64[]>": "f64[]" };

/** Where a problem is: `block` -1 is the function header; `pos` -1 the block
 * header (its parameters), `pos` = number of instructions its terminator. */
interface Site {
  readonly block: number;
  readonly pos: number;
}

interface Found {
  readonly site: Site;
  readonly code: ErrorCode;
  readonly detail: string;
}

/** Checks one function; collects findings, renders them on demand. */
class FuncChecker {
  private readonly found: Found[] = [];
  private readonly nv: number;
  private readonly defBlock: Int32Array;
  private readonly defPos: Int32Array;
  private tree: DomTree | undefined;
  private names: { values: string[]; blocks: string[] } | undefined;

  constructor(
    private readonly func: Func,
    private readonly funcs: ReadonlyMap<string, Func>,
    private readonly externs: ReadonlyMap<string, Extern>,
  ) {
    this.nv = func.values.length;
    this.defBlock = new Int32Array(this.nv).fill(-1);
    this.defPos = new Int32Array(this.nv);
  }

  /** Records a problem at block `block`, position `pos` (see `Site`). */
  report(block: number, pos: number, code: ErrorCode, detail: string): void {
    this.found.push({ site: { block, pos }, code, detail });
  }

  /** Runs every check, in order: structure, then per instruction and terminator. */
  run(): void {
    const { func } = this;
    if (func.blocks.length === 0) {
      this.report(-1, -1, "E_VERIFY_ENTRY", "the function has no blocks (no entry block)");
      return;
    }
    for (const t of func.results) {
      if (!VALID_TYPES.has(t)) this.report(-1, -1, "E_VERIFY_TYPE", `unknown result type ${JSON.stringify(t)}`);
    }
    this.collectDefinitions();
    if (this.checkTargets()) this.tree = computeDomTree(func);
    func.blocks.forEach((block, b) => {
      block.insts.forEach((inst, k) => this.checkInst(inst, b, k));
      this.checkTerm(b);
    });
  }

  /** Rendered diagnostics, sorted by printed line (stable). */
  diagnostics(): Diagnostic[] {
    if (this.found.length === 0) return [];
    const lines = printFunc(this.func).split("\n");
    const lineStart = this.lineStarts(lines.length);
    const lineOf = (s: Site): number => (s.block < 0 || (s.block === 0 && s.pos < 0) ? 0 : lineStart[s.block]! + 1 + s.pos);
    const sorted = this.found.map((f, i) => ({ f, i, line: lineOf(f.site) })).sort((a, b) => a.line - b.line || a.i - b.i);
    return sorted.map(({ f, line }) => {
      const { block, pos } = f.site;
      let where = `@${formatName(this.func.name)}`;
      let loc = this.func.loc;
      if (block >= 0) {
        where += `, block ${this.blk(block)}`;
        const b = this.func.blocks[block]!;
        if (pos >= 0) {
          const what = pos < b.insts.length ? "instruction" : "terminator";
          where += `, ${what} \`${lines[line]!.trim()}\``;
          loc = pos < b.insts.length ? b.insts[pos]!.loc : b.term.loc;
        } else loc = undefined;
      }
      const frame = lines
        .slice(Math.max(0, line - 2), line + 3)
        .map((text, i) => (i + Math.max(0, line - 2) === line ? "> " : "  ") + text)
        .join("\n");
      return diagnostic(f.code, `${where}: ${f.detail}`, frame, loc);
    });
  }

  /** First printed line of each block (printFunc layout: header, instructions, terminator). */
  private lineStarts(total: number): number[] {
    const starts: number[] = [];
    let line = 1;
    for (const b of this.func.blocks) {
      starts.push(line);
      line += b.insts.length + 2;
    }
    assert(line + 1 === total, `verifier: printed @${this.func.name} has ${total} lines, expected ${line + 1}`);
    return starts;
  }

  // --- names, computed only when a message needs them ---

  private printedNames(): { values: string[]; blocks: string[] } {
    this.names ??= { values: valueNames(this.func), blocks: blockNames(this.func) };
    return this.names;
  }

  /** A value as printed (`%x`), or `%"?17"` for an id that is no value. */
  private val(v: ValueId): string {
    return `%${formatName(this.printedNames().values[v] || `?${v}`)}`;
  }

  /** A block as printed (`^loop`), or `^"?9"` for an id that is no block. */
  private blk(b: BlockId): string {
    return `^${formatName(this.printedNames().blocks[b] ?? `?${b}`)}`;
  }

  // --- structure ---

  private isValueId(v: ValueId): boolean {
    return Number.isInteger(v) && v >= 0 && v < this.nv && this.func.values[v] !== undefined;
  }

  private collectDefinitions(): void {
    this.func.blocks.forEach((block, b) => {
      for (const v of block.params) this.define(v, b, -1, "parameter");
      block.insts.forEach((inst, k) => {
        for (const v of inst.results) this.define(v, b, k, "result");
      });
    });
  }

  private define(v: ValueId, b: BlockId, pos: number, what: string): void {
    if (!this.isValueId(v)) {
      this.report(b, pos, "E_VERIFY_STRUCTURE", `${what} ${this.val(v)} is not a value of the function (it has ${this.nv} values)`);
      return;
    }
    if (this.defBlock[v] !== -1) {
      this.report(b, pos, "E_VERIFY_STRUCTURE", `${this.val(v)} is defined twice (first in block ${this.blk(this.defBlock[v]!)})`);
      return;
    }
    this.defBlock[v] = b;
    this.defPos[v] = pos;
    const t = this.func.values[v]!.type;
    if (!VALID_TYPES.has(t)) this.report(b, pos, "E_VERIFY_TYPE", `${this.val(v)} has unknown type ${JSON.stringify(t)}`);
  }

  /** Reports bad branch targets and edges into the entry block; false if some
   * target is not a block (the CFG analyses cannot run then). */
  private checkTargets(): boolean {
    const nb = this.func.blocks.length;
    let ok = true;
    this.func.blocks.forEach((block, b) => {
      const pos = block.insts.length;
      for (const e of termEdges(block.term)) {
        if (!(Number.isInteger(e.block) && e.block >= 0 && e.block < nb)) {
          this.report(b, pos, "E_VERIFY_STRUCTURE", `branches to block #${e.block}, which does not exist (the function has ${nb} blocks)`);
          ok = false;
        } else if (e.block === 0) {
          this.report(b, pos, "E_VERIFY_ENTRY", `branches to the entry block ${this.blk(0)}, which must have no predecessors`);
        }
      }
    });
    return ok;
  }

  /** The type of a used value (undefined if it has no valid type), after
   * reporting the use unless the value exists and its definition reaches
   * position `pos` of block `b`. The use is described as `role` and its
   * 0-based `index` (shown 1-based; -1 for none), in messages only. */
  private use(v: ValueId, b: BlockId, pos: number, role: string, index = -1): Type | undefined {
    if (!this.isValueId(v) || !this.isAvailable(v, b, pos)) this.reportUse(v, b, pos, index < 0 ? role : `${role} ${index + 1}`);
    return this.typeOf(v);
  }

  /** True if the defined value `v` is available at position `pos` of block `b`. */
  private isAvailable(v: ValueId, b: BlockId, pos: number): boolean {
    const d = this.defBlock[v]!;
    return d !== -1 && (d === b ? this.defPos[v]! < pos : this.reaches(d, b));
  }

  /** True if a definition in block `d` reaches uses in block `b` != `d`:
   * `d` dominates `b`, or `b` is unreachable (see the module comment). */
  private reaches(d: BlockId, b: BlockId): boolean {
    const tree = this.tree;
    return !tree || tree.rpo.index[b]! < 0 || dominates(tree, d, b);
  }

  /** Reports why the use of `v` at (`b`, `pos`) is invalid. */
  private reportUse(v: ValueId, b: BlockId, pos: number, what: string): void {
    if (!this.isValueId(v)) {
      this.report(b, pos, "E_VERIFY_STRUCTURE", `${what} ${this.val(v)} is not a value of the function (it has ${this.nv} values)`);
      return;
    }
    const d = this.defBlock[v]!;
    if (d === -1) {
      this.report(b, pos, "E_VERIFY_STRUCTURE", `${what} ${this.val(v)} is never defined`);
    } else if (d === b) {
      const how = this.defPos[v] === pos ? "is this instruction's own result" : `is used before its definition later in ${this.blk(b)}`;
      this.report(b, pos, "E_VERIFY_DOMINANCE", `${what} ${this.val(v)} ${how}`);
    } else {
      const why = this.tree!.rpo.index[d]! < 0 ? "is unreachable" : `does not dominate ${this.blk(b)}`;
      this.report(b, pos, "E_VERIFY_DOMINANCE", `${what} ${this.val(v)} is defined in block ${this.blk(d)}, which ${why}`);
    }
  }

  /** The declared type of a defined value (results, parameters), if valid. */
  private typeOf(v: ValueId): Type | undefined {
    if (!this.isValueId(v)) return undefined;
    const t = this.func.values[v]!.type;
    return VALID_TYPES.has(t) ? t : undefined;
  }

  // --- instructions ---

  private checkInst(inst: Inst, b: BlockId, k: number): void {
    const op: string = inst.op;
    const argTypes = inst.args.map((a, i) => this.use(a, b, k, "operand", i));
    if (!isOpcode(op)) {
      this.report(b, k, "E_VERIFY_STRUCTURE", `unknown op ${JSON.stringify(op)}`);
      return;
    }
    const isCall = op === "call" || op === "call.extern";
    if (!isCall && inst.callee !== undefined) this.report(b, k, "E_VERIFY_ATTR", `${op} has a callee (@${formatName(inst.callee)}); only calls do`);
    if (op !== "const" && inst.value !== undefined) this.report(b, k, "E_VERIFY_ATTR", `${op} has a literal value; only const does`);
    if (isCall) this.checkCall(inst, b, k, argTypes);
    else this.checkSignature(inst, b, k, OPS[op], argTypes);
  }

  /** Operand and result counts and types against the op's declaration,
   * binding the type variable `T` at its first occurrence. */
  private checkSignature(inst: Inst, b: BlockId, k: number, decl: OpDecl, argTypes: readonly (Type | undefined)[]): void {
    const { params, results } = decl;
    assert(params !== "variadic" && results !== "variadic", `verifier: variadic op ${inst.op} is not a call`);
    let arityOk = true;
    if (inst.args.length !== params.length) {
      this.report(b, k, "E_VERIFY_ARITY", `${inst.op} takes ${count(params.length, "operand")}, got ${inst.args.length}`);
      arityOk = false;
    }
    if (inst.results.length !== results.length) {
      this.report(b, k, "E_VERIFY_ARITY", `${inst.op} has ${count(results.length, "result")}, got ${inst.results.length}`);
      arityOk = false;
    }
    if (!arityOk) return;
    let bound: Type | undefined;
    let boundBy: () => string = () => "";
    // `what` builds the operand's description only when there is something to report.
    const match = (spec: TypeSpec, actual: Type | undefined, what: () => string): void => {
      if (actual === undefined) return;
      if (spec !== "T" && spec !== "stack<T>") {
        if (actual !== spec) this.report(b, k, "E_VERIFY_TYPE", `${what()} has type ${actual}, expected ${spec}`);
        return;
      }
      const inner = spec === "T" ? actual : STACK_ELEMENT[actual];
      if (inner === undefined) {
        this.report(b, k, "E_VERIFY_TYPE", `${what()} has type ${actual}, expected a stack`);
      } else if (bound === undefined) {
        bound = inner;
        boundBy = what;
        const domain = decl.typeVar ?? [];
        if (!domain.includes(inner)) this.report(b, k, "E_VERIFY_TYPE", `${what()} has type ${actual}: ${inst.op} is defined for T in {${domain.join(", ")}}, not T = ${inner}`);
      } else if (inner !== bound) {
        const expected = spec === "T" ? bound : `stack<${bound}>`;
        this.report(b, k, "E_VERIFY_TYPE", `${what()} has type ${actual}, expected ${expected} (T = ${bound} from ${boundBy()})`);
      }
    };
    params.forEach((spec, i) => match(spec, argTypes[i], () => `operand ${i + 1} ${this.val(inst.args[i]!)}`));
    results.forEach((spec, i) => match(spec, this.typeOf(inst.results[i]!), () => `result ${this.val(inst.results[i]!)}`));
    if (inst.op === "const") this.checkLiteral(inst, b, k);
  }

  private checkLiteral(inst: Inst, b: BlockId, k: number): void {
    const value = inst.value;
    const type = this.typeOf(inst.results[0]!);
    if (typeof value !== "number") {
      this.report(b, k, "E_VERIFY_ATTR", "const has no literal value");
    } else if (type === "i32" && !Number.isInteger(value)) {
      this.report(b, k, "E_VERIFY_ATTR", `i32 literal ${value} is not an integer`);
    } else if (type === "bool" && value !== 0 && value !== 1) {
      this.report(b, k, "E_VERIFY_ATTR", `bool literal must be 0 or 1, got ${value}`);
    }
  }

  private checkCall(inst: Inst, b: BlockId, k: number, argTypes: readonly (Type | undefined)[]): void {
    const callee = inst.callee;
    if (callee === undefined) {
      this.report(b, k, "E_VERIFY_ATTR", `${inst.op} has no callee`);
      return;
    }
    const name = `@${formatName(callee)}`;
    let sig: { params: readonly (Type | undefined)[]; results: readonly Type[] };
    if (inst.op === "call") {
      const f = this.funcs.get(callee);
      if (!f) {
        const hint = this.externs.has(callee) ? ` (${name} is an extern: use call.extern)` : "";
        this.report(b, k, "E_VERIFY_CALL", `${name} is not a function of the module${hint}`);
        return;
      }
      if (f.blocks.length === 0) return; // reported on that function
      sig = { params: f.blocks[0]!.params.map((v) => f.values[v]?.type), results: f.results };
    } else {
      const e = this.externs.get(callee);
      if (!e) {
        const hint = this.funcs.has(callee) ? ` (${name} is a function: use call)` : "";
        this.report(b, k, "E_VERIFY_CALL", `${name} is not an extern of the module${hint}`);
        return;
      }
      sig = e;
    }
    if (inst.args.length !== sig.params.length) {
      this.report(b, k, "E_VERIFY_CALL", `${name} takes ${count(sig.params.length, "argument")}, got ${inst.args.length}`);
    } else {
      sig.params.forEach((t, i) => {
        const a = argTypes[i];
        if (a !== undefined && t !== undefined && a !== t) this.report(b, k, "E_VERIFY_CALL", `argument ${i + 1} ${this.val(inst.args[i]!)} has type ${a}, but ${name} expects ${t}`);
      });
    }
    if (inst.results.length !== sig.results.length) {
      this.report(b, k, "E_VERIFY_CALL", `${name} returns ${count(sig.results.length, "value")}, but the call has ${count(inst.results.length, "result")}`);
    } else {
      sig.results.forEach((t, i) => {
        const r = this.typeOf(inst.results[i]!);
        if (r !== undefined && r !== t) this.report(b, k, "E_VERIFY_CALL", `result ${this.val(inst.results[i]!)} has type ${r}, but ${name} returns ${t}`);
      });
    }
  }

  // --- terminators ---

  private checkTerm(b: BlockId): void {
    const block = this.func.blocks[b]!;
    const pos = block.insts.length;
    const term = block.term;
    switch (term.kind) {
      case "br":
        this.checkEdge(term.target, b, pos, "");
        return;
      case "condbr": {
        const c = this.use(term.cond, b, pos, "condition");
        if (c !== undefined && c !== "bool") this.report(b, pos, "E_VERIFY_TYPE", `condition ${this.val(term.cond)} has type ${c}, expected bool`);
        this.checkEdge(term.then, b, pos, "then-edge: ");
        this.checkEdge(term.else, b, pos, "else-edge: ");
        return;
      }
      case "ret": {
        const types = term.values.map((v, i) => this.use(v, b, pos, "returned value", i));
        const want = this.func.results;
        if (types.length !== want.length) {
          this.report(b, pos, "E_VERIFY_RETURN", `returns ${count(types.length, "value")}, but the function returns ${count(want.length, "value")} (${want.join(", ")})`);
          return;
        }
        types.forEach((t, i) => {
          if (t !== undefined && t !== want[i]) this.report(b, pos, "E_VERIFY_RETURN", `returned value ${i + 1} ${this.val(term.values[i]!)} has type ${t}, but the function returns ${want[i]}`);
        });
        return;
      }
      case "unreachable":
        return;
    }
  }

  /** Arity and types of the arguments an edge passes to its target's parameters. */
  private checkEdge(e: Edge, b: BlockId, pos: number, label: string): void {
    const role = `${label}argument`;
    const types = e.args.map((v, i) => this.use(v, b, pos, role, i));
    const target = this.func.blocks[e.block];
    if (!target) return; // reported by checkTargets
    const params = target.params;
    if (types.length !== params.length) {
      this.report(b, pos, "E_VERIFY_EDGE", `${label}passes ${count(types.length, "argument")} to ${this.blk(e.block)}, which has ${count(params.length, "parameter")}`);
      return;
    }
    types.forEach((t, i) => {
      const p = this.typeOf(params[i]!);
      if (t !== undefined && p !== undefined && t !== p) {
        this.report(b, pos, "E_VERIFY_EDGE", `${label}argument ${i + 1} ${this.val(e.args[i]!)} has type ${t}, but parameter ${this.val(params[i]!)} of ${this.blk(e.block)} has type ${p}`);
      }
    });
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function diagnostic(code: ErrorCode, message: string, frame: string, location: SourceLoc | undefined): Diagnostic {
  return location ? { code, message, frame, location } : { code, message, frame };
}

/** Appends the source line at the diagnostic's location, when the source is known. */
function withSource(d: Diagnostic, source: string | undefined): Diagnostic {
  if (source === undefined || !d.location) return d;
  return { ...d, frame: `${d.frame ?? ""}\n${codeFrame(source, d.location)}` };
}
