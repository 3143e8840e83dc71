import { defineConfig } from "vitest/config";

// The JSON report lets .ci/run print a plain "N passed, M failed" line.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    pool: "forks",
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-report.json" },
  },
});
