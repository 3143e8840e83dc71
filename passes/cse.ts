// `cse`: common-subexpression elimination of pure instructions by
// dominator-scoped value numbering.
//
// Algorithm: walk the dominator tree in pre-order (iteratively) with a scoped
// hash table from instruction keys to the value that first computed them. A
// key is (op, result type, constant literal, operands after earlier
// replacements); the operands of commutative ops (table COMMUTES) are put in
// ascending id order first. A pure instruction whose key is already available
// in a dominating position is dropped and its result replaced by the earlier
// value; entries leave the table when the walk leaves the block that added
// them, so every replacement is dominated by its definition. Constants are
// keyed by literal with Object.is (so -0 and 0 stay apart; every NaN is one).
// Non-pure instructions (calls, stack ops, checked conversions) are never
// merged, except array accesses inside one block (memory value numbering on
// the exact (array, index) SSA pair): a repeated `array.get a, i` with no
// array write or call in between reads the same element (and would have
// trapped at the first read), so it reuses the first result; a read right
// after `array.set a, i, v` (nothing written or called between) is `v`; and
// `array.set a, i, v` is dropped when a later `array.set a, i, w` in the same
// block overwrites it with no read, call or other possibly trapping
// instruction between (so the trap, if any, is the same one); and a
// `stack.pop s` right after `stack.push s, v` (only pure instructions
// between) is `v`, and both go. Reverse mode's
// repeated `dx[i] += ...` becomes one read and one write this way.
// Unreachable blocks are left alone. Linear in the size of
// the function apart from hash collisions; the dominator tree comes from the
// analysis cache. Idempotent: after one run no two available keys are equal.

import { walkDomTree } from "../ir/cfg.js";
import type { Opcode, OpTable } from "../ir/ops.js";
import { isPure, OPCODES } from "../ir/ops.js";
import type { Func, Inst, Type, ValueId } from "../ir/types.js";
import { ALL_TYPES } from "../ir/types.js";
import { finishDraft, replaceValue, resolve, toDraft } from "./draft.js";
import type { Pass, PassContext } from "./pass.js";
import { mapFuncs } from "./pass.js";

/** The `cse` pass. Before/after:
 * ```
 *   %a: f64 = mul %x, %y                 %a: f64 = mul %x, %y
 *   condbr %c, ^t, ^e          ->        condbr %c, ^t, ^e
 * ^t:                                  ^t:
 *   %b: f64 = mul %y, %x                 ret %a
 *   ret %b
 * ``` */
export const cse: Pass = {
  name: "cse",
  description: "common-subexpression elimination of pure instructions (dominator-scoped value numbering)",
  options: [],
  run: (module, ctx) => mapFuncs(module, (func) => cseFunc(func, ctx)),
};

/** Ops whose operands may be swapped without changing the result bit for bit:
 * IEEE add and mul commute exactly; Math.min/max treat (-0, 0) and NaN the
 * same in either order; === and !== are symmetric; `and`/`or` take two
 * evaluated booleans. Not hypot (its rounding is not specified to be symmetric). */
export const COMMUTES: OpTable<boolean> = {
  const: false,
  add: true, sub: false, mul: true, div: false, rem: false, neg: false, pow: false, min: true, max: true, abs: false,
  sqrt: false, cbrt: false, exp: false, expm1: false, log: false, log1p: false, log2: false, log10: false,
  sin: false, cos: false, tan: false, asin: false, acos: false, atan: false, atan2: false,
  sinh: false, cosh: false, tanh: false, hypot: false, sign: false, floor: false, ceil: false, round: false,
  lt: false, le: false, gt: false, ge: false, eq: true, ne: true, select: false, and: true, or: true, not: false,
  "i32.to.f64": false, "f64.to.i32": false,
  "array.new": false, "array.get": false, "array.set": false, "array.len": false, "array.copy": false,
  call: false, "call.extern": false,
  "stack.new": false, "stack.push": false, "stack.pop": false,
};

const OP_ID = Object.fromEntries(OPCODES.map((op, i) => [op, i])) as OpTable<number>;
const TYPE_ID = Object.fromEntries(ALL_TYPES.map((t, i) => [t, i])) as Record<Type, number>;
const bits = new Float64Array(1);
const words = new Int32Array(bits.buffer);

/** A value-numbering key: the instruction in canonical form. */
interface Key {
  readonly op: Opcode;
  readonly type: number;
  readonly value: number;
  readonly args: readonly ValueId[];
  readonly hash: number;
  /** The value that computes it. */
  readonly result: ValueId;
  /** The entry this one shadows in its hash chain. */
  next: Key | undefined;
}

function mix(h: number, x: number): number {
  return Math.imul(h ^ x, 0x9e3779b1) ^ (h >>> 15);
}

