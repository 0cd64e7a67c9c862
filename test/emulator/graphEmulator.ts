// A local Microsoft Graph emulator for the endpoints Rekindle uses, over loopback HTTP. It follows Graph's wire
// formats (OData annotations, paging links, error JSON, CORS, throttling) closely enough that the real
// @microsoft/microsoft-graph-client cannot tell the difference. Deliberate differences: test/emulator/README.md.
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { seededRandom } from "../fixtures/seededRandom";
import {
  AUTO_SUBMITTED_PROPERTY,
  LIST_ID_PROPERTY,
  LIST_UNSUBSCRIBE_PROPERTY,
  TECHNIQUE_PROPERTY,
} from "../../src/graph/mapMessage";

/** A Graph message resource as stored by the emulator (whatever JSON the mailbox file holds). */
export type RawMessage = Record<string, unknown> & { id: string };

/**
 * The mailbox file format: `{ me, sentitems: [...], inbox: [...] }`, optionally with `archive`, `deleteditems`
 * and `projects` (a user folder "Projects" under Inbox).
 */
export interface EmulatorMailbox {
  readonly me: object;
  readonly sentitems: readonly object[];
  readonly inbox: readonly object[];
  readonly archive?: readonly object[];
  readonly deleteditems?: readonly object[];
  readonly projects?: readonly object[];
}

/** Seeded fault knobs; rates are probabilities per request (0–1). */
export interface EmulatorFaults {
  readonly seed?: number;
  /** Added to every response, in ms. */
  readonly latencyMs?: number;
  /** 429 TooManyRequests with Retry-After. */
  readonly throttleRate?: number;
  /** 503 ServiceUnavailable with Retry-After. */
  readonly unavailableRate?: number;
  /** 504 GatewayTimeout. */
  readonly gatewayTimeoutRate?: number;
  /** The socket is destroyed without an answer. */
  readonly dropRate?: number;
  /** A request carrying a $deltatoken gets 410 SyncStateNotFound and the token is forgotten. */
  readonly deltaTokenExpiryRate?: number;
  /** 401 InvalidAuthenticationToken "token is expired". */
  readonly tokenExpiryRate?: number;
  /** Retry-After sent with 429/503/504, in seconds (Graph sends whole seconds; tests use 0). Default 1. */
  readonly retryAfterSeconds?: number;
  /** 500 InternalServerError. */
  readonly serverErrorRate?: number;
  /** A 200 whose connection is destroyed halfway through the body. */
  readonly resetMidBodyRate?: number;
  /** A 200 whose JSON body is cut in half (the HTTP framing is complete, the JSON is not). */
  readonly truncatedBodyRate?: number;
  /** No answer at all: the request hangs until the client gives up. */
  readonly hangRate?: number;
  /** 302 to `redirectTo` (the same path and query on another origin). */
  readonly redirectRate?: number;
  /** Where redirects point, e.g. another loopback server's origin (default http://127.0.0.1:9). */
  readonly redirectTo?: string;
  /** A page's nextLink/deltaLink gets another URL embedded after the version: …/v1.0/https://evil.example/… */
  readonly embeddedLinkRate?: number;
  /**
   * A request inside a $batch answers 429 TooManyRequests with Retry-After in its own item (the batch itself is a
   * 200), as Graph evaluates each request of a batch against its throttling limits on its own.
   */
  readonly batchItemThrottleRate?: number;
  /** The Nth request inside $batch bodies (counting from 1 since the faults were set) fails with 500 on its own. */
  readonly failBatchedRequest?: number;
}

export interface EmulatorOptions {
  readonly mailbox: EmulatorMailbox;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** The bearer token accepted (default "emulator-token"). */
  readonly token?: string;
  /**
   * A second bearer token, granted Mail.Read but not Mail.ReadWrite: GETs pass, anything else is refused with 403
   * ErrorAccessDenied, as Graph refuses a write the token's scopes do not allow.
   */
  readonly readOnlyToken?: string;
  readonly faults?: EmulatorFaults;
  /** Concurrent requests allowed per mailbox before 429 (Graph: 4). */
  readonly maxConcurrent?: number;
  /** Messages returned by a receivedDateTime-filtered delta's first round (Graph: 5,000). */
  readonly deltaFilterCap?: number;
  /** Largest page: $top for lists, odata.maxpagesize for delta (1,000). */
  readonly maxPageSize?: number;
  /** The emulator's clock, for new messages and error dates. */
  readonly clock?: () => number;
  /**
   * Delta rounds after the first report every change in the order it happened, several for one message if need
   * be (added, then removed), as Graph may; by default a round reports each message's net change once.
   */
  readonly deltaReportsEveryChange?: boolean;
}

/** Counters for benchmarks and tests. */
export interface EmulatorStats {
  /** HTTP requests received (a $batch counts once), OPTIONS preflights excluded. */
  requests: number;
  /** Requests inside $batch bodies. */
  batchedRequests: number;
  throttledForConcurrency: number;
  faultsInjected: number;
  maxInFlight: number;
}

export interface RunningEmulator {
  /** Base URL including the version, e.g. http://127.0.0.1:PORT/v1.0 */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly stats: EmulatorStats;
  resetStats(): void;
  /**
   * Serialises every message ahead of time for one $select (a list) and $expand, and sorts the folders, as a
   * server has its data and indexes ready (used by bench:sync).
   */
  prepareWire(select: readonly string[], expand: string | null): void;
  setFaults(faults: EmulatorFaults): void;
  /** Adds a message (id generated when absent); returns its id. receivedDateTime defaults to the clock. */
  addMessage(folder: EmulatorFolder, message: Record<string, unknown>): string;
  /** Merges fields into a message, as a change Graph's delta reports. */
  updateMessage(id: string, fields: Record<string, unknown>): void;
  /** Removes one extended property from every message and the mailbox's root (tests sharing one mailbox). */
  removeExtendedProperty(propertyId: string): void;
  deleteMessage(id: string): void;
  moveMessage(id: string, folder: EmulatorFolder): void;
  /** Makes every delta token issued so far answer 410 SyncStateNotFound. */
  expireDeltaTokens(): void;
  /** Messages currently in a folder (copies), including "drafts". */
  folderMessages(folder: EmulatorFolder): RawMessage[];
  /** A folder's Graph id (the user folder "projects" can be addressed only by it). */
  folderId(folder: EmulatorFolder): string;
  drafts(): RawMessage[];
  close(): Promise<void>;
}

/** The emulator's folders: the well-known ones, and "projects", a user folder "Projects" under Inbox. */
export type EmulatorFolder = "sentitems" | "inbox" | "drafts" | "archive" | "deleteditems" | "projects";
type FolderKey = EmulatorFolder;
const FOLDER_ID_PREFIX = "AQMkADAwATM0MDAAMS1mAGI5Zi1iZmJjLTAwAi0wMAoALgAAA-";
const FOLDERS: Record<
  FolderKey,
  { id: string; displayName: string; parent: FolderKey | null; wellKnown: boolean }
