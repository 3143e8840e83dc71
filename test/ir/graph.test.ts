// graphology views: the CFG multigraph with edge kinds and back edges, the call
// graph, SCCs and recursion (mutual, self, long chains), and DOT output that
// stays well-formed whatever the names contain.

import { describe, expect, it } from "vitest";
import { FuncBuilder } from "../../ir/builder.js";
import { callGraph, callSCCs, cfgGraph, recursiveFuncs, toDot } from "../../ir/graph.js";
import { printFunc } from "../../ir/printer.js";
import type { Func, Module } from "../../ir/types.js";

/** A function with no parameters whose one block calls each of `callees`. */
function caller(name: string, callees: readonly string[], externs: readonly string[] = []): Func {
  const insts = [
    ...callees.map((callee) => ({ op: "call" as const, args: [], results: [], callee })),
    ...externs.map((callee) => ({ op: "call.extern" as const, args: [], results: [], callee })),
  ];
  return { name, results: [], blocks: [{ params: [], insts, term: { kind: "ret", values: [] } }], values: [] };
}

/** `entry -> loop; loop: condbr -> body | exit; body -> loop`, with caller-chosen names. */
function loopFunc(names: { func: string; blocks: [string, string, string, string]; value: string }): Func {
  const fb = new FuncBuilder(names.func, ["f64"]);
  const [entry, loop, body, exit] = names.blocks.map((n) => fb.addBlock(n)) as [number, number, number, number];
  const x = fb.addParam(entry, "f64", names.value);
  const c = fb.emit1(entry, "lt", [x, x], "bool", {}, "c");
  fb.br(entry, loop, [x]);
  const acc = fb.addParam(loop, "f64", "acc");
  fb.condbr(loop, c, body, [], exit, []);
  const next = fb.emit1(body, "add", [acc, x], "f64", {}, "next");
  fb.br(body, loop, [next]);
  fb.ret(exit, [acc]);
  return fb.finish();
}

describe("cfgGraph", () => {
  it("has one node per block and typed edges with back-edge flags", () => {
    const g = cfgGraph(loopFunc({ func: "f", blocks: ["entry", "loop", "body", "exit"], value: "x" }));
    expect(g.nodes()).toEqual(["entry", "loop", "body", "exit"]);
    expect(g.getNodeAttributes("body")).toEqual({ block: 2, name: "body", reachable: true });
    const edges = g.mapEdges((key, attrs, source, target) => [key, source, target, attrs.kind, attrs.back]);
    expect(edges).toEqual([
      ["br:entry", "entry", "loop", "br", false],
      ["then:loop", "loop", "body", "then", false],
      ["else:loop", "loop", "exit", "else", false],
      ["br:body", "body", "loop", "br", true],
    ]);
  });

  it("keeps both edges of a condbr to one block and marks unreachable blocks", () => {
    const fb = new FuncBuilder("f", []);
    const [entry, a, dead] = [fb.addBlock(), fb.addBlock("a"), fb.addBlock("dead")];
    const c = fb.addParam(entry, "bool", "c");
    fb.condbr(entry, c, a, [], a, []);
    fb.ret(a, []);
    fb.br(dead, a);
    const g = cfgGraph(fb.finish());
    expect(g.edges("bb0", "a").sort()).toEqual(["else:bb0", "then:bb0"]);
    expect(g.getNodeAttribute("dead", "reachable")).toBe(false);
    expect(g.getEdgeAttribute("br:dead", "back")).toBe(false);
  });
});

