// The README's IR reference is the op table `deriv ops` prints (generated
// from ir/ops.ts), so it cannot drift from the op declarations.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderOpTable } from "../../cli/commands/ops.js";
import { OPCODES } from "../../ir/ops.js";

describe("README op table", () => {
  it("equals the table generated from ir/ops.ts, one row per op", () => {
    const readme = readFileSync("README.md", "utf8");
    const block = /<!-- ops-table:begin -->\n([\s\S]*?)<!-- ops-table:end -->/.exec(readme);
    expect(block, "README has the ops-table markers").not.toBeNull();
    expect(block![1]).toBe(renderOpTable());
    const rows = renderOpTable().trim().split("\n").slice(2);
    expect(rows.length).toBe(OPCODES.length);
    // Every row has exactly five cells (escaped pipes do not split cells).
    for (const row of rows) expect(row.replace(/\\\|/g, "").split("|").length, row).toBe(7);
  });
});
