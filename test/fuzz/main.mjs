#!/usr/bin/env node
// `npm run fuzz -- [--runs N] [--seed S] [--kind both|ts|ir] [--path P]`:
// the long differential fuzz run (test/fuzz/long.fuzz.ts). The engine is
// TypeScript that imports the compiler's sources and the test generators,
// which vitest's transform runs directly; Node 20 cannot run TypeScript and
// dist/ holds no tests, so this script only checks the flags and launches
// the installed vitest with them as FUZZ_* environment variables.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const USAGE = "usage: npm run fuzz -- [--runs N] [--seed S] [--kind both|ts|ir] [--path P]";
const flags = { runs: "2000", seed: "20261101", kind: "both", path: undefined };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const name = argv[i]?.replace(/^--/, "");
  const value = argv[i + 1];
  if (!argv[i]?.startsWith("--") || !(name in flags) || value === undefined) {
    console.error(USAGE);
    process.exit(2);
  }
  flags[name] = value;
}
if (!/^[1-9][0-9]*$/.test(flags.runs) || !/^-?[0-9]+$/.test(flags.seed) || !["both", "ts", "ir"].includes(flags.kind)) {
  console.error(USAGE);
  process.exit(2);
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const env = { ...process.env, FUZZ_RUNS: flags.runs, FUZZ_SEED: flags.seed, FUZZ_KIND: flags.kind };
if (flags.path !== undefined) env.FUZZ_PATH = flags.path;
const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
const run = spawnSync(process.execPath, [vitest, "run", "--config", join(root, "test", "fuzz", "vitest.config.ts")], { cwd: root, env, stdio: "inherit" });
process.exit(run.status ?? 1);
