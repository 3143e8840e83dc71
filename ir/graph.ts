// graphology views of the IR for pictures and whole-program questions: the CFG
// of a function, the call graph of a module, its strongly connected components
// (recursion), and Graphviz DOT text of a CFG. Derived views only: analyses in
// inner loops use ir/cfg.ts (dense arrays). Reads the IR, never changes it.
// Imports ir/ modules and graphology.

import { DirectedGraph, MultiDirectedGraph } from "graphology";
import { computeDomTree, dominates } from "./cfg.js";
import { assert } from "./errors.js";
import { blockNames, formatName, printFunc, type PrintOptions } from "./printer.js";
import { termEdges, type BlockId, type Func, type Module } from "./types.js";

/** Node attributes of `cfgGraph`: the block id, its printed name, and whether the entry reaches it. */
export interface CfgNode {
  readonly block: BlockId;
  readonly name: string;
  readonly reachable: boolean;
}

/** Edge attributes of `cfgGraph`. `back` marks edges whose target dominates
 * their source (the back edges of natural loops). */
export interface CfgEdge {
  readonly kind: "br" | "then" | "else";
  readonly back: boolean;
}

/** The CFG as a multigraph (`condbr %c, ^a, ^a` has two edges). Node keys are
 * the printed block names (without `^`); edge keys are `kind:source`. */
export function cfgGraph(func: Func): MultiDirectedGraph<CfgNode, CfgEdge> {
  const g = new MultiDirectedGraph<CfgNode, CfgEdge>();
  const names = blockNames(func);
  const tree = computeDomTree(func);
  func.blocks.forEach((_, b) => g.addNode(names[b]!, { block: b, name: names[b]!, reachable: tree.rpo.index[b]! >= 0 }));
  func.blocks.forEach((block, b) => {
    const t = block.term;
    const kinds: CfgEdge["kind"][] = t.kind === "condbr" ? ["then", "else"] : ["br"];
    termEdges(t).forEach((e, i) => {
      const kind = kinds[i]!;
      const back = dominates(tree, e.block, b);
      g.addDirectedEdgeWithKey(`${kind}:${names[b]}`, names[b]!, names[e.block]!, { kind, back });
    });
  });
  return g;
}

/** Node attributes of `callGraph`. */
export interface CallNode {
  readonly kind: "func" | "extern";
}

/** Edge attributes of `callGraph`: how many call sites the caller has for the callee. */
export interface CallEdge {
  readonly calls: number;
}

/** The call graph: one node per function and extern name, an edge caller ->
 * callee per called name. Calls to unknown names are skipped (the verifier
 * reports them); a name defined twice is one node. */
export function callGraph(module: Module): DirectedGraph<CallNode, CallEdge> {
  const g = new DirectedGraph<CallNode, CallEdge>();
  for (const e of module.externs) g.mergeNode(e.name, { kind: "extern" });
  for (const f of module.funcs) if (!g.hasNode(f.name)) g.addNode(f.name, { kind: "func" });
  const seen = new Set<string>();
  for (const f of module.funcs) {
    if (seen.has(f.name)) continue;
    seen.add(f.name);
    for (const block of f.blocks) {
      for (const inst of block.insts) {
        if (inst.callee === undefined || !g.hasNode(inst.callee)) continue;
        if (g.hasEdge(f.name, inst.callee)) g.updateEdgeAttribute(f.name, inst.callee, "calls", (n) => (n ?? 0) + 1);
        else g.addEdge(f.name, inst.callee, { calls: 1 });
      }
    }
  }
  return g;
}

/** Strongly connected components of the call graph, callees before callers
 * (reverse topological order, as a bottom-up interprocedural pass wants).
 * Iterative Tarjan, so call chains of any length are fine. */
export function callSCCs(module: Module): string[][] {
  return stronglyConnected(callGraph(module));
}

/** Functions that can call themselves: members of a call-graph cycle, direct
 * self-recursion included. */
export function recursiveFuncs(module: Module): Set<string> {
  const g = callGraph(module);
  const out = new Set<string>();
  for (const comp of stronglyConnected(g)) {
    if (comp.length > 1 || g.hasEdge(comp[0]!, comp[0]!)) for (const f of comp) out.add(f);
  }
  return out;
}

