// Colourings: validity on random patterns (no two columns of one colour share
// a row; star colourings have no two-coloured path on four vertices), the
// validators themselves, and colour counts on known patterns (3 for a
// tridiagonal Jacobian, the band width for banded ones, 3 for the star
// colouring of a tridiagonal Hessian).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RowPattern } from "../../api/coloring.js";
import { columnColoring, isValidColumnColoring, isValidStarColoring, starColoring, transpose } from "../../api/coloring.js";

/** A pattern from per-row column lists. */
function pattern(rows: readonly (readonly number[])[], cols: number): RowPattern {
  const rowPtr = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (rowPtr[i + 1] = rowPtr[i]! + r.length));
  return { rows: rows.length, cols, rowPtr, colIdx: Int32Array.from(rows.flat()) };
}

const banded = (n: number, lo: number, hi: number): RowPattern =>
  pattern(
    Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => j).filter((j) => j >= i - lo && j <= i + hi)),
    n,
  );

/** A symmetric pattern from random edges (diagonal included). */
function symmetric(n: number, edges: readonly [number, number][]): RowPattern {
  const rows = Array.from({ length: n }, (_, i) => new Set([i]));
  for (const [a, b] of edges) {
    rows[a % n]!.add(b % n);
    rows[b % n]!.add(a % n);
  }
  return pattern(
    rows.map((s) => [...s].sort((x, y) => x - y)),
    n,
  );
}

const arbPattern = fc
  .record({ rows: fc.integer({ min: 0, max: 25 }), cols: fc.integer({ min: 1, max: 25 }), density: fc.double({ min: 0, max: 0.5, noNaN: true }), seed: fc.nat() })
  .map(({ rows, cols, density, seed }) => {
    let s = seed;
    const next = (): number => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    return pattern(
      Array.from({ length: rows }, () => Array.from({ length: cols }, (_, j) => j).filter(() => next() < density)),
      cols,
    );
  });

const arbSymmetric = fc
  .record({ n: fc.integer({ min: 1, max: 25 }), edges: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 60 }) })
  .map(({ n, edges }) => symmetric(n, edges));

describe("column colourings", () => {
  it("are valid on random patterns, in every order", () => {
    fc.assert(
      fc.property(arbPattern, (p) => {
        for (const order of ["largest-first", "smallest-last", "best"] as const) {
          const c = columnColoring(p, order);
          expect(isValidColumnColoring(p, c)).toBe(true);
          expect(c.ofColumn.every((k) => k >= 0 && k < Math.max(1, c.count))).toBe(true);
          const widest = Math.max(0, ...Array.from({ length: p.rows }, (_, r) => p.rowPtr[r + 1]! - p.rowPtr[r]!));
          expect(c.count).toBeGreaterThanOrEqual(widest);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("need 3 colours for a tridiagonal Jacobian and the band width for banded ones", () => {
    for (const n of [3, 10, 1000]) expect(columnColoring(banded(n, 1, 1)).count).toBe(3);
    expect(columnColoring(banded(50, 5, 1)).count).toBe(7);
    expect(columnColoring(banded(50, 0, 0)).count).toBe(1);
    expect(columnColoring(banded(2, 1, 1)).count).toBe(2);
  });

  it("the validator rejects two columns of one colour in a row", () => {
    const p = banded(4, 1, 1);
    expect(isValidColumnColoring(p, { count: 2, ofColumn: Int32Array.of(0, 1, 0, 1) })).toBe(false);
    expect(isValidColumnColoring(p, { count: 3, ofColumn: Int32Array.of(0, 1, 2, 0) })).toBe(true);
  });

  it("transpose lists each column's rows", () => {
    const p = pattern([[0, 2], [1], [0, 1, 2]], 3);
    const t = transpose(p);
    expect(Array.from(t.colPtr)).toEqual([0, 2, 4, 6]);
    expect(Array.from(t.rowIdx)).toEqual([0, 2, 1, 2, 0, 2]);
  });
});

describe("star colourings", () => {
  it("are valid on random symmetric patterns", () => {
    fc.assert(
      fc.property(arbSymmetric, (p) => {
        for (const order of ["largest-first", "smallest-last"] as const) expect(isValidStarColoring(p, starColoring(p, order))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("need 3 colours for a tridiagonal Hessian", () => {
    for (const n of [4, 10, 1000]) expect(starColoring(banded(n, 1, 1)).count).toBe(3);
    // A path on three vertices is itself a star.
    expect(starColoring(banded(3, 1, 1)).count).toBe(2);
    expect(starColoring(banded(1, 0, 0)).count).toBe(1);
  });

  it("the validator rejects a two-coloured path on four vertices", () => {
    const path = banded(4, 1, 1);
    expect(isValidStarColoring(path, { count: 2, ofColumn: Int32Array.of(0, 1, 0, 1) })).toBe(false);
    expect(isValidStarColoring(path, { count: 3, ofColumn: Int32Array.of(0, 1, 2, 0) })).toBe(true);
    expect(isValidStarColoring(path, { count: 3, ofColumn: Int32Array.of(0, 0, 1, 2) })).toBe(false);
  });
});
