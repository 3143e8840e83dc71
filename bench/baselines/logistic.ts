// Hand-written JavaScript for T3 (TASKS.md): the logistic-regression loss and
// its gradient with respect to the weights w.

/** Mean over rows i of softplus(z_i) - y_i z_i, z = X w (X row-major, m x n). */
export function logistic(X: Float64Array, y: Float64Array, w: Float64Array): number {
  const m = y.length;
  const n = w.length;
  let total = 0;
  for (let i = 0; i < m; i++) {
    let z = 0;
    for (let j = 0; j < n; j++) z += X[i * n + j] * w[j];
    const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    total += softplus - y[i] * z;
  }
  return total / m;
}

/** The loss and its gradient with respect to w (into `g`, length n). */
export function logisticGradient(X: Float64Array, y: Float64Array, w: Float64Array, g: Float64Array): number {
  const m = y.length;
  const n = w.length;
  g.fill(0);
  let total = 0;
  for (let i = 0; i < m; i++) {
    let z = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) z += X[row + j] * w[j];
    let softplus: number;
    let sigmoid: number;
    if (z > 0) {
      const e = Math.exp(-z);
      softplus = z + Math.log1p(e);
      sigmoid = 1 / (1 + e);
    } else {
      const e = Math.exp(z);
      softplus = Math.log1p(e);
      sigmoid = e / (1 + e);
    }
    total += softplus - y[i] * z;
    const dz = (sigmoid - y[i]) / m;
    for (let j = 0; j < n; j++) g[j] += dz * X[row + j];
  }
  return total / m;
}
