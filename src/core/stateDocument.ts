// One file format for the user's data, shared by the pane's export/import and the CLI's state file: the user-state
// entries (snoozes, closed files, calls, exclusions, referrers, "later" dates, sent records) and, from the pane, the
// settings. A pane export is a valid `--state` file; a CLI state file imports into the pane. Pure: parsing only.
import type { Settings } from "./settings";
import { parseSettings } from "./settingsValidation";
import {
  entryKey,
  mergeEntries,
  parseStateEntry,
  StateEntryError,
  type StateEntry,
} from "./userStateEntries";

export const STATE_FORMAT = "rekindle-user-state";
export const STATE_VERSION = 1;

/** The data one file carries. */
export interface StateDocument {
  readonly entries: StateEntry[];
  /** The pane's settings, when the file came from the pane (a CLI state file has none). */
  readonly settings: Settings | null;
}

/** A file that is not a usable state document; the message says what is wrong. */
export class StateDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateDocumentError";
  }
}

/** True when `raw` says it is a Rekindle state document (whatever its state). */
export function isStateDocument(raw: unknown): boolean {
  return typeof raw === "object" && raw !== null && (raw as { format?: unknown }).format === STATE_FORMAT;
}

/** Reads a state document from untrusted JSON; throws StateDocumentError (or SettingsError) naming the problem. */
export function parseStateDocument(raw: unknown): StateDocument {
  if (!isStateDocument(raw)) throw new StateDocumentError("it is not a Rekindle data file");
  const doc = raw as { version?: unknown; entries?: unknown; settings?: unknown };
  if (doc.version !== STATE_VERSION) {
    throw new StateDocumentError(
      `it has version ${String(doc.version)}; this Rekindle reads version ${STATE_VERSION}`,
    );
  }
  if (!Array.isArray(doc.entries)) throw new StateDocumentError(`it has no "entries" list`);
  const entries = doc.entries.map((e, i) => {
    try {
      return parseStateEntry(e);
    } catch (error) {
      if (error instanceof StateEntryError) throw new StateDocumentError(`entry ${i + 1}: ${error.message}`);
      throw error;
    }
  });
  const settings =
    doc.settings === undefined || doc.settings === null
      ? null
      : parseSettings(doc.settings, "the imported settings");
  return { entries: mergeEntries(entries), settings };
}

/** The JSON of a state document (entries merged per key; settings when given). */
export function stateDocument(
  entries: readonly StateEntry[],
  settings: Settings | null = null,
): Record<string, unknown> {
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    entries: mergeEntries(entries),
    ...(settings ? { settings } : {}),
  };
}

const KIND_NAMES: Readonly<Record<StateEntry["kind"], [string, string]>> = {
  snooze: ["snooze", "snoozes"],
  closed: ["closed file", "closed files"],
  call: ["logged call", "logged calls"],
  "not-a-prospect": ['"not a prospect" mark', '"not a prospect" marks'],
  referrer: ["referrer", "referrers"],
  deferral: ['"later" date', '"later" dates'],
  sent: ["sent message record", "sent message records"],
};

/**
 * What importing `incoming` into `current` would change: the entries that win their key (new keys, or newer than
 * the stored one), and a line per kind for the user. Entries the stored copy already has, or has newer, change
 * nothing: an import merges, it never takes anything away.
 */
export function entryChanges(
  current: readonly StateEntry[],
  incoming: readonly StateEntry[],
): { readonly winners: StateEntry[]; readonly lines: string[] } {
  const stored = new Map(mergeEntries(current).map((e) => [entryKey(e), e]));
  const winners: StateEntry[] = [];
  const added = new Map<StateEntry["kind"], number>();
  const updated = new Map<StateEntry["kind"], number>();
  for (const e of mergeEntries(incoming)) {
    const key = entryKey(e);
    const known = stored.get(key);
    if (known && mergeEntries([known], [e])[0] === known) continue;
    winners.push(e);
    const tally = known ? updated : added;
    tally.set(e.kind, (tally.get(e.kind) ?? 0) + 1);
  }
  const lines: string[] = [];
  for (const kind of Object.keys(KIND_NAMES) as StateEntry["kind"][]) {
    const [one, many] = KIND_NAMES[kind];
    const a = added.get(kind) ?? 0;
    const u = updated.get(kind) ?? 0;
    if (a) lines.push(`Add ${a} ${a === 1 ? one : many}`);
    if (u) lines.push(`Update ${u} ${u === 1 ? one : many} with a newer decision`);
  }
  return { winners, lines };
}
