// The TS-subset sources of the tasks (bench/tasks/*.mts), read as text at run
// time and compiled TS source -> frontend (parseTS) -> verifier -> backend.
// Works from the sources (vitest) and from dist/ (npm run bench) alike: the
// task folder is found from the repository root.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Callable, CompileOptions } from "../backend/index.js";
import { compile } from "../backend/index.js";
import { parseTS } from "../frontend/index.js";
import type { Module } from "../ir/types.js";
import { verify } from "../ir/verifier.js";

/** The repository root: the nearest folder above this file holding package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("bench: cannot find the repository root (package.json)");
    dir = up;
  }
  return dir;
}

/** Path of a task source, e.g. `taskPath("t1-rosenbrock.mts")`. */
export function taskPath(file: string): string {
  return join(repoRoot(), "bench", "tasks", file);
}

/** The verified module of a task source. */
export function taskModule(file: string): Module {
  const module = parseTS(readFileSync(taskPath(file), "utf8"), { file: `bench/tasks/${file}` });
  verify(module);
  return module;
}

/** The compiled function `fn` of a task source. */
export function compileTask(file: string, fn: string, options: CompileOptions = {}): Callable {
  const callable = compile(taskModule(file), options)[fn];
  if (!callable) throw new Error(`bench: ${file} has no function ${fn}`);
  return callable;
}
