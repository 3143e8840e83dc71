// Tokens of the IR text format (ir/printer.ts defines the format). A cursor
// over the whole text: the current token lives in the lexer's fields and
// `next()` moves on, so lexing allocates no token objects (10^5-instruction
// inputs stay fast). Tokens: sigiled names (`%v ^b @f`, each a plain
// identifier, a digit string or a JSON-quoted string), words (ops, types,
// keywords, `nan`, `inf`, `-inf`), numbers, quoted strings, punctuation, and
// one newline token per run of line breaks, blanks and `//` comments.
// Malformed input becomes a "bad" token carrying its message: the lexer never
// throws, the parser reports. Lines and columns are 1-based, columns count
// UTF-16 code units (as `codeFrame` does). Also the decoding of literal text
// (`readLiteral`), shared with the test directives. Imports only ./types.

import type { Type } from "./types.js";

/** What a token is. `value`, `block`, `func` are names after `%`, `^`, `@`. */
export type TokenKind = "value" | "block" | "func" | "word" | "number" | "string" | "punct" | "newline" | "eof" | "bad";

const NL = 10;
const CR = 13;
const QUOTE = 34;
const SLASH = 47;
const MINUS = 45;
const PUNCT = "(){}[]<>,:=";
const SIGILS: Readonly<Record<string, TokenKind>> = { "%": "value", "^": "block", "@": "func" };
const I32_MIN = -2147483648;
const I32_MAX = 2147483647;
const NUMBER = /^-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === CR;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
/** Characters of a bare name after a sigil; `.` is taken so `@f.jvp` gets a clear message. */
function isNameChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 36 || c === 46;
}
function isWordChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 46;
}

/** A printable rendering of the character at `pos` (a whole code point). */
function describeChar(text: string, pos: number): string {
  const cp = text.codePointAt(pos)!;
  return cp < 32 || cp === 127 ? `U+${cp.toString(16).toUpperCase().padStart(4, "0")}` : `'${String.fromCodePoint(cp)}'`;
}

/** A cursor over the tokens of `src`; after construction it holds the first token. */
export class Lexer {
  kind: TokenKind = "eof";
  /** words, numbers, punctuation: the text; sigiled names and strings: the
   * decoded name; "bad": what is wrong; newline and eof: "". */
  value = "";
  /** A sigiled name written as a bare digit string (`%12`): a number, not a hint. */
  numeric = false;
  /** Offsets of the token in `src` (end exclusive). */
  start = 0;
  end = 0;
  line = 1;
  col = 1;

  private pos = 0;
  private curLine = 1;
  private lineStart = 0;

  constructor(private readonly src: string) {
    this.next();
  }

  /** The current token as written (with its sigil). */
  raw(): string {
    return this.src.slice(this.start, this.end);
  }

  /** Moves to the next token; at the end of input stays on "eof". */
  next(): void {
    this.skipBlanks();
    const src = this.src;
    const start = this.pos;
    this.start = start;
    this.line = this.curLine;
    this.col = start - this.lineStart + 1;
    this.numeric = false;
    if (start >= src.length) return this.set("eof", start, "");
    const c = src.charCodeAt(start);
    if (c === NL) {
      // A CRLF line break is reported at its CR, which `codeFrame` treats as part of the break.
      if (start > this.lineStart && src.charCodeAt(start - 1) === CR) this.col--;
      // One token for the whole run of line breaks, blanks and comments.
      while (this.pos < src.length && src.charCodeAt(this.pos) === NL) {
        this.pos++;
        this.curLine++;
        this.lineStart = this.pos;
        this.skipBlanks();
      }
      this.kind = "newline";
      this.value = "";
      this.end = start + 1;
      return;
    }
    const sigil = SIGILS[src[start]!];
    if (sigil) return this.sigiled(sigil);
    if (c === QUOTE) return this.quoted("string");
    if (isDigit(c)) return this.number();
    if (c === MINUS) {
      const d = src.charCodeAt(start + 1);
      if (d === 62) return this.set("punct", start + 2, "->");
      if (isDigit(d)) return this.number();
      if (isLetter(d)) return this.word(start + 1);
    }
    if (isLetter(c)) return this.word(start);
    if (PUNCT.includes(src[start]!)) return this.set("punct", start + 1, src[start]!);
    const what = describeChar(src, start);
    return this.set("bad", start + ((src.codePointAt(start) ?? 0) > 0xffff ? 2 : 1), `unexpected character ${what}`);
  }

  private set(kind: TokenKind, end: number, value: string): void {
    this.kind = kind;
    this.end = end;
    this.pos = end;
    this.value = value;
  }

