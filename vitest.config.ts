import { defineConfig } from "vitest/config";

// The JSON report lets .ci/run print a plain "N passed, M failed" line.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // zz-*: local scratch files, never committed (.gitignore)
    exclude: ["test/**/zz-*", "node_modules/**"],
    testTimeout: 120_000,
    pool: "forks",
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-report.json" },
  },
});