> = {
  inbox: { id: `${FOLDER_ID_PREFIX}inbox`, displayName: "Inbox", parent: null, wellKnown: true },
  sentitems: { id: `${FOLDER_ID_PREFIX}sentitems`, displayName: "Sent Items", parent: null, wellKnown: true },
  drafts: { id: `${FOLDER_ID_PREFIX}drafts`, displayName: "Drafts", parent: null, wellKnown: true },
  archive: { id: `${FOLDER_ID_PREFIX}archive`, displayName: "Archive", parent: null, wellKnown: true },
  deleteditems: {
    id: `${FOLDER_ID_PREFIX}deleteditems`,
    displayName: "Deleted Items",
    parent: null,
    wellKnown: true,
  },
  projects: {
    id: `${FOLDER_ID_PREFIX}projects-7f3a`,
    displayName: "Projects",
    parent: "inbox",
    wellKnown: false,
  },
};
const ROOT_FOLDER_ID = `${FOLDER_ID_PREFIX}root`;

interface Stored {
  raw: RawMessage;
  /** The message as last served (its bytes, for one $select/$expand), until it changes. */
  served?: { seq: number; key: string; bytes: Buffer };
  folder: FolderKey;
  /** Sequence number of the last change (creation, update, move in). */
  seq: number;
  received: number;
}
interface Tombstone {
  id: string;
  folder: FolderKey;
  seq: number;
  received: number;
}

/** A parsed `receivedDateTime op value` clause. */
interface DateClause {
  op: "ge" | "gt" | "le" | "lt";
  at: number;
}

/** State carried inside our opaque skip/delta tokens. */
interface DeltaCursor {
  kind: "delta";
  folder: FolderKey;
  gen: number;
  filter: DateClause[];
  select: string[] | null;
  expand: string | null;
  /** Changes after `since` and up to `upto` belong to this round; `since` null = the initial round. */
  since: number | null;
  upto: number;
  /** Paging position inside the round. */
  offset: number;
  pageSize: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const encodeToken = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
function decodeToken<T>(token: string): T {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as T;
  } catch {
    throw new HttpError(400, "ErrorInvalidUrlQuery", "The skip or delta token is not valid.");
  }
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function parseDateFilter(filter: string | null, deltaOnly: boolean): DateClause[] {
  if (!filter) return [];
  const clauses: DateClause[] = [];
  for (const part of filter.split(/\s+and\s+/i)) {
    const m = /^\s*receivedDateTime\s+(ge|gt|le|lt)\s+(\S+)\s*$/i.exec(part);
    const at = m ? Date.parse((m[2] ?? "").replace(/^'|'$/g, "")) : NaN;
    if (!m || !Number.isFinite(at)) {
      throw new HttpError(
        400,
        "ErrorInvalidUrlQueryFilter",
        `The query filter '${filter}' is not supported.`,
      );
    }
    const op = (m[1] ?? "").toLowerCase() as DateClause["op"];
    if (deltaOnly && op !== "ge" && op !== "gt") {
      throw new HttpError(
        400,
        "ErrorInvalidUrlQueryFilter",
        "Delta supports only receivedDateTime ge or gt in $filter.",
      );
    }
    clauses.push({ op, at });
  }
  return clauses;
}

function matches(received: number, clauses: readonly DateClause[]): boolean {
  for (const c of clauses) {
    if (c.op === "ge" && !(received >= c.at)) return false;
    if (c.op === "gt" && !(received > c.at)) return false;
    if (c.op === "le" && !(received <= c.at)) return false;
    if (c.op === "lt" && !(received < c.at)) return false;
  }
  return true;
}

function receivedOf(raw: Record<string, unknown>, fallback: number): number {
  const value = typeof raw.receivedDateTime === "string" ? Date.parse(raw.receivedDateTime) : NaN;
  if (Number.isFinite(value)) return value;
  const sent = typeof raw.sentDateTime === "string" ? Date.parse(raw.sentDateTime) : NaN;
  return Number.isFinite(sent) ? sent : fallback;
}

/** `odata.maxpagesize=N` from one or more Prefer headers. */
function preferences(header: string | string[] | undefined): {
  maxPageSize: number | null;
  immutableId: boolean;
} {
  const text = Array.isArray(header) ? header.join(",") : (header ?? "");
  const m = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(text);
  return { maxPageSize: m ? Number(m[1]) : null, immutableId: /IdType\s*=\s*"?ImmutableId"?/i.test(text) };
}

interface Request {
  method: string;
  /** Path after the version segment, e.g. /me/mailFolders/inbox/messages */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

interface Response {
  status: number;
  body?: unknown;
  /** The body already serialised (big collection pages); wins over `body`. */
  bytes?: Buffer;
  headers?: Record<string, string>;
}

/** Starts an emulator; resolves once it listens on 127.0.0.1. */
export async function startGraphEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const token = options.token ?? "emulator-token";
  const clock = options.clock ?? Date.now;
  const maxConcurrent = options.maxConcurrent ?? 4;
  const deltaFilterCap = options.deltaFilterCap ?? 5000;
  const maxPageSize = options.maxPageSize ?? 1000;
  let faults: EmulatorFaults = options.faults ?? {};
  let random = seededRandom(faults.seed ?? 1);
  const stats: EmulatorStats = {
    requests: 0,
    batchedRequests: 0,
    throttledForConcurrency: 0,
    faultsInjected: 0,
    maxInFlight: 0,
  };

  // --- mailbox state -------------------------------------------------------------------------------------------
  const me: Record<string, unknown> = { id: "7c2a5f0e-3b4d-4e1f-9a6b-2d8c1e0f4a77", ...options.mailbox.me };
  const meId = String(me.id);
  const messages = new Map<string, Stored>();
  const tombstones: Tombstone[] = [];
  /** Every change made after start, in order (for deltaReportsEveryChange): a copy of the message, or its id. */
  const changeLog: { seq: number; folder: FolderKey; stored?: Stored; removed?: string; received: number }[] =
    [];
  const logChange = (stored: Stored): void => {
    if (options.deltaReportsEveryChange)
      changeLog.push({
        seq: stored.seq,
        folder: stored.folder,
        stored: { ...stored },
        received: stored.received,
      });
  };
  let seq = 0;
  let generation = 1;
  let idCounter = 0;
  for (const folder of ["sentitems", "inbox", "archive", "deleteditems", "projects"] as const) {
    for (const item of options.mailbox[folder] ?? []) {
      const raw = item as Record<string, unknown>;
      const id = typeof raw.id === "string" && raw.id ? raw.id : `AAMkEmu-${(idCounter++).toString(36)}`;
      const stored: RawMessage = { ...raw, id };
      const entry: Stored = { raw: stored, folder, seq: ++seq, received: receivedOf(raw, clock()) };
      messages.set(id, entry);
    }
  }
  const newId = (): string => `AAMkEmu-${clock().toString(36)}-${(idCounter++).toString(36)}`;

  function folderKey(idOrName: string): FolderKey {
    const lower = idOrName.toLowerCase();
    for (const key of Object.keys(FOLDERS) as FolderKey[]) {
      if ((FOLDERS[key].wellKnown && lower === key) || idOrName === FOLDERS[key].id) return key;
    }
    throw new HttpError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
  }

  function getStored(id: string): Stored {
    const stored = messages.get(id);
    if (!stored)
      throw new HttpError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    return stored;
  }

  function remove(id: string): void {
    const stored = getStored(id);
    messages.delete(id);
    tombstones.push({ id, folder: stored.folder, seq: ++seq, received: stored.received });
    if (options.deltaReportsEveryChange)
      changeLog.push({ seq, folder: stored.folder, removed: id, received: stored.received });
  }

