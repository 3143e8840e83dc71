// The pass manager: pipeline text and its errors (column, caret, suggestion),
// the registry, verify-each, the IR dumps (before/after, after change, after
// failure with a re-runnable reproducer), timing and statistics, the debug
// counter, the per-pass callback and the analysis cache.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DerivError, PipelineError } from "../../ir/errors.js";
import { parseIR } from "../../ir/parser.js";
import { printIR } from "../../ir/printer.js";
import type { Func, Module } from "../../ir/types.js";
import { AnalysisCache } from "../../passes/analysis.js";
import type { Pass } from "../../passes/pass.js";
import { mapFuncs } from "../../passes/pass.js";
import type { PassEvent } from "../../passes/pipeline.js";
import { parsePipeline, runPipeline, runPipelineWithReport } from "../../passes/pipeline.js";
import { listPasses, registerPass } from "../../passes/registry.js";
import { editDistance, nearestName } from "../../passes/suggest.js";

/** The PipelineError thrown by `f`. */
function pipelineError(f: () => unknown): PipelineError {
  try {
    f();
  } catch (e) {
    if (e instanceof PipelineError) return e;
    throw e;
  }
  throw new Error("expected a PipelineError");
}

/** Collects what the pipeline prints. */
function sink(): { out: (t: string) => void; text: () => string } {
  const parts: string[] = [];
  return { out: (t) => parts.push(t), text: () => parts.join("") };
}

const TWO_FUNCS = parseIR(`
func @foldable(%x: f64) -> f64 {
^entry:
  %one: f64 = const 1.0
  %two: f64 = const 2.0
  %three: f64 = add %one, %two
  %y: f64 = mul %x, %three
  ret %y
}
func @plain(%x: f64) -> f64 {
^entry:
  %y: f64 = sin %x
  ret %y
}
`);

// Test-only passes, registered once for this file.
const breakIR: Pass = {
  name: "test-break",
  description: "returns IR whose @plain returns an undefined value",
  options: [],
  run: (m) => mapFuncs(m, (f) => (f.name === "plain" ? breakFunc(f) : f)),
};
function breakFunc(f: Func): Func {
  const entry = f.blocks[0]!;
  return { ...f, blocks: [{ ...entry, term: { kind: "ret", values: [f.values.length + 5] } }, ...f.blocks.slice(1)] };
}
const needsFn: Pass = {
  name: "test-needs-fn",
  description: "has a required option and reports through print",
  options: [
    { name: "fn", kind: "string", required: true, doc: "the function" },
    { name: "wrt", kind: "int-list", default: [0], doc: "argument indices" },
  ],
  run: (m, ctx) => {
    ctx.print(`fn=${ctx.str("fn")} wrt=${ctx.intList("wrt").join("/")}`);
    if (!m.funcs.some((f) => f.name === ctx.str("fn"))) throw ctx.passError(`no function @${ctx.str("fn")}`);
    return m;
  },
};
registerPass(breakIR);
registerPass(needsFn);

