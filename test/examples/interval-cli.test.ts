// The interval-range example as docs/writing-a-pass.md runs it: the built
// CLI (dist/, made by `npm test` and by `npm ci`'s prepare) loading the pass
// with --plugin. Every CLI line of the guide runs and prints what the guide
// shows (the README's convention, test/cli/readme-lines.ts); --plugin's
// errors are exit 1 with a code; the report goes to stdout in `analyze` and
// to stderr in `dump`.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { extractCliLines, outputMismatch } from "../cli/readme-lines.js";

const BIN = "dist/cli/main.js";
const PLUGIN = "dist/examples/interval/interval-range.js";
const GUIDE = "docs/writing-a-pass.md";

function deriv(args: readonly string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe("the guide's commands", () => {
  const lines = extractCliLines(readFileSync(GUIDE, "utf8"));
  it("are the documented analyze and run lines and an undocumented pair", () => {
    expect(lines.map((l) => `${l.argv[0]}${l.expected ? " " + l.expected.lang : ""}`)).toEqual(["analyze text", "run json", "passes", "dump"]);
  });
  it.each(lines.map((l) => [`${GUIDE}:${l.line}`, l] as const))("%s", (_, line) => {
    const r = deriv(line.argv);
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toBe("");
    if (line.expected) expect(outputMismatch(line.expected, r.out)).toBeUndefined();
  });
});

describe("--plugin", () => {
  const model = "examples/interval/model.ts";
  const spec = "interval-range{fn=f ranges=x:0:1,y:-1:1}";

  it("dump prints the module on stdout and the pass's report on stderr", () => {
    const r = deriv(["dump", model, "--plugin", PLUGIN, "--passes", spec, "--fn", "f"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^func @f\(%x: f64, %y: f64\) -> f64 \{\n\^entry:\n/);
    expect(r.err).toContain("^entry:  // [0, 1] [-1, 1]");
    expect(r.err).toContain("warning: possible division by zero at examples/interval/model.ts:8:36 (divisor in [-1, 2])");
  });

  it("is accepted as --plugin=FILE and lists the pass in `deriv passes`", () => {
    const r = deriv(["passes", `--plugin=${PLUGIN}`]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("interval-range: analysis (example plugin)");
    expect(deriv(["passes"]).out).not.toContain("interval-range");
  });

  it("without the plugin, the pass is an unknown pass (usage error)", () => {
    const r = deriv(["analyze", model, "--passes", spec]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("E_PIPELINE_UNKNOWN_PASS");
  });

  it("a path that cannot be imported is E_CLI_INPUT, exit 1", () => {
    const r = deriv(["dump", model, "--plugin", "examples/interval/no-such-plugin.js", "--passes", spec]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^E_CLI_INPUT: --plugin: cannot load examples\/interval\/no-such-plugin\.js: /);
    expect(r.out).toBe("");
  });

  it("a missing value is a usage error, exit 2", () => {
    const r = deriv(["analyze", model, "--passes", spec, "--plugin"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("deriv analyze: flag --plugin needs a value\n");
  });

  describe("a plugin that registers a taken name", () => {
    const dir = mkdtempSync(join(tmpdir(), "deriv-plugin-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    it("reports the registry's E_PIPELINE_REGISTER, exit 1", () => {
      const file = join(dir, "clash.mjs");
      const api = pathToFileURL(resolve("dist/index.js")).href;
      writeFileSync(file, `import { registerPass } from ${JSON.stringify(api)};\nregisterPass({ name: "dce", description: "a second dce", options: [], run: (m) => m });\n`);
      const r = deriv(["passes", "--plugin", file]);
      expect(r.code).toBe(1);
      expect(r.err).toContain("E_PIPELINE_REGISTER: registerPass('dce'): a pass with this name is already registered");
    });
  });
});
