// Shared checks of the backend tests: run a function through the reference
// interpreter and through the compiled code, and compare results bit for bit
// (Object.is, element by element) or, for faults, the error code and location.

import { expect } from "vitest";
import { compile } from "../../backend/index.js";
import { DerivError } from "../../ir/errors.js";
import type { RtValue } from "../../ir/eval.js";
import type { ExternFn } from "../../ir/interpreter.js";
import { interpret } from "../../ir/interpreter.js";
import type { Module } from "../../ir/types.js";
import { findFunc } from "../../ir/types.js";

/** The outcome of a run: results (always a list) or a DerivError's code and location. */
export type Outcome = { readonly ok: readonly RtValue[] } | { readonly code: string; readonly line?: number; readonly col?: number };

function outcomeOf(run: () => readonly RtValue[]): Outcome {
  try {
    return { ok: run() };
  } catch (e) {
    if (!(e instanceof DerivError)) throw e;
    return e.location ? { code: e.code, line: e.location.line, col: e.location.col } : { code: e.code };
  }
}

/** Runs `fn` through the interpreter. */
export function interpreted(module: Module, fn: string, args: readonly RtValue[], externs: Readonly<Record<string, ExternFn>> = {}): Outcome {
  return outcomeOf(() => interpret(module, fn, args, { externs }));
}

/** Runs `fn` compiled, with its results normalised to a list. */
export function compiled(module: Module, fn: string, args: readonly RtValue[], externs: Readonly<Record<string, ExternFn>> = {}, checked = true): Outcome {
  const n = findFunc(module, fn)!.results.length;
  const callable = compile(module, { externs, checked })[fn]!;
  return outcomeOf(() => {
    const r = callable(...args);
    return n === 0 ? [] : n === 1 ? [r] : r;
  });
}

/** True if two runtime values are identical bit for bit (NaN equals NaN, -0 differs from 0). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Float64Array || Array.isArray(a)) {
    const xs = a as ArrayLike<unknown>;
    const ys = b as ArrayLike<unknown>;
    if (!(b instanceof Float64Array || Array.isArray(b)) || (a instanceof Float64Array) !== (b instanceof Float64Array) || xs.length !== ys.length) return false;
    for (let i = 0; i < xs.length; i++) if (!Object.is(xs[i], ys[i])) return false;
    return true;
  }
  return Object.is(a, b);
}

/** True if two outcomes agree: same results bit for bit, or same error code and location. */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  if ("ok" in a && "ok" in b) return a.ok.length === b.ok.length && a.ok.every((v, i) => sameValue(v, b.ok[i]));
  if ("code" in a && "code" in b) return a.code === b.code && a.line === b.line && a.col === b.col;
  return false;
}

/** Printable outcome for failure messages. */
export function showOutcome(o: Outcome): string {
  if ("code" in o) return `${o.code}${o.line !== undefined ? ` at ${o.line}:${o.col}` : ""}`;
  return `[${o.ok.map((v) => (v instanceof Float64Array || Array.isArray(v) ? `[${Array.from(v as ArrayLike<unknown>, String).join(", ")}]` : Object.is(v, -0) ? "-0" : String(v))).join(", ")}]`;
}

/** Asserts that the compiled function agrees with the interpreter on `args`,
 * and that the caller's arrays are left unchanged. Returns the outcome. */
export function expectAgrees(module: Module, fn: string, args: readonly RtValue[], externs: Readonly<Record<string, ExternFn>> = {}): Outcome {
  const snapshot = args.map((a) => (a instanceof Float64Array || Array.isArray(a) ? a.slice() : a));
  const want = interpreted(module, fn, args, externs);
  const got = compiled(module, fn, args, externs);
  expect(showOutcome(got), `@${fn}`).toBe(showOutcome(want));
  expect(sameOutcome(got, want), `@${fn}: ${showOutcome(got)} vs ${showOutcome(want)}`).toBe(true);
  args.forEach((a, i) => expect(sameValue(a, snapshot[i]), `argument ${i} was modified`).toBe(true));
  return want;
}
