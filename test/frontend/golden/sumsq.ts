// Sum of squares: a counted loop over an array (i32 counter, f64 accumulator).
function sumsq(xs: number[]): number {
  let acc = 0;
  for (let i = 0; i < xs.length; i++) {
    acc += xs[i] * xs[i];
  }
  return acc;
}
