// Exact symbolic arithmetic for the flop counter's closed forms: rationals
// over bigint, and polynomials with rational coefficients over atoms (a
// function's parameters, array lengths, loop iteration indices, `ceil(...)` of
// a real-valued expression, and "accumulator" atoms standing for a loop's
// unknown trip count or a callee's unknown cost). Everything is plain data;
// an atom's printed form is its identity key. Also: `ceil` canonicalisation
// (integer parts move outside), evaluation, and sums over an iteration index
// (Faulhaber, through Stirling numbers and falling factorials).
// Imports only ir/printer (names).

import { formatName } from "../ir/printer.js";

/** A rational number in lowest terms, denominator positive. */
export interface Rat {
  readonly n: bigint;
  readonly d: bigint;
}

/** A symbolic quantity the polynomials range over.
 * - `param`: a scalar parameter of the function (by printed name); `integer`
 *   for `i32` parameters.
 * - `len`: the length of an array parameter, printed `len(xs)`.
 * - `iter`: the iteration index (0, 1, …) of a loop, keyed `@f^header`;
 *   internal, summed away before a formula is reported.
 * - `ceil`: ceil of a polynomial that is not integer-valued.
 * - `trip`: total iterations of a loop outside the supported class, during
 *   one call of the analysed function, printed `trip(@f^header)`.
 * - `cost`: total cost (one quantity) of the calls to @g that the closed
 *   form could not express (no closed form, recursion, an argument that is
 *   not affine), during one call, printed `total(@g)`, `mul(@g)`. */
export type Atom =
  | { readonly kind: "param"; readonly name: string; readonly integer: boolean }
  | { readonly kind: "len"; readonly name: string }
  | { readonly kind: "iter"; readonly loop: string }
  | { readonly kind: "ceil"; readonly arg: Poly }
  | { readonly kind: "trip"; readonly loop: string }
  | { readonly kind: "cost"; readonly callee: string; readonly quantity: string };

/** One atom raised to a positive power. */
export interface Factor {
  readonly atom: Atom;
  readonly pow: number;
}

/** coef * product of factors (factors sorted by atom key, atoms distinct). */
export interface Term {
  readonly coef: Rat;
  readonly factors: readonly Factor[];
}

/** A sum of terms with distinct monomials and non-zero coefficients, sorted
 * by monomial key (the zero polynomial has no terms). */
export interface Poly {
  readonly terms: readonly Term[];
}

// ---------------------------------------------------------------- rationals

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

