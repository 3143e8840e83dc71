// The checker: walks one function body (iteratively), resolves every name
// with block scoping and the temporal dead zone, validates that each construct
// is in the subset, checks kinds (number, boolean, array, tuple) and computes
// the final IR type of every expression. Variables start optimistic as `i32`
// and are demoted to `f64` when any assignment is not integer arithmetic; the
// typing sweep is repeated until no variable changes (a monotone fixpoint).
// Statement rules live here; expression rules in check-expr.ts (validation),
// check-types.ts (types) and check-notes.ts (cheapness, array aliasing).

import ts from "typescript";
import { ArrayAliases } from "./aliasing.js";
import { CONSTANTS, NAMESPACES } from "./builtins.js";
import { enterExpr } from "./check-expr.js";
import { noteExpr } from "./check-notes.js";
import { typeExpr } from "./check-types.js";
import type { Reporter } from "./diagnostics.js";
import { describeNode } from "./describe.js";
import type { Cheapness, ExprType, FuncFacts, FuncSig, Resolved, ValueType, VarId, VarInfo } from "./facts.js";
import { readType, STOP_GRADIENT } from "./signatures.js";
import { aType, typeName } from "./subset.js";
import { traverse } from "./traverse.js";

const K = ts.SyntaxKind;

/** True for the loop statements (targets of `continue`). */
export function isLoop(node: ts.Node): node is ts.IterationStatement {
  return node.kind === K.WhileStatement || node.kind === K.DoStatement || node.kind === K.ForStatement || node.kind === K.ForOfStatement;
}

/** Labels written directly in front of a statement (`a: b: while ...` gives [a, b]). */
export function labelsOf(node: ts.Statement): string[] {
  const labels: string[] = [];
  for (let p = node.parent; ts.isLabeledStatement(p); p = p.parent) labels.unshift(p.label.text);
  return labels;
}

/** The statement a chain of labels applies to. */
export function unlabel(node: ts.LabeledStatement): ts.Statement {
  let s: ts.Statement = node;
  while (ts.isLabeledStatement(s)) s = s.statement;
  return s;
}

/** Statements, function bodies included (`ts.isStatement` excludes those). */
function isStatementNode(node: ts.Node): node is ts.Statement {
  return ts.isStatement(node) || ts.isBlock(node);
}

interface JumpFrame {
  readonly labels: readonly string[];
  readonly isLoop: boolean;
}

/** Checks one function and collects the facts lowering needs. */
export class FuncChecker {
  readonly vars: VarInfo[] = [];
  readonly resolved = new Map<ts.Node, Resolved>();
  readonly types = new Map<ts.Node, ExprType>();
  readonly cheap = new Map<ts.Node, Cheapness>();
  readonly origins = new Map<ts.Node, readonly VarId[]>();
  readonly aliases = new ArrayAliases();
  /** True during the first sweep, the only one that reports. */
  reporting = true;
  /** Names whose declaration was rejected: their uses are not reported again. */
  readonly poisoned = new Set<string>();
  private changed = false;
  private readonly declared: boolean[] = [];
  private readonly untyped = new Set<VarId>();
  private readonly scopes: Map<string, VarId>[] = [];
  private readonly declVar = new Map<ts.Node, VarId>();
  private readonly jumps: JumpFrame[] = [];
  private readonly rejected = new Set<ts.Node>();
  private readonly retype: ts.Node[] = [];

  constructor(
    readonly rep: Reporter,
    readonly sigs: ReadonlyMap<string, FuncSig>,
    readonly sig: FuncSig,
  ) {}

  /** Checks the body; the facts, or undefined if anything was reported. */
  check(): FuncFacts | undefined {
    const before = this.rep.diagnostics.length;
    this.scopes.push(new Map());
    const params = this.sig.params.map((p) => {
      const id = this.newVar(p.name, false, true, p.node);
      this.vars[id]!.type = p.type;
      this.declared[id] = true;
      this.scopes[0]!.set(p.name, id);
      this.resolved.set(p.node.name, { kind: "var", id });
      return id;
    });
    traverse(
      this.sig.node.body!,
      (n) => this.enter(n),
      (n) => this.exit(n),
    );
    if (this.rep.diagnostics.length > before) return undefined;
    this.reporting = false;
    do {
      this.changed = false;
      for (const n of this.retype) {
        if (ts.isVariableDeclaration(n)) this.typeDecl(n);
        else typeExpr(this, n);
      }
    } while (this.changed);
    const copyParams = params.map((id, i) => this.sig.params[i]!.type === "f64[]" && this.aliases.mayBeWritten(id));
    return { sig: this.sig, vars: this.vars, params, copyParams, resolved: this.resolved, types: this.types, cheap: this.cheap };
  }

