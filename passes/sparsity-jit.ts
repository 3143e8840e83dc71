// Compiles one block into a JavaScript function for the sparsity analysis,
// so the per-instruction work of the abstract interpreter is straight-line
// code with constant register numbers instead of a dispatch loop (several
// times faster on the T4 residual). Pure ops are inlined from `JS` below: the
// concrete value when no operand is UNKNOWN, the union of the operands' sets
// for `linear`/`nonlinear` rules, the cross products of `pairs` for
// Hessians; i32 and bool results never carry sets. Array reads and writes
// with a known in-bounds index into one plain array are inlined too; every
// other case calls the op's handler from sparsity-ops.ts. A `br`, or a
// `condbr` on a known condition, binds the target's parameters and returns
// the target block; forks, returns and `unreachable` are left to the
// machine (the function returns -1). Generated code writes registers
// through the heap's log exactly as `Heap.write` does (frames are never weak
// or smashed).

import type { OpTable } from "../ir/ops.js";
import type { Terminator, Type, ValueId } from "../ir/types.js";
import { SPARSITY } from "./rules/sparsity.js";
import { UNKNOWN } from "./sparsity-heap.js";
import type { DInst, Machine, OpFrame } from "./sparsity-ops.js";

/** A compiled block: returns the next block, or -1 when the machine must
 * handle the terminator (an unknown condition, `ret`, `unreachable`). */
export type BlockCode = (m: Machine, fr: OpFrame) => number;

/** A jump target with the target's parameters. */
export interface JitEdge {
  readonly block: number;
  readonly args: readonly ValueId[];
  readonly params: readonly ValueId[];
}

/** The JavaScript expression of each pure op over its operands `$0`, `$1`
 * (semantics of ir/eval.ts; test/sparsity checks them against `EVAL`), or
 * null for ops run by their handler. `const` is its literal; `$load` and
 * `$store` are the inlined fast paths of array reads and writes. */
export const JS: OpTable<string | null> = {
  const: "$lit",
  add: "$0 + $1",
  sub: "$0 - $1",
  mul: "$0 * $1",
  div: "$0 / $1",
  rem: "$0 % $1",
  neg: "-$0",
  pow: "Math.pow($0, $1)",
  min: "Math.min($0, $1)",
  max: "Math.max($0, $1)",
  abs: "Math.abs($0)",
  sqrt: "Math.sqrt($0)",
  cbrt: "Math.cbrt($0)",
  exp: "Math.exp($0)",
  expm1: "Math.expm1($0)",
  log: "Math.log($0)",
  log1p: "Math.log1p($0)",
  log2: "Math.log2($0)",
  log10: "Math.log10($0)",
  sin: "Math.sin($0)",
  cos: "Math.cos($0)",
  tan: "Math.tan($0)",
  asin: "Math.asin($0)",
  acos: "Math.acos($0)",
  atan: "Math.atan($0)",
  atan2: "Math.atan2($0, $1)",
  sinh: "Math.sinh($0)",
  cosh: "Math.cosh($0)",
  tanh: "Math.tanh($0)",
  hypot: "Math.hypot($0, $1)",
  sign: "Math.sign($0)",
  floor: "Math.floor($0)",
  ceil: "Math.ceil($0)",
  round: "Math.round($0)",
  lt: "$0 < $1",
  le: "$0 <= $1",
  gt: "$0 > $1",
  ge: "$0 >= $1",
  eq: "$0 === $1",
  ne: "$0 !== $1",
  select: null,
  and: "$0 && $1",
  or: "$0 || $1",
  not: "!$0",
  "i32.to.f64": "$0",
  "f64.to.i32": null,
  "array.new": null,
  "array.get": "$load",
  "array.set": "$store",
  "array.len": null,
  "array.copy": null,
  call: null,
  "call.extern": null,
  "stack.new": null,
  "stack.push": null,
  "stack.pop": null,
};

/** A JS literal for a constant (exact for -0, NaN and infinities). */
function literal(x: number, type: Type): string {
  if (type === "bool") return x !== 0 ? "true" : "false";
  return Object.is(x, -0) ? "-0" : String(x);
}

