// fuzz: {"fn":"f0","inputs":[[0,0]],"seed":-450185919}
// (x1 % 0.001) ** 3: the remainder jumps every 0.001, finer than the
// difference steps (2^-5 and down), yet Richardson's tableau looked converged
// (-3.1e-8 ± 1.8e-8 against fwd-ad's exact 4.8e-7). A harness bug: central
// differences are now skipped for f64 `rem` unless its divisor is a constant
// of magnitude ≥ 1 (test/fuzz/ad.ts fdUnreliable).
// Found by `npm run fuzz -- --runs 100000 --seed 31` (ts chunk 10, seed 41, case 697).
function f0(x0: number, x1: number): number {
  let v0 = x0;
  return (x1 % 0.001) ** 3;
}
