// Syncs Sent Items and Inbox into a CacheStore through Microsoft Graph.
//
// First sync: each folder's window is split at a seam T0 (a little before now). A receivedDateTime-filtered delta
// chain starting at T0 is established at once (it returns only the few messages newer than T0, far below Graph's
// 5,000 cap on a filtered delta), and the window before T0, the half-open range [start, T0) on receivedDateTime,
// is listed newest first in pages of 1,000 addressed by $skip, so every page can be asked for at once: page 0
// brings @odata.count, and pages 1… go out in parallel, up to 4 requests in flight for the mailbox. A request
// leaves its slot when its answer has arrived, so the next one is on its way while a page is parsed and stored.
// Consecutive pages overlap by one message: if the two do not share it, mail was added to or removed from the
// range between the two requests and their ends no longer meet, so the span of time between those ends is listed
// again as a range of its own (ids merge, so nothing is duplicated). Graph's order of messages with the same
// receivedDateTime is taken to be stable between requests. Every page is stored together with the folder's
// position: its ranges still to list, each narrowed past the pages that met (to the oldest time seen + 1 ms, so
// ties are listed again), so a killed sync resumes without listing what it already has.
// Later syncs: one delta request per folder (its deltaLink), following nextLinks when there is more.
// A 410 / SyncStateNotFound on a delta token resets that folder and lists it again; user state is kept.
// Graph's cap means the delta tracks only messages received after the seam. So once a week (relistAfterMs) an
// incremental sync lists the window before the seam again, the same way, and drops from the cache what that listing
// no longer returned: older mail deleted, moved to the other folder or elsewhere, or now outside the window. Until
// then, a change to older mail is not seen.
import type { Folder, Instant, MailMessage, Me } from "../core/message";
import { instant } from "../core/message";
import type { CacheStore, FolderSyncState, ListRange } from "../store/cacheStore";
import {
  checkGraphLinks,
  type GraphConnection,
  GRAPH_MAX_CONCURRENT,
  SlotReleaseOption,
  trustedGraphPath,
} from "./graphClient";
import { GraphSyncError, toGraphSyncError } from "./graphErrors";
import type { LoadedMailbox } from "./mailboxFile";
import {
  AddressBook,
  AUTO_SUBMITTED_PROPERTY,
  LIST_ID_PROPERTY,
  LIST_UNSUBSCRIBE_PROPERTY,
  mapGraphMessage,
  parseGraphInstant,
  mapGraphUser,
  MESSAGE_CLASS_PROPERTY,
  MESSAGE_FIELDS,
} from "./mapMessage";

/** What we $select: the mapper's fields (never internetMessageHeaders: that is every header of every message). */
export const SYNC_FIELDS: readonly string[] = MESSAGE_FIELDS;
/** The message class and the Auto-Submitted header, expanded on every message that has them. */
export const SYNC_EXPAND = `singleValueExtendedProperties($filter=${[
  MESSAGE_CLASS_PROPERTY,
  AUTO_SUBMITTED_PROPERTY,
  LIST_ID_PROPERTY,
  LIST_UNSUBSCRIBE_PROPERTY,
]
  .map((id) => `id eq '${id}'`)
  .join(" or ")})`;
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
  /**
   * How long a listing of the window before the seam holds (default 7 days). The delta chain follows only mail
   * received after the seam, so an incremental sync this long after the last listing lists that part again and
   * drops what is no longer there: older mail deleted or moved away, and mail that left the window.
   */
  readonly relistAfterMs?: number;
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

/** Where a listed page starts or ends: the message's id (or its JSON, lacking one) and its receivedDateTime. */
interface Edge {
  readonly key: string;
  readonly time: number;
}

/** What the listing keeps of a page once it is stored: its two ends, and whether Graph said more follows. */
interface PageEdges {
  readonly first: Edge | null;
  readonly last: Edge | null;
  readonly hasNext: boolean;
}

