// The records of the CLI's cache journal, and an explicit check of each one as it is read back: a record that
// does not have the shape the store wrote is damage, reported as such, never passed on as a half-typed object.
import type { Address, Folder, Instant, MailMessage, Me } from "../core/message";
import type { LoggedAttempt, UserState } from "../core/userState";
import { isTechnique } from "../core/technique";
import type { FolderSyncState, ListRange, PageChange } from "./cacheStore";

/** Every folder the cache holds. */
export const CACHE_FOLDERS: readonly Folder[] = ["sentitems", "inbox"];

/** The whole cache in one record, as compaction writes it. */
export interface SnapshotRecord {
  me: Me | null;
  lastSyncAt: Instant | null;
  userState: UserState;
  folders: Partial<Record<Folder, { state: FolderSyncState | null; messages: MailMessage[] }>>;
}

/** One line of the journal. */
export type JournalRecord =
  | { readonly snapshot: SnapshotRecord }
  | { readonly page: PageChange }
  | { readonly me: Me }
  | { readonly reset: Folder }
  | { readonly lastSyncAt: Instant }
  | { readonly userState: UserState };

/** What is wrong with a record, and where in it. */
export class RecordProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecordProblem";
  }
}

type Json = Record<string, unknown>;

/** Keys come from the file: shown printable and short, so a damaged file cannot write to the terminal. */
const printable = (text: string): string => text.replace(/[^\x20-\x7e]/g, "?").slice(0, 120);

function fail(at: string, expected: string): never {
  throw new RecordProblem(`${printable(at)} should be ${expected}`);
}
const object = (v: unknown, at: string): Json =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : fail(at, "an object");
const list = (v: unknown, at: string): unknown[] => (Array.isArray(v) ? v : fail(at, "a list"));
const string = (v: unknown, at: string): string => (typeof v === "string" ? v : fail(at, "a string"));
const count = (v: unknown, at: string): number =>
  typeof v === "number" && Number.isFinite(v) ? v : fail(at, "a number");
const optionalString = (v: unknown, at: string): void => {
  if (v !== undefined) string(v, at);
};
const nullableString = (v: unknown, at: string): void => {
  if (v !== null) string(v, at);
};
// Sent Items and Inbox always; Archive and the folders the user picks ("folder:<id>") when synced.
const isFolder = (v: unknown): v is Folder =>
  typeof v === "string" && (CACHE_FOLDERS.includes(v as Folder) || v === "archive" || /^folder:.+$/.test(v));
const folder = (v: unknown, at: string): Folder =>
  isFolder(v) ? v : fail(at, `a folder (${CACHE_FOLDERS.join(", ")}, archive or folder:<id>)`);
const isoString = (v: unknown, at: string): string =>
  Number.isFinite(Date.parse(string(v, at))) ? (v as string) : fail(at, "an ISO date");

function address(v: unknown, at: string): Address {
  const o = object(v, at);
  string(o.address, `${at}.address`);
  string(o.name, `${at}.name`);
  return o as unknown as Address;
}

function addresses(v: unknown, at: string): void {
  list(v, at).forEach((a, i) => address(a, `${at}[${i}]`));
}

/** A cached message, as mapMessage made it. */
function message(v: unknown, at: string, inFolder: Folder): MailMessage {
  const o = object(v, at);
  string(o.id, `${at}.id`);
  string(o.conversationId, `${at}.conversationId`);
  if (folder(o.folder, `${at}.folder`) !== inFolder) fail(`${at}.folder`, inFolder);
  string(o.subject, `${at}.subject`);
  string(o.preview, `${at}.preview`);
  if (o.from !== null) address(o.from, `${at}.from`);
  addresses(o.to, `${at}.to`);
  addresses(o.cc, `${at}.cc`);
  addresses(o.bcc, `${at}.bcc`);
  count(o.sentAt, `${at}.sentAt`);
  count(o.receivedAt, `${at}.receivedAt`);
  if (typeof o.hasAttachments !== "boolean") fail(`${at}.hasAttachments`, "true or false");
  optionalString(o.messageClass, `${at}.messageClass`);
  optionalString(o.autoSubmitted, `${at}.autoSubmitted`);
  if (o.technique !== undefined && !isTechnique(o.technique)) fail(`${at}.technique`, "a known technique");
  return o as unknown as MailMessage;
}

function range(v: unknown, at: string): ListRange {
  const o = object(v, at);
  isoString(o.from, `${at}.from`);
  isoString(o.to, `${at}.to`);
  return o as unknown as ListRange;
}

