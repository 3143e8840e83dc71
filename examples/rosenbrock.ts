// The Rosenbrock function (bench task T1): deriv differentiates it in reverse
// mode with the loop kept as a loop.
function rosenbrock(x: number[]): number {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const t = x[i + 1] - x[i] * x[i];
    const u = 1 - x[i];
    s += 100 * t * t + u * u;
  }
  return s;
}
