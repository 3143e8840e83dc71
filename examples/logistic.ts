// Logistic regression loss (bench task T3): the mean over rows i of
// softplus(z_i) - y_i z_i with z = X w, X row-major with y.length rows and
// w.length columns, labels y_i in {0, 1}. The softplus branch keeps exp from
// overflowing; its gradient wrt w is X^T (sigmoid(z) - y) / rows.
function logisticLoss(X: number[], y: number[], w: number[]): number {
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
