// Graph colourings for compressed derivatives (Gebremedhin, Manne & Pothen,
// "What color is your Jacobian?", SIAM Review 2005), on dense typed arrays.
//
// - Jacobians: a distance-1 colouring of the column intersection graph (two
//   columns are adjacent when they share a row), so the columns of one colour
//   can be summed into one seed and read back unmixed. Adjacency is never
//   materialised: the neighbours of column j are the columns of j's rows,
//   deduplicated with a marker array, so memory stays O(nnz).
// - Hessians: a star colouring of the adjacency graph of the symmetric
//   pattern (a distance-1 colouring in which every path on four vertices uses
//   at least three colours), so each off-diagonal entry can be read from the
//   compressed column of one of its two ends.
// Vertex orders: largest-first (by degree) and smallest-last (repeatedly
// remove a vertex of minimum remaining degree, colour in reverse); `best`
// runs both and keeps the colouring with fewer colours.
// graphology is not used: its string-keyed nodes cost more than the whole
// compressed evaluation at n = 10^5 (bench T4), and these greedy algorithms
// need only neighbour lists. Imports nothing.

/** A pattern in compressed rows: row r's sorted columns are `colIdx[rowPtr[r] .. rowPtr[r+1])`. */
export interface RowPattern {
  readonly rows: number;
  readonly cols: number;
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
}

/** A colouring of the columns: colours 0 .. count-1. */
export interface Coloring {
  readonly count: number;
  readonly ofColumn: Int32Array;
}

/** Vertex orders of the greedy colourings. */
export type ColoringOrder = "largest-first" | "smallest-last" | "best";

/** The same pattern by columns: column c's sorted rows are `rowIdx[colPtr[c] .. colPtr[c+1])`. */
export function transpose(p: RowPattern): { colPtr: Int32Array; rowIdx: Int32Array } {
  const colPtr = new Int32Array(p.cols + 1);
  for (let k = 0; k < p.colIdx.length; k++) colPtr[p.colIdx[k]! + 1]!++;
  for (let c = 0; c < p.cols; c++) colPtr[c + 1]! += colPtr[c]!;
  const next = colPtr.slice(0, p.cols);
  const rowIdx = new Int32Array(p.colIdx.length);
  for (let r = 0; r < p.rows; r++) for (let k = p.rowPtr[r]!; k < p.rowPtr[r + 1]!; k++) rowIdx[next[p.colIdx[k]!]!++] = r;
  return { colPtr, rowIdx };
}

/** Neighbour lists of a graph on `n` vertices. */
interface Graph {
  readonly n: number;
  /** Writes the neighbours u ≠ v of v (each once) into `out`; returns how many. */
  neighbors(v: number, out: Int32Array): number;
}

/** The column intersection graph of a pattern (implicit: neighbours are
 * gathered from the rows of the column, deduplicated with epoch marks). */
function intersectionGraph(p: RowPattern): Graph {
  const { colPtr, rowIdx } = transpose(p);
  const mark = new Int32Array(p.cols);
  let epoch = 0;
  return {
    n: p.cols,
    neighbors(v, out) {
      const e = ++epoch;
      mark[v] = e;
      let k = 0;
      for (let q = colPtr[v]!; q < colPtr[v + 1]!; q++) {
        const r = rowIdx[q]!;
        for (let t = p.rowPtr[r]!; t < p.rowPtr[r + 1]!; t++) {
          const u = p.colIdx[t]!;
          if (mark[u] !== e) {
            mark[u] = e;
            out[k++] = u;
          }
        }
      }
      return k;
    },
  };
}

/** The adjacency graph of a symmetric pattern (off-diagonal entries). */
function adjacencyGraph(p: RowPattern): Graph {
  return {
    n: p.rows,
    neighbors(v, out) {
      let k = 0;
      for (let t = p.rowPtr[v]!; t < p.rowPtr[v + 1]!; t++) if (p.colIdx[t] !== v) out[k++] = p.colIdx[t]!;
      return k;
    },
  };
}

function degrees(g: Graph, buf: Int32Array): Int32Array {
  const deg = new Int32Array(g.n);
  for (let v = 0; v < g.n; v++) deg[v] = g.neighbors(v, buf);
  return deg;
}

/** Vertices by decreasing degree (ties by index), by counting sort. */
function largestFirst(g: Graph, buf: Int32Array): Int32Array {
  const deg = degrees(g, buf);
  let max = 0;
  for (let v = 0; v < g.n; v++) max = Math.max(max, deg[v]!);
  const start = new Int32Array(max + 2);
  for (let v = 0; v < g.n; v++) start[max - deg[v]! + 1]!++;
  for (let d = 0; d <= max; d++) start[d + 1]! += start[d]!;
  const order = new Int32Array(g.n);
  for (let v = 0; v < g.n; v++) order[start[max - deg[v]!]!++] = v;
  return order;
}

/** Matula–Beck smallest-last order with a bucket queue (linear in the edges). */
function smallestLast(g: Graph, buf: Int32Array): Int32Array {
  const n = g.n;
  const deg = degrees(g, buf);
  const head = new Int32Array(n + 1).fill(-1);
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const insert = (v: number): void => {
    const d = deg[v]!;
    prev[v] = -1;
    next[v] = head[d]!;
    if (head[d]! >= 0) prev[head[d]!] = v;
    head[d] = v;
  };
  const remove = (v: number): void => {
    if (prev[v]! >= 0) next[prev[v]!] = next[v]!;
    else head[deg[v]!] = next[v]!;
    if (next[v]! >= 0) prev[next[v]!] = prev[v]!;
  };
  for (let v = n - 1; v >= 0; v--) insert(v);
  const removed = new Uint8Array(n);
  const order = new Int32Array(n);
  let low = 0;
  for (let k = n - 1; k >= 0; k--) {
    low = Math.max(0, low - 1);
    while (head[low]! < 0) low++;
    const v = head[low]!;
    remove(v);
    removed[v] = 1;
    order[k] = v;
    const m = g.neighbors(v, buf);
    for (let q = 0; q < m; q++) {
      const u = buf[q]!;
      if (removed[u]) continue;
      remove(u);
      deg[u]!--;
      insert(u);
    }
  }
  return order;
}

