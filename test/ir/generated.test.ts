// Property tests over generated modules (test/gen/ir-gen.ts): they verify,
// print/parse round-trips to the same text, and interpretation is
// deterministic, leaves the arguments untouched and agrees bit for bit before
// and after the round trip. Also checks that the generator reaches every op and
// terminator kind and honours its options.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RtValue } from "../../ir/eval.js";
import { interpret } from "../../ir/interpreter.js";
import type { Opcode } from "../../ir/ops.js";
import { OPCODES } from "../../ir/ops.js";
import { parseIR } from "../../ir/parser.js";
import { printIR } from "../../ir/printer.js";
import type { Module } from "../../ir/types.js";
import { verify } from "../../ir/verifier.js";
import { arbInputs, arbModule, arbModuleWithInputs, GEN_EXTERN_BINDINGS, type GenOptions } from "../gen/ir-gen.js";

/** Bitwise equality of runtime values (Object.is on every number). */
function sameValue(a: RtValue, b: RtValue): boolean {
  if (typeof a === "number" || typeof a === "boolean") return Object.is(a, b);
  if (a instanceof Float64Array !== b instanceof Float64Array || Array.isArray(a) !== Array.isArray(b)) return false;
  const x = a as ArrayLike<number>;
  const y = b as ArrayLike<number>;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}

const sameResults = (a: readonly RtValue[], b: readonly RtValue[]): boolean => a.length === b.length && a.every((v, i) => sameValue(v, b[i]!));

const copyArgs = (args: readonly RtValue[]): RtValue[] => args.map((a) => (a instanceof Float64Array || Array.isArray(a) ? a.slice() : a));

const opsOf = (m: Module): Set<Opcode> => new Set(m.funcs.flatMap((f) => f.blocks.flatMap((b) => b.insts.map((i) => i.op))));

describe("generated modules", () => {
  it("verify, round-trip through text, and interpret deterministically and identically after the round trip", () => {
    fc.assert(
      fc.property(arbModuleWithInputs({ externs: true }), ({ module, fn, args }) => {
        verify(module);
        const text = printIR(module);
        const reparsed = parseIR(text);
        expect(printIR(reparsed)).toBe(text);
        const before = copyArgs(args);
        const options = { externs: GEN_EXTERN_BINDINGS };
        const r1 = interpret(module, fn, args, options);
        const r2 = interpret(module, fn, args, options);
        const r3 = interpret(reparsed, fn, args, options);
        expect(sameResults(args, before), "arguments unchanged").toBe(true);
        expect(sameResults(r1, r2), "deterministic").toBe(true);
        expect(sameResults(r1, r3), "same after the round trip").toBe(true);
      }),
      { numRuns: 600 },
    );
  });

  it("every generated function, not just the last, runs without error on arbInputs", () => {
    const arb = arbModule({ externs: true }).chain((module) => fc.tuple(...module.funcs.map(arbInputs)).map((inputs) => ({ module, inputs })));
    fc.assert(
      fc.property(arb, ({ module, inputs }) => {
        module.funcs.forEach((f, k) => interpret(module, f.name, inputs[k]!, { externs: GEN_EXTERN_BINDINGS }));
      }),
      { numRuns: 200 },
    );
  });

  it("every op and terminator kind occurs among 500 generated modules", () => {
    const modules = fc.sample(arbModule({ externs: true }), { numRuns: 500, seed: 42 });
    const ops = new Set<Opcode>();
    const terms = new Set<string>();
    for (const m of modules) {
      opsOf(m).forEach((op) => ops.add(op));
      for (const f of m.funcs) for (const b of f.blocks) terms.add(b.term.kind);
    }
    expect(OPCODES.filter((op) => !ops.has(op))).toEqual([]);
    expect([...terms].sort()).toEqual(["br", "condbr", "ret", "unreachable"]);
  });

  it.each<[GenOptions, Opcode[]]>([
    [{ arrays: false }, ["array.new", "array.get", "array.set", "array.len", "array.copy"]],
    [{ calls: false }, ["call"]],
    [{ stacks: false }, ["stack.new", "stack.push", "stack.pop"]],
    [{}, ["call.extern"]],
    [{ unaryOps: ["sin"], binaryOps: ["add"] }, ["cos", "div", "pow", "exp", "log"]],
  ])("options %j exclude %j", (options, excluded) => {
    for (const m of fc.sample(arbModule(options), { numRuns: 100, seed: 7 })) {
      verify(m);
      const ops = opsOf(m);
      expect(excluded.filter((op) => ops.has(op))).toEqual([]);
    }
  });

  it("without unreachable, no block ends in `unreachable`", () => {
    for (const m of fc.sample(arbModule({ unreachable: false }), { numRuns: 100, seed: 8 })) {
      expect(m.funcs.every((f) => f.blocks.every((b) => b.term.kind !== "unreachable"))).toBe(true);
    }
  });
});
