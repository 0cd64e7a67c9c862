// Syncs Sent Items and Inbox into a CacheStore through Microsoft Graph.
//
// First sync: each folder's window is split at a seam T0 (a little before now). A receivedDateTime-filtered delta
// chain starting at T0 is established at once (it returns only the few messages newer than T0, far below Graph's
// 5,000 cap on a filtered delta), and the window before T0 is listed as date ranges in parallel, up to 4 requests
// in flight for the mailbox, ranges being split whenever a request slot would otherwise sit idle. Ranges are
// half-open [from, to) on receivedDateTime, so nothing is listed twice or lost at the seams; a page only ever
// narrows its range to the part not yet returned (`to` becomes the oldest time seen + 1 ms; ties are re-fetched
// and de-duplicated by id). Every page is stored together with the new position, so a killed sync resumes.
// Later syncs: one delta request per folder (its deltaLink), following nextLinks when there is more.
// A 410 / SyncStateNotFound on a delta token resets that folder and lists it again; user state is kept.
// Known limit, set by Graph's cap: the delta tracks messages received after the seam, so a later change to or
// deletion of an older message is not seen until that folder is listed again (a 410, or store.resetFolder).
import type { Folder, Instant, MailMessage, Me } from "../core/message";
import { instant } from "../core/message";
import type { CacheStore, FolderSyncState, ListRange } from "../store/cacheStore";
import { type GraphConnection, GRAPH_MAX_CONCURRENT, relativeGraphPath } from "./graphClient";
import { GraphSyncError, toGraphSyncError } from "./graphErrors";
import type { LoadedMailbox } from "./mailboxFile";
import {
  AUTO_SUBMITTED_PROPERTY,
  mapGraphMessage,
  mapGraphUser,
  MESSAGE_CLASS_PROPERTY,
  MESSAGE_FIELDS,
} from "./mapMessage";

/** What we $select: the mapper's fields (never internetMessageHeaders: that is every header of every message). */
export const SYNC_FIELDS: readonly string[] = MESSAGE_FIELDS;
/** The message class and the Auto-Submitted header, expanded on every message that has them. */
export const SYNC_EXPAND = `singleValueExtendedProperties($filter=id eq '${MESSAGE_CLASS_PROPERTY}' or id eq '${AUTO_SUBMITTED_PROPERTY}')`;
/** Graph's largest page of messages ($top / odata.maxpagesize). */
export const GRAPH_MAX_PAGE_SIZE = 1000;
/** Graph returns at most this many messages from a delta filtered on receivedDateTime. */
export const DELTA_FILTER_CAP = 5000;
export const SYNC_FOLDERS: readonly Folder[] = ["sentitems", "inbox"];

const DAY_MS = 86_400_000;

/** Progress of a sync, after every page. */
export interface MailSyncProgress {
  readonly phase: "first-sync" | "incremental";
  /** Messages in the cache now. */
  readonly synced: number;
  /** The folders' totalItemCount (an estimate: it counts mail outside the window too); null while unknown. */
  readonly expected: number | null;
  readonly lastSyncAt: Instant | null;
}

export interface MailSyncOptions {
  readonly connection: GraphConnection;
  readonly store: CacheStore;
  /** The engine's now: the window is [now − windowDays, …). */
  readonly now: Instant;
  readonly windowDays: number;
  /** The wall clock, for the seam and lastSyncAt (default Date.now). */
  readonly clock?: () => number;
  /** Page size (default and maximum 1,000). */
  readonly pageSize?: number;
  /** Requests in flight at once (default 4, Graph's per-mailbox limit). */
  readonly lanes?: number;
  /** How far before now the delta seam sits, covering clock skew (default 1 hour). */
  readonly seamMarginMs?: number;
  /** Graph's cap on a receivedDateTime-filtered delta (default 5,000); reaching it makes the sync list that span. */
  readonly deltaFilterCap?: number;
  readonly onProgress?: (progress: MailSyncProgress) => void;
}

/** A finished sync: what it took. The mailbox itself is in the store (loadCachedMailbox). */
export interface MailSyncResult {
  readonly phase: "first-sync" | "incremental";
  /** Messages in the cache after the sync. */
  readonly synced: number;
  /** Messages Graph returned that could not be used, by reason, and their total. */
  readonly skipped: Readonly<Record<string, number>>;
  readonly skippedTotal: number;
  /** Requests this sync issued (the SDK's retries not counted). */
  readonly requests: number;
  /** Folders that had to be listed again because Graph forgot their delta state. */
  readonly resyncedFolders: readonly Folder[];
  readonly lastSyncAt: Instant;
}

