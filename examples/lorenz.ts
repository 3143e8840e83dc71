// The Lorenz system integrated by classical RK4 (bench task T2 with a step
// count argument): from (x0, y0, z0) with parameters (sigma, rho, beta), take
// `steps` steps of 0.001 and return x + y + z at the end. Reverse mode keeps
// the time loop as a loop and records only what the adjoint needs.
function lorenz(x0: number, y0: number, z0: number, sigma: number, rho: number, beta: number, steps: number): number {
  const dt = 0.001;
  let x = x0;
  let y = y0;
  let z = z0;
  for (let step = 0; step < steps; step++) {
    const k1x = sigma * (y - x);
    const k1y = x * (rho - z) - y;
    const k1z = x * y - beta * z;
    const x2 = x + 0.5 * dt * k1x;
    const y2 = y + 0.5 * dt * k1y;
    const z2 = z + 0.5 * dt * k1z;
    const k2x = sigma * (y2 - x2);
    const k2y = x2 * (rho - z2) - y2;
    const k2z = x2 * y2 - beta * z2;
    const x3 = x + 0.5 * dt * k2x;
    const y3 = y + 0.5 * dt * k2y;
    const z3 = z + 0.5 * dt * k2z;
    const k3x = sigma * (y3 - x3);
    const k3y = x3 * (rho - z3) - y3;
    const k3z = x3 * y3 - beta * z3;
    const x4 = x + dt * k3x;
    const y4 = y + dt * k3y;
    const z4 = z + dt * k3z;
    const k4x = sigma * (y4 - x4);
    const k4y = x4 * (rho - z4) - y4;
    const k4z = x4 * y4 - beta * z4;
    x = x + (dt / 6) * (k1x + 2 * k2x + 2 * k3x + k4x);
    y = y + (dt / 6) * (k1y + 2 * k2y + 2 * k3y + k4y);
    z = z + (dt / 6) * (k1z + 2 * k2z + 2 * k3z + k4z);
  }
  return x + y + z;
}
