// RUN: interval-range{fn=loops ranges=n:0:100}
// Nested loops and a doubling while loop: widening sends the growing bounds to inf so the analysis stops; 1 / (j + 1) stays safe.
function loops(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      s += 1 / (j + 1);
    }
  }
  let p = 1;
  while (p < n) {
    p = p * 2;
  }
  return Math.log(s) + Math.log10(p - 1);
}
