// Human names for syntax outside the subset, used in E_TS_UNSUPPORTED
// messages ("unsupported: class declaration"). One table keyed by syntax
// kind; anything missing falls back to the compiler's own kind name.

import ts from "typescript";

const NAMES: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.ClassDeclaration]: "class declaration",
  [ts.SyntaxKind.ClassExpression]: "class expression",
  [ts.SyntaxKind.InterfaceDeclaration]: "interface declaration",
  [ts.SyntaxKind.TypeAliasDeclaration]: "type alias",
  [ts.SyntaxKind.EnumDeclaration]: "enum",
  [ts.SyntaxKind.ModuleDeclaration]: "namespace",
  [ts.SyntaxKind.ImportDeclaration]: "import",
  [ts.SyntaxKind.ImportEqualsDeclaration]: "import",
  [ts.SyntaxKind.ExportDeclaration]: "export declaration",
  [ts.SyntaxKind.ExportAssignment]: "export assignment",
  [ts.SyntaxKind.ArrowFunction]: "arrow function (closures are not in the subset)",
  [ts.SyntaxKind.FunctionExpression]: "function expression (closures are not in the subset)",
  [ts.SyntaxKind.ObjectLiteralExpression]: "object literal",
  [ts.SyntaxKind.StringLiteral]: "string",
  [ts.SyntaxKind.NoSubstitutionTemplateLiteral]: "template literal",
  [ts.SyntaxKind.TemplateExpression]: "template literal",
  [ts.SyntaxKind.TaggedTemplateExpression]: "tagged template",
  [ts.SyntaxKind.RegularExpressionLiteral]: "regular expression",
  [ts.SyntaxKind.BigIntLiteral]: "bigint literal",
  [ts.SyntaxKind.NullKeyword]: "null",
  [ts.SyntaxKind.ThisKeyword]: "this",
  [ts.SyntaxKind.SuperKeyword]: "super",
  [ts.SyntaxKind.ThrowStatement]: "throw (exceptions are not in the subset)",
  [ts.SyntaxKind.TryStatement]: "try/catch (exceptions are not in the subset)",
  [ts.SyntaxKind.SwitchStatement]: "switch statement (use if/else)",
  [ts.SyntaxKind.ForInStatement]: "for...in loop",
  [ts.SyntaxKind.WithStatement]: "with statement",
  [ts.SyntaxKind.DebuggerStatement]: "debugger statement",
  [ts.SyntaxKind.FunctionDeclaration]: "nested function declaration",
  [ts.SyntaxKind.SpreadElement]: "spread",
  [ts.SyntaxKind.TypeOfExpression]: "typeof",
  [ts.SyntaxKind.VoidExpression]: "void operator",
  [ts.SyntaxKind.DeleteExpression]: "delete",
  [ts.SyntaxKind.AwaitExpression]: "await",
  [ts.SyntaxKind.YieldExpression]: "yield (generators are not in the subset)",
  [ts.SyntaxKind.AsExpression]: "type assertion",
  [ts.SyntaxKind.TypeAssertionExpression]: "type assertion",
  [ts.SyntaxKind.SatisfiesExpression]: "satisfies",
  [ts.SyntaxKind.NonNullExpression]: "non-null assertion",
  [ts.SyntaxKind.MetaProperty]: "meta property",
  [ts.SyntaxKind.ImportKeyword]: "dynamic import",
  [ts.SyntaxKind.JsxElement]: "JSX",
  [ts.SyntaxKind.JsxSelfClosingElement]: "JSX",
  [ts.SyntaxKind.JsxFragment]: "JSX",
  [ts.SyntaxKind.OmittedExpression]: "array hole",
  [ts.SyntaxKind.UnionType]: "union type",
  [ts.SyntaxKind.IntersectionType]: "intersection type",
  [ts.SyntaxKind.AnyKeyword]: "type any",
  [ts.SyntaxKind.UnknownKeyword]: "type unknown",
  [ts.SyntaxKind.StringKeyword]: "type string",
  [ts.SyntaxKind.VoidKeyword]: "type void",
  [ts.SyntaxKind.ObjectKeyword]: "type object",
  [ts.SyntaxKind.TypeLiteral]: "object type",
  [ts.SyntaxKind.FunctionType]: "function type",
  [ts.SyntaxKind.LiteralType]: "literal type",
};

/** A short name for a syntax node outside the subset. */
export function describeNode(node: ts.Node): string {
  return NAMES[node.kind] ?? ts.SyntaxKind[node.kind];
}

/** The text of an operator token ("&", ">>>", "??"). */
export function operatorText(kind: ts.SyntaxKind): string {
  return ts.tokenToString(kind) ?? ts.SyntaxKind[kind];
}
