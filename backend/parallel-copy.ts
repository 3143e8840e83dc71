// Sequentialising a parallel copy (the block-argument assignment of one CFG
// edge) into ordinary assignments. A move is emitted once no pending move
// still reads its destination; when only cycles remain (a loop that swaps or
// rotates variables), one destination is saved in a temporary and the cycle
// unwinds. Identity moves vanish. Works on JS names; no imports.

/** One assignment `dest = src` of the sequential result. */
export interface Move {
  readonly dest: string;
  readonly src: string;
}

/** Assignments with the effect of `dests[i] = srcs[i]` for all i at once.
 * `dests` are distinct; `temp(k)` names the k-th temporary needed (k from 0). */
export function sequentialize(dests: readonly string[], srcs: readonly string[], temp: (k: number) => string): Move[] {
  const pending: Move[] = [];
  for (let i = 0; i < dests.length; i++) if (dests[i] !== srcs[i]) pending.push({ dest: dests[i]!, src: srcs[i]! });
  // The common case: no move reads another's destination, so any order works.
  if (!pending.some((m) => dests.includes(m.src))) return pending;
  const readers = new Map<string, number>();
  for (const m of pending) readers.set(m.src, (readers.get(m.src) ?? 0) + 1);
  const out: Move[] = [];
  let temps = 0;
  while (pending.length) {
    const k = pending.findIndex((m) => !readers.get(m.dest));
    if (k >= 0) {
      const m = pending[k]!;
      pending.splice(k, 1);
      out.push(m);
      readers.set(m.src, readers.get(m.src)! - 1);
      continue;
    }
    // Every destination is still read: only cycles remain. Save one destination.
    const saved = pending[0]!.dest;
    const t = temp(temps++);
    out.push({ dest: t, src: saved });
    for (let j = 0; j < pending.length; j++) {
      const m = pending[j]!;
      if (m.src === saved) pending[j] = { dest: m.dest, src: t };
    }
    readers.set(t, readers.get(saved)!);
    readers.set(saved, 0);
  }
  return out;
}
