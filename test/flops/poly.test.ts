// The exact arithmetic under the closed forms: rationals from doubles, ceil
// canonicalisation (integer parts move out), sums over an index against brute
// force, substitution and evaluation, and the printed form.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Atom, Poly } from "../../passes/flops-poly.js";
import {
  atomKey,
  ceilOf,
  formatPoly,
  polyAdd,
  polyAtom,
  polyConst,
  polyEq,
  polyEval,
  polyInt,
  polyMap,
  polyMul,
  polyScale,
  polySumOver,
  rat,
  ratCeil,
  ratFromNumber,
  ratToNumber,
} from "../../passes/flops-poly.js";

const n: Atom = { kind: "param", name: "n", integer: false };
const m: Atom = { kind: "param", name: "m", integer: false };
const len: Atom = { kind: "len", name: "xs" };
const k: Atom = { kind: "iter", loop: "@f#1" };
const N = polyAtom(n);
const K = polyAtom(k);
const L = polyAtom(len);
const at = (values: Record<string, number>) => (a: Atom) => (atomKey(a) in values ? ratFromNumber(values[atomKey(a)]!) : undefined);
const value = (p: Poly, values: Record<string, number>): number => ratToNumber(polyEval(p, at(values))!);

describe("rationals", () => {
  it("convert every finite double exactly and refuse the others", () => {
    expect(ratFromNumber(0.1)).toEqual({ n: 3602879701896397n, d: 36028797018963968n });
    expect(ratFromNumber(-2.5)).toEqual({ n: -5n, d: 2n });
    expect(ratFromNumber(NaN)).toBeUndefined();
    expect(ratFromNumber(-Infinity)).toBeUndefined();
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 40 }), (i, j) => {
        const x = i / 2 ** j;
        const r = ratFromNumber(x)!;
        expect(r.d & (r.d - 1n)).toBe(0n); // a power of two
        expect(ratToNumber(r)).toBe(x + 0);
      }),
    );
  });

  it("round up exactly", () => {
    expect(ratCeil(rat(-3n, 2n))).toBe(-1n);
    expect(ratCeil(rat(3n, 2n))).toBe(2n);
    expect(ratCeil(rat(4n))).toBe(4n);
  });
});

describe("ceil", () => {
  it("moves integer-valued parts outside and keeps the real remainder inside", () => {
    expect(formatPoly(ceilOf(polyAdd(polyAdd(N, K), polyConst(rat(-3n, 2n)))))).toBe("ceil(n + 1/2) + k(@f#1) - 2");
    expect(formatPoly(ceilOf(polyAdd(L, polyInt(-1))))).toBe("len(xs) - 1");
    expect(formatPoly(ceilOf(polyScale(L, rat(3n, 2n))))).toBe("ceil(1/2*len(xs)) + len(xs)");
    expect(formatPoly(ceilOf(polyConst(rat(7n, 3n))))).toBe("3");
  });

  it("equals Math.ceil of the argument", () => {
    fc.assert(
      fc.property(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: -40, max: 40 }), fc.integer({ min: 0, max: 20 }), (a, d, x, len) => {
        const arg = polyAdd(polyScale(polyAdd(N, L), rat(BigInt(a), BigInt(d))), polyConst(rat(BigInt(a), 3n)));
        const env = { n: x / 4, "len(xs)": len };
        // a(x/4 + len)/d + a/3 = (3a(x + 4 len) + 4ad) / 12d, exactly, in small integers.
        expect(value(ceilOf(arg), env)).toBe(Math.ceil((3 * a * (x + 4 * len) + 4 * a * d) / (12 * d)) + 0);
      }),
    );
  });
});

describe("sums over an index", () => {
  it("match brute force for polynomials in k of degree up to 5", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 12 }), (coefs, T) => {
        let p = polyInt(0);
        coefs.forEach((c, e) => {
          let term = polyMul(polyInt(c), N);
          for (let i = 0; i < e; i++) term = polyMul(term, K);
          p = polyAdd(p, term);
        });
        const sum = polySumOver(p, atomKey(k), polyInt(T))!;
        let brute = 0;
        for (let kk = 0; kk < T; kk++) brute += coefs.reduce((s, c, e) => s + c * 3 * kk ** e, 0);
        expect(value(sum, { n: 3 })).toBe(brute);
      }),
    );
  });

  it("give the triangular number for sum_{k<n} k, and refuse k inside a ceil", () => {
    expect(formatPoly(polySumOver(K, atomKey(k), N)!)).toBe("1/2*n^2 - 1/2*n");
    expect(polySumOver(ceilOf(polyScale(K, rat(1n, 2n))), atomKey(k), N)).toBeNull();
  });
});

describe("polynomials", () => {
  it("substitute atoms, inside ceils too, and signal what cannot be expressed", () => {
    const p = polyAdd(polyMul(N, ceilOf(polyAdd(N, polyConst(rat(1n, 2n))))), polyAtom(m));
    const q = polyMap(p, (a) => (a.kind === "param" && a.name === "n" ? polyAdd(K, polyInt(2)) : undefined))!;
    expect(formatPoly(q)).toBe("k(@f#1)^2 + 5*k(@f#1) + m + 6");
    expect(polyMap(p, (a) => (a.kind === "param" && a.name === "m" ? null : undefined))).toBeNull();
    expect(polyMap(p, () => undefined)).toBe(p);
  });

  it("are canonical, so equality is structural", () => {
    expect(polyEq(polyAdd(N, polyAtom(m)), polyAdd(polyAtom(m), N))).toBe(true);
    expect(polyEq(polyMul(polyAdd(N, polyInt(1)), polyAdd(N, polyInt(-1))), polyAdd(polyMul(N, N), polyInt(-1)))).toBe(true);
    expect(polyEq(N, polyScale(N, rat(2n)))).toBe(false);
  });

  it("print by descending degree with signs folded in", () => {
    expect(formatPoly(polyAdd(polyScale(polyMul(N, polyAtom(m)), rat(3n)), polyAdd(polyScale(N, rat(-1n)), polyInt(4))))).toBe("3*m*n - n + 4");
    expect(formatPoly(polyInt(0))).toBe("0");
    expect(formatPoly(polyAtom({ kind: "trip", loop: '@"f.vjp"^loop' }))).toBe('trip(@"f.vjp"^loop)');
    expect(formatPoly(polyAtom({ kind: "cost", callee: "g", quantity: "mul" }))).toBe("mul(@g)");
    expect(formatPoly(polyAtom({ kind: "param", name: "0", integer: false }))).toBe("%0");
  });
});
