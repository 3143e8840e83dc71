// Random TypeScript programs over the subset (DESIGN.md §6) plus matching
// inputs, for property tests of the frontend against Node. A program is built
// deterministically from a *choice sequence* (an array of naturals that
// fast-check generates and shrinks toward shorter and smaller, so failing
// programs shrink to simple ones; an exhausted sequence reads as zeros).
//
// Every program is valid and terminates: several functions, each calling only
// earlier ones; loops with constant trip counts (≤ MAX_TRIP) or over arrays;
// `while`/`do` loops increment their counter first, so `continue` is safe.
// All arrays of one program have the same length (1..MAX_LEN) and indices are
// constants below it or counters of loops bounded by it, so every access is in
// bounds. Only arrays created in the function itself (new, literal, slice) are
// written, so deriv's value semantics for array arguments never differ from
// JavaScript's. Variables are declared with initialisers; every function ends
// with a return. Reads nothing of the compiler: the programs are plain text.

import fc from "fast-check";

/** Largest constant loop bound. */
export const MAX_TRIP = 3;
/** Largest array length of a program. */
export const MAX_LEN = 4;

/** A generated program: its source and how to call its entry function. */
export interface TSProgram {
  readonly source: string;
  /** The same program as plain JavaScript (the type annotations, which occur
   * only in function headers, left out): what Node runs as the reference. */
  readonly js: string;
  /** The function to run (the last one; it may call every other). */
  readonly entry: string;
  /** Kinds of the entry function's parameters. */
  readonly params: readonly ("number" | "array")[];
  /** Length of every array of the program (inputs included). */
  readonly arrayLength: number;
}

type RetKind = "number" | "tuple" | "array";

interface FuncInfo {
  readonly name: string;
  readonly params: readonly ("number" | "array")[];
  readonly ret: RetKind;
}

interface Scope {
  /** Numeric variables: name and whether they may be assigned. */
  readonly nums: { name: string; mutable: boolean }[];
  readonly bools: string[];
  /** Arrays (all of the program's length) and whether this function may write them. */
  readonly arrays: { name: string; writable: boolean }[];
  /** Expressions that are valid indices of every array (constants, bounded counters). */
  readonly indices: string[];
}

interface Loop {
  readonly label: string | undefined;
}

const NUM_LITERALS = ["0", "1", "2", "3", "0.5", "-1", "-0", "1.5", "100", "0.001", "-2.25", "1e300"];
const MATH_UNARY = ["sqrt", "cbrt", "exp", "expm1", "log", "log1p", "log2", "log10", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "abs", "sign", "floor", "ceil", "round"];
const MATH_CONSTS = ["Math.PI", "Math.E", "Math.LN2", "Math.SQRT1_2", "Infinity", "NaN"];
const ARITH = ["+", "-", "*", "/", "%", "+", "-", "*"];
const COMPARE = ["<", "<=", ">", ">=", "===", "!=="];
const COMPOUND = ["+=", "-=", "*=", "/=", "%="];

/** Builds programs from a choice sequence. */
class Builder {
  private pos = 0;
  private counter = 0;
  private readonly funcs: FuncInfo[] = [];
  private readonly len: number;
  private lines: string[] = [];
  private indent = 1;
  private loops: Loop[] = [];
  private loopDepth = 0;
  private ret: RetKind = "number";

  constructor(private readonly choices: readonly number[]) {
    this.len = 1 + this.pick(MAX_LEN);
  }

  /** The next choice in [0, n). */
  private pick(n: number): number {
    const c = this.pos < this.choices.length ? this.choices[this.pos]! : 0;
    this.pos++;
    return c % n;
  }

  private chance(percent: number): boolean {
    return this.pick(100) < percent;
  }

  private oneOf<T>(xs: readonly T[]): T {
    return xs[this.pick(xs.length)]!;
  }

  private fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  private emit(line: string): void {
    this.lines.push("  ".repeat(this.indent) + line);
  }