describe("pipeline text", () => {
  it("parses passes, options, lists, bare bools, quoted values and blanks", () => {
    const p = parsePipeline(" simplify , dce{funcs keep=f,\"g.jvp\"} ,inline{size=10 single-use=false},test-needs-fn{fn=f wrt=0,2}");
    expect(p.passes.map((x) => x.pass.name)).toEqual(["simplify", "dce", "inline", "test-needs-fn"]);
    expect(p.passes[1]!.options).toEqual({ funcs: true, keep: ["f", "g.jvp"] });
    expect(p.passes[2]!.options).toEqual({ size: 10, "single-use": false, "caller-budget": 2000 });
    expect(p.passes[3]!.options).toEqual({ fn: "f", wrt: [0, 2] });
    expect(p.passes[1]!.text).toBe('dce{funcs keep=f,"g.jvp"}');
    expect(parsePipeline("   ").passes).toEqual([]);
  });

  it.each([
    ["simplfy,cse", "E_PIPELINE_UNKNOWN_PASS", 1, "unknown pass 'simplfy'; did you mean 'simplify'?"],
    ["simplify,dec", "E_PIPELINE_UNKNOWN_PASS", 10, "did you mean 'dce'?"],
    ["simplify,,cse", "E_PIPELINE_SYNTAX", 10, "expected a pass name, found ','"],
    ["simplify cse", "E_PIPELINE_SYNTAX", 10, "expected ',' between passes"],
    ["dce{funcs=true", "E_PIPELINE_SYNTAX", 15, "unterminated options of 'dce'"],
    ["inline{sise=3}", "E_PIPELINE_OPTION", 8, "unknown option 'sise' of pass 'inline'; did you mean 'size'?"],
    ["cse{x=1}", "E_PIPELINE_OPTION", 5, "it takes no options"],
    ["inline{size=ten}", "E_PIPELINE_OPTION", 13, "expects an integer, found 'ten'"],
    ["inline{size=1,2}", "E_PIPELINE_OPTION", 14, "takes a single int, not a list"],
    ["inline{size=1 size=2}", "E_PIPELINE_OPTION", 15, "option 'size' given twice"],
    ["dce{funcs=yes}", "E_PIPELINE_OPTION", 11, "expects true or false"],
    ["inline{size}", "E_PIPELINE_OPTION", 8, "needs a value: size=<int>"],
    ["cse,test-needs-fn{wrt=1}", "E_PIPELINE_OPTION", 5, "needs option fn=<string>"],
  ])("rejects %j with %s at column %i", (text, code, col, message) => {
    const e = pipelineError(() => parsePipeline(text));
    expect(e.code).toBe(code);
    expect(e.location).toEqual({ file: "<pipeline>", line: 1, col });
    expect(e.message).toContain(message);
    // The frame shows the pipeline with a caret under the offending character.
    const frame = e.diagnostics[0]!.frame!.split("\n");
    expect(frame[0]).toBe(`> 1 | ${text}`);
    expect(frame[1]!.indexOf("^") - frame[0]!.indexOf(text)).toBe(col - 1);
  });

  it("suggests by edit distance only when the name is close", () => {
    expect(editDistance("simplfy", "simplify")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(nearestName("cse", ["dce", "cse"])).toBe("cse");
    expect(nearestName("zzzzzz", ["dce", "cse"])).toBeUndefined();
  });
});

describe("registry", () => {
  it("lists passes alphabetically with descriptions and option docs", () => {
    const names = listPasses().map((p) => p.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(["cse", "dce", "inline", "simplify"]));
    for (const p of listPasses()) {
      expect(p.description.length).toBeGreaterThan(10);
      for (const o of p.options) expect(o.doc.length).toBeGreaterThan(5);
    }
  });

  it("rejects a duplicate or malformed registration", () => {
    expect(pipelineError(() => registerPass({ ...breakIR })).code).toBe("E_PIPELINE_REGISTER");
    expect(pipelineError(() => registerPass({ ...breakIR, name: "Bad_Name" })).message).toContain("kebab-case");
    const twice = { ...breakIR, name: "test-twice", options: [needsFn.options[0]!, needsFn.options[0]!] };
    expect(pipelineError(() => registerPass(twice)).message).toContain("declared twice");
  });

  it("gives passes their options, print and pass errors located at the pass", () => {
    const s = sink();
    runPipeline(TWO_FUNCS, "test-needs-fn{fn=plain wrt=1,2}", { out: s.out });
    expect(s.text()).toBe("fn=plain wrt=1/2");
    const e = pipelineError(() => runPipeline(TWO_FUNCS, "cse, test-needs-fn{fn=nope}", { out: s.out }));
    expect(e.code).toBe("E_PIPELINE_PASS_FAILED");
    expect(e.location?.col).toBe(6);
    expect(e.message).toContain("test-needs-fn: no function @nope");
  });

  it("dce rejects funcs=true without keep, and keep naming no function", () => {
    expect(pipelineError(() => runPipeline(TWO_FUNCS, "dce{funcs=true}")).message).toContain("funcs=true needs keep=");
    const e = pipelineError(() => runPipeline(TWO_FUNCS, "cse,dce{funcs=true keep=plian}"));
    expect(e.code).toBe("E_PIPELINE_OPTION");
    expect(e.location?.col).toBe(5);
    expect(e.message).toContain("no function @plian in the module; did you mean 'plain'?");
    expect(pipelineError(() => runPipeline(TWO_FUNCS, "dce{keep=plain}")).message).toContain("keep= only applies with funcs=true");
  });
});

describe("instrumentation", () => {
  it("verify-each catches a pass that leaves invalid IR, naming the pass, with the verifier's diagnostics", () => {
    const e = pipelineError(() => runPipeline(TWO_FUNCS, "simplify,test-break,dce"));
    expect(e.code).toBe("E_PIPELINE_PASS_FAILED");
    expect(e.message).toContain("pass 'test-break' (#2 of the pipeline) produced invalid IR");
    expect(e.location?.col).toBe(10);
    expect(e.diagnostics.slice(1).map((d) => d.code)).toContain("E_VERIFY_STRUCTURE");
    // Without verify-each the broken module goes through.
    expect(() => runPipeline(TWO_FUNCS, "simplify,test-break", { verifyEach: false })).not.toThrow();
  });

  it("verify-each rejects invalid input before any pass runs", () => {
    const broken: Module = { ...TWO_FUNCS, funcs: [breakFunc(TWO_FUNCS.funcs[1]!)] };
    expect(() => runPipeline(broken, "cse")).toThrow(DerivError);
  });

  it("print-after-failure writes a reproducer that reruns the failing rest of the pipeline", () => {
    const path = join(mkdtempSync(join(tmpdir(), "deriv-")), "repro.ir");
    const s = sink();
    const e = pipelineError(() => runPipeline(TWO_FUNCS, "simplify,test-break,dce{funcs=true keep=plain}", { printAfterFailure: { reproducerPath: path }, out: s.out }));
    const command = `deriv dump ${path} --passes 'test-break,dce{funcs=true keep=plain}'`;
    expect(e.message).toContain(`reproduce with: ${command}`);
    const repro = readFileSync(path, "utf8");
    expect(repro).toContain(`// RUN: ${command}`);
    // The reproducer holds the module as it was before the failing pass (after simplify) ...
    expect(repro).toContain("%three: f64 = const 3.0");
    // ... and running the rest of the pipeline on it fails the same way.
    const again = pipelineError(() => runPipeline(parseIR(repro), "test-break,dce{funcs=true keep=plain}"));
    expect(again.message).toContain("pass 'test-break' (#1 of the pipeline) produced invalid IR");
    // Without a path, the reproducer is printed.
    pipelineError(() => runPipeline(TWO_FUNCS, "test-break", { printAfterFailure: {}, out: s.out }));
    expect(s.text()).toContain("IR Dump Before failing test-break");
  });

  it("print-after-failure also covers a pass that throws", () => {
    const path = join(mkdtempSync(join(tmpdir(), "deriv-")), "repro.ir");
    const e = pipelineError(() => runPipeline(TWO_FUNCS, "test-needs-fn{fn=nope}", { printAfterFailure: { reproducerPath: path } }));
    expect(e.message).toContain("test-needs-fn: no function @nope");
    expect(e.message).toContain(`reproduce with: deriv dump ${path} --passes 'test-needs-fn{fn=nope}'`);
    expect(printIR(parseIR(readFileSync(path, "utf8")))).toBe(printIR(TWO_FUNCS));
  });

  it("print-after-change prints only the functions a pass changed", () => {
    const s = sink();
    runPipeline(TWO_FUNCS, "simplify,cse", { printAfterChange: true, out: s.out });
    const text = s.text();
    expect(text).toContain("IR Dump After simplify (changed functions only)");
    expect(text).toContain("func @foldable");
    expect(text).not.toContain("func @plain");
    expect(text).toContain("IR Dump After cse omitted: no change");
  });

  it("prints before/after every pass and after named passes", () => {
    const all = sink();
    runPipeline(TWO_FUNCS, "simplify,cse", { printBeforeAll: true, printAfterAll: true, out: all.out });
    expect(all.text().match(/IR Dump (Before|After) \w+/g)).toEqual(["IR Dump Before simplify", "IR Dump After simplify", "IR Dump Before cse", "IR Dump After cse"]);
    const named = sink();
    runPipeline(TWO_FUNCS, "simplify,cse,simplify", { printAfter: ["simplify"], out: named.out });
    expect(named.text().match(/IR Dump After \w+/g)).toEqual(["IR Dump After simplify", "IR Dump After simplify"]);
    expect(pipelineError(() => runPipeline(TWO_FUNCS, "cse", { printAfter: ["simplfy"] })).message).toContain("did you mean 'simplify'?");
  });

  it("reports timing and statistics tables", () => {
    const s = sink();
    const { report } = runPipelineWithReport(TWO_FUNCS, "simplify,cse,dce", { timing: true, stats: true, out: s.out });
    expect(report.passes.map((p) => [p.name, p.changed])).toEqual([
      ["simplify", true],
      ["cse", false],
      ["dce", true],
    ]);
    expect(report.passes[0]!.stats).toEqual({ "instructions folded to constants": 1 });
    expect(report.passes[2]!.stats).toEqual({ "instructions removed": 2 });
    expect(report.timingTable).toMatch(/Pass execution timing report[\s\S]*simplify\n[\s\S]*cse\n[\s\S]*dce\n[\s\S]*\(verify-each\)\n[\s\S]*100\.0%  Total/);
    expect(report.statsTable).toMatch(/1  simplify  instructions folded to constants\n\s+2  dce\s+instructions removed/);
    expect(s.text()).toBe(report.timingTable + report.statsTable);
  });

  it("calls onPass after every pass with before, after, changed, ms and stats", () => {
    const events: PassEvent[] = [];
    const out = runPipeline(TWO_FUNCS, "cse,simplify", { onPass: (e) => events.push(e) });
    expect(events.map((e) => [e.pass, e.changed])).toEqual([
      ["cse", false],
      ["simplify", true],
    ]);
    expect(events[0]!.before).toBe(TWO_FUNCS);
    expect(events[1]!.after).toBe(out);
    expect(events[1]!.stats).toEqual({ "instructions folded to constants": 1 });
    expect(events.every((e) => e.ms >= 0)).toBe(true);
  });
});

describe("debug counter", () => {
  const MANY = parseIR(`
func @f(%x: f64) -> f64 {
^entry:
  %one: f64 = const 1.0
  %two: f64 = const 2.0
  %a: f64 = add %one, %two
  %b: f64 = mul %x, %one
  %c: f64 = mul %a, %b
  ret %c
}
`);

  it("simplify=0 changes nothing and simplify=N allows exactly N rewrites", () => {
    expect(runPipeline(MANY, "simplify", { debugCounter: { simplify: 0 } })).toBe(MANY);
    const rewrites = (n: number): number => {
      const { report } = runPipelineWithReport(MANY, "simplify", { debugCounter: { simplify: n } });
      return Object.values(report.passes[0]!.stats).reduce((s, k) => s + k, 0);
    };
    const total = rewrites(1000);
    expect(total).toBe(2);
    expect([0, 1, 2, 3].map(rewrites)).toEqual([0, 1, 2, 2]);
    const one = runPipeline(MANY, "simplify", { debugCounter: { simplify: 1 } });
    expect(printIR(one)).toContain("%a: f64 = const 3.0");
    expect(printIR(one)).toContain("%b: f64 = mul %x, %one");
  });

  it("the budget is per pass name over the whole pipeline run", () => {
    const { report } = runPipelineWithReport(MANY, "simplify,simplify", { debugCounter: { simplify: 1 } });
    expect(report.passes.map((p) => p.changed)).toEqual([true, false]);
  });

  it.each(["cse", "dce", "inline"])("%s=0 changes nothing", (pass) => {
    const m = parseIR(`
func @g(%x: f64) -> f64 {
^entry:
  ret %x
}
func @f(%x: f64) -> f64 {
^entry:
  %a: f64 = sin %x
  %b: f64 = sin %x
  %d: f64 = cos %x
  %c: f64 = call @g(%a)
  ret %b
}
`);
    expect(runPipeline(m, pass)).not.toBe(m);
    expect(runPipeline(m, pass, { debugCounter: { [pass]: 0 } })).toBe(m);
  });
});

describe("analysis cache", () => {
  it("serves analyses of functions a pass left unchanged and recomputes changed ones", () => {
    const analyses = new AnalysisCache();
    runPipeline(TWO_FUNCS, "cse", { analyses });
    expect([analyses.hits, analyses.misses]).toEqual([0, 2]);
    // A second cse over the same (unchanged) functions hits for both.
    const { report } = runPipelineWithReport(TWO_FUNCS, "cse", { analyses });
    expect(report.analyses).toEqual({ hits: 2, misses: 0 });
    // After simplify rewrites @foldable only, cse misses for it and hits for @plain.
    const r2 = runPipelineWithReport(TWO_FUNCS, "simplify,cse", { analyses }).report;
    expect(r2.analyses).toEqual({ hits: 1, misses: 1 });
  });

  it("derives RPO from a cached dominator tree and loops from the tree", () => {
    const analyses = new AnalysisCache();
    const f = TWO_FUNCS.funcs[0]!;
    const tree = analyses.domTree(f);
    expect(analyses.rpo(f)).toBe(tree.rpo);
    expect(analyses.loops(f).loops).toEqual([]);
    expect(analyses.preds(f)).toEqual([[]]);
    expect(analyses.succs(f)).toBe(analyses.succs(f));
  });
});
