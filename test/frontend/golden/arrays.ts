// Arrays: creation, element compound assignment, slice, length, an index
// computed in f64 (checked conversion) and a written parameter (copied on entry).
function scaleInPlace(a: number[], k: number): number[] {
  for (let i = 0; i < a.length; i++) a[i] *= k;
  return a;
}

function build(n: number): Float64Array {
  const a = new Array(n).fill(0.5);
  const b = new Float64Array(n);
  const c = [1, 2, n];
  b[n / 2] = c[2] + a.length;
  const d = b.slice();
  d[0]++;
  return d;
}