/** A folder's sync position. */
function syncState(v: unknown, at: string, ofFolder: Folder): FolderSyncState {
  const o = object(v, at);
  if (folder(o.folder, `${at}.folder`) !== ofFolder) fail(`${at}.folder`, ofFolder);
  isoString(o.windowStart, `${at}.windowStart`);
  isoString(o.deltaFrom, `${at}.deltaFrom`);
  list(o.pendingRanges, `${at}.pendingRanges`).forEach((r, i) => range(r, `${at}.pendingRanges[${i}]`));
  nullableString(o.deltaNextLink, `${at}.deltaNextLink`);
  nullableString(o.deltaLink, `${at}.deltaLink`);
  if (o.deltaFirstRoundCount !== undefined) count(o.deltaFirstRoundCount, `${at}.deltaFirstRoundCount`);
  if (o.totalItemCount !== null) count(o.totalItemCount, `${at}.totalItemCount`);
  const skipped = object(o.skipped, `${at}.skipped`);
  for (const [reason, n] of Object.entries(skipped)) count(n, `${at}.skipped["${reason}"]`);
  if (o.listedAt !== undefined) isoString(o.listedAt, `${at}.listedAt`);
  return o as unknown as FolderSyncState;
}

function me(v: unknown, at: string): Me {
  const o = object(v, at);
  string(o.displayName, `${at}.displayName`);
  optionalString(o.givenName, `${at}.givenName`);
  optionalString(o.mail, `${at}.mail`);
  optionalString(o.userPrincipalName, `${at}.userPrincipalName`);
  if (o.proxyAddresses !== undefined) {
    list(o.proxyAddresses, `${at}.proxyAddresses`).forEach((p, i) => string(p, `${at}.proxyAddresses[${i}]`));
  }
  return o as unknown as Me;
}

function instants(v: unknown, at: string): void {
  for (const [key, value] of Object.entries(object(v, at))) count(value, `${at}["${key}"]`);
}

function attempt(v: unknown, at: string): LoggedAttempt {
  const o = object(v, at);
  string(o.id, `${at}.id`);
  string(o.conversationId, `${at}.conversationId`);
  count(o.at, `${at}.at`);
  if (o.kind !== "call" && o.kind !== "voicemail") fail(`${at}.kind`, "call or voicemail");
  optionalString(o.note, `${at}.note`);
  return o as unknown as LoggedAttempt;
}

function userState(v: unknown, at: string): UserState {
  const o = object(v, at);
  instants(o.snoozes, `${at}.snoozes`);
  instants(o.closed, `${at}.closed`);
  list(o.loggedAttempts, `${at}.loggedAttempts`).forEach((a, i) => attempt(a, `${at}.loggedAttempts[${i}]`));
  return o as unknown as UserState;
}

function snapshot(v: unknown, at: string): SnapshotRecord {
  const o = object(v, at);
  if (o.me !== null) me(o.me, `${at}.me`);
  if (o.lastSyncAt !== null) count(o.lastSyncAt, `${at}.lastSyncAt`);
  userState(o.userState, `${at}.userState`);
  const folders = object(o.folders, `${at}.folders`);
  for (const f of new Set<string>([...CACHE_FOLDERS, ...Object.keys(folders)])) {
    if (!isFolder(f)) fail(`${at}.folders`, `folders keyed by folder, not "${f.slice(0, 40)}"`);
    const saved = object(folders[f], `${at}.folders.${f}`);
    if (saved.state !== null) syncState(saved.state, `${at}.folders.${f}.state`, f);
    list(saved.messages, `${at}.folders.${f}.messages`).forEach((m, i) =>
      message(m, `${at}.folders.${f}.messages[${i}]`, f),
    );
  }
  return o as unknown as SnapshotRecord;
}

function page(v: unknown, at: string): PageChange {
  const o = object(v, at);
  const f = folder(o.folder, `${at}.folder`);
  list(o.upserts, `${at}.upserts`).forEach((m, i) => message(m, `${at}.upserts[${i}]`, f));
  list(o.removedIds, `${at}.removedIds`).forEach((id, i) => string(id, `${at}.removedIds[${i}]`));
  syncState(o.state, `${at}.state`, f);
  return o as unknown as PageChange;
}

/** Checks one parsed journal line against the record kinds the store writes; throws RecordProblem if it is not one. */
export function readJournalRecord(v: unknown): JournalRecord {
  const o = object(v, "the record");
  const keys = Object.keys(o);
  if (keys.length !== 1) fail("the record", "one of snapshot, page, me, reset, lastSyncAt, userState");
  const [kind] = keys;
  switch (kind) {
    case "snapshot":
      return { snapshot: snapshot(o.snapshot, "snapshot") };
    case "page":
      return { page: page(o.page, "page") };
    case "me":
      return { me: me(o.me, "me") };
    case "reset":
      return { reset: folder(o.reset, "reset") };
    case "lastSyncAt":
      return { lastSyncAt: count(o.lastSyncAt, "lastSyncAt") as Instant };
    case "userState":
      return { userState: userState(o.userState, "userState") };
    default:
      return fail(
        `"${String(kind).slice(0, 40)}"`,
        "one of snapshot, page, me, reset, lastSyncAt, userState",
      );
  }
}