/** Greedy distance-1 colouring in `order`. */
function greedy(g: Graph, order: Int32Array, buf: Int32Array): Coloring {
  const color = new Int32Array(g.n).fill(-1);
  const forbidden = new Int32Array(g.n + 1).fill(-1);
  let count = 0;
  for (let k = 0; k < order.length; k++) {
    const v = order[k]!;
    const m = g.neighbors(v, buf);
    for (let q = 0; q < m; q++) {
      const c = color[buf[q]!]!;
      if (c >= 0) forbidden[c] = v;
    }
    let c = 0;
    while (forbidden[c] === v) c++;
    color[v] = c;
    count = Math.max(count, c + 1);
  }
  return { count, ofColumn: color };
}

/** Greedy star colouring in `order`: colour v avoids its coloured neighbours'
 * colours and every colour that would close a two-coloured path on four
 * vertices through v (v at an end: v-w-x-y; v inside: w'-v-w-x). */
function greedyStar(g: Graph, order: Int32Array, buf: Int32Array): Coloring {
  const n = g.n;
  const color = new Int32Array(n).fill(-1);
  const forbidden = new Int32Array(n + 1).fill(-1);
  const seenColor = new Int32Array(n + 1).fill(-1);
  const repeated = new Int32Array(n + 1).fill(-1);
  const ws = new Int32Array(n);
  const xs = new Int32Array(n);
  let count = 0;
  for (let k = 0; k < order.length; k++) {
    const v = order[k]!;
    let nw = 0;
    const m = g.neighbors(v, buf);
    for (let q = 0; q < m; q++) {
      const w = buf[q]!;
      const cw = color[w]!;
      if (cw < 0) continue;
      ws[nw++] = w;
      forbidden[cw] = v;
      if (seenColor[cw] === v) repeated[cw] = v;
      seenColor[cw] = v;
    }
    for (let a = 0; a < nw; a++) {
      const w = ws[a]!;
      const cw = color[w]!;
      const twice = repeated[cw] === v;
      const mx = g.neighbors(w, xs);
      for (let b = 0; b < mx; b++) {
        const x = xs[b]!;
        const cx = color[x]!;
        if (x === v || cx < 0 || forbidden[cx] === v) continue;
        if (twice) {
          forbidden[cx] = v; // w'-v-w-x with c(w') = c(w)
          continue;
        }
        const my = g.neighbors(x, buf);
        for (let c = 0; c < my; c++) {
          if (buf[c] !== w && color[buf[c]!] === cw) {
            forbidden[cx] = v; // v-w-x-y with c(y) = c(w)
            break;
          }
        }
      }
    }
    let c = 0;
    while (forbidden[c] === v) c++;
    color[v] = c;
    count = Math.max(count, c + 1);
  }
  return { count, ofColumn: color };
}

function pick(g: Graph, order: ColoringOrder, colour: (g: Graph, o: Int32Array, buf: Int32Array) => Coloring): Coloring {
  const buf = new Int32Array(g.n);
  if (order === "largest-first") return colour(g, largestFirst(g, buf), buf);
  if (order === "smallest-last") return colour(g, smallestLast(g, buf), buf);
  const a = colour(g, largestFirst(g, buf), buf);
  const b = colour(g, smallestLast(g, buf), buf);
  return b.count < a.count ? b : a;
}

/** A colouring of the columns of a Jacobian pattern: no two columns of one colour share a row. */
export function columnColoring(p: RowPattern, order: ColoringOrder = "best"): Coloring {
  return pick(intersectionGraph(p), order, greedy);
}

/** A star colouring of a symmetric (Hessian) pattern. */
export function starColoring(p: RowPattern, order: ColoringOrder = "best"): Coloring {
  return pick(adjacencyGraph(p), order, greedyStar);
}

/** True if no two columns of one colour share a row. */
export function isValidColumnColoring(p: RowPattern, c: Coloring): boolean {
  for (let r = 0; r < p.rows; r++) {
    const used = new Set<number>();
    for (let k = p.rowPtr[r]!; k < p.rowPtr[r + 1]!; k++) {
      const col = c.ofColumn[p.colIdx[k]!]!;
      if (used.has(col)) return false;
      used.add(col);
    }
  }
  return true;
}

/** True if `c` is a star colouring of the symmetric pattern `p`: adjacent
 * vertices differ and no path on four vertices is two-coloured. */
export function isValidStarColoring(p: RowPattern, c: Coloring): boolean {
  const col = c.ofColumn;
  const nb = (v: number): number[] => Array.from(p.colIdx.subarray(p.rowPtr[v]!, p.rowPtr[v + 1]!)).filter((u) => u !== v);
  for (let w = 0; w < p.rows; w++) {
    for (const x of nb(w)) {
      if (col[w] === col[x]) return false;
      for (const v of nb(w)) {
        if (v === x || col[v] !== col[x]) continue;
        for (const y of nb(x)) if (y !== w && y !== v && col[y] === col[w]) return false;
      }
    }
  }
  return true;
}
