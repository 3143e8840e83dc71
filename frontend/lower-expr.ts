// Expression rules of the lowering: `valueTask` evaluates an expression in
// JavaScript order and pushes its value(s); `condTask` lowers a boolean in
// branch position straight to control flow (short-circuit `&&`/`||`/`!`).
// In value position `&&`, `||` and `?:` become `and`/`or`/`select` only when
// the operands are cheap and effect-free (facts.cheap), otherwise control flow
// through a temporary variable whose phi the SSA builder creates.

import ts from "typescript";
import type { Opcode } from "../ir/ops.js";
import type { BlockId, Type, ValueId } from "../ir/types.js";
import { MATH_FNS } from "./builtins.js";
import { calleeSig, COMPOUND, fillTarget, operatorClass, unparen } from "./subset.js";
import type { ValueType } from "./facts.js";
import { width, type Lowerer, type Task } from "./lower.js";

const K = ts.SyntaxKind;

const ARITH_OP: ReadonlyMap<ts.SyntaxKind, Opcode> = new Map<ts.SyntaxKind, Opcode>([
  [K.PlusToken, "add"],
  [K.MinusToken, "sub"],
  [K.AsteriskToken, "mul"],
  [K.SlashToken, "div"],
  [K.PercentToken, "rem"],
  [K.AsteriskAsteriskToken, "pow"],
]);

const COMPARE_OP: ReadonlyMap<ts.SyntaxKind, Opcode> = new Map<ts.SyntaxKind, Opcode>([
  [K.LessThanToken, "lt"],
  [K.LessThanEqualsToken, "le"],
  [K.GreaterThanToken, "gt"],
  [K.GreaterThanEqualsToken, "ge"],
  [K.EqualsEqualsEqualsToken, "eq"],
  [K.EqualsEqualsToken, "eq"],
  [K.ExclamationEqualsEqualsToken, "ne"],
  [K.ExclamationEqualsToken, "ne"],
]);

/** A task evaluating `node` and pushing its value(s). */
export function valueTask(lw: Lowerer, node: ts.Expression): Task {
  return () => lowerValue(lw, node);
}

/** A task evaluating `node` and discarding its value(s). */
export function effectTask(lw: Lowerer, node: ts.Expression): Task {
  return () => lw.then(valueTask(lw, node), () => void lw.popN(width(lw.typeOf(node))));
}

/** A task branching on boolean `node` to `t` or `f`; leaves `cur` null. */
export function condTask(lw: Lowerer, node: ts.Expression, t: BlockId, f: BlockId): Task {
  return () => {
    const e = unparen(node);
    if (ts.isPrefixUnaryExpression(e) && e.operator === K.ExclamationToken) return lw.then(condTask(lw, e.operand, f, t));
    if (ts.isBinaryExpression(e) && operatorClass(e.operatorToken.kind) === "logic") {
      const isAnd = e.operatorToken.kind === K.AmpersandAmpersandToken;
      const mid = lw.newBlock(isAnd ? "and_rhs" : "or_rhs");
      return lw.then(
        isAnd ? condTask(lw, e.left, mid, f) : condTask(lw, e.left, t, mid),
        () => lw.join(mid),
        condTask(lw, e.right, t, f),
      );
    }
    lw.then(valueTask(lw, e), () => lw.condbr(lw.pop(), t, f, e));
  };
}

/** Arithmetic `op` on two numbers at the checked result type. */
function arith(lw: Lowerer, op: ts.SyntaxKind, a: ValueId, b: ValueId, type: Type, at: ts.Node): ValueId {
  return lw.emit(ARITH_OP.get(op)!, [lw.coerce(a, type, at), lw.coerce(b, type, at)], type, at);
}

