// AD checks of one fuzz case (DESIGN.md §8), on the function's first
// argument list with every number and array argument active:
// - fwd-ad and rev-ad outputs verify; their primal results equal the
//   function's bit for bit; compiled, they compute what the interpreter does;
// - the dot-product test u·(J v) = (Jᵀu)·v between the modes, at a moderate
//   version of the point (zeros and small integers kept, so that both modes'
//   conventions at non-differentiable points are compared) and at a generic
//   point (uniform in [-1.5, 1.5]);
// - at the generic point, J v and u·(J v) against Richardson-extrapolated
//   central differences, where the point is smooth: every probe takes the
//   base point's branches and the extrapolation converged (small error
//   estimate; it does not where a kink of abs/min/floor/… lies near), in
//   programs where differences are known to mislead (see fdUnreliable:
//   dense jumps of rem, sums absorbed by huge constants);
// - the sparsity pattern (global or local) contains every finite nonzero of
//   the forward-mode Jacobian at the generic point.
// Programs rev-ad rejects (PipelineError), whose primal traps, or whose
// derivatives are not finite are counted by reason and skip what they cannot do.

import { sparsity } from "../../api/sparse.js";
import { compile } from "../../backend/index.js";
import { DerivError, PipelineError } from "../../ir/errors.js";
import type { RtValue } from "../../ir/eval.js";
import { interpret, type ExternFn } from "../../ir/interpreter.js";
import type { Module, Type, ValueId } from "../../ir/types.js";
import { findFunc, paramTypes } from "../../ir/types.js";
import { verify } from "../../ir/verifier.js";
import { addJvp } from "../../passes/fwd-ad.js";
import { addVjp } from "../../passes/rev-ad.js";
import { sameOutcome, showOutcome, type Outcome } from "../backend/support.js";
import { flatDiff, isDiffType, moderate, randomLike, sameBitsList } from "../gen/ad-inputs.js";
import { dotProductGap, smoothProbe, type Arg } from "../support/check.js";
import { fdDirectional } from "../support/fd.js";
import { makeRng } from "../support/models.js";
import { Discrepancy } from "./primal.js";

/** What the AD checks of one case got to do. */
export interface AdResult {
  /** Why the dot-product test was not reached, or undefined if it was. */
  readonly skipped?: string;
  /** The finite-difference comparison ran (the generic point was smooth). */
  readonly fd: boolean;
  /** The sparsity patterns were compared with the Jacobian. */
  readonly sparsity: boolean;
}

/** A finite-difference estimate counts as converged when its error bound is below this (relative). */
const FD_CONVERGED = 1e-6;
/** Relative tolerance of AD against a converged estimate, on top of 10 × its error bound. */
const FD_RTOL = 1e-7;

