// The mutable state of the sparsity analysis and its undo log. Every piece of
// state is a *cell* of a `Store`: registers of a call frame, return slots,
// elements of an array, entries of a stack (cell -1 is a stack's length). A
// cell holds an abstract value: a concrete value or UNKNOWN (data-dependent),
// its first-order dependency set and its Hessian set.
//
// Forks on data-dependent branches run each side in turn on the same state:
// writes to cells that existed when the side began are logged, then captured
// as a `Delta` (the side's final values of the cells it wrote) and rolled
// back; the join of the sides' deltas is written back at the join point
// (logged for any enclosing side). A cell that some side did not write also
// joins its value from before the fork, unless it is a dead register. Cells
// of stores created inside a side are never logged: nothing outside the side
// can see them until it ends. The cost of a fork is thus the work done inside
// it, not the size of the state.
// Imports ./sparsity-sets only.

import type { DepSet, HessSet } from "./sparsity-sets.js";
import { SetArena } from "./sparsity-sets.js";

/** A data-dependent value (global mode: anything computed from active inputs). */
export const UNKNOWN: unique symbol = Symbol("unknown");

/** A reference to a container: one store, or the stores it may be (sorted by id, ≥ 2). */
export type Ref = Store | readonly Store[];

/** What the analysis knows of a value: a runtime scalar, UNKNOWN, a container
 * reference, or undefined (a cell not written yet: the bottom of the lattice). */
export type Conc = number | boolean | Ref | typeof UNKNOWN | undefined;

/** A table of cells. */
export interface Store {
  readonly id: number;
  /** Clock value at creation (writes are logged only for stores older than the current side). */
  readonly born: number;
  readonly kind: "frame" | "array" | "stack";
  val: Conc[];
  dep: DepSet[];
  hes: HessSet[];
  /** Arrays and stacks: the number of elements, or -1 once *smashed*: cell 0
   * then summarizes every element and writes join into it. */
  length: number;
  /** A summary of several runtime containers (an allocation site inside a
   * data-dependent loop): writes join instead of replacing. Never reset. */
  weak: boolean;
  /** Delta bookkeeping, indexed by cell + 1 (lazily allocated). */
  stamp: Int32Array | null;
  slot: Int32Array | null;
}

/** The cells a side wrote and their values at its end. */
export interface Delta {
  readonly stores: Store[];
  readonly cells: number[];
  readonly val: Conc[];
  readonly dep: DepSet[];
  readonly hes: HessSet[];
}

/** True for container references. */
export function isRef(v: Conc): v is Ref {
  return typeof v === "object";
}

/** The stores a reference may denote. */
export function storesOf(r: Ref): readonly Store[] {
  return Array.isArray(r) ? (r as readonly Store[]) : [r as Store];
}

function refUnion(a: Ref, b: Ref): Ref {
  const all = [...storesOf(a), ...storesOf(b)].sort((x, y) => x.id - y.id);
  const out = all.filter((s, i) => i === 0 || all[i - 1] !== s);
  return out.length === 1 ? out[0]! : out;
}

/** The join of two concrete values: equal values stay, references unite, anything else is UNKNOWN. */
export function joinVal(a: Conc, b: Conc): Conc {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b) ? a : UNKNOWN;
  if (a === b) return a;
  if (isRef(a) && isRef(b)) return refUnion(a, b);
  return UNKNOWN;
}

/** a ⊑ b for concrete values. */
export function valLeq(a: Conc, b: Conc): boolean {
  if (a === undefined || b === UNKNOWN) return true;
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b);
  if (isRef(a) && isRef(b)) {
    const bs = storesOf(b);
    return storesOf(a).every((s) => bs.includes(s));
  }
  return a === b;
}

/** The analysis state: store allocation, the clock and the undo log. */
export class Heap {
  private clock = 0;
  private nextId = 0;
  private epoch = 0;
  /** Clock value when the innermost running side began (0: no side). */
  private sideStart = 0;
  private readonly logStore: Store[] = [];
  private readonly logCell: number[] = [];
  private readonly logVal: Conc[] = [];
  private readonly logDep: DepSet[] = [];
  private readonly logHes: HessSet[] = [];

  /** The sets of this run. */
  readonly sets: SetArena;

  /** `inputs`: the number of input indices. */
  constructor(private readonly inputs: number) {
    this.sets = new SetArena(inputs);
  }

