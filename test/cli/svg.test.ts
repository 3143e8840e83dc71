// `deriv dump --emit svg`: the CFG drawn by WebAssembly Graphviz is a
// well-formed SVG document with one node per block showing exactly the
// printed block, one edge per CFG edge, and names that cannot break it;
// renderSvg reports Graphviz warnings and failures.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderSvg } from "../../cli/render-svg.js";
import { DerivError } from "../../ir/errors.js";
import { parseIR } from "../../ir/parser.js";
import { printFunc } from "../../ir/printer.js";
import { parseXml, type XmlElement } from "./xml.js";

const BIN = "dist/cli/main.js";

function deriv(args: readonly string[], input?: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", input });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** The `<g class=KIND>` groups of a Graphviz SVG: their <title> and the texts inside. */
function groups(elements: readonly XmlElement[], kind: "node" | "edge"): { title: string; texts: string[] }[] {
  const out: { title: string; texts: string[] }[] = [];
  let current: { title: string; texts: string[] } | undefined;
  for (const e of elements) {
    if (e.name === "g") {
      current = e.attrs["class"] === kind ? { title: "", texts: [] } : undefined;
      if (current) out.push(current);
    } else if (current && e.name === "title") current.title = e.text;
    else if (current && e.name === "text") current.texts.push(e.text);
  }
  return out;
}

/** Checks the SVG of `irText`'s only function: one node per block with its
 * printed lines, and the given edges `b<from>->b<to>`. */
function expectCfgPicture(svg: string, irText: string, edges: readonly string[]): void {
  const elements = parseXml(svg);
  expect(elements[0]!.name).toBe("svg");
  const func = parseIR(irText).funcs[0]!;
  const printed = printFunc(func).split("\n").slice(1, -1);
  const nodes = groups(elements, "node");
  expect(nodes).toHaveLength(func.blocks.length);
  expect(nodes.flatMap((n) => n.texts)).toEqual(printed.map((l) => l.trimStart()));
  expect(groups(elements, "edge").map((e) => e.title).sort()).toEqual([...edges].sort());
}

describe("dump --emit svg", () => {
  it("the well-formedness check rejects broken documents", () => {
    for (const bad of ["<svg><g></svg>", "<svg>a < b</svg>", "<svg>&nbsp;</svg>", "<svg x=1/>", "<svg/><svg/>", "<svg><!-- a -- b --></svg>", "<svg><g>"]) {
      expect(() => parseXml(bad), bad).toThrow();
    }
    expect(parseXml('<?xml version="1.0"?>\n<svg a="&lt;&#62;"><text>x &amp; y</text></svg>\n').map((e) => [e.name, e.text, e.attrs["a"]])).toEqual([
      ["svg", "", "<>"],
      ["text", "x & y", undefined],
    ]);
  });

  it("draws each block with its instructions and each CFG edge", () => {
    const r = deriv(["dump", "examples/sumsq.ir", "--emit", "svg"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expectCfgPicture(r.out, readFileSync("examples/sumsq.ir", "utf8"), ["b0->b1", "b1->b2", "b1->b3", "b2->b1"]);
  });

  it("keeps hostile function, block and value names as text", () => {
    const ir = [
      'func @"f\\"<}{>&]"(%"x\\"<}": f64) -> f64 {',
      '^"entry</td>\\"":',
      '  %"c{<\\"}": f64 = const 1.0',
      '  br ^"loop}\\"<b>"(%"c{<\\"}")',
      '^"loop}\\"<b>"(%"acc\\"}": f64):',
      '  %more: bool = lt %"acc\\"}", %"x\\"<}"',
      '  condbr %more, ^"loop}\\"<b>"(%"x\\"<}"), ^"exit&amp;"',
      '^"exit&amp;":',
      '  ret %"acc\\"}"',
      "}",
      "",
    ].join("\n");
    const r = deriv(["dump", "-", "--emit", "svg"], ir);
    expect(r.code, r.err).toBe(0);
    expectCfgPicture(r.out, ir, ["b0->b1", "b1->b1", "b1->b2"]);
    const label = parseXml(r.out).find((e) => e.name === "text" && e.attrs["text-anchor"] === "middle")!;
    expect(label.text).toBe('func @"f\\"<}{>&]"(%"x\\"<}": f64) -> f64 {');
  });

  it("draws one function: several need --fn", () => {
    const spec = ["--passes", "rev-ad{fn=rosenbrock}"];
    const many = deriv(["dump", "examples/rosenbrock.ts", ...spec, "--emit", "svg"]);
    expect(many.code).toBe(2);
    expect(many.err).toContain("--emit svg draws one function; pick it with --fn F (functions: rosenbrock, rosenbrock.vjp)");
    const one = deriv(["dump", "examples/rosenbrock.ts", ...spec, "--fn", "rosenbrock.vjp", "--emit", "svg"]);
    expect(one.code).toBe(0);
    expect(parseXml(one.out).find((e) => e.name === "title")!.text).toBe('@"rosenbrock.vjp"');
  });

  it("renderSvg passes Graphviz warnings on and turns a failure into E_CLI_OUTPUT", async () => {
    const warnings: string[] = [];
    const svg = await renderSvg('digraph { a [fontname="monospace"]; }', "a test graph", (m) => warnings.push(m));
    expect(parseXml(svg)[0]!.name).toBe("svg");
    expect(warnings).toEqual([expect.stringMatching(/^warning: Graphviz: .*monospace/)]);
    const failure = await renderSvg("digraph {", "a test graph", () => {}).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DerivError);
    expect((failure as DerivError).code).toBe("E_CLI_OUTPUT");
    expect((failure as DerivError).message).toContain("cannot render a test graph as SVG: Graphviz: syntax error");
  });

  it("an unknown --emit is a usage error listing svg", () => {
    const r = deriv(["dump", "examples/sumsq.ir", "--emit", "png"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--emit must be one of ir, js, dot, svg, got 'png'");
  });
});
