// vitest configuration of the long fuzz run (`npm run fuzz`, see main.mjs):
// only long.fuzz.ts, no time limit.

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/fuzz/long.fuzz.ts"],
    testTimeout: 0,
    pool: "forks",
  },
});
