// The README convention for runnable CLI lines, as the README test reads it:
//
// - In a ```sh block, a line starting with `npx deriv ` (or, for the opening
//   install line, `npm ci && npx deriv `) is a CLI line. Any other line of a
//   ```sh block that mentions `deriv` is an error, so no command is silently
//   skipped; synopses belong in ```text blocks or tables.
// - A ```sh block holding one CLI line is followed directly (blank lines
//   only) by a ```json block (compared as JSON values) or a ```text block
//   (compared exactly, up to the final newline) holding its stdout, unless
//   the line sends stdout to a file with `> docs/img/NAME`.
// - A ```sh block holding several CLI lines documents no output: each must
//   exit 0 and print something.
// - A word `docs/img/NAME` (an `--svg` target or a `>` redirect) names a
//   committed picture: the test writes it to a temporary directory instead
//   and compares it with the committed file.
// - Words are separated by spaces; '…' quotes a word. Nothing else of the
//   shell is supported (a line using it is an error).

/** A documented output block. */
export interface Expected {
  readonly lang: "json" | "text";
  readonly body: string;
  /** 1-based README line of the opening fence. */
  readonly line: number;
}

/** One runnable README line. */
export interface CliLine {
  /** 1-based README line. */
  readonly line: number;
  readonly text: string;
  /** Arguments after `deriv`, with any `> FILE` removed. */
  readonly argv: readonly string[];
  /** The file stdout is redirected to, if any. */
  readonly stdoutFile?: string;
  readonly expected?: Expected;
}

interface Fence {
  readonly lang: string;
  readonly line: number;
  readonly lines: string[];
  /** 1-based line of the closing fence. */
  end: number;
}

const PREFIXES = ["npm ci && npx deriv ", "npx deriv "];

/** The fenced blocks of a markdown text (``` fences, not nested). */
function fences(markdown: string): Fence[] {
  const out: Fence[] = [];
  let current: Fence | undefined;
  markdown.split("\n").forEach((text, i) => {
    if (current) {
      if (/^```\s*$/.test(text)) {
        current.end = i + 1;
        out.push(current);
        current = undefined;
      } else current.lines.push(text);
    } else {
      const open = /^```(\S*)\s*$/.exec(text);
      if (open) current = { lang: open[1]!, line: i + 1, lines: [], end: -1 };
    }
  });
  if (current) throw new Error(`README.md:${current.line}: unclosed code fence`);
  return out;
}

/** Splits a command line into words: spaces separate, '…' quotes. */
export function shellWords(text: string, where: string): string[] {
  const words: string[] = [];
  for (const m of text.matchAll(/'([^']*)'|([^\s']+)|(')/g)) {
    if (m[3]) throw new Error(`${where}: unbalanced quote in: ${text}`);
    const word = m[1] ?? m[2]!;
    if (m[2] !== undefined && word !== ">" && /["`$\\|;&<>*?(){}]/.test(word)) throw new Error(`${where}: the README test supports only plain words and '…' quoting, not: ${word}`);
    words.push(word);
  }
  return words;
}

/** The CLI lines of a README with their documented outputs; throws naming
 * the README line when the text breaks the convention. */
export function extractCliLines(markdown: string): CliLine[] {
  const blocks = fences(markdown);
  const out: CliLine[] = [];
  blocks.forEach((block, b) => {
    if (block.lang !== "sh") return;
    const found: CliLine[] = [];
    block.lines.forEach((text, i) => {
      const line = block.line + 1 + i;
      const where = `README.md:${line}`;
      const prefix = PREFIXES.find((p) => text.startsWith(p));
      if (!prefix) {
        if (/\bderiv\b/.test(text)) throw new Error(`${where}: a sh line mentioning deriv must start with 'npx deriv ' (put synopses in a text block): ${text}`);
        return;
      }
      const words = shellWords(text.slice(prefix.length), where);
      const redirect = words.indexOf(">");
      if (redirect >= 0 && redirect !== words.length - 2) throw new Error(`${where}: '>' must be followed by exactly one file at the end of the line`);
      const argv = redirect >= 0 ? words.slice(0, redirect) : words;
      found.push({ line, text, argv, ...(redirect >= 0 ? { stdoutFile: words[redirect + 1]! } : {}) });
    });
    if (found.length !== 1) {
      out.push(...found);
      return;
    }
    const only = found[0]!;
    const next = blocks[b + 1];
    const adjacent = next !== undefined && markdown.split("\n").slice(block.end, next.line - 1).every((l) => l.trim() === "");
    if (adjacent && (next.lang === "json" || next.lang === "text")) {
      out.push({ ...only, expected: { lang: next.lang, body: next.lines.join("\n"), line: next.line } });
    } else if (only.stdoutFile !== undefined) {
      out.push(only);
    } else {
      throw new Error(`README.md:${only.line}: a sh block with one deriv line needs its output in a json or text block right after it, or '> docs/img/FILE'`);
    }
  });
  return out;
}

/** Why `stdout` is not the documented output, or undefined if it is. */
export function outputMismatch(expected: Expected, stdout: string): string | undefined {
  if (expected.lang === "text") {
    const actual = stdout.replace(/\n$/, "");
    return actual === expected.body ? undefined : `stdout differs from the text block at README.md:${expected.line}:\n--- documented\n${expected.body}\n--- printed\n${actual}`;
  }
  let want: unknown;
  let got: unknown;
  try {
    want = JSON.parse(expected.body);
  } catch (e) {
    return `the json block at README.md:${expected.line} is not JSON: ${(e as Error).message}`;
  }
  try {
    got = JSON.parse(stdout);
  } catch {
    return `stdout is not JSON:\n${stdout}`;
  }
  return sameJson(want, got) ? undefined : `stdout differs from the json block at README.md:${expected.line}:\n--- documented\n${JSON.stringify(want)}\n--- printed\n${JSON.stringify(got)}`;
}

/** Deep equality of parsed JSON values (numbers compared with ===). */
function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (a !== null && typeof a === "object") {
    if (b === null || typeof b !== "object" || Array.isArray(b)) return false;
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return sameJson(ka, kb) && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}
