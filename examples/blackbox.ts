// A black box inside a model: `softplus` is declared, not defined, so deriv
// cannot see its body (think of a library routine or a WebAssembly kernel).
// Its primal and its derivative rule come from blackbox-externs.mjs
// (`--externs` on the command line, `externs` + `registerRule` in the API);
// with the rule registered, no finite differences are needed.
declare function softplus(x: number): number;

// Smooth hinge loss of the margins m_i = w_i * s_i: sum of softplus(1 - m_i).
function smoothHinge(w: number[], s: number[]): number {
  let total = 0;
  for (let i = 0; i < w.length; i++) {
    total += softplus(1 - w[i] * s[i]);
  }
  return total;
}
