// T1 (and T5's primal): the Rosenbrock function, TASKS.md. Written in deriv's
// TypeScript subset; the bench reads this file as text and compiles it with
// parseTS. The `.mts` extension keeps it out of the build (tsconfig includes
// `*.ts`); test/backend/bench-tasks.test.ts typechecks it.

function rosenbrock(x: Float64Array): number {
  let f = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    f += 100 * a * a + b * b;
  }
  return f;
}