  build(): TSProgram {
    const count = 1 + this.pick(3);
    const ts: string[] = [];
    const js: string[] = [];
    for (let k = 0; k < count; k++) {
      const f = this.func(`f${k}`, k === count - 1);
      ts.push(f.ts);
      js.push(f.js);
    }
    const entry = this.funcs[this.funcs.length - 1]!;
    return { source: ts.join("\n\n") + "\n", js: js.join("\n\n") + "\n", entry: entry.name, params: entry.params, arrayLength: this.len };
  }

  /** One function, as TypeScript and as plain JavaScript. */
  private func(name: string, isEntry: boolean): { ts: string; js: string } {
    const params: ("number" | "array")[] = [];
    const scope: Scope = { nums: [], bools: [], arrays: [], indices: [] };
    const nNums = 1 + this.pick(3);
    const text: string[] = [];
    for (let i = 0; i < nNums; i++) {
      params.push("number");
      scope.nums.push({ name: `x${i}`, mutable: true });
      text.push(`x${i}: number`);
    }
    if (this.chance(50)) {
      params.push("array");
      scope.arrays.push({ name: "a", writable: false });
      text.push(this.chance(50) ? "a: number[]" : "a: Float64Array");
    }
    for (let i = 0; i < Math.min(this.len, 2); i++) scope.indices.push(String(i));
    this.ret = isEntry ? this.oneOf<RetKind>(["number", "number", "tuple", "array"]) : this.oneOf<RetKind>(["number", "number", "tuple", "array"]);
    const retType = this.ret === "number" ? "number" : this.ret === "tuple" ? "[number, number]" : "number[]";
    this.lines = [];
    this.indent = 1;
    this.loops = [];
    this.loopDepth = 0;
    this.block(scope, 3 + this.pick(5), 0);
    this.emit(`return ${this.returnValue(scope)};`);
    this.funcs.push({ name, params, ret: this.ret });
    const body = `{\n${this.lines.join("\n")}\n}`;
    return { ts: `function ${name}(${text.join(", ")}): ${retType} ${body}`, js: `function ${name}(${text.map((p) => p.slice(0, p.indexOf(":"))).join(", ")}) ${body}` };
  }

  private copyScope(s: Scope): Scope {
    return { nums: [...s.nums], bools: [...s.bools], arrays: [...s.arrays], indices: [...s.indices] };
  }

  private block(scope: Scope, count: number, depth: number): void {
    for (let i = 0; i < count; i++) this.stmt(scope, depth);
  }

  /** A nested block `{ ... }` with its own scope. */
  private nested(scope: Scope, depth: number, extra?: (s: Scope) => void): void {
    const inner = this.copyScope(scope);
    extra?.(inner);
    this.indent++;
    this.block(inner, 1 + this.pick(3), depth + 1);
    this.indent--;
  }

  private stmt(scope: Scope, depth: number): void {
    const canNest = depth < 3;
    const kind = this.pick(canNest ? 20 : 11);
    const mutable = scope.nums.filter((v) => v.mutable);
    const writable = scope.arrays.filter((a) => a.writable);
    switch (kind) {
      case 0:
      case 1: {
        const name = this.fresh("v");
        this.emit(`let ${name} = ${this.expr(scope, 2)};`);
        scope.nums.push({ name, mutable: true });
        return;
      }
      case 2: {
        const name = this.fresh("c");
        this.emit(`const ${name} = ${this.expr(scope, 2)};`);
        scope.nums.push({ name, mutable: false });
        return;
      }
      case 3:
        if (mutable.length) return this.emit(`${this.oneOf(mutable).name} = ${this.expr(scope, 2)};`);
        return;
      case 4:
        if (mutable.length) return this.emit(`${this.oneOf(mutable).name} ${this.oneOf(COMPOUND)} ${this.expr(scope, 2)};`);
        return;
      case 5:
        if (mutable.length) {
          const v = this.oneOf(mutable).name;
          return this.emit(this.oneOf([`${v}++;`, `${v}--;`, `++${v};`, `--${v};`]));
        }
        return;
      case 6:
        return this.arrayDecl(scope);
      case 7:
        if (writable.length && scope.indices.length) {
          const a = this.oneOf(writable).name;
          const i = this.oneOf(scope.indices);
          return this.emit(this.oneOf([`${a}[${i}] = ${this.expr(scope, 2)};`, `${a}[${i}] ${this.oneOf(COMPOUND)} ${this.expr(scope, 1)};`, `${a}[${i}]++;`]));
        }
        return;
      case 8: {
        const name = this.fresh("b");
        this.emit(`const ${name} = ${this.cond(scope, 2)};`);
        scope.bools.push(name);
        return;
      }
      case 9:
        return this.jump(scope);
      case 10:
        return this.destructure(scope);
      case 11:
      case 12:
      case 13:
        return this.ifStmt(scope, depth);
      case 14:
      case 15:
        return this.forStmt(scope, depth);
      case 16:
        return this.whileStmt(scope, depth, false);
      case 17:
        return this.whileStmt(scope, depth, true);
      case 18:
        return this.forOf(scope, depth);
      default: {
        if (!mutable.length) return;
        const v = this.oneOf(mutable).name;
        return this.emit(`${v} = ${this.cond(scope, 1)} ? ${this.expr(scope, 1)} : ${this.expr(scope, 1)};`);
      }
    }
  }

