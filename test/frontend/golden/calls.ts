// Calls: tuple results and destructuring, recursion, an extern and stopGradient.
declare function g(x: number): number;

function divmod(a: number, b: number): [number, number] {
  const q = Math.floor(a / b);
  return [q, a - q * b];
}

function fact(n: number): number {
  return n <= 1 ? 1 : n * fact(n - 1);
}

function main(x: number, y: number): number {
  const [q, r] = divmod(x, y);
  return fact(q) + g(r) * stopGradient(x);
}
