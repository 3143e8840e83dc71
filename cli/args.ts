// Command-line flag parsing for the `deriv` CLI: `--flag`, `--flag value`,
// `--flag=value`, and positionals. Knows nothing about the commands.

/** Thrown for bad usage; the CLI exits 2 with the message. */
export class UsageError extends Error {}

/** Parsed command line: positionals and flags (boolean flags are `true`). */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Map<string, string | true>;
}

/** Parses `argv` given which flags take a value and which are booleans.
 * Unknown flags are usage errors that name the flag. */
export function parseArgs(argv: readonly string[], valued: readonly string[], booleans: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (valued.includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`flag --${name} needs a value`);
      flags.set(name, value);
    } else if (booleans.includes(name) && eq < 0) {
      flags.set(name, true);
    } else {
      const known = [...valued, ...booleans].map((f) => `--${f}`).join(" ");
      throw new UsageError(`unknown flag --${name}${known ? ` (known: ${known})` : ""}`);
    }
  }
  return { positionals, flags };
}

/** The string value of a valued flag, or undefined. */
export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === "string" ? v : undefined;
}

/** True if a boolean flag is present. */
export function flagSet(args: ParsedArgs, name: string): boolean {
  return args.flags.get(name) === true;
}

/** The single required positional FILE argument. */
export function fileArg(args: ParsedArgs, command: string): string {
  if (args.positionals.length !== 1) throw new UsageError(`deriv ${command}: expected exactly one FILE argument (.ts, .ir, or - for stdin)`);
  return args.positionals[0]!;
}