/** Tarjan's algorithm with an explicit stack; components in reverse topological order. */
function stronglyConnected(g: DirectedGraph<CallNode, CallEdge>): string[][] {
  const names = g.nodes();
  const index = new Map(names.map((n, i) => [n, i]));
  const succ = names.map((n) => g.outNeighbors(n).map((m) => index.get(m)!));
  const n = names.length;
  const order = new Int32Array(n).fill(-1); // discovery number
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const next = new Int32Array(n); // next successor to visit
  const stack: number[] = [];
  const path: number[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    path.push(root);
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (path.length) {
      const v = path[path.length - 1]!;
      const s = succ[v]!;
      if (next[v]! < s.length) {
        const w = s[next[v]!++]!;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          path.push(w);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, order[w]!);
        continue;
      }
      path.pop();
      if (path.length) {
        const u = path[path.length - 1]!;
        low[u] = Math.min(low[u]!, low[v]!);
      }
      if (low[v] === order[v]) {
        const comp: string[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(names[w]!);
        } while (w !== v);
        out.push(comp);
      }
    }
  }
  return out;
}

/** Options of `toDot`: printer options for the block contents, plus whether to
 * show the contents at all (false: block names only). */
export interface DotOptions extends PrintOptions {
  readonly contents?: boolean;
}

/** Graphviz DOT text of a function's CFG. Each block is a node whose HTML
 * label lists its printed header, instructions and terminator; edges are
 * labelled then/else; back edges are dashed and `constraint=false` so loops
 * do not distort the layout. Node ids are `b<id>` and every printed text is
 * escaped, so no name can break the DOT syntax. */
export function toDot(func: Func, options: DotOptions = {}): string {
  const g = cfgGraph(func);
  const contents = options.contents ?? true;
  const lines = printFunc(func, options).split("\n");
  const rows: string[][] = [];
  let line = 1;
  for (const block of func.blocks) {
    rows.push(contents ? lines.slice(line, line + block.insts.length + 2) : [lines[line]!]);
    line += block.insts.length + 2;
  }
  assert(line + 1 === lines.length, `toDot: printed @${func.name} does not have the expected layout`);
  const out = [`digraph ${dotString(`@${formatName(func.name)}`)} {`];
  // Courier, not "monospace": Graphviz has metrics for it, so boxes fit the text.
  out.push(`  label=${dotString(lines[0]!)};`, "  labelloc=t;", '  node [shape=plaintext, fontname="Courier"];', '  edge [fontname="Courier"];');
  g.forEachNode((_, { block, reachable }) => {
    const cells = rows[block]!.map((text, i) => {
      const body = htmlEscape(i === 0 ? text : text.trimStart());
      return `<tr><td align="left"${i === 0 ? ' bgcolor="lightgrey"' : ""}>${i === 0 ? `<b>${body}</b>` : body}</td></tr>`;
    });
    const style = reachable ? "" : ' color="grey"';
    out.push(`  b${block} [label=<<table border="1" cellborder="0" cellspacing="0"${style}>${cells.join("")}</table>>];`);
  });
  g.forEachEdge((_, { kind, back }, __, ___, source, target) => {
    const attrs: string[] = [];
    if (kind !== "br") attrs.push(`label=${dotString(kind)}`);
    if (back) attrs.push("style=dashed", "constraint=false");
    out.push(`  b${source.block} -> b${target.block}${attrs.length ? ` [${attrs.join(", ")}]` : ""};`);
  });
  out.push("}");
  return out.join("\n") + "\n";
}

/** A DOT quoted string: backslashes and quotes escaped, line breaks as `\n`. */
function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n|\r/g, "\\n")}"`;
}

/** Text for an HTML-like DOT label: markup characters and DEL as character
 * references; other control characters but tab (which XML forbids even as
 * references) as visible `\uXXXX` text. */
function htmlEscape(text: string): string {
  return text.replace(/[&<>"'\u007f]|[\u0000-\u0008\u000a-\u001f]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 ? `\\u${code.toString(16).padStart(4, "0")}` : `&#${code};`;
  });
}
