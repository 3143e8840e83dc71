// The frontend's entry point: TypeScript subset source -> IR module
// (DESIGN.md §6). Parses with the TypeScript parser only (no type checker, no
// Program), then collects signatures, checks each function and lowers it to
// SSA. Every problem of the file is reported together in one DerivError:
// ParseError for syntax, UnsupportedError for everything else. Input nested
// beyond what the TypeScript parser's recursion survives is E_TS_TOO_DEEP.

import ts from "typescript";
import { ParseError, UnsupportedError, type DerivError } from "../ir/errors.js";
import type { Extern, Func, Module } from "../ir/types.js";
import { checkFunctions } from "./check.js";
import { deepestBracket } from "./depth.js";
import { Reporter } from "./diagnostics.js";
import { lowerFunction } from "./lower.js";
import { collectSignatures, STOP_GRADIENT } from "./signatures.js";

/** Options of `parseTS`. */
export interface ParseTSOptions {
  /** File name used in locations and diagnostics. */
  readonly file?: string;
}

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

function tooDeep(source: string, file: string | undefined): DerivError {
  const rep = new Reporter(source, file);
  const { offset, depth } = deepestBracket(source);
  rep.report("E_TS_TOO_DEEP", `input nested too deeply to parse (${depth} levels of brackets here)`, offset);
  return new UnsupportedError("frontend", rep.diagnostics);
}

/** Compiles TypeScript-subset source to an IR module: one function per
 * top-level function (in source order), one extern per `declare function`,
 * plus `extern @stopGradient(f64) -> f64` when `stopGradient` is used.
 * Throws ParseError (E_TS_SYNTAX) or UnsupportedError (E_TS_UNSUPPORTED,
 * E_TS_TYPE, E_TS_UNDEFINED, E_TS_TOO_DEEP) with every diagnostic. */
export function parseTS(source: string, options: ParseTSOptions = {}): Module {
  const file = options.file;
  try {
    return compile(source, file);
  } catch (e) {
    if (isStackOverflow(e)) throw tooDeep(source, file);
    throw e;
  }
}

function compile(source: string, file: string | undefined): Module {
  const sf = ts.createSourceFile(file ?? "input.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const rep = new Reporter(source, file, sf);
  // The parser's own diagnostics; not in the public typings, but always set by createSourceFile.
  const syntax = (sf as ts.SourceFile & { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  for (const d of syntax) rep.report("E_TS_SYNTAX", ts.flattenDiagnosticMessageText(d.messageText, "\n"), d.start);
  if (rep.hasErrors) throw new ParseError("frontend", rep.diagnostics);

  const sigs = collectSignatures(sf, rep);
  const byName = new Map(sigs.map((s) => [s.name, s]));
  const funcs: Func[] = [];
  for (const facts of checkFunctions(sigs, rep)) {
    const func = lowerFunction(facts, byName, rep);
    if (func) funcs.push(func);
  }
  if (rep.hasErrors) throw new UnsupportedError("frontend", rep.sorted());

  const externs: Extern[] = sigs.filter((s) => s.isExtern).map((s) => ({ name: s.name, params: s.params.map((p) => p.type), results: [...s.results], loc: rep.locOf(s.node.name!) }));
  const usesStop = funcs.some((f) => f.blocks.some((b) => b.insts.some((i) => i.op === "call.extern" && i.callee === STOP_GRADIENT)));
  if (usesStop) externs.push({ name: STOP_GRADIENT, params: ["f64"], results: ["f64"] });
  return { funcs, externs };
}