  /** Skips blanks and a trailing `//` comment, stopping at a line break. */
  private skipBlanks(): void {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos);
      if (isBlank(c)) this.pos++;
      else if (c === SLASH && src.charCodeAt(this.pos + 1) === SLASH) {
        const end = src.indexOf("\n", this.pos);
        this.pos = end < 0 ? src.length : end;
      } else return;
    }
  }

  private word(from: number): void {
    let i = from;
    while (i < this.src.length && isWordChar(this.src.charCodeAt(i))) i++;
    this.set("word", i, this.src.slice(this.start, i));
  }

  /** A JSON string starting at `pos` (a quote), as a name of `kind`. */
  private quoted(kind: TokenKind): void {
    const src = this.src;
    const from = this.pos;
    let i = from + 1;
    for (; i < src.length; i++) {
      const c = src.charCodeAt(i);
      if (c === QUOTE || c === NL) break;
      if (c === 92) i++; // backslash: skip the escaped character
    }
    if (i >= src.length || src.charCodeAt(i) !== QUOTE) return this.set("bad", Math.min(i, src.length), "unterminated quoted name (quoted names end on the same line)");
    const raw = src.slice(from, i + 1);
    let decoded: string;
    try {
      decoded = JSON.parse(raw) as string;
    } catch {
      return this.set("bad", i + 1, `malformed quoted name ${raw} (names are JSON strings)`);
    }
    if (decoded === "" && kind !== "string") return this.set("bad", i + 1, "a name cannot be empty");
    this.set(kind, i + 1, decoded);
  }

  private sigiled(kind: TokenKind): void {
    const src = this.src;
    const from = this.start + 1;
    this.pos = from;
    if (src.charCodeAt(from) === QUOTE) return this.quoted(kind);
    let i = from;
    let digits = true;
    let plain = !isDigit(src.charCodeAt(from));
    for (let c = src.charCodeAt(i); i < src.length && isNameChar(c); c = src.charCodeAt(++i)) {
      if (!isDigit(c)) digits = false;
      if (c === 46) plain = false;
    }
    const name = src.slice(from, i);
    const sigil = src[this.start]!;
    if (name === "") return this.set("bad", i, `expected a name after '${sigil}'`);
    if (digits) {
      this.set(kind, i, name);
      this.numeric = true;
      return;
    }
    if (!plain) return this.set("bad", i, `the name '${name}' must be quoted: ${sigil}${JSON.stringify(name)}`);
    this.set(kind, i, name);
  }

  private number(): void {
    const src = this.src;
    let i = this.start;
    if (src.charCodeAt(i) === MINUS) i++;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      const prev = src.charCodeAt(i - 1);
      if (isWordChar(c) || ((c === 43 || c === MINUS) && (prev === 101 || prev === 69))) i++;
      else break;
    }
    const raw = src.slice(this.start, i);
    if (NUMBER.test(raw)) this.set("number", i, raw);
    else this.set("bad", i, `malformed number '${raw}'`);
  }
}

/** The decoded value of a literal, or why it does not fit its type. */
export type LiteralResult = { readonly value: number } | { readonly error: string };

/** Decodes the text of a `const` literal of `type` (booleans become 0/1).
 * f64 literals need a `.` or an exponent (`1.0`, `1e+21`) or are `nan`, `inf`,
 * `-inf`; i32 literals are integers in [-2^31, 2^31) (`-0` included). Types
 * that are not scalars take f64 literals, as the printer writes them. */
export function readLiteral(type: Type, text: string): LiteralResult {
  if (type === "bool") {
    if (text === "true" || text === "false") return { value: text === "true" ? 1 : 0 };
    return { error: `'${text}' is not a bool literal (true or false)` };
  }
  if (type === "i32") {
    if (!/^-?[0-9]+$/.test(text)) return { error: `i32 literal '${text}' is not an integer` };
    const value = Number(text);
    if (value < I32_MIN || value > I32_MAX) return { error: `i32 literal '${text}' is out of range [-2147483648, 2147483647]` };
    return { value };
  }
  if (text === "nan") return { value: NaN };
  if (text === "inf") return { value: Infinity };
  if (text === "-inf") return { value: -Infinity };
  const m = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.exec(text);
  if (!m) return { error: `'${text}' is not an f64 literal` };
  if (m[1] === undefined && m[2] === undefined) return { error: `f64 literal '${text}' needs a decimal point (write ${text}.0)` };
  const value = Number(text);
  if (!Number.isFinite(value)) return { error: `f64 literal '${text}' is out of range (write inf or -inf)` };
  if (value === 0 && /[1-9]/.test(text.split(/[eE]/)[0]!)) return { error: `f64 literal '${text}' underflows to zero` };
  return { value };
}
