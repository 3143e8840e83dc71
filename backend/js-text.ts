// The only two ways text derived from an input module reaches generated
// JavaScript: numeric literals through a numeric formatter, and names through a
// comment sanitiser that keeps a small safe alphabet. Every identifier of the
// generated code is made by the emitter itself (`v12`, `f_0`, `L3`). Pure
// functions, no imports.

/** A JavaScript expression for the number `x`, exact for every f64 (`String`
 * round-trips), parenthesised when negative so it can follow any operator. */
export function jsNumber(x: number): string {
  if (Number.isNaN(x)) return "(0/0)";
  if (x === Infinity) return "(1/0)";
  if (x === -Infinity) return "(-1/0)";
  if (Object.is(x, -0)) return "(-0)";
  const s = String(x);
  return x < 0 ? `(${s})` : s;
}

/** A JavaScript literal for a constant of IR type `type` (booleans are stored as 0/1). */
export function jsLiteral(type: string, value: number): string {
  return type === "bool" ? (value ? "true" : "false") : jsNumber(value);
}

/** `name` reduced to `[A-Za-z0-9_.$-]` (anything else becomes `_`) and at most
 * 48 characters: safe inside a `/* ... *\/` or `//` comment. */
export function commentSafe(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_.$-]/g, "_");
  return clean.length > 48 ? clean.slice(0, 45) + "..." : clean;
}
