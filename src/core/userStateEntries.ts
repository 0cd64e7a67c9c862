// User state as entries: each snooze, closed file, logged call, exclusion, referrer and "later" date is its own
// entry with its own timestamp, and an undo is a newer entry that says so (a tombstone). Two copies (two panes,
// the pane and the CLI, two devices) merge entry by entry, the newer one winning, so neither ever loses the other's
// change. Ties are broken by content, so every replica settles on the same answer whatever the merge order.
import { type Instant, instant } from "./message";
import { normaliseAddress } from "./addresses";
import type { LoggedAttempt, UserState } from "./userState";
import { isTechnique, type Technique } from "./technique";
import { SENT_PATHS, type SentPath } from "./attribution";

/** One decision of the user's, as stored. `at` is when it was made; the newest entry of a key wins. */
export type StateEntry =
  | { readonly kind: "snooze"; readonly id: string; readonly at: Instant; readonly until: Instant | null }
  | { readonly kind: "closed"; readonly id: string; readonly at: Instant; readonly closed: boolean }
  | {
      readonly kind: "call";
      /** The call's own id. */
      readonly id: string;
      readonly at: Instant;
      readonly conversationId: string;
      readonly calledAt: Instant;
      readonly voicemail: boolean;
      readonly note: string;
      readonly deleted: boolean;
    }
  | {
      readonly kind: "not-a-prospect";
      /** An address, or "@domain". */
      readonly id: string;
      readonly at: Instant;
      readonly excluded: boolean;
    }
  | { readonly kind: "referrer"; readonly id: string; readonly at: Instant; readonly address: string | null }
  | {
      readonly kind: "deferral";
      readonly id: string;
      readonly at: Instant;
      /** "auto": Rekindle's own date; "none": the user cleared it; a number: the user's date. */
      readonly until: Instant | "auto" | "none";
    }
  | {
      /** A message Rekindle created or inserted. A record, never undone: `id` is the draft's id or a fresh one. */
      readonly kind: "sent";
      readonly id: string;
      readonly at: Instant;
      readonly conversationId: string;
      readonly technique: Technique;
      /** True when the user changed the template's text before it left Rekindle. */
      readonly edited: boolean;
      readonly path: SentPath;
    };

export type StateEntryKind = StateEntry["kind"];

/** A "sent" entry: one message Rekindle created or inserted. */
export type SentRecord = Extract<StateEntry, { kind: "sent" }>;

/** The key two entries compete for. */
export const entryKey = (e: Pick<StateEntry, "kind" | "id">): string => `${e.kind}:${e.id}`;

// Deterministic order of two entries for one key: newer wins; at the same instant the larger serialisation wins.
function newer(a: StateEntry, b: StateEntry): StateEntry {
  if (a.at !== b.at) return a.at > b.at ? a : b;
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  return sa >= sb ? a : b;
}

