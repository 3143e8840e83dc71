// T4: the tridiagonal residual F_i = x_{i-1} - 2 x_i + x_{i+1} + 0.1 x_i^2 -
// sin(x_i) with zero boundary values, TASKS.md. Written in deriv's TypeScript
// subset; the bench reads this file as text.
// The `.mts` extension keeps it out of the build (tsconfig includes `*.ts`);
// test/backend/bench-tasks.test.ts typechecks it.

function tridiagonal(x: Float64Array): Float64Array {
  const n = x.length;
  const F = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const left = i > 0 ? x[i - 1] : 0;
    const right = i < n - 1 ? x[i + 1] : 0;
    F[i] = left - 2 * x[i] + right + 0.1 * x[i] * x[i] - Math.sin(x[i]);
  }
  return F;
}
