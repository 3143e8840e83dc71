// Loops: while, do/while, for...of with continue, a labelled break out of a
// nested loop, and an early return from inside a loop.
function search(xs: number[], target: number): number {
  let found = -1;
  outer: for (let i = 0; i < xs.length; i++) {
    for (let j = i; j < xs.length; j++) {
      if (xs[i] + xs[j] === target) {
        found = i;
        break outer;
      }
    }
  }
  return found;
}

function loops(n: number, xs: number[]): number {
  let s = 0;
  let k = 0;
  while (k < n) {
    k++;
    if (k > 100) return -1;
  }
  do {
    s = s * 0.5 + k;
    k--;
  } while (k > 0);
  for (const x of xs) {
    if (x < 0) continue;
    s += x;
  }
  return s;
}
