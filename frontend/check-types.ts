// Expression rules of the checker, second part: types. `typeExpr` computes an
// expression's type from its children's and is re-run on every sweep of the
// integer fixpoint; storing a non-integer into a numeric variable demotes the
// variable from i32 to f64 (FuncChecker.assignNumeric). Type errors are
// reported in the first sweep only.

import ts from "typescript";
import { INT_PRESERVING, isIntLiteral } from "./builtins.js";
import type { FuncChecker } from "./check.js";
import { operatorText } from "./describe.js";
import type { ExprType, ValueType, VarId } from "./facts.js";
import { aType, arithType, calleeSig, COMPOUND, EQUALITY, fillTarget, isNum, operatorClass, typeName, unparen } from "./subset.js";

const K = ts.SyntaxKind;

/** Computes (or recomputes) the type of an expression from its children's types. */
export function typeExpr(ck: FuncChecker, node: ts.Node): void {
  const t = computeType(ck, node);
  if (t === undefined) ck.types.delete(node);
  else ck.types.set(node, t);
}

function computeType(ck: FuncChecker, node: ts.Node): ExprType | undefined {
  const ty = (n: ts.Node): ExprType | undefined => ck.types.get(n);
  const resolved = ck.resolved.get(node);
  switch (node.kind) {
    case K.NumericLiteral:
      return isIntLiteral(Number((node as ts.NumericLiteral).text)) ? "i32" : "f64";
    case K.TrueKeyword:
    case K.FalseKeyword:
      return "bool";
    case K.Identifier:
      if (resolved?.kind === "const") return "f64";
      return resolved?.kind === "var" && ck.isReady(resolved.id) ? ck.vars[resolved.id]!.type : undefined;
    case K.ParenthesizedExpression:
      return ty((node as ts.ParenthesizedExpression).expression);
    case K.PrefixUnaryExpression: {
      const n = node as ts.PrefixUnaryExpression;
      if (resolved?.kind === "const") return isIntLiteral(resolved.value) ? "i32" : "f64";
      const t = ty(n.operand);
      if (t === undefined) return undefined;
      if (n.operator === K.PlusPlusToken || n.operator === K.MinusMinusToken) return incDecType(ck, n.operand);
      if (n.operator === K.ExclamationToken) return expect(ck, n.operand, t, "bool", "'!' expects a boolean (compare numbers explicitly, e.g. x !== 0)");
      return isNum(t) ? t : mismatch(ck, n.operand, `unary '${operatorText(n.operator)}' expects a number, got ${typeName(t)}`);
    }
    case K.PostfixUnaryExpression: {
      const n = node as ts.PostfixUnaryExpression;
      return ty(n.operand) === undefined ? undefined : incDecType(ck, n.operand);
    }
    case K.BinaryExpression:
      return binaryType(ck, node as ts.BinaryExpression);
    case K.ConditionalExpression: {
      const n = node as ts.ConditionalExpression;
      const c = ty(n.condition);
      const a = ty(n.whenTrue);
      const b = ty(n.whenFalse);
      if (c !== undefined) expect(ck, n.condition, c, "bool", "a condition must be a boolean (compare numbers explicitly, e.g. x !== 0)");
      if (a === undefined || b === undefined) return undefined;
      if (isNum(a) && isNum(b)) return a === "i32" && b === "i32" ? "i32" : "f64";
      if (a === b && typeof a === "string") return a;
      return mismatch(ck, n, `the branches of '?:' have different types (${typeName(a)} and ${typeName(b)})`);
    }
    case K.CallExpression:
      return callType(ck, node as ts.CallExpression);
    case K.NewExpression: {
      const arg = (node as ts.NewExpression).arguments![0]!;
      const t = ty(arg);
      if (t !== undefined && !isNum(t)) return mismatch(ck, arg, `the length must be a number, got ${typeName(t)}`);
      return "f64[]";
    }
    case K.ElementAccessExpression: {
      const n = node as ts.ElementAccessExpression;
      const a = ty(n.expression);
      const i = ty(n.argumentExpression);
      if (a !== undefined && a !== "f64[]") return mismatch(ck, n.expression, `only arrays can be indexed, got ${typeName(a)}`);
      if (i !== undefined && !isNum(i)) return mismatch(ck, n.argumentExpression, `an index must be a number, got ${typeName(i)}`);
      return a === undefined || i === undefined ? undefined : "f64";
    }
    case K.PropertyAccessExpression: {
      if (resolved?.kind === "const") return "f64";
      const recv = (node as ts.PropertyAccessExpression).expression;
      const a = ty(recv);
      if (a === undefined) return undefined;
      return a === "f64[]" ? "i32" : mismatch(ck, recv, `.length needs an array, got ${typeName(a)}`);
    }
    case K.ArrayLiteralExpression: {
      let ok = true;
      for (const el of (node as ts.ArrayLiteralExpression).elements) {
        const t = ty(el);
        if (t === undefined) ok = false;
        else if (!isNum(t)) ok = mismatch(ck, el, `array elements must be numbers, got ${typeName(t)}`) !== undefined;
      }
      return ok ? "f64[]" : undefined;
    }
  }
  return undefined;
}