  // --- resource shapes -----------------------------------------------------------------------------------------
  function project(stored: Stored, select: string[] | null, expand: string | null): Record<string, unknown> {
    const raw = stored.raw;
    const out: Record<string, unknown> = {
      "@odata.etag": `W/"CQAAABYAAAA${stored.seq.toString(36)}"`,
    };
    const fields = select ?? Object.keys(raw).filter((k) => k !== "singleValueExtendedProperties");
    out.id = raw.id;
    for (const field of fields) {
      if (field === "id") continue;
      out[field] = field in raw ? raw[field] : defaultField(field, stored);
    }
    if (expand && /singleValueExtendedProperties/i.test(expand)) {
      // Graph returns the expanded properties only on messages that have them.
      const wanted = new Set(
        [...expand.matchAll(/id\s+eq\s+'([^']+)'/gi)].map((m) => normalisePropertyId(m[1] ?? "")),
      );
      const picked = extendedPropertiesOf(raw).filter(
        (p) => wanted.size === 0 || wanted.has(normalisePropertyId(p.id)),
      );
      if (picked.length > 0) out.singleValueExtendedProperties = picked;
    }
    return out;
  }

  /**
   * `project` as UTF-8 bytes, cached per message for the last $select/$expand it was served with (until it
   * changes), so the big pages of a sync are assembled by copying bytes.
   */
  function projectBytes(
    stored: Stored,
    select: string[] | null,
    expand: string | null,
    key = servedKey(select, expand),
  ): Buffer {
    const hit = stored.served;
    if (hit?.seq === stored.seq && hit.key === key) return hit.bytes;
    const bytes = Buffer.from(JSON.stringify(project(stored, select, expand)));
    stored.served = { seq: stored.seq, key, bytes };
    return bytes;
  }

  /** Which projection `Stored.served` holds: interned, so comparing keys is cheap. */
  const servedKeys = new Map<string, string>();
  function servedKey(select: string[] | null, expand: string | null): string {
    const key = `${String(select)}|${expand ?? ""}`;
    const interned = servedKeys.get(key);
    if (interned !== undefined) return interned;
    servedKeys.set(key, key);
    return key;
  }

  const COMMA = Buffer.from(",");
  const DELTA_ENTITY = Buffer.from(`{"@odata.type":"#microsoft.graph.message",`);
  /** A collection page as JSON bytes; each value is one serialised entity. */
  function collectionBytes(
    context: string,
    values: readonly Buffer[],
    links: Record<string, string>,
    count?: number,
  ): Buffer {
    const counted = count === undefined ? "" : `,"@odata.count":${count}`;
    const parts: Buffer[] = [Buffer.from(`{"@odata.context":${JSON.stringify(context)}${counted},"value":[`)];
    values.forEach((value, i) => {
      if (i > 0) parts.push(COMMA);
      parts.push(value);
    });
    let tail = "]";
    for (const [name, link] of Object.entries(links))
      tail += `,${JSON.stringify(name)}:${JSON.stringify(link)}`;
    parts.push(Buffer.from(`${tail}}`));
    return Buffer.concat(parts);
  }

  function defaultField(field: string, stored: Stored): unknown {
    switch (field) {
      case "parentFolderId":
        return FOLDERS[stored.folder].id;
      case "internetMessageHeaders":
        return undefined;
      case "isRead":
        return true;
      case "isDraft":
        return stored.folder === "drafts";
      case "ccRecipients":
      case "bccRecipients":
      case "toRecipients":
        return [];
      default:
        return null;
    }
  }

  /** The folders directly under `parent` (null: the top of the mailbox). */
  function childFolders(parent: FolderKey | null): FolderKey[] {
    return (Object.keys(FOLDERS) as FolderKey[]).filter((key) => FOLDERS[key].parent === parent);
  }

  function folderList(parent: FolderKey | null, base: string): Response {
    return {
      status: 200,
      body: {
        "@odata.context": `${base}/$metadata#users('${meId}')/mailFolders`,
        value: childFolders(parent).map(folderResource),
      },
    };
  }

  function folderResource(key: FolderKey): Record<string, unknown> {
    let total = 0;
    let unread = 0;
    for (const m of messages.values()) {
      if (m.folder !== key) continue;
      total++;
      if (m.raw.isRead === false) unread++;
    }
    const parent = FOLDERS[key].parent;
    return {
      id: FOLDERS[key].id,
      displayName: FOLDERS[key].displayName,
      parentFolderId: parent ? FOLDERS[parent].id : ROOT_FOLDER_ID,
      childFolderCount: childFolders(key).length,
      unreadItemCount: unread,
      totalItemCount: total,
      sizeInBytes: total * 4096,
      isHidden: false,
    };
  }

  function selectOf(query: URLSearchParams): string[] | null {
    const raw = query.get("$select");
    return raw
      ? raw
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : null;
  }

  /** `$count=true` asks for @odata.count, the size of the whole (filtered) collection, on every page. */
  function countOf(query: URLSearchParams): boolean {
    const raw = query.get("$count");
    if (raw === null || raw === "false") return false;
    if (raw === "true") return true;
    throw new HttpError(400, "BadRequest", `Invalid value '${raw}' for $count; use true or false.`);
  }

  function pageSizeOf(req: Request, fallback: number): number {
    const top = req.query.get("$top");
    const preferred = preferences(req.headers.prefer).maxPageSize;
    const asked = top !== null ? Number(top) : (preferred ?? fallback);
    if (!Number.isInteger(asked) || asked < 1) {
      throw new HttpError(400, "ErrorInvalidArgument", "The page size must be a positive whole number.");
    }
    return Math.min(asked, maxPageSize);
  }

  // --- handlers ------------------------------------------------------------------------------------------------
  // Folders sorted newest first (ties by id), rebuilt only after a change: lists and first delta rounds are
  // binary searches, so a 100k-message mailbox answers fast.
  const sortedCache = new Map<FolderKey, { atSeq: number; list: Stored[] }>();
  function sortedFolder(key: FolderKey): Stored[] {
    const hit = sortedCache.get(key);
    if (hit && hit.atSeq === seq) return hit.list;
    const list = [...messages.values()]
      .filter((m) => m.folder === key)
      .sort((a, b) => b.received - a.received || cmp(a.raw.id, b.raw.id));
    sortedCache.set(key, { atSeq: seq, list });
    return list;
  }
  let conversationIndex: { atSeq: number; map: Map<string, Stored[]> } | null = null;
  function byConversation(id: string): Stored[] {
    if (!conversationIndex || conversationIndex.atSeq !== seq) {
      const map = new Map<string, Stored[]>();
      for (const m of messages.values()) {
        const c = String(m.raw.conversationId ?? "");
        const list = map.get(c);
        if (list) list.push(m);
        else map.set(c, [m]);
      }
      conversationIndex = { atSeq: seq, map };
    }
    return conversationIndex.map.get(id) ?? [];
  }