/**
 * One range being listed, newest first, as $skip pages that overlap by one message (in memory only: the store keeps
 * the range, narrowed to what is not yet certain).
 */
interface ListTask {
  readonly range: ListRange;
  readonly epoch: number;
  /** 0 for a planned range, n for a range listed again because the mail under range n − 1 moved. */
  readonly depth: number;
  /** Messages from one page's start to the next one's; null until page 0 tells the page size Graph applies. */
  stride: number | null;
  /** Whether consecutive pages share a message (not with pages of one message). */
  overlap: boolean;
  /** Pages known to exist, from @odata.count and from nextLinks. */
  known: number;
  /** Pages 0 … issued − 1 have been requested. */
  issued: number;
  readonly pages: (PageEdges | undefined)[];
  /** Pages 0 … joined − 1 have arrived and each one met the page before it. */
  joined: number;
  /** The first page that arrived without a nextLink: nothing follows it. */
  end: number | null;
}

interface FolderRun {
  readonly folder: Folder;
  epoch: number;
  state: FolderSyncState;
  tasks: ListTask[];
  deltaBusy: boolean;
  deltaDone: boolean;
  /** While this run lists the window again from its start: every id Graph returned, and when the listing began. */
  relist: { readonly seen: Set<string>; readonly startedAt: number } | null;
}

/** A unit of work for the scheduler; `released` is called when its request has given its slot back. */
type Job = (released: () => void) => Promise<void>;

