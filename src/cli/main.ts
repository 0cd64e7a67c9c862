// The `rekindle` command's composition root: parses arguments, loads a mailbox (file or Graph), runs the core
// engine and prints. Every failure becomes one clear line on stderr and an exit code; never a stack trace.
import { readFile } from "node:fs/promises";
import { detectAwaitingReply } from "../core/awaitingReply";
import { composeDraft } from "../core/draft";
import { type Instant, instant } from "../core/message";
import { DEFAULT_SETTINGS, type Settings } from "../core/settings";
import { parseSettings, SettingsError } from "../core/settingsValidation";
import { isTechnique, TECHNIQUES } from "../core/technique";
import { TemplateError } from "../core/template";
import { EMPTY_USER_STATE } from "../core/userState";
import { type LoadedMailbox, MailboxFileError, parseMailboxJson } from "../graph/mailboxFile";
import { parseGraphInstant } from "../graph/mapMessage";
import { type FlagSpec, type Flags, parseFlags, stringFlag, UsageError } from "./args";
import { loadMailboxFromGraph } from "./graphSource";
import { formatTable, reportToJson } from "./scanOutput";

/** Where the CLI writes and what it reads from its environment; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => number;
}

export const DEFAULT_GRAPH_URL = "https://graph.microsoft.com/v1.0";

const USAGE = `Usage:
  rekindle scan  (--mailbox FILE | --graph [URL] [--token TOKEN] [--cache FILE [--reset-cache]])
                 [--now ISO] [--json] [--all] [--settings FILE]
  rekindle draft (--mailbox FILE | --graph [URL] [--token TOKEN] [--cache FILE [--reset-cache]]) --conversation ID
                 [--technique T] [--format text|html] [--now ISO] [--settings FILE]

  scan    lists the conversations waiting on a prospect, most urgent first
  draft   prints the re-engagement message for one conversation: the subject line, then the body

  --mailbox FILE    a JSON file { "me": …, "sentitems": […], "inbox": […] } of Graph messages
  --graph [URL]     read your mailbox through Microsoft Graph (default ${DEFAULT_GRAPH_URL})
  --token TOKEN     a Graph access token (or set REKINDLE_TOKEN)
  --cache FILE      keep a local cache so the next --graph scan is incremental
  --reset-cache     delete the --cache file first and sync afresh (e.g. when it is damaged)
  --now ISO         the time to judge silence from (default: now)
  --json            print JSON instead of a table
  --all             list every conversation with a message of yours, with its state
  --settings FILE   thresholds, exclusions and templates (JSON)
  --technique T     one of: ${TECHNIQUES.join(", ")}
  --format F        text (default) or html
`;

const SOURCE_FLAGS: FlagSpec = {
  mailbox: "value",
  graph: "value",
  token: "value",
  cache: "value",
  "reset-cache": "switch",
  now: "value",
  settings: "value",
  help: "switch",
};
const SCAN_FLAGS: FlagSpec = { ...SOURCE_FLAGS, json: "switch", all: "switch" };
const DRAFT_FLAGS: FlagSpec = { ...SOURCE_FLAGS, conversation: "value", technique: "value", format: "value" };

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 bad arguments). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      io.stdout(USAGE);
      return command === undefined ? 2 : 0;
    }
    // `--graph` may stand alone (default URL): give it its default before strict parsing.
    const args = withDefaultGraphUrl(rest);
    if (command === "scan") return await scan(parseFlags(args, SCAN_FLAGS), io);
    if (command === "draft") return await draft(parseFlags(args, DRAFT_FLAGS), io);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`rekindle: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`rekindle: ${describeError(error)}\n`);
    return 1;
  }
}

function withDefaultGraphUrl(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    out.push(arg);
    const next = args[i + 1];
    if (arg === "--graph" && (next === undefined || next.startsWith("--"))) out.push(DEFAULT_GRAPH_URL);
  }
  return out;
}

function describeError(error: unknown): string {
  if (error instanceof MailboxFileError || error instanceof SettingsError || error instanceof TemplateError) {
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

interface Loaded {
  readonly loaded: LoadedMailbox;
  readonly settings: Settings;
  readonly now: Instant;
}

async function load(flags: Flags, io: CliIo): Promise<Loaded> {
  if (flags.help) throw new UsageError("help requested");
  const now = parseNow(stringFlag(flags, "now"), io);
  const settingsPath = stringFlag(flags, "settings");
  const settings = settingsPath
    ? parseSettings(await readJson(settingsPath), settingsPath)
    : DEFAULT_SETTINGS;
  const mailboxPath = stringFlag(flags, "mailbox");
  const graphUrl = stringFlag(flags, "graph");
  if (mailboxPath && graphUrl) throw new UsageError("give either --mailbox or --graph, not both");
  let loaded: LoadedMailbox;
  if (mailboxPath) {
    for (const f of ["token", "cache", "reset-cache"])
      if (f in flags) throw new UsageError(`--${f} goes with --graph`);
    loaded = parseMailboxJson(await readJson(mailboxPath), mailboxPath);
  } else if (graphUrl) {
    loaded = await loadFromGraph(graphUrl, flags, io, now, settings);
  } else {
    throw new UsageError("say where the mail is: --mailbox FILE or --graph");
  }
  if (loaded.skippedTotal > 0) {
    const why = Object.entries(loaded.skipped)
      .map(([reason, count]) => `${count} ${reason}`)
      .join(", ");
    const where = mailboxPath ?? "Graph";
    io.stderr(
      `rekindle: warning: skipped ${loaded.skippedTotal} malformed ${loaded.skippedTotal === 1 ? "message" : "messages"} in ${where} (${why})\n`,
    );
  }
  return { loaded, settings, now };
}

async function loadFromGraph(
  url: string,
  flags: Flags,
  io: CliIo,
  now: Instant,
  settings: Settings,
): Promise<LoadedMailbox> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--graph needs an http(s) URL, got "${url}"`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new UsageError(`--graph needs an http(s) URL, got "${url}"`);
  }
  const token = stringFlag(flags, "token") ?? io.env.REKINDLE_TOKEN;
  if (!token) {
    throw new UsageError("--graph needs an access token: pass --token TOKEN or set REKINDLE_TOKEN");
  }
  const cachePath = stringFlag(flags, "cache");
  if (flags["reset-cache"] && !cachePath) throw new UsageError("--reset-cache goes with --cache FILE");
  let lastLine = 0;
  return loadMailboxFromGraph({
    url: url.replace(/\/+$/, ""),
    token,
    ...(cachePath ? { cachePath, resetCache: flags["reset-cache"] === true } : {}),
    onNotice: (text) => io.stderr(`rekindle: ${text}\n`),
    now,
    windowDays: settings.windowDays,
    onProgress: (p) => {
      const at = io.now();
      if (at - lastLine < 250 && p.expected !== null && p.synced < p.expected) return;
      lastLine = at;
      const of = p.expected === null ? "" : ` of ~${p.expected}`;
      io.stderr(
        `rekindle: ${p.phase === "first-sync" ? "first sync" : "syncing changes"}: ${p.synced}${of} messages\n`,
      );
    },
  });
}

function parseNow(value: string | undefined, io: CliIo): Instant {
  if (value === undefined) return instant(io.now());
  // A real calendar date (Date.parse would roll 2026-02-30 over to March); a bare date is midnight UTC.
  const at = parseGraphInstant(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (at === null)
    throw new UsageError(`--now needs an ISO date such as 2026-03-01T09:00:00Z, got "${value}"`);
  return at;
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a folder, not a file"
          : (error as Error).message;
    throw new MailboxFileError(path, `cannot read it (${why})`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new MailboxFileError(path, `is not valid JSON (${(error as Error).message})`);
  }
}

async function scan(flags: Flags, io: CliIo): Promise<number> {
  const { loaded, settings, now } = await load(flags, io);
  const reports = detectAwaitingReply(loaded.mailbox, { now, settings, userState: EMPTY_USER_STATE });
  const shown = flags.all ? reports : reports.filter((r) => r.state === "stale");
  io.stdout(
    flags.json
      ? JSON.stringify(shown.map(reportToJson), null, 2) + "\n"
      : formatTable(shown, flags.all === true),
  );
  return 0;
}

async function draft(flags: Flags, io: CliIo): Promise<number> {
  const conversationId = stringFlag(flags, "conversation");
  if (!conversationId)
    throw new UsageError("draft needs --conversation ID (see the conversationId in `scan --json`)");
  const technique = stringFlag(flags, "technique");
  if (technique !== undefined && !isTechnique(technique)) {
    throw new UsageError(`unknown technique "${technique}"; choose one of: ${TECHNIQUES.join(", ")}`);
  }
  const format = stringFlag(flags, "format") ?? "text";
  if (format !== "text" && format !== "html")
    throw new UsageError(`--format is text or html, got "${format}"`);
  const { loaded, settings, now } = await load(flags, io);
  const reports = detectAwaitingReply(loaded.mailbox, { now, settings, userState: EMPTY_USER_STATE });
  const report = reports.find((r) => r.conversationId === conversationId);
  if (!report) {
    throw new Error(
      `no conversation "${conversationId}" with a message of yours (run \`rekindle scan --all --json\`)`,
    );
  }
  if (report.prospects.length === 0) {
    throw new Error(`conversation "${conversationId}" has no prospect to write to (${report.reason})`);
  }
  const message = composeDraft(report, loaded.mailbox.me, settings, technique ?? report.technique ?? "nudge");
  io.stdout(`Subject: ${message.subject}\n\n${format === "html" ? message.html : message.text}\n`);
  if (format === "text" && message.voicemail) io.stdout(`\n--- Voicemail script ---\n${message.voicemail}\n`);
  return 0;
}
