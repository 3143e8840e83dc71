// T3: logistic regression loss, the mean over rows of softplus(z_i) - y_i z_i
// with z = X w (X row-major, rows = y.length, cols = w.length), TASKS.md.
// Written in deriv's TypeScript subset; the bench reads this file as text.
// The `.mts` extension keeps it out of the build (tsconfig includes `*.ts`);
// test/backend/bench-tasks.test.ts typechecks it.

function logistic(X: Float64Array, y: Float64Array, w: Float64Array): number {
  const m = y.length;
  const n = w.length;
  let total = 0;
  for (let i = 0; i < m; i++) {
    let z = 0;
    for (let j = 0; j < n; j++) {
      z += X[i * n + j] * w[j];
    }
    const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    total += softplus - y[i] * z;
  }
  return total / m;
}