/** n/d in lowest terms (d must not be 0). */
export function rat(n: bigint, d = 1n): Rat {
  if (d === 1n) return { n, d };
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

/** 0 and 1. */
export const ZERO: Rat = { n: 0n, d: 1n };
export const ONE: Rat = { n: 1n, d: 1n };

/** Exact rational arithmetic (b non-zero for ratDiv). */
export const ratAdd = (a: Rat, b: Rat): Rat => rat(a.n * b.d + b.n * a.d, a.d * b.d);
export const ratSub = (a: Rat, b: Rat): Rat => rat(a.n * b.d - b.n * a.d, a.d * b.d);
export const ratMul = (a: Rat, b: Rat): Rat => rat(a.n * b.n, a.d * b.d);
export const ratDiv = (a: Rat, b: Rat): Rat => rat(a.n * b.d, a.d * b.n);
export const ratEq = (a: Rat, b: Rat): boolean => a.n === b.n && a.d === b.d;
export const ratSign = (a: Rat): number => (a.n > 0n ? 1 : a.n < 0n ? -1 : 0);

/** floor(n/d) for d > 0. */
function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

/** The largest integer <= a. */
export const ratFloor = (a: Rat): bigint => floorDiv(a.n, a.d);
/** The smallest integer >= a. */
export const ratCeil = (a: Rat): bigint => -floorDiv(-a.n, a.d);

/** The exact value of a finite f64 (every finite double is a dyadic rational);
 * undefined for NaN and infinities. */
export function ratFromNumber(x: number): Rat | undefined {
  if (!Number.isFinite(x)) return undefined;
  let k = 0n;
  while (!Number.isInteger(x)) {
    x *= 2; // exact: scaling a non-integer double by 2 never rounds
    k++;
  }
  return rat(BigInt(x), 1n << k);
}

/** The nearest double (exact for integers below 2^53). */
export function ratToNumber(a: Rat): number {
  return a.d === 1n ? Number(a.n) : Number(a.n) / Number(a.d);
}

/** `3`, `-1/2`. */
export function formatRat(a: Rat): string {
  return a.d === 1n ? String(a.n) : `${a.n}/${a.d}`;
}

// ---------------------------------------------------------------- atoms

const atomKeys = new WeakMap<Atom, string>();

/** The printed form of an atom, which is also its identity. */
export function atomKey(a: Atom): string {
  let k = atomKeys.get(a);
  if (k === undefined) {
    k = formatAtom(a);
    atomKeys.set(a, k);
  }
  return k;
}

/** A parameter's printed name; numbered (unnamed) ones keep their `%`. */
function paramName(name: string): string {
  return /^[0-9]+$/.test(name) ? `%${name}` : formatName(name);
}

function formatAtom(a: Atom): string {
  switch (a.kind) {
    case "param":
      return paramName(a.name);
    case "len":
      return `len(${paramName(a.name)})`;
    case "iter":
      return `k(${a.loop})`;
    case "ceil":
      return `ceil(${formatPoly(a.arg)})`;
    case "trip":
      return `trip(${a.loop})`;
    case "cost":
      return `${a.quantity}(@${formatName(a.callee)})`;
  }
}

/** True for atoms that only take integer values. */
export function isIntegerAtom(a: Atom): boolean {
  switch (a.kind) {
    case "param":
      return a.integer;
    case "len":
    case "iter":
    case "ceil":
    case "trip":
      return true;
    case "cost":
      return false;
  }
}

/** True for atoms that stand for a per-call total (unknown trip counts, callee costs). */
export function isAccumulator(a: Atom): boolean {
  return a.kind === "trip" || a.kind === "cost";
}

// ---------------------------------------------------------------- polynomials

function monoKey(factors: readonly Factor[]): string {
  return factors.map((f) => (f.pow === 1 ? atomKey(f.atom) : `${atomKey(f.atom)}^${f.pow}`)).join("*");
}

/** Builds a canonical polynomial from terms that may repeat monomials. */
function collect(terms: Iterable<Term>): Poly {
  const byKey = new Map<string, Term>();
  for (const t of terms) {
    if (t.coef.n === 0n) continue;
    const key = monoKey(t.factors);
    const old = byKey.get(key);
    byKey.set(key, old ? { coef: ratAdd(old.coef, t.coef), factors: old.factors } : t);
  }
  const keys = [...byKey.keys()].sort();
  return { terms: keys.map((k) => byKey.get(k)!).filter((t) => t.coef.n !== 0n) };
}

/** The zero polynomial. */
export const POLY_ZERO: Poly = { terms: [] };

/** The constant polynomial r. */
export function polyConst(r: Rat): Poly {
  return r.n === 0n ? POLY_ZERO : { terms: [{ coef: r, factors: [] }] };
}

/** The constant polynomial for a JS integer. */
export const polyInt = (k: number): Poly => polyConst(rat(BigInt(k)));

/** The polynomial consisting of one atom. */
export function polyAtom(atom: Atom): Poly {
  return { terms: [{ coef: ONE, factors: [{ atom, pow: 1 }] }] };
}

/** a + b. */
export function polyAdd(a: Poly, b: Poly): Poly {
  if (!a.terms.length) return b;
  if (!b.terms.length) return a;
  return collect([...a.terms, ...b.terms]);
}

/** r * a. */
export function polyScale(a: Poly, r: Rat): Poly {
  if (r.n === 0n) return POLY_ZERO;
  return { terms: a.terms.map((t) => ({ coef: ratMul(t.coef, r), factors: t.factors })) };
}

/** a - b. */
export function polySub(a: Poly, b: Poly): Poly {
  return polyAdd(a, polyScale(b, rat(-1n)));
}

function mulFactors(a: readonly Factor[], b: readonly Factor[]): Factor[] {
  const out = new Map<string, Factor>();
  for (const f of [...a, ...b]) {
    const k = atomKey(f.atom);
    const old = out.get(k);
    out.set(k, old ? { atom: old.atom, pow: old.pow + f.pow } : f);
  }
  return [...out.keys()].sort().map((k) => out.get(k)!);
}

/** a * b. */
export function polyMul(a: Poly, b: Poly): Poly {
  const terms: Term[] = [];
  for (const s of a.terms) for (const t of b.terms) terms.push({ coef: ratMul(s.coef, t.coef), factors: mulFactors(s.factors, t.factors) });
  return collect(terms);
}

/** The value of a constant polynomial, or undefined. */
export function polyConstValue(p: Poly): Rat | undefined {
  if (!p.terms.length) return ZERO;
  return p.terms.length === 1 && !p.terms[0]!.factors.length ? p.terms[0]!.coef : undefined;
}

/** Equality (canonical forms are unique, so it is structural). */
export function polyEq(a: Poly, b: Poly): boolean {
  if (a === b) return true;
  if (a.terms.length !== b.terms.length) return false;
  return a.terms.every((t, i) => {
    const u = b.terms[i]!;
    return ratEq(t.coef, u.coef) && monoKey(t.factors) === monoKey(u.factors);
  });
}

/** True if some atom of `p`, looking inside `ceil` arguments too, satisfies `pred`. */
export function polyMentions(p: Poly, pred: (a: Atom) => boolean): boolean {
  return p.terms.some((t) => t.factors.some((f) => pred(f.atom) || (f.atom.kind === "ceil" && polyMentions(f.atom.arg, pred))));
}

/** `p` with atoms replaced: `f` returns the replacement, `undefined` to keep
 * the atom, or `null` if the atom cannot be expressed (then the result is
 * null). Arguments of `ceil` atoms are rewritten too and re-canonicalised. */
export function polyMap(p: Poly, f: (a: Atom) => Poly | undefined | null): Poly | null {
  const touched = (q: Poly): boolean => q.terms.some((t) => t.factors.some((fac) => (fac.atom.kind === "ceil" ? touched(fac.atom.arg) : f(fac.atom) !== undefined)));
  if (!touched(p)) return p;
  let out = POLY_ZERO;
  for (const t of p.terms) {
    let acc = polyConst(t.coef);
    for (const fac of t.factors) {
      let by: Poly | undefined | null;
      if (fac.atom.kind === "ceil") {
        const arg = polyMap(fac.atom.arg, f);
        by = arg && ceilOf(arg);
      } else by = f(fac.atom);
      if (by === null) return null;
      const base = by ?? polyAtom(fac.atom);
      for (let i = 0; i < fac.pow; i++) acc = polyMul(acc, base);
    }
    out = polyAdd(out, acc);
  }
  return out;
}

/** The value of `p` with atoms valued by `env` (undefined: unknown, and the
 * result is undefined). `ceil` atoms are evaluated exactly. */
export function polyEval(p: Poly, env: (a: Atom) => Rat | undefined): Rat | undefined {
  let sum = ZERO;
  for (const t of p.terms) {
    let v = t.coef;
    for (const f of t.factors) {
      let x: Rat | undefined;
      if (f.atom.kind === "ceil") {
        const arg = polyEval(f.atom.arg, env);
        x = arg && rat(ratCeil(arg));
      } else x = env(f.atom);
      if (x === undefined) return undefined;
      for (let i = 0; i < f.pow; i++) v = ratMul(v, x);
    }
    sum = ratAdd(sum, v);
  }
  return sum;
}

/** ceil(arg), canonical: integer-valued parts (integer multiples of
 * integer-valued monomials, the integer part of the constant) move outside,
 * so `ceil(n + k - 1.5)` becomes `ceil(n + 1/2) + k - 2` and `ceil(len(xs))`
 * is `len(xs)`. What remains inside has no integer-valued part. */
export function ceilOf(arg: Poly): Poly {
  const outside: Term[] = [];
  const inside: Term[] = [];
  for (const t of arg.terms) {
    const integerMono = t.factors.every((f) => isIntegerAtom(f.atom));
    if (!integerMono) {
      inside.push(t);
      continue;
    }
    const whole = ratFloor(t.coef);
    const frac = ratSub(t.coef, rat(whole));
    if (whole !== 0n) outside.push({ coef: rat(whole), factors: t.factors });
    if (frac.n !== 0n) inside.push({ coef: frac, factors: t.factors });
  }
  const rest = collect(inside);
  const out = collect(outside);
  const c = polyConstValue(rest);
  if (c !== undefined) return polyAdd(out, polyConst(rat(ratCeil(c))));
  return polyAdd(out, polyAtom({ kind: "ceil", arg: rest }));
}

// ---------------------------------------------------------------- sums over an index

/** Coefficients (in T, ascending) of sum_{k=0}^{T-1} k^p, via
 * k^p = sum_j S(p, j) k^(j falling) and sum_k k^(j falling) = T^(j+1 falling)/(j+1). */
function powerSumCoefs(p: number): Rat[] {
  // Stirling numbers of the second kind S(p, j).
  let row: bigint[] = [1n];
  for (let n = 1; n <= p; n++) {
    const next: bigint[] = new Array<bigint>(n + 1).fill(0n);
    for (let j = 1; j <= n; j++) next[j] = BigInt(j) * (row[j] ?? 0n) + (row[j - 1] ?? 0n);
    row = next;
  }
  const out: Rat[] = new Array<Rat>(p + 2).fill(ZERO);
  let falling: bigint[] = [1n]; // T^(0 falling) = 1, coefficients ascending
  for (let j = 0; j <= p; j++) {
    // falling <- falling * (T - j): now T^(j+1 falling)
    const next: bigint[] = new Array<bigint>(falling.length + 1).fill(0n);
    falling.forEach((c, i) => {
      next[i + 1]! += c;
      next[i]! -= BigInt(j) * c;
    });
    falling = next;
    const s = row[j] ?? 0n;
    if (s !== 0n) falling.forEach((c, i) => (out[i] = ratAdd(out[i]!, rat(s * c, BigInt(j + 1)))));
  }
  return out;
}

/** sum_{k=0}^{T-1} p, where `k` is the atom with key `index`; null if `k`
 * occurs inside a `ceil` (no polynomial sum). T may be any polynomial. */
export function polySumOver(p: Poly, index: string, T: Poly): Poly | null {
  const isIndex = (a: Atom): boolean => atomKey(a) === index;
  const powers: Poly[] = [polyInt(1)];
  const powerOf = (e: number): Poly => {
    while (powers.length <= e) powers.push(polyMul(powers[powers.length - 1]!, T));
    return powers[e]!;
  };
  let out = POLY_ZERO;
  for (const t of p.terms) {
    let e = 0;
    const rest: Factor[] = [];
    for (const f of t.factors) {
      if (isIndex(f.atom)) e = f.pow;
      else if (f.atom.kind === "ceil" && polyMentions(f.atom.arg, isIndex)) return null;
      else rest.push(f);
    }
    let sum = POLY_ZERO;
    powerSumCoefs(e).forEach((c, i) => (sum = polyAdd(sum, polyScale(powerOf(i), c))));
    out = polyAdd(out, polyMul({ terms: [{ coef: t.coef, factors: rest }] }, sum));
  }
  return out;
}

/** `p` split into the terms that contain an accumulator atom and the rest. */
export function splitAccumulators(p: Poly): { acc: Poly; rest: Poly } {
  const acc = p.terms.filter((t) => t.factors.some((f) => isAccumulator(f.atom)));
  const rest = p.terms.filter((t) => !t.factors.some((f) => isAccumulator(f.atom)));
  return { acc: { terms: acc }, rest: { terms: rest } };
}

// ---------------------------------------------------------------- printing

function degreeOf(t: Term): number {
  return t.factors.reduce((s, f) => s + f.pow, 0);
}

/** `3*n*m + 1/2*n^2 - n + 4`: terms by descending degree, then by key. */
export function formatPoly(p: Poly): string {
  if (!p.terms.length) return "0";
  const terms = [...p.terms].sort((a, b) => degreeOf(b) - degreeOf(a) || (monoKey(a.factors) < monoKey(b.factors) ? -1 : 1));
  let out = "";
  terms.forEach((t, i) => {
    const neg = t.coef.n < 0n;
    const mag = neg ? rat(-t.coef.n, t.coef.d) : t.coef;
    const mono = monoKey(t.factors);
    const body = !mono ? formatRat(mag) : ratEq(mag, ONE) ? mono : `${formatRat(mag)}*${mono}`;
    out += i === 0 ? (neg ? `-${body}` : body) : neg ? ` - ${body}` : ` + ${body}`;
  });
  return out;
}
