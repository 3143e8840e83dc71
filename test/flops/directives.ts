// Directives of the flop-count fixtures (test/flops/fixtures/*.ir), one per
// `//` comment line, written by hand from the IR before any analysis ran:
//
//   // flops: @f(1.0, 10.0) total=31 add=10 compare=11   exact counts of one run;
//                                                        classes not listed are 0
//   // formula: @f total = 3*ceil(n) + 1                  closed form of a quantity
//   // formula: @f mul = none                             no exact closed form (quantities
//                                                        of @f not listed must be 0)
//   // bounds: @f mul = 0 .. ceil(n)                      lower and upper bounds (the
//                                                        full set for @f)
//   // assumes: @f ceil(n) >= 0                           one condition (the full set)
//   // sizes: @f(0.5, N) N=0,1,2,7,10                     closed form == run, per size
//   // linear: @f(0.5, N)                                 counts linear in N = 0..10
//   // linear: @f(0.5, N) total int                       only these quantities
//   // not-applicable: @f(0.5, -2.0)                      an assumption fails there
//
// Arguments: numbers (f64), `[1.0, 2.0]` (an f64 array), `fill(N*M, 1.5)` (an
// array of that length); size variables N and M are substituted first.
// A malformed directive throws a plain Error naming its line.

/** An argument value of a fixture call. */
export type FixtureArg = number | Float64Array;

export interface Call {
  readonly fn: string;
  /** Argument text with size variables unsubstituted. */
  readonly template: string;
  readonly line: number;
}

export interface FixtureDirectives {
  readonly flops: readonly (Call & { readonly expect: Readonly<Record<string, number>> })[];
  readonly formulas: readonly { readonly fn: string; readonly quantity: string; readonly text: string | null; readonly line: number }[];
  readonly bounds: readonly { readonly fn: string; readonly quantity: string; readonly lower: string; readonly upper: string }[];
  readonly assumes: readonly { readonly fn: string; readonly text: string }[];
  readonly sizes: readonly (Call & { readonly vars: Readonly<Record<string, readonly number[]>> })[];
  readonly linear: readonly (Call & { readonly quantities: readonly string[] })[];
  readonly notApplicable: readonly Call[];
}

const CALL = /^@([A-Za-z_$][\w$.]*)\((.*)\)(.*)$/;

function parseCall(text: string, line: number): Call & { rest: string } {
  const m = CALL.exec(text.trim());
  if (!m) throw new Error(`line ${line}: expected @f(args) in '${text}'`);
  return { fn: m[1]!, template: m[2]!, rest: m[3]!.trim(), line };
}

/** Every directive of a fixture's text. */
export function parseDirectives(text: string): FixtureDirectives {
  const out = { flops: [], formulas: [], bounds: [], assumes: [], sizes: [], linear: [], notApplicable: [] } as {
    [K in keyof FixtureDirectives]: FixtureDirectives[K] extends readonly (infer T)[] ? T[] : never;
  };
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    const m = /^\s*\/\/\s*(flops|formula|bounds|assumes|sizes|linear|not-applicable):(.*)$/.exec(raw);
    if (!m) return;
    const body = m[2]!.trim();
    switch (m[1]) {
      case "flops": {
        const c = parseCall(body, line);
        const expect: Record<string, number> = {};
        for (const kv of c.rest.split(/\s+/).filter(Boolean)) {
          const [k, v] = kv.split("=");
          if (!k || v === undefined || !Number.isFinite(Number(v))) throw new Error(`line ${line}: bad count '${kv}'`);
          expect[k] = Number(v);
        }
        out.flops.push({ fn: c.fn, template: c.template, line, expect });
        return;
      }
      case "formula": {
        const f = /^@([\w$.]+)\s+(\w+)\s*=\s*(.+)$/.exec(body);
        if (!f) throw new Error(`line ${line}: expected '@f quantity = formula'`);
        out.formulas.push({ fn: f[1]!, quantity: f[2]!, text: f[3]!.trim() === "none" ? null : f[3]!.trim(), line });
        return;
      }
      case "bounds": {
        const f = /^@([\w$.]+)\s+(\w+)\s*=\s*(.+?)\s+\.\.\s+(.+)$/.exec(body);
        if (!f) throw new Error(`line ${line}: expected '@f quantity = lower .. upper'`);
        out.bounds.push({ fn: f[1]!, quantity: f[2]!, lower: f[3]!, upper: f[4]!.trim() });
        return;
      }
      case "assumes": {
        const f = /^@([\w$.]+)\s+(.+)$/.exec(body);
        if (!f) throw new Error(`line ${line}: expected '@f condition'`);
        out.assumes.push({ fn: f[1]!, text: f[2]!.trim() });
        return;
      }
      case "sizes": {
        const c = parseCall(body, line);
        const vars: Record<string, number[]> = {};
        for (const kv of c.rest.split(/\s+/).filter(Boolean)) {
          const [k, v] = kv.split("=");
          if (!k || !v) throw new Error(`line ${line}: bad sizes '${kv}'`);
          vars[k] = v.split(",").map(Number);
        }
        out.sizes.push({ fn: c.fn, template: c.template, line, vars });
        return;
      }
      case "linear": {
        const c = parseCall(body, line);
        out.linear.push({ fn: c.fn, template: c.template, line, quantities: c.rest.split(/\s+/).filter(Boolean) });
        return;
      }
      case "not-applicable":
        out.notApplicable.push(parseCall(body, line));
        return;
    }
  });
  return out;
}

/** Splits at commas outside brackets and parentheses. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(" || ch === "[") depth++;
    if (ch === ")" || ch === "]") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => p.trim());
}

/** A product of numbers and variables, e.g. `N*M`, `3`. */
function evalExpr(text: string, env: Readonly<Record<string, number>>): number {
  return text.split("*").reduce((acc, t) => {
    const s = t.trim();
    const v = s in env ? env[s]! : Number(s);
    if (!Number.isFinite(v)) throw new Error(`bad number '${s}' in '${text}'`);
    return acc * v;
  }, 1);
}

/** The arguments of a call, with size variables bound by `env`. */
export function buildArgs(template: string, env: Readonly<Record<string, number>> = {}): FixtureArg[] {
  return splitTop(template).map((item) => {
    const fill = /^fill\((.*),(.*)\)$/.exec(item);
    if (fill) return new Float64Array(evalExpr(fill[1]!, env)).fill(evalExpr(fill[2]!, env));
    if (item.startsWith("[")) return Float64Array.from(splitTop(item.slice(1, -1)), (x) => evalExpr(x, env));
    return evalExpr(item, env);
  });
}
