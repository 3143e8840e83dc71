// Branches: if/else, short-circuit conditions, a cheap ternary (select), a
// ternary with a call (control flow) and a boolean value.
function clamp(x: number, lo: number, hi: number): number {
  if (x < lo) return lo;
  else if (x > hi) return hi;
  return x;
}

function pick(x: number, y: number): number {
  const both = x > 0 && y > 0;
  let r = x > y ? x : y;
  if (both || x === 0) r = r + 1;
  const s = x > 0 ? Math.sqrt(x) : 0;
  return r + s;
}