/** Reason text of a rejection without function names, for the tally. */
const reasonOf = (e: DerivError): string => e.message.replace(/@("[^"]*"|[\w$.]+)/g, "@f").split(/[;\n]/)[0]!.slice(0, 90);

/** The function's results (or a trap) at `args`. */
function primal(module: Module, fn: string, args: readonly RtValue[], externs: Readonly<Record<string, ExternFn>>): RtValue[] | undefined {
  try {
    return interpret(module, fn, args, { externs });
  } catch (e) {
    if (e instanceof DerivError) return undefined;
    throw e;
  }
}

function outcome(run: () => RtValue[]): Outcome {
  try {
    return { ok: run() };
  } catch (e) {
    if (!(e instanceof DerivError)) throw e;
    return { code: e.code };
  }
}

/** Runs an AD function interpreted and compiled; they must agree bit for bit. */
function runBoth(ad: Module, compiled: Record<string, (...a: unknown[]) => unknown>, name: string, args: readonly RtValue[], externs: Readonly<Record<string, ExternFn>>): RtValue[] {
  const copy = args.map((a) => (a instanceof Float64Array ? a.slice() : a));
  const want = outcome(() => interpret(ad, name, copy, { externs }));
  const got = outcome(() => compiled[name]!(...args) as RtValue[]);
  if (!sameOutcome(got, want)) throw new Discrepancy(`@${name}: compiled ${showOutcome(got)} but interpreter ${showOutcome(want)}`);
  if (!("ok" in want)) throw new Discrepancy(`@${name} failed with ${showOutcome(want)} where the primal runs`);
  return want.ok as RtValue[];
}

/** Checks AD on `args` (the first argument list of the case). */
export function checkAD(module: Module, fn: string, raw: readonly RtValue[], seed: number, externs: Readonly<Record<string, ExternFn>>): AdResult {
  const func = findFunc(module, fn)!;
  const types = paramTypes(func);
  const wrt = types.flatMap((t, i) => (t === "f64" || t === "f64[]" ? [i] : []));
  if (wrt.length === 0) return { skipped: "no active argument", fd: false, sparsity: false };
  const inTypes = wrt.map((i) => types[i]!);
  const outTypes = func.results.filter(isDiffType);
  const nRes = func.results.length;

  let ad: Module;
  try {
    ad = addVjp(addJvp(module, { fn, wrt }), { fn, wrt });
  } catch (e) {
    if (e instanceof PipelineError) return { skipped: reasonOf(e), fd: false, sparsity: false };
    throw e;
  }
  try {
    verify(ad);
  } catch (e) {
    throw new Discrepancy(`AD output fails the verifier: ${e instanceof Error ? e.message : String(e)}`);
  }
  const compiled = compile(ad, { externs }) as Record<string, (...a: unknown[]) => unknown>;
  const r = makeRng(seed);

  /** A random adjoint shaped like the differentiable results `y`. */
  const adjoint = (y: readonly RtValue[]): RtValue[] => y.flatMap((val, j) => (isDiffType(func.results[j]!) ? [randomLike(r, val)] : []));
  /** Tangent (along v) and adjoint (of a random u) at a point; undefined if the primal traps. */
  const sweep = (args: readonly RtValue[], v: readonly RtValue[]) => {
    const y = primal(module, fn, args, externs);
    if (!y) return undefined;
    const jvpOut = runBoth(ad, compiled, `${fn}.jvp`, [...args, ...v], externs);
    const ubar = adjoint(y);
    const vjpOut = runBoth(ad, compiled, `${fn}.vjp`, [...args, ...ubar], externs);
    const want = flatDiff(y, func.results);
    if (!sameBitsList(flatDiff(jvpOut.slice(0, nRes), func.results), want)) throw new Discrepancy(`@${fn}.jvp: primal results differ from @${fn}'s`);
    if (!sameBitsList(flatDiff(vjpOut.slice(0, nRes), func.results), want)) throw new Discrepancy(`@${fn}.vjp: primal results differ from @${fn}'s`);
    return { ubar, jv: flatDiff(jvpOut.slice(nRes), outTypes), jtu: flatDiff(vjpOut.slice(nRes), inTypes) };
  };
  /** The dot-product test; false if a side is not finite. */
  const dotTest = (point: string, s: NonNullable<ReturnType<typeof sweep>>, v: readonly RtValue[]): boolean => {
    const gap = dotProductGap(flatDiff(s.ubar, outTypes), s.jv, s.jtu, flatDiff(v, inTypes));
    if (!Number.isFinite(gap.lhs) || !Number.isFinite(gap.rhs)) return false;
    if (!gap.ok) throw new Discrepancy(`dot-product test at the ${point} point: u·Jv = ${gap.lhs} (fwd-ad), Jᵀu·v = ${gap.rhs} (rev-ad), tol ${gap.tol}`);
    return true;
  };
  const direction = (args: readonly RtValue[]): RtValue[] => wrt.map((i) => randomLike(r, args[i]!));

  const atModerate = raw.map((a) => moderate(r, a));
  const vm = direction(atModerate);
  const sm = sweep(atModerate, vm);
  const generic = raw.map((a, i) => (!wrt.includes(i) ? a : typeof a === "number" ? 3 * r() - 1.5 : (a as Float64Array).map(() => 3 * r() - 1.5)));
  const vg = direction(generic);
  const sg = sweep(generic, vg);
  const dotM = sm !== undefined && dotTest("moderate", sm, vm);
  const dotG = sg !== undefined && dotTest("generic", sg, vg);
  const skipped = dotM || dotG ? undefined : !sm && !sg ? "primal traps" : "derivatives not finite";
  if (!sg || !dotG) return { fd: false, sparsity: false, ...(skipped ? { skipped } : {}) };
  const fd = checkFD(module, fn, generic as Arg[], wrt, vg, sg, outTypes, inTypes, externs);
  checkSparsity(module, fn, generic, wrt, ad, externs, seed);
  return { fd, sparsity: true, ...(skipped ? { skipped } : {}) };
}

/** True if central differences cannot be compared with AD on `module`,
 * although the point looks smooth:
 * - an f64 remainder by anything but a constant of magnitude ≥ 1:
 *   rem(x, y) jumps at every multiple of y, inside the op where the
 *   smoothness probe cannot see it; with |y| below the largest step (2^-5
 *   scaled) the stencil straddles jumps and the extrapolation can still look
 *   converged ((x % 0.001) ** 3, seed 41; rem(x, 5e-324) is 0 for every
 *   double x, though rem' = 1); sparser jumps show as an unconverged estimate;
 * - an f64 constant of magnitude ≥ 2^53: it absorbs the active operand of a
 *   sum (1e300 + x is 1e300, a constant to the differences, though its
 *   derivative is 1). */
function fdUnreliable(module: Module): boolean {
  return module.funcs.some((f) => {
    const constants = new Map<ValueId, number>();
    for (const b of f.blocks) for (const i of b.insts) if (i.op === "const" && f.values[i.results[0]!]!.type === "f64") constants.set(i.results[0]!, i.value!);
    if ([...constants.values()].some((c) => Math.abs(c) >= 2 ** 53)) return true;
    return f.blocks.some((b) => b.insts.some((i) => i.op === "rem" && f.values[i.results[0]!]!.type === "f64" && !(Math.abs(constants.get(i.args[1]!) ?? 0) >= 1)));
  });
}

/** True if one-sided differences disagree at `x` along `dir`: a kink inside
 * an op, which the branch probe cannot see and central differences average
 * away (min(x, x, stopGradient(x)) is a tie at every x: slope 1 on one side,
 * 0 on the other; central differences give 1/2, seed 94). */
function atKink(f: (x: readonly number[]) => number[], x: readonly number[], dir: readonly number[]): boolean {
  const scale = Math.max(1, ...x.map(Math.abs)) / Math.max(...dir.map(Math.abs), 1e-300);
  const h = 1e-6 * scale;
  const at = (t: number): number[] => f(x.map((xi, i) => xi + t * dir[i]!));
  const [mid, up, down] = [at(0), at(h), at(-h)];
  return mid.some((m, i) => {
    const right = (up[i]! - m) / h;
    const left = (m - down[i]!) / h;
    return !(Math.abs(right - left) <= 1e-4 * Math.max(1, Math.abs(right), Math.abs(left)));
  });
}

/** J v (fwd-ad) and u·J v (rev-ad) against central differences at a smooth point; false if not smooth. */
function checkFD(module: Module, fn: string, args: Arg[], wrt: readonly number[], v: readonly RtValue[], s: { ubar: RtValue[]; jv: number[]; jtu: number[] }, outTypes: readonly Type[], inTypes: readonly Type[], externs: Readonly<Record<string, ExternFn>>): boolean {
  if (fdUnreliable(module)) return false;
  const probe = smoothProbe(module, fn, args, wrt, externs);
  const dir = flatDiff(v, inTypes);
  const est = fdDirectional(probe.f, probe.x, dir);
  const converged = est.value.every((d, i) => Number.isFinite(d) && est.error[i]! <= FD_CONVERGED * Math.max(1, Math.abs(d)));
  if (!probe.isSmooth() || !converged || est.value.length !== s.jv.length || atKink(probe.f, probe.x, dir)) return false;
  est.value.forEach((d, i) => {
    const tol = 10 * est.error[i]! + FD_RTOL * Math.max(Math.abs(d), 1e-3);
    if (!(Math.abs(s.jv[i]! - d) <= tol)) throw new Discrepancy(`fwd-ad against central differences: (J v)[${i}] = ${s.jv[i]}, reference ${d} ± ${est.error[i]}`);
  });
  const u = flatDiff(s.ubar, outTypes);
  const ref = u.reduce((acc, ui, i) => acc + ui * est.value[i]!, 0);
  const err = u.reduce((acc, ui, i) => acc + Math.abs(ui) * (10 * est.error[i]! + FD_RTOL * Math.max(Math.abs(est.value[i]!), 1e-3)), 0);
  const got = s.jtu.reduce((acc, g, i) => acc + g * dir[i]!, 0);
  if (!(Math.abs(got - ref) <= err + 1e-12)) throw new Discrepancy(`rev-ad against central differences: (Jᵀu)·v = ${got}, reference u·(J v) = ${ref} ± ${err}`);
  return true;
}

/** Every finite nonzero of the forward-mode Jacobian lies in the sparsity
 * pattern: the global one for even seeds, the local one for odd seeds (one
 * detection per case keeps the batch fast; a batch covers both). */
function checkSparsity(module: Module, fn: string, args: readonly RtValue[], wrt: readonly number[], ad: Module, externs: Readonly<Record<string, ExternFn>>, seed: number): void {
  const nRes = findFunc(module, fn)!.results.length;
  const resultTypes = findFunc(module, fn)!.results;
  const sizes = wrt.map((i) => (typeof args[i] === "number" ? 1 : (args[i] as Float64Array).length));
  const cols = sizes.reduce((a, b) => a + b, 0);
  const nonzeros: string[] = [];
  for (let col = 0, k = 0, off = 0; col < cols; col++) {
    while (col - off >= sizes[k]!) off += sizes[k++]!;
    const v = wrt.map((i, q) => (typeof args[i] === "number" ? (q === k ? 1 : 0) : Float64Array.from({ length: sizes[q]! }, (_, e) => (q === k && e === col - off ? 1 : 0))));
    const out = interpret(ad, `${fn}.jvp`, [...args, ...v], { externs });
    flatDiff(out.slice(nRes), resultTypes.filter(isDiffType)).forEach((x, row) => x !== 0 && Number.isFinite(x) && nonzeros.push(`${row},${col}`));
  }
  const mode = seed % 2 === 0 ? "global" : "local";
  let pattern: [number, number][];
  try {
    pattern = sparsity(module, fn, { mode, externs, onWarning: () => {} })(...args).pattern;
  } catch (e) {
    // No global pattern exists when a result's length depends on the active inputs.
    if (mode === "global" && e instanceof PipelineError && e.message.includes("depends on the active inputs")) return;
    throw e;
  }
  const has = new Set(pattern.map(([i, j]) => `${i},${j}`));
  const outside = nonzeros.filter((e) => !has.has(e));
  if (outside.length) throw new Discrepancy(`${mode} sparsity pattern misses Jacobian nonzeros at (row,col) ${outside.join(" ")}`);
}