function lowerValue(lw: Lowerer, node: ts.Expression): void {
  const r = lw.facts.resolved.get(node);
  if (r?.kind === "const") return lw.push(lw.literal(lw.valueTypeOf(node), r.value, node));
  switch (node.kind) {
    case K.NumericLiteral:
      return lw.push(lw.literal(lw.valueTypeOf(node), Number((node as ts.NumericLiteral).text), node));
    case K.TrueKeyword:
    case K.FalseKeyword:
      return lw.push(lw.constant("bool", node.kind === K.TrueKeyword ? 1 : 0, node));
    case K.Identifier:
      return lw.push(lw.read((r as { id: number }).id));
    case K.ParenthesizedExpression:
      return lw.then(valueTask(lw, (node as ts.ParenthesizedExpression).expression));
    case K.PrefixUnaryExpression:
      return lowerPrefix(lw, node as ts.PrefixUnaryExpression);
    case K.PostfixUnaryExpression: {
      const n = node as ts.PostfixUnaryExpression;
      return lowerIncDec(lw, n, n.operand, n.operator === K.PlusPlusToken, false);
    }
    case K.BinaryExpression:
      return lowerBinary(lw, node as ts.BinaryExpression);
    case K.ConditionalExpression:
      return lowerConditional(lw, node as ts.ConditionalExpression);
    case K.CallExpression:
      return lowerCall(lw, node as ts.CallExpression);
    case K.NewExpression: {
      const arg = (node as ts.NewExpression).arguments![0]!;
      return lw.then(valueTask(lw, arg), () => {
        const n = lw.toIndex(lw.pop(), arg);
        lw.push(lw.emit("array.new", [n, lw.constant("f64", 0, node)], "f64[]", node));
      });
    }
    case K.ElementAccessExpression: {
      const n = node as ts.ElementAccessExpression;
      return lw.then(valueTask(lw, n.expression), valueTask(lw, n.argumentExpression), () => {
        const i = lw.toIndex(lw.pop(), n.argumentExpression);
        lw.push(lw.emit("array.get", [lw.pop(), i], "f64", n));
      });
    }
    case K.PropertyAccessExpression: {
      const n = node as ts.PropertyAccessExpression;
      return lw.then(valueTask(lw, n.expression), () => lw.push(lw.emit("array.len", [lw.pop()], "i32", n)));
    }
    case K.ArrayLiteralExpression: {
      const els = (node as ts.ArrayLiteralExpression).elements;
      return lw.thenAll([
        ...els.map((e) => valueTask(lw, e)),
        () => {
          const vs = lw.popN(els.length).map((v, i) => lw.toF64(v, els[i]!));
          const arr = lw.emit("array.new", [lw.constant("i32", els.length, node), lw.constant("f64", 0, node)], "f64[]", node);
          vs.forEach((v, i) => lw.emitN("array.set", [arr, lw.constant("i32", i, els[i]!), v], [], els[i]!));
          lw.push(arr);
        },
      ]);
    }
  }
}

function lowerPrefix(lw: Lowerer, n: ts.PrefixUnaryExpression): void {
  switch (n.operator) {
    case K.PlusPlusToken:
    case K.MinusMinusToken:
      return lowerIncDec(lw, n, n.operand, n.operator === K.PlusPlusToken, true);
    case K.PlusToken:
      return lw.then(valueTask(lw, n.operand));
    case K.MinusToken:
      return lw.then(valueTask(lw, n.operand), () => lw.push(lw.emit("neg", [lw.pop()], lw.valueTypeOf(n), n)));
    default:
      return lw.then(valueTask(lw, n.operand), () => lw.push(lw.emit("not", [lw.pop()], "bool", n)));
  }
}

/** `x++`, `--a[i]`…: pushes the old (postfix) or new (prefix) value. */
function lowerIncDec(lw: Lowerer, n: ts.Expression, operand: ts.Expression, inc: boolean, prefix: boolean): void {
  const target = unparen(operand);
  const op: Opcode = inc ? "add" : "sub";
  if (ts.isElementAccessExpression(target)) {
    return lw.then(valueTask(lw, target.expression), valueTask(lw, target.argumentExpression), () => {
      const i = lw.toIndex(lw.pop(), target.argumentExpression);
      const a = lw.pop();
      const old = lw.emit("array.get", [a, i], "f64", target);
      const updated = lw.emit(op, [old, lw.constant("f64", 1, n)], "f64", n);
      lw.emitN("array.set", [a, i, updated], [], n);
      lw.push(prefix ? updated : old);
    });
  }
  const id = (lw.facts.resolved.get(target) as { id: number }).id;
  const type = lw.varType(id);
  const old = lw.read(id);
  const updated = lw.emit(op, [old, lw.constant(type, 1, n)], type, n);
  lw.write(id, updated);
  lw.push(prefix ? updated : old);
}

function lowerBinary(lw: Lowerer, n: ts.BinaryExpression): void {
  const op = n.operatorToken.kind;
  switch (operatorClass(op)) {
    case "arith":
      return lw.then(valueTask(lw, n.left), valueTask(lw, n.right), () => {
        const b = lw.pop();
        lw.push(arith(lw, op, lw.pop(), b, lw.valueTypeOf(n), n.operatorToken));
      });
    case "compare":
      return lw.then(valueTask(lw, n.left), valueTask(lw, n.right), () => {
        const b = lw.pop();
        lw.push(compare(lw, op, lw.pop(), b, n.operatorToken));
      });
    case "logic":
      return lowerLogic(lw, n);
    case "assign":
      return lowerAssign(lw, n);
    case "compound":
      return lowerCompound(lw, n);
    case "comma":
      return lw.then(effectTask(lw, n.left), valueTask(lw, n.right));
    case undefined:
      return;
  }
}

