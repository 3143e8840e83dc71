// fuzz: {"fn":"f0","inputs":[[0,[0]]],"seed":0}
// min(x0, x0, stopGradient(x0)) ties at every point: slope 1 on one side and
// 0 on the other (the stopped copy is frozen), so central differences give
// 1/2 (converged, ± 2e-13) while fwd-ad's tie convention gives 1. A harness
// bug: a point where one-sided differences disagree is a kink inside an op,
// now skipped by the finite-difference check (test/fuzz/ad.ts atKink).
// Found by `npm run fuzz -- --runs 180000 --seed 31` (ts chunk 63, seed 94, case 644).
function f0(x0: number, a: number[]): number {
  if (!(a.length < x0)) return Math.min(x0, x0, stopGradient(x0));
  let v0 = x0;
  let v1 = x0;
  return x0;
}
