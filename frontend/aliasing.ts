// Which array parameters a function may write (DESIGN.md §4: array arguments
// have value semantics, so a function that may write a parameter copies it on
// entry). A conservative may-alias analysis over array variables: union-find
// classes joined by assignments (`b = a`), declarations and call results
// (a callee may return any array it was given); a write through any member
// of a class marks the class. Callees copy their own written parameters, so
// passing an array to a call never counts as a write.

import type { VarId } from "./facts.js";

/** Union-find over array variables plus the set of written variables. */
export class ArrayAliases {
  private readonly parent: number[] = [];
  private readonly written = new Set<VarId>();

  private find(v: VarId): VarId {
    while (this.parent[v] !== undefined && this.parent[v] !== v) {
      const up = this.parent[v]!;
      this.parent[v] = this.parent[up] ?? up;
      v = up;
    }
    return v;
  }

  /** Records that `a` and `b` may refer to the same array. */
  union(a: VarId, b: VarId): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[ra] = rb;
  }

  /** Records a write through every variable of `vars`. */
  markWritten(vars: readonly VarId[]): void {
    for (const v of vars) this.written.add(v);
  }

  /** True if an array written anywhere may alias `v`. */
  mayBeWritten(v: VarId): boolean {
    const root = this.find(v);
    for (const w of this.written) if (this.find(w) === root) return true;
    return false;
  }
}
