// The `rekindle` command's composition root: parses arguments, loads a mailbox (file or Graph), runs the core
// engine and prints. Every failure becomes one clear line on stderr and an exit code; never a stack trace.
import { readFile } from "node:fs/promises";
import {
  type ConversationReport,
  type ConversationState,
  detectAwaitingReply,
  isMyMessage,
  myAddressesOf,
} from "../core/awaitingReply";
import { detectAutomatedMail } from "../core/automatedMail";
import { isValidTimeZone } from "../core/calendar";
import { singleLine } from "../core/plainText";
import { composeDraft } from "../core/draft";
import { techniqueContradiction } from "../core/playbook";
import { type Instant, instant } from "../core/message";
import { DEFAULT_SETTINGS, type Settings } from "../core/settings";
import { parseSettings, SettingsError } from "../core/settingsValidation";
import { isTechnique, TECHNIQUES } from "../core/technique";
import { TemplateError } from "../core/template";
import type { UserState } from "../core/userState";
import { type LoadedMailbox, MailboxFileError, parseMailboxJson } from "../graph/mailboxFile";
import { parseGraphInstant } from "../graph/mapMessage";
import { type FlagSpec, type Flags, parseCommandLine, parseFlags, stringFlag, UsageError } from "./args";
import {
  loadUserState,
  rememberHandles,
  runStateCommand,
  runStateTransfer,
  statePathOf,
} from "./stateCommands";
import { findNewerAnswer, loadMailboxFromGraph } from "./graphSource";
import { conversationHandle, formatTable, reportToJson } from "./scanOutput";
import { resultsOf } from "../core/results";
import { sentRecordsOf } from "../core/userStateEntries";
import { readStateFile } from "../store/userStateFile";
import { formatStatsTable, statsToJson } from "./statsOutput";
import { runDrafts } from "./draftsCommand";
import { counted } from "../core/wording";

/** Where the CLI writes and what it reads from its environment; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => number;
  /** The user's locale for dates (the system's, from bin/rekindle.js); en-GB when not given. */
  readonly locale?: string;
}

export const DEFAULT_GRAPH_URL = "https://graph.microsoft.com/v1.0";

const USAGE = `Usage:
  rekindle scan  (--mailbox FILE | --graph [URL] [--token TOKEN] [--cache FILE [--reset-cache]] [--folders NAME,…])
                 [--now ISO] [--tz ZONE] [--json] [--all] [--settings FILE] [--state FILE]
  rekindle draft (--mailbox FILE | --graph [URL] [--token TOKEN] [--cache FILE [--reset-cache]]) --conversation ID
                 [--technique T] [--format text|html] [--force] [--now ISO] [--tz ZONE] [--settings FILE]
  rekindle drafts --graph [URL] [--token TOKEN] --technique T [--conversation ID]... [--limit N] [--dry-run]
                 [--now ISO] [--tz ZONE] [--settings FILE] [--state FILE] [--cache FILE [--reset-cache]]

  rekindle stats (--mailbox FILE | --graph [URL] [--token TOKEN] [--cache FILE [--reset-cache]])
                 [--now ISO] [--tz ZONE] [--json] [--settings FILE] [--state FILE]

  rekindle snooze ID (--until DATE | --for 2w)     rekindle close ID        rekindle reopen ID
  rekindle log-call ID [--voicemail] [--note TEXT] [--at ISO]
  rekindle not-a-prospect (ADDRESS | @DOMAIN) [--undo]
      (each also takes [--state FILE] [--tz ZONE])
  rekindle state import FILE [--state FILE]       rekindle state export [--settings FILE] [--state FILE]

  scan    lists the conversations waiting on a prospect, most urgent first, each with its ID
  draft   prints the re-engagement message for one conversation: the subject line, then the body
  stats   shows what each technique earned (sent, answered, how fast, what they said) and your follow-up curve
  drafts  the batch clean-up: one reply-all draft per conversation whose suggested technique is T (or each
          --conversation), saved in your Drafts folder through Graph; nothing is sent. Conversations answered
          meanwhile (in any folder) are skipped; a draft made by an earlier run is reused, never doubled, so
          running it again is safe. Exit 0 when every draft was made or already existed. The token needs
          Mail.ReadWrite.
  snooze, close, reopen, log-call, not-a-prospect
          record your own decisions in the state file, which scan and draft honour
  state   import merges the pane's export (Settings > Your data) into the state file, never removing a
          decision; export prints the state file for the pane's import (with --settings, those settings too).
          The pane's export also works as --state FILE directly.

  --mailbox FILE    a JSON file { "me": …, "sentitems": […], "inbox": […] } of Graph messages
  --graph [URL]     read your mailbox through Microsoft Graph (default ${DEFAULT_GRAPH_URL})
  --token TOKEN     a Graph access token (or set REKINDLE_TOKEN)
  --cache FILE      keep a local cache so the next --graph scan is incremental
  --reset-cache     delete the --cache file first and sync afresh (e.g. when it is damaged)
  --folders NAME,…  also read these mail folders (by name or path, e.g. Projects,Inbox/Clients), where Inbox
                    rules file answers; Inbox, Sent Items and Archive are always read, Deleted Items never
  --now ISO         the time to judge silence from (default: now)
  --tz ZONE         your IANA time zone, e.g. Europe/Berlin: days are calendar days there (default: the system's)
  --conversation ID a conversation's ID from scan (the short one in the table, or the full conversationId)
  --force           draft even for a conversation that was answered, bounced, declined or left
  --state FILE      your snoozes, closed files, calls and exclusions (default: rekindle/state.json in your
                    config folder, e.g. ~/.config/rekindle/state.json)
  --json            print JSON instead of a table
  --all             list every conversation with a message of yours, with its state
  --settings FILE   thresholds, exclusions and templates (JSON)
  --technique T     one of: ${TECHNIQUES.join(", ")}
  --format F        text (default) or html
  --limit N         drafts: at most N conversations, the most urgent first
  --dry-run         drafts: check and look up only, create nothing
`;