  /** A new store of `size` cells, all holding (val, dep, hes). */
  newStore(kind: Store["kind"], size: number, val: Conc, dep: DepSet, hes: HessSet): Store {
    return {
      id: this.nextId++,
      born: ++this.clock,
      kind,
      val: new Array<Conc>(size).fill(val),
      dep: new Array<DepSet>(size).fill(dep),
      hes: new Array<HessSet>(size).fill(hes),
      length: kind === "frame" ? size : kind === "stack" ? 0 : size,
      weak: false,
      stamp: null,
      slot: null,
    };
  }

  /** Position of the log (a mark to roll back to). */
  get mark(): number {
    return this.logStore.length;
  }

  /** Begins a side: later writes to existing stores are logged. Returns the state to restore. */
  enterSide(): number {
    const prev = this.sideStart;
    this.sideStart = ++this.clock;
    return prev;
  }

  /** Ends a side begun by `enterSide`. */
  leaveSide(prev: number): void {
    this.sideStart = prev;
  }

  /** True if writes to `s` must be logged (it is older than the running side). */
  logs(s: Store): boolean {
    return s.born < this.sideStart;
  }

  /** Logs the current content of a cell (-1: the length) before a write. */
  logWrite(s: Store, cell: number): void {
    this.logStore.push(s);
    this.logCell.push(cell);
    if (cell < 0) {
      this.logVal.push(s.length);
      this.logDep.push(0);
      this.logHes.push(0);
    } else {
      this.logVal.push(s.val[cell]);
      this.logDep.push(s.dep[cell] ?? 0);
      this.logHes.push(s.hes[cell] ?? 0);
    }
  }

  /** Writes a cell (joining into it if the store is weak or smashed). */
  write(s: Store, cell: number, val: Conc, dep: DepSet, hes: HessSet): void {
    if (s.born < this.sideStart) this.logWrite(s, cell);
    if (s.weak || s.length < 0) {
      val = joinVal(s.val[cell], val);
      dep = this.sets.union(s.dep[cell] ?? 0, dep);
      hes = this.sets.hessUnion(s.hes[cell] ?? 0, hes);
    }
    s.val[cell] = val;
    s.dep[cell] = dep;
    s.hes[cell] = hes;
  }

  /** Joins (val, dep, hes) into a cell. */
  weakWrite(s: Store, cell: number, val: Conc, dep: DepSet, hes: HessSet): void {
    this.write(s, cell, joinVal(s.val[cell], val), this.sets.union(s.dep[cell] ?? 0, dep), this.sets.hessUnion(s.hes[cell] ?? 0, hes));
  }

  /** Sets a stack's length (-1 smashes it). */
  setLength(s: Store, length: number): void {
    if (s.born < this.sideStart) this.logWrite(s, -1);
    s.length = length;
  }

  /** Turns an array or stack into one summary cell holding the join of its elements. */
  smash(s: Store): void {
    if (s.length < 0) return;
    let val: Conc = undefined;
    let dep: DepSet = 0;
    let hes: HessSet = 0;
    for (let k = 0; k < s.length; k++) {
      val = joinVal(val, s.val[k]);
      dep = this.sets.union(dep, s.dep[k] ?? 0);
      hes = this.sets.hessUnion(hes, s.hes[k] ?? 0);
    }
    const size = s.length;
    this.setLength(s, -1);
    if (size === 0) return;
    // Written after the length so that the join keeps (val, dep, hes) exactly.
    this.write(s, 0, val, dep, hes);
  }

  /** Undoes every logged write after `mark`. */
  rollback(mark: number): void {
    for (let k = this.logStore.length - 1; k >= mark; k--) {
      const s = this.logStore[k]!;
      const cell = this.logCell[k]!;
      if (cell < 0) s.length = this.logVal[k] as number;
      else {
        s.val[cell] = this.logVal[k];
        s.dep[cell] = this.logDep[k]!;
        s.hes[cell] = this.logHes[k]!;
      }
    }
    this.logStore.length = this.logCell.length = this.logVal.length = this.logDep.length = this.logHes.length = mark;
  }

  private stampOf(s: Store, cell: number): Int32Array {
    const need = Math.max(cell + 2, s.val.length + 1);
    if (!s.stamp || s.stamp.length < need) {
      const stamp = new Int32Array(Math.max(need, 2 * (s.stamp?.length ?? 0)));
      const slot = new Int32Array(stamp.length);
      if (s.stamp) {
        stamp.set(s.stamp);
        slot.set(s.slot!);
      }
      s.stamp = stamp;
      s.slot = slot;
    }
    return s.stamp;
  }