/** Repairs of repairs beyond this mean the folder will not hold still: the sync stops and can be run again. */
const MAX_REPAIR_DEPTH = 8;

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
  const addresses = new AddressBook();

  async function get(
    pathOrLink: string,
    what: string,
    released: () => void,
  ): Promise<Record<string, unknown>> {
    requests++;
    try {
      const path = /^https?:\/\//i.test(pathOrLink) ? trustedGraphPath(connection, pathOrLink) : pathOrLink;
      const body: unknown = await connection.client
        .api(path)
        .header("Prefer", prefer)
        .middlewareOptions([new SlotReleaseOption(released)])
        .get();
      if (body === null || typeof body !== "object") throw new Error("Graph answered with no JSON object");
      checkGraphLinks(connection, body as Record<string, unknown>);
      return body as Record<string, unknown>;
    } catch (error) {
      throw toGraphSyncError(error, what);
    }
  }

  // Who "me" is, and each folder's stored position; a folder seen for the first time starts at once.
  let me: Me | null = await store.loadMe();
  const lastSyncBefore = await store.lastSyncAt();
  const windowStart = options.now - (options.windowDays + 2) * DAY_MS;
  const freshState = (folder: Folder, total: number | null): FolderSyncState => {
    const seam = Math.max(windowStart, clock() - seamMargin);
    return {
      folder,
      windowStart: iso(windowStart),
      deltaFrom: iso(seam),
      pendingRanges: seam > windowStart ? [{ from: iso(windowStart), to: iso(seam) }] : [],
      deltaNextLink: null,
      deltaLink: null,
      deltaFirstRoundCount: 0,
      totalItemCount: total,
      skipped: {},
      listedAt: iso(clock()),
    };
  };
  const relistAfter = options.relistAfterMs ?? 7 * DAY_MS;
  const runs = new Map<Folder, FolderRun>();
  let firstSync = me === null;
  for (const folder of SYNC_FOLDERS) {
    let state = await store.loadSyncState(folder);
    if (!isComplete(state)) firstSync = true;
    let relist: FolderRun["relist"] = null;
    if (state === null) {
      state = freshState(folder, null);
      await store.applyPage({ folder, upserts: [], removedIds: [], state });
    } else if (isComplete(state) && clock() - Date.parse(state.listedAt ?? state.deltaFrom) >= relistAfter) {
      // The delta does not see older mail change: list the window before the seam again (listedAt moves on only
      // once that listing has finished within one run, so an interrupted one is started over next time).
      const seam = Date.parse(state.deltaFrom);
      relist = { seen: new Set(), startedAt: clock() };
      state = {
        ...state,
        windowStart: iso(windowStart),
        pendingRanges: seam > windowStart ? [{ from: iso(windowStart), to: state.deltaFrom }] : [],
      };
      await store.applyPage({ folder, upserts: [], removedIds: [], state });
    }
    const run: FolderRun = { folder, epoch: 0, state, tasks: [], deltaBusy: false, deltaDone: false, relist };
    run.tasks = state.pendingRanges.map((range) => newListTask(run, range, 0));
    runs.set(folder, run);
  }
  const phase = firstSync ? "first-sync" : "incremental";

  function newListTask(run: FolderRun, range: ListRange, depth: number): ListTask {
    return {
      range: { from: range.from, to: range.to },
      epoch: run.epoch,
      depth,
      stride: null,
      overlap: false,
      known: 1,
      issued: 0,
      pages: [],
      joined: 0,
      end: null,
    };
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

  /** What of a task is not yet certain: its range, narrowed past the pages joined so far (ties listed again). */
  const pendingOf = (task: ListTask): ListRange => {
    const last = task.joined > 0 ? task.pages[task.joined - 1]?.last : undefined;
    if (!last || !Number.isFinite(last.time)) return task.range;
    const to = Math.min(Date.parse(task.range.to), last.time + 1);
    return to > Date.parse(task.range.from) ? { from: task.range.from, to: iso(to) } : task.range;
  };

  /** Stores a page and the folder's new position, all or nothing. */
  async function persist(run: FolderRun, raw: readonly unknown[], removedIds: string[]): Promise<void> {
    const skipped: Record<string, number> = { ...run.state.skipped };
    const upserts: MailMessage[] = [];
    for (const item of raw) {
      const id = (item as { id?: unknown } | null)?.id;
      if (run.relist && typeof id === "string") run.relist.seen.add(id);
      const result = mapGraphMessage(item, run.folder, addresses);
      if ("message" in result) {
        upserts.push(result.message);
      } else {
        skipped[result.skipped] = (skipped[result.skipped] ?? 0) + 1;
        // A message that changed into something unusable must not linger in its old form (if it was cached).
        if (typeof id === "string" && id) removedIds.push(id);
      }
    }
    run.state = { ...run.state, pendingRanges: run.tasks.map(pendingOf), skipped };
    await store.applyPage({ folder: run.folder, upserts, removedIds, state: run.state });
    await progress();
  }

  async function resetFolder(run: FolderRun): Promise<void> {
    run.epoch++;
    run.relist = null; // the folder is emptied and listed afresh: nothing left to reconcile
    resynced.add(run.folder);
    await store.resetFolder(run.folder);
    run.state = freshState(run.folder, run.state.totalItemCount);
    run.tasks = run.state.pendingRanges.map((range) => newListTask(run, range, 0));
    run.deltaDone = false;
    await persist(run, [], []);
  }

  async function deltaStep(run: FolderRun, released: () => void): Promise<void> {
    const epoch = run.epoch;
    const s = run.state;
    const firstRound = s.deltaLink === null;
    const url = s.deltaNextLink ?? s.deltaLink ?? firstDeltaUrl(run.folder, s.deltaFrom);
    let body: Record<string, unknown>;
    try {
      body = await get(url, `syncing changes in ${run.folder}`, released);
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
      run.tasks.push(newListTask(run, { from: s.deltaFrom, to: iso(clock() + DAY_MS) }, 0));
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

  function pageUrl(folder: Folder, task: ListTask, page: number): string {
    const filter = `receivedDateTime ge ${task.range.from} and receivedDateTime lt ${task.range.to}`;
    return (
      `/me/mailFolders/${folder}/messages?$select=${SYNC_FIELDS.join(",")}` +
      `&$expand=${encodeURIComponent(SYNC_EXPAND)}&$filter=${encodeURIComponent(filter)}` +
      `&$orderby=${encodeURIComponent("receivedDateTime desc")}&$top=${pageSize}` +
      (page === 0 ? "&$count=true" : `&$skip=${page * (task.stride ?? pageSize)}`)
    );
  }

  /** Two consecutive pages should share a message; when they do not, the mail moved: list their gap again. */
  function join(run: FolderRun, task: ListTask, before: PageEdges, after: PageEdges): void {
    if (!task.overlap || (after.first && before.last && after.first.key === before.last.key)) return;
    if (task.depth >= MAX_REPAIR_DEPTH) {
      throw new GraphSyncError(
        "graph",
        `${run.folder} kept changing while it was listed; run the sync again to finish it`,
        200,
        null,
        null,
        null,
      );
    }
    const from = Date.parse(task.range.from);
    const to = Date.parse(task.range.to);
    // Whatever was skipped lies between the two ends in time; after an empty page, it is everything older.
    const a = before.last?.time ?? to - 1;
    const b = after.first?.time ?? from;
    const lo = Number.isFinite(a) && Number.isFinite(b) ? Math.max(from, Math.min(a, b)) : from;
    const hi = Number.isFinite(a) && Number.isFinite(b) ? Math.min(to, Math.max(a, b) + 1) : to;
    run.tasks.push(newListTask(run, { from: iso(lo), to: iso(hi) }, task.depth + 1));
  }

  async function pageStep(run: FolderRun, task: ListTask, page: number, released: () => void): Promise<void> {
    const body = await get(pageUrl(run.folder, task, page), `listing ${run.folder}`, released);
    if (task.epoch !== run.epoch) return;
    const value = Array.isArray(body.value) ? (body.value as unknown[]) : [];
    // A page asked for before its range was found complete: whatever it brought is still mail of this folder.
    if (!run.tasks.includes(task)) return persist(run, value, []);
    const hasNext = typeof body["@odata.nextLink"] === "string";
    if (page === 0) {
      // Graph's page size as it applied it; later pages start one message early, so each meets the one before.
      task.overlap = hasNext && value.length >= 2;
      task.stride = task.overlap ? value.length - 1 : Math.max(1, value.length);
      const count = body["@odata.count"];
      if (hasNext && typeof count === "number" && Number.isInteger(count) && count > value.length) {
        task.known = Math.max(task.known, 1 + Math.ceil((count - value.length) / task.stride));
      }
    }
    if (hasNext) task.known = Math.max(task.known, page + 2);
    else task.end = Math.min(task.end ?? page, page);
    task.pages[page] = {
      first: value.length > 0 ? edgeOf(value[0]) : null,
      last: value.length > 0 ? edgeOf(value[value.length - 1]) : null,
      hasNext,
    };
    while (!listed(task) && task.pages[task.joined] !== undefined) {
      const j = task.joined;
      if (j > 0) join(run, task, task.pages[j - 1] as PageEdges, task.pages[j] as PageEdges);
      task.joined++;
    }
    if (listed(task)) run.tasks = run.tasks.filter((t) => t !== task);
    await persist(run, value, []);
  }

  // /me and the folders' sizes, for a folder that has none yet.
  const heads: Job[] = [];
  if (me === null) {
    heads.push(async (released) => {
      const raw = await get(
        "/me?$select=displayName,givenName,mail,userPrincipalName,proxyAddresses",
        "reading /me",
        released,
      );
      try {
        me = mapGraphUser(raw);
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
    });
  }
  for (const run of runs.values()) {
    if (run.state.totalItemCount !== null || isComplete(run.state)) continue;
    heads.push(async (released) => {
      const raw = await get(
        `/me/mailFolders/${run.folder}?$select=totalItemCount`,
        `reading the ${run.folder} folder`,
        released,
      );
      const total = raw.totalItemCount;
      run.state = { ...run.state, totalItemCount: typeof total === "number" && total >= 0 ? total : 0 };
      await store.applyPage({ folder: run.folder, upserts: [], removedIds: [], state: run.state });
    });
  }

  // The scheduler: up to `lanes` requests in flight across both folders. A request leaves its lane once its answer
  // has arrived, so the next one goes out while that page is parsed and stored (at most `lanes` pages wait so).
  // Page 0 of a range goes first (its @odata.count lets the rest of the range go out at once), then /me and the
  // folder sizes, then the delta chains, then the remaining pages of the range with the most left.
  await new Promise<void>((resolve, reject) => {
    let inFlight = 0;
    let running = 0;
    let failure: unknown = null;
    const next = (): Job | null => {
      for (const run of runs.values())
        for (const task of run.tasks) if (task.issued === 0) return pageJob(run, task);
      const head = heads.shift();
      if (head) return head;
      for (const run of runs.values()) {
        if (run.deltaDone || run.deltaBusy) continue;
        run.deltaBusy = true;
        return (released) => deltaStep(run, released).finally(() => (run.deltaBusy = false));
      }
      let best: { run: FolderRun; task: ListTask } | null = null;
      for (const run of runs.values())
        for (const task of run.tasks)
          if (
            task.stride !== null &&
            task.issued < task.known &&
            (task.end === null || task.issued <= task.end)
          )
            if (!best || task.known - task.issued > best.task.known - best.task.issued) best = { run, task };
      return best ? pageJob(best.run, best.task) : null;
    };
    const pageJob = (run: FolderRun, task: ListTask): Job => {
      const page = task.issued++;
      return (released) => pageStep(run, task, page, released);
    };
    const pump = (): void => {
      while (failure === null && inFlight < lanes && running < 2 * lanes) {
        const job = next();
        if (!job) break;
        inFlight++;
        running++;
        let inLane = true;
        const release = (): void => {
          if (!inLane) return;
          inLane = false;
          inFlight--;
          pump();
        };
        job(release).then(
          () => {
            running--;
            release();
            pump();
          },
          (error: unknown) => {
            running--;
            if (failure === null) failure = error;
            release();
            pump();
          },
        );
      }
      if (running > 0) return;
      if (failure !== null) reject(failure);
      else if (finished()) resolve();
    };
    const finished = (): boolean =>
      heads.length === 0 && [...runs.values()].every((run) => run.deltaDone && run.tasks.length === 0);
    pump();
  });

  // A listing done again: what the cache holds from before the seam that Graph no longer returned is gone.
  const relisted = [...runs.values()].filter((run) => run.relist !== null && run.tasks.length === 0);
  if (relisted.length > 0) {
    const cached = await store.loadMessages();
    for (const run of relisted) {
      const { seen, startedAt } = run.relist as NonNullable<FolderRun["relist"]>;
      const seam = Date.parse(run.state.deltaFrom);
      const gone = cached
        .filter((m) => m.folder === run.folder && m.receivedAt < seam && !seen.has(m.id))
        .map((m) => m.id);
      run.state = { ...run.state, listedAt: iso(startedAt) };
      await store.applyPage({ folder: run.folder, upserts: [], removedIds: gone, state: run.state });
    }
  }

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

/** A page edge: the message's id (its JSON when it has none) and its receivedDateTime (NaN when unreadable). */
function edgeOf(item: unknown): Edge {
  const o = (item !== null && typeof item === "object" ? item : {}) as {
    id?: unknown;
    receivedDateTime?: unknown;
  };
  return {
    key: typeof o.id === "string" && o.id ? o.id : JSON.stringify(item),
    time: parseGraphInstant(o.receivedDateTime) ?? NaN,
  };
}

/** A task is listed once every page up to the first without a nextLink has arrived and met the one before it. */
function listed(task: ListTask): boolean {
  return task.end !== null && task.joined > task.end;
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
