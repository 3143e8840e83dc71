// The 2-D Brusselator reaction-diffusion right-hand side, a standard
// sparse-Jacobian test problem: on an n x n periodic grid of spacing 1/n,
//   du/dt = A + u^2 v - (B + 1) u + alpha lap(u)
//   dv/dt = B u - u^2 v + alpha lap(v)
// with A = 1, B = 3.4, alpha = 0.002 n^2 (diffusion 0.002) and the 5-point
// Laplacian. The state is one flat array: u at cell (i, j) is uv[i*n + j],
// v is uv[n*n + i*n + j]. Each row of the Jacobian has 6 nonzeros (the
// stencil of its own species and the other species at the same cell).
function brusselator(uv: number[]): number[] {
  const n = Math.round(Math.sqrt(uv.length / 2));
  const cells = n * n;
  const A = 1;
  const B = 3.4;
  const alpha = 0.002 * cells;
  const F = new Array(2 * cells).fill(0);
  for (let i = 0; i < n; i++) {
    const up = i === 0 ? n - 1 : i - 1;
    const down = i === n - 1 ? 0 : i + 1;
    for (let j = 0; j < n; j++) {
      const left = j === 0 ? n - 1 : j - 1;
      const right = j === n - 1 ? 0 : j + 1;
      const k = i * n + j;
      const u = uv[k];
      const v = uv[cells + k];
      const lapU = uv[up * n + j] + uv[down * n + j] + uv[i * n + left] + uv[i * n + right] - 4 * u;
      const lapV = uv[cells + up * n + j] + uv[cells + down * n + j] + uv[cells + i * n + left] + uv[cells + i * n + right] - 4 * v;
      const uuv = u * u * v;
      F[k] = A + uuv - (B + 1) * u + alpha * lapU;
      F[cells + k] = B * u - uuv + alpha * lapV;
    }
  }
  return F;
}
