// RUN: interval-range{fn=guarded}
// A known false positive: branches do not narrow the values they test, so the guarded log and division are still reported.
function guarded(x: number): number {
  if (x > 0) {
    return Math.log(x) / x;
  }
  return 0;
}
