// Pipeline text, MLIR style (DESIGN.md §3): `rev-ad{fn=f wrt=0,2},simplify,cse`.
// Passes are separated by commas; options sit in braces, separated by
// whitespace, `name=value`, list values separated by commas, a bare `name`
// meaning `name=true` for bool options; a value may be JSON-quoted
// (`fn="f.jvp"`). A hand-written scanner over the text; every error is a
// PipelineError whose location is the offending character, with a caret frame
// and the nearest pass or option name as a suggestion.

import type { Diagnostic, ErrorCode } from "../ir/errors.js";
import { codeFrame, PipelineError } from "../ir/errors.js";
import type { SourceLoc } from "../ir/types.js";
import type { OptionSpec, OptionValue, OptionValues, Pass } from "./pass.js";
import { didYouMean } from "./suggest.js";

/** One pass of a parsed pipeline. */
export interface PassInvocation {
  readonly pass: Pass;
  /** Options with defaults filled in. */
  readonly options: OptionValues;
  /** The invocation as written, e.g. `rev-ad{fn=f wrt=0,2}`. */
  readonly text: string;
  /** Offset of the pass name in the pipeline text (0-based). */
  readonly offset: number;
}

/** A parsed pipeline. */
export interface Pipeline {
  readonly text: string;
  readonly passes: readonly PassInvocation[];
}

/** How the parser finds passes (the registry, or a test's own table). */
export interface PassLookup {
  get(name: string): Pass | undefined;
  names(): readonly string[];
}

const PIPELINE_FILE = "<pipeline>";

/** A diagnostic at `offset` of the pipeline `text` (location `<pipeline>:line:col`),
 * framed with the pipeline line and a caret under the offending character. */
export function pipelineDiagnostic(code: ErrorCode, message: string, text: string, offset: number): Diagnostic {
  const before = text.slice(0, offset);
  const location: SourceLoc = { file: PIPELINE_FILE, line: before.split("\n").length, col: offset - (before.lastIndexOf("\n") + 1) + 1 };
  return { code, message, location, frame: codeFrame(text, location, 0) };
}

/** A PipelineError with that one diagnostic. */
export function pipelineError(code: ErrorCode, message: string, text: string, offset: number): PipelineError {
  return new PipelineError("pipeline", [pipelineDiagnostic(code, message, text, offset)]);
}