  /** The cells logged since `mark` with their current values. */
  capture(mark: number): Delta {
    const e = ++this.epoch;
    const d: Delta = { stores: [], cells: [], val: [], dep: [], hes: [] };
    for (let k = mark; k < this.logStore.length; k++) {
      const s = this.logStore[k]!;
      const cell = this.logCell[k]!;
      const stamp = this.stampOf(s, cell);
      if (stamp[cell + 1] === e) continue;
      stamp[cell + 1] = e;
      d.stores.push(s);
      d.cells.push(cell);
      if (cell < 0) {
        d.val.push(s.length);
        d.dep.push(0);
        d.hes.push(0);
      } else {
        d.val.push(s.val[cell]);
        d.dep.push(s.dep[cell] ?? 0);
        d.hes.push(s.hes[cell] ?? 0);
      }
    }
    return d;
  }

  /** Writes, for every cell of the deltas, the join of its values in the
   * deltas and (where some delta did not write it, or `withBase`) its current
   * value. Returns true if some cell changed. Stacks whose lengths disagree are
   * smashed first. `dead(s, cell)` names cells nobody reads after the join
   * (registers whose definition does not dominate it): they take the deltas'
   * join alone, so stale values do not pile up across iterations. */
  joinDeltas(deltas: readonly Delta[], withBase: boolean, dead: (s: Store, cell: number) => boolean = () => false): boolean {
    const e = ++this.epoch;
    const stores: Store[] = [];
    const cells: number[] = [];
    const val: Conc[] = [];
    const dep: DepSet[] = [];
    const hes: HessSet[] = [];
    const count: number[] = [];
    for (const d of deltas) {
      for (let k = 0; k < d.stores.length; k++) {
        const s = d.stores[k]!;
        const cell = d.cells[k]!;
        const stamp = this.stampOf(s, cell);
        if (stamp[cell + 1] !== e) {
          stamp[cell + 1] = e;
          s.slot![cell + 1] = stores.length;
          stores.push(s);
          cells.push(cell);
          val.push(d.val[k]);
          dep.push(d.dep[k]!);
          hes.push(d.hes[k]!);
          count.push(1);
        } else {
          const j = s.slot![cell + 1]!;
          val[j] = cell < 0 ? (val[j] === d.val[k] ? val[j] : UNKNOWN) : joinVal(val[j], d.val[k]);
          dep[j] = this.sets.union(dep[j]!, d.dep[k]!);
          hes[j] = this.sets.hessUnion(hes[j]!, d.hes[k]!);
          count[j]!++;
        }
      }
    }
    // Lengths first: a disagreement smashes the stack before its cells are joined.
    const smashed = new Set<Store>();
    for (let j = 0; j < stores.length; j++) {
      if (cells[j]! >= 0) continue;
      const s = stores[j]!;
      const partial = withBase || count[j]! < deltas.length;
      const length = partial && val[j] !== s.length ? UNKNOWN : val[j];
      if (length === UNKNOWN || length === -1) smashed.add(s);
      else if (length !== s.length) this.setLength(s, length as number);
    }
    let changed = false;
    for (const s of smashed) {
      changed = changed || s.length >= 0;
      this.smash(s);
    }
    for (let j = 0; j < stores.length; j++) {
      const s = stores[j]!;
      const cell = smashed.has(s) ? 0 : cells[j]!;
      if (cells[j]! < 0) continue;
      let v = val[j];
      let dp: DepSet = dep[j]!;
      let hs: HessSet = hes[j]!;
      if (withBase || smashed.has(s) || (count[j]! < deltas.length && !dead(s, cell))) {
        if (valLeq(v, s.val[cell]) && this.sets.isSubset(dp, s.dep[cell] ?? 0) && this.sets.isHessSubset(hs, s.hes[cell] ?? 0, this.inputs)) continue;
        v = joinVal(v, s.val[cell]);
        dp = this.sets.union(dp, s.dep[cell] ?? 0);
        hs = this.sets.hessUnion(hs, s.hes[cell] ?? 0);
      }
      changed = true;
      this.write(s, cell, v, dp, hs);
    }
    return changed;
  }
}
