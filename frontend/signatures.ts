// The top level of a file: collects every function and `declare function`
// signature (so calls may precede declarations and recursion works) and
// rejects every other top-level statement. Also reads type annotations.

import ts from "typescript";
import type { Reporter } from "./diagnostics.js";
import { describeNode } from "./describe.js";
import type { FuncSig, SigType, ValueType } from "./facts.js";

/** Name of the built-in derivative barrier (DESIGN.md §4). */
export const STOP_GRADIENT = "stopGradient";

/** What a type annotation may denote where it is written. */
export interface TypeContext {
  readonly allowBool: boolean;
}

/** The IR type of a type annotation (`number`, `boolean`, `number[]`,
 * `Array<number>`, `Float64Array`), or undefined after reporting it. */
export function readType(node: ts.TypeNode, rep: Reporter, ctx: TypeContext): ValueType | undefined {
  let t: ts.TypeNode = node;
  while (ts.isParenthesizedTypeNode(t)) t = t.type;
  if (t.kind === ts.SyntaxKind.NumberKeyword) return "f64";
  if (t.kind === ts.SyntaxKind.BooleanKeyword && ctx.allowBool) return "bool";
  if (ts.isArrayTypeNode(t) && t.elementType.kind === ts.SyntaxKind.NumberKeyword) return "f64[]";
  if (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName)) {
    const args = t.typeArguments ?? [];
    if (t.typeName.text === "Float64Array" && args.length === 0) return "f64[]";
    if (t.typeName.text === "Array" && args.length === 1 && args[0]!.kind === ts.SyntaxKind.NumberKeyword) return "f64[]";
  }
  const what = t.kind === ts.SyntaxKind.BooleanKeyword ? "type boolean here (parameters and results are number, number[] or Float64Array)" : describeType(t);
  rep.unsupported(t, what);
  return undefined;
}

function describeType(t: ts.TypeNode): string {
  if (ts.isTypeReferenceNode(t) || ts.isArrayTypeNode(t)) return `type '${t.getText()}'`;
  return describeNode(t);
}

/** A result annotation: one type, or a tuple of two or more. */
function readResults(node: ts.TypeNode, rep: Reporter): { results: SigType[]; isTuple: boolean } | undefined {
  let t: ts.TypeNode = node;
  while (ts.isParenthesizedTypeNode(t)) t = t.type;
  if (!ts.isTupleTypeNode(t)) {
    const one = readType(t, rep, { allowBool: false });
    return one === undefined ? undefined : { results: [one as SigType], isTuple: false };
  }
  if (t.elements.length < 2) {
    rep.unsupported(t, "tuple with fewer than two elements (return a number instead)");
    return undefined;
  }
  const results: SigType[] = [];
  let ok = true;
  for (const el of t.elements) {
    let inner: ts.TypeNode = el;
    if (ts.isNamedTupleMember(el)) {
      if (el.dotDotDotToken || el.questionToken) {
        rep.unsupported(el, "optional or rest tuple element");
        ok = false;
        continue;
      }
      inner = el.type;
    }
    const ty = readType(inner, rep, { allowBool: false });
    if (ty === undefined) ok = false;
    else results.push(ty as SigType);
  }
  return ok ? { results, isTuple: true } : undefined;
}

function hasModifier(node: ts.FunctionDeclaration, kind: ts.SyntaxKind): boolean {
  return node.modifiers?.some((m) => m.kind === kind) ?? false;
}

