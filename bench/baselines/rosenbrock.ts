// Hand-written JavaScript for T1 and T5 (TASKS.md): the Rosenbrock primal,
// its gradient, and the Hessian-vector product. These are the references that
// deriv's compiled primal and derivatives are timed against and checked with.

/** f(x) = sum_{i<n-1} 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2. */
export function rosenbrock(x: Float64Array): number {
  let f = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    f += 100 * a * a + b * b;
  }
  return f;
}

/** The value and gradient of `rosenbrock`; the gradient goes into `g` (length
 * n). Each g[i] is written once: the term 200 a_{i-1} that the previous
 * summand contributes is carried along. */
export function rosenbrockGradient(x: Float64Array, g: Float64Array): number {
  const n = x.length;
  let f = 0;
  let carry = 0;
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i];
    const a = x[i + 1] - xi * xi;
    const b = 1 - xi;
    f += 100 * a * a + b * b;
    g[i] = carry - 400 * a * xi - 2 * b;
    carry = 200 * a;
  }
  if (n > 0) g[n - 1] = carry;
  return f;
}

/** The value, gradient (into `g`) and Hessian-vector product H(x) v (into
 * `hv`), by differentiating the gradient loop along v (carries as above). */
export function rosenbrockHvp(x: Float64Array, v: Float64Array, g: Float64Array, hv: Float64Array): number {
  const n = x.length;
  let f = 0;
  let carry = 0;
  let dcarry = 0;
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i];
    const vi = v[i];
    const a = x[i + 1] - xi * xi;
    const da = v[i + 1] - 2 * xi * vi;
    const b = 1 - xi;
    f += 100 * a * a + b * b;
    g[i] = carry - 400 * a * xi - 2 * b;
    hv[i] = dcarry - 400 * (da * xi + a * vi) + 2 * vi;
    carry = 200 * a;
    dcarry = 200 * da;
  }
  if (n > 0) {
    g[n - 1] = carry;
    hv[n - 1] = dcarry;
  }
  return f;
}
