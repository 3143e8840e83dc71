// The part of a hand-written reference that a shrunk peer computation
// produces (a subset of gradient entries, of Jacobian columns or rows), so
// its error is measured against exactly what it computed.

/** The entries of `a` at `indices`. */
export function gather(a: Float64Array, indices: Int32Array): Float64Array {
  return Float64Array.from(indices, (i) => a[i]!);
}

/** The columns `columns` of the column-major n x n matrix `a`, concatenated. */
export function gatherColumns(a: Float64Array, n: number, columns: Int32Array): Float64Array {
  const out = new Float64Array(columns.length * n);
  columns.forEach((j, k) => out.set(a.subarray(j * n, (j + 1) * n), k * n));
  return out;
}

/** The rows `rows` of the column-major n x n matrix `a`, concatenated. */
export function gatherRows(a: Float64Array, n: number, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length * n);
  rows.forEach((i, k) => {
    for (let j = 0; j < n; j++) out[k * n + j] = a[j * n + i]!;
  });
  return out;
}
