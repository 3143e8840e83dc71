// The model of the interval-range example pass (docs/writing-a-pass.md). For
// x in [0, 1] and y in [-1, 1] the pass proves the first two lines safe and
// flags the last two: x - 0.5 may be negative, and x - y may be zero.
function f(x: number, y: number): number {
  const smooth = Math.log(1 + x * x);
  const scaled = y / (2 + Math.sin(x));
  const risky = Math.log(x - 0.5);
  return (smooth + scaled * risky) / (x - y);
}

// A loop: the counter's range widens to [0, inf] so the analysis
// terminates, and 1 / (i + 1) is still proven safe.
function harmonic(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += 1 / (i + 1);
  }
  return Math.log(s);
}