/** Reports `message` (first sweep only) and yields no type. */
function mismatch(ck: FuncChecker, at: ts.Node, message: string): undefined {
  if (ck.reporting) ck.rep.typeError(at, message);
  return undefined;
}

function expect(ck: FuncChecker, at: ts.Node, t: ExprType, want: "bool", message: string): ExprType | undefined {
  return t === want ? t : mismatch(ck, at, `${message}, got ${typeName(t)}`);
}

/** The assignable place an expression denotes: a variable or an array element. */
type LValue = { readonly kind: "var"; readonly id: VarId } | { readonly kind: "elem"; readonly node: ts.ElementAccessExpression };

/** The place `target` denotes, reporting constants and invalid targets. */
function lvalue(ck: FuncChecker, target: ts.Expression): LValue | undefined {
  const e = unparen(target);
  if (ts.isElementAccessExpression(e)) return { kind: "elem", node: e };
  const r = ck.resolved.get(e);
  if (ts.isIdentifier(e) && r?.kind === "var") {
    const v = ck.vars[r.id]!;
    if (v.isConst) return mismatch(ck, e, `cannot assign to '${v.name}' because it is a constant`);
    return { kind: "var", id: r.id };
  }
  return mismatch(ck, target, "invalid assignment target (only variables and array elements)");
}

/** Numeric type after storing a value of type `t` into the place. */
function store(ck: FuncChecker, lv: LValue, t: ValueType): ValueType {
  if (lv.kind === "elem") return "f64";
  ck.assignNumeric(lv.id, t);
  return ck.vars[lv.id]!.type;
}

function incDecType(ck: FuncChecker, operand: ts.Expression): ExprType | undefined {
  const lv = lvalue(ck, operand);
  const t = ck.types.get(operand);
  if (!lv || t === undefined) return undefined;
  if (!isNum(t)) return mismatch(ck, operand, `'++' and '--' need a number, got ${typeName(t)}`);
  return store(ck, lv, t);
}

function binaryType(ck: FuncChecker, n: ts.BinaryExpression): ExprType | undefined {
  const op = n.operatorToken.kind;
  const l = ck.types.get(n.left);
  const r = ck.types.get(n.right);
  const cls = operatorClass(op);
  if (cls === "assign" && ts.isArrayLiteralExpression(n.left)) return destructuringType(ck, n.left, n.right);
  if (cls === "assign" || cls === "compound") {
    const lv = lvalue(ck, n.left);
    if (!lv || l === undefined || r === undefined) return undefined;
    if (typeof r === "object") return mismatch(ck, n.right, "a tuple result must be destructured: const [a, b] = f(...)");
    if (cls === "compound") {
      if (!isNum(l) || !isNum(r)) return mismatch(ck, n, `'${operatorText(op)}' needs numbers, got ${typeName(l)} and ${typeName(r)}`);
      return store(ck, lv, arithType(COMPOUND.get(op)!, l as ValueType, r));
    }
    if (isNum(l) && isNum(r)) return store(ck, lv, r);
    return l === r ? l : mismatch(ck, n.right, `cannot assign ${aType(r)} to ${aType(l)}`);
  }
  if (cls === "comma") return r;
  if (l === undefined || r === undefined) return undefined;
  if (cls === "arith") {
    if (isNum(l) && isNum(r)) return arithType(op, l, r);
    return mismatch(ck, n.operatorToken, `'${operatorText(op)}' needs numbers, got ${typeName(l)} and ${typeName(r)}`);
  }
  if (cls === "compare") {
    if (isNum(l) && isNum(r)) return "bool";
    if (l === "bool" && r === "bool" && EQUALITY.has(op)) return "bool";
    return mismatch(ck, n.operatorToken, `'${operatorText(op)}' cannot compare ${typeName(l)} and ${typeName(r)}`);
  }
  if (l === "bool" && r === "bool") return "bool";
  return mismatch(ck, n.operatorToken, `'${operatorText(op)}' needs booleans, got ${typeName(l)} and ${typeName(r)} (compare numbers explicitly)`);
}

