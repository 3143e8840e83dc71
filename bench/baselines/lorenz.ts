// Hand-written JavaScript for T2 (TASKS.md): the Lorenz system by RK4 and the
// gradient of x_T + y_T + z_T with respect to the initial state and the three
// parameters, by the discrete adjoint of RK4 (states stored forward, stages
// recomputed backward).

const DT = 0.001;
const STEPS = 5000;

/** The task's step size and step count (for peers that rebuild the loop). */
export const LORENZ_DT = DT;
export const LORENZ_STEPS = STEPS;

/** The loss x_T + y_T + z_T after `STEPS` RK4 steps of size `DT`. */
export function lorenz(x0: number, y0: number, z0: number, sigma: number, rho: number, beta: number): number {
  let x = x0;
  let y = y0;
  let z = z0;
  for (let s = 0; s < STEPS; s++) {
    const k1x = sigma * (y - x);
    const k1y = x * (rho - z) - y;
    const k1z = x * y - beta * z;
    const x2 = x + 0.5 * DT * k1x;
    const y2 = y + 0.5 * DT * k1y;
    const z2 = z + 0.5 * DT * k1z;
    const k2x = sigma * (y2 - x2);
    const k2y = x2 * (rho - z2) - y2;
    const k2z = x2 * y2 - beta * z2;
    const x3 = x + 0.5 * DT * k2x;
    const y3 = y + 0.5 * DT * k2y;
    const z3 = z + 0.5 * DT * k2z;
    const k3x = sigma * (y3 - x3);
    const k3y = x3 * (rho - z3) - y3;
    const k3z = x3 * y3 - beta * z3;
    const x4 = x + DT * k3x;
    const y4 = y + DT * k3y;
    const z4 = z + DT * k3z;
    const k4x = sigma * (y4 - x4);
    const k4y = x4 * (rho - z4) - y4;
    const k4z = x4 * y4 - beta * z4;
    x = x + (DT / 6) * (k1x + 2 * k2x + 2 * k3x + k4x);
    y = y + (DT / 6) * (k1y + 2 * k2y + 2 * k3y + k4y);
    z = z + (DT / 6) * (k1z + 2 * k2z + 2 * k3z + k4z);
  }
  return x + y + z;
}

/** The loss and its gradient with respect to (x0, y0, z0, sigma, rho, beta),
 * written into `grad` (length 6). `tape` holds 3 (steps + 1) states; fewer
 * `steps` than the task's serve peers measured on a shortened problem. */