/** The signature of one top-level function declaration, or undefined after reporting. */
function readSignature(node: ts.FunctionDeclaration, rep: Reporter): FuncSig | undefined {
  let ok = true;
  const isExtern = hasModifier(node, ts.SyntaxKind.DeclareKeyword);
  for (const m of node.modifiers ?? []) {
    if (m.kind !== ts.SyntaxKind.DeclareKeyword && m.kind !== ts.SyntaxKind.ExportKeyword) {
      rep.unsupported(m, `'${m.getText()}' modifier`);
      ok = false;
    }
  }
  if (!node.name) {
    rep.unsupported(node, "anonymous function");
    return undefined;
  }
  if (node.asteriskToken) {
    rep.unsupported(node.asteriskToken, "generator function");
    ok = false;
  }
  if (node.typeParameters?.length) {
    rep.unsupported(node.typeParameters[0]!, "generic function");
    ok = false;
  }
  if (isExtern && node.body) {
    rep.unsupported(node.body, "a body on a 'declare function'");
    ok = false;
  }
  if (!isExtern && !node.body) {
    rep.unsupported(node, "function overload signature (write one implementation, or 'declare function' for an extern)");
    ok = false;
  }
  const params: { name: string; type: SigType; node: ts.ParameterDeclaration }[] = [];
  const seen = new Set<string>();
  for (const p of node.parameters) {
    if (!ts.isIdentifier(p.name)) {
      rep.unsupported(p.name, "destructuring parameter");
      ok = false;
      continue;
    }
    const name = p.name.text;
    if (name === "this") {
      rep.unsupported(p, "'this' parameter");
      ok = false;
      continue;
    }
    if (p.dotDotDotToken) {
      rep.unsupported(p, "rest parameter");
      ok = false;
    } else if (p.questionToken) {
      rep.unsupported(p, "optional parameter");
      ok = false;
    } else if (p.initializer) {
      rep.unsupported(p.initializer, "default parameter value");
      ok = false;
    }
    if (seen.has(name)) {
      rep.typeError(p.name, `duplicate parameter '${name}'`);
      ok = false;
    }
    seen.add(name);
    if (!p.type) {
      rep.typeError(p.name, `parameter '${name}' needs a type annotation (number, number[] or Float64Array)`);
      ok = false;
      continue;
    }
    const type = readType(p.type, rep, { allowBool: false });
    if (type === undefined) ok = false;
    else params.push({ name, type: type as SigType, node: p });
  }
  let res: { results: SigType[]; isTuple: boolean } | undefined;
  if (!node.type) {
    rep.typeError(node.name, `function '${node.name.text}' needs a return type annotation (number, number[], Float64Array or a tuple)`);
    ok = false;
  } else {
    res = readResults(node.type, rep);
    if (!res) ok = false;
  }
  if (!ok || !res) return undefined;
  return { name: node.name.text, params, results: res.results, isTuple: res.isTuple, isExtern, node };
}

/** Every top-level function and extern signature, in source order. Reports
 * any other top-level statement and duplicate names. */
export function collectSignatures(sf: ts.SourceFile, rep: Reporter): FuncSig[] {
  const sigs: FuncSig[] = [];
  const byName = new Map<string, FuncSig>();
  for (const st of sf.statements) {
    if (st.kind === ts.SyntaxKind.EmptyStatement) continue;
    if (!ts.isFunctionDeclaration(st)) {
      const what = ts.isVariableStatement(st) ? "top-level variable (declare it inside a function)" : ts.isExpressionStatement(st) ? "top-level statement (only function declarations may appear at the top level)" : `${describeNode(st)} at the top level`;
      rep.unsupported(st, what);
      continue;
    }
    const sig = readSignature(st, rep);
    if (!sig) continue;
    if (sig.name === STOP_GRADIENT) {
      const isPrelude = sig.isExtern && sig.params.length === 1 && sig.params[0]!.type === "f64" && !sig.isTuple && sig.results[0] === "f64";
      if (!isPrelude) rep.typeError(st.name!, `'${STOP_GRADIENT}' is built in as (x: number) => number and cannot be redefined`);
      continue;
    }
    const prev = byName.get(sig.name);
    if (prev) {
      rep.typeError(st.name!, `duplicate function '${sig.name}'`);
      continue;
    }
    byName.set(sig.name, sig);
    sigs.push(sig);
  }
  return sigs;
}
