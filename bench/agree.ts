// The agreement check run before timing: two results (numbers, float arrays,
// or lists of them) agree if every element matches to `rtol` relative, with an
// absolute floor of `rtol * 1e-6 * max|reference|` for entries that cancel to
// nearly zero.

/** A result as a flat list of numbers. */
export function flatten(r: unknown): number[] {
  if (typeof r === "number") return [r];
  if (r instanceof Float64Array || r instanceof Float32Array) return Array.from(r);
  if (Array.isArray(r)) return r.flatMap(flatten);
  if (r && typeof r === "object") return Object.values(r as Record<string, unknown>).flatMap(flatten);
  return [NaN];
}

/** The largest relative deviation of `got` from `want` (Infinity if shapes differ). */
export function maxRelativeError(got: unknown, want: unknown): number {
  const a = flatten(got);
  const b = flatten(want);
  if (a.length !== b.length) return Infinity;
  const scale = b.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (Number.isNaN(d)) {
      if (Number.isNaN(a[i]!) && Number.isNaN(b[i]!)) continue;
      return Infinity;
    }
    const ref = Math.max(Math.abs(a[i]!), Math.abs(b[i]!), 1e-6 * scale);
    if (d > 0) worst = Math.max(worst, d / ref);
  }
  return worst;
}
