// Helpers of the sparsity tests: patterns as per-row column lists, the
// nonzeros of a dense matrix, and inclusion checks with readable failures.

import { expect } from "vitest";

/** Per-row sorted columns of `[row, col]` pairs. */
export function rowsOf(p: { readonly rows: number; readonly pattern: readonly (readonly [number, number])[] }): number[][] {
  const out: number[][] = Array.from({ length: p.rows }, () => []);
  for (const [i, j] of p.pattern) out[i]!.push(j);
  return out;
}

/** Per-row columns of the nonzero entries of a dense matrix. */
export function nonzeroRows(dense: readonly ArrayLike<number>[]): number[][] {
  return dense.map((row) => Array.from(row).flatMap((v, j) => (v !== 0 ? [j] : [])));
}

/** Entries of `inner` missing from `outer`, as "(i, j)" strings. */
export function missing(inner: readonly (readonly number[])[], outer: readonly (readonly number[])[]): string[] {
  return inner.flatMap((row, i) => row.filter((j) => !(outer[i] ?? []).includes(j)).map((j) => `(${i}, ${j})`));
}

/** Expects every entry of `inner` in `outer`. */
export function expectWithin(inner: readonly (readonly number[])[], outer: readonly (readonly number[])[], label: string): void {
  expect(missing(inner, outer), label).toEqual([]);
}