const SOURCE_FLAGS: FlagSpec = {
  mailbox: "value",
  graph: "value",
  token: "value",
  cache: "value",
  "reset-cache": "switch",
  folders: "value",
  now: "value",
  tz: "value",
  settings: "value",
  state: "value",
  help: "switch",
};
const SCAN_FLAGS: FlagSpec = { ...SOURCE_FLAGS, json: "switch", all: "switch" };
const STATS_FLAGS: FlagSpec = { ...SOURCE_FLAGS, json: "switch" };
const DRAFT_FLAGS: FlagSpec = {
  ...SOURCE_FLAGS,
  conversation: "value",
  technique: "value",
  format: "value",
  force: "switch",
};

const DRAFTS_FLAGS: FlagSpec = {
  ...SOURCE_FLAGS,
  technique: "value",
  conversation: "values",
  limit: "value",
  "dry-run": "switch",
};

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
    if (command === "stats") return await stats(parseFlags(args, STATS_FLAGS), io);
    if (command === "state") {
      const action = rest[0];
      if (action === undefined || action.startsWith("-"))
        throw new UsageError("state takes import FILE or export");
      const spec: FlagSpec = { state: "value", settings: "value", tz: "value", now: "value", help: "switch" };
      const parsed =
        action === "import"
          ? parseCommandLine(rest.slice(1), spec, ["FILE"])
          : parseCommandLine(rest.slice(1), spec, []);
      if (parsed.flags.help) return help(io);
      const settingsPath = stringFlag(parsed.flags, "settings");
      const settings = settingsPath ? parseSettings(await readJson(settingsPath), settingsPath) : null;
      return await runStateTransfer(action, parsed.words[0], parsed.flags, io, readJson, settings);
    }
    if (command === "drafts") return await drafts(parseFlags(args, DRAFTS_FLAGS), io);
    if (isStateCommand(command)) {
      const spec = STATE_COMMAND_FLAGS[command];
      const { flags, words } = parseCommandLine(rest, spec, [
        command === "not-a-prospect" ? "ADDRESS" : "ID",
      ]);
      if (flags.help) return help(io);
      const now = parseNow(stringFlag(flags, "now"), io);
      const timeZone = parseTimeZone(stringFlag(flags, "tz"));
      return await runStateCommand(command, words[0]!, flags, io, { now, timeZone });
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`rekindle: ${error.message}\nRun \`rekindle --help\` for usage.\n`);
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

const STATE_FLAGS: FlagSpec = { state: "value", tz: "value", now: "value", help: "switch" };
const STATE_COMMAND_FLAGS = {
  snooze: { ...STATE_FLAGS, until: "value", for: "value" },
  close: STATE_FLAGS,
  reopen: STATE_FLAGS,
  "log-call": { ...STATE_FLAGS, voicemail: "switch", note: "value", at: "value" },
  "not-a-prospect": { ...STATE_FLAGS, undo: "switch" },
} as const satisfies Record<string, FlagSpec>;
type StateCommand = keyof typeof STATE_COMMAND_FLAGS;
const isStateCommand = (c: string): c is StateCommand => Object.hasOwn(STATE_COMMAND_FLAGS, c);

