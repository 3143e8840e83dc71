// `jacobian(src, fn, { mode })`: the dense Jacobian by forward sweeps
// (k directions each) or by reverse sweeps (one per output entry).

import type { Module } from "../ir/types.js";
import { forwardJacobian } from "./forward.js";
import { reverseJacobian } from "./reverse.js";
import type { ApiOptions } from "./source.js";

/** Options of `jacobian`: the mode (default forward) and the forward chunk size. */
export interface JacobianOptions extends ApiOptions {
  readonly mode?: "forward" | "reverse";
  readonly chunk?: number;
}

/** rows = differentiable outputs flattened, cols = active inputs flattened. */
export function jacobian(src: string | Module, fn: string, opts: JacobianOptions = {}) {
  return opts.mode === "reverse" ? reverseJacobian(src, fn, opts) : forwardJacobian(src, fn, opts);
}
