// The `deriv` command as a user runs it: the built bin (dist/, made by
// `npm test` and by `npm ci`'s prepare), its JSON output, and its exit codes
// (0 success, 1 user error with a location, 2 usage error). The README's
// command lines are checked by readme.test.ts.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const BIN = "dist/cli/main.js";

function deriv(args: readonly string[], input?: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", input });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe("commands", () => {
  it("run executes through the backend and the interpreter alike", () => {
    for (const extra of [[], ["--interp"]]) {
      const r = deriv(["run", "examples/sumsq.ir", "--fn", "sumsq", "--at", "[[1, 2, 3]]", ...extra]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out)).toEqual({ value: [14, 3] });
    }
  });

  it("grad, jacobian (both modes) and hessian agree with the hand-derived Rosenbrock derivatives", () => {
    const at = ["--fn", "rosenbrock", "--at", "[[1, 2]]"];
    // f = 100 (x1 - x0²)² + (1 - x0)²; at (1, 2): f = 100, ∇f = (-400, 200), H = [[1200 - 400·2 + 2, -400], [-400, 200]].
    expect(JSON.parse(deriv(["grad", "examples/rosenbrock.ts", ...at]).out)).toEqual({ value: 100, gradient: [[-400, 200]] });
    for (const mode of ["forward", "reverse"]) {
      expect(JSON.parse(deriv(["jacobian", "examples/rosenbrock.ts", ...at, "--mode", mode]).out)).toEqual({ value: 100, jacobian: [[-400, 200]] });
    }
    expect(JSON.parse(deriv(["hessian", "examples/rosenbrock.ts", ...at]).out).hessian).toEqual([
      [402, -400],
      [-400, 200],
    ]);
  });

  it("flops gives the exact count and the closed form", () => {
    const r = JSON.parse(deriv(["flops", "examples/rosenbrock.ts", "--fn", "rosenbrock", "--at", "[[1, 2, 3]]"]).out);
    expect(r.total).toBe(16);
    expect(r.formula.total).toBe("8*len(x) - 8");
  });

  it("dump shows only changed functions, a timing table and statistics", () => {
    const r = deriv(["dump", "examples/rosenbrock.ts", "--passes", "simplify,cse,dce", "--print-after-change", "--time-passes", "--stats"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("Pass execution timing report");
    expect(r.err).toContain("loads eliminated");
    expect(r.out).toContain("func @rosenbrock");
  });

  it("dump emits JavaScript, DOT and annotated IR", () => {
    expect(deriv(["dump", "examples/rosenbrock.ts", "--emit", "js"]).out).toContain("function f_0(");
    expect(deriv(["dump", "examples/rosenbrock.ts", "--emit", "dot"]).out).toContain("digraph");
    expect(deriv(["dump", "examples/rosenbrock.ts", "--annotate", "tape"]).out).toMatch(/tape %\w+: (pushed|recomputed)/);
    expect(deriv(["dump", "examples/rosenbrock.ts", "--annotate", "activity"]).out).toContain("// active");
  });

  it("reads IR from stdin", () => {
    const r = deriv(["run", "-", "--fn", "sumsq", "--at", "[[2]]"], readFileSync("examples/sumsq.ir", "utf8"));
    expect(JSON.parse(r.out)).toEqual({ value: [4, 1] });
  });

  it("passes and ops list the registry and the op table", () => {
    expect(deriv(["passes"]).out).toContain("rev-ad: reverse-mode AD");
    expect(deriv(["ops"]).out).toContain("| `array.set` |");
  });
});

describe("exit codes", () => {
  it("a user error exits 1 with the location and a code frame", () => {
    const r = deriv(["run", "-", "--fn", "f", "--at", "[1]"], "function f(x: number): number {\n  return x.foo;\n}\n");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/<stdin>:2:\d+: E_TS_UNSUPPORTED/);
    expect(r.err).toContain("^");
  });

  it("a runtime error exits 1", () => {
    const r = deriv(["grad", "examples/rosenbrock.ts", "--fn", "rosenbrock", "--at", "[[1], 2]"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("E_RUNTIME_ARGS");
  });

  it("usage errors exit 2: unknown command, unknown flag, missing --fn, bad --at, bad pipeline", () => {
    expect(deriv(["frobnicate"]).code).toBe(2);
    expect(deriv(["run", "examples/sumsq.ir", "--fnn", "sumsq"]).code).toBe(2);
    expect(deriv(["grad", "examples/rosenbrock.ts", "--at", "[[1]]"]).code).toBe(2);
    const bad = deriv(["dump", "examples/rosenbrock.ts", "--passes", "simplfy,cse"]);
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split("\n")).toHaveLength(1);
    expect(bad.err).toContain("did you mean 'simplify'");
  });

  it("malformed --at JSON is a user error naming the flag", () => {
    const r = deriv(["run", "examples/sumsq.ir", "--fn", "sumsq", "--at", "[1,"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("--at is not valid JSON");
  });
});