interface RangeTask {
  range: ListRange;
  busy: boolean;
  /** Messages per ms seen on this range's last page, to estimate what is left. */
  density: number;
  readonly epoch: number;
}

interface FolderRun {
  readonly folder: Folder;
  epoch: number;
  state: FolderSyncState;
  ranges: RangeTask[];
  deltaBusy: boolean;
  deltaDone: boolean;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const addSkips = (into: Record<string, number>, from: Readonly<Record<string, number>>): void => {
  for (const [reason, n] of Object.entries(from)) into[reason] = (into[reason] ?? 0) + n;
};

/** The cached mailbox without touching the network, or null before the first sync stored who "me" is. */
export async function loadCachedMailbox(store: CacheStore): Promise<LoadedMailbox | null> {
  const me = await store.loadMe();
  if (!me) return null;
  const messages = await store.loadMessages();
  const skipped: Record<string, number> = {};
  for (const folder of SYNC_FOLDERS) addSkips(skipped, (await store.loadSyncState(folder))?.skipped ?? {});
  const skippedTotal = Object.values(skipped).reduce((a, b) => a + b, 0);
  return { mailbox: { me, messages }, skipped, skippedTotal };
}

/** Brings the cache up to date with Graph (first sync or incremental); read the result with loadCachedMailbox. */
export async function syncMailbox(options: MailSyncOptions): Promise<MailSyncResult> {
  const { connection, store } = options;
  const clock = options.clock ?? Date.now;
  const pageSize = Math.min(options.pageSize ?? GRAPH_MAX_PAGE_SIZE, GRAPH_MAX_PAGE_SIZE);
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new RangeError(`pageSize must be 1–1000, got ${pageSize}`);
  const lanes = options.lanes ?? GRAPH_MAX_CONCURRENT;
  const seamMargin = options.seamMarginMs ?? 60 * 60 * 1000;
  const prefer = `IdType="ImmutableId", odata.maxpagesize=${pageSize}`;
  let requests = 0;
  const resynced = new Set<Folder>();

  async function get(pathOrLink: string, what: string): Promise<Record<string, unknown>> {
    const path = /^https?:\/\//i.test(pathOrLink) ? relativeGraphPath(connection, pathOrLink) : pathOrLink;
    requests++;
    try {
      const body: unknown = await connection.client.api(path).header("Prefer", prefer).get();
      if (body === null || typeof body !== "object") throw new Error("Graph answered with no JSON object");
      return body as Record<string, unknown>;
    } catch (error) {
      throw toGraphSyncError(error, what);
    }
  }

  // Who "me" is, and each folder's stored position.
  let me: Me | null = await store.loadMe();
  const states = new Map<Folder, FolderSyncState | null>();
  for (const folder of SYNC_FOLDERS) states.set(folder, await store.loadSyncState(folder));
  const firstSync = me === null || SYNC_FOLDERS.some((f) => !isComplete(states.get(f) ?? null));
  const phase = firstSync ? "first-sync" : "incremental";
  const lastSyncBefore = await store.lastSyncAt();

  const runs = new Map<Folder, FolderRun>();
  const needInit = SYNC_FOLDERS.filter((f) => states.get(f) == null);
  const windowStart = options.now - (options.windowDays + 2) * DAY_MS;
  const seamAt = (): number => Math.max(windowStart, clock() - seamMargin);
  const heads = Promise.all([
    me === null
      ? get("/me?$select=displayName,givenName,mail,userPrincipalName,proxyAddresses", "reading /me")
      : null,
    ...needInit.map((f) => get(`/me/mailFolders/${f}?$select=totalItemCount`, `reading the ${f} folder`)),
  ]);
  // A new folder's first delta request needs only the seam: it goes out with /me and the folder reads, and its
  // first delta step takes the answer (the page is stored only once the folder's position is).
  const seams = new Map<Folder, number>();
  const prefetched = new Map<Folder, Promise<Record<string, unknown>>>();
  for (const folder of needInit) {
    const seam = seamAt();
    seams.set(folder, seam);
    const page = get(firstDeltaUrl(folder, iso(seam)), `syncing changes in ${folder}`);
    page.catch(() => undefined); // awaited by the folder's first delta step; unobserved if the sync fails first
    prefetched.set(folder, page);
  }
  const [meRaw, ...folderRaws] = await heads;
  if (meRaw) {
    try {
      me = mapGraphUser(meRaw);
    } catch (error) {
      throw new GraphSyncError(
        "graph",
        `Graph /me is unusable: ${(error as Error).message}`,
        200,
        null,
        null,
        null,
      );
    }
    await store.saveMe(me);
  }
  const totals = new Map<Folder, number>();
  needInit.forEach((f, i) => {
    const total = (folderRaws[i] as Record<string, unknown> | undefined)?.totalItemCount;
    totals.set(f, typeof total === "number" && total >= 0 ? total : 0);
  });
  const pagesOf = (f: Folder): number => Math.max(1, Math.ceil((totals.get(f) ?? 0) / pageSize));
  const allPages = needInit.reduce((a, f) => a + pagesOf(f), 0);

  const freshState = (
    folder: Folder,
    rangesWanted: number,
    total: number | null,
    seam = seamAt(),
  ): FolderSyncState => {
    return {
      folder,
      windowStart: iso(windowStart),
      deltaFrom: iso(seam),
      pendingRanges: splitRange(windowStart, seam, rangesWanted),
      deltaNextLink: null,
      deltaLink: null,
      deltaFirstRoundCount: 0,
      totalItemCount: total,
      skipped: {},
    };
  };

  for (const folder of SYNC_FOLDERS) {
    let state = states.get(folder) ?? null;
    if (state === null) {
      const share = Math.max(1, Math.min(pagesOf(folder), Math.round((lanes * pagesOf(folder)) / allPages)));
      state = freshState(folder, share, totals.get(folder) ?? null, seams.get(folder));
      await store.applyPage({ folder, upserts: [], removedIds: [], state });
    }
    runs.set(folder, { folder, epoch: 0, state, ranges: [], deltaBusy: false, deltaDone: false });
    const run = runs.get(folder) as FolderRun;
    run.ranges = state.pendingRanges.map((range) => newRangeTask(run, range));
  }

  function newRangeTask(run: FolderRun, range: ListRange, density?: number): RangeTask {
    const span = Math.max(1, Date.parse(range.to) - Date.parse(range.from));
    const total = run.state.totalItemCount ?? 0;
    const windowSpan = Math.max(1, Date.parse(run.state.deltaFrom) - Date.parse(run.state.windowStart));
    return { range, busy: false, density: density ?? total / Math.max(windowSpan, span), epoch: run.epoch };
  }

  const progress = async (): Promise<void> => {
    if (!options.onProgress) return;
    let expected: number | null = 0;
    for (const run of runs.values()) {
      if (run.state.totalItemCount === null) expected = null;
      else if (expected !== null) expected += run.state.totalItemCount;
    }
    const synced = await store.countMessages();
    options.onProgress({ phase, synced, expected, lastSyncAt: lastSyncBefore });
  };

  /** Stores a page and the folder's new position, all or nothing. */
  async function persist(run: FolderRun, raw: readonly unknown[], removedIds: string[]): Promise<void> {
    const skipped: Record<string, number> = { ...run.state.skipped };
    const upserts: MailMessage[] = [];
    for (const item of raw) {
      const result = mapGraphMessage(item, run.folder);
      if ("message" in result) {
        upserts.push(result.message);
      } else {
        skipped[result.skipped] = (skipped[result.skipped] ?? 0) + 1;
        // A message that changed into something unusable must not linger in its old form (if it was cached).
        const id = (item as { id?: unknown } | null)?.id;
        if (typeof id === "string" && id) removedIds.push(id);
      }
    }
    run.state = { ...run.state, pendingRanges: run.ranges.map((r) => r.range), skipped };
    await store.applyPage({ folder: run.folder, upserts, removedIds, state: run.state });
    await progress();
  }

  async function resetFolder(run: FolderRun): Promise<void> {
    run.epoch++;
    run.ranges = [];
    resynced.add(run.folder);
    const total = run.state.totalItemCount;
    await store.resetFolder(run.folder);
    const pages = Math.max(1, Math.ceil((total ?? 0) / pageSize));
    run.state = freshState(run.folder, Math.min(pages, lanes), total);
    run.ranges = run.state.pendingRanges.map((range) => newRangeTask(run, range));
    run.deltaDone = false;
    await persist(run, [], []);
  }

  async function deltaStep(run: FolderRun): Promise<void> {
    const epoch = run.epoch;
    const s = run.state;
    const firstRound = s.deltaLink === null;
    const url = s.deltaNextLink ?? s.deltaLink ?? firstDeltaUrl(run.folder, s.deltaFrom);
    const early = s.deltaNextLink === null && s.deltaLink === null ? prefetched.get(run.folder) : undefined;
    prefetched.delete(run.folder);
    let body: Record<string, unknown>;
    try {
      body = await (early ?? get(url, `syncing changes in ${run.folder}`));
    } catch (error) {
      if (error instanceof GraphSyncError && error.kind === "sync-state-lost" && epoch === run.epoch) {
        await resetFolder(run);
        return;
      }
      throw error;
    }
    if (epoch !== run.epoch) return;
    const value = Array.isArray(body.value) ? (body.value as unknown[]) : [];
    const upserts: unknown[] = [];
    const removed: string[] = [];
    for (const item of value) {
      const removedId = (item as { "@removed"?: unknown; id?: unknown } | null)?.["@removed"]
        ? (item as { id?: unknown }).id
        : undefined;
      if (typeof removedId === "string") removed.push(removedId);
      else upserts.push(item);
    }
    const next = typeof body["@odata.nextLink"] === "string" ? body["@odata.nextLink"] : null;
    const deltaLink = typeof body["@odata.deltaLink"] === "string" ? body["@odata.deltaLink"] : null;
    if (!next && !deltaLink) {
      throw new GraphSyncError(
        "graph",
        `Graph's delta page for ${run.folder} had neither nextLink nor deltaLink`,
        200,
        null,
        null,
        null,
      );
    }
    const firstRoundCount = (s.deltaFirstRoundCount ?? 0) + (firstRound ? value.length : 0);
    if (firstRound && !next && firstRoundCount >= (options.deltaFilterCap ?? DELTA_FILTER_CAP)) {
      // Graph may have cut the filtered delta at its cap: list the delta's span too (duplicates merge by id).
      run.ranges.push(newRangeTask(run, { from: s.deltaFrom, to: iso(clock() + DAY_MS) }));
    }
    run.state = {
      ...run.state,
      deltaNextLink: next,
      deltaLink: next ? s.deltaLink : deltaLink,
      deltaFirstRoundCount: firstRound ? firstRoundCount : (s.deltaFirstRoundCount ?? 0),
    };
    if (!next) run.deltaDone = true;
    await persist(run, upserts, removed);
  }

  async function rangeStep(run: FolderRun, task: RangeTask): Promise<void> {
    const { range } = task;
    const url =
      range.nextLink ??
      `/me/mailFolders/${run.folder}/messages?$select=${SYNC_FIELDS.join(",")}` +
        `&$expand=${encodeURIComponent(SYNC_EXPAND)}` +
        `&$filter=${encodeURIComponent(`receivedDateTime ge ${range.from} and receivedDateTime lt ${range.to}`)}` +
        `&$orderby=${encodeURIComponent("receivedDateTime desc")}&$top=${pageSize}`;
    const body = await get(url, `listing ${run.folder}`);
    if (task.epoch !== run.epoch) return;
    const value = Array.isArray(body.value) ? (body.value as unknown[]) : [];
    const next = typeof body["@odata.nextLink"] === "string" ? body["@odata.nextLink"] : null;
    // Graph sorts the page newest first: the ends give the span; an odd page is scanned in full.
    const timeOf = (item: unknown): number =>
      Date.parse(String((item as { receivedDateTime?: unknown } | null)?.receivedDateTime ?? ""));
    let newest = timeOf(value[0]);
    let oldest = timeOf(value[value.length - 1]);
    if (!(Number.isFinite(newest) && Number.isFinite(oldest) && oldest <= newest)) {
      oldest = Infinity;
      newest = -Infinity;
      for (const item of value) {
        const t = timeOf(item);
        if (Number.isFinite(t)) {
          oldest = Math.min(oldest, t);
          newest = Math.max(newest, t);
        }
      }
    }
    if (!next) {
      run.ranges = run.ranges.filter((r) => r !== task);
    } else if (range.nextLink === undefined && Number.isFinite(oldest) && oldest < newest) {
      // Narrow to what is left: everything at or before the oldest time on this page.
      task.range = { from: range.from, to: iso(oldest + 1) };
      task.density = value.length / Math.max(1, newest - oldest);
    } else {
      // A page of one single instant cannot be narrowed: follow Graph's nextLink for this range instead.
      task.range = { from: range.from, to: range.to, nextLink: next };
    }
    await persist(run, value, []);
  }

  // The scheduler: up to `lanes` requests in flight across both folders.
  await new Promise<void>((resolve, reject) => {
    let active = 0;
    let failure: unknown = null;
    const ready = (): { run: FolderRun; task: RangeTask | "delta" }[] => {
      const out: { run: FolderRun; task: RangeTask | "delta" }[] = [];
      for (const run of runs.values()) if (!run.deltaDone && !run.deltaBusy) out.push({ run, task: "delta" });
      const ranges: { run: FolderRun; task: RangeTask }[] = [];
      for (const run of runs.values())
        for (const task of run.ranges) if (!task.busy) ranges.push({ run, task });
      ranges.sort((a, b) => remaining(b.task) - remaining(a.task));
      return [...out, ...ranges];
    };
    const remaining = (task: RangeTask): number =>
      task.range.nextLink
        ? pageSize
        : task.density * (Date.parse(task.range.to) - Date.parse(task.range.from));
    const rebalance = (): void => {
      // Split the biggest range while a lane would otherwise sit idle.
      for (;;) {
        const idle = ready();
        if (lanes - active <= idle.length) return;
        const candidates = idle.filter((r) => r.task !== "delta") as { run: FolderRun; task: RangeTask }[];
        const biggest = candidates[0];
        if (!biggest || biggest.task.range.nextLink || remaining(biggest.task) < 3 * pageSize) return;
        const { run, task } = biggest;
        const from = Date.parse(task.range.from);
        const to = Date.parse(task.range.to);
        const mid = Math.floor((from + to) / 2);
        if (mid <= from || mid >= to) return;
        const lower = newRangeTask(run, { from: task.range.from, to: iso(mid) }, task.density);
        const upper = newRangeTask(run, { from: iso(mid), to: task.range.to }, task.density);
        run.ranges = run.ranges.flatMap((r) => (r === task ? [upper, lower] : [r]));
      }
    };
    const finished = (): boolean =>
      [...runs.values()].every((run) => run.deltaDone && run.ranges.length === 0);
    const pump = (): void => {
      if (failure !== null) {
        if (active === 0) reject(failure);
        return;
      }
      rebalance();
      for (const { run, task } of ready()) {
        if (active >= lanes) break;
        active++;
        let step: Promise<void>;
        if (task === "delta") {
          run.deltaBusy = true;
          step = deltaStep(run).finally(() => (run.deltaBusy = false));
        } else {
          task.busy = true;
          step = rangeStep(run, task).finally(() => (task.busy = false));
        }
        step.then(
          () => {
            active--;
            pump();
          },
          (error: unknown) => {
            active--;
            if (failure === null) failure = error;
            pump();
          },
        );
      }
      if (active === 0 && failure === null && finished()) resolve();
    };
    pump();
  });

  const lastSyncAt = instant(clock());
  await store.setLastSyncAt(lastSyncAt);
  const skipped: Record<string, number> = {};
  for (const run of runs.values()) addSkips(skipped, run.state.skipped);
  const synced = await store.countMessages();
  options.onProgress?.({ phase, synced, expected: synced, lastSyncAt });
  return {
    synced,
    skipped,
    skippedTotal: Object.values(skipped).reduce((a, b) => a + b, 0),
    phase,
    requests,
    resyncedFolders: [...resynced],
    lastSyncAt,
  };
}

/** The first request of a folder's delta chain: messages received at or after the seam. */
function firstDeltaUrl(folder: Folder, deltaFrom: string): string {
  return (
    `/me/mailFolders/${folder}/messages/delta?$select=${SYNC_FIELDS.join(",")}` +
    `&$expand=${encodeURIComponent(SYNC_EXPAND)}` +
    `&$filter=${encodeURIComponent(`receivedDateTime ge ${deltaFrom}`)}`
  );
}

function isComplete(state: FolderSyncState | null): boolean {
  // Listing done and a deltaLink held (a delta round may still be mid-way: that is incremental work).
  return state !== null && state.pendingRanges.length === 0 && state.deltaLink !== null;
}

/** Splits [from, to) into `parts` equal half-open ranges (none when empty). */
function splitRange(from: number, to: number, parts: number): ListRange[] {
  if (!(to > from)) return [];
  const n = Math.max(1, Math.min(Number.isFinite(parts) ? Math.floor(parts) : 1, to - from));
  const out: ListRange[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const a = i === 0 ? from : Math.floor(from + ((to - from) * i) / n);
    const b = i === n - 1 ? to : Math.floor(from + ((to - from) * (i + 1)) / n);
    out.push({ from: iso(a), to: iso(b) });
  }
  return out;
}
