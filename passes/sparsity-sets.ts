// Dependency sets of the sparsity analysis, kept in one arena per analysis
// run: sets of input indices (first order) and sets of symmetric index pairs
// (Hessian patterns). Sets are immutable integer handles, shared freely
// between values; 0 is the empty set. A first-order set is a *leaf* (a handle
// > 0: the offset of a length-prefixed sorted run of indices in `pool`) or a
// lazy *union* node (a handle < 0). A Hessian set is a lazy DAG of unions and
// cross products `A × B ∪ B × A` of first-order sets. Unions are O(1) (leaves
// of up to SMALL_LEAF indices merge eagerly, exactly), so a reduction over n
// inputs costs O(n), not O(n²); sets are flattened only when read
// (`toSorted`, `pairsOf`), with visit marks so shared sub-DAGs are walked
// once. Integer handles in typed arrays keep the garbage collector out of the
// inner loop (measured: half the time at n = 10^5 went to GC with JS arrays).
// Imports nothing.

/** A set of input indices: 0 (empty), a leaf (> 0) or a union node (< 0). */
export type DepSet = number;

/** A set of symmetric input index pairs: 0 (empty) or a node (> 0). */
export type HessSet = number;

/** Leaves up to this size are merged eagerly. */
const SMALL_LEAF = 16;

/** Per union node: a, b, flattened leaf (0: not yet), visit mark. */
const UNION_WORDS = 4;
/** Per Hessian node: kind (1 cross, 0 union), a, b, visit mark. */
const HESS_WORDS = 4;

function grow(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const out = new Int32Array(Math.max(need, 2 * a.length));
  out.set(a);
  return out;
}

/** The sets of one analysis run. */
export class SetArena {
  /** Leaves: pool[h] = length, pool[h+1 .. h+length] = sorted indices. Offset 0 is unused. */
  private pool = new Int32Array(1 << 12);
  private top = 1;
  private unions = new Int32Array(UNION_WORDS * 256);
  private unionCount = 0;
  private hess = new Int32Array(HESS_WORDS * 256);
  private hessCount = 1;
  private singletons = new Int32Array(0);
  private epoch = 0;
  /** Element marks for flattening, indexed by input. */
  private seen = new Int32Array(0);

  /** `inputs`: the number of input indices (indices are 0 .. inputs-1). */
  constructor(inputs: number) {
    this.singletons = new Int32Array(inputs);
    this.seen = new Int32Array(inputs);
    this.pool = grow(this.pool, 16 * inputs + 1);
  }

  /** The set {k}. */
  singleton(k: number): DepSet {
    let h = this.singletons[k]!;
    if (h === 0) {
      this.pool = grow(this.pool, this.top + 2);
      h = this.top;
      this.pool[h] = 1;
      this.pool[h + 1] = k;
      this.top += 2;
      this.singletons[k] = h;
    }
    return h;
  }

  private leafFrom(xs: ArrayLike<number>): DepSet {
    const n = xs.length;
    if (n === 0) return 0;
    this.pool = grow(this.pool, this.top + n + 1);
    const h = this.top;
    this.pool[h] = n;
    for (let k = 0; k < n; k++) this.pool[h + 1 + k] = xs[k]!;
    this.top += n + 1;
    return h;
  }

  /** Merges two leaves; returns an operand itself when it contains the other. */
  private mergeLeaves(a: DepSet, b: DepSet): DepSet {
    const na = this.pool[a]!;
    const nb = this.pool[b]!;
    this.pool = grow(this.pool, this.top + na + nb + 1);
    const p = this.pool;
    const h = this.top;
    let i = a + 1;
    let j = b + 1;
    const ea = i + na;
    const eb = j + nb;
    let o = h + 1;
    while (i < ea && j < eb) {
      const x = p[i]!;
      const y = p[j]!;
      if (x <= y) {
        p[o++] = x;
        i++;
        if (x === y) j++;
      } else {
        p[o++] = y;
        j++;
      }
    }
    while (i < ea) p[o++] = p[i++]!;
    while (j < eb) p[o++] = p[j++]!;
    const n = o - h - 1;
    if (n === na) return a;
    if (n === nb) return b;
    p[h] = n;
    this.top = o;
    return h;
  }