  private arrayDecl(scope: Scope): void {
    const name = this.fresh("arr");
    const source = this.pick(4);
    if (source === 0) this.emit(`const ${name} = new Array(${this.len}).fill(${this.expr(scope, 1)});`);
    else if (source === 1) this.emit(`const ${name} = new Float64Array(${this.len});`);
    else if (source === 2 || scope.arrays.length === 0) this.emit(`const ${name} = [${Array.from({ length: this.len }, () => this.expr(scope, 1)).join(", ")}];`);
    else this.emit(`const ${name} = ${this.oneOf(scope.arrays).name}.slice();`);
    scope.arrays.push({ name, writable: true });
  }

  private jump(scope: Scope): void {
    if (this.chance(40)) return this.emit(`if (${this.cond(scope, 1)}) return ${this.returnValue(scope)};`);
    if (this.loops.length === 0) return;
    const target = this.oneOf(this.loops);
    const word = this.chance(50) ? "break" : "continue";
    this.emit(`if (${this.cond(scope, 1)}) ${word}${target.label && this.chance(50) ? " " + target.label : ""};`);
  }

  private destructure(scope: Scope): void {
    const tuples = this.funcs.filter((f) => f.ret === "tuple");
    if (!tuples.length) return;
    const g = this.oneOf(tuples);
    const p = this.fresh("p");
    const q = this.fresh("q");
    if (this.chance(30) && scope.nums.filter((v) => v.mutable).length >= 2) {
      const m = scope.nums.filter((v) => v.mutable);
      return this.emit(`[${m[0]!.name}, ${m[1]!.name}] = ${this.call(scope, g)};`);
    }
    this.emit(`const [${p}, ${q}] = ${this.call(scope, g)};`);
    scope.nums.push({ name: p, mutable: false }, { name: q, mutable: false });
  }

  private ifStmt(scope: Scope, depth: number): void {
    this.emit(`if (${this.cond(scope, 2)}) {`);
    this.nested(scope, depth);
    if (this.chance(50)) {
      this.emit("} else {");
      this.nested(scope, depth);
    }
    this.emit("}");
  }

  private label(): string | undefined {
    return this.chance(25) ? this.fresh("L") : undefined;
  }

  /** Runs `body` as a loop body, tracking depth and the loop's label. */
  private loopBody(label: string | undefined, body: () => void): void {
    this.loops.push({ label });
    this.loopDepth++;
    body();
    this.loopDepth--;
    this.loops.pop();
  }

  private bound(scope: Scope): { text: string; isLen: boolean } {
    const c = this.pick(3);
    if (c === 0 && scope.arrays.length) return { text: `${this.oneOf(scope.arrays).name}.length`, isLen: true };
    if (c === 1) return { text: String(this.len), isLen: true };
    return { text: String(1 + this.pick(MAX_TRIP)), isLen: false };
  }

