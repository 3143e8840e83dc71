// The `flops` convenience on TypeScript source: exact counts of a run, the
// closed form of the frontend's loops (for, for...of, nested, triangular),
// whether it applies at the arguments, bounds for a ternary whose arms
// differ, symbolic trip counts for do/while, weights, and argument errors.

import { describe, expect, it } from "vitest";
import { flopFormula, flops } from "../../api/flops.js";
import { DerivError, DerivRuntimeError } from "../../ir/errors.js";

const SRC = `
function rosen(x: number[]): number {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const t = x[i + 1] - x[i] * x[i];
    s += 100 * t * t + (1 - x[i]) * (1 - x[i]);
  }
  return s;
}
function tri(x: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) s += x * j;
  }
  return s;
}
function softplus(xs: number[]): number {
  let s = 0;
  for (const z of xs) s += z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  return s;
}
function halvings(x: number): number {
  let k = 0;
  do { x = x / 2; k++; } while (x > 1);
  return k;
}
function norm(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x * x;
  return Math.sqrt(s);
}
function dist(a: number[], b: number[]): number {
  return norm(a) + norm(b);
}`;

describe("flops(src, fn)(...args)", () => {
  it("counts a run of TS code and gives the closed form of a for loop over x.length - 1", () => {
    const r = flops(SRC, "rosen")([1, 2, 3, 4]);
    // Per iteration: x[i]*x[i], 100*t, *t, (1-x)*(1-x): 4 mul; sub, sub, sub, add, s+=: 5 add.
    expect(r.byClass).toMatchObject({ mul: 12, add: 15, compare: 0 });
    expect(r.total).toBe(27);
    expect(r.formula).toMatchObject({ total: "9*len(x) - 9", assumes: ["len(x) - 1 >= 0"], applies: true });
    expect(r.byBlock["@rosen^body"]).toEqual({ runs: 3, total: 27 });
  });

  it("knows where the formula does not apply (the trip count would be negative)", () => {
    const r = flops(SRC, "rosen")([]);
    expect(r.total).toBe(0);
    expect(r.formula?.applies).toBe(false);
  });

  it("sums a triangular nest into a polynomial that matches the run", () => {
    const f = flopFormula(SRC, "tri");
    expect(f.total).toBe("ceil(n)^2 + 2*ceil(n) + 1");
    for (const n of [0, 1, 2, 5, 9]) expect(flops(SRC, "tri")(0.5, n).total).toBe(n * n + 2 * n + 1);
  });

  it("bounds a ternary whose arms cost differently, and the run lies within", () => {
    const f = flopFormula(SRC, "softplus");
    expect(f.total).toBeNull();
    // Per element: z > 0, s += …, and exp, log1p (+ one add on the positive arm).
    expect(f.bounds.total).toEqual({ lower: "4*len(xs)", upper: "5*len(xs)" });
    const r = flops(SRC, "softplus")([1, -2, 3]);
    expect(r.total).toBe(5 + 4 + 5);
    expect(r.byClass.transcendental).toBe(6);
  });

  it("leaves a do/while trip count symbolic", () => {
    expect(flopFormula(SRC, "halvings").total).toBe("2*trip(@halvings^body) + 2");
    expect(flops(SRC, "halvings")(10).total).toBe(8);
  });

  it("substitutes callees' closed forms at array arguments", () => {
    expect(flopFormula(SRC, "dist").total).toBe("2*len(a) + 2*len(b) + 3");
    expect(flops(SRC, "dist")([1, 2], [3, 4, 5]).total).toBe(13);
  });

  it("applies weights and rejects bad ones and bad arguments", () => {
    expect(flops(SRC, "norm", { weights: { sqrt: 10 } })([3, 4]).total).toBe(14);
    expect(flopFormula(SRC, "norm", { weights: { sqrt: 10, memory: 1 } }).total).toBe("3*len(xs) + 10");
    expect(() => flops(SRC, "norm", { weights: { sqrt: -1 } })).toThrow(DerivError);
    expect(() => flops(SRC, "nope")).toThrow(/no function @nope/);
    expect(() => flops(SRC, "norm")()).toThrow(DerivRuntimeError);
  });
});
