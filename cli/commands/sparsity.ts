// `deriv sparsity FILE --fn F --at JSON [--mode global|local] [--hessian]
// [--wrt 0,2] [--externs FILE.mjs] [--svg OUT]`: the detected Jacobian (or
// Hessian) pattern as JSON {"rows","cols","nnz","pattern"}; analysis
// warnings go to stderr; `--svg` also writes a spy plot of the pattern.

import { writeFileSync } from "node:fs";
import { sparsity, type SparsityResult } from "../../api/sparse.js";
import { DerivError } from "../../ir/errors.js";
import { fileArg, flagSet, flagString, parseArgs, UsageError } from "../args.js";
import { loadExternsFile } from "../externs-file.js";
import { decodeArgs, encodeJSON, loadModule } from "../io.js";

/** Largest side of the plot in pixels; bigger patterns are binned. */
const PLOT = 600;

/** A spy plot: one dark square per nonzero (per nonempty bin when the matrix
 * has more rows or columns than PLOT pixels). */
export function spySvg(p: SparsityResult): string {
  const side = Math.max(p.rows, p.cols, 1);
  const cell = side <= PLOT ? Math.max(1, Math.floor(PLOT / side)) : 1;
  const scale = side <= PLOT ? 1 : PLOT / side;
  const width = Math.max(1, Math.ceil(p.cols * scale)) * cell;
  const height = Math.max(1, Math.ceil(p.rows * scale)) * cell;
  const seen = new Set<number>();
  const rects: string[] = [];
  for (const [i, j] of p.pattern) {
    const y = Math.floor(i * scale);
    const x = Math.floor(j * scale);
    const key = y * (width + 1) + x;
    if (seen.has(key)) continue;
    seen.add(key);
    rects.push(`<rect x="${x * cell}" y="${y * cell}" width="${cell}" height="${cell}"/>`);
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width + 2}" height="${height + 2}" viewBox="-1 -1 ${width + 2} ${height + 2}">`,
    `<title>${p.rows} x ${p.cols}, ${p.nnz} nonzeros</title>`,
    `<rect x="-0.5" y="-0.5" width="${width + 1}" height="${height + 1}" fill="white" stroke="#888"/>`,
    `<g fill="#1f3b73">`,
    ...rects,
    `</g>`,
    `</svg>`,
    "",
  ].join("\n");
}

function parseWrt(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(",").map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) throw new UsageError(`--wrt must be a comma-separated list of argument indices, e.g. --wrt 0,2 (got '${text}')`);
  return parts.map(Number);
}

/** Runs `deriv sparsity`. */
export async function runSparsity(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ["fn", "at", "mode", "svg", "wrt", "externs"], ["hessian"]);
  const file = fileArg(args, "sparsity");
  const fn = flagString(args, "fn");
  const at = flagString(args, "at");
  if (!fn) throw new UsageError("deriv sparsity: --fn F is required");
  if (at === undefined) throw new UsageError("deriv sparsity: --at JSON is required (it gives the array lengths; e.g. --at '[[0, 0, 0, 0]]')");
  const mode = flagString(args, "mode") ?? "global";
  if (mode !== "global" && mode !== "local") throw new UsageError(`--mode must be global or local, got '${mode}'`);
  const wrt = parseWrt(flagString(args, "wrt"));
  const externs = await loadExternsFile(flagString(args, "externs"));
  const module = loadModule(file);
  const inputs = decodeArgs(at);
  const out = sparsity(module, fn, { mode, hessian: flagSet(args, "hessian"), externs, ...(wrt ? { wrt } : {}) })(...inputs);
  for (const w of out.warnings) process.stderr.write(`warning: ${w}\n`);
  const svg = flagString(args, "svg");
  if (svg !== undefined) {
    try {
      writeFileSync(svg, spySvg(out));
    } catch (e) {
      throw new DerivError("cli", [{ code: "E_CLI_OUTPUT", message: `cannot write ${svg}: ${(e as Error).message}` }]);
    }
  }
  process.stdout.write(encodeJSON({ rows: out.rows, cols: out.cols, nnz: out.nnz, pattern: out.pattern }) + "\n");
  return 0;
}
