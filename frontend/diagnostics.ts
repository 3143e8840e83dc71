// Collects the frontend's diagnostics: every problem of a file is reported
// (each with file:line:col and a code frame), then the stage throws once.
// Line and column are computed on the same line split as `codeFrame` so a
// location always points inside the input.

import type ts from "typescript";
import { codeFrame, type Diagnostic, type ErrorCode } from "../ir/errors.js";
import type { SourceLoc } from "../ir/types.js";

/** Accumulates diagnostics for one source file. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly source: string,
    readonly file: string | undefined,
    private readonly sf?: ts.SourceFile,
  ) {
    for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** The 1-based line and column of a character offset. */
  locAt(pos: number): SourceLoc {
    const p = Math.max(0, Math.min(pos, this.source.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= p) lo = mid;
      else hi = mid - 1;
    }
    const line = lo + 1;
    // Columns stop one past the end of the line as `codeFrame` shows it (without `\r`).
    const start = this.lineStarts[lo]!;
    const end = lo + 1 < this.lineStarts.length ? this.lineStarts[lo + 1]! - 1 : this.source.length;
    const shown = end > start && this.source.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const col = Math.min(p, shown) - start + 1;
    return this.file === undefined ? { line, col } : { file: this.file, line, col };
  }

  /** The location of a node's first token (leading trivia skipped). */
  locOf(node: ts.Node): SourceLoc {
    return this.locAt(this.sf ? node.getStart(this.sf) : node.pos);
  }

  /** Records a diagnostic at a node, a character offset or a location. */
  report(code: ErrorCode, message: string, at: ts.Node | number | SourceLoc): void {
    const location = typeof at === "number" ? this.locAt(at) : "kind" in at ? this.locOf(at) : at;
    this.diagnostics.push({ code, message, location, frame: codeFrame(this.source, location) });
  }

  /** Shorthand for E_TS_UNSUPPORTED: `unsupported: <what>`. */
  unsupported(node: ts.Node, what: string): void {
    this.report("E_TS_UNSUPPORTED", `unsupported: ${what}`, node);
  }

  /** Shorthand for E_TS_TYPE. */
  typeError(node: ts.Node, message: string): void {
    this.report("E_TS_TYPE", message, node);
  }

  /** The diagnostics in source order (stable for one position). */
  sorted(): Diagnostic[] {
    const key = (d: Diagnostic): number => (d.location ? d.location.line * 1e7 + d.location.col : 0);
    return this.diagnostics.map((d, i) => ({ d, i })).sort((a, b) => key(a.d) - key(b.d) || a.i - b.i).map((x) => x.d);
  }

  get hasErrors(): boolean {
    return this.diagnostics.length > 0;
  }
}