function compare(lw: Lowerer, op: ts.SyntaxKind, a: ValueId, b: ValueId, at: ts.Node): ValueId {
  const ta = lw.ssa.typeOf(a);
  const tb = lw.ssa.typeOf(b);
  const code = COMPARE_OP.get(op)!;
  if (ta === "bool") {
    // Booleans are equal when `a ? b : !b` holds.
    const nb = lw.emit("not", [b], "bool", at);
    return code === "eq" ? lw.emit("select", [a, b, nb], "bool", at) : lw.emit("select", [a, nb, b], "bool", at);
  }
  const t: Type = ta === "i32" && tb === "i32" ? "i32" : "f64";
  return lw.emit(code, [lw.coerce(a, t, at), lw.coerce(b, t, at)], "bool", at);
}

function lowerLogic(lw: Lowerer, n: ts.BinaryExpression): void {
  const isAnd = n.operatorToken.kind === K.AmpersandAmpersandToken;
  if ((lw.facts.cheap.get(n.right) ?? 0) >= 1) {
    return lw.then(valueTask(lw, n.left), valueTask(lw, n.right), () => {
      const b = lw.pop();
      lw.push(lw.emit(isAnd ? "and" : "or", [lw.pop(), b], "bool", n.operatorToken));
    });
  }
  const tmp = lw.newTemp("bool");
  const rhs = lw.newBlock(isAnd ? "and_rhs" : "or_rhs");
  const end = lw.newBlock(isAnd ? "and_end" : "or_end");
  lw.then(
    valueTask(lw, n.left),
    () => {
      const a = lw.pop();
      lw.write(tmp, a);
      if (isAnd) lw.condbr(a, rhs, end, n.operatorToken);
      else lw.condbr(a, end, rhs, n.operatorToken);
      lw.join(rhs);
    },
    valueTask(lw, n.right),
    () => {
      lw.write(tmp, lw.pop());
      lw.br(end, n);
      lw.join(end);
      lw.push(lw.read(tmp));
    },
  );
}

function lowerConditional(lw: Lowerer, n: ts.ConditionalExpression): void {
  const type = lw.valueTypeOf(n);
  const need = type === "bool" ? 1 : 2;
  const cheap = (e: ts.Node): boolean => (lw.facts.cheap.get(e) ?? 0) >= need;
  if (cheap(n.whenTrue) && cheap(n.whenFalse)) {
    return lw.then(valueTask(lw, n.condition), valueTask(lw, n.whenTrue), valueTask(lw, n.whenFalse), () => {
      const b = lw.coerce(lw.pop(), type, n.whenFalse);
      const a = lw.coerce(lw.pop(), type, n.whenTrue);
      lw.push(lw.emit("select", [lw.pop(), a, b], type, n));
    });
  }
  const tmp = lw.newTemp(type);
  const t = lw.newBlock("tern_then");
  const f = lw.newBlock("tern_else");
  const end = lw.newBlock("tern_end");
  const arm = (e: ts.Expression, next: BlockId | null): Task[] => [
    valueTask(lw, e),
    () => {
      lw.write(tmp, lw.coerce(lw.pop(), type, e));
      lw.br(end, e);
      if (next !== null) lw.cur = next;
    },
  ];
  lw.then(
    condTask(lw, n.condition, t, f),
    () => {
      lw.ssa.seal(t);
      lw.ssa.seal(f);
      lw.cur = t;
    },
    ...arm(n.whenTrue, f),
    ...arm(n.whenFalse, null),
    () => {
      lw.join(end);
      lw.push(lw.read(tmp));
    },
  );
}

function lowerAssign(lw: Lowerer, n: ts.BinaryExpression): void {
  const left = unparen(n.left);
  if (ts.isArrayLiteralExpression(left)) {
    const count = width(lw.typeOf(n.right));
    return lw.then(valueTask(lw, n.right), () => {
      const vs = lw.popN(count);
      left.elements.forEach((el, i) => {
        if (ts.isOmittedExpression(el)) return;
        const id = (lw.facts.resolved.get(el) as { id: number }).id;
        lw.write(id, lw.coerce(vs[i]!, lw.varType(id), el));
      });
      lw.push(...vs);
    });
  }
  if (ts.isElementAccessExpression(left)) {
    return lw.then(valueTask(lw, left.expression), valueTask(lw, left.argumentExpression), valueTask(lw, n.right), () => {
      const v = lw.toF64(lw.pop(), n.right);
      const i = lw.toIndex(lw.pop(), left.argumentExpression);
      lw.emitN("array.set", [lw.pop(), i, v], [], n.operatorToken);
      lw.push(v);
    });
  }
  const id = (lw.facts.resolved.get(left) as { id: number }).id;
  lw.then(valueTask(lw, n.right), () => {
    const v = lw.coerce(lw.pop(), lw.varType(id), n.right);
    lw.write(id, v);
    lw.push(v);
  });
}

