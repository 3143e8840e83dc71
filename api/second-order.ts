// Second-order conveniences by forward over reverse: `hvp` (one
// Hessian-vector product next to the gradient) and the dense `hessian`
// (k Hessian columns per sweep, k = the forward chunk size).

import { compile, type Callable } from "../backend/index.js";
import { DerivError, runtimeError } from "../ir/errors.js";
import type { Func, Module } from "../ir/types.js";
import { runPipeline } from "../passes/pipeline.js";
import { addJvp } from "../passes/fwd-ad.js";
import { addVjp } from "../passes/rev-ad.js";
import { bindAdExterns } from "./externs.js";
import { chooseChunk, CLEANUP, makeSeeds, readTangents } from "./forward.js";
import { activeArgs, checkArgs, funcOf, resultList, sizeOf, toModule, type ApiOptions } from "./source.js";

/** `f.vjp.jvp` with k directions: (x..., ybar, dx...) -> (y, xbar..., dy, dxbar...). */
export function compileHvp(module: Module, func: Func, wrt: readonly number[], k: number, opts: ApiOptions): Callable {
  const withVjp = runPipeline(addVjp(runPipeline(module, CLEANUP), { fn: func.name, wrt }), CLEANUP);
  const withHvp = runPipeline(addJvp(withVjp, { fn: `${func.name}.vjp`, wrt, dirs: k }), CLEANUP);
  return compile(withHvp, { externs: bindAdExterns(withHvp, opts) })[`${func.name}.vjp.jvp`]!;
}

/** `f.vjp.into.jvp` (one direction): (x..., ybar, g arrays..., v..., hv arrays...) -> (y, g numbers..., dy, hv numbers...),
 * writing the gradient and H·v of array arguments into the given (zeroed) arrays. */
function compileHvpInto(module: Module, func: Func, wrt: readonly number[], opts: ApiOptions): Callable {
  const nParams = func.blocks[0]!.params.length;
  const arrays = wrt.filter((i) => func.values[func.blocks[0]!.params[i]!]!.type !== "f64");
  const shadows = arrays.map((_, k) => nParams + 1 + k);
  const withVjp = runPipeline(addVjp(runPipeline(module, CLEANUP), { fn: func.name, wrt, into: true }), CLEANUP);
  const name = `${func.name}.vjp.into`;
  const withHvp = runPipeline(addJvp(withVjp, { fn: name, wrt: [...wrt, ...shadows] }), CLEANUP);
  const tangentsOfShadows = shadows.map((_, k) => nParams + 1 + arrays.length + wrt.length + k);
  return compile(withHvp, { externs: bindAdExterns(withHvp, opts), inPlace: { [`${name}.jvp`]: [...shadows, ...tangentsOfShadows] } })[`${name}.jvp`]!;
}

function scalarFunction(func: Func, what: string): void {
  if (func.results.length !== 1 || func.results[0] !== "f64") {
    throw new DerivError("pipeline", [{ code: "E_PIPELINE_PASS_FAILED", message: `${what}: @${func.name} must return one number (it returns ${func.results.join(", ") || "nothing"})` }]);
  }
}

/** Splits the results of `f.vjp.jvp` (one direction): value, gradient entries, hvp entries. */
function splitHvp(func: Func, wrt: readonly number[], out: unknown, k: number): { value: number; gradient: unknown[]; tangents: unknown[] } {
  const all = resultList(func, out, 2 * wrt.length + k);
  const gradient = all.slice(1, 1 + wrt.length);
  // After the gradient: k tangents of y, then the tangents of each gradient entry.
  return { value: all[0] as number, gradient, tangents: all.slice(1 + wrt.length + k) };
}

const perArgument = (func: Func, wrt: readonly number[], xs: readonly unknown[]): unknown[] => {
  const out = new Array<unknown>(func.blocks[0]!.params.length).fill(null);
  wrt.forEach((i, q) => (out[i] = xs[q]));
  return out;
};