export function lorenzGradient(p: Float64Array, grad: Float64Array, tape: Float64Array, steps = STEPS): number {
  const sigma = p[3];
  const rho = p[4];
  const beta = p[5];
  let x = p[0];
  let y = p[1];
  let z = p[2];
  for (let s = 0; s < steps; s++) {
    tape[3 * s] = x;
    tape[3 * s + 1] = y;
    tape[3 * s + 2] = z;
    const k1x = sigma * (y - x);
    const k1y = x * (rho - z) - y;
    const k1z = x * y - beta * z;
    const x2 = x + 0.5 * DT * k1x;
    const y2 = y + 0.5 * DT * k1y;
    const z2 = z + 0.5 * DT * k1z;
    const k2x = sigma * (y2 - x2);
    const k2y = x2 * (rho - z2) - y2;
    const k2z = x2 * y2 - beta * z2;
    const x3 = x + 0.5 * DT * k2x;
    const y3 = y + 0.5 * DT * k2y;
    const z3 = z + 0.5 * DT * k2z;
    const k3x = sigma * (y3 - x3);
    const k3y = x3 * (rho - z3) - y3;
    const k3z = x3 * y3 - beta * z3;
    const x4 = x + DT * k3x;
    const y4 = y + DT * k3y;
    const z4 = z + DT * k3z;
    const k4x = sigma * (y4 - x4);
    const k4y = x4 * (rho - z4) - y4;
    const k4z = x4 * y4 - beta * z4;
    x = x + (DT / 6) * (k1x + 2 * k2x + 2 * k3x + k4x);
    y = y + (DT / 6) * (k1y + 2 * k2y + 2 * k3y + k4y);
    z = z + (DT / 6) * (k1z + 2 * k2z + 2 * k3z + k4z);
  }
  const loss = x + y + z;
  // Adjoints of the state and of the parameters.
  let bx = 1;
  let by = 1;
  let bz = 1;
  let bsigma = 0;
  let brho = 0;
  let bbeta = 0;
  for (let s = steps - 1; s >= 0; s--) {
    x = tape[3 * s];
    y = tape[3 * s + 1];
    z = tape[3 * s + 2];
    // Recompute the stage inputs.
    const k1x = sigma * (y - x);
    const k1y = x * (rho - z) - y;
    const k1z = x * y - beta * z;
    const x2 = x + 0.5 * DT * k1x;
    const y2 = y + 0.5 * DT * k1y;
    const z2 = z + 0.5 * DT * k1z;
    const k2x = sigma * (y2 - x2);
    const k2y = x2 * (rho - z2) - y2;
    const k2z = x2 * y2 - beta * z2;
    const x3 = x + 0.5 * DT * k2x;
    const y3 = y + 0.5 * DT * k2y;
    const z3 = z + 0.5 * DT * k2z;
    const k3x = sigma * (y3 - x3);
    const k3y = x3 * (rho - z3) - y3;
    const k3z = x3 * y3 - beta * z3;
    const x4 = x + DT * k3x;
    const y4 = y + DT * k3y;
    const z4 = z + DT * k3z;
    // s' = s + DT/6 (k1 + 2 k2 + 2 k3 + k4): adjoints of the stages.
    let b1x = (DT / 6) * bx, b1y = (DT / 6) * by, b1z = (DT / 6) * bz;
    let b2x = (DT / 3) * bx, b2y = (DT / 3) * by, b2z = (DT / 3) * bz;
    let b3x = b2x, b3y = b2y, b3z = b2z;
    const b4x = b1x, b4y = b1y, b4z = b1z;
    // k4 = f(s4), s4 = s + DT k3.
    let sx = -sigma * b4x + (rho - z4) * b4y + y4 * b4z;
    let sy = sigma * b4x - b4y + x4 * b4z;
    let sz = -x4 * b4y - beta * b4z;
    bsigma += (y4 - x4) * b4x;
    brho += x4 * b4y;
    bbeta -= z4 * b4z;
    bx += sx;
    by += sy;
    bz += sz;
    b3x += DT * sx;
    b3y += DT * sy;
    b3z += DT * sz;
    // k3 = f(s3), s3 = s + DT/2 k2.
    sx = -sigma * b3x + (rho - z3) * b3y + y3 * b3z;
    sy = sigma * b3x - b3y + x3 * b3z;
    sz = -x3 * b3y - beta * b3z;
    bsigma += (y3 - x3) * b3x;
    brho += x3 * b3y;
    bbeta -= z3 * b3z;
    bx += sx;
    by += sy;
    bz += sz;
    b2x += 0.5 * DT * sx;
    b2y += 0.5 * DT * sy;
    b2z += 0.5 * DT * sz;
    // k2 = f(s2), s2 = s + DT/2 k1.
    sx = -sigma * b2x + (rho - z2) * b2y + y2 * b2z;
    sy = sigma * b2x - b2y + x2 * b2z;
    sz = -x2 * b2y - beta * b2z;
    bsigma += (y2 - x2) * b2x;
    brho += x2 * b2y;
    bbeta -= z2 * b2z;
    bx += sx;
    by += sy;
    bz += sz;
    b1x += 0.5 * DT * sx;
    b1y += 0.5 * DT * sy;
    b1z += 0.5 * DT * sz;
    // k1 = f(s).
    bx += -sigma * b1x + (rho - z) * b1y + y * b1z;
    by += sigma * b1x - b1y + x * b1z;
    bz += -x * b1y - beta * b1z;
    bsigma += (y - x) * b1x;
    brho += x * b1y;
    bbeta -= z * b1z;
  }
  grad[0] = bx;
  grad[1] = by;
  grad[2] = bz;
  grad[3] = bsigma;
  grad[4] = brho;
  grad[5] = bbeta;
  return loss;
}

