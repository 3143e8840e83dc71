// fuzz: {"fn":"f0","inputs":[[1e-300,["-Infinity"]],[0,[0]]],"seed":750741395}
// A probe of the finite-difference reference (test/support/check.ts smoothProbe)
// that took the other branch called stopGradient more often than the base
// point and got undefined back: a harness bug, fixed there; found by the CI batch.
function f0(x0: number, a: number[]): number {
  if (x0 + x0 < a[0]) {
    let v0 = x0;
  } else {
    let v1 = stopGradient(x0);
  }
  let v2 = x0;
  let v3 = x0;
  return x0;
}
