// Vocabulary shared by the checker and the lowering: operator classes, type
// names for messages, the integer-keeping rule of arithmetic, the shape of
// `new Array(n).fill(v)`, and callee signatures (`stopGradient` included).

import ts from "typescript";
import type { ExprType, FuncSig, SigType, ValueType } from "./facts.js";
import { STOP_GRADIENT } from "./signatures.js";

const K = ts.SyntaxKind;

/** Binary operators of the subset, by class. */
const ARITH = new Set([K.PlusToken, K.MinusToken, K.AsteriskToken, K.SlashToken, K.PercentToken, K.AsteriskAsteriskToken]);
const COMPARE = new Set([K.LessThanToken, K.LessThanEqualsToken, K.GreaterThanToken, K.GreaterThanEqualsToken, K.EqualsEqualsEqualsToken, K.ExclamationEqualsEqualsToken, K.EqualsEqualsToken, K.ExclamationEqualsToken]);
/** Equality operators (the only comparisons of booleans). */
export const EQUALITY: ReadonlySet<ts.SyntaxKind> = new Set([K.EqualsEqualsEqualsToken, K.ExclamationEqualsEqualsToken, K.EqualsEqualsToken, K.ExclamationEqualsToken]);
const LOGIC = new Set([K.AmpersandAmpersandToken, K.BarBarToken]);
/** Compound assignment operator → the arithmetic operator it applies. */
export const COMPOUND: ReadonlyMap<ts.SyntaxKind, ts.SyntaxKind> = new Map([
  [K.PlusEqualsToken, K.PlusToken],
  [K.MinusEqualsToken, K.MinusToken],
  [K.AsteriskEqualsToken, K.AsteriskToken],
  [K.SlashEqualsToken, K.SlashToken],
  [K.PercentEqualsToken, K.PercentToken],
  [K.AsteriskAsteriskEqualsToken, K.AsteriskAsteriskToken],
]);

/** Operator classes, shared with lowering. */
export function operatorClass(op: ts.SyntaxKind): "arith" | "compare" | "logic" | "assign" | "compound" | "comma" | undefined {
  if (ARITH.has(op)) return "arith";
  if (COMPARE.has(op)) return "compare";
  if (LOGIC.has(op)) return "logic";
  if (op === K.EqualsToken) return "assign";
  if (COMPOUND.has(op)) return "compound";
  if (op === K.CommaToken) return "comma";
  return undefined;
}

/** True for the numeric types. */
export const isNum = (t: ExprType | undefined): t is "i32" | "f64" => t === "i32" || t === "f64";

/** Name of a type in messages. */
export function typeName(t: ExprType): string {
  if (typeof t === "object") return `tuple [${t.tuple.map(typeName).join(", ")}]`;
  return t === "bool" ? "boolean" : t === "f64[]" ? "array" : "number";
}

/** `typeName` with an indefinite article ("a number", "an array"). */
export function aType(t: ExprType): string {
  const name = typeName(t);
  return `${/^[aeiou]/.test(name) ? "an" : "a"} ${name}`;
}

/** `i32` if both are `i32` and the operator keeps integers, else `f64`. */
export function arithType(op: ts.SyntaxKind, a: ValueType, b: ValueType): ValueType {
  const keepsInt = op === K.PlusToken || op === K.MinusToken || op === K.AsteriskToken;
  return keepsInt && a === "i32" && b === "i32" ? "i32" : "f64";
}

/** `e` without enclosing parentheses. */
export function unparen(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** The `new Array(n)` / `new Float64Array(n)` receiver of `.fill(v)`, if that is what `e` is. */
export function fillTarget(e: ts.Expression): ts.NewExpression | undefined {
  const inner = unparen(e);
  if (!ts.isNewExpression(inner) || !ts.isIdentifier(inner.expression)) return undefined;
  const name = inner.expression.text;
  return (name === "Array" || name === "Float64Array") && inner.arguments?.length === 1 ? inner : undefined;
}

/** Parameter and result types of a callee. */
export interface CalleeSig {
  readonly params: readonly SigType[];
  readonly results: readonly SigType[];
  readonly isTuple: boolean;
}

/** The built-in `stopGradient: (x: number) => number`. */
const STOP_GRADIENT_SIG: CalleeSig = { params: ["f64"], results: ["f64"], isTuple: false };

/** The signature of a resolved call's callee (`stopGradient` included). */
export function calleeSig(sigs: ReadonlyMap<string, FuncSig>, callee: string): CalleeSig {
  if (callee === STOP_GRADIENT) return STOP_GRADIENT_SIG;
  const sig = sigs.get(callee)!;
  return { params: sig.params.map((p) => p.type), results: sig.results, isTuple: sig.isTuple };
}

