// User state kept in the mailbox, so it follows the user to another device and survives a reinstall
// (docs/user-state.md explains the choice, with Microsoft's docs). Each conversation's entries are one JSON value
// in one single-value extended property of ours on my latest attempt in that conversation; entries tied to no
// conversation (not a prospect) are the same property on the mailbox's root folder (msgfolderroot). This file
// reads and writes those values; roamingState.ts decides what to write and merges what is read.
import { mergeEntries, parseStateEntry, type StateEntry, StateEntryError } from "../core/userStateEntries";
import type { MailMessage } from "../core/message";
import type { GraphConnection } from "./graphClient";
import { GraphSyncError, toGraphSyncError } from "./graphErrors";
import { readGraphJson } from "./graphRead";

/** Our property set: a GUID of Rekindle's own (named properties need one), never reused for anything else. */
export const ROAMING_STATE_GUID = "7e3b5a2c-94d1-4c6f-8b0e-2a51c9d4f6e8";
/** The named property holding a conversation's entries. Graph filters a Name case-sensitively: asked exactly so. */
export const ROAMING_STATE_PROPERTY = `String {${ROAMING_STATE_GUID}} Name rekindle-state`;
/** Where entries tied to no conversation live: the root of the mailbox, a well-known folder name. */
export const MAILBOX_HOME_FOLDER = "msgfolderroot";

const FORMAT = "rekindle-state";
const VERSION = 1;

/** A value read from the mailbox: its valid entries, and what was wrong with it (then it must not be replaced). */
export interface StateValue {
  readonly entries: StateEntry[];
  readonly problem: string | null;
}

/** The property's value for `entries`. */
export function encodeStateValue(entries: readonly StateEntry[]): string {
  return JSON.stringify({ format: FORMAT, version: VERSION, entries: mergeEntries(entries) });
}

/** Reads a property value; never throws: a damaged value gives the entries that could be read and the problem. */
export function decodeStateValue(text: string): StateValue {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { entries: [], problem: "it is not valid JSON" };
  }
  const doc = raw as { format?: unknown; version?: unknown; entries?: unknown } | null;
  if (doc === null || typeof doc !== "object" || Array.isArray(doc) || doc.format !== FORMAT)
    return { entries: [], problem: "it is not Rekindle's state" };
  if (doc.version !== VERSION)
    return { entries: [], problem: `it has version ${String(doc.version)}; this Rekindle reads ${VERSION}` };
  if (!Array.isArray(doc.entries)) return { entries: [], problem: `it has no "entries" list` };
  const entries: StateEntry[] = [];
  const problems: string[] = [];
  doc.entries.forEach((e: unknown, i: number) => {
    try {
      entries.push(parseStateEntry(e));
    } catch (error) {
      if (!(error instanceof StateEntryError)) throw error;
      problems.push(`entry ${i + 1}: ${error.message}`);
    }
  });
  return { entries, problem: problems.length > 0 ? problems.join("; ") : null };
}

const PROPERTY_ID = new RegExp(`^string\\s+\\{${ROAMING_STATE_GUID}\\}\\s+name\\s+rekindle-state$`, "i");

/** Our property's value among a resource's expanded singleValueExtendedProperties, if it has one. */
export function statePropertyOf(properties: unknown): string | undefined {
  if (!Array.isArray(properties)) return undefined;
  for (const p of properties as unknown[]) {
    const { id, value } = (p ?? {}) as { id?: unknown; value?: unknown };
    if (typeof id === "string" && typeof value === "string" && PROPERTY_ID.test(id.trim())) return value;
  }
  return undefined;
}

/** The state one message carries, as a sync page brought it. */
export interface MailboxStateRecord {
  readonly messageId: string;
  readonly conversationId: string | null;
  readonly entries: readonly StateEntry[];
  /** Why the value could not be read whole (it is reported, and never overwritten), or null. */
  readonly problem: string | null;
}

/** The state on a Graph message (a sync page's item), or null when it carries none. */
export function stateRecordOf(item: unknown): MailboxStateRecord | null {
  if (item === null || typeof item !== "object") return null;
  const o = item as { id?: unknown; conversationId?: unknown; singleValueExtendedProperties?: unknown };
  const value = statePropertyOf(o.singleValueExtendedProperties);
  if (value === undefined || typeof o.id !== "string" || !o.id) return null;
  return {
    messageId: o.id,
    conversationId: typeof o.conversationId === "string" && o.conversationId ? o.conversationId : null,
    ...decodeStateValue(value),
  };
}