/** JS statements computing one inlined instruction. */
function emitPure(d: DInst, types: readonly Type[], hessian: boolean): string {
  const inst = d.inst;
  const r = inst.results[0]!;
  const rule = SPARSITY[inst.op];
  const xs = inst.args.map((_, k) => `x${k}`);
  const lines = inst.args.map((a, k) => `x${k} = V[${a}];`);
  let expr = JS[inst.op]!.replace("$lit", () => literal(inst.value!, types[r]!)).replace(/\$(\d)/g, (_, k: string) => `x${k}`);
  if (xs.length > 0) {
    const unknown = xs.map((x) => `${x} === U`).join(" || ");
    expr = `(${unknown}) ? U : (${expr})`;
    if (rule.kind === "zero" && rule.absorbing !== undefined) expr = `(${xs.map((x) => `${x} === ${rule.absorbing}`).join(" || ")}) ? ${rule.absorbing} : ${expr}`;
  }
  lines.push(`v = ${expr};`);
  const carries = types[r] === "f64" && rule.kind !== "zero" && rule.kind !== "structural";
  let dep = "0";
  let hes = "0";
  if (carries) {
    const ds = inst.args.map((a) => `D[${a}]`);
    dep = ds.slice(1).reduce((acc, x) => `Z.union(${acc}, ${x})`, ds[0] ?? "0");
    if (hessian) {
      hes = inst.args.map((a) => `S[${a}]`).reduce((acc, x) => `Z.hessUnion(${acc}, ${x})`);
      if (rule.kind === "nonlinear") for (const [i, j] of rule.pairs) hes = `Z.hessUnion(${hes}, Z.hessCross(D[${inst.args[i]}], D[${inst.args[j]}]))`;
    }
  }
  lines.push(`if (log) H.logWrite(R, ${r});`, `V[${r}] = v; D[${r}] = ${dep}; S[${r}] = ${hes};`);
  return lines.join("\n  ");
}

/** `a.val[i]` is a plain element: one array store, not smashed, i a valid index. */
const plainIndex = (a: string, i: string): string => `typeof ${i} === "number" && !Array.isArray(${a}) && ${i} >= 0 && ${i} < ${a}.length && Number.isInteger(${i})`;

/** An array read or write: inline when the index is known and in bounds, else the handler. */
function emitAccess(d: DInst, k: number): string {
  const [a, i, v] = d.inst.args;
  const slow = `h[${k}](m, fr, d[${k}]);`;
  if (d.inst.op === "array.get") {
    const r = d.inst.results[0]!;
    return `x0 = V[${a}]; x1 = V[${i}];
  if (${plainIndex("x0", "x1")}) { if (log) H.logWrite(R, ${r}); V[${r}] = x0.val[x1]; D[${r}] = x0.dep[x1]; S[${r}] = x0.hes[x1]; } else ${slow}`;
  }
  return `x0 = V[${a}]; x1 = V[${i}];
  if (${plainIndex("x0", "x1")} && !x0.weak) { if (H.logs(x0)) H.logWrite(x0, x1); x0.val[x1] = V[${v}]; x0.dep[x1] = D[${v}]; x0.hes[x1] = S[${v}]; } else ${slow}`;
}

/** Binds an edge's parameters (a parallel copy: every argument read first) and returns its target. */
function emitJump(e: JitEdge): string {
  const reads = e.args.map((a, k) => `const v${k} = V[${a}], d${k} = D[${a}], s${k} = S[${a}];`);
  const logs = e.params.map((p) => `H.logWrite(R, ${p});`);
  const writes = e.params.map((p, k) => `V[${p}] = v${k}; D[${p}] = d${k}; S[${p}] = s${k};`);
  const bind = e.args.length === 0 ? "" : `${reads.join(" ")} if (log) { ${logs.join(" ")} } ${writes.join(" ")} `;
  return `{ ${bind}return ${e.block}; }`;
}

/** The code of a terminator: the next block when it is known here, else -1. */
function emitTerm(term: Terminator, then: JitEdge | null, otherwise: JitEdge | null): string {
  if (term.kind === "br") return emitJump(then!);
  if (term.kind !== "condbr") return "return -1;";
  return `x0 = V[${term.cond}];
  if (x0 === true) ${emitJump(then!)}
  if (x0 === false) ${emitJump(otherwise!)}
  return -1;`;
}

/** Compiles a block of a function with value types `types`: its
 * instructions and terminator (`then`/`otherwise`: the edges of br/condbr). */
export function compileBlock(insts: readonly DInst[], term: Terminator, then: JitEdge | null, otherwise: JitEdge | null, types: readonly Type[], hessian: boolean): BlockCode {
  const body = insts.map((d, k) => {
    const js = JS[d.inst.op];
    if (js === "$load" || js === "$store") return emitAccess(d, k);
    return js !== null ? emitPure(d, types, hessian) : `h[${k}](m, fr, d[${k}]);`;
  });
  const src = [
    "return function block(m, fr) {",
    "  const R = fr.regs, V = R.val, D = R.dep, S = R.hes, H = m.heap, Z = H.sets;",
    "  const log = H.logs(R);",
    "  let x0, x1, v;",
    ...body.map((s) => "  " + s),
    "  " + emitTerm(term, then, otherwise),
    "};",
  ].join("\n");
  const handlers = insts.map((d) => d.run);
  return new Function("U", "h", "d", src)(UNKNOWN, handlers, insts) as BlockCode;
}
