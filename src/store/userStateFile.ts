// The CLI's user state: snoozes, closed files, logged calls, exclusions, referrers and "later" dates, one entry
// each, in a JSON file. Every change is a read-modify-write of one entry under a lock (proper-lockfile), written
// to a temporary file and renamed, so a crash leaves the old file or the new one, never half of one. A file that
// is not ours, or that is damaged, is refused with its name and is never overwritten: it holds the user's work.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import lockfile from "proper-lockfile";
import { instant } from "../core/message";
import {
  entryKey,
  mergeEntries,
  parseStateEntry,
  type StateEntry,
  StateEntryError,
} from "../core/userStateEntries";

import { STATE_FORMAT as FORMAT, STATE_VERSION as VERSION } from "../core/stateDocument";

/** A state file that cannot be used; the message names the file and what is wrong. */
export class UserStateFileError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = "UserStateFileError";
  }
}

/** Where the state lives by default: the user's config directory, as each platform has it. */
export function defaultStatePath(
  env: Readonly<Record<string, string | undefined>>,
  platform = process.platform,
): string {
  const home = env.HOME ?? env.USERPROFILE ?? ".";
  const base =
    platform === "win32"
      ? (env.APPDATA ?? join(home, "AppData", "Roaming"))
      : platform === "darwin"
        ? join(home, "Library", "Application Support")
        : (env.XDG_CONFIG_HOME ?? join(home, ".config"));
  return join(base, "rekindle", "state.json");
}

/** Reads every entry; a missing file is an empty state. */
export async function readStateFile(path: string): Promise<StateEntry[]> {
  return (await readStateDoc(path)).entries;
}

/** The file's entries and its other top-level fields (a pane export's settings), which a rewrite keeps. */
async function readStateDoc(path: string): Promise<{ entries: StateEntry[]; rest: Record<string, unknown> }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], rest: {} };
    throw new UserStateFileError(path, `cannot read it (${(error as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserStateFileError(
      path,
      `is not valid JSON (${(error as Error).message}); it was left as it is`,
    );
  }
  const doc = raw as { format?: unknown; version?: unknown; entries?: unknown };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw) || doc.format !== FORMAT) {
    throw new UserStateFileError(
      path,
      "is not a Rekindle state file; it was left as it is (pass --state to use another)",
    );
  }
  if (doc.version !== VERSION) {
    throw new UserStateFileError(
      path,
      `has version ${String(doc.version)}; this Rekindle reads version ${VERSION}`,
    );
  }
  if (!Array.isArray(doc.entries)) throw new UserStateFileError(path, `has no "entries" list`);
  const { format: _format, version: _version, entries: _entries, ...rest } = raw as Record<string, unknown>;
  const entries = doc.entries.map((e, i) => {
    try {
      return parseStateEntry(e);
    } catch (error) {
      if (error instanceof StateEntryError)
        throw new UserStateFileError(path, `entry ${i + 1}: ${error.message}`);
      throw error;
    }
  });
  return { entries, rest };
}

/** Adds entries (merged per key, newest wins) under an exclusive lock; returns the whole merged state. */
export async function updateStateFile(
  path: string,
  entries: readonly StateEntry[],
  onWait: (message: string) => void = () => undefined,
): Promise<StateEntry[]> {
  return writeMerged(path, entries, onWait, true);
}

/**
 * Merges entries from elsewhere (the pane's export) under the lock: per key the newer wins, and an entry older
 * than the stored one changes nothing (unlike a decision made now, it is never bumped). Returns the merged state.
 */
export async function mergeIntoStateFile(
  path: string,
  entries: readonly StateEntry[],
  onWait: (message: string) => void = () => undefined,
): Promise<StateEntry[]> {
  return writeMerged(path, entries, onWait, false);
}

async function writeMerged(
  path: string,
  entries: readonly StateEntry[],
  onWait: (message: string) => void,
  madeNow: boolean,
): Promise<StateEntry[]> {
  await mkdir(dirname(path), { recursive: true });
  const release = await lock(path, onWait);
  try {
    const { entries: stored, rest } = await readStateDoc(path);
    // A decision made now replaces the stored one even when the clock has not moved on (or was set back).
    const latest = new Map(stored.map((e) => [entryKey(e), e.at]));
    const bumped = madeNow
      ? entries.map((e) => {
          const before = latest.get(entryKey(e));
          return before !== undefined && before >= e.at ? { ...e, at: instant(before + 1) } : e;
        })
      : entries;
    const merged = mergeEntries(stored, bumped);
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(
      temp,
      JSON.stringify({ ...rest, format: FORMAT, version: VERSION, entries: merged }, null, 1) + "\n",
    );
    await rename(temp, path);
    return merged;
  } finally {
    await release();
  }
}

async function lock(path: string, onWait: (message: string) => void): Promise<() => Promise<void>> {
  // The lock is a folder beside the file (proper-lockfile's way); realpath: false lets it lock a file not yet made.
  const options = { realpath: false, stale: 15_000 } as const;
  try {
    return await lockfile.lock(path, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
  }
  onWait(`waiting for another rekindle using ${path}…`);
  return lockfile.lock(path, { ...options, retries: { retries: 60, minTimeout: 100, maxTimeout: 1000 } });
}

/** Where the CLI keeps what the mailbox is known to hold of the state file's entries (for roaming). */
export const roamedLedgerPath = (statePath: string): string => `${statePath}.roamed.json`;

const LEDGER_FORMAT = "rekindle-roamed";

/** What the mailbox is known to hold (entry key → its `at`); a missing or unreadable ledger is empty (all pending). */
export async function readRoamedLedger(statePath: string): Promise<Record<string, number>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(roamedLedgerPath(statePath), "utf8"));
  } catch {
    return {};
  }
  const doc = raw as { format?: unknown; held?: unknown } | null;
  if (!doc || doc.format !== LEDGER_FORMAT || typeof doc.held !== "object" || doc.held === null) return {};
  const out: Record<string, number> = {};
  for (const [key, at] of Object.entries(doc.held as Record<string, unknown>))
    if (typeof at === "number" && Number.isFinite(at)) out[key] = at;
  return out;
}

/** Writes the ledger whole (temporary file, then rename). Losing it only makes entries pending again. */
export async function writeRoamedLedger(
  statePath: string,
  ledger: Readonly<Record<string, number>>,
): Promise<void> {
  const path = roamedLedgerPath(statePath);
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify({ format: LEDGER_FORMAT, held: ledger }) + "\n");
  await rename(temp, path);
}

/** The state file as roaming's local copy (src/graph/roamingState.ts RoamingLocal). */
export function stateFileRoamingLocal(
  path: string,
  onWait: (message: string) => void = () => undefined,
): {
  load(): Promise<StateEntry[]>;
  merge(entries: readonly StateEntry[]): Promise<StateEntry[]>;
  loadLedger(): Promise<Record<string, number>>;
  saveLedger(ledger: Readonly<Record<string, number>>): Promise<void>;
} {
  return {
    load: () => readStateFile(path),
    merge: async (entries) => {
      if (entries.length === 0) return [];
      const before = new Map((await readStateFile(path)).map((e) => [entryKey(e), JSON.stringify(e)]));
      const after = await mergeIntoStateFile(path, entries, onWait);
      return after.filter((e) => before.get(entryKey(e)) !== JSON.stringify(e));
    },
    loadLedger: () => readRoamedLedger(path),
    saveLedger: (ledger) => writeRoamedLedger(path, ledger),
  };
}
