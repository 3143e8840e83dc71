// Every CLI line of README.md, run as a user would run it (the built bin,
// from the repository root), must exit 0 and print what the README shows
// after it; committed pictures must be what their command writes. The
// convention is in readme-lines.ts. A failure names the README line.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { extractCliLines, outputMismatch, type CliLine } from "./readme-lines.js";
import { parseXml } from "./xml.js";

const BIN = "dist/cli/main.js";
const PICTURES = "docs/img/";

const tmp = mkdtempSync(join(tmpdir(), "deriv-readme-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs one README line with pictures redirected into the temporary
 * directory; returns the problems found (empty when the line is right). */
function check(cli: CliLine): string[] {
  const pictures = new Map<string, string>();
  const toTmp = (word: string): string => {
    if (!word.startsWith(PICTURES)) return word;
    const path = join(tmp, `${cli.line}-${basename(word)}`);
    pictures.set(word, path);
    return path;
  };
  const argv = cli.argv.map(toTmp);
  const r = spawnSync(process.execPath, [BIN, ...argv], { encoding: "utf8" });
  if (r.status !== 0) return [`exit ${r.status ?? r.signal}, stderr:\n${r.stderr}`];
  const problems: string[] = [];
  if (cli.stdoutFile !== undefined) writeFileSync(toTmp(cli.stdoutFile), r.stdout);
  else if (cli.expected) {
    const why = outputMismatch(cli.expected, r.stdout);
    if (why) problems.push(why);
  } else if (!r.stdout.trim()) problems.push("printed nothing");
  for (const [committed, written] of pictures) {
    const made = readFileSync(written, "utf8");
    try {
      if (parseXml(made)[0]?.name !== "svg") problems.push(`${committed}: the root element is not <svg>`);
    } catch (e) {
      problems.push(`${committed}: not well-formed: ${(e as Error).message}`);
    }
    let old: string;
    try {
      old = readFileSync(committed, "utf8");
    } catch {
      problems.push(`${committed} is not committed; make it with the line above`);
      continue;
    }
    if (old !== made) problems.push(`${committed} is stale; remake it with the line above`);
  }
  return problems;
}

describe("README.md CLI lines", () => {
  const lines = extractCliLines(readFileSync("README.md", "utf8"));

  it("has the install line, one line per example, and the pictures", () => {
    expect(lines[0]!.text.startsWith("npm ci && npx deriv ")).toBe(true);
    const files = lines.map((l) => l.argv.find((a) => /^examples\//.test(a)));
    for (const example of ["rosenbrock.ts", "lorenz.ts", "logistic.ts", "brusselator.ts", "blackbox.ts"]) expect(files).toContain(`examples/${example}`);
    expect(lines.filter((l) => l.stdoutFile === `${PICTURES}cfg.svg` || l.argv.includes(`${PICTURES}brusselator-spy.svg`))).toHaveLength(2);
  });

  for (const cli of lines) {
    it(`README.md:${cli.line}: ${cli.text}`, () => {
      expect(check(cli), `README.md:${cli.line}: ${cli.text}`).toEqual([]);
    });
  }
});