  function listConversation(req: Request, base: string): Response {
    const filter = req.query.get("$filter") ?? "";
    const m = /^\s*conversationId\s+eq\s+'([^']*)'\s*$/i.exec(filter);
    if (!m)
      throw new HttpError(
        400,
        "ErrorInvalidUrlQueryFilter",
        `The query filter '${filter}' is not supported.`,
      );
    const top = pageSizeOf(req, 10);
    const items = byConversation(m[1] ?? "")
      .filter((s) => s.folder !== "drafts")
      .sort((a, b) => b.received - a.received);
    return {
      status: 200,
      body: {
        "@odata.context": `${base}/$metadata#users('${meId}')/messages`,
        value: items.slice(0, top).map((s) => project(s, selectOf(req.query), req.query.get("$expand"))),
      },
    };
  }

  function listMessages(req: Request, key: FolderKey, base: string): Response {
    const select = selectOf(req.query);
    const expand = req.query.get("$expand");
    const byConversationFilter = /^\s*conversationId\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(
      req.query.get("$filter") ?? "",
    );
    if (byConversationFilter) {
      // One folder's messages of one conversation (e.g. the Drafts of a conversation), newest first.
      const items = byConversation((byConversationFilter[1] ?? "").replace(/''/g, "'"))
        .filter((m) => m.folder === key)
        .sort((a, b) => b.received - a.received);
      return {
        status: 200,
        body: {
          "@odata.context": `${base}/$metadata#users('${meId}')/mailFolders('${key}')/messages`,
          value: items.slice(0, pageSizeOf(req, 10)).map((m) => project(m, select, expand)),
        },
      };
    }
    const filter = parseDateFilter(req.query.get("$filter"), false);
    const orderby = (req.query.get("$orderby") ?? "receivedDateTime desc").trim().toLowerCase();
    if (!/^receiveddatetime(\s+(asc|desc))?$/.test(orderby)) {
      throw new HttpError(400, "ErrorInvalidUrlQuery", `Sorting by '${orderby}' is not supported here.`);
    }
    const ascending = /\sasc$/.test(orderby);
    const top = pageSizeOf(req, 10);
    const skip = Number(req.query.get("$skip") ?? "0");
    if (!Number.isInteger(skip) || skip < 0) {
      throw new HttpError(400, "BadRequest", `Invalid value '${req.query.get("$skip")}' for $skip.`);
    }
    const sorted = sortedFolder(key);
    const [start, end] = rangeBounds(sorted, filter);
    const total = end - start;
    // Only the page is copied out of the sorted folder (newest first; ascending reads it from the other end).
    const page = ascending
      ? sorted.slice(Math.max(start, end - skip - top), Math.max(start, end - skip)).reverse()
      : sorted.slice(Math.min(end, start + skip), Math.min(end, start + skip + top));
    const count = countOf(req.query);
    const projection = servedKey(select, expand);
    const links: Record<string, string> = {};
    if (skip + top < total) {
      const next = new URLSearchParams(req.query);
      next.set("$top", String(top));
      next.set("$skip", String(skip + top));
      links["@odata.nextLink"] = `${base}${req.path}?${next.toString()}`;
    }
    const context = `${base}/$metadata#users('${meId}')/mailFolders('${key}')/messages`;
    return {
      status: 200,
      bytes: collectionBytes(
        context,
        page.map((m) => projectBytes(m, select, expand, projection)),
        links,
        count ? total : undefined,
      ),
    };
  }

  function delta(req: Request, key: FolderKey, base: string): Response {
    const deltaToken = req.query.get("$deltatoken");
    const skipToken = req.query.get("$skiptoken");
    let cursor: DeltaCursor;
    if (skipToken) {
      cursor = decodeToken<DeltaCursor>(skipToken);
    } else if (deltaToken) {
      const previous = decodeToken<DeltaCursor>(deltaToken);
      if (previous.gen !== generation || (faults.deltaTokenExpiryRate ?? 0) > random()) {
        if (previous.gen === generation) stats.faultsInjected++;
        throw new HttpError(410, "SyncStateNotFound", "The sync state generation is not found.");
      }
      cursor = { ...previous, since: previous.upto, upto: seq, offset: 0 };
    } else {
      cursor = {
        kind: "delta",
        folder: key,
        gen: generation,
        filter: parseDateFilter(req.query.get("$filter"), true),
        select: selectOf(req.query),
        expand: req.query.get("$expand"),
        since: null,
        upto: seq,
        offset: 0,
        pageSize: Math.min(preferences(req.headers.prefer).maxPageSize ?? 10, maxPageSize),
      };
    }
    if (cursor.kind !== "delta" || cursor.folder !== key) {
      throw new HttpError(400, "ErrorInvalidUrlQuery", "The token does not belong to this folder.");
    }
    if (cursor.gen !== generation)
      throw new HttpError(410, "SyncStateNotFound", "The sync state generation is not found.");

    // Everything this round reports, in a stable order: the page is a slice of it.
    type Entry = { removed: string } | { stored: Stored };
    const round: Entry[] = [];
    if (cursor.since === null) {
      let present = rangeOf(sortedFolder(key), cursor.filter).filter((m) => m.seq <= cursor.upto);
      // Graph: a delta filtered on receivedDateTime returns at most 5,000 messages (the newest).
      if (cursor.filter.length > 0) present = present.slice(0, deltaFilterCap);
      for (const stored of present) round.push({ stored });
    } else if (options.deltaReportsEveryChange) {
      const since = cursor.since;
      for (const c of changeLog) {
        if (c.folder !== key || c.seq <= since || c.seq > cursor.upto || !matches(c.received, cursor.filter))
          continue;
        round.push(c.stored ? { stored: c.stored } : { removed: c.removed as string });
      }
    } else {
      const since = cursor.since;
      const changes: { seq: number; entry: Entry }[] = [];
      for (const m of messages.values()) {
        if (m.folder === key && m.seq > since && m.seq <= cursor.upto && matches(m.received, cursor.filter)) {
          changes.push({ seq: m.seq, entry: { stored: m } });
        }
      }
      for (const t of tombstones) {
        if (t.folder === key && t.seq > since && t.seq <= cursor.upto && matches(t.received, cursor.filter)) {
          changes.push({ seq: t.seq, entry: { removed: t.id } });
        }
      }
      changes.sort((a, b) => a.seq - b.seq);
      for (const c of changes) round.push(c.entry);
    }
    const page = round.slice(cursor.offset, cursor.offset + cursor.pageSize);
    const projection = servedKey(cursor.select, cursor.expand);
    const value = page.map((entry) =>
      "removed" in entry
        ? Buffer.from(
            JSON.stringify({
              "@odata.type": "#microsoft.graph.message",
              id: entry.removed,
              "@removed": { reason: "deleted" },
            }),
          )
        : Buffer.concat([
            DELTA_ENTITY,
            projectBytes(entry.stored, cursor.select, cursor.expand, projection).subarray(1),
          ]),
    );
    const link = `${base}/me/mailFolders/${FOLDERS[key].wellKnown ? key : FOLDERS[key].id}/messages/delta`;
    const links: Record<string, string> = {};
    if (cursor.offset + cursor.pageSize < round.length) {
      links["@odata.nextLink"] =
        `${link}?$skiptoken=${encodeToken({ ...cursor, offset: cursor.offset + cursor.pageSize })}`;
    } else {
      links["@odata.deltaLink"] = `${link}?$deltatoken=${encodeToken({ ...cursor, offset: 0 })}`;
    }
    return {
      status: 200,
      bytes: collectionBytes(`${base}/$metadata#Collection(message)`, value, links),
      headers: { "Preference-Applied": `odata.maxpagesize=${cursor.pageSize}` },
    };
  }

  // createReply/createReplyAll take `comment` and/or `message`, "any writeable properties to update in the reply"
  // (https://learn.microsoft.com/graph/api/message-createreplyall, beta page's request body table; the v1.0
  // PowerShell cmdlet New-MgUserMessageReplyAll has the same -Comment and -Message). "Specify either a comment or
  // the body property of the message parameter. Specifying both will return an HTTP 400 Bad Request error."
  // Custom internet headers go on "only when creating a message" (resources/message: POST /me/messages), so the
  // emulator, stricter than Graph may be, refuses internetMessageHeaders here: a header on a reply is set as its
  // PS_INTERNET_HEADERS named property in singleValueExtendedProperties instead.
  const REPLY_WRITABLE = new Set([
    "subject",
    "body",
    "toRecipients",
    "ccRecipients",
    "bccRecipients",
    "categories",
    "importance",
    "singleValueExtendedProperties",
  ]);
  function replyMessageFields(body: unknown): Record<string, unknown> {
    const b = (body ?? {}) as { comment?: unknown; message?: unknown };
    if (b.message === undefined || b.message === null) return {};
    if (typeof b.message !== "object" || Array.isArray(b.message))
      throw new HttpError(400, "RequestBodyRead", "The 'message' parameter must be a message object.");
    const message = b.message as Record<string, unknown>;
    for (const field of Object.keys(message)) {
      if (field === "internetMessageHeaders") {
        throw new HttpError(
          400,
          "ErrorInvalidPropertyRequest",
          "Custom internet message headers can be set only when a message is created (POST /me/messages).",
        );
      }
      if (!REPLY_WRITABLE.has(field))
        throw new HttpError(
          400,
          "ErrorInvalidPropertyRequest",
          `The property '${field}' cannot be set here.`,
        );
    }
    if ("body" in message && typeof b.comment === "string") {
      throw new HttpError(
        400,
        "ErrorInvalidRequest",
        "Specify either a comment or the body property of the message parameter, not both.",
      );
    }
    return message;
  }

  /** PATCH semantics for extended properties: each given id is created or replaced, the others stay. */
  function mergedProperties(before: unknown, given: unknown): unknown[] {
    if (!Array.isArray(given))
      throw new HttpError(400, "RequestBodyRead", "singleValueExtendedProperties must be an array.");
    const out = new Map<string, unknown>();
    for (const p of Array.isArray(before) ? (before as unknown[]) : []) {
      const id = (p as { id?: unknown })?.id;
      if (typeof id === "string") out.set(normalisePropertyId(id), p);
    }
    for (const p of given as unknown[]) {
      const { id, value } = (p ?? {}) as { id?: unknown; value?: unknown };
      if (typeof id !== "string" || typeof value !== "string")
        throw new HttpError(400, "ErrorInvalidProperty", "An extended property needs a string id and value.");
      out.set(normalisePropertyId(id), { id, value });
    }
    return [...out.values()];
  }

  function createReply(
    stored: Stored,
    all: boolean,
    comment: string,
    fields: Record<string, unknown>,
  ): Response {
    const raw = stored.raw;
    const meAddress = String(me.mail ?? me.userPrincipalName ?? "").toLowerCase();
    const addressOf = (r: unknown): string =>
      String((r as { emailAddress?: { address?: string } })?.emailAddress?.address ?? "").toLowerCase();
    const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
    const fromMe = addressOf(raw.from) === meAddress || stored.folder === "sentitems";
    let to: unknown[] = fromMe ? list(raw.toRecipients) : raw.from ? [raw.from] : [];
    let cc: unknown[] = [];
    if (all) {
      if (!fromMe) to = [...to, ...list(raw.toRecipients).filter((r) => addressOf(r) !== meAddress)];
      cc = list(raw.ccRecipients).filter((r) => addressOf(r) !== meAddress);
    }
    const subject = String(raw.subject ?? "");
    const now = clock();
    const draft: RawMessage = {
      id: newId(),
      conversationId: raw.conversationId,
      subject: /^re:/i.test(subject) ? subject : `RE: ${subject}`,
      bodyPreview: comment.slice(0, 255),
      body: {
        contentType: "html",
        content: `<html><body>${comment}<hr>${escapeHtml(String(raw.bodyPreview ?? ""))}</body></html>`,
      },
      from: { emailAddress: { name: String(me.displayName ?? ""), address: meAddress } },
      toRecipients: to,
      ccRecipients: cc,
      bccRecipients: [],
      sentDateTime: isoSeconds(now),
      receivedDateTime: isoSeconds(now),
      createdDateTime: isoSeconds(now),
      hasAttachments: false,
      isDraft: true,
      isRead: true,
      parentFolderId: FOLDERS.drafts.id,
      inReplyTo: raw.id,
      replyAll: all,
      webLink: "",
    };
    draft.webLink = `https://outlook.office.com/mail/drafts/id/${encodeURIComponent(draft.id)}`;
    for (const [field, value] of Object.entries(fields)) {
      draft[field] =
        field === "singleValueExtendedProperties" ? mergedProperties([], value) : (value as unknown);
    }
    const s: Stored = { raw: draft, folder: "drafts", seq: ++seq, received: now };
    messages.set(draft.id, s);
    return {
      status: 201,
      body: { "@odata.context": "$metadata#users/messages/$entity", ...project(s, null, null) },
    };
  }

  const PATCHABLE = new Set([
    "subject",
    "body",
    "toRecipients",
    "ccRecipients",
    "bccRecipients",
    "isRead",
    "categories",
    "importance",
    "flag",
    "singleValueExtendedProperties",
  ]);
  const DRAFT_ONLY = new Set(["subject", "body"]);
  /** The extended properties set on the mailbox's root folder. */
  let rootProperties: { id: string; value: string }[] = [];
  const isRootFolder = (idOrName: string): boolean =>
    idOrName.toLowerCase() === "msgfolderroot" || idOrName === ROOT_FOLDER_ID;

  function route(req: Request, base: string): Response {
    const { method, path } = req;
    const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
    const [s0, s1, s2, s3, s4] = segments;
    if (s0 !== "me")
      throw new HttpError(400, "BadRequest", `Resource not found for the segment '${s0 ?? ""}'.`);
    if (segments.length === 1 && method === "GET") {
      return { status: 200, body: { "@odata.context": `${base}/$metadata#users/$entity`, ...me } };
    }
    if (s1 === "mailFolders" && s2 === undefined && method === "GET") return folderList(null, base);
    if (s1 === "mailFolders" && s2 !== undefined && segments.length === 3 && isRootFolder(s2)) {
      // The root of the mailbox (well-known name msgfolderroot): only its id and extended properties are served,
      // and a PATCH may set extended properties on it (https://learn.microsoft.com/graph/api/
      // singlevaluelegacyextendedproperty-post-singlevalueextendedproperties: "PATCH /me/mailFolders/{id}").
      if (method === "GET") {
        const out: Record<string, unknown> = {
          "@odata.context": `${base}/$metadata#users('${meId}')/mailFolders/$entity`,
          id: ROOT_FOLDER_ID,
          displayName: "Top of Information Store",
        };
        const expand = req.query.get("$expand");
        if (expand && /singleValueExtendedProperties/i.test(expand)) {
          const wanted = new Set(
            [...expand.matchAll(/id\s+eq\s+'([^']+)'/gi)].map((m) => normalisePropertyId(m[1] ?? "")),
          );
          const picked = rootProperties.filter(
            (p) => wanted.size === 0 || wanted.has(normalisePropertyId(p.id)),
          );
          if (picked.length > 0) out.singleValueExtendedProperties = picked;
        }
        return { status: 200, body: out };
      }
      if (method === "PATCH") {
        const body = (req.body ?? {}) as Record<string, unknown>;
        for (const field of Object.keys(body)) {
          if (field !== "singleValueExtendedProperties")
            throw new HttpError(
              400,
              "ErrorInvalidPropertyRequest",
              `The property '${field}' cannot be updated.`,
            );
        }
        rootProperties = mergedProperties(rootProperties, body.singleValueExtendedProperties ?? []) as {
          id: string;
          value: string;
        }[];
        return {
          status: 200,
          body: {
            "@odata.context": `${base}/$metadata#users('${meId}')/mailFolders/$entity`,
            id: ROOT_FOLDER_ID,
          },
        };
      }
    }
    if (s1 === "mailFolders" && s2 !== undefined) {
      const key = folderKey(s2);
      if (s3 === "childFolders" && segments.length === 4 && method === "GET") return folderList(key, base);
      if (segments.length === 3 && method === "GET") {
        return {
          status: 200,
          body: {
            "@odata.context": `${base}/$metadata#users('${meId}')/mailFolders/$entity`,
            ...folderResource(key),
          },
        };
      }
      if (s3 === "messages" && segments.length === 4 && method === "GET") return listMessages(req, key, base);
      if (
        s3 === "messages" &&
        (s4 === "delta" || s4 === "microsoft.graph.delta()") &&
        segments.length === 5 &&
        method === "GET"
      ) {
        return delta(req, key, base);
      }
    }
    if (s1 === "messages" && segments.length === 2 && method === "GET") return listConversation(req, base);
    if (s1 === "messages" && s2 !== undefined) {
      const stored = getStored(s2);
      if (segments.length === 3 && method === "GET") {
        return {
          status: 200,
          body: {
            "@odata.context": `${base}/$metadata#users('${meId}')/messages/$entity`,
            ...project(stored, selectOf(req.query), req.query.get("$expand")),
          },
        };
      }
      if (segments.length === 3 && method === "PATCH") {
        const body = req.body;
        if (body === null || typeof body !== "object" || Array.isArray(body)) {
          throw new HttpError(400, "RequestBodyRead", "The request body must be a JSON object.");
        }
        // https://learn.microsoft.com/graph/api/message-update: body and subject are "Updatable only if isDraft =
        // true"; internetMessageHeaders are not in the list of properties that can be updated at all.
        const isDraft =
          stored.raw.isDraft === true || (stored.raw.isDraft === undefined && stored.folder === "drafts");
        for (const field of Object.keys(body)) {
          if (!PATCHABLE.has(field) || (DRAFT_ONLY.has(field) && !isDraft)) {
            throw new HttpError(
              400,
              "ErrorInvalidPropertyRequest",
              `The property '${field}' cannot be updated${DRAFT_ONLY.has(field) ? " on a message that is not a draft" : ""}.`,
            );
          }
        }
        const patch = { ...(body as Record<string, unknown>) };
        if ("singleValueExtendedProperties" in patch) {
          patch.singleValueExtendedProperties = mergedProperties(
            stored.raw.singleValueExtendedProperties,
            patch.singleValueExtendedProperties,
          );
        }
        stored.raw = { ...stored.raw, ...patch, id: stored.raw.id };
        stored.seq = ++seq;
        logChange(stored);
        return {
          status: 200,
          body: {
            "@odata.context": `${base}/$metadata#users('${meId}')/messages/$entity`,
            ...project(stored, null, null),
          },
        };
      }
      if (segments.length === 4 && method === "POST" && (s3 === "createReply" || s3 === "createReplyAll")) {
        const body = (req.body ?? {}) as { comment?: unknown };
        const fields = replyMessageFields(req.body);
        return createReply(
          stored,
          s3 === "createReplyAll",
          typeof body.comment === "string" ? body.comment : "",
          fields,
        );
      }
    }
    throw new HttpError(400, "BadRequest", `Unsupported request: ${method} ${path}`);
  }

  // --- transport: auth, faults, concurrency, batch ---------------------------------------------------------------
  let inFlight = 0;
  /** Requests inside $batch bodies since the faults were last set (for failBatchedRequest). */
  let batchedSinceFaults = 0;

  /** Faults and auth for one (possibly batched) request; returns an error response or null. */
  function gate(authorization: string | undefined, method: string): Response | "drop" | "hang" | null {
    if (options.readOnlyToken && authorization === `Bearer ${options.readOnlyToken}` && method !== "GET") {
      return errorResponse(
        new HttpError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again."),
      );
    }
    if (
      authorization !== `Bearer ${token}` &&
      !(options.readOnlyToken && authorization === `Bearer ${options.readOnlyToken}`)
    ) {
      return errorResponse(
        new HttpError(
          401,
          "InvalidAuthenticationToken",
          authorization ? "IDX14100: JWT is not well formed." : "Access token is empty.",
        ),
      );
    }
    const roll = (rate: number | undefined): boolean => (rate ?? 0) > 0 && random() < (rate ?? 0);
    const retryAfter = String(faults.retryAfterSeconds ?? 1);
    if (roll(faults.dropRate)) {
      stats.faultsInjected++;
      return "drop";
    }
    if (roll(faults.tokenExpiryRate)) {
      stats.faultsInjected++;
      return errorResponse(
        new HttpError(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired."),
      );
    }
    if (roll(faults.throttleRate)) {
      stats.faultsInjected++;
      return errorResponse(
        new HttpError(429, "TooManyRequests", "Too many requests.", { "Retry-After": retryAfter }),
      );
    }
    if (roll(faults.unavailableRate)) {
      stats.faultsInjected++;
      return errorResponse(
        new HttpError(503, "ServiceUnavailable", "Service unavailable.", { "Retry-After": retryAfter }),
      );
    }
    if (roll(faults.gatewayTimeoutRate)) {
      stats.faultsInjected++;
      return errorResponse(
        new HttpError(504, "UnknownError", "Gateway timeout.", { "Retry-After": retryAfter }),
      );
    }
    if (roll(faults.serverErrorRate)) {
      stats.faultsInjected++;
      return errorResponse(new HttpError(500, "InternalServerError", "Internal server error."));
    }
    if (roll(faults.hangRate)) {
      stats.faultsInjected++;
      return "hang";
    }
    return null;
  }

  /** Body-level faults of a 200: what to send instead of `payload`, or "reset" to break off halfway. */
  function spoil(payload: string | Buffer): { payload: string | Buffer } | "reset" {
    const roll = (rate: number | undefined): boolean => (rate ?? 0) > 0 && random() < (rate ?? 0);
    const bytes = Buffer.from(payload);
    if (roll(faults.resetMidBodyRate)) {
      stats.faultsInjected++;
      return "reset";
    }
    if (roll(faults.truncatedBodyRate)) {
      stats.faultsInjected++;
      return { payload: bytes.subarray(0, Math.floor(bytes.length / 2)) };
    }
    if (roll(faults.embeddedLinkRate) && /"@odata\.(next|delta)Link"/.test(bytes.toString("utf8"))) {
      stats.faultsInjected++;
      const text = bytes
        .toString("utf8")
        .replace(/("@odata\.(?:next|delta)Link":"https?:\/\/[^/"]+\/v1\.0)\//g, "$1/https://evil.example/");
      return { payload: text };
    }
    return { payload };
  }

  function errorResponse(error: HttpError, clientRequestId?: string): Response {
    return {
      status: error.status,
      headers: error.headers,
      body: {
        error: {
          code: error.code,
          message: error.message,
          innerError: {
            date: isoSeconds(clock()),
            "request-id": randomUUID(),
            "client-request-id": clientRequestId ?? randomUUID(),
          },
        },
      },
    };
  }

  function handle(req: Request, base: string): Response {
    try {
      return route(req, base);
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error);
      throw error;
    }
  }

  function batch(body: unknown, base: string, authorization: string | undefined): Response {
    const requests = (body as { requests?: unknown })?.requests;
    if (!Array.isArray(requests))
      throw new HttpError(400, "BadRequest", "Batch request body must hold 'requests'.");
    if (requests.length > 20) {
      throw new HttpError(400, "BadRequest", "The number of batch requests exceeds the limit of 20.");
    }
    type Item = {
      id?: unknown;
      method?: unknown;
      url?: unknown;
      headers?: Record<string, string>;
      body?: unknown;
      dependsOn?: unknown;
    };
    const items = requests as Item[];
    // https://learn.microsoft.com/graph/json-batching, "Sequencing requests with the dependsOn property": a request
    // runs after the one it depends on; "If an individual request fails, any request that depends on that request
    // fails with status code 424 (Failed Dependency)", and a batch "should be either fully sequential or fully
    // parallel" (a mixed one is refused, as Graph refuses it).
    const dependsOn = items.map((r) =>
      Array.isArray(r?.dependsOn) ? (r.dependsOn as unknown[]).map(String) : [],
    );
    const sequential =
      items.length > 1 &&
      dependsOn.slice(1).every((d, i) => d.length === 1 && d[0] === String(items[i]?.id ?? ""));
    if (!sequential && dependsOn.some((d) => d.length > 0)) {
      throw new HttpError(400, "BadRequest", "Batch should be either fully sequential or fully parallel.");
    }
    // A parallel batch's requests run side by side against the mailbox: those beyond its free concurrency slots
    // get 429 inside a 200 batch response, as Graph does. A sequential one runs one request at a time: one slot.
    const free = sequential ? items.length : Math.max(1, maxConcurrent - (inFlight - 1));
    const retryAfter = { "Retry-After": String(faults.retryAfterSeconds ?? 1) };
    const refusedWith = (id: string, error: HttpError) => {
      const refused = errorResponse(error);
      return { id, status: error.status, headers: refused.headers ?? {}, body: refused.body };
    };
    let failed = false;
    const responses = items.map((r: Item, index: number) => {
      const id = String(r?.id ?? "");
      if (sequential && failed) {
        return refusedWith(
          id,
          new HttpError(424, "FailedDependency", "A request this one depends on failed."),
        );
      }
      if (index >= free) {
        stats.throttledForConcurrency++;
        return refusedWith(
          id,
          new HttpError(
            429,
            "ApplicationThrottled",
            "Application is over its MailboxConcurrency limit.",
            retryAfter,
          ),
        );
      }
      stats.batchedRequests++;
      batchedSinceFaults++;
      const url = new URL(String(r.url ?? "").replace(/^\/?/, "/"), "http://batch");
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
      const gated = gate(authorization, String(r.method ?? "GET").toUpperCase());
      let res: Response;
      if (gated === "drop" || gated === "hang")
        res = errorResponse(new HttpError(504, "UnknownError", "Gateway timeout.", retryAfter));
      else if (gated) res = gated;
      else if ((faults.batchItemThrottleRate ?? 0) > 0 && random() < (faults.batchItemThrottleRate ?? 0)) {
        stats.faultsInjected++;
        res = errorResponse(new HttpError(429, "TooManyRequests", "Too many requests.", retryAfter));
      } else if (faults.failBatchedRequest === batchedSinceFaults) {
        stats.faultsInjected++;
        res = errorResponse(new HttpError(500, "InternalServerError", "Internal server error."));
      } else {
        res = handle(
          {
            method: String(r.method ?? "GET").toUpperCase(),
            path: url.pathname,
            query: url.searchParams,
            headers,
            body: r.body,
          },
          base,
        );
      }
      if (res.status >= 400) failed = true;
      return {
        id,
        status: res.status,
        headers: { "Content-Type": "application/json", ...res.headers },
        body: res.bytes === undefined ? res.body : (JSON.parse(res.bytes.toString("utf8")) as unknown),
      };
    });
    return { status: 200, body: { responses } };
  }

  const corsHeaders = (origin: string | undefined): Record<string, string> => ({
    "Access-Control-Allow-Origin": origin ?? "*",
    "Access-Control-Expose-Headers":
      "request-id, client-request-id, Retry-After, Location, Preference-Applied, x-ms-ags-diagnostic, Date",
    ...(origin ? { Vary: "Origin" } : {}),
  });

  const server = http.createServer((incoming, outgoing) => {
    const origin = typeof incoming.headers.origin === "string" ? incoming.headers.origin : undefined;
    if (incoming.method === "OPTIONS") {
      outgoing.writeHead(200, {
        ...corsHeaders(origin),
        "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
        "Access-Control-Allow-Headers": String(
          incoming.headers["access-control-request-headers"] ??
            "Authorization, Content-Type, Prefer, client-request-id, SdkVersion",
        ),
        "Access-Control-Max-Age": "3600",
        "Content-Length": "0",
      });
      outgoing.end();
      return;
    }
    const chunks: Buffer[] = [];
    incoming.on("data", (c: Buffer) => chunks.push(c));
    incoming.on("end", () => {
      const arrived = performance.now();
      stats.requests++;
      inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
      let counted = true;
      const finish = (res: Response | "drop" | "hang"): void => {
        if (res === "hang") {
          // Held until the client gives up and closes the connection.
          incoming.socket.once("close", () => {
            if (counted) inFlight--;
          });
          return;
        }
        // The latency is the response time: our own processing counts towards it, as Graph's does.
        const delay = Math.max(0, arrived + (faults.latencyMs ?? 0) - performance.now());
        setTimeout(() => {
          if (counted) inFlight--;
          if (res === "drop") {
            incoming.socket.destroy();
            return;
          }
          const clientRequestId = String(incoming.headers["client-request-id"] ?? randomUUID());
          let payload: string | Buffer =
            res.bytes ?? (res.body === undefined ? "" : JSON.stringify(res.body));
          let resetHalfway = false;
          if (res.status === 200) {
            const spoilt = spoil(payload);
            if (spoilt === "reset") resetHalfway = true;
            else payload = spoilt.payload;
          }
          const requestId =
            (res.body as { error?: { innerError?: Record<string, string> } } | undefined)?.error
              ?.innerError?.["request-id"] ?? randomUUID();
          outgoing.writeHead(res.status, {
            ...corsHeaders(origin),
            "Content-Type":
              "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
            "request-id": requestId,
            "client-request-id": clientRequestId,
            "Cache-Control": "no-cache",
            ...res.headers,
          });
          if (resetHalfway) {
            const bytes = Buffer.from(payload);
            outgoing.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => incoming.socket.destroy());
            return;
          }
          outgoing.end(payload);
        }, delay);
      };
      try {
        const url = new URL(incoming.url ?? "/", "http://emulator");
        const m = /^\/(v1\.0|beta)(\/.*)?$/.exec(url.pathname);
        if (!m) {
          finish(
            errorResponse(new HttpError(400, "BadRequest", "Invalid version: expected /v1.0 or /beta.")),
          );
          return;
        }
        const base = `http://${incoming.headers.host ?? "127.0.0.1"}/${m[1]}`;
        const path = m[2] ?? "/";
        const authorization = incoming.headers.authorization;
        if (inFlight > maxConcurrent && authorization === `Bearer ${token}`) {
          // Refused at once: a refused request does not hold a slot.
          inFlight--;
          counted = false;
          stats.throttledForConcurrency++;
          finish(
            errorResponse(
              new HttpError(
                429,
                "ApplicationThrottled",
                "Application is over its MailboxConcurrency limit.",
                {
                  "Retry-After": String(faults.retryAfterSeconds ?? 1),
                },
              ),
            ),
          );
          return;
        }
        const gated = gate(authorization, (incoming.method ?? "GET").toUpperCase());
        if (gated) {
          finish(gated);
          return;
        }
        if ((faults.redirectRate ?? 0) > 0 && random() < (faults.redirectRate ?? 0)) {
          stats.faultsInjected++;
          const target = new URL(incoming.url ?? "/", faults.redirectTo ?? "http://127.0.0.1:9");
          finish({ status: 302, headers: { Location: target.href } });
          return;
        }
        let body: unknown = undefined;
        if (chunks.length > 0) {
          try {
            body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            finish(
              errorResponse(new HttpError(400, "RequestBodyRead", "The request body is not valid JSON.")),
            );
            return;
          }
        }
        const method = (incoming.method ?? "GET").toUpperCase();
        if (path === "/$batch" && method === "POST") {
          try {
            finish(batch(body, base, authorization));
          } catch (error) {
            if (error instanceof HttpError) finish(errorResponse(error));
            else throw error;
          }
          return;
        }
        finish(handle({ method, path, query: url.searchParams, headers: incoming.headers, body }, base));
      } catch (error) {
        finish(errorResponse(new HttpError(500, "InternalServerError", (error as Error).message)));
      }
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/v1.0`,
    port,
    token,
    stats,
    prepareWire(select, expand) {
      for (const stored of messages.values()) projectBytes(stored, [...select], expand);
      for (const key of Object.keys(FOLDERS) as FolderKey[]) sortedFolder(key);
    },
    resetStats() {
      stats.requests = 0;
      stats.batchedRequests = 0;
      stats.throttledForConcurrency = 0;
      stats.faultsInjected = 0;
      stats.maxInFlight = 0;
    },
    setFaults(next) {
      faults = next;
      random = seededRandom(next.seed ?? 1);
      batchedSinceFaults = 0;
    },
    addMessage(folder, message) {
      const id = typeof message.id === "string" && message.id ? message.id : newId();
      const now = clock();
      const raw: RawMessage = {
        sentDateTime: isoSeconds(now),
        receivedDateTime: isoSeconds(now),
        ...message,
        id,
      };
      const stored: Stored = { raw, folder, seq: ++seq, received: receivedOf(raw, now) };
      messages.set(id, stored);
      logChange(stored);
      return id;
    },
    updateMessage(id, fields) {
      const stored = getStored(id);
      stored.raw = { ...stored.raw, ...fields, id };
      stored.received = receivedOf(stored.raw, stored.received);
      stored.seq = ++seq;
      logChange(stored);
    },
    removeExtendedProperty(propertyId) {
      const gone = normalisePropertyId(propertyId);
      const without = (list: unknown): unknown[] =>
        (Array.isArray(list) ? (list as { id?: unknown }[]) : []).filter(
          (p) => typeof p?.id !== "string" || normalisePropertyId(p.id) !== gone,
        );
      rootProperties = without(rootProperties) as { id: string; value: string }[];
      for (const stored of messages.values()) {
        const before = stored.raw.singleValueExtendedProperties;
        if (!Array.isArray(before) || without(before).length === before.length) continue;
        stored.raw = { ...stored.raw, singleValueExtendedProperties: without(before) };
        stored.seq = ++seq;
        logChange(stored);
      }
    },
    deleteMessage(id) {
      remove(id);
    },
    moveMessage(id, folder) {
      const stored = getStored(id);
      remove(id);
      const moved: Stored = { ...stored, folder, seq: ++seq };
      messages.set(id, moved);
      logChange(moved);
    },
    expireDeltaTokens() {
      generation++;
    },
    folderId(folder) {
      return FOLDERS[folder].id;
    },
    folderMessages(folder) {
      return [...messages.values()].filter((m) => m.folder === folder).map((m) => ({ ...m.raw }));
    },
    drafts() {
      return [...messages.values()].filter((m) => m.folder === "drafts").map((m) => ({ ...m.raw }));
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

/** The messages of a newest-first list that satisfy every receivedDateTime clause, by binary search. */
function rangeOf(list: readonly Stored[], clauses: readonly DateClause[]): Stored[] {
  const [start, end] = rangeBounds(list, clauses);
  return list.slice(start, end);
}

/** The index range [start, end) of a newest-first list that the date clauses select (binary searches, no copy). */
function rangeBounds(list: readonly Stored[], clauses: readonly DateClause[]): [number, number] {
  // First index where `newestFirst[i]` fails an upper bound / passes below a lower bound.
  const firstWhere = (pred: (m: Stored) => boolean): number => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(list[mid] as Stored)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  let start = 0;
  let end = list.length;
  for (const c of clauses) {
    if (c.op === "lt")
      start = Math.max(
        start,
        firstWhere((m) => m.received < c.at),
      );
    if (c.op === "le")
      start = Math.max(
        start,
        firstWhere((m) => m.received <= c.at),
      );
    if (c.op === "ge")
      end = Math.min(
        end,
        firstWhere((m) => m.received < c.at),
      );
    if (c.op === "gt")
      end = Math.min(
        end,
        firstWhere((m) => m.received <= c.at),
      );
  }
  return start < end ? [start, end] : [0, 0];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A message's extended properties as Exchange exposes them: the stored ones, plus each Auto-Submitted header as
 * its named property in PS_INTERNET_HEADERS (Exchange promotes the header to that property on delivery), and the
 * same for List-Id, List-Unsubscribe and Rekindle's own x-rekindle-technique (kept on the sent copy).
 */
function extendedPropertiesOf(raw: Record<string, unknown>): { id: string; value: string }[] {
  const out: { id: string; value: string }[] = [];
  if (Array.isArray(raw.singleValueExtendedProperties)) {
    for (const p of raw.singleValueExtendedProperties as unknown[]) {
      const { id, value } = (p ?? {}) as { id?: unknown; value?: unknown };
      if (typeof id === "string" && typeof value === "string") out.push({ id, value });
    }
  }
  if (Array.isArray(raw.internetMessageHeaders)) {
    for (const h of raw.internetMessageHeaders as unknown[]) {
      const { name, value } = (h ?? {}) as { name?: unknown; value?: unknown };
      if (typeof name !== "string" || typeof value !== "string") continue;
      const key = name.toLowerCase();
      const id = Object.hasOwn(PROMOTED_HEADERS, key) ? PROMOTED_HEADERS[key] : undefined;
      if (id) out.push({ id, value });
    }
  }
  return out;
}

// Headers Exchange promotes to named properties in PS_INTERNET_HEADERS, as Rekindle reads them.
const PROMOTED_HEADERS: Readonly<Record<string, string>> = {
  "auto-submitted": AUTO_SUBMITTED_PROPERTY,
  "list-id": LIST_ID_PROPERTY,
  "list-unsubscribe": LIST_UNSUBSCRIBE_PROPERTY,
  "x-rekindle-technique": TECHNIQUE_PROPERTY,
};

function normalisePropertyId(id: string): string {
  const m = /^string\s+0x0*([0-9a-f]+)$/i.exec(id.trim());
  return m ? `string 0x${(m[1] ?? "").toLowerCase()}` : id.trim().toLowerCase();
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