/** Merges entry lists: per key the newest entry wins. Commutative, associative and idempotent. */
export function mergeEntries(...lists: readonly (readonly StateEntry[])[]): StateEntry[] {
  const byKey = new Map<string, StateEntry>();
  for (const list of lists) {
    for (const e of list) {
      const key = entryKey(e);
      const known = byKey.get(key);
      byKey.set(key, known ? newer(known, e) : e);
    }
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
}

/** Applies one new entry to a list (a read-modify-write of that one key). */
export function withEntry(entries: readonly StateEntry[], entry: StateEntry): StateEntry[] {
  return mergeEntries(entries, [entry]);
}

/** The entry stored under `key` among `entries`, if any (the newest, once merged). */
export function entryFor(entries: readonly StateEntry[], key: string): StateEntry | undefined {
  let found: StateEntry | undefined;
  for (const e of entries) if (entryKey(e) === key) found = found ? newer(found, e) : e;
  return found;
}

/**
 * The entry that takes `entry` back at `at`: what its key said before (`previous`, with the new time), or a
 * tombstone when it said nothing. Only that one key is written, so an undo never touches another entry.
 */
export function undoOf(entry: StateEntry, previous: StateEntry | undefined, at: Instant): StateEntry {
  if (previous) return { ...previous, at };
  switch (entry.kind) {
    case "snooze":
      return { ...entry, at, until: null };
    case "closed":
      return { ...entry, at, closed: false };
    case "call":
      return { ...entry, at, deleted: true };
    case "not-a-prospect":
      return { ...entry, at, excluded: false };
    case "referrer":
      return { ...entry, at, address: null };
    case "deferral":
      return { ...entry, at, until: "auto" };
    case "sent":
      return entry; // a record of what left Rekindle is never undone
  }
}

/** What the entries mean for the engine: the user state, plus the addresses and domains marked not a prospect. */
export interface ResolvedUserState {
  readonly userState: UserState;
  readonly excludedAddresses: readonly string[];
  readonly excludedDomains: readonly string[];
}

/** Reads merged entries into the user state the engine takes. */
export function resolveEntries(entries: readonly StateEntry[]): ResolvedUserState {
  const snoozes: Record<string, Instant> = {};
  const closed: Record<string, Instant> = {};
  const loggedAttempts: LoggedAttempt[] = [];
  const referrers: Record<string, string> = {};
  const deferrals: Record<string, Instant | null> = {};
  const excludedAddresses: string[] = [];
  const excludedDomains: string[] = [];
  for (const e of mergeEntries(entries)) {
    switch (e.kind) {
      case "snooze":
        if (e.until !== null) snoozes[e.id] = e.until;
        break;
      case "closed":
        if (e.closed) closed[e.id] = e.at;
        break;
      case "call":
        if (!e.deleted) {
          loggedAttempts.push({
            id: e.id,
            conversationId: e.conversationId,
            at: e.calledAt,
            kind: e.voicemail ? "voicemail" : "call",
            ...(e.note ? { note: e.note } : {}),
          });
        }
        break;
      case "not-a-prospect":
        if (e.excluded)
          (e.id.startsWith("@") ? excludedDomains : excludedAddresses).push(e.id.replace(/^@/, ""));
        break;
      case "referrer":
        if (e.address !== null) referrers[e.id] = e.address;
        break;
      case "deferral":
        if (e.until === "none") deferrals[e.id] = null;
        else if (e.until !== "auto") deferrals[e.id] = e.until;
        break;
      case "sent":
        break; // Read by the results (sentRecordsOf), not by the engine.
    }
  }
  loggedAttempts.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  return {
    userState: { snoozes, closed, loggedAttempts, referrers, deferrals },
    excludedAddresses,
    excludedDomains,
  };
}

/** The "sent" records among the entries, oldest first. */
export function sentRecordsOf(entries: readonly StateEntry[]): SentRecord[] {
  return entries
    .filter((e): e is SentRecord => e.kind === "sent")
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
}

/** Entries that say the same as a whole user state (for a store that kept the old single-object format). */
export function entriesFromUserState(state: UserState, at: Instant): StateEntry[] {
  const out: StateEntry[] = [];
  for (const [id, until] of Object.entries(state.snoozes)) out.push({ kind: "snooze", id, at, until });
  for (const [id, closedAt] of Object.entries(state.closed))
    out.push({ kind: "closed", id, at: closedAt, closed: true });
  for (const l of state.loggedAttempts) {
    out.push({
      kind: "call",
      id: l.id,
      at: l.at,
      conversationId: l.conversationId,
      calledAt: l.at,
      voicemail: l.kind === "voicemail",
      note: l.note ?? "",
      deleted: false,
    });
  }
  for (const [id, address] of Object.entries(state.referrers ?? {}))
    out.push({ kind: "referrer", id, at, address });
  for (const [id, until] of Object.entries(state.deferrals ?? {})) {
    out.push({ kind: "deferral", id, at, until: until === null ? "none" : until });
  }
  return mergeEntries(out);
}

/** Thrown for a stored entry that cannot be used; names what is wrong with it. */
export class StateEntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateEntryError";
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const MAX_ID = 2000;

/** Checks one entry from untrusted JSON (a file, an import, another pane); throws a StateEntryError naming the problem. */
export function parseStateEntry(raw: unknown): StateEntry {
  if (!isObject(raw)) throw new StateEntryError("an entry must be an object");
  const { kind, id, at } = raw;
  if (typeof id !== "string" || id === "" || id.length > MAX_ID)
    throw new StateEntryError(`entry has no usable "id"`);
  const when = instantOf(at, "at");
  const bool = (name: string): boolean => {
    const v = raw[name];
    if (typeof v !== "boolean")
      throw new StateEntryError(`${String(kind)} entry "${id}" needs "${name}" true or false`);
    return v;
  };
  switch (kind) {
    case "snooze":
      return { kind, id, at: when, until: raw.until === null ? null : instantOf(raw.until, "until") };
    case "closed":
      return { kind, id, at: when, closed: bool("closed") };
    case "call": {
      if (typeof raw.conversationId !== "string" || !raw.conversationId) {
        throw new StateEntryError(`call entry "${id}" needs a "conversationId"`);
      }
      const note = raw.note ?? "";
      if (typeof note !== "string" || note.length > 2000)
        throw new StateEntryError(`call entry "${id}" has a bad "note"`);
      return {
        kind,
        id,
        at: when,
        conversationId: raw.conversationId,
        calledAt: instantOf(raw.calledAt, "calledAt"),
        voicemail: bool("voicemail"),
        note,
        deleted: bool("deleted"),
      };
    }
    case "not-a-prospect": {
      const target = id.startsWith("@") ? id : normaliseAddress(id);
      if (!target || (id.startsWith("@") && !/^@[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(id))) {
        throw new StateEntryError(`"${id}" is neither an e-mail address nor @domain`);
      }
      return { kind, id: target, at: when, excluded: bool("excluded") };
    }
    case "referrer": {
      const address = raw.address === null ? null : normaliseAddress(raw.address);
      if (address === "") throw new StateEntryError(`referrer entry "${id}" needs an e-mail address or null`);
      return { kind, id, at: when, address };
    }
    case "deferral": {
      const until = raw.until === "auto" || raw.until === "none" ? raw.until : instantOf(raw.until, "until");
      return { kind, id, at: when, until };
    }
    case "sent": {
      if (typeof raw.conversationId !== "string" || !raw.conversationId) {
        throw new StateEntryError(`sent entry "${id}" needs a "conversationId"`);
      }
      if (!isTechnique(raw.technique))
        throw new StateEntryError(`sent entry "${id}" names no known technique`);
      if (!(SENT_PATHS as readonly unknown[]).includes(raw.path)) {
        throw new StateEntryError(`sent entry "${id}" needs "path" ${SENT_PATHS.join(", ")}`);
      }
      return {
        kind,
        id,
        at: when,
        conversationId: raw.conversationId,
        technique: raw.technique,
        edited: bool("edited"),
        path: raw.path as SentPath,
      };
    }
    default:
      throw new StateEntryError(`unknown entry kind ${JSON.stringify(kind)}`);
  }
}

function instantOf(value: unknown, name: string): Instant {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 8.64e15) {
    throw new StateEntryError(`"${name}" must be a time in epoch milliseconds`);
  }
  return instant(value);
}