/** `x op= e` / `a[i] op= e`: the target is read before `e` is evaluated, as in JavaScript. */
function lowerCompound(lw: Lowerer, n: ts.BinaryExpression): void {
  const op = COMPOUND.get(n.operatorToken.kind)!;
  const left = unparen(n.left);
  const resultType = (a: ValueId, b: ValueId): Type => (lw.ssa.typeOf(a) === "i32" && lw.ssa.typeOf(b) === "i32" && (op === K.PlusToken || op === K.MinusToken || op === K.AsteriskToken) ? "i32" : "f64");
  if (ts.isElementAccessExpression(left)) {
    return lw.then(
      valueTask(lw, left.expression),
      valueTask(lw, left.argumentExpression),
      () => {
        const i = lw.toIndex(lw.pop(), left.argumentExpression);
        const a = lw.pop();
        lw.push(a, i, lw.emit("array.get", [a, i], "f64", left));
      },
      valueTask(lw, n.right),
      () => {
        const [a, i, old, rhs] = lw.popN(4) as [ValueId, ValueId, ValueId, ValueId];
        const v = arith(lw, op, old, rhs, "f64", n.operatorToken);
        lw.emitN("array.set", [a, i, v], [], n.operatorToken);
        lw.push(v);
      },
    );
  }
  const id = (lw.facts.resolved.get(left) as { id: number }).id;
  lw.then(
    () => lw.push(lw.read(id)),
    valueTask(lw, n.right),
    () => {
      const rhs = lw.pop();
      const old = lw.pop();
      const v = lw.coerce(arith(lw, op, old, rhs, resultType(old, rhs), n.operatorToken), lw.varType(id), n);
      lw.write(id, v);
      lw.push(v);
    },
  );
}

function lowerCall(lw: Lowerer, n: ts.CallExpression): void {
  const r = lw.facts.resolved.get(n)!;
  const type = lw.typeOf(n);
  switch (r.kind) {
    case "call": {
      const sig = calleeSig(lw.sigs, r.callee);
      return lw.thenAll([
        ...n.arguments.map((a) => valueTask(lw, a)),
        () => {
          const args = lw.popN(n.arguments.length).map((v, i) => lw.coerce(v, sig.params[i]!, n.arguments[i]!));
          lw.push(...lw.emitN(r.isExtern ? "call.extern" : "call", args, sig.results, n, r.callee));
        },
      ]);
    }
    case "math":
      return lw.thenAll([
        ...n.arguments.map((a) => valueTask(lw, a)),
        () => {
          const args = lw.popN(n.arguments.length);
          lw.push(mathCall(lw, r.fn, args, type as ValueType, n));
        },
      ]);
    case "slice": {
      const recv = (n.expression as ts.PropertyAccessExpression).expression;
      return lw.then(valueTask(lw, recv), () => lw.push(lw.emit("array.copy", [lw.pop()], "f64[]", n)));
    }
    case "newArray": {
      const len = fillTarget((n.expression as ts.PropertyAccessExpression).expression)!.arguments![0]!;
      const fill = n.arguments[0]!;
      return lw.then(valueTask(lw, len), valueTask(lw, fill), () => {
        const v = lw.toF64(lw.pop(), fill);
        const size = lw.toIndex(lw.pop(), len);
        lw.push(lw.emit("array.new", [size, v], "f64[]", n));
      });
    }
  }
}

/** A `Math` function on evaluated arguments, at the checked result type. */
function mathCall(lw: Lowerer, fn: keyof typeof MATH_FNS, args: ValueId[], type: ValueType, at: ts.Node): ValueId {
  const op = MATH_FNS[fn].op;
  const conv = args.map((a) => lw.coerce(a, type === "i32" ? "i32" : "f64", at));
  if (fn === "min" || fn === "max") {
    if (conv.length === 0) return lw.constant("f64", fn === "min" ? Infinity : -Infinity, at);
    return conv.slice(1).reduce((acc, v) => lw.emit(op, [acc, v], type, at), conv[0]!);
  }
  if (fn === "hypot") {
    if (conv.length === 0) return lw.constant("f64", 0, at);
    if (conv.length === 1) return lw.emit("abs", conv, "f64", at);
  }
  return lw.emit(op, conv, type, at);
}
