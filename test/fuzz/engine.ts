// The fuzzing engine shared by the CI batch (ci-*.test.ts), the planted-bug
// tests, the regression fixtures and the long runner (`npm run fuzz`): checks
// one case end to end (frontend for TS cases, primal differential checks, AD
// checks), counts what each case reached, and runs a fixed-seed batch through
// fast-check, whose shrinking minimises a failing case.

import fc from "fast-check";
import { parseTS } from "../../frontend/index.js";
import type { ExternFn } from "../../ir/interpreter.js";
import type { Module } from "../../ir/types.js";
import { verify } from "../../ir/verifier.js";
import { DEFAULT_EXTERNS } from "../frontend/support.js";
import { checkAD } from "./ad.js";
import { arbFuzzCase, caseText, fixtureExtension, type FuzzCase, type FuzzKind } from "./cases.js";
import { checkPrimal, Discrepancy, nodeRunner, optimise, type NodeRunner } from "./primal.js";

/** What the cases of a batch reached. */
export interface Tally {
  cases: number;
  /** Cases whose dot-product test ran (at one of its two points at least). */
  ad: number;
  /** Cases whose derivatives were also compared with finite differences. */
  fd: number;
  /** Cases whose sparsity patterns were compared with the Jacobian. */
  sparsity: number;
  /** Why the other cases did not reach the dot-product test. */
  readonly skipped: Map<string, number>;
}

export const newTally = (): Tally => ({ cases: 0, ad: 0, fd: 0, sparsity: 0, skipped: new Map() });

/** The module of a case: TS cases go through the frontend, whose output must verify. */
function moduleOf(c: FuzzCase): { module: Module; externs: Readonly<Record<string, ExternFn>>; node: NodeRunner } {
  if (c.kind === "ir") return { module: c.module, externs: {}, node: undefined };
  let module: Module;
  try {
    module = parseTS(c.source);
    verify(module);
  } catch (e) {
    throw new Discrepancy(`the frontend rejects a valid program: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { module, externs: DEFAULT_EXTERNS, node: nodeRunner(c.source, c.js, module, c.fn) };
}

/** Checks one case, counting what it reached in `tally`; throws on a discrepancy
 * (a `Discrepancy`, or whatever the compiler threw that is not a user error). */
export function checkCase(c: FuzzCase, tally: Tally): void {
  tally.cases++;
  const { module, externs, node } = moduleOf(c);
  checkPrimal(module, optimise(module), c.fn, c.inputs, externs, node);
  const ad = checkAD(module, c.fn, c.inputs[0]!, c.seed, externs);
  if (ad.skipped === undefined) tally.ad++;
  else tally.skipped.set(ad.skipped, (tally.skipped.get(ad.skipped) ?? 0) + 1);
  if (ad.fd) tally.fd++;
  if (ad.sparsity) tally.sparsity++;
}

/** A batch: `runs` cases of `kind` from `seed` (optionally replaying one `path`). */
export interface BatchOptions {
  readonly kind: FuzzKind;
  readonly runs: number;
  readonly seed: number;
  /** fast-check replay path of a reported failure. */
  readonly path?: string;
  /** Stop at the first failure without minimising it (default false). */
  readonly noShrink?: boolean;
}

/** A failing case, minimised unless `noShrink`, and how to replay it. */
export interface Failure {
  readonly error: string;
  readonly text: string;
  readonly extension: string;
  readonly seed: number;
  readonly path: string;
  /** Cases run before the first failure (1-based index of the failing one). */
  readonly at: number;
}

export interface BatchResult {
  readonly kind: FuzzKind;
  readonly tally: Tally;
  readonly failure?: Failure;
}

/** Runs a batch; the tally counts the cases of the batch, not shrinking runs. */
export function runBatch(o: BatchOptions): BatchResult {
  const tally = newTally();
  let counting = true;
  const scratch = newTally();
  // The first failure ends the batch; runs while shrinking are not counted.
  const property = fc.property(arbFuzzCase(o.kind), (c) => {
    try {
      checkCase(c, counting ? tally : scratch);
    } catch (e) {
      counting = false;
      throw e;
    }
  });
  const details = fc.check(property, { numRuns: o.runs, seed: o.seed, endOnFailure: o.noShrink ?? false, ...(o.path ? { path: o.path } : {}) });
  if (!details.failed) return { kind: o.kind, tally };
  const c = details.counterexample![0] as FuzzCase;
  const error = details.errorInstance instanceof Error ? `${details.errorInstance.name}: ${details.errorInstance.message}` : String(details.errorInstance);
  return {
    kind: o.kind,
    tally,
    failure: { error, text: caseText(c), extension: fixtureExtension(c.kind), seed: details.seed, path: details.counterexamplePath ?? "", at: details.numRuns },
  };
}

const pct = (n: number, d: number): string => `${((100 * n) / Math.max(d, 1)).toFixed(1)} %`;

/** The batch summary: counts, shares reaching each check, skip reasons. */
export function formatTally(kind: FuzzKind, t: Tally): string {
  const lines = [
    `${kind}: ${t.cases} programs; ${t.ad} (${pct(t.ad, t.cases)}) reached the AD checks (dot-product test);`,
    `  ${t.fd} (${pct(t.fd, t.cases)}) also finite differences (smooth point), ${t.sparsity} (${pct(t.sparsity, t.cases)}) sparsity`,
    ...[...t.skipped].sort((a, b) => b[1] - a[1]).map(([why, n]) => `  ${n} skipped AD: ${why}`),
  ];
  return lines.join("\n");
}

/** A failure as the runner and the CI test print it: the error, the
 * minimised case as a ready regression fixture, and the replay command. */
export function formatFailure(kind: FuzzKind, f: Failure): string {
  return [
    `DISCREPANCY (${kind} case ${f.at}): ${f.error}`,
    `--- minimised case (save as test/fuzz/regressions/<name>${f.extension}) ---`,
    f.text.trimEnd(),
    "---",
    `replay: npm run fuzz -- --kind ${kind} --seed ${f.seed} --path ${f.path}`,
  ].join("\n");
}

/** The CI batch: `runs` cases of each kind from a fixed seed (2,000 programs
 * in all). It is the first chunk of `npm run fuzz -- --seed <seed>`. */
export const CI_BATCH = { runs: 1000, seed: 20261102 } as const;
