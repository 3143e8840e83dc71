// The dot-product test u·(J v) = (Jᵀu)·v between fwd-ad and rev-ad on
// generated IR programs (test/gen/ir-gen.ts), run by the reference
// interpreter (the JS backend runs AD output in models.test.ts). Programs
// rev-ad rejects with a PipelineError (tapes in the input, callees writing
// array arguments, …) are counted per reason and skipped; so are programs
// whose primal traps or whose dot products are not finite. The primal
// results of f.jvp and f.vjp must equal f's bit for bit. The share that
// reaches the check is printed and bounded below.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PipelineError, VerifyError } from "../../ir/errors.js";
import type { RtValue } from "../../ir/interpreter.js";
import { interpret } from "../../ir/interpreter.js";
import type { Module } from "../../ir/types.js";
import { findFunc, paramTypes } from "../../ir/types.js";
import { verify } from "../../ir/verifier.js";
import { addJvp } from "../../passes/fwd-ad.js";
import { addVjp } from "../../passes/rev-ad.js";
import { flatDiff as flat, isDiffType as isDiff, moderate, randomLike, sameBitsList as sameBits } from "../gen/ad-inputs.js";
import { arbModuleWithInputs, type ModuleWithInputs } from "../gen/ir-gen.js";
import { dotProductGap } from "../support/check.js";
import { makeRng } from "../support/models.js";

const RUNS = 1000;

/** What happened to each generated case. */
interface Tally {
  total: number;
  checked: number;
  trapped: number;
  nonFinite: number;
  /** rev-ad output rejected by the verifier (must stay 0: see the test below). */
  unverified: number;
  rejected: Map<string, number>;
}

/** Runs one case; returns false on a dot-product or consistency failure. */
function checkCase({ module, fn, args: raw }: ModuleWithInputs, seed: number, tally: Tally): boolean {
  tally.total++;
  const r = makeRng(seed);
  const args = raw.map((a) => moderate(r, a));
  const func = findFunc(module, fn)!;
  const types = paramTypes(func);
  const wrt = types.flatMap((t, i) => (t === "f64" || t === "f64[]" ? [i] : []));
  const withJvp = addJvp(module, { fn, wrt });
  verify(withJvp);
  let withVjp: Module;
  try {
    withVjp = addVjp(module, { fn, wrt });
  } catch (e) {
    if (!(e instanceof PipelineError)) throw e;
    const reason = e.message.replace(/@("[^"]*"|[\w$.]+)/g, "@f").split(";")[0]!.slice(0, 100);
    tally.rejected.set(reason, (tally.rejected.get(reason) ?? 0) + 1);
    return true;
  }
  try {
    verify(withVjp);
  } catch (e) {
    if (!(e instanceof VerifyError)) throw e;
    tally.unverified++;
    return true;
  }
  let y: RtValue[];
  try {
    y = interpret(module, fn, args);
  } catch {
    tally.trapped++;
    return true;
  }
  const v = wrt.map((i) => randomLike(r, args[i]!));
  const u = y.flatMap((val, j) => (isDiff(func.results[j]!) ? [randomLike(r, val)] : []));
  const nRes = func.results.length;
  const diffTypes = func.results.filter(isDiff);
  const jvpOut = interpret(withJvp, `${fn}.jvp`, [...args, ...v]);
  const vjpOut = interpret(withVjp, `${fn}.vjp`, [...args, ...u]);
  const primal = flat(y, func.results);
  if (!sameBits(flat(jvpOut.slice(0, nRes), func.results), primal) || !sameBits(flat(vjpOut.slice(0, nRes), func.results), primal)) return false;
  const jv = flat(jvpOut.slice(nRes), diffTypes);
  const jtu = flat(vjpOut.slice(nRes), wrt.map((i) => types[i]!));
  const gap = dotProductGap(flat(u, diffTypes), jv, jtu, flat(v, wrt.map((i) => types[i]!)));
  if (!Number.isFinite(gap.lhs) || !Number.isFinite(gap.rhs)) {
    tally.nonFinite++;
    return true;
  }
  if (!gap.ok) return false;
  tally.checked++;
  return true;
}

describe("generated programs", () => {
  it(`forward and reverse mode pass the dot-product test on ${RUNS} programs`, () => {
    const tally: Tally = { total: 0, checked: 0, trapped: 0, nonFinite: 0, unverified: 0, rejected: new Map() };
    fc.assert(
      fc.property(arbModuleWithInputs(), fc.integer(), (c, seed) => checkCase(c, seed, tally)),
      { numRuns: RUNS, seed: 20261126 },
    );
    const rejected = [...tally.rejected.values()].reduce((a, b) => a + b, 0);
    const lines = [...tally.rejected].map(([why, n]) => `  ${n} rejected: ${why}`);
    console.log(
      [
        `generated: ${tally.total} programs; ${tally.total - rejected} (${((100 * (tally.total - rejected)) / tally.total).toFixed(1)} %) accepted by rev-ad;`,
        `  ${tally.checked} (${((100 * tally.checked) / tally.total).toFixed(1)} %) reached the dot-product check;`,
        `  ${tally.unverified} vjp failed the verifier (BUG), ${tally.trapped} primal traps, ${tally.nonFinite} non-finite dot products`,
        ...lines,
      ].join("\n"),
    );
    expect(tally.total).toBe(RUNS);
    expect((tally.total - rejected) / tally.total, "share accepted by rev-ad").toBeGreaterThanOrEqual(0.8);
    expect(tally.checked / tally.total, "share reaching the check").toBeGreaterThanOrEqual(0.5);
  });

  it("every vjp that rev-ad accepts passes the verifier", () => {
    fc.assert(
      fc.property(arbModuleWithInputs(), ({ module, fn }) => {
        let m: Module;
        try {
          m = addVjp(module, { fn });
        } catch (e) {
          if (e instanceof PipelineError) return true;
          throw e;
        }
        verify(m);
        return true;
      }),
      { numRuns: 200, seed: 7, endOnFailure: true },
    );
  });
});
