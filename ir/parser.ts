// The IR text parser: the exact inverse of ir/printer.ts, so
// `printIR(parseIR(printIR(m)))` is `printIR(m)` byte for byte. One pass over
// the tokens of ir/lexer.ts, line by line, no recursion. Names are resolved per
// function through symbol tables, so values and blocks may be used before they
// are defined; value and block ids are dense, in order of definition. The
// parser checks only what it needs to build the Module (syntax, names,
// literals); types and dominance are the verifier's. It reports every problem
// it finds, recovering at the next line (at the next `func` after a broken
// function header), then throws one `ParseError`. Imports only ir/ modules.

import type { Diagnostic, ErrorCode } from "./errors.js";
import { codeFrame, ParseError } from "./errors.js";
import type { TokenKind } from "./lexer.js";
import { Lexer, readLiteral } from "./lexer.js";
import type { Opcode } from "./ops.js";
import { isOpcode } from "./ops.js";
import type { Block, Edge, Extern, Func, Inst, Module, SourceLoc, Terminator, Type, ValueId, ValueInfo } from "./types.js";

/** Options of `parseIR`. */
export interface ParseOptions {
  /** File name put in diagnostic locations. */
  readonly file?: string;
}

/** After this many diagnostics the parser stops looking for more. */
export const MAX_PARSE_DIAGNOSTICS = 100;

/** Thrown inside a line after its diagnostic is recorded; caught by `guardLine`. */
const ABORT_LINE = Symbol("abort line");
/** Thrown when `MAX_PARSE_DIAGNOSTICS` is reached; caught by `parseModule`. */
const TOO_MANY = Symbol("too many diagnostics");

const TERMINATORS = new Set(["br", "condbr", "ret", "unreachable"]);

/** Parses IR text into a Module. Throws a `ParseError` listing every problem. */
export function parseIR(text: string, options: ParseOptions = {}): Module {
  return new IRParser(text, options.file).parseModule();
}

interface Problem {
  readonly code: ErrorCode;
  readonly message: string;
  readonly line: number;
  readonly col: number;
}

/** Names of one kind (values or blocks) in one function, by symbol number.
 * Plain arrays of numbers, so 10^5 names cost no objects. */
interface SymbolTable {
  readonly syms: Map<string, number>;
  /** Symbol -> id once defined, else -1. */
  readonly ids: number[];
  /** Symbol -> line of its definition. */
  readonly defLine: number[];
  /** Symbol -> its first mention (reported if the name is never defined): line, col, offsets. */
  readonly firstLine: number[];
  readonly firstCol: number[];
  readonly firstStart: number[];
  readonly firstEnd: number[];
}

/** A block being parsed. Instruction args, edge args and edge blocks hold
 * symbols (not ids) until `finishFunc` resolves them. */
interface BlockDraft {
  readonly name: string;
  readonly display: string;
  readonly params: ValueId[];
  readonly insts: Inst[];
  term?: Terminator;
  /** A line of this block failed: a missing terminator is not reported. */
  broken: boolean;
}

interface FuncState {
  name: string;
  display: string;
  results: readonly Type[];
  /** By value id; ids are handed out by `valueCount` when a definition starts. */
  readonly values: ValueInfo[];
  valueCount: number;
  readonly valueTab: SymbolTable;
  readonly blockTab: SymbolTable;
  readonly headerParams: ValueId[];
  readonly blocks: BlockDraft[];
  /** Arrays of value symbols (instruction args) to resolve in place. */
  readonly argLists: number[][];
  /** The block receiving instructions (may be a detached recovery block). */
  cur: BlockDraft | undefined;
  /** Set after a broken block header or a misplaced instruction: further
   * misplaced instructions are not reported until the next good header. */
  quiet: boolean;
  readonly problemsBefore: number;
}

function symbolTable(): SymbolTable {
  return { syms: new Map(), ids: [], defLine: [], firstLine: [], firstCol: [], firstStart: [], firstEnd: [] };
}

class IRParser {
  private readonly lx: Lexer;
  private readonly problems: Problem[] = [];
  private readonly funcs: Func[] = [];
  private readonly externs: Extern[] = [];
  /** Function and extern names -> line of definition. */
  private readonly globals = new Map<string, number>();
  private fs: FuncState | undefined;

  constructor(
    private readonly text: string,
    private readonly file: string | undefined,
  ) {
    this.lx = new Lexer(text);
  }

  parseModule(): Module {
    try {
      this.moduleItems();
    } catch (e) {
      if (e !== TOO_MANY) throw e;
    }
    if (this.problems.length) throw this.error();
    return { funcs: this.funcs, externs: this.externs };
  }