const NAME_CHAR = /[A-Za-z0-9_.$-]/;
const VALUE_STOP = /[\s,{}="]/;

/** Parses pipeline text against `lookup`. Empty or blank text is the empty
 * pipeline. Throws PipelineError E_PIPELINE_SYNTAX, E_PIPELINE_UNKNOWN_PASS or
 * E_PIPELINE_OPTION at the offending character. */
export function parsePipelineWith(text: string, lookup: PassLookup): Pipeline {
  return new Parser(text, lookup).pipeline();
}

class Parser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly lookup: PassLookup,
  ) {}

  pipeline(): Pipeline {
    const passes: PassInvocation[] = [];
    this.skipSpace();
    if (this.pos === this.text.length) return { text: this.text, passes };
    for (;;) {
      passes.push(this.invocation());
      this.skipSpace();
      if (this.pos === this.text.length) break;
      if (this.peek() !== ",") this.fail("E_PIPELINE_SYNTAX", `expected ',' between passes, found ${this.describe()}`);
      this.pos++;
      this.skipSpace();
    }
    return { text: this.text, passes };
  }

  private invocation(): PassInvocation {
    const start = this.pos;
    const name = this.word(NAME_CHAR);
    if (name === "") this.fail("E_PIPELINE_SYNTAX", `expected a pass name, found ${this.describe()}`);
    const pass = this.lookup.get(name);
    if (!pass) {
      this.fail("E_PIPELINE_UNKNOWN_PASS", `unknown pass '${name}'${didYouMean(name, this.lookup.names())}`, start);
    }
    const given = new Map<string, OptionValue>();
    if (this.peek() === "{") {
      this.pos++;
      this.options(pass, given);
    }
    for (const spec of pass.options) {
      if (spec.required && !given.has(spec.name)) {
        this.fail("E_PIPELINE_OPTION", `pass '${name}' needs option ${spec.name}=<${spec.kind}> (${spec.doc})`, start);
      }
    }
    const options: Record<string, OptionValue> = {};
    for (const spec of pass.options) {
      const value = given.get(spec.name) ?? spec.default;
      if (value !== undefined) options[spec.name] = value;
    }
    return { pass, options, text: this.text.slice(start, this.pos), offset: start };
  }

  private options(pass: Pass, given: Map<string, OptionValue>): void {
    for (;;) {
      this.skipSpace();
      if (this.peek() === "}") {
        this.pos++;
        return;
      }
      if (this.pos === this.text.length) this.fail("E_PIPELINE_SYNTAX", `unterminated options of '${pass.name}': expected '}'`);
      const keyAt = this.pos;
      const key = this.word(NAME_CHAR);
      if (key === "") this.fail("E_PIPELINE_SYNTAX", `expected an option name or '}', found ${this.describe()}`);
      const spec = pass.options.find((o) => o.name === key);
      if (!spec) {
        const known = pass.options.map((o) => o.name);
        const hint = known.length ? didYouMean(key, known) || `; its options are ${known.join(", ")}` : "; it takes no options";
        this.fail("E_PIPELINE_OPTION", `unknown option '${key}' of pass '${pass.name}'${hint}`, keyAt);
      }
      if (given.has(key)) this.fail("E_PIPELINE_OPTION", `option '${key}' given twice`, keyAt);
      if (this.peek() === "=") {
        this.pos++;
        given.set(key, this.value(spec));
      } else if (spec.kind === "bool") {
        given.set(key, true);
      } else {
        this.fail("E_PIPELINE_OPTION", `option '${key}' needs a value: ${key}=<${spec.kind}>`, keyAt);
      }
      const next = this.peek();
      if (next !== "}" && next !== undefined && !/\s/.test(next)) {
        this.fail("E_PIPELINE_SYNTAX", `expected a space or '}' after option '${key}', found ${this.describe()}`);
      }
    }
  }

  /** A value for `spec`: one item, or comma-separated items for lists. */
  private value(spec: OptionSpec): OptionValue {
    const items: { text: string; at: number }[] = [];
    for (;;) {
      const at = this.pos;
      items.push({ text: this.item(), at });
      if (this.peek() !== ",") break;
      this.pos++;
    }
    const isList = spec.kind === "int-list" || spec.kind === "string-list";
    if (!isList && items.length > 1) {
      this.fail("E_PIPELINE_OPTION", `option '${spec.name}' takes a single ${spec.kind}, not a list`, items[1]!.at - 1);
    }
    const asInt = (it: { text: string; at: number }): number => {
      if (!/^-?\d+$/.test(it.text) || !Number.isSafeInteger(Number(it.text))) {
        this.fail("E_PIPELINE_OPTION", `option '${spec.name}' expects an integer, found '${it.text}'`, it.at);
      }
      return Number(it.text);
    };
    switch (spec.kind) {
      case "string":
        return items[0]!.text;
      case "int":
        return asInt(items[0]!);
      case "bool": {
        const it = items[0]!;
        if (it.text !== "true" && it.text !== "false") {
          this.fail("E_PIPELINE_OPTION", `option '${spec.name}' expects true or false, found '${it.text}'`, it.at);
        }
        return it.text === "true";
      }
      case "int-list":
        return items.map(asInt);
      case "string-list":
        return items.map((it) => it.text);
    }
  }

  /** One list item: a JSON-quoted string or a run of characters up to a delimiter. */
  private item(): string {
    const at = this.pos;
    if (this.peek() === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(this.text.slice(at));
      if (!m) this.fail("E_PIPELINE_SYNTAX", "unterminated quoted value");
      this.pos += m[0].length;
      try {
        return JSON.parse(m[0]) as string;
      } catch {
        this.fail("E_PIPELINE_SYNTAX", `malformed quoted value ${m[0]}`, at);
      }
    }
    while (this.pos < this.text.length && !VALUE_STOP.test(this.text[this.pos]!)) this.pos++;
    if (this.pos === at) this.fail("E_PIPELINE_SYNTAX", `expected a value, found ${this.describe()}`);
    return this.text.slice(at, this.pos);
  }

  private word(chars: RegExp): string {
    const start = this.pos;
    while (this.pos < this.text.length && chars.test(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private describe(): string {
    const c = this.peek();
    return c === undefined ? "end of text" : `'${c}'`;
  }

  private fail(code: ErrorCode, message: string, at = this.pos): never {
    throw pipelineError(code, message, this.text, at);
  }
}