  private forStmt(scope: Scope, depth: number): void {
    if (this.loopDepth >= 2) return;
    const i = this.fresh("i");
    const b = this.bound(scope);
    const label = this.label();
    this.emit(`${label ? label + ": " : ""}for (let ${i} = 0; ${i} < ${b.text}; ${i}++) {`);
    this.loopBody(label, () =>
      this.nested(scope, depth, (s) => {
        s.nums.push({ name: i, mutable: false });
        if (b.isLen || Number(b.text) <= this.len) s.indices.push(i);
      }),
    );
    this.emit("}");
  }

  private whileStmt(scope: Scope, depth: number, isDo: boolean): void {
    if (this.loopDepth >= 2) return;
    const w = this.fresh("w");
    const b = String(1 + this.pick(MAX_TRIP));
    const label = this.label();
    this.emit(`let ${w} = 0;`);
    this.emit(`${label ? label + ": " : ""}${isDo ? "do" : `while (${w} < ${b})`} {`);
    this.indent++;
    this.emit(`${w}++;`);
    this.indent--;
    this.loopBody(label, () => this.nested(scope, depth, (s) => s.nums.push({ name: w, mutable: false })));
    this.emit(isDo ? `} while (${w} < ${b});` : "}");
    scope.nums.push({ name: w, mutable: false });
  }

  private forOf(scope: Scope, depth: number): void {
    if (this.loopDepth >= 2 || scope.arrays.length === 0) return;
    const e = this.fresh("e");
    const label = this.label();
    this.emit(`${label ? label + ": " : ""}for (const ${e} of ${this.oneOf(scope.arrays).name}) {`);
    this.loopBody(label, () => this.nested(scope, depth, (s) => s.nums.push({ name: e, mutable: false })));
    this.emit("}");
  }

  private returnValue(scope: Scope): string {
    if (this.ret === "number") return this.expr(scope, 2);
    if (this.ret === "tuple") return `[${this.expr(scope, 2)}, ${this.expr(scope, 1)}]`;
    return this.arrayExpr(scope);
  }

  /** An array-valued expression of the program's length. */
  private arrayExpr(scope: Scope): string {
    const c = this.pick(3);
    const callees = this.funcs.filter((f) => f.ret === "array");
    if (c === 0 && scope.arrays.length) return this.oneOf(scope.arrays).name;
    if (c === 1 && callees.length) return this.call(scope, this.oneOf(callees));
    return `[${Array.from({ length: this.len }, () => this.expr(scope, 1)).join(", ")}]`;
  }

  private call(scope: Scope, g: FuncInfo): string {
    const args = g.params.map((p) => (p === "number" ? this.expr(scope, 1) : this.arrayExpr(scope)));
    return `${g.name}(${args.join(", ")})`;
  }

  /** A numeric expression of nesting at most `depth`. */
  private expr(scope: Scope, depth: number): string {
    if (depth <= 0 || this.chance(30)) return this.leaf(scope);
    const d = depth - 1;
    switch (this.pick(12)) {
      case 0:
      case 1:
      case 2:
        return `${this.expr(scope, d)} ${this.oneOf(ARITH)} ${this.expr(scope, d)}`;
      case 3:
        return `-${this.paren(scope, d)}`;
      case 4:
        return `Math.${this.oneOf(MATH_UNARY)}(${this.expr(scope, d)})`;
      case 5: {
        const f = this.oneOf(["min", "max", "atan2", "hypot", "pow"]);
        const extra = (f === "min" || f === "max") && this.chance(30) ? `, ${this.expr(scope, d)}` : "";
        return `Math.${f}(${this.expr(scope, d)}, ${this.expr(scope, d)}${extra})`;
      }
      case 6:
        return `(${this.cond(scope, d)} ? ${this.expr(scope, d)} : ${this.expr(scope, d)})`;
      case 7: {
        const callees = this.funcs.filter((f) => f.ret !== "tuple");
        if (!callees.length) return this.leaf(scope);
        const g = this.oneOf(callees);
        const idx = scope.indices.length ? this.oneOf(scope.indices) : "0";
        return g.ret === "number" ? this.call(scope, g) : `${this.call(scope, g)}[${idx}]`;
      }
      case 8:
        return `stopGradient(${this.expr(scope, d)})`;
      case 9: {
        const mutable = scope.nums.filter((v) => v.mutable);
        if (!mutable.length) return this.leaf(scope);
        const v = this.oneOf(mutable).name;
        return this.oneOf([`(${v} = ${this.expr(scope, d)})`, `(${v} += ${this.expr(scope, d)})`, `${v}++`, `--${v}`]);
      }
      case 10:
        return `${this.paren(scope, d)} ** ${this.oneOf(["2", "0.5", "3", "-1"])}`;
      default:
        return `(${this.expr(scope, d)})`;
    }
  }