/** The conversation named by its full id or its short handle from the scan table. */
function findConversation(reports: readonly ConversationReport[], id: string): ConversationReport {
  const exact = reports.find((r) => r.conversationId === id);
  if (exact) return exact;
  const byHandle = reports.filter((r) => conversationHandle(r.conversationId) === id.toLowerCase());
  if (byHandle.length === 1) return byHandle[0]!;
  if (byHandle.length > 1) {
    throw new Error(`the ID "${id}" matches ${byHandle.length} conversations; use the full conversationId`);
  }
  throw new Error(`no conversation "${id}" with a message of yours (run \`rekindle scan --all\`)`);
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
  readonly timeZone: string;
  readonly userState: UserState;
  readonly statePath: string | null;
}

function parseTimeZone(value: string | undefined): string {
  const zone = value ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!isValidTimeZone(zone)) {
    throw new UsageError(`--tz needs an IANA time zone such as Europe/Berlin, got "${zone}"`);
  }
  return zone;
}

async function load(flags: Flags, io: CliIo): Promise<Loaded> {
  const now = parseNow(stringFlag(flags, "now"), io);
  const timeZone = parseTimeZone(stringFlag(flags, "tz"));
  const settingsPath = stringFlag(flags, "settings");
  const settings = settingsPath
    ? parseSettings(await readJson(settingsPath), settingsPath)
    : DEFAULT_SETTINGS;
  const mailboxPath = stringFlag(flags, "mailbox");
  const graphUrl = stringFlag(flags, "graph");
  if (mailboxPath && graphUrl) throw new UsageError("give either --mailbox or --graph, not both");
  let loaded: LoadedMailbox;
  if (mailboxPath) {
    for (const f of ["token", "cache", "reset-cache", "folders"])
      if (f in flags) throw new UsageError(`--${f} goes with --graph`);
    loaded = parseMailboxJson(await readJson(mailboxPath), mailboxPath);
  } else if (graphUrl) {
    loaded = await loadFromGraph(graphUrl, flags, io, now, settings, statePathOf(flags, io.env));
  } else {
    throw new UsageError("say where the mail is: --mailbox FILE or --graph");
  }
  if (loaded.skippedTotal > 0) {
    const why = Object.entries(loaded.skipped)
      .map(([reason, count]) => `${count} ${reason}`)
      .join(", ");
    const where = mailboxPath ?? "Graph";
    io.stderr(
      `rekindle: warning: skipped ${counted(loaded.skippedTotal, "malformed message")} in ${where} (${why})\n`,
    );
  }
  const statePath = statePathOf(flags, io.env);
  const resolved = await loadUserState(statePath);
  // "not a prospect" from the state commands joins the settings' own exclusions
  const withExclusions: Settings = {
    ...settings,
    excludedAddresses: [...settings.excludedAddresses, ...resolved.excludedAddresses],
    excludedDomains: [...settings.excludedDomains, ...resolved.excludedDomains],
  };
  return { loaded, settings: withExclusions, now, timeZone, userState: resolved.userState, statePath };
}

