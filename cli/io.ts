// Input and output for the CLI: reading a `.ts` / `.ir` file or stdin into a
// Module, decoding `--at` JSON arguments, and encoding results as JSON with
// non-finite numbers as strings (DESIGN.md §5).

import { readFileSync } from "node:fs";
import { DerivError } from "../ir/errors.js";
import { parseIR } from "../ir/parser.js";
import type { Module } from "../ir/types.js";
import { parseTS } from "../frontend/index.js";

/** Reads FILE (`-` = stdin) and returns its text and language. */
export function readInput(file: string): { text: string; lang: "ts" | "ir"; name: string } {
  let text: string;
  try {
    text = file === "-" ? readFileSync(0, "utf8") : readFileSync(file, "utf8");
  } catch (e) {
    throw new DerivError("cli", [{ code: "E_CLI_INPUT", message: `cannot read ${file}: ${(e as Error).message}` }]);
  }
  const name = file === "-" ? "<stdin>" : file;
  if (file.endsWith(".ir")) return { text, lang: "ir", name };
  if (file.endsWith(".ts")) return { text, lang: "ts", name };
  // stdin or another extension: IR starts with `func`/`extern` after comments.
  const isIR = /^(\s|\/\/[^\n]*\n)*(func|extern)\b/.test(text) || /^(\s|\/\/[^\n]*\n)*$/.test(text);
  return { text, lang: isIR ? "ir" : "ts", name };
}

/** Parses FILE into a module (TypeScript subset or IR text). */
export function loadModule(file: string): Module {
  const { text, lang, name } = readInput(file);
  return lang === "ir" ? parseIR(text, { file: name }) : parseTS(text, { file: name });
}

/** JSON argument value: numbers, "NaN"/"Infinity"/"-Infinity", arrays of those, booleans. */
export type JsonArg = number | boolean | Float64Array;

function decodeNumber(x: unknown, where: string): number {
  if (typeof x === "number") return x;
  if (x === "NaN") return NaN;
  if (x === "Infinity") return Infinity;
  if (x === "-Infinity") return -Infinity;
  throw new DerivError("cli", [{ code: "E_CLI_INPUT", message: `--at: ${where} must be a number, "NaN", "Infinity" or "-Infinity", got ${JSON.stringify(x)}` }]);
}

/** Decodes `--at` JSON: an array of arguments. */
export function decodeArgs(json: string): JsonArg[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new DerivError("cli", [{ code: "E_CLI_INPUT", message: `--at is not valid JSON: ${(e as Error).message}` }]);
  }
  if (!Array.isArray(parsed)) throw new DerivError("cli", [{ code: "E_CLI_INPUT", message: "--at must be a JSON array of arguments, e.g. [1.5, [1, 2, 3]]" }]);
  return parsed.map((a, i) => {
    if (typeof a === "boolean") return a;
    if (Array.isArray(a)) return Float64Array.from(a, (x, j) => decodeNumber(x, `argument ${i} element ${j}`));
    return decodeNumber(a, `argument ${i}`);
  });
}

/** JSON-encodes a result: typed arrays become arrays, non-finite numbers strings. */
export function encodeJSON(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "number" && !Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as Float64Array, (x) => (Number.isFinite(x) ? x : Number.isNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity"));
    return v;
  });
}
