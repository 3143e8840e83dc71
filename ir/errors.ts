// User-facing errors (DESIGN.md §7): a `DerivError` carries a stable code, the
// stage that raised it, the location inside the user's input and every
// diagnostic the stage found. Internal bugs use `assert`/`internalError`, never
// a DerivError. Also: code frames. Imports only ./types.

import type { SourceLoc } from "./types.js";

/** Every stable error code, with a one-line meaning. README documents these. */
export const ERROR_CODES = {
  // IR text (parser)
  E_IR_SYNTAX: "malformed IR text (unexpected or missing token)",
  E_IR_UNKNOWN_OP: "unknown op name in IR text",
  E_IR_UNDEFINED_VALUE: "use of a value name that is never defined in the function",
  E_IR_UNDEFINED_BLOCK: "branch to a block name that does not exist in the function",
  E_IR_REDEFINED: "a value, block, function or extern name defined twice",
  E_IR_LITERAL: "a literal that does not fit its type",
  // verifier
  E_VERIFY_TYPE: "an operand or result type does not match the op's signature",
  E_VERIFY_ARITY: "wrong number of operands or results for an op",
  E_VERIFY_DOMINANCE: "a use that is not dominated by its definition",
  E_VERIFY_EDGE: "block arguments on an edge do not match the target's parameters",
  E_VERIFY_ENTRY: "the entry block has predecessors or is missing",
  E_VERIFY_RETURN: "returned values do not match the function's result types",
  E_VERIFY_CALL: "a call to an unknown function or with a mismatched signature",
  E_VERIFY_STRUCTURE: "malformed function structure (bad ids, duplicate definitions, bad block reference)",
  E_VERIFY_ATTR: "a missing or misplaced immediate (const value, callee)",
  // frontend
  E_TS_SYNTAX: "TypeScript syntax error",
  E_TS_UNSUPPORTED: "a TypeScript construct outside the supported subset",
  E_TS_TYPE: "a type error in the TypeScript subset",
  E_TS_UNDEFINED: "use of an undeclared name",
  E_TS_TOO_DEEP: "input nested too deeply to process",
  // pipeline
  E_PIPELINE_SYNTAX: "malformed pipeline text",
  E_PIPELINE_UNKNOWN_PASS: "unknown pass name in a pipeline",
  E_PIPELINE_OPTION: "unknown or malformed pass option",
  E_PIPELINE_PASS_FAILED: "a pass rejected its input",
  E_PIPELINE_REGISTER: "registerPass with a malformed pass or a name already registered",
  // runtime
  E_RUNTIME_BOUNDS: "array index out of bounds",
  E_RUNTIME_INDEX: "array index or length is not an integer in range",
  E_RUNTIME_ARGS: "wrong number or kind of arguments at call time",
  E_RUNTIME_EXTERN: "an extern function is missing or misbehaved",
  E_RUNTIME_STACK: "pop from an empty stack",
  E_RUNTIME_UNREACHABLE: "reached an `unreachable` terminator",
  E_RUNTIME_TOO_DEEP: "recursion too deep",
  E_BACKEND_TOO_LARGE: "a function too large for one JavaScript frame",
  // automatic differentiation
  E_AD_MISSING_RULE: "a black box without a derivative rule, with onMissingRule: \"error\"",
  // CLI
  E_CLI_USAGE: "bad command-line usage",
  E_CLI_INPUT: "unreadable input file or malformed --at JSON",
  E_CLI_OUTPUT: "an output file (e.g. --svg) cannot be written",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export type Stage = "parse" | "verify" | "frontend" | "pipeline" | "runtime" | "backend" | "cli";

/** One problem found in the user's input. */
export interface Diagnostic {
  readonly code: ErrorCode;
  readonly message: string;
  readonly location?: SourceLoc;
  /** Source excerpt with a caret under the location (or IR around a fault). */
  readonly frame?: string;
}

/** Base of every user-facing error. `message` is the first diagnostic in full. */
export class DerivError extends Error {
  readonly code: ErrorCode;
  readonly stage: Stage;
  readonly location?: SourceLoc;
  readonly diagnostics: readonly Diagnostic[];

  constructor(stage: Stage, diagnostics: readonly Diagnostic[]) {
    if (diagnostics.length === 0) throw new Error("internal error: DerivError without diagnostics");
    const first = diagnostics[0]!;
    super(formatDiagnostics(diagnostics));
    this.name = new.target.name;
    this.code = first.code;
    this.stage = stage;
    if (first.location) this.location = first.location;
    this.diagnostics = diagnostics;
  }
}

/** Malformed IR text or TypeScript syntax. */
export class ParseError extends DerivError {}
/** Valid syntax outside what deriv supports. */
export class UnsupportedError extends DerivError {}
/** Ill-formed or ill-typed IR. */
export class VerifyError extends DerivError {}
/** Bad pipeline text, bad pass options, or a pass that rejects its input. */
export class PipelineError extends DerivError {}
/** A failure while running a program (bounds, bad arguments, missing extern). */
export class DerivRuntimeError extends DerivError {}

/** Shorthand: a single-diagnostic runtime error. */
export function runtimeError(code: ErrorCode, message: string, location?: SourceLoc): DerivRuntimeError {
  return new DerivRuntimeError("runtime", [location ? { code, message, location } : { code, message }]);
}

/** Formats `file:line:col: code: message` followed by the frame, for each diagnostic. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const where = d.location ? `${d.location.file ?? "<input>"}:${d.location.line}:${d.location.col}: ` : "";
      return `${where}${d.code}: ${d.message}${d.frame ? "\n" + d.frame : ""}`;
    })
    .join("\n");
}

/** A code frame: the source line at `loc` (and one line of context before it)
 * with a caret under the column. Tabs are kept so the caret lines up. */
export function codeFrame(source: string, loc: SourceLoc, context = 1): string {
  const lines = source.split(/\r?\n/);
  const first = Math.max(1, loc.line - context);
  const last = Math.min(lines.length, loc.line);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1] ?? "";
    out.push(`${n === loc.line ? ">" : " "} ${String(n).padStart(width)} | ${text}`);
    if (n === loc.line) {
      const pad = text.slice(0, Math.max(0, loc.col - 1)).replace(/[^\t]/g, " ");
      out.push(`  ${" ".repeat(width)} | ${pad}^`);
    }
  }
  return out.join("\n");
}

/** Throws an internal-bug error (never a DerivError) with optional IR context. */
export function internalError(message: string, dump?: string): never {
  throw new Error(`deriv internal error: ${message}${dump ? "\n--- IR ---\n" + dump : ""}`);
}

/** Asserts an internal invariant. */
export function assert(condition: unknown, message: string, dump?: () => string): asserts condition {
  if (!condition) internalError(message, dump?.());
}
