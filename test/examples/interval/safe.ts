// RUN: interval-range{fn=safe}
// Safe code stays quiet for every input: 1 + x*x >= 1, exp > 0, 2 + sin x in [1, 3], cosh >= 1, 1 + |y| >= 1.
function safe(x: number, y: number): number {
  const a = Math.log(1 + x * x) + Math.log(Math.exp(x));
  const b = y / (2 + Math.sin(x)) + x / Math.cosh(y);
  return a + b / (1 + Math.abs(y));
}
