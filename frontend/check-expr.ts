// Expression rules of the checker, first part: which expressions are in the
// subset. `enterExpr` runs once per node, resolves names and callees (into
// `ck.resolved`) and picks the children to visit. Typing is in
// check-types.ts, the other facts lowering needs in check-notes.ts.

import ts from "typescript";
import { CONSTANTS, MATH_FNS, NAMESPACES, isMathFn } from "./builtins.js";
import type { FuncChecker } from "./check.js";
import { describeNode, operatorText } from "./describe.js";
import { STOP_GRADIENT } from "./signatures.js";
import { fillTarget, operatorClass, unparen } from "./subset.js";

const K = ts.SyntaxKind;

/** Validates an expression node when first seen and returns the children to check. */
export function enterExpr(ck: FuncChecker, node: ts.Node): readonly ts.Node[] | undefined {
  const rep = ck.rep;
  switch (node.kind) {
    case K.NumericLiteral:
    case K.TrueKeyword:
    case K.FalseKeyword:
      return [];
    case K.Identifier:
      ck.resolveName(node as ts.Identifier);
      return [];
    case K.ParenthesizedExpression:
      return [(node as ts.ParenthesizedExpression).expression];
    case K.PrefixUnaryExpression: {
      const n = node as ts.PrefixUnaryExpression;
      if (n.operator === K.TildeToken) {
        rep.unsupported(n, "operator '~' (bitwise operators are not in the subset)");
        return undefined;
      }
      const operand = unparen(n.operand);
      if ((n.operator === K.MinusToken || n.operator === K.PlusToken) && ts.isNumericLiteral(operand)) {
        const v = Number(operand.text);
        ck.resolved.set(n, { kind: "const", value: n.operator === K.MinusToken ? -v : v });
        return [];
      }
      return [n.operand];
    }
    case K.PostfixUnaryExpression:
      return [(node as ts.PostfixUnaryExpression).operand];
    case K.BinaryExpression:
      return enterBinary(ck, node as ts.BinaryExpression);
    case K.ConditionalExpression: {
      const n = node as ts.ConditionalExpression;
      return [n.condition, n.whenTrue, n.whenFalse];
    }
    case K.CallExpression:
      return enterCall(ck, node as ts.CallExpression);
    case K.NewExpression: {
      const n = node as ts.NewExpression;
      const args = n.arguments ?? [];
      if (ts.isIdentifier(n.expression) && n.expression.text === "Float64Array" && ck.lookup("Float64Array") === undefined && args.length === 1 && !n.typeArguments) {
        ck.resolved.set(n, { kind: "newArray", fill: false });
        return args;
      }
      if (fillTarget(n)) rep.unsupported(n, "new Array(n) without .fill(v) (arrays with holes are not in the subset)");
      else rep.unsupported(n, `'new ${n.expression.getText()}' (only new Array(n).fill(v) and new Float64Array(n))`);
      return undefined;
    }
    case K.ElementAccessExpression: {
      const n = node as ts.ElementAccessExpression;
      if (n.questionDotToken) {
        rep.unsupported(n, "optional chaining");
        return undefined;
      }
      return [n.expression, n.argumentExpression];
    }
    case K.PropertyAccessExpression:
      return enterProperty(ck, node as ts.PropertyAccessExpression);
    case K.ArrayLiteralExpression: {
      const n = node as ts.ArrayLiteralExpression;
      let ok = true;
      for (const el of n.elements) {
        if (ts.isSpreadElement(el) || ts.isOmittedExpression(el)) {
          rep.unsupported(el, describeNode(el));
          ok = false;
        }
      }
      return ok ? n.elements : undefined;
    }
    default:
      rep.unsupported(node, describeNode(node));
      return undefined;
  }
}

function enterBinary(ck: FuncChecker, n: ts.BinaryExpression): readonly ts.Node[] | undefined {
  const op = n.operatorToken.kind;
  if (operatorClass(op) === undefined) {
    const text = operatorText(op);
    const why = op === K.QuestionQuestionToken || op === K.QuestionQuestionEqualsToken ? "nullish operators are not in the subset" : op === K.InKeyword || op === K.InstanceOfKeyword ? "objects are not in the subset" : op === K.AmpersandAmpersandEqualsToken || op === K.BarBarEqualsToken ? "logical assignment is not in the subset" : "bitwise operators are not in the subset";
    ck.rep.unsupported(n.operatorToken, `operator '${text}' (${why})`);
    return undefined;
  }
  if (op === K.EqualsToken && ts.isArrayLiteralExpression(n.left)) {
    if (!ts.isExpressionStatement(n.parent)) {
      ck.rep.unsupported(n, "destructuring assignment inside an expression (write it as a statement)");
      return undefined;
    }
    const targets: ts.Node[] = [];
    for (const el of n.left.elements) {
      if (ts.isOmittedExpression(el)) continue;
      if (!ts.isIdentifier(el)) {
        ck.rep.unsupported(el, "destructuring target other than a variable");
        return undefined;
      }
      targets.push(el);
    }
    return [...targets, n.right];
  }
  if (op === K.EqualsToken && ts.isObjectLiteralExpression(n.left)) {
    ck.rep.unsupported(n.left, "object destructuring");
    return undefined;
  }
  return [n.left, n.right];
}

