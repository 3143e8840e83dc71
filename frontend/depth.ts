// Where an input is nested most deeply, for the E_TS_TOO_DEEP diagnostic when
// the TypeScript parser itself runs out of stack. A flat scan of the tokens
// (the scanner does not recurse) counting open brackets.

import ts from "typescript";

/** The offset of the most deeply nested opening bracket, and that depth. */
export function deepestBracket(source: string): { offset: number; depth: number } {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, source);
  let depth = 0;
  let best = { offset: 0, depth: 0 };
  for (let tok = scanner.scan(); tok !== ts.SyntaxKind.EndOfFileToken; tok = scanner.scan()) {
    if (tok === ts.SyntaxKind.OpenBraceToken || tok === ts.SyntaxKind.OpenParenToken || tok === ts.SyntaxKind.OpenBracketToken) {
      depth++;
      if (depth > best.depth) best = { offset: scanner.getTokenStart(), depth };
    } else if (tok === ts.SyntaxKind.CloseBraceToken || tok === ts.SyntaxKind.CloseParenToken || tok === ts.SyntaxKind.CloseBracketToken) {
      depth = Math.max(0, depth - 1);
    }
  }
  return best;
}