/** Length of the tape `lorenzGradient` needs. */
export const LORENZ_TAPE_LENGTH = 3 * (STEPS + 1);

/** One forward sensitivity (dual numbers by hand): d loss along the direction
 * `d` of (x0, y0, z0, sigma, rho, beta). */
export function lorenzJvp(p: Float64Array, d: Float64Array): number {
  let [x, y, z] = [p[0]!, p[1]!, p[2]!];
  const [sigma, rho, beta] = [p[3]!, p[4]!, p[5]!];
  let [dx, dy, dz] = [d[0]!, d[1]!, d[2]!];
  const [ds, dr, db] = [d[3]!, d[4]!, d[5]!];
  // f(x, y, z) and its directional derivative.
  const fx = (a: number, b: number): number => sigma * (b - a);
  const fy = (a: number, c: number, b: number): number => a * (rho - c) - b;
  const fz = (a: number, b: number, c: number): number => a * b - beta * c;
  const gx = (a: number, b: number, da: number, dbb: number): number => ds * (b - a) + sigma * (dbb - da);
  const gy = (a: number, c: number, da: number, dbb: number, dc: number): number => da * (rho - c) + a * (dr - dc) - dbb;
  const gz = (a: number, b: number, c: number, da: number, dbb: number, dc: number): number => da * b + a * dbb - db * c - beta * dc;
  for (let s = 0; s < STEPS; s++) {
    const k1x = fx(x, y), k1y = fy(x, z, y), k1z = fz(x, y, z);
    const d1x = gx(x, y, dx, dy), d1y = gy(x, z, dx, dy, dz), d1z = gz(x, y, z, dx, dy, dz);
    const x2 = x + 0.5 * DT * k1x, y2 = y + 0.5 * DT * k1y, z2 = z + 0.5 * DT * k1z;
    const e2x = dx + 0.5 * DT * d1x, e2y = dy + 0.5 * DT * d1y, e2z = dz + 0.5 * DT * d1z;
    const k2x = fx(x2, y2), k2y = fy(x2, z2, y2), k2z = fz(x2, y2, z2);
    const d2x = gx(x2, y2, e2x, e2y), d2y = gy(x2, z2, e2x, e2y, e2z), d2z = gz(x2, y2, z2, e2x, e2y, e2z);
    const x3 = x + 0.5 * DT * k2x, y3 = y + 0.5 * DT * k2y, z3 = z + 0.5 * DT * k2z;
    const e3x = dx + 0.5 * DT * d2x, e3y = dy + 0.5 * DT * d2y, e3z = dz + 0.5 * DT * d2z;
    const k3x = fx(x3, y3), k3y = fy(x3, z3, y3), k3z = fz(x3, y3, z3);
    const d3x = gx(x3, y3, e3x, e3y), d3y = gy(x3, z3, e3x, e3y, e3z), d3z = gz(x3, y3, z3, e3x, e3y, e3z);
    const x4 = x + DT * k3x, y4 = y + DT * k3y, z4 = z + DT * k3z;
    const e4x = dx + DT * d3x, e4y = dy + DT * d3y, e4z = dz + DT * d3z;
    const k4x = fx(x4, y4), k4y = fy(x4, z4, y4), k4z = fz(x4, y4, z4);
    const d4x = gx(x4, y4, e4x, e4y), d4y = gy(x4, z4, e4x, e4y, e4z), d4z = gz(x4, y4, z4, e4x, e4y, e4z);
    x = x + (DT / 6) * (k1x + 2 * k2x + 2 * k3x + k4x);
    y = y + (DT / 6) * (k1y + 2 * k2y + 2 * k3y + k4y);
    z = z + (DT / 6) * (k1z + 2 * k2z + 2 * k3z + k4z);
    dx = dx + (DT / 6) * (d1x + 2 * d2x + 2 * d3x + d4x);
    dy = dy + (DT / 6) * (d1y + 2 * d2y + 2 * d3y + d4y);
    dz = dz + (DT / 6) * (d1z + 2 * d2z + 2 * d3z + d4z);
  }
  return dx + dy + dz;
}