function destructuringType(ck: FuncChecker, left: ts.ArrayLiteralExpression, right: ts.Expression): ExprType | undefined {
  const r = ck.types.get(right);
  if (r === undefined) return undefined;
  if (typeof r !== "object") return mismatch(ck, right, `only a call returning a tuple can be destructured, got ${typeName(r)}`);
  if (left.elements.length > r.tuple.length) return mismatch(ck, left, `cannot destructure ${left.elements.length} values from ${aType(r)}`);
  let ok = true;
  left.elements.forEach((el, i) => {
    if (ts.isOmittedExpression(el)) return;
    const lv = lvalue(ck, el);
    const want = r.tuple[i]!;
    if (!lv || lv.kind !== "var") {
      ok = false;
      return;
    }
    const have = ck.vars[lv.id]!.type;
    if (isNum(have) && want === "f64") store(ck, lv, want);
    else if (have !== want) ok = mismatch(ck, el, `cannot assign ${aType(want)} to ${aType(have)}`) !== undefined;
  });
  return ok ? r : undefined;
}

function callType(ck: FuncChecker, n: ts.CallExpression): ExprType | undefined {
  const r = ck.resolved.get(n);
  const argTypes = n.arguments.map((a) => ck.types.get(a));
  if (r?.kind === "slice") {
    const t = ck.types.get((n.expression as ts.PropertyAccessExpression).expression);
    if (t === undefined) return undefined;
    return t === "f64[]" ? "f64[]" : mismatch(ck, n.expression, `.slice() needs an array, got ${typeName(t)}`);
  }
  if (r?.kind === "newArray") {
    const len = fillTarget((n.expression as ts.PropertyAccessExpression).expression)!.arguments![0]!;
    const lt = ck.types.get(len);
    const vt = argTypes[0];
    if (lt !== undefined && !isNum(lt)) return mismatch(ck, len, `the length must be a number, got ${typeName(lt)}`);
    if (vt !== undefined && !isNum(vt)) return mismatch(ck, n.arguments[0]!, `fill needs a number, got ${typeName(vt)}`);
    return lt === undefined || vt === undefined ? undefined : "f64[]";
  }
  let ok = true;
  if (r?.kind === "math") {
    argTypes.forEach((t, i) => {
      if (t === undefined) ok = false;
      else if (!isNum(t)) ok = mismatch(ck, n.arguments[i]!, `Math.${r.fn} needs numbers, got ${typeName(t)}`) !== undefined;
    });
    if (!ok) return undefined;
    return INT_PRESERVING.has(r.fn) && argTypes.length > 0 && argTypes.every((t) => t === "i32") ? "i32" : "f64";
  }
  if (r?.kind !== "call") return undefined;
  const sig = calleeSig(ck.sigs, r.callee);
  argTypes.forEach((t, i) => {
    const want = sig.params[i]!;
    if (t === undefined) ok = false;
    else if (want === "f64" ? !isNum(t) : t !== want) ok = mismatch(ck, n.arguments[i]!, `argument ${i + 1} of '${r.callee}' must be ${aType(want)}, got ${aType(t)}`) !== undefined;
  });
  if (!ok) return undefined;
  return sig.isTuple ? { tuple: sig.results } : sig.results[0]!;
}