  /** a ∪ b. Constant time apart from merging two small leaves. */
  union(a: DepSet, b: DepSet): DepSet {
    if (a === b || b === 0) return a;
    if (a === 0) return b;
    const u = this.unions;
    if (a > 0) {
      if (b > 0 && this.pool[a]! + this.pool[b]! <= SMALL_LEAF) return this.mergeLeaves(a, b);
    } else {
      const k = (-a - 1) * UNION_WORDS;
      if (u[k] === b || u[k + 1] === b) return a;
    }
    if (b < 0) {
      const k = (-b - 1) * UNION_WORDS;
      if (u[k] === a || u[k + 1] === a) return b;
    }
    this.unions = grow(u, (this.unionCount + 1) * UNION_WORDS);
    const k = this.unionCount++ * UNION_WORDS;
    this.unions[k] = a;
    this.unions[k + 1] = b;
    this.unions[k + 2] = 0;
    this.unions[k + 3] = 0;
    return -(this.unionCount);
  }

  /** `s` as a leaf (0 if empty); union nodes cache their flattening. */
  private flatten(s: DepSet): DepSet {
    if (s >= 0) return s;
    const root = (-s - 1) * UNION_WORDS;
    if (this.unions[root + 2] !== 0) return this.unions[root + 2]!;
    const e = ++this.epoch;
    const out: number[] = [];
    const stack: number[] = [s];
    while (stack.length) {
      const t = stack.pop()!;
      if (t === 0) continue;
      let leaf = t;
      if (t < 0) {
        const k = (-t - 1) * UNION_WORDS;
        if (this.unions[k + 2] === 0) {
          if (this.unions[k + 3] === e) continue;
          this.unions[k + 3] = e;
          stack.push(this.unions[k]!, this.unions[k + 1]!);
          continue;
        }
        leaf = this.unions[k + 2]!;
      }
      const p = this.pool;
      for (let i = leaf + 1, end = leaf + 1 + p[leaf]!; i < end; i++) {
        const x = p[i]!;
        if (this.seen[x] !== e) {
          this.seen[x] = e;
          out.push(x);
        }
      }
    }
    out.sort((x, y) => x - y);
    const h = this.leafFrom(out);
    this.unions[root + 2] = h;
    return h;
  }

  /** The elements of `s`, sorted ascending. */
  toSorted(s: DepSet): number[] {
    const h = this.flatten(s);
    if (h === 0) return [];
    const out: number[] = [];
    for (let i = h + 1, end = h + 1 + this.pool[h]!; i < end; i++) out.push(this.pool[i]!);
    return out;
  }

  /** The patterns of `sets` as compressed rows: row r's sorted columns are
   * `colIdx[rowPtr[r] .. rowPtr[r+1])`. */
  toRows(sets: readonly DepSet[]): { rowPtr: Int32Array; colIdx: Int32Array } {
    const n = sets.length;
    const leaves = new Int32Array(n);
    const rowPtr = new Int32Array(n + 1);
    for (let r = 0; r < n; r++) {
      const h = (leaves[r] = this.flatten(sets[r]!));
      rowPtr[r + 1] = rowPtr[r]! + (h === 0 ? 0 : this.pool[h]!);
    }
    const colIdx = new Int32Array(rowPtr[n]!);
    const p = this.pool;
    for (let r = 0; r < n; r++) {
      const h = leaves[r]!;
      let o = rowPtr[r]!;
      for (let i = h + 1, end = h === 0 ? h : h + 1 + p[h]!; i < end; i++) colIdx[o++] = p[i]!;
    }
    return { rowPtr, colIdx };
  }

