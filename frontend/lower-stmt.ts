// Statement rules of the lowering. Structured control flow maps to blocks in
// the usual way (if: then/else/join; loops: header "loop", "body", "step",
// "exit"), sealing each block as soon as all its predecessors exist, which is
// what Braun et al.'s construction needs: loop headers are sealed after the
// back edges, exits after the last `break`. Dead code after a jump is skipped.

import ts from "typescript";
import type { BlockId, Type, ValueId } from "../ir/types.js";
import { isLoop, labelsOf, unlabel } from "./check.js";
import { condTask, effectTask, valueTask } from "./lower-expr.js";
import { width, type Lowerer, type Task } from "./lower.js";
import { unparen } from "./subset.js";

const K = ts.SyntaxKind;

/** A task lowering one statement (skipped in dead code). */
export function stmtTask(lw: Lowerer, node: ts.Statement): Task {
  return () => {
    if (lw.cur !== null) lowerStmt(lw, node);
  };
}

function isTrueLiteral(e: ts.Expression | undefined): boolean {
  return e === undefined || unparen(e).kind === K.TrueKeyword;
}

/** Branches on a loop condition; `while (true)` and `for (;;)` jump straight to the body. */
function loopCond(lw: Lowerer, cond: ts.Expression | undefined, body: BlockId, exit: BlockId, at: ts.Node): Task {
  return isTrueLiteral(cond) ? () => lw.br(body, cond ?? at) : condTask(lw, cond!, body, exit);
}

function lowerStmt(lw: Lowerer, node: ts.Statement): void {
  switch (node.kind) {
    case K.Block:
      return lw.thenAll((node as ts.Block).statements.map((s) => stmtTask(lw, s)));
    case K.VariableStatement:
      return lw.thenAll((node as ts.VariableStatement).declarationList.declarations.map((d) => declTask(lw, d)));
    case K.ExpressionStatement:
      return lw.then(effectTask(lw, (node as ts.ExpressionStatement).expression));
    case K.IfStatement:
      return lowerIf(lw, node as ts.IfStatement);
    case K.WhileStatement:
      return lowerWhile(lw, node as ts.WhileStatement);
    case K.DoStatement:
      return lowerDo(lw, node as ts.DoStatement);
    case K.ForStatement:
      return lowerFor(lw, node as ts.ForStatement);
    case K.ForOfStatement:
      return lowerForOf(lw, node as ts.ForOfStatement);
    case K.LabeledStatement:
      return lowerLabeled(lw, node as ts.LabeledStatement);
    case K.BreakStatement:
    case K.ContinueStatement:
      return lowerJump(lw, node as ts.BreakOrContinueStatement);
    case K.ReturnStatement:
      return lowerReturn(lw, node as ts.ReturnStatement);
  }
}

function declTask(lw: Lowerer, d: ts.VariableDeclaration): Task {
  return () => {
    const init = d.initializer;
    const name = d.name;
    if (ts.isArrayBindingPattern(name)) {
      return lw.then(valueTask(lw, init!), () => {
        const vs = lw.popN(width(lw.typeOf(init!)));
        name.elements.forEach((el, i) => {
          if (ts.isOmittedExpression(el)) return;
          lw.write(varOf(lw, el.name), vs[i]!);
        });
      });
    }
    const id = varOf(lw, name);
    if (!init) return lw.write(id, lw.ssa.undefinedValue(id));
    lw.then(valueTask(lw, init), () => lw.write(id, lw.coerce(lw.pop(), lw.varType(id), init)));
  };
}

function varOf(lw: Lowerer, name: ts.Node): number {
  return (lw.facts.resolved.get(name) as { id: number }).id;
}

function lowerIf(lw: Lowerer, n: ts.IfStatement): void {
  const t = lw.newBlock("then");
  const f = n.elseStatement ? lw.newBlock("else") : undefined;
  const end = lw.newBlock("endif");
  const close = (): void => {
    if (lw.cur !== null) lw.br(end, n);
  };
  lw.then(
    condTask(lw, n.expression, t, f ?? end),
    () => {
      lw.join(t);
      if (f !== undefined) lw.ssa.seal(f);
    },
    stmtTask(lw, n.thenStatement),
    () => {
      close();
      if (f !== undefined && lw.ssa.predCount(f) > 0) lw.cur = f;
    },
    ...(n.elseStatement ? [stmtTask(lw, n.elseStatement), close] : []),
    () => lw.join(end),
  );
}

/** Opens a loop: pushes its jump target, labelled by the labels written before it. */
function pushLoop(lw: Lowerer, n: ts.IterationStatement, exit: BlockId, next: BlockId): void {
  lw.jumps.push({ labels: labelsOf(n), isLoop: true, breakTo: exit, continueTo: next });
}

/** Closes a `for`/`for...of`/`do` body: falls through to `step`, runs `advance`
 * there if anything reaches it, then seals the header and goes on at the exit. */
function closeLoop(lw: Lowerer, n: ts.Node, step: BlockId, header: BlockId, exit: BlockId, advance: Task[]): Task {
  return () => {
    if (lw.cur !== null) lw.br(step, n);
    lw.jumps.pop();
    lw.join(step);
    const finish = (): void => {
      lw.ssa.seal(header);
      lw.join(exit);
    };
    if (lw.cur === null) return finish();
    lw.then(...advance, finish);
  };
}

