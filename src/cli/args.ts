// Flags through Node's own util.parseArgs (strict: unknown flags and stray words are errors), with our one-line
// messages instead of Node's long ones, and a repeated flag refused rather than silently overwritten.
import { parseArgs } from "node:util";

/** A command line that cannot be understood; the CLI prints the problem and a pointer to --help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** What each flag takes: a value, a value that may be given several times ("values"), or nothing (a switch). */
export type FlagSpec = Readonly<Record<string, "value" | "values" | "switch">>;

/** Parsed flags: values as strings, repeatable values as lists, switches as true. */
export type Flags = Record<string, string | true | string[]>;

/** Parses `--name value`, `--name=value` and `--switch`; rejects unknown flags, stray words and repeats. */
export function parseFlags(argv: readonly string[], spec: FlagSpec): Flags {
  return parseCommandLine(argv, spec, []).flags;
}

/**
 * Like parseFlags, for a command that also takes words of its own (`rekindle snooze ID`): `words` names them in
 * order; each must be given, and no more.
 */
export function parseCommandLine(
  argv: readonly string[],
  spec: FlagSpec,
  words: readonly string[],
): { flags: Flags; words: string[] } {
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {};
  for (const [name, kind] of Object.entries(spec))
    options[name] =
      kind === "values"
        ? { type: "string", multiple: true }
        : { type: kind === "switch" ? "boolean" : "string" };
  let tokens;
  try {
    ({ tokens } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: words.length > 0,
      tokens: true,
    }));
  } catch (error) {
    throw new UsageError(oneLine(error, argv, spec));
  }
  const flags: Flags = {};
  const given: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") {
      if (given.length >= words.length) throw new UsageError(`unexpected argument "${token.value}"`);
      given.push(token.value);
      continue;
    }
    if (token.kind !== "option") continue;
    if (spec[token.name] === "values") {
      const value = token.value ?? "";
      if (!token.inlineValue && value.startsWith("--")) throw new UsageError(`--${token.name} needs a value`);
      const list = flags[token.name];
      flags[token.name] = Array.isArray(list) ? [...list, value] : [value];
      continue;
    }
    if (Object.hasOwn(flags, token.name)) throw new UsageError(`--${token.name} was given twice`);
    if (spec[token.name] === "value") {
      const value = token.value ?? "";
      // "--cache --json": the next flag is not a value
      if (!token.inlineValue && value.startsWith("--")) throw new UsageError(`--${token.name} needs a value`);
      flags[token.name] = value;
    } else {
      flags[token.name] = true;
    }
  }
  if (!flags.help && given.length < words.length) throw new UsageError(`missing ${words[given.length]}`);
  return { flags, words: given };
}

function oneLine(error: unknown, argv: readonly string[], spec: FlagSpec): string {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? String(error);
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? "";
  const name = flag.replace(/^-+/, "").replace(/=.*$/, "");
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${flag.startsWith("--") ? flag : `--${name}`}`.replace(/=.*$/, "");
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL": {
      const stray = argv.find((a) => !a.startsWith("-") && !isValueOf(a, argv, spec)) ?? flag;
      return `unexpected argument "${stray}"`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return spec[name] === "switch" ? `--${name} takes no value` : `--${name} needs a value`;
    default:
      return message.split("\n")[0] ?? message;
  }
}

function isValueOf(word: string, argv: readonly string[], spec: FlagSpec): boolean {
  const i = argv.indexOf(word);
  const before = argv[i - 1] ?? "";
  const kind = spec[before.slice(2)];
  return before.startsWith("--") && !before.includes("=") && (kind === "value" || kind === "values");
}

/** A repeatable flag's values, in the order given (none: an empty list). */
export function listFlag(flags: Flags, name: string): string[] {
  const v = flags[name];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
}

/** A string flag's value, or undefined. */
export function stringFlag(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === "string" ? v : undefined;
}