/** `hvp(src, fn, opts)(args, v)`: value, gradient and H·v (v: one entry per argument). */
export function hvp(src: string | Module, fn: string, opts: ApiOptions = {}) {
  const module = toModule(src);
  const func = funcOf(module, fn);
  scalarFunction(func, "hvp");
  const wrt = activeArgs(func, opts.wrt);
  const callable = compileHvp(module, func, wrt, 1, opts);
  let intoCallable: Callable | undefined; // compiled on first use
  const numbers = wrt.filter((i) => func.values[func.blocks[0]!.params[i]!]!.type === "f64");
  const arrays = wrt.filter((i) => func.values[func.blocks[0]!.params[i]!]!.type !== "f64");
  /** Overwrites the arrays (and number entries) of a previous result's `gradient` and `hvp`. */
  const into = (out: { gradient: unknown[]; hvp: unknown[] }, args: readonly unknown[], v: readonly unknown[]): { value: number; gradient: unknown[]; hvp: unknown[] } => {
    checkArgs(func, args);
    checkArgs(func, v, { args, wrt });
    const outArray = (list: unknown[], what: string, i: number): Float64Array => {
      const a = list[i];
      const n = sizeOf(args[i]);
      if (!(a instanceof Float64Array) || a.length !== n) throw runtimeError("E_RUNTIME_ARGS", `hvp(...).into: ${what}[${i}] must be a Float64Array of length ${n} (the size of argument ${i})`);
      return a.fill(0);
    };
    const gs = arrays.map((i) => outArray(out.gradient, "gradient", i));
    const hs = arrays.map((i) => outArray(out.hvp, "hvp", i));
    intoCallable ??= compileHvpInto(module, func, wrt, opts);
    const all = resultList(func, intoCallable(...args, 1, ...gs, ...wrt.map((i) => v[i]), ...hs), 1 + 2 * numbers.length);
    numbers.forEach((i, k) => {
      out.gradient[i] = all[1 + k];
      out.hvp[i] = all[2 + numbers.length + k];
    });
    return { value: all[0] as number, gradient: out.gradient, hvp: out.hvp };
  };
  return Object.assign(
    (args: readonly unknown[], v: readonly unknown[]): { value: number; gradient: unknown[]; hvp: unknown[] } => {
      checkArgs(func, args);
      checkArgs(func, v, { args, wrt });
      const { value, gradient, tangents } = splitHvp(func, wrt, callable(...args, 1, ...wrt.map((i) => v[i])), 1);
      return { value, gradient: perArgument(func, wrt, gradient), hvp: perArgument(func, wrt, tangents) };
    },
    { into },
  );
}

/** `hessian(src, fn, opts)(...args)`: value, gradient and the dense Hessian over the flattened active inputs. */
export function hessian(src: string | Module, fn: string, opts: ApiOptions & { chunk?: number } = {}) {
  const module = toModule(src);
  const func = funcOf(module, fn);
  scalarFunction(func, "hessian");
  const wrt = activeArgs(func, opts.wrt);
  const cache = new Map<number, Callable>();
  return (...args: unknown[]): { value: number; gradient: unknown[]; hessian: Float64Array[] } => {
    checkArgs(func, args);
    const sizes = wrt.map((i) => sizeOf(args[i]));
    const n = sizes.reduce((a, b) => a + b, 0);
    const k = opts.chunk ?? chooseChunk(n);
    let callable = cache.get(k);
    if (!callable) cache.set(k, (callable = compileHvp(module, func, wrt, k, opts)));
    const rows = Array.from({ length: n }, () => new Float64Array(n));
    let value = NaN;
    let gradient: unknown[] = [];
    for (let start = 0; start < Math.max(n, 1); start += k) {
      const r = splitHvp(func, wrt, callable(...args, 1, ...makeSeeds(args, wrt, sizes, start, k)), k);
      value = r.value;
      gradient = r.gradient;
      readTangents(r.tangents, sizes, wrt.map((i) => typeof args[i] !== "number"), rows, start, k, n);
    }
    return { value, gradient: perArgument(func, wrt, gradient), hessian: rows };
  };
}
