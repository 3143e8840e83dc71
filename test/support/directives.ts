// Inline run directives in `//` comments of IR fixtures (Cranelift style),
// shared by the interpreter tests and the JS-backend tests:
//
//   // run: @f(1.0, 2.0) == 3.0            one result
//   // run: @g([1.0, 2.0], 3) == (2.0, [1.0])   several results (a tuple), f64 arrays
//   // run: @h() == ()                     no results
//   // run: @"f.jvp"(true) error E_RUNTIME_BOUNDS   expects a DerivRuntimeError code
//
// Values are IR literals (ir/lexer `readLiteral`): `1.0 -0.0 nan inf -inf
// 1e+21` are f64, integers like `3` or `-0` are i32 (numbers at run time),
// `true`/`false` are bools, `[1.0, 2.0]` is a Float64Array of f64 literals.
// A malformed directive is a bug in the test and throws a plain Error.
// Imports ir/lexer and ir/errors.

import type { ErrorCode } from "../../ir/errors.js";
import { ERROR_CODES } from "../../ir/errors.js";
import { Lexer, readLiteral } from "../../ir/lexer.js";

/** A value a directive can write (a subset of the interpreter's RtValue). */
export type DirectiveValue = number | boolean | Float64Array;

/** What a run must produce: its results (always a list), or a runtime error code. */
export type RunExpectation = { readonly kind: "values"; readonly values: DirectiveValue[] } | { readonly kind: "error"; readonly code: ErrorCode };

/** One `// run:` line. */
export interface RunDirective {
  /** The function to call (decoded name, without `@`). */
  readonly fn: string;
  /** Fresh argument values (arrays are new objects on every parse). */
  readonly args: DirectiveValue[];
  readonly expect: RunExpectation;
  /** 1-based line of the directive in the fixture. */
  readonly line: number;
  /** The directive text after `run:`, for test names. */
  readonly text: string;
}

const RUN = /^\s*\/\/\s*run:(.*)$/;

/** Every `// run:` directive of `text`, in order. */
export function parseRunDirectives(text: string): RunDirective[] {
  const out: RunDirective[] = [];
  text.split("\n").forEach((lineText, i) => {
    const m = RUN.exec(lineText);
    if (m) out.push(parseDirective(m[1]!.trim(), i + 1));
  });
  return out;
}

function parseDirective(text: string, line: number): RunDirective {
  const lx = new Lexer(text);
  const fail = (what: string): never => {
    throw new Error(`line ${line}: malformed run directive '${text}': expected ${what} at column ${lx.col}, found '${lx.raw()}'`);
  };
  /** The current token's text (decoded for names), consumed. */
  const take = (): string => {
    const v = lx.value;
    lx.next();
    return v;
  };
  const isPunct = (p: string): boolean => lx.kind === "punct" && lx.value === p;
  const expectPunct = (p: string): void => {
    if (!isPunct(p)) fail(`'${p}'`);
    lx.next();
  };
  /** Items up to `close`, comma-separated. */
  const list = <T>(close: string, item: () => T): T[] => {
    const items: T[] = [];
    if (!isPunct(close)) {
      items.push(item());
      while (isPunct(",")) {
        lx.next();
        items.push(item());
      }
    }
    expectPunct(close);
    return items;
  };
  const f64 = (): number => {
    const r = readLiteral("f64", lx.value);
    if ("error" in r) return fail(`an f64 literal (${r.error})`);
    lx.next();
    return r.value;
  };
  const value = (): DirectiveValue => {
    if (isPunct("[")) {
      lx.next();
      return Float64Array.from(list("]", f64));
    }
    if (lx.value === "true" || lx.value === "false") return take() === "true";
    const r = readLiteral(/^-?[0-9]+$/.test(lx.value) ? "i32" : "f64", lx.value);
    if ("error" in r) return fail(`a literal (${r.error})`);
    lx.next();
    return r.value;
  };

  if (lx.kind !== "func") fail("a function like @f");
  const fn = take();
  expectPunct("(");
  const args = list(")", value);
  let expect: RunExpectation;
  if (lx.kind === "word" && lx.value === "error") {
    lx.next();
    if (!Object.prototype.hasOwnProperty.call(ERROR_CODES, lx.value)) fail("an error code of ERROR_CODES");
    expect = { kind: "error", code: take() as ErrorCode };
  } else {
    expectPunct("=");
    expectPunct("=");
    if (isPunct("(")) {
      lx.next();
      expect = { kind: "values", values: list(")", value) };
    } else expect = { kind: "values", values: [value()] };
  }
  if (lx.kind !== "eof") fail("the end of the directive");
  return { fn, args, expect, line, text };
}

/** Bitwise equality of run-time values: `Object.is` on numbers (so NaN
 * equals NaN and -0 differs from 0), element-wise on Float64Arrays and on
 * lists (result lists, stacks); kinds must match. */
export function valuesEqualBitwise(a: unknown, b: unknown): boolean {
  if (typeof a === "number" || typeof b === "number") return Object.is(a, b);
  if (typeof a === "boolean" || typeof b === "boolean") return a === b;
  if (a instanceof Float64Array && b instanceof Float64Array) return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => valuesEqualBitwise(x, b[i]));
  return false;
}

/** A run-time value in directive syntax (for failure messages). */
export function formatValue(v: unknown): string {
  if (typeof v === "number") return Object.is(v, -0) ? "-0.0" : Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : String(v);
  if (v instanceof Float64Array) return `[${Array.from(v, formatValue).join(", ")}]`;
  if (Array.isArray(v)) return `(${v.map(formatValue).join(", ")})`;
  return String(v);
}
