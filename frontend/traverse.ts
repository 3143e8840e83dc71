// Iterative depth-first traversal of TypeScript syntax trees. Every frontend
// walk goes through here so that deeply nested input never exhausts the call
// stack (DESIGN.md §7): the stack of pending children is an explicit array.

import type ts from "typescript";

/** Visits `root` depth first without recursion. `enter` returns the children
 * to visit, in order (or nothing to skip them); `exit` runs after them. */
export function traverse(root: ts.Node, enter: (node: ts.Node) => readonly ts.Node[] | undefined, exit: (node: ts.Node) => void): void {
  const nodes: ts.Node[] = [root];
  const kids: (readonly ts.Node[] | undefined)[] = [enter(root)];
  const next: number[] = [0];
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const children = kids[top];
    const i = next[top]!;
    if (children !== undefined && i < children.length) {
      next[top] = i + 1;
      const child = children[i]!;
      nodes.push(child);
      kids.push(enter(child));
      next.push(0);
    } else {
      exit(nodes[top]!);
      nodes.pop();
      kids.pop();
      next.pop();
    }
  }
}
