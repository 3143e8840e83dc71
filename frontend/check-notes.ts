// Expression rules of the checker, third part: first-sweep facts besides
// types. Cheapness decides where lowering may evaluate eagerly (`select`,
// `and`, `or`); array origins feed the may-alias analysis (aliasing.ts) that
// decides which array parameters are copied on entry.

import ts from "typescript";
import type { FuncChecker } from "./check.js";
import type { Cheapness, VarId } from "./facts.js";
import { operatorClass, unparen } from "./subset.js";

const K = ts.SyntaxKind;

/** First-sweep facts about an expression whose type is known: its cheapness
 * and, for arrays, which variables it may alias and which it writes. */
export function noteExpr(ck: FuncChecker, node: ts.Node): void {
  const c = cheapness(ck, node);
  if (c > 0) ck.cheap.set(node, c);
  const lvTarget = assignedElement(node);
  if (lvTarget) ck.aliases.markWritten(ck.originsOf(lvTarget.expression));
  const origins = originsOf(ck, node);
  if (origins.length) ck.origins.set(node, origins);
}

/** The array element an assignment, compound assignment or `++`/`--` writes. */
function assignedElement(node: ts.Node): ts.ElementAccessExpression | undefined {
  let target: ts.Expression | undefined;
  if (ts.isBinaryExpression(node)) {
    const cls = operatorClass(node.operatorToken.kind);
    if (cls === "assign" || cls === "compound") target = node.left;
  } else if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) {
    if (node.operator === K.PlusPlusToken || node.operator === K.MinusMinusToken) target = node.operand;
  }
  const e = target && unparen(target);
  return e && ts.isElementAccessExpression(e) ? e : undefined;
}

function cheapness(ck: FuncChecker, node: ts.Node): Cheapness {
  const of = (n: ts.Node): Cheapness => ck.cheap.get(n) ?? 0;
  const r = ck.resolved.get(node);
  switch (node.kind) {
    case K.NumericLiteral:
    case K.TrueKeyword:
    case K.FalseKeyword:
      return 2;
    case K.Identifier:
      return r ? 2 : 0;
    case K.ParenthesizedExpression:
      return of((node as ts.ParenthesizedExpression).expression);
    case K.PropertyAccessExpression:
      return r?.kind === "const" || of((node as ts.PropertyAccessExpression).expression) === 2 ? 2 : 0;
    case K.PrefixUnaryExpression: {
      const n = node as ts.PrefixUnaryExpression;
      if (r?.kind === "const") return 2;
      if (n.operator === K.MinusToken || n.operator === K.PlusToken) return of(n.operand) === 2 ? 2 : 0;
      return n.operator === K.ExclamationToken ? of(n.operand) : 0;
    }
    case K.BinaryExpression: {
      const n = node as ts.BinaryExpression;
      const cls = operatorClass(n.operatorToken.kind);
      if (cls === "compare") return of(n.left) === 2 && of(n.right) === 2 ? 1 : 0;
      if (cls === "logic") return of(n.left) >= 1 && of(n.right) >= 1 ? 1 : 0;
      return 0;
    }
  }
  return 0;
}

/** Array variables an array-valued expression may alias (empty for fresh arrays). */
function originsOf(ck: FuncChecker, node: ts.Node): readonly VarId[] {
  const r = ck.resolved.get(node);
  if (ts.isIdentifier(node)) return r?.kind === "var" && ck.vars[r.id]!.type === "f64[]" ? [r.id] : [];
  if (ts.isParenthesizedExpression(node)) return ck.originsOf(node.expression);
  if (ts.isConditionalExpression(node)) return [...ck.originsOf(node.whenTrue), ...ck.originsOf(node.whenFalse)];
  if (ts.isCallExpression(node)) return r?.kind === "call" ? node.arguments.flatMap((a) => ck.originsOf(a)) : [];
  if (ts.isBinaryExpression(node)) {
    const cls = operatorClass(node.operatorToken.kind);
    if (cls === "comma") return ck.originsOf(node.right);
    if (cls !== "assign") return [];
    const from = ck.originsOf(node.right);
    const targets = ts.isArrayLiteralExpression(node.left) ? node.left.elements : [node.left];
    for (const t of targets) {
      const tr = ck.resolved.get(unparen(t as ts.Expression));
      if (tr?.kind === "var" && ck.vars[tr.id]!.type === "f64[]") for (const o of from) ck.aliases.union(tr.id, o);
    }
    return from;
  }
  return [];
}

