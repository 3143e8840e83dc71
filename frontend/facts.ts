// Plain data shared by the frontend's stages: the signatures collected from
// the top level, and the per-function facts the checker hands to lowering
// (variable bindings, final expression types, resolved callees). Nothing here
// has behaviour; the checker fills these tables and lowering only reads them.

import type ts from "typescript";

/** IR type of a source value: `i32` only for values proven integer. */
export type ValueType = "f64" | "i32" | "bool" | "f64[]";

/** Static type of an expression: one value, or a tuple (a call returning several results). */
export type ExprType = ValueType | TupleType;

/** Several results of a call, in order. */
export interface TupleType {
  readonly tuple: readonly ValueType[];
}

/** Parameter or result type allowed in a signature. */
export type SigType = "f64" | "f64[]";

/** The signature of a top-level function or `declare function`. */
export interface FuncSig {
  readonly name: string;
  readonly params: readonly { readonly name: string; readonly type: SigType; readonly node: ts.ParameterDeclaration }[];
  readonly results: readonly SigType[];
  /** Declared as a tuple `[A, B]` (returned as an array literal, destructured by callers). */
  readonly isTuple: boolean;
  readonly isExtern: boolean;
  readonly node: ts.FunctionDeclaration;
}

/** Index into `FuncFacts.vars`. */
export type VarId = number;

/** A source variable (parameter or `let`/`const`) after scope resolution. */
export interface VarInfo {
  readonly name: string;
  /** Final type; numeric variables start as `i32` and are demoted to `f64`. */
  type: ValueType;
  readonly isConst: boolean;
  readonly isParam: boolean;
  readonly decl: ts.Node;
}

/** Names the checker resolved at a node, so lowering never re-derives them. */
export type Resolved =
  | { readonly kind: "var"; readonly id: VarId }
  | { readonly kind: "const"; readonly value: number }
  | { readonly kind: "call"; readonly callee: string; readonly isExtern: boolean }
  | { readonly kind: "math"; readonly fn: MathFn }
  | { readonly kind: "length" }
  | { readonly kind: "slice" }
  | { readonly kind: "newArray"; readonly fill: boolean };

/** `Math.*` functions of the subset. */
export type MathFn =
  | "sqrt" | "cbrt" | "exp" | "expm1" | "log" | "log1p" | "log2" | "log10"
  | "sin" | "cos" | "tan" | "asin" | "acos" | "atan" | "sinh" | "cosh" | "tanh"
  | "abs" | "sign" | "floor" | "ceil" | "round"
  | "atan2" | "pow" | "min" | "max" | "hypot";

/** How cheap an expression is to evaluate eagerly (for `select`, `and`, `or`):
 * 2 = trivial (a literal, a variable, a constant, a length, unary +/-/! of
 * those), 1 = a boolean built from trivial operands with comparisons and
 * logic, 0 = anything else (calls, arithmetic that may produce infinite
 * derivatives, effects, traps). Absent means 0. */
export type Cheapness = 0 | 1 | 2;

/** Everything lowering needs about one function. */
export interface FuncFacts {
  readonly sig: FuncSig;
  readonly vars: readonly VarInfo[];
  /** Parameter variables, in order. */
  readonly params: readonly VarId[];
  /** Array parameters the function may write (copied on entry). */
  readonly copyParams: readonly boolean[];
  /** Identifiers, declarations, calls, property accesses and `new` → what they denote. */
  readonly resolved: ReadonlyMap<ts.Node, Resolved>;
  /** Type of every expression. */
  readonly types: ReadonlyMap<ts.Node, ExprType>;
  readonly cheap: ReadonlyMap<ts.Node, Cheapness>;
}