  // ---- diagnostics and token helpers ----

  private report(code: ErrorCode, message: string, line: number, col: number): void {
    this.problems.push({ code, message, line, col });
    if (this.problems.length >= MAX_PARSE_DIAGNOSTICS) throw TOO_MANY;
  }

  /** Reports at the current token. */
  private reportHere(code: ErrorCode, message: string): void {
    this.report(code, message, this.lx.line, this.lx.col);
  }

  /** Reports at the current token and abandons the line. */
  private fail(code: ErrorCode, message: string): never {
    this.reportHere(code, message);
    throw ABORT_LINE;
  }

  private unexpected(what: string): never {
    this.fail("E_IR_SYNTAX", this.lx.kind === "bad" ? this.lx.value : `expected ${what}, found ${this.describeHere()}`);
  }

  private describeHere(): string {
    if (this.lx.kind === "newline") return "end of line";
    if (this.lx.kind === "eof") return "end of input";
    const raw = this.lx.raw();
    return `'${raw.length > 40 ? raw.slice(0, 40) + "…" : raw}'`;
  }

  private error(): ParseError {
    const sorted = this.problems.slice().sort((a, b) => a.line - b.line || a.col - b.col);
    const diagnostics = sorted.map((p): Diagnostic => {
      const location: SourceLoc = this.file !== undefined ? { file: this.file, line: p.line, col: p.col } : { line: p.line, col: p.col };
      return { code: p.code, message: p.message, location, frame: codeFrame(this.text, location) };
    });
    return new ParseError("parse", diagnostics);
  }

  private isPunct(p: string): boolean {
    return this.lx.kind === "punct" && this.lx.value === p;
  }

  private isWord(w: string): boolean {
    return this.lx.kind === "word" && this.lx.value === w;
  }