  /** True if a ⊆ b. */
  isSubset(a: DepSet, b: DepSet): boolean {
    if (a === 0 || a === b) return true;
    if (b === 0) return false;
    if (b < 0) {
      const k = (-b - 1) * UNION_WORDS;
      if (this.unions[k] === a || this.unions[k + 1] === a) return true;
    }
    const ha = this.flatten(a);
    const hb = this.flatten(b);
    const p = this.pool;
    let j = hb + 1;
    const eb = hb + 1 + p[hb]!;
    for (let i = ha + 1, ea = ha + 1 + p[ha]!; i < ea; i++) {
      const x = p[i]!;
      while (j < eb && p[j]! < x) j++;
      if (j === eb || p[j] !== x) return false;
    }
    return true;
  }

  private hessNode(cross: number, a: number, b: number): HessSet {
    this.hess = grow(this.hess, (this.hessCount + 1) * HESS_WORDS);
    const k = this.hessCount * HESS_WORDS;
    this.hess[k] = cross;
    this.hess[k + 1] = a;
    this.hess[k + 2] = b;
    this.hess[k + 3] = 0;
    return this.hessCount++;
  }

  /** The Hessian set a ∪ b. */
  hessUnion(a: HessSet, b: HessSet): HessSet {
    if (a === b || b === 0) return a;
    if (a === 0) return b;
    const h = this.hess;
    const ka = a * HESS_WORDS;
    if (h[ka] === 0 && (h[ka + 1] === b || h[ka + 2] === b)) return a;
    const kb = b * HESS_WORDS;
    if (h[kb] === 0 && (h[kb + 1] === a || h[kb + 2] === a)) return b;
    return this.hessNode(0, a, b);
  }

  /** The symmetric pairs a × b ∪ b × a (empty if either set is). */
  hessCross(a: DepSet, b: DepSet): HessSet {
    return a === 0 || b === 0 ? 0 : this.hessNode(1, a, b);
  }

  /** The pairs of `h` as per-row sorted, duplicate-free column lists over `n` inputs. */
  pairsOf(h: HessSet, n: number): number[][] {
    const rows: number[][] = Array.from({ length: n }, () => []);
    if (h === 0) return rows;
    const e = ++this.epoch;
    const stack = [h];
    while (stack.length) {
      const t = stack.pop()!;
      const k = t * HESS_WORDS;
      if (this.hess[k + 3] === e) continue;
      this.hess[k + 3] = e;
      const a = this.hess[k + 1]!;
      const b = this.hess[k + 2]!;
      if (this.hess[k] === 0) {
        if (a !== 0) stack.push(a);
        if (b !== 0) stack.push(b);
        continue;
      }
      const as = this.toSorted(a);
      const bs = a === b ? as : this.toSorted(b);
      for (const i of as) for (const j of bs) rows[i]!.push(j);
      if (a !== b) for (const i of bs) for (const j of as) rows[i]!.push(j);
    }
    return rows.map(sortUnique);
  }

  /** True if every pair of `a` is in `b` (over `n` inputs). */
  isHessSubset(a: HessSet, b: HessSet, n: number): boolean {
    if (a === 0 || a === b) return true;
    if (b === 0) return false;
    const kb = b * HESS_WORDS;
    if (this.hess[kb] === 0 && (this.hess[kb + 1] === a || this.hess[kb + 2] === a)) return true;
    const ra = this.pairsOf(a, n);
    const rb = this.pairsOf(b, n);
    return ra.every((row, i) => {
      const other = new Set(rb[i]!);
      return row.every((j) => other.has(j));
    });
  }
}

/** Sorts a list of indices in place and drops duplicates. */
export function sortUnique(xs: number[]): number[] {
  if (xs.length < 2) return xs;
  xs.sort((x, y) => x - y);
  let k = 1;
  for (let i = 1; i < xs.length; i++) if (xs[i] !== xs[k - 1]) xs[k++] = xs[i]!;
  xs.length = k;
  return xs;
}