/** The conversation an entry belongs to, or null for one tied to none (not a prospect). */
export function conversationOfEntry(entry: StateEntry): string | null {
  switch (entry.kind) {
    case "snooze":
    case "closed":
    case "referrer":
    case "deferral":
      return entry.id;
    case "call":
    case "sent":
      return entry.conversationId;
    case "not-a-prospect":
      return null;
  }
}

/** Where a value lives: a message (my latest attempt in a conversation), or the mailbox's root folder. */
export type StateHome = { readonly messageId: string } | { readonly folder: typeof MAILBOX_HOME_FOLDER };

const homePath = (home: StateHome): string =>
  "messageId" in home
    ? `/me/messages/${encodeURIComponent(home.messageId)}`
    : `/me/mailFolders/${home.folder}`;

const describe = (home: StateHome): string =>
  "messageId" in home ? "the Rekindle state on a message" : "the Rekindle state of the mailbox";

/** A value in the mailbox that cannot be read whole: it is never overwritten. */
export class DamagedStateError extends Error {
  constructor(
    readonly home: StateHome,
    readonly problem: string,
  ) {
    super(`${describe(home)} could not be read (${problem}); it was left as it is`);
    this.name = "DamagedStateError";
  }
}

/** GETs one home's value (one small request: only the id and our property). Absent: an empty value. */
export async function readStateHome(connection: GraphConnection, home: StateHome): Promise<StateValue> {
  const expand = `singleValueExtendedProperties($filter=id eq '${ROAMING_STATE_PROPERTY}')`;
  const body = await readGraphJson(
    connection,
    `${homePath(home)}?$select=id&$expand=${encodeURIComponent(expand)}`,
    `reading ${describe(home)}`,
  );
  const value = statePropertyOf(body.singleValueExtendedProperties);
  return value === undefined ? { entries: [], problem: null } : decodeStateValue(value);
}

/** PATCHes one home's value (our property only; every other property of the item stays as it is). */
export async function writeStateHome(
  connection: GraphConnection,
  home: StateHome,
  entries: readonly StateEntry[],
): Promise<void> {
  try {
    await connection.client.api(homePath(home)).patch({
      singleValueExtendedProperties: [{ id: ROAMING_STATE_PROPERTY, value: encodeStateValue(entries) }],
    });
  } catch (error) {
    throw toGraphSyncError(error, `saving ${describe(home)}`);
  }
}

/** Whether `value` already holds every one of `wanted` (as new or newer). */
const covers = (value: readonly StateEntry[], wanted: readonly StateEntry[]): boolean =>
  JSON.stringify(mergeEntries(value, wanted)) === JSON.stringify(mergeEntries(value));

/**
 * Adds `entries` to one home's value: read it, merge per entry, write it, and read it back. Graph documents no
 * If-Match for updating a message (its request headers are Authorization and Content-Type only), so a write that
 * raced another device's is caught by the read-back and merged again (up to `attempts` times). A damaged value is
 * never replaced (DamagedStateError). `keep` says which entries the value holds at all (the mailbox's own value
 * keeps conversations' entries only for a while); the rest are left out of what is written. Returns the requests.
 */
export async function addToStateHome(
  connection: GraphConnection,
  home: StateHome,
  entries: readonly StateEntry[],
  keep: (entry: StateEntry) => boolean = () => true,
  attempts = 3,
): Promise<number> {
  const wanted = entries.filter(keep);
  let requests = 1;
  let current = await readStateHome(connection, home);
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (current.problem !== null) throw new DamagedStateError(home, current.problem);
    if (covers(current.entries, wanted)) return requests;
    await writeStateHome(connection, home, mergeEntries(current.entries, wanted).filter(keep));
    current = await readStateHome(connection, home);
    requests += 2;
  }
  if (current.problem === null && covers(current.entries, wanted)) return requests;
  throw new GraphSyncError(
    "graph",
    `Could not save ${describe(home)}: another device kept changing it; it will be tried again`,
    null,
    null,
    null,
    null,
  );
}

/** My latest attempt in each conversation: the newest message in Sent Items, by conversation id. */
export function latestAttemptsOf(messages: readonly MailMessage[]): Map<string, string> {
  const newest = new Map<string, MailMessage>();
  for (const m of messages) {
    if (m.folder !== "sentitems" || !m.conversationId) continue;
    const known = newest.get(m.conversationId);
    if (!known || m.sentAt > known.sentAt || (m.sentAt === known.sentAt && m.id > known.id))
      newest.set(m.conversationId, m);
  }
  return new Map([...newest].map(([conversation, m]) => [conversation, m.id]));
}