  private eatPunct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.lx.next();
    return true;
  }

  private expectPunct(p: string): void {
    if (!this.eatPunct(p)) this.unexpected(`'${p}'`);
  }

  /** Checks the kind of the current token (without consuming it). */
  private expectKind(kind: TokenKind, what: string): void {
    if (this.lx.kind !== kind) this.unexpected(what);
  }

  private expectLineEnd(): void {
    if (this.lx.kind !== "newline" && this.lx.kind !== "eof") this.unexpected("end of line");
  }

  private skipLine(): void {
    while (this.lx.kind !== "newline" && this.lx.kind !== "eof") this.lx.next();
  }

  private skipNewlines(): void {
    while (this.lx.kind === "newline") this.lx.next();
  }

  /** Runs a line parser; on a line error skips the rest of the line. */
  private guardLine(parse: () => void): boolean {
    try {
      parse();
      return true;
    } catch (e) {
      if (e !== ABORT_LINE) throw e;
      if (this.fs?.cur) this.fs.cur.broken = true;
      this.skipLine();
      return false;
    }
  }

  // ---- module level ----

  private moduleItems(): void {
    let junk = false;
    for (;;) {
      this.skipNewlines();
      if (this.lx.kind === "eof") return;
      if (this.isWord("func")) {
        junk = false;
        this.funcItem();
      } else if (this.isWord("extern")) {
        junk = false;
        this.guardLine(() => this.externItem());
      } else {
        // One diagnostic per run of junk lines.
        if (!junk) this.guardLine(() => this.unexpected("'func' or 'extern'"));
        else this.skipLine();
        junk = true;
      }
    }
  }

  /** Records the function or extern name at the cursor; false (and a diagnostic) if taken. */
  private declareGlobal(what: string): boolean {
    const name = this.lx.value;
    const line = this.globals.get(name);
    if (line !== undefined) {
      this.reportHere("E_IR_REDEFINED", `${what} ${this.lx.raw()} is already defined on line ${line}`);
      return false;
    }
    this.globals.set(name, this.lx.line);
    return true;
  }

  private externItem(): void {
    this.lx.next();
    this.expectKind("func", "an extern name like @g");
    const name = this.lx.value;
    const fresh = this.declareGlobal("extern");
    this.lx.next();
    this.expectPunct("(");
    const params: Type[] = [];
    if (!this.isPunct(")")) {
      do params.push(this.type());
      while (this.eatPunct(","));
    }
    this.expectPunct(")");
    this.expectPunct("->");
    const results = this.resultTypes();
    this.expectLineEnd();
    if (fresh) this.externs.push({ name, params, results });
  }

  private type(): Type {
    const lx = this.lx;
    if (lx.kind !== "word") this.unexpected("a type");
    const t = lx.value;
    if (t === "f64" || t === "i32" || t === "bool") {
      lx.next();
      if (t !== "f64" || !this.eatPunct("[")) return t;
      this.expectPunct("]");
      return "f64[]";
    }
    if (t !== "stack") this.fail("E_IR_SYNTAX", `unknown type '${t}'`);
    lx.next();
    this.expectPunct("<");
    const e = lx.value;
    if (lx.kind !== "word" || (e !== "f64" && e !== "i32")) this.fail("E_IR_SYNTAX", `unknown stack element type ${this.describeHere()} (f64, i32 or f64[])`);
    lx.next();
    const isArray = e === "f64" && this.eatPunct("[");
    if (isArray) this.expectPunct("]");
    this.expectPunct(">");
    return isArray ? "stack<f64[]>" : e === "f64" ? "stack<f64>" : "stack<i32>";
  }

  /** `f64` or `(f64, i32)` or `()`. */
  private resultTypes(): Type[] {
    if (!this.eatPunct("(")) return [this.type()];
    const types: Type[] = [];
    if (!this.isPunct(")")) {
      do types.push(this.type());
      while (this.eatPunct(","));
    }
    this.expectPunct(")");
    return types;
  }

  // ---- functions ----

  private funcItem(): void {
    const fs: FuncState = {
      name: "",
      display: "@?",
      results: [],
      values: [],
      valueCount: 0,
      valueTab: symbolTable(),
      blockTab: symbolTable(),
      headerParams: [],
      blocks: [],
      argLists: [],
      cur: undefined,
      quiet: false,
      problemsBefore: this.problems.length,
    };
    this.fs = fs;
    if (this.guardLine(() => this.funcHeader(fs))) this.finishFunc(fs, this.funcBody(fs));
    else this.skipFuncBody();
    this.fs = undefined;
  }

  private funcHeader(fs: FuncState): void {
    this.lx.next();
    this.expectKind("func", "a function name like @f");
    fs.name = this.lx.value;
    fs.display = this.lx.raw();
    this.declareGlobal("function");
    this.lx.next();
    this.expectPunct("(");
    if (!this.isPunct(")")) {
      do fs.headerParams.push(this.valueDef("a parameter like %x"));
      while (this.eatPunct(","));
    }
    this.expectPunct(")");
    this.expectPunct("->");
    fs.results = this.resultTypes();
    this.expectPunct("{");
    this.expectLineEnd();
  }

  /** After a broken header: skips to the closing `}` or the next item. */
  private skipFuncBody(): void {
    for (;;) {
      this.skipNewlines();
      if (this.lx.kind === "eof" || this.isWord("func") || this.isWord("extern")) return;
      const close = this.isPunct("}");
      this.skipLine();
      if (close) return;
    }
  }

  /** Parses block headers and instruction lines up to the closing `}`;
   * returns the position of the token that ended the body. */
  private funcBody(fs: FuncState): { line: number; col: number } {
    const lx = this.lx;
    for (;;) {
      this.skipNewlines();
      if (this.isPunct("}")) {
        const end = { line: lx.line, col: lx.col };
        lx.next();
        this.guardLine(() => this.expectLineEnd());
        return end;
      }
      if (lx.kind === "eof" || this.isWord("func") || this.isWord("extern")) {
        this.reportHere("E_IR_SYNTAX", `function ${fs.display} is missing its closing '}'`);
        return { line: lx.line, col: lx.col };
      }
      if (lx.kind === "block") {
        if (!this.guardLine(() => this.blockHeader(fs))) fs.quiet = true;
      } else this.guardLine(() => this.instLine(fs));
    }
  }

  private closeBlock(fs: FuncState, line: number, col: number): void {
    if (fs.cur && !fs.cur.term && !fs.cur.broken) this.report("E_IR_SYNTAX", `block ${fs.cur.display} has no terminator`, line, col);
  }

  private blockHeader(fs: FuncState): void {
    const lx = this.lx;
    this.closeBlock(fs, lx.line, lx.col);
    this.expectKind("block", "a block name like ^b");
    const draft: BlockDraft = { name: lx.value, display: lx.raw(), params: fs.blocks.length === 0 ? fs.headerParams : [], insts: [], broken: false };
    this.define(fs.blockTab, fs.blocks.length, "block");
    lx.next();
    fs.blocks.push(draft);
    fs.cur = draft;
    fs.quiet = false;
    if (this.isPunct("(")) {
      // Reported, then parsed as parameters so their uses do not cascade.
      if (fs.blocks.length === 1) this.reportHere("E_IR_SYNTAX", "the entry block's parameters belong in the function header");
      lx.next();
      if (!this.isPunct(")")) {
        do draft.params.push(this.valueDef("a parameter like %x"));
        while (this.eatPunct(","));
      }
      this.expectPunct(")");
    }
    this.expectPunct(":");
    this.expectLineEnd();
  }

  /** The block an instruction line goes to; outside any open block, a detached one (and a diagnostic). */
  private blockForLine(fs: FuncState, line: number, col: number): BlockDraft {
    if (fs.cur && !fs.cur.term) return fs.cur;
    if (!fs.quiet) {
      const message = fs.cur ? `instruction after the terminator of block ${fs.cur.display}` : "instruction before the first block header";
      this.report("E_IR_SYNTAX", message, line, col);
    }
    fs.quiet = true;
    fs.cur = { name: "", display: "", params: [], insts: [], broken: true };
    return fs.cur;
  }

  /** `%a: t, %b: t = op ...`, `op ...` or a terminator. */
  private instLine(fs: FuncState): void {
    const lx = this.lx;
    const line = lx.line;
    const col = lx.col;
    const results: ValueId[] = [];
    if (lx.kind === "value") {
      do results.push(this.valueDef("a result like %x"));
      while (this.eatPunct(","));
      this.expectPunct("=");
    }
    if (lx.kind !== "word") this.unexpected(results.length ? "an op name" : "an instruction or a block header");
    const op = lx.value;
    const block = this.blockForLine(fs, line, col);
    if (TERMINATORS.has(op)) {
      if (results.length) this.fail("E_IR_SYNTAX", `'${op}' is a terminator and defines no values`);
      lx.next();
      block.term = this.terminator(op);
      return;
    }
    if (!isOpcode(op)) this.fail("E_IR_UNKNOWN_OP", `unknown op '${op}'`);
    lx.next();
    block.insts.push(this.instRest(fs, op, results));
  }

  private instRest(fs: FuncState, op: Opcode, results: ValueId[]): Inst {
    const inst: { -readonly [K in keyof Inst]: Inst[K] } = { op, args: [], results };
    if (op === "const") {
      inst.value = this.literal(fs.values[results[0]!]?.type ?? "f64");
    } else if (op === "call" || op === "call.extern") {
      this.expectKind("func", "a callee like @f");
      inst.callee = this.lx.value;
      this.lx.next();
      this.expectPunct("(");
      inst.args = this.valueList(")");
      this.expectPunct(")");
    } else if (this.lx.kind === "value") {
      inst.args = this.valueList(undefined);
    }
    if (inst.args.length) fs.argLists.push(inst.args as number[]);
    const loc = this.optLoc();
    if (loc) inst.loc = loc;
    this.expectLineEnd();
    return inst;
  }

  private literal(type: Type): number {
    const lx = this.lx;
    if (lx.kind !== "number" && lx.kind !== "word") this.unexpected("a literal");
    const r = readLiteral(type, lx.value);
    if ("error" in r) this.fail("E_IR_LITERAL", r.error);
    lx.next();
    return r.value;
  }

  private terminator(kind: string): Terminator {
    let term: Terminator;
    if (kind === "br") term = { kind: "br", target: this.edge() };
    else if (kind === "condbr") {
      this.expectKind("value", "a condition like %c");
      const cond = this.useValue();
      this.expectPunct(",");
      const then = this.edge();
      this.expectPunct(",");
      term = { kind: "condbr", cond, then, else: this.edge() };
    } else if (kind === "ret") term = { kind: "ret", values: this.lx.kind === "value" ? this.valueList(undefined) : [] };
    else term = { kind: "unreachable" };
    const loc = this.optLoc();
    this.expectLineEnd();
    return loc ? { ...term, loc } : term;
  }

  /** `^b` or `^b(%x, %y)`; block and args are symbols until the function ends. */
  private edge(): Edge {
    this.expectKind("block", "a block like ^b");
    const block = this.symbolHere(this.fs!.blockTab);
    this.lx.next();
    if (!this.eatPunct("(")) return { block, args: [] };
    const args = this.valueList(")");
    this.expectPunct(")");
    return { block, args };
  }

  /** Comma-separated value uses (symbols); empty if the next token is `closer`. */
  private valueList(closer: string | undefined): number[] {
    const syms: number[] = [];
    if (closer !== undefined && this.isPunct(closer)) return syms;
    do {
      this.expectKind("value", "a value like %x");
      syms.push(this.useValue());
    } while (this.eatPunct(","));
    return syms;
  }

  /** `loc(3:5)` or `loc("file.ts":3:5)`, if present. */
  private optLoc(): SourceLoc | undefined {
    if (!this.isWord("loc")) return undefined;
    this.lx.next();
    this.expectPunct("(");
    let file: string | undefined;
    if (this.lx.kind === "string") {
      file = this.lx.value;
      this.lx.next();
      this.expectPunct(":");
    }
    const line = this.locNumber();
    this.expectPunct(":");
    const col = this.locNumber();
    this.expectPunct(")");
    return file === undefined ? { line, col } : { file, line, col };
  }

  private locNumber(): number {
    this.expectKind("number", "a line or column number");
    const text = this.lx.value;
    const v = Number(text);
    if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(v)) this.fail("E_IR_LITERAL", `'${text}' is not a line or column number`);
    this.lx.next();
    return v;
  }

  // ---- names ----

  /** The symbol of the name at the cursor, created at its first mention. */
  private symbolHere(tab: SymbolTable): number {
    const lx = this.lx;
    let sym = tab.syms.get(lx.value);
    if (sym === undefined) {
      sym = tab.ids.length;
      tab.syms.set(lx.value, sym);
      tab.ids.push(-1);
      tab.defLine.push(0);
      tab.firstLine.push(lx.line);
      tab.firstCol.push(lx.col);
      tab.firstStart.push(lx.start);
      tab.firstEnd.push(lx.end);
    }
    return sym;
  }

  /** A use of the value name at the cursor (consumed); returns its symbol. */
  private useValue(): number {
    const sym = this.symbolHere(this.fs!.valueTab);
    this.lx.next();
    return sym;
  }

  /** Defines the name at the cursor (not consumed) as `id`; reports a redefinition. */
  private define(tab: SymbolTable, id: number, what: string): void {
    const sym = this.symbolHere(tab);
    if (tab.ids[sym] !== -1) {
      this.reportHere("E_IR_REDEFINED", `${what} ${this.lx.raw()} is already defined on line ${tab.defLine[sym]}`);
      return;
    }
    tab.ids[sym] = id;
    tab.defLine[sym] = this.lx.line;
  }

  /** `%x: type`: a new value (a bare digit name carries no hint). */
  private valueDef(what: string): ValueId {
    const fs = this.fs!;
    const lx = this.lx;
    this.expectKind("value", what);
    const hint = lx.numeric ? undefined : lx.value;
    const id = fs.valueCount++;
    this.define(fs.valueTab, id, "value");
    lx.next();
    this.expectPunct(":");
    const type = this.type();
    fs.values[id] = hint === undefined ? { type } : { type, name: hint };
    return id;
  }

  /** Reports undefined names, then (if the function is clean) resolves symbols and adds the function. */
  private finishFunc(fs: FuncState, end: { line: number; col: number }): void {
    this.closeBlock(fs, end.line, end.col);
    const undefinedNames = (tab: SymbolTable, code: ErrorCode, what: string): void => {
      tab.ids.forEach((id, sym) => {
        if (id >= 0) return;
        const shown = this.text.slice(tab.firstStart[sym], tab.firstEnd[sym]);
        this.report(code, `${what} ${shown} is used in ${fs.display} but never defined`, tab.firstLine[sym]!, tab.firstCol[sym]!);
      });
    };
    undefinedNames(fs.valueTab, "E_IR_UNDEFINED_VALUE", "value");
    undefinedNames(fs.blockTab, "E_IR_UNDEFINED_BLOCK", "block");
    const clean = this.problems.length === fs.problemsBefore;
    if (clean && fs.headerParams.length > 0 && fs.blocks.length === 0) this.report("E_IR_SYNTAX", `function ${fs.display} has parameters but no blocks`, end.line, end.col);
    if (this.problems.length > fs.problemsBefore) return;

    const ids = fs.valueTab.ids;
    const blockIds = fs.blockTab.ids;
    for (const list of fs.argLists) for (let i = 0; i < list.length; i++) list[i] = ids[list[i]!]!;
    const v = (sym: number): ValueId => ids[sym]!;
    const e = (edge: Edge): Edge => ({ block: blockIds[edge.block]!, args: edge.args.map(v) });
    const resolveTerm = (t: Terminator): Terminator => {
      switch (t.kind) {
        case "br":
          return { ...t, target: e(t.target) };
        case "condbr":
          return { ...t, cond: v(t.cond), then: e(t.then), else: e(t.else) };
        case "ret":
          return { ...t, values: t.values.map(v) };
        case "unreachable":
          return t;
      }
    };
    const blocks = fs.blocks.map((d): Block => ({ name: d.name, params: d.params, insts: d.insts, term: resolveTerm(d.term!) }));
    this.funcs.push({ name: fs.name, results: fs.results, blocks, values: fs.values });
  }
}