function enterProperty(ck: FuncChecker, n: ts.PropertyAccessExpression): readonly ts.Node[] | undefined {
  if (n.questionDotToken) {
    ck.rep.unsupported(n, "optional chaining");
    return undefined;
  }
  const name = n.name.text;
  if (ts.isIdentifier(n.expression) && NAMESPACES.has(n.expression.text) && ck.lookup(n.expression.text) === undefined) {
    const key = `${n.expression.text}.${name}`;
    const value = CONSTANTS.get(key);
    if (value !== undefined) {
      ck.resolved.set(n, { kind: "const", value });
      return [];
    }
    if (n.expression.text === "Math" && isMathFn(name)) ck.rep.typeError(n, `${key} is a function: call it`);
    else ck.rep.unsupported(n, key);
    return undefined;
  }
  if (n.expression.kind === K.ThisKeyword || n.expression.kind === K.SuperKeyword) {
    ck.rep.unsupported(n.expression, describeNode(n.expression));
    return undefined;
  }
  if (name === "length" && !ts.isPrivateIdentifier(n.name)) {
    ck.resolved.set(n, { kind: "length" });
    return [n.expression];
  }
  ck.rep.unsupported(n.name, `property '.${name}' (only .length of arrays)`);
  return undefined;
}

function enterCall(ck: FuncChecker, n: ts.CallExpression): readonly ts.Node[] | undefined {
  const rep = ck.rep;
  if (n.questionDotToken || (ts.isPropertyAccessExpression(n.expression) && n.expression.questionDotToken)) {
    rep.unsupported(n, "optional chaining");
    return undefined;
  }
  if (n.typeArguments?.length) {
    rep.unsupported(n.typeArguments[0]!, "type arguments");
    return undefined;
  }
  const spread = n.arguments.find(ts.isSpreadElement);
  if (spread) {
    rep.unsupported(spread, "spread");
    return undefined;
  }
  const callee = n.expression;
  const arity = (want: number, what: string): boolean => {
    if (n.arguments.length === want) return true;
    rep.typeError(n, `${what} expects ${want} argument${want === 1 ? "" : "s"}, got ${n.arguments.length}`);
    return false;
  };
  if (ts.isIdentifier(callee)) {
    const name = callee.text;
    const sig = ck.sigs.get(name);
    if (ck.lookup(name) !== undefined) rep.unsupported(callee, `call of variable '${name}' (functions are not values)`);
    else if (sig) {
      if (!arity(sig.params.length, `'${name}'`)) return undefined;
      ck.resolved.set(n, { kind: "call", callee: name, isExtern: sig.isExtern });
      return n.arguments;
    } else if (name === STOP_GRADIENT) {
      if (!arity(1, STOP_GRADIENT)) return undefined;
      ck.resolved.set(n, { kind: "call", callee: name, isExtern: true });
      return n.arguments;
    } else if (name === "Array" || name === "Float64Array") rep.unsupported(n, `calling ${name} without new`);
    else if (!ck.poisoned.has(name)) ck.rep.report("E_TS_UNDEFINED", `unknown function '${name}'`, callee);
    return undefined;
  }
  if (!ts.isPropertyAccessExpression(callee) || ts.isPrivateIdentifier(callee.name)) {
    rep.unsupported(callee, "call of a computed function");
    return undefined;
  }
  const method = callee.name.text;
  const recv = callee.expression;
  if (ts.isIdentifier(recv) && recv.text === "Math" && ck.lookup("Math") === undefined) {
    if (!isMathFn(method)) {
      rep.unsupported(callee, `Math.${method}`);
      return undefined;
    }
    const arityOf = MATH_FNS[method].arity;
    if (arityOf !== "variadic" && !arity(arityOf, `Math.${method}`)) return undefined;
    if (method === "hypot" && n.arguments.length > 2) {
      rep.unsupported(n, "Math.hypot with more than two arguments (its rounding cannot be reproduced; nest Math.hypot calls)");
      return undefined;
    }
    ck.resolved.set(n, { kind: "math", fn: method });
    return n.arguments;
  }
  if (method === "slice") {
    if (n.arguments.length > 0) {
      rep.unsupported(n, "slice with arguments (only a.slice() to copy a whole array)");
      return undefined;
    }
    ck.resolved.set(n, { kind: "slice" });
    return [recv];
  }
  if (method === "fill") {
    const target = fillTarget(recv);
    if (!target) {
      rep.unsupported(n, "fill on an existing array (only new Array(n).fill(v))");
      return undefined;
    }
    if (!arity(1, "fill")) return undefined;
    if (target.typeArguments?.length) {
      rep.unsupported(target.typeArguments[0]!, "type arguments");
      return undefined;
    }
    ck.resolved.set(n, { kind: "newArray", fill: true });
    return [target.arguments![0]!, n.arguments[0]!];
  }
  rep.unsupported(callee.name, `method call '.${method}()'`);
  return undefined;
}

