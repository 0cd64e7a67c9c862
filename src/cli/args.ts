/** A command line that cannot be understood; the CLI prints the usage and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** What each flag takes: a value, or nothing (a switch). */
export type FlagSpec = Readonly<Record<string, "value" | "switch">>;

/** Parsed flags: values as strings, switches as true. */
export type Flags = Record<string, string | true>;

/** Parses `--name value`, `--name=value` and `--switch`; rejects unknown flags, stray words and repeats. */
export function parseFlags(argv: readonly string[], spec: FlagSpec): Flags {
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option --${name}`);
    if (name in flags) throw new UsageError(`--${name} was given twice`);
    if (kind === "switch") {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith("--"))) {
      throw new UsageError(`--${name} needs a value`);
    }
    flags[name] = value;
  }
  return flags;
}

/** A string flag's value, or undefined. */
export function stringFlag(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === "string" ? v : undefined;
}
