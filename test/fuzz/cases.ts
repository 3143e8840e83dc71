// What the fuzzer checks: a generated TypeScript program (test/gen/ts-gen.ts)
// or IR module (test/gen/ir-gen.ts) with argument lists and a seed for the
// random AD directions. Also the text form of a case, which is both what the
// runner prints for a minimised counterexample and the format of the
// regression fixtures under test/fuzz/regressions/ (a `.ts` or `.ir` file
// whose first line is `// fuzz: {"fn", "inputs", "seed"}`, non-finite numbers
// and -0 as strings). Uses the generators and ir/ (printer, parser).

import fc from "fast-check";
import type { RtValue } from "../../ir/eval.js";
import { parseIR } from "../../ir/parser.js";
import { printIR } from "../../ir/printer.js";
import type { Module } from "../../ir/types.js";
import { arbModuleWithInputs, type GenOptions } from "../gen/ir-gen.js";
import { arbTSCase } from "../gen/ts-gen.js";

/** A generated program, the function to check and its argument lists. TS
 * cases from the generator carry the program as plain JavaScript too (Node
 * runs it); fixtures are transpiled by TypeScript instead. */
export type FuzzCase =
  | { readonly kind: "ts"; readonly source: string; readonly js?: string; readonly fn: string; readonly inputs: readonly (readonly RtValue[])[]; readonly seed: number }
  | { readonly kind: "ir"; readonly module: Module; readonly fn: string; readonly inputs: readonly (readonly RtValue[])[]; readonly seed: number };

export type FuzzKind = FuzzCase["kind"];

/** IR modules that rev-ad accepts: no tapes in the input, no array aliasing
 * across calls (rev-ad rejects functions that write or return an array
 * argument). */
const AD_FRIENDLY: GenOptions = { stacks: false, aliasFree: true };

/** Arbitrary cases of one kind. IR cases come from the AD-friendly generator
 * nine times in ten and from the full one (stacks, written array arguments,
 * aliased results) otherwise, so that every construct stays covered by the primal checks. */
export function arbFuzzCase(kind: FuzzKind): fc.Arbitrary<FuzzCase> {
  const seed = fc.integer();
  if (kind === "ts") {
    return fc.tuple(arbTSCase(), seed).map(([{ program, inputs }, s]) => withText({ kind: "ts", source: program.source, js: program.js, fn: program.entry, inputs: inputs.map(toRt), seed: s }));
  }
  const modules = fc.oneof({ weight: 9, arbitrary: arbModuleWithInputs(AD_FRIENDLY) }, { weight: 1, arbitrary: arbModuleWithInputs() });
  return fc.tuple(modules, seed).map(([m, s]) => withText({ kind: "ir", module: m.module, fn: m.fn, inputs: [m.args], seed: s }));
}

const toRt = (args: readonly (number | readonly number[])[]): RtValue[] => args.map((a) => (typeof a === "number" ? a : Float64Array.from(a)));

/** Makes fast-check print the case as its fixture text. */
function withText(c: FuzzCase): FuzzCase {
  Object.defineProperty(c, fc.toStringMethod, { value: () => `\n${caseText(c)}` });
  return c;
}

// ---------------------------------------------------------------- text form

const HEADER = "// fuzz: ";

const encodeNumber = (x: number): number | string => (Number.isFinite(x) && !Object.is(x, -0) ? x : Object.is(x, -0) ? "-0" : String(x));
const decodeNumber = (x: unknown): number => (typeof x === "number" ? x : x === "-0" ? -0 : Number(x));
const encodeValue = (v: RtValue): unknown => (typeof v === "number" ? encodeNumber(v) : Array.from(v as ArrayLike<number>, encodeNumber));

/** The fixture text of a case: the header line, then the TS source or the IR. */
export function caseText(c: FuzzCase): string {
  const header = JSON.stringify({ fn: c.fn, inputs: c.inputs.map((args) => args.map(encodeValue)), seed: c.seed });
  return `${HEADER}${header}\n${c.kind === "ts" ? c.source : printIR(c.module)}`;
}

/** File extension of a case's fixture. */
export const fixtureExtension = (kind: FuzzKind): string => (kind === "ts" ? ".ts" : ".ir");

/** Reads a fixture (`caseText` output) saved with extension `.ts` or `.ir`. */
export function parseCaseText(text: string, kind: FuzzKind): FuzzCase {
  const newline = text.indexOf("\n");
  const first = text.slice(0, newline);
  if (!first.startsWith(HEADER)) throw new Error(`a fuzz fixture starts with "${HEADER}{...}"`);
  const meta = JSON.parse(first.slice(HEADER.length)) as { fn: string; inputs: unknown[][]; seed: number };
  const inputs = meta.inputs.map((args) => args.map((a): RtValue => (Array.isArray(a) ? Float64Array.from(a, decodeNumber) : decodeNumber(a))));
  const body = text.slice(newline + 1);
  if (kind === "ts") return withText({ kind, source: body, fn: meta.fn, inputs, seed: meta.seed });
  return withText({ kind, module: parseIR(body), fn: meta.fn, inputs, seed: meta.seed });
}