  /** The variable `name` denotes in the current scope. */
  lookup(name: string): VarId | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i]!.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** True once a variable's declaration has been checked successfully. */
  isReady(id: VarId): boolean {
    return this.declared[id] === true && !this.untyped.has(id);
  }

  /** Records that a value of type `t` is stored in numeric variable `id`. */
  assignNumeric(id: VarId, t: ValueType): void {
    const v = this.vars[id]!;
    if (v.type === "i32" && t === "f64") {
      v.type = "f64";
      this.changed = true;
    }
  }

  /** Array variables an array expression may alias. */
  originsOf(node: ts.Node): readonly VarId[] {
    return this.origins.get(node) ?? [];
  }

  /** Resolves an identifier in expression position. */
  resolveName(id: ts.Identifier): void {
    const name = id.text;
    const v = this.lookup(name);
    if (v !== undefined) {
      if (!this.declared[v]) this.rep.report("E_TS_UNDEFINED", `'${name}' is used before its declaration`, id);
      this.resolved.set(id, { kind: "var", id: v });
      return;
    }
    const value = CONSTANTS.get(name);
    if (value !== undefined) this.resolved.set(id, { kind: "const", value });
    else if (name === "undefined") this.rep.unsupported(id, "undefined");
    else if (this.sigs.has(name) || name === STOP_GRADIENT) this.rep.unsupported(id, `function '${name}' used as a value (functions are not values)`);
    else if (NAMESPACES.has(name)) this.rep.unsupported(id, `'${name}' used as a value`);
    else if (!this.poisoned.has(name)) this.rep.report("E_TS_UNDEFINED", `'${name}' is not defined`, id);
  }

  private newVar(name: string, isConst: boolean, isParam: boolean, decl: ts.Node): VarId {
    this.vars.push({ name, type: "f64", isConst, isParam, decl });
    this.declared.push(false);
    return this.vars.length - 1;
  }

  private enter(node: ts.Node): readonly ts.Node[] | undefined {
    let children: readonly ts.Node[] | undefined;
    if (ts.isVariableDeclaration(node)) children = this.enterDecl(node);
    else if (isStatementNode(node)) children = this.enterStmt(node);
    else children = enterExpr(this, node);
    if (children === undefined) {
      this.rejected.add(node);
      // A rejected declaration still declares its names (no cascade of "undefined").
      if (ts.isVariableDeclaration(node)) this.poisonDecl(node);
      if (ts.isVariableStatement(node)) for (const d of node.declarationList.declarations) this.poisonDecl(d);
      if (ts.isFunctionDeclaration(node) && node.name) this.poisoned.add(node.name.text);
    }
    return children;
  }

  private poisonDecl(d: ts.VariableDeclaration): void {
    const names: ts.Node[] = [d.name];
    for (let i = 0; i < names.length; i++) {
      const n = names[i]!;
      if (ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) for (const e of n.elements) if (ts.isBindingElement(e)) names.push(e.name);
      if (!ts.isIdentifier(n)) continue;
      this.poisoned.add(n.text);
      const id = this.declVar.get(n);
      if (id === undefined) continue;
      this.declared[id] = true;
      this.untyped.add(id);
    }
  }

  private exit(node: ts.Node): void {
    if (this.rejected.has(node)) return;
    if (ts.isVariableDeclaration(node)) {
      this.exitDecl(node);
      this.retype.push(node);
    } else if (isStatementNode(node)) this.exitStmt(node);
    else {
      typeExpr(this, node);
      noteExpr(this, node);
      this.retype.push(node);
    }
  }

  /** Declares the names a `let`/`const` declaration binds, in the current scope. */
  private declareNames(d: ts.VariableDeclaration): void {
    const isConst = (d.parent.flags & ts.NodeFlags.Const) !== 0;
    const names = ts.isIdentifier(d.name) ? [d.name] : ts.isArrayBindingPattern(d.name) ? d.name.elements.flatMap((e) => (ts.isBindingElement(e) && ts.isIdentifier(e.name) ? [e.name] : [])) : [];
    const scope = this.scopes[this.scopes.length - 1]!;
    for (const ident of names) {
      if (this.declVar.has(ident)) continue;
      const clash = scope.has(ident.text) || (this.scopes.length === 2 && this.scopes[0]!.has(ident.text));
      if (clash) this.rep.typeError(ident, `duplicate declaration of '${ident.text}'`);
      const id = this.newVar(ident.text, isConst, false, ident);
      this.declVar.set(ident, id);
      this.resolved.set(ident, { kind: "var", id });
      if (!clash) scope.set(ident.text, id);
    }
  }

  /** Block-scoped hoisting: a block's `let`/`const` names are in scope (in
   * their dead zone) from the start of the block. */
  private hoist(statements: readonly ts.Statement[]): void {
    for (const st of statements) {
      if (ts.isVariableStatement(st) && this.isLexical(st.declarationList)) for (const d of st.declarationList.declarations) this.declareNames(d);
    }
  }

  private isLexical(list: ts.VariableDeclarationList): boolean {
    const f = list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using);
    return f === ts.NodeFlags.Let || f === ts.NodeFlags.Const;
  }

  /** Reports `var` and `using` declarations. */
  private checkDeclList(list: ts.VariableDeclarationList): boolean {
    if (this.isLexical(list)) return true;
    const what = list.flags & ts.NodeFlags.Using ? "'using' declaration" : "var (use let or const)";
    this.rep.unsupported(list.parent.kind === K.VariableStatement ? list.parent : list, what);
    return false;
  }

  private pushLoop(loop: ts.IterationStatement): void {
    this.jumps.push({ labels: labelsOf(loop), isLoop: true });
  }

  private enterStmt(node: ts.Statement): readonly ts.Node[] | undefined {
    switch (node.kind) {
      case K.Block: {
        this.scopes.push(new Map());
        const stmts = (node as ts.Block).statements;
        this.hoist(stmts);
        return stmts;
      }
      case K.VariableStatement: {
        const n = node as ts.VariableStatement;
        if (n.modifiers?.length) {
          this.rep.unsupported(n.modifiers[0]!, `'${n.modifiers[0]!.getText()}' modifier`);
          return undefined;
        }
        return this.checkDeclList(n.declarationList) ? n.declarationList.declarations : undefined;
      }
      case K.ExpressionStatement:
        return [(node as ts.ExpressionStatement).expression];
      case K.IfStatement: {
        const n = node as ts.IfStatement;
        return n.elseStatement ? [n.expression, n.thenStatement, n.elseStatement] : [n.expression, n.thenStatement];
      }
      case K.WhileStatement:
        this.pushLoop(node as ts.WhileStatement);
        return [(node as ts.WhileStatement).expression, (node as ts.WhileStatement).statement];
      case K.DoStatement:
        this.pushLoop(node as ts.DoStatement);
        return [(node as ts.DoStatement).statement, (node as ts.DoStatement).expression];
      case K.ForStatement: {
        const n = node as ts.ForStatement;
        const init = n.initializer;
        let head: readonly ts.Node[] = [];
        if (init && ts.isVariableDeclarationList(init)) {
          if (!this.checkDeclList(init)) return undefined;
          head = init.declarations;
        } else if (init) head = [init];
        this.scopes.push(new Map());
        if (init && ts.isVariableDeclarationList(init)) for (const d of init.declarations) this.declareNames(d);
        this.pushLoop(n);
        return [...head, ...(n.condition ? [n.condition] : []), n.statement, ...(n.incrementor ? [n.incrementor] : [])];
      }
      case K.ForOfStatement: {
        const n = node as ts.ForOfStatement;
        if (n.awaitModifier) {
          this.rep.unsupported(n.awaitModifier, "for await");
          return undefined;
        }
        const init = n.initializer;
        const d = ts.isVariableDeclarationList(init) && init.declarations.length === 1 ? init.declarations[0]! : undefined;
        if (!d || !ts.isIdentifier(d.name) || d.initializer || d.type || !this.checkDeclList(init as ts.VariableDeclarationList)) {
          this.rep.unsupported(init, "for...of head other than a fresh variable (for (const x of xs))");
          return undefined;
        }
        this.scopes.push(new Map());
        this.declareNames(d);
        this.pushLoop(n);
        return [n.expression, d, n.statement];
      }
      case K.LabeledStatement:
        return this.enterLabeled(node as ts.LabeledStatement);
      case K.BreakStatement:
      case K.ContinueStatement:
        return this.checkJump(node as ts.BreakOrContinueStatement) ? [] : undefined;
      case K.ReturnStatement: {
        const e = (node as ts.ReturnStatement).expression;
        if (!e) return [];
        return this.sig.isTuple && ts.isArrayLiteralExpression(e) ? e.elements : [e];
      }
      case K.EmptyStatement:
        return [];
      default:
        this.rep.unsupported(node, describeNode(node));
        return undefined;
    }
  }

  private enterLabeled(n: ts.LabeledStatement): readonly ts.Node[] {
    if (ts.isLabeledStatement(n.parent)) return [n.statement];
    const labels = [n.label.text, ...collectLabels(n.statement)];
    for (const l of labels) {
      if (this.jumps.some((f) => f.labels.includes(l)) || labels.indexOf(l) !== labels.lastIndexOf(l)) this.rep.typeError(n, `duplicate label '${l}'`);
    }
    if (!isLoop(unlabel(n))) this.jumps.push({ labels, isLoop: false });
    return [n.statement];
  }

  private checkJump(n: ts.BreakOrContinueStatement): boolean {
    const isBreak = n.kind === K.BreakStatement;
    const word = isBreak ? "break" : "continue";
    if (n.label) {
      const frame = [...this.jumps].reverse().find((f) => f.labels.includes(n.label!.text));
      if (!frame) this.rep.report("E_TS_UNDEFINED", `unknown label '${n.label.text}'`, n.label);
      else if (!isBreak && !frame.isLoop) this.rep.typeError(n, `'continue ${n.label.text}' does not name a loop`);
      else return true;
      return false;
    }
    if (this.jumps.some((f) => f.isLoop)) return true;
    this.rep.typeError(n, `'${word}' outside a loop`);
    return false;
  }

  private exitStmt(node: ts.Statement): void {
    switch (node.kind) {
      case K.Block:
        this.scopes.pop();
        return;
      case K.IfStatement:
        this.checkCond((node as ts.IfStatement).expression);
        return;
      case K.WhileStatement:
      case K.DoStatement:
        this.jumps.pop();
        this.checkCond((node as ts.WhileStatement | ts.DoStatement).expression);
        return;
      case K.ForStatement:
        this.jumps.pop();
        this.scopes.pop();
        if ((node as ts.ForStatement).condition) this.checkCond((node as ts.ForStatement).condition!);
        return;
      case K.ForOfStatement: {
        this.jumps.pop();
        this.scopes.pop();
        const e = (node as ts.ForOfStatement).expression;
        const t = this.types.get(e);
        if (t !== undefined && t !== "f64[]") this.rep.typeError(e, `for...of needs an array, got ${typeName(t)}`);
        return;
      }
      case K.LabeledStatement: {
        const n = node as ts.LabeledStatement;
        if (!ts.isLabeledStatement(n.parent) && !isLoop(unlabel(n))) this.jumps.pop();
        return;
      }
      case K.ReturnStatement:
        this.checkReturn(node as ts.ReturnStatement);
        return;
    }
  }

  private checkCond(e: ts.Expression): void {
    const t = this.types.get(e);
    if (t !== undefined && t !== "bool") this.rep.typeError(e, `a condition must be a boolean (compare numbers explicitly, e.g. x !== 0), got ${typeName(t)}`);
  }

  private checkReturn(n: ts.ReturnStatement): void {
    const want = this.sig.results;
    const shown = this.sig.isTuple ? typeName({ tuple: want }) : typeName(want[0]!);
    const e = n.expression;
    if (!e) {
      this.rep.typeError(n, `return needs a value of type ${shown}`);
      return;
    }
    const fits = (t: ExprType, w: ValueType): boolean => (w === "f64" ? t === "f64" || t === "i32" : t === w);
    if (this.sig.isTuple && ts.isArrayLiteralExpression(e)) {
      if (e.elements.length !== want.length) {
        this.rep.typeError(e, `return needs ${want.length} values (${shown}), got ${e.elements.length}`);
        return;
      }
      e.elements.forEach((el, i) => {
        const t = this.types.get(el);
        if (t !== undefined && !fits(t, want[i]!)) this.rep.typeError(el, `element ${i + 1} of the result must be ${aType(want[i]!)}, got ${aType(t)}`);
      });
      return;
    }
    const t = this.types.get(e);
    if (t === undefined) return;
    const ok = this.sig.isTuple ? typeof t === "object" && t.tuple.length === want.length && t.tuple.every((x, i) => x === want[i]) : fits(t, want[0]!);
    if (!ok) this.rep.typeError(e, `return value must be ${this.sig.isTuple ? "a " + shown : aType(want[0]!)}, got ${aType(t)}`);
  }

  private enterDecl(d: ts.VariableDeclaration): readonly ts.Node[] | undefined {
    if (ts.isForOfStatement(d.parent.parent)) return [];
    if (d.exclamationToken) {
      this.rep.unsupported(d.exclamationToken, "definite assignment assertion");
      return undefined;
    }
    if (ts.isObjectBindingPattern(d.name)) {
      this.rep.unsupported(d.name, "object destructuring");
      return undefined;
    }
    if (ts.isArrayBindingPattern(d.name)) {
      for (const el of d.name.elements) {
        if (ts.isOmittedExpression(el)) continue;
        if (el.dotDotDotToken || el.initializer || el.propertyName || !ts.isIdentifier(el.name)) {
          this.rep.unsupported(el, "destructuring element other than a plain variable");
          return undefined;
        }
      }
      if (!d.initializer || !ts.isCallExpression(d.initializer)) {
        this.rep.unsupported(d, "destructuring of anything but a call returning a tuple");
        return undefined;
      }
      if (d.type) {
        this.rep.unsupported(d.type, "type annotation on a destructuring declaration");
        return undefined;
      }
    }
    this.declareNames(d);
    return d.initializer ? [d.initializer] : [];
  }

  /** First sweep: fixes the declared variables' kinds and opens their scope. */
  private exitDecl(d: ts.VariableDeclaration): void {
    const init = d.initializer;
    const it = init && this.types.get(init);
    if (ts.isArrayBindingPattern(d.name)) {
      const count = d.name.elements.length;
      d.name.elements.forEach((el, i) => {
        if (ts.isOmittedExpression(el)) return;
        const id = this.declVar.get(el.name)!;
        this.declared[id] = true;
        if (it === undefined) this.untyped.add(id);
        else if (typeof it !== "object") {
          if (i === 0) this.rep.typeError(init!, `only a call returning a tuple can be destructured, got ${typeName(it)}`);
          this.untyped.add(id);
        } else if (i >= it.tuple.length) {
          this.rep.typeError(el, `cannot destructure ${count} values from ${aType(it)}`);
          this.untyped.add(id);
        } else {
          this.vars[id]!.type = it.tuple[i]!;
          for (const o of this.originsOf(init!)) if (it.tuple[i] === "f64[]") this.aliases.union(id, o);
        }
      });
      return;
    }
    const id = this.declVar.get(d.name)!;
    const v = this.vars[id]!;
    this.declared[id] = true;
    if (ts.isForOfStatement(d.parent.parent)) return;
    let declared: ValueType | undefined;
    if (d.type) {
      declared = readType(d.type, this.rep, { allowBool: true });
      if (declared === undefined) {
        this.untyped.add(id);
        return;
      }
    }
    if (!init) {
      if (!declared) {
        this.rep.typeError(d.name, `'${v.name}' needs a type annotation or an initializer`);
        this.untyped.add(id);
        return;
      }
      v.type = declared === "f64" ? "i32" : declared;
      return;
    }
    if (it === undefined) {
      this.untyped.add(id);
      return;
    }
    if (typeof it === "object") {
      this.rep.typeError(init, "a tuple result must be destructured: const [a, b] = f(...)");
      this.untyped.add(id);
      return;
    }
    const kind = (t: ValueType): string => (t === "i32" || t === "f64" ? "num" : t);
    if (declared && kind(declared) !== kind(it)) {
      this.rep.typeError(init, `cannot initialize ${aType(declared)} with ${aType(it)}`);
      this.untyped.add(id);
      return;
    }
    v.type = kind(it) === "num" ? "i32" : it;
    this.typeDecl(d);
    if (it === "f64[]") for (const o of this.originsOf(init)) this.aliases.union(id, o);
  }

  /** Every sweep: a numeric variable takes its initializer's type. */
  private typeDecl(d: ts.VariableDeclaration): void {
    if (!ts.isIdentifier(d.name) || !d.initializer) return;
    const id = this.declVar.get(d.name);
    const it = this.types.get(d.initializer);
    if (id !== undefined && (it === "f64" || it === "i32")) this.assignNumeric(id, it);
  }
}

function collectLabels(s: ts.Statement): string[] {
  const out: string[] = [];
  for (let t = s; ts.isLabeledStatement(t); t = t.statement) out.push(t.label.text);
  return out;
}

/** Checks every function of the file; facts for those without problems. */
export function checkFunctions(sigs: readonly FuncSig[], rep: Reporter): FuncFacts[] {
  const byName = new Map(sigs.map((s) => [s.name, s]));
  const out: FuncFacts[] = [];
  for (const sig of sigs) {
    if (sig.isExtern) continue;
    const facts = new FuncChecker(rep, byName, sig).check();
    if (facts) out.push(facts);
  }
  return out;
}