describe("call graph", () => {
  const module: Module = {
    funcs: [caller("f", ["g"]), caller("g", ["f", "f"]), caller("h", ["h"]), caller("k", ["f", "nope"], ["e"]), caller("m", [])],
    externs: [{ name: "e", params: [], results: [] }],
  };

  it("has functions and externs as nodes and counts call sites", () => {
    const g = callGraph(module);
    expect(g.nodes().sort()).toEqual(["e", "f", "g", "h", "k", "m"]);
    expect(g.getNodeAttribute("e", "kind")).toBe("extern");
    expect(g.getNodeAttribute("k", "kind")).toBe("func");
    expect(g.getEdgeAttribute("g", "f", "calls")).toBe(2);
    expect(g.outNeighbors("k").sort()).toEqual(["e", "f"]);
  });

  it("finds mutual and self recursion, not callers of recursive functions", () => {
    expect([...recursiveFuncs(module)].sort()).toEqual(["f", "g", "h"]);
  });

  it("lists SCCs callees first", () => {
    const sccs = callSCCs(module).map((c) => [...c].sort());
    expect(sccs.map((c) => c.join(",")).sort()).toEqual(["e", "f,g", "h", "k", "m"]);
    const at = (name: string) => sccs.findIndex((c) => c.includes(name));
    expect(at("f")).toBeLessThan(at("k"));
    expect(at("e")).toBeLessThan(at("k"));
  });

  it("handles a 10^4-function call chain and cycle without recursion", () => {
    const n = 10_000;
    const chain = Array.from({ length: n }, (_, i) => caller(`f${i}`, i + 1 < n ? [`f${i + 1}`] : []));
    const sccs = callSCCs({ funcs: chain, externs: [] });
    expect(sccs).toHaveLength(n);
    expect(sccs[0]).toEqual([`f${n - 1}`]);
    expect(recursiveFuncs({ funcs: chain, externs: [] }).size).toBe(0);
    const cycle = [...chain.slice(0, -1), caller(`f${n - 1}`, ["f0"])];
    expect(callSCCs({ funcs: cycle, externs: [] })).toHaveLength(1);
    expect(recursiveFuncs({ funcs: cycle, externs: [] }).size).toBe(n);
  });
});

describe("toDot", () => {
  const STATEMENT = [
    /^digraph "(?:[^"\\\n]|\\.)*" \{$/,
    /^ {2}label="(?:[^"\\\n]|\\.)*";$/,
    /^ {2}labelloc=t;$/,
    /^ {2}node \[shape=plaintext, fontname="Courier"\];$/,
    /^ {2}edge \[fontname="Courier"\];$/,
    /^ {2}b\d+ \[label=<.*>\];$/,
    /^ {2}b\d+ -> b\d+( \[(label="(then|else)"|style=dashed|constraint=false)(, (style=dashed|constraint=false))*\])?;$/,
    /^\}$/,
  ];
  const TAG = /<\/?(table|tr|td|b)( [a-z]+="[a-z0-9]+")*>/g;

  /** Checks every line against the statement shapes and every HTML label's
   * text; returns the decoded text rows of each node. */
  function parseDot(dot: string): Map<number, string[]> {
    const rows = new Map<number, string[]>();
    for (const line of dot.trimEnd().split("\n")) {
      expect(STATEMENT.some((re) => re.test(line)), line).toBe(true);
      const node = /^ {2}b(\d+) \[label=<(.*)>\];$/.exec(line);
      if (!node) continue;
      const cells = node[2]!.split(/<\/td><\/tr>/).slice(0, -1);
      rows.set(
        Number(node[1]),
        cells.map((cell) => {
          const text = cell.replace(TAG, "");
          expect(text).not.toMatch(/[<>"]|&(?!#\d+;)/);
          return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
        }),
      );
    }
    return rows;
  }

  it("renders blocks with their printed contents, labels branches and marks back edges", () => {
    const f = loopFunc({ func: "f", blocks: ["entry", "loop", "body", "exit"], value: "x" });
    const dot = toDot(f);
    expect(dot).toContain('digraph "@f" {');
    expect(dot).toContain("  b1 -> b2 [label=\"then\"];\n  b1 -> b3 [label=\"else\"];\n  b2 -> b1 [style=dashed, constraint=false];");
    const rows = parseDot(dot);
    expect(rows.get(1)).toEqual(["^loop(%acc: f64):", "condbr %c, ^body, ^exit"]);
    expect(rows.get(2)).toEqual(["^body:", "%next: f64 = add %acc, %x", "br ^loop(%next)"]);
    expect(parseDot(toDot(f, { contents: false })).get(2)).toEqual(["^body:"]);
  });

  it("escapes hostile names so they cannot break the DOT syntax", () => {
    const hostile = {
      func: 'a"b\\c\n}{<td>&amp;];//',
      blocks: ['"></td></tr></table>>];\ndigraph x {', "<b>&#60;", "]]\\\"\\", "\u0001\u007f\t'"] as [string, string, string, string],
      value: "<x>&\"|{}\\n",
    };
    const f = loopFunc(hostile);
    const dot = toDot(f);
    const rows = parseDot(dot);
    // Decoding the labels gives back exactly the printer's lines.
    const printed = printFunc(f).split("\n").slice(1, -1);
    expect([...rows.values()].flat()).toEqual(printed.map((l) => l.trimStart()));
    expect(dot.split("\n")[0]).toBe(`digraph ${JSON.stringify(`@${JSON.stringify(hostile.func)}`)} {`);
  });
});