async function loadFromGraph(
  url: string,
  flags: Flags,
  io: CliIo,
  now: Instant,
  settings: Settings,
  statePath: string | null,
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
  const folderNames = (stringFlag(flags, "folders") ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if ("folders" in flags && folderNames.length === 0)
    throw new UsageError("--folders needs folder names separated by commas, e.g. --folders Projects,Clients");
  let lastLine = 0;
  return loadMailboxFromGraph({
    url: url.replace(/\/+$/, ""),
    token,
    ...(cachePath ? { cachePath, resetCache: flags["reset-cache"] === true } : {}),
    onNotice: (text) => io.stderr(`rekindle: ${text}\n`),
    now,
    statePath,
    roam: settings.roamDecisions,
    clock: io.now,
    windowDays: settings.windowDays,
    folderIds: settings.extraFolders,
    ...(folderNames.length ? { folderNames } : {}),
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

/** The engine's verdicts on the loaded mailbox, as scan and draft both judge it. */
function judge(l: Omit<Loaded, "statePath">, io: CliIo): ConversationReport[] {
  return detectAwaitingReply(l.loaded.mailbox, {
    now: l.now,
    settings: l.settings,
    userState: l.userState,
    timeZone: l.timeZone,
    locale: io.locale ?? "en-GB",
  });
}

async function scan(flags: Flags, io: CliIo): Promise<number> {
  if (flags.help) return help(io);
  const { loaded, settings, now, timeZone, userState, statePath } = await load(flags, io);
  const reports = judge({ loaded, settings, now, timeZone, userState }, io);
  await rememberHandles(
    statePath,
    Object.fromEntries(reports.map((r) => [conversationHandle(r.conversationId), r.conversationId])),
  );
  const shown = flags.all ? reports : reports.filter((r) => r.state === "stale");
  io.stdout(
    flags.json
      ? JSON.stringify(shown.map(reportToJson), null, 2) + "\n"
      : formatTable(shown, flags.all === true),
  );
  return 0;
}

async function stats(flags: Flags, io: CliIo): Promise<number> {
  if (flags.help) return help(io);
  const { loaded, settings, now, timeZone, userState, statePath } = await load(flags, io);
  // The "sent" records the pane's import or the CLI keep in the state file attribute unmarked messages.
  const records = sentRecordsOf(statePath ? await readStateFile(statePath) : []);
  const results = resultsOf(loaded.mailbox, records, {
    now,
    settings,
    userState,
    timeZone,
    locale: io.locale ?? "en-GB",
  });
  io.stdout(flags.json ? JSON.stringify(statsToJson(results), null, 2) + "\n" : formatStatsTable(results));
  return 0;
}

function help(io: CliIo): number {
  io.stdout(USAGE);
  return 0;
}

// States where nothing should be sent; draft refuses them unless --force.
const NOTHING_TO_SEND: ReadonlySet<ConversationState> = new Set(["replied", "bounced", "declined", "left"]);

async function draft(flags: Flags, io: CliIo): Promise<number> {
  if (flags.help) return help(io);
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
  const { loaded, settings, now, timeZone, userState } = await load(flags, io);
  const reports = judge({ loaded, settings, now, timeZone, userState }, io);
  const report = findConversation(reports, conversationId);
  const contradiction = technique === undefined ? null : techniqueContradiction(report, technique, settings);
  if (report.prospects.length === 0) {
    throw new Error(`conversation "${conversationId}" has no prospect to write to (${report.reason})`);
  }
  if (NOTHING_TO_SEND.has(report.state) && !flags.force) {
    throw new Error(
      `conversation "${conversationId}" is ${report.state}: ${singleLine(report.reason)} (add --force to draft anyway)`,
    );
  }
  const graphUrl = stringFlag(flags, "graph");
  if (graphUrl && report.lastAttemptAt !== null && !flags.force) {
    // An answer an Inbox rule filed elsewhere, or one archived before the sync, is looked up at the last moment.
    const mine = myAddressesOf(loaded.mailbox.me, settings.myAddresses);
    const newer = await findNewerAnswer({
      url: graphUrl.replace(/\/+$/, ""),
      token: stringFlag(flags, "token") ?? io.env.REKINDLE_TOKEN ?? "",
      conversationId: report.conversationId,
      after: report.lastAttemptAt,
      isAnswer: (m) => !isMyMessage(m, mine) && detectAutomatedMail(m) === null,
    });
    if (newer) {
      const who = singleLine(newer.from?.name || newer.from?.address || "someone");
      const when = new Intl.DateTimeFormat(io.locale ?? "en-GB", {
        day: "numeric",
        month: "short",
        timeZone,
      }).format(new Date(newer.receivedAt));
      throw new Error(
        `conversation "${conversationId}" was answered: ${who} answered on ${when} (in ${singleLine(newer.folderName)}); nothing drafted (add --force to draft anyway)`,
      );
    }
  }
  if (contradiction) io.stderr(`rekindle: note: ${contradiction}\n`);
  const locale = io.locale ?? "en-GB";
  const message = composeDraft(
    report,
    loaded.mailbox.me,
    settings,
    technique ?? report.technique ?? "nudge",
    {
      locale,
      timeZone,
    },
  );
  io.stdout(`Subject: ${message.subject}\n\n${format === "html" ? message.html : message.text}\n`);
  if (format === "text" && message.voicemail) io.stdout(`\n--- Voicemail script ---\n${message.voicemail}\n`);
  return 0;
}

async function drafts(flags: Flags, io: CliIo): Promise<number> {
  if (flags.help) return help(io);
  return runDrafts(flags, {
    io,
    load: async (f) => {
      const l = await load(f, io);
      const reports = judge(l, io);
      await rememberHandles(
        l.statePath,
        Object.fromEntries(reports.map((r) => [conversationHandle(r.conversationId), r.conversationId])),
      );
      return {
        me: l.loaded.mailbox.me,
        settings: l.settings,
        timeZone: l.timeZone,
        reports,
        statePath: l.statePath,
      };
    },
    findConversation,
  });
}
