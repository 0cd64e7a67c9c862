// The CLI's own actions on user state: snooze, close, reopen, log-call and not-a-prospect. Each writes one entry
// to the state file (the same entries the pane keeps), which `scan` and `draft` then honour.
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { normaliseAddress } from "../core/addresses";
import { createCalendar } from "../core/calendar";
import { parseGraphInstant } from "../graph/mapMessage";
import { type Instant, instant } from "../core/message";
import { resolveEntries, type ResolvedUserState, type StateEntry } from "../core/userStateEntries";
import { entryChanges, parseStateDocument, stateDocument } from "../core/stateDocument";
import type { Settings } from "../core/settings";
import { defaultStatePath, mergeIntoStateFile, readStateFile, updateStateFile } from "../store/userStateFile";
import { type Flags, stringFlag, UsageError } from "./args";

/** What the state commands need from the CLI's environment. */
export interface StateIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => number;
  readonly locale?: string;
}

/** The state file to use: --state, else the config directory's; null where there is no home to keep it in. */
export function statePathOf(flags: Flags, env: StateIo["env"]): string | null {
  const given = stringFlag(flags, "state");
  if (given) return given;
  if (!env.HOME && !env.USERPROFILE && !env.APPDATA && !env.XDG_CONFIG_HOME) return null;
  return defaultStatePath(env);
}

/** The user state from the state file, or an empty one when there is no file. */
export async function loadUserState(path: string | null): Promise<ResolvedUserState> {
  return resolveEntries(path ? await readStateFile(path) : []);
}

const handlesPath = (statePath: string) => join(dirname(statePath), "handles.json");

/** Remembers the short IDs the last scan showed, so the state commands can take them. Not user data: rebuilt by every scan. */
export async function rememberHandles(
  statePath: string | null,
  handles: Readonly<Record<string, string>>,
): Promise<void> {
  if (!statePath) return;
  await mkdir(dirname(statePath), { recursive: true });
  await writeFile(handlesPath(statePath), JSON.stringify(handles) + "\n");
}

async function conversationIdOf(id: string, statePath: string): Promise<string> {
  if (!/^[0-9a-z]{8}$/.test(id)) return id;
  let handles: Record<string, unknown> = {};
  try {
    handles = JSON.parse(await readFile(handlesPath(statePath), "utf8")) as Record<string, unknown>;
  } catch {
    // no scan yet: the id may still be a full conversationId
  }
  const full = Object.hasOwn(handles, id) ? handles[id] : undefined;
  if (typeof full === "string") return full;
  throw new Error(
    `no conversation with the ID "${id}" in the last scan; run \`rekindle scan\` first, or pass the full conversationId`,
  );
}

const DURATION = /^(\d{1,4})([dwm])$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function snoozeUntil(flags: Flags, now: Instant, timeZone: string): Instant {
  const until = stringFlag(flags, "until");
  const span = stringFlag(flags, "for");
  if ((until === undefined) === (span === undefined))
    throw new UsageError("snooze needs --until DATE or --for 2w (one of them)");
  const calendar = createCalendar(timeZone);
  const today = calendar.dayNumber(now);
  let at: Instant;
  if (span !== undefined) {
    const m = DURATION.exec(span);
    if (!m) throw new UsageError(`--for takes a span such as 3d, 2w or 1m, got "${span}"`);
    const n = Number(m[1]);
    const days = m[2] === "d" ? n : m[2] === "w" ? 7 * n : 0;
    if (m[2] === "m") {
      const d = new Date(calendar.startOfDay(today) + 12 * 3_600_000);
      const target = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, d.getUTCDate());
      at = calendar.startOfDay(Math.floor(target / 86_400_000));
    } else {
      at = calendar.startOfDay(today + days);
    }
  } else {
    const d = DATE_ONLY.exec(until!);
    if (d) {
      const [y, mo, da] = [Number(d[1]), Number(d[2]), Number(d[3])];
      if (parseGraphInstant(`${until}T00:00:00Z`) === null)
        throw new UsageError(`--until has a date that does not exist: "${until}"`);
      at = calendar.startOfDay(Math.floor(Date.UTC(y, mo - 1, da) / 86_400_000));
    } else {
      const parsed = /^\d{4}-\d{2}-\d{2}T/.test(until!) ? parseGraphInstant(until) : null;
      if (parsed === null) throw new UsageError(`--until needs a date such as 2026-12-24, got "${until}"`);
      at = parsed;
    }
  }
  if (at <= now) throw new UsageError("the snooze must end in the future");
  return at;
}

