// Golden IR: each TS program under golden/ compiles to the IR in the .ir file
// next to it (vitest file snapshots; regenerate with `npx vitest run
// test/frontend/golden.test.ts -u` and review the diff). The IR must verify.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { printIR } from "../../ir/printer.js";
import { compileTS } from "./support.js";

const DIR = join(import.meta.dirname, "golden");

for (const name of readdirSync(DIR).filter((f) => f.endsWith(".ts")).sort()) {
  test(`golden IR of ${name}`, async () => {
    const module = compileTS(readFileSync(join(DIR, name), "utf8"), name);
    const locations = name === "sumsq.ts";
    const header = `// Generated from ${name} by test/frontend/golden.test.ts${locations ? " (with source locations)" : ""}.\n`;
    await expect(header + printIR(module, { locations })).toMatchFileSnapshot(join(DIR, name.replace(/\.ts$/, ".ir")));
  });
}