function lowerWhile(lw: Lowerer, n: ts.WhileStatement): void {
  const header = lw.newBlock("loop");
  const body = lw.newBlock("body");
  const exit = lw.newBlock("exit");
  lw.br(header, n);
  lw.cur = header;
  lw.then(
    loopCond(lw, n.expression, body, exit, n),
    () => {
      lw.join(body);
      pushLoop(lw, n, exit, header);
    },
    stmtTask(lw, n.statement),
    () => {
      if (lw.cur !== null) lw.br(header, n);
      lw.jumps.pop();
      lw.ssa.seal(header);
      lw.join(exit);
    },
  );
}

function lowerDo(lw: Lowerer, n: ts.DoStatement): void {
  const body = lw.newBlock("body");
  const cond = lw.newBlock("cond");
  const exit = lw.newBlock("exit");
  lw.br(body, n);
  lw.cur = body;
  pushLoop(lw, n, exit, cond);
  // The condition block is the loop's step; the body is its header.
  lw.then(stmtTask(lw, n.statement), closeLoop(lw, n, cond, body, exit, [loopCond(lw, n.expression, body, exit, n)]));
}

function lowerFor(lw: Lowerer, n: ts.ForStatement): void {
  const init = n.initializer;
  const head: Task[] = init === undefined ? [] : ts.isVariableDeclarationList(init) ? init.declarations.map((d) => declTask(lw, d)) : [effectTask(lw, init)];
  lw.thenAll([...head, () => {
    const header = lw.newBlock("loop");
    const body = lw.newBlock("body");
    const step = lw.newBlock("step");
    const exit = lw.newBlock("exit");
    lw.br(header, n);
    lw.cur = header;
    const after: Task[] = n.incrementor ? [effectTask(lw, n.incrementor)] : [];
    after.push(() => lw.br(header, n));
    lw.then(
      loopCond(lw, n.condition, body, exit, n),
      () => {
        lw.join(body);
        pushLoop(lw, n, exit, step);
      },
      stmtTask(lw, n.statement),
      closeLoop(lw, n, step, header, exit, after),
    );
  }]);
}

function lowerForOf(lw: Lowerer, n: ts.ForOfStatement): void {
  const decl = (n.initializer as ts.VariableDeclarationList).declarations[0]!;
  const x = varOf(lw, decl.name);
  lw.then(valueTask(lw, n.expression), () => {
    const arr = lw.pop();
    const len = lw.emit("array.len", [arr], "i32", n.expression);
    const idx = lw.newTemp("i32", "idx");
    lw.write(idx, lw.constant("i32", 0, n));
    const header = lw.newBlock("loop");
    const body = lw.newBlock("body");
    const step = lw.newBlock("step");
    const exit = lw.newBlock("exit");
    lw.br(header, n);
    lw.cur = header;
    lw.condbr(lw.emit("lt", [lw.read(idx), len], "bool", n), body, exit, n);
    lw.join(body);
    lw.write(x, lw.emit("array.get", [arr, lw.read(idx)], "f64", decl));
    pushLoop(lw, n, exit, step);
    const advance = (): void => {
      lw.write(idx, lw.emit("add", [lw.read(idx), lw.constant("i32", 1, n)], "i32", n));
      lw.br(header, n);
    };
    lw.then(stmtTask(lw, n.statement), closeLoop(lw, n, step, header, exit, [advance]));
  });
}

function lowerLabeled(lw: Lowerer, n: ts.LabeledStatement): void {
  const inner = unlabel(n);
  if (isLoop(inner)) return lw.then(stmtTask(lw, inner));
  const after = lw.newBlock("after");
  const labels: string[] = [];
  for (let s: ts.Statement = n; ts.isLabeledStatement(s); s = s.statement) labels.push(s.label.text);
  lw.jumps.push({ labels, isLoop: false, breakTo: after, continueTo: after });
  lw.then(stmtTask(lw, inner), () => {
    if (lw.cur !== null) lw.br(after, n);
    lw.jumps.pop();
    lw.join(after);
  });
}

function lowerJump(lw: Lowerer, n: ts.BreakOrContinueStatement): void {
  const label = n.label?.text;
  let target = lw.jumps.length - 1;
  while (target >= 0) {
    const j = lw.jumps[target]!;
    if (label !== undefined ? j.labels.includes(label) : j.isLoop) break;
    target--;
  }
  const j = lw.jumps[target]!;
  lw.br(n.kind === K.BreakStatement ? j.breakTo : j.continueTo, n);
}

function lowerReturn(lw: Lowerer, n: ts.ReturnStatement): void {
  const e = n.expression!;
  const results: readonly Type[] = lw.facts.sig.results;
  const parts: readonly ts.Expression[] = lw.facts.sig.isTuple && ts.isArrayLiteralExpression(e) ? e.elements : [e];
  lw.thenAll([...parts.map((p) => valueTask(lw, p)), () => {
    const vs: ValueId[] = lw.popN(results.length).map((v, i) => lw.coerce(v, results[i]!, parts[Math.min(i, parts.length - 1)]!));
    lw.ssa.ret(lw.cur!, vs, lw.loc(n));
    lw.cur = null;
  }]);
}
