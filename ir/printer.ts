// The IR text printer. Output is deterministic and parses back to a module
// that prints identically (ir/parser.ts is its inverse). Values print as their
// name hint where unique, otherwise `hint_k` or a number in layout order, so
// golden files do not depend on id allocation. Imports only ir/ modules.

import type { Block, BlockId, Edge, Extern, Func, Inst, Module, SourceLoc, Terminator, Type, ValueId } from "./types.js";

/** Options for printing. */
export interface PrintOptions {
  /** Print ` loc(line:col)` after instructions that carry a source location. */
  readonly locations?: boolean;
  /** Trailing `// ...` comment for an instruction (analyses golden-test through this). */
  readonly annotateInst?: (func: Func, block: BlockId, index: number) => string | undefined;
  /** Trailing `// ...` comment on a block header. */
  readonly annotateBlock?: (func: Func, block: BlockId) => string | undefined;
}

const PLAIN = /^([A-Za-z_$][A-Za-z0-9_$]*|[0-9]+)$/;

/** A name as it appears after a sigil: bare if a plain identifier or a digit
 * string (numbered values), else quoted. */
export function formatName(name: string): string {
  return PLAIN.test(name) ? name : JSON.stringify(name);
}

/** Shortest exact decimal of an f64, always recognisable as a float. */
export function formatF64(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (Object.is(x, -0)) return "-0.0";
  const s = String(x);
  return /[.e]/.test(s) ? s : s + ".0";
}

/** A literal of `type` as printed after `const`. */
export function formatLiteral(type: Type, value: number): string {
  if (type === "bool") return value ? "true" : "false";
  if (type === "i32") return Object.is(value, -0) ? "-0" : String(value);
  return formatF64(value);
}

/** Assigns printed names: hints where unique, `hint_k` for repeated hints,
 * `prefix` + counter for unnamed entities, all distinct. */
export function assignNames(hints: readonly (string | undefined)[], prefix: string): string[] {
  const count = new Map<string, number>();
  for (const h of hints) if (h !== undefined) count.set(h, (count.get(h) ?? 0) + 1);
  const used = new Set<string>();
  for (const [h, c] of count) if (c === 1) used.add(h);
  const out: string[] = [];
  let counter = 0;
  const fresh = (base: string, sep: string, start: number): string => {
    for (let k = start; ; k++) {
      const cand = `${base}${sep}${k}`;
      if (!used.has(cand) && !count.has(cand)) {
        used.add(cand);
        return cand;
      }
    }
  };
  const seenDup = new Set<string>();
  for (const h of hints) {
    if (h !== undefined && count.get(h) === 1) out.push(h);
    else if (h !== undefined) {
      if (!seenDup.has(h)) {
        seenDup.add(h);
        used.add(h);
        out.push(h);
      } else out.push(fresh(h, "_", 1));
    } else {
      const name = fresh(prefix, "", counter);
      counter = Number(name.slice(prefix.length)) + 1;
      out.push(name);
    }
  }
  return out;
}

/** Printed names of every value of `func` (indexed by value id; "" if unused). */
export function valueNames(func: Func): string[] {
  const order: ValueId[] = [];
  for (const b of func.blocks) {
    order.push(...b.params);
    for (const inst of b.insts) order.push(...inst.results);
  }
  // Digit-only hints would read as numbered values: they carry no name.
  const names = assignNames(
    order.map((v) => {
      const h = func.values[v]?.name;
      return h === undefined || /^[0-9]+$/.test(h) ? undefined : h;
    }),
    "",
  );
  const byId = new Array<string>(func.values.length).fill("");
  order.forEach((v, i) => (byId[v] = names[i]!));
  return byId;
}

/** Printed names of every block of `func`. */
export function blockNames(func: Func): string[] {
  return assignNames(
    func.blocks.map((b) => b.name),
    "bb",
  );
}

function formatLoc(loc: SourceLoc): string {
  return loc.file !== undefined ? `loc(${JSON.stringify(loc.file)}:${loc.line}:${loc.col})` : `loc(${loc.line}:${loc.col})`;
}

function formatResults(types: readonly Type[]): string {
  return types.length === 1 ? types[0]! : `(${types.join(", ")})`;
}

/** Prints an extern declaration line. */
export function printExtern(ext: Extern): string {
  return `extern @${formatName(ext.name)}(${ext.params.join(", ")}) -> ${formatResults(ext.results)}`;
}

/** Prints one function. */
export function printFunc(func: Func, options: PrintOptions = {}): string {
  const vn = valueNames(func);
  const bn = blockNames(func);
  const val = (v: ValueId): string => `%${formatName(vn[v] || `?${v}`)}`;
  const blk = (b: BlockId): string => `^${formatName(bn[b] ?? `?${b}`)}`;
  const typed = (v: ValueId): string => `${val(v)}: ${func.values[v]?.type ?? "?"}`;
  const edge = (e: Edge): string => (e.args.length ? `${blk(e.block)}(${e.args.map(val).join(", ")})` : blk(e.block));
  const withLoc = (text: string, loc: SourceLoc | undefined): string => (options.locations && loc ? `${text} ${formatLoc(loc)}` : text);
  const withNote = (text: string, note: string | undefined): string => (note ? `${text}  // ${note.replace(/\n/g, " ")}` : text);

  const inst = (i: Inst): string => {
    const lhs = i.results.length ? `${i.results.map(typed).join(", ")} = ` : "";
    let rhs: string;
    if (i.op === "const") {
      const t = func.values[i.results[0]!]?.type ?? "f64";
      rhs = `const ${formatLiteral(t, i.value ?? NaN)}`;
    } else if (i.op === "call" || i.op === "call.extern") {
      rhs = `${i.op} @${formatName(i.callee ?? "?")}(${i.args.map(val).join(", ")})`;
    } else {
      rhs = i.args.length ? `${i.op} ${i.args.map(val).join(", ")}` : i.op;
    }
    return withLoc(lhs + rhs, i.loc);
  };
  const term = (t: Terminator): string => {
    switch (t.kind) {
      case "br":
        return withLoc(`br ${edge(t.target)}`, t.loc);
      case "condbr":
        return withLoc(`condbr ${val(t.cond)}, ${edge(t.then)}, ${edge(t.else)}`, t.loc);
      case "ret":
        return withLoc(t.values.length ? `ret ${t.values.map(val).join(", ")}` : "ret", t.loc);
      case "unreachable":
        return withLoc("unreachable", t.loc);
    }
  };

  const entry = func.blocks[0];
  const params = entry ? entry.params.map(typed).join(", ") : "";
  const lines = [`func @${formatName(func.name)}(${params}) -> ${formatResults(func.results)} {`];
  func.blocks.forEach((b: Block, id) => {
    const header = id === 0 || b.params.length === 0 ? `${blk(id)}:` : `${blk(id)}(${b.params.map(typed).join(", ")}):`;
    lines.push(withNote(header, options.annotateBlock?.(func, id)));
    b.insts.forEach((i, k) => lines.push(withNote(`  ${inst(i)}`, options.annotateInst?.(func, id, k))));
    lines.push(`  ${term(b.term)}`);
  });
  lines.push("}");
  return lines.join("\n");
}

/** Prints a whole module: externs first, then functions, blank-line separated. */
export function printIR(module: Module, options: PrintOptions = {}): string {
  const parts: string[] = [];
  if (module.externs.length) parts.push(module.externs.map(printExtern).join("\n"));
  for (const f of module.funcs) parts.push(printFunc(f, options));
  return parts.join("\n\n") + "\n";
}
