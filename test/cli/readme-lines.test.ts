// The README convention reader (readme-lines.ts) on small markdown texts:
// which lines it runs, which output it expects, which texts it refuses, and
// that a wrong output is reported, so the README test can fail.

import { describe, expect, it } from "vitest";
import { extractCliLines, outputMismatch, shellWords } from "./readme-lines.js";

const md = (...lines: string[]): string => lines.join("\n") + "\n";

describe("extractCliLines", () => {
  it("pairs a one-command sh block with the json or text block after it", () => {
    const lines = extractCliLines(
      md("# t", "```sh", "npx deriv run a.ir --fn f --at '[[1, 2]]'", "```", "", "```json", '{"value": 3}', "```", "```sh", "npx deriv passes", "```", "```text", "a", "b", "```"),
    );
    expect(lines).toEqual([
      { line: 3, text: "npx deriv run a.ir --fn f --at '[[1, 2]]'", argv: ["run", "a.ir", "--fn", "f", "--at", "[[1, 2]]"], expected: { lang: "json", body: '{"value": 3}', line: 6 } },
      { line: 10, text: "npx deriv passes", argv: ["passes"], expected: { lang: "text", body: "a\nb", line: 12 } },
    ]);
  });

  it("runs each line of a multi-command block without expected output, skips other sh lines and other fences", () => {
    const lines = extractCliLines(md("```sh", "npm ci && npx deriv ops", "npm test", "npx deriv passes", "```", "```text", "deriv dump FILE [--fn F]", "```", "```ts", "const deriv = 1;", "```"));
    expect(lines.map((l) => [l.line, l.argv, l.expected])).toEqual([
      [2, ["ops"], undefined],
      [4, ["passes"], undefined],
    ]);
  });

  it("takes '> FILE' as the output of a one-command block", () => {
    const [line] = extractCliLines(md("```sh", "npx deriv dump a.ir --emit svg > docs/img/a.svg", "```", "![a](docs/img/a.svg)"));
    expect(line).toEqual({ line: 2, text: "npx deriv dump a.ir --emit svg > docs/img/a.svg", argv: ["dump", "a.ir", "--emit", "svg"], stdoutFile: "docs/img/a.svg" });
  });

  it("refuses texts that break the convention, naming the README line", () => {
    expect(() => extractCliLines(md("", "```sh", "deriv grad a.ts --fn f --at '[1]'", "```", "```json", "{}", "```"))).toThrow(/^README\.md:3: a sh line mentioning deriv must start with 'npx deriv '/);
    expect(() => extractCliLines(md("```sh", "npx deriv passes", "```", "some prose", "```text", "x", "```"))).toThrow(/^README\.md:2: a sh block with one deriv line needs its output/);
    expect(() => extractCliLines(md("```sh", "npx deriv passes > out.txt extra", "```"))).toThrow(/^README\.md:2: '>' must be followed by exactly one file/);
    expect(() => extractCliLines(md("```sh", "npx deriv passes", "```json", "{}"))).toThrow(/unclosed code fence/);
  });
});

describe("shellWords", () => {
  it("splits on spaces and keeps '…' quoted words whole", () => {
    expect(shellWords("grad a.ts --at '[[1, 2]]' --passes 'a{b=c},d'", "x")).toEqual(["grad", "a.ts", "--at", "[[1, 2]]", "--passes", "a{b=c},d"]);
  });

  it("refuses shell syntax it does not implement", () => {
    for (const text of ['grad "a b"', "passes | head", "passes; ls", "passes && ls", "grad $FILE", "passes 2>/dev/null", "grad 'open"]) {
      expect(() => shellWords(text, "README.md:9"), text).toThrow(/^README\.md:9: /);
    }
  });
});

describe("outputMismatch", () => {
  it("compares json blocks as JSON values and text blocks exactly", () => {
    expect(outputMismatch({ lang: "json", body: '{"value": [1, 2],\n "b": null}', line: 5 }, '{"b":null,"value":[1,2]}\n')).toBeUndefined();
    expect(outputMismatch({ lang: "json", body: '{"value": [1, 2]}', line: 5 }, '{"value":[1,2.000001]}\n')).toContain("stdout differs from the json block at README.md:5");
    expect(outputMismatch({ lang: "json", body: '{"value": 1}', line: 5 }, '{"value":1,"extra":0}\n')).toBeDefined();
    expect(outputMismatch({ lang: "json", body: "{", line: 5 }, "{}")).toContain("is not JSON");
    expect(outputMismatch({ lang: "json", body: "{}", line: 5 }, "oops")).toContain("stdout is not JSON");
    expect(outputMismatch({ lang: "text", body: "a\nb", line: 7 }, "a\nb\n")).toBeUndefined();
    expect(outputMismatch({ lang: "text", body: "a\nb", line: 7 }, "a\nb \n")).toContain("stdout differs from the text block at README.md:7");
  });
});