function makeKey(inst: Inst, type: number, args: ValueId[], result: ValueId): Key {
  if (COMMUTES[inst.op] && args[0]! > args[1]!) args.reverse();
  const value = inst.value ?? 0;
  let h = mix(OP_ID[inst.op], type);
  if (inst.op === "const") {
    bits[0] = Number.isNaN(value) ? NaN : value;
    h = mix(mix(h, words[0]!), words[1]!);
  }
  for (const a of args) h = mix(h, a);
  return { op: inst.op, type, value, args, hash: h, result, next: undefined };
}

function sameKey(a: Key, b: Key): boolean {
  if (a.op !== b.op || a.type !== b.type || !Object.is(a.value, b.value) || a.args.length !== b.args.length) return false;
  for (let i = 0; i < a.args.length; i++) if (a.args[i] !== b.args[i]) return false;
  return true;
}

function cseFunc(func: Func, ctx: PassContext): Func {
  const tree = ctx.analyses.domTree(func);
  const d = toDraft(func);
  const table = new Map<number, Key>(); // hash -> most recent entry of its chain
  const log: Key[] = []; // keys added, in walk order, for scope exit
  let changed = false;

  const visit = (b: number): void => {
    const blk = d.blocks[b]!;
    let out: Inst[] | undefined;
    // Array reads available in this block: (array, index) -> value, until a write or call.
    const loads = new Map<string, ValueId>();
    // The pushes since the last other non-pure instruction: a pop of the
    // stack the last of them pushed to returns that value (nested pairs too).
    const pushes: Inst[] = [];
    blk.insts.forEach((inst, k) => {
      const result = inst.results[0]!;
      const push = pushes[pushes.length - 1];
      if (inst.op === "stack.pop" && push && resolve(d, push.args[0]!) === resolve(d, inst.args[0]!) && ctx.allowRewrite()) {
        ctx.stat("push/pop pairs eliminated");
        replaceValue(d, result, resolve(d, push.args[1]!));
        out = (out ?? blk.insts.slice(0, k)).filter((i) => i !== push);
        pushes.pop();
        changed = true;
        return;
      }
      if (inst.op === "stack.push") pushes.push(inst);
      else if (!isPure(inst.op)) pushes.length = 0;
      if (inst.op === "array.get") {
        const where = `${resolve(d, inst.args[0]!)},${resolve(d, inst.args[1]!)}`;
        const known = loads.get(where);
        if (known !== undefined && ctx.allowRewrite()) {
          ctx.stat("loads eliminated");
          replaceValue(d, result, known);
          out ??= blk.insts.slice(0, k);
          changed = true;
          return;
        }
        loads.set(where, result);
      } else if (inst.op === "array.set") {
        loads.clear();
        loads.set(`${resolve(d, inst.args[0]!)},${resolve(d, inst.args[1]!)}`, resolve(d, inst.args[2]!));
      } else if (inst.op === "call" || inst.op === "call.extern") loads.clear();
      if (!isPure(inst.op) || inst.results.length !== 1) {
        out?.push(inst);
        return;
      }
      const key = makeKey(inst, TYPE_ID[d.values[result]!.type], inst.args.map((a) => resolve(d, a)), result);
      let hit = table.get(key.hash);
      while (hit && !sameKey(hit, key)) hit = hit.next;
      if (hit && ctx.allowRewrite()) {
        ctx.stat("instructions eliminated");
        replaceValue(d, result, hit.result);
        out ??= blk.insts.slice(0, k);
        changed = true;
        return;
      }
      out?.push(inst);
      key.next = table.get(key.hash);
      table.set(key.hash, key);
      log.push(key);
    });
    if (out) blk.insts = out;
    if (removeOverwrittenStores(d, blk)) changed = true;
  };

  /** Drops stores that a later store to the same (array, index) overwrites before anything can observe them. */
  const removeOverwrittenStores = (draft: typeof d, blk: (typeof d.blocks)[number]): boolean => {
    const later = new Set<string>();
    const dead = new Set<Inst>();
    for (let k = blk.insts.length - 1; k >= 0; k--) {
      const inst = blk.insts[k]!;
      if (inst.op === "array.set") {
        const where = `${resolve(draft, inst.args[0]!)},${resolve(draft, inst.args[1]!)}`;
        if (later.has(where) && ctx.allowRewrite()) {
          ctx.stat("stores eliminated");
          dead.add(inst);
        } else later.add(where);
      } else if (!isPure(inst.op)) later.clear();
    }
    if (dead.size) blk.insts = blk.insts.filter((inst) => !dead.has(inst));
    return dead.size > 0;
  };

  // Pre-order walk; each block's scope starts at its mark in `log`.
  const marks: number[] = [];
  walkDomTree(
    tree,
    (b) => {
      marks.push(log.length);
      visit(b);
    },
    () => {
      const mark = marks.pop()!;
      while (log.length > mark) {
        const key = log.pop()!;
        if (key.next) table.set(key.hash, key.next);
        else table.delete(key.hash);
      }
    },
  );
  return changed ? finishDraft(d) : func;
}
