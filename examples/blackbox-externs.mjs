// Bindings for examples/blackbox.ts, loaded by `deriv ... --externs`: each
// exported function implements the `declare function` of the same name, and
// `rules` registers its derivative rules (passes/rules/custom.ts: a JVP rule
// returns [results..., tangents...], a VJP rule [results..., cotangents...]).

/** softplus(x) = log(1 + e^x), without overflow for large x. */
export function softplus(x) {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** softplus'(x) = the logistic sigmoid. */
function sigmoid(x) {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export const rules = {
  softplus: {
    jvp: ([x], [dx]) => [softplus(x), sigmoid(x) * dx],
    vjp: ([x], [dy]) => [softplus(x), sigmoid(x) * dy],
  },
};