  private paren(scope: Scope, depth: number): string {
    return `(${this.expr(scope, depth)})`;
  }

  private leaf(scope: Scope): string {
    const c = this.pick(10);
    if (c < 4 && scope.nums.length) return this.oneOf(scope.nums).name;
    if (c < 6 && scope.arrays.length && scope.indices.length) return `${this.oneOf(scope.arrays).name}[${this.oneOf(scope.indices)}]`;
    if (c === 6 && scope.arrays.length) return `${this.oneOf(scope.arrays).name}.length`;
    if (c === 7) return this.oneOf(MATH_CONSTS);
    const lit = this.oneOf(NUM_LITERALS);
    return lit.startsWith("-") ? `(${lit})` : lit;
  }

  /** `l op r`. TypeScript reads `a < (b > (c))` as a generic call, so `x > (…)`
   * is written as the equivalent `(…) < x`. */
  private compare(l: string, r: string): string {
    const op = this.oneOf(COMPARE);
    return op === ">" && r.startsWith("(") ? `${r} < ${l}` : `${l} ${op} ${r}`;
  }

  /** A boolean expression. */
  private cond(scope: Scope, depth: number): string {
    const c = depth <= 0 ? 0 : this.pick(6);
    const d = depth - 1;
    switch (c) {
      case 1:
        return `${this.cond(scope, d)} && ${this.cond(scope, d)}`;
      case 2:
        return `(${this.cond(scope, d)} || ${this.cond(scope, d)})`;
      case 3:
        return `!(${this.cond(scope, d)})`;
      case 4:
        if (scope.bools.length) return this.oneOf(scope.bools);
        return this.compare(this.expr(scope, d), this.expr(scope, d));
      default:
        return this.compare(this.expr(scope, Math.max(d, 0)), this.expr(scope, Math.max(d, 0)));
    }
  }
}

/** The program a choice sequence describes. */
export function buildTSProgram(choices: readonly number[]): TSProgram {
  return new Builder(choices).build();
}

/** Random programs (shrinking toward shorter choice sequences and smaller choices). */
export function arbTSProgram(maxChoices = 300): fc.Arbitrary<TSProgram> {
  return fc.array(fc.noBias(fc.nat({ max: 999 })), { maxLength: maxChoices, size: "max" }).map(buildTSProgram);
}

/** Scalars mixing IEEE corner cases, small integers and arbitrary doubles. */
export const arbNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 2, 3, -2.5, NaN, Infinity, -Infinity, 1e-300, 1e300),
  fc.integer({ min: -10, max: 10 }),
  fc.double(),
);

/** Arguments for a program's entry function (arrays of the program's length). */
export function arbTSInputs(p: TSProgram): fc.Arbitrary<(number | number[])[]> {
  return fc.tuple(...p.params.map((k) => (k === "number" ? arbNumber : fc.array(arbNumber, { minLength: p.arrayLength, maxLength: p.arrayLength }))));
}

/** A program with a few input lists for its entry function. */
export function arbTSCase(maxChoices = 300, runs = 3): fc.Arbitrary<{ program: TSProgram; inputs: (number | number[])[][] }> {
  return arbTSProgram(maxChoices).chain((program) => fc.array(arbTSInputs(program), { minLength: 1, maxLength: runs }).map((inputs) => ({ program, inputs })));
}