/** Runs one state command; returns the exit code. */
export async function runStateCommand(
  command: "snooze" | "close" | "reopen" | "log-call" | "not-a-prospect",
  target: string,
  flags: Flags,
  io: StateIo,
  clock: { now: Instant; timeZone: string },
): Promise<number> {
  const statePath = statePathOf(flags, io.env);
  if (!statePath) throw new UsageError("there is no home folder to keep the state in: pass --state FILE");
  const at = instant(io.now());
  const day = new Intl.DateTimeFormat(io.locale ?? "en-GB", {
    dateStyle: "medium",
    timeZone: clock.timeZone,
  });
  let entry: StateEntry;
  let said: string;
  if (command === "not-a-prospect") {
    const domain = target.startsWith("@") ? target.toLowerCase() : null;
    const address = domain ? "" : normaliseAddress(target);
    if (domain ? !/^@[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) : !address) {
      throw new UsageError(`not-a-prospect takes an e-mail address or @domain, got "${target}"`);
    }
    const id = domain ?? address;
    const excluded = !flags.undo;
    entry = { kind: "not-a-prospect", id, at, excluded };
    said = excluded ? `${id} is no longer treated as a prospect.` : `${id} counts as a prospect again.`;
  } else {
    const conversationId = await conversationIdOf(target, statePath);
    if (command === "snooze") {
      const until = snoozeUntil(flags, clock.now, clock.timeZone);
      entry = { kind: "snooze", id: conversationId, at, until };
      said = `Snoozed ${conversationId} until ${day.format(new Date(until))}.`;
    } else if (command === "close" || command === "reopen") {
      entry = { kind: "closed", id: conversationId, at, closed: command === "close" };
      said = command === "close" ? `Marked ${conversationId} as closed.` : `Reopened ${conversationId}.`;
    } else {
      const when = stringFlag(flags, "at");
      const calledAt = when === undefined ? clock.now : parseInstant(when, "--at");
      const note = stringFlag(flags, "note") ?? "";
      if (note.length > 2000) throw new UsageError("--note is limited to 2,000 characters");
      const voicemail = flags.voicemail === true;
      const id = `call-${calledAt}-${Math.abs(hash(conversationId + note)).toString(36)}`;
      entry = { kind: "call", id, at, conversationId, calledAt, voicemail, note, deleted: false };
      said = `Logged a ${voicemail ? "voicemail" : "call"} in ${conversationId} on ${day.format(new Date(calledAt))}.`;
    }
  }
  await updateStateFile(statePath, [entry], (message) => io.stderr(`rekindle: ${message}\n`));
  io.stdout(`${said}\n`);
  return 0;
}

function parseInstant(value: string, flag: string): Instant {
  // the calendar check --now and mail's dates use (2026-02-30 does not exist); a bare date is midnight UTC
  const parsed = parseGraphInstant(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (parsed === null)
    throw new UsageError(`${flag} needs an ISO date such as 2026-03-01T09:00:00Z, got "${value}"`);
  return parsed;
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * `rekindle state import FILE`: merges a pane export (or another state file) into the state file, entry by entry,
 * the newer winning, never removing one. `rekindle state export`: prints the state file in the format the pane's
 * import reads, with `settings` when given (--settings).
 */
export async function runStateTransfer(
  action: string,
  file: string | undefined,
  flags: Flags,
  io: StateIo,
  readJson: (path: string) => Promise<unknown>,
  settings: Settings | null,
): Promise<number> {
  const statePath = statePathOf(flags, io.env);
  if (!statePath) throw new UsageError("there is no home folder to keep the state in: pass --state FILE");
  if (action === "export") {
    if (file !== undefined) throw new UsageError("state export takes no FILE: it prints to standard output");
    const json = JSON.stringify(stateDocument(await readStateFile(statePath), settings), null, 1);
    io.stdout(json + "\n");
    return 0;
  }
  if (action !== "import") throw new UsageError(`state takes import FILE or export, got "${action}"`);
  if (file === undefined) throw new UsageError("state import needs the FILE to import");
  let doc;
  try {
    doc = parseStateDocument(await readJson(file));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}; nothing was imported`);
  }
  const { winners, lines } = entryChanges(await readStateFile(statePath), doc.entries);
  if (winners.length > 0) {
    await mergeIntoStateFile(statePath, winners, (message) => io.stderr(`rekindle: ${message}\n`));
  }
  io.stdout(
    winners.length > 0
      ? `Imported into ${statePath}: ${lines.join("; ")}.\n`
      : `Nothing to import: ${statePath} already has every decision in ${file}, or newer ones.\n`,
  );
  if (doc.settings) {
    io.stdout(
      "The file's settings were left out: the rekindle command reads settings from --settings FILE.\n",
    );
  }
  return 0;
}
