// Syncs Sent Items, Inbox, Archive and any folders the user picked into a CacheStore through Microsoft Graph, and
// reports what changed as change sets. This file is the thin I/O shell: the decisions are the planner's
// (syncPlan.ts), the concurrency is the scheduler's (syncScheduler.ts); here requests go out and pages are stored.
//
// First sync: each folder's window is split at a seam T0 (a little before now). A receivedDateTime-filtered delta
// chain starting at T0 is established at once (it returns only the few messages newer than T0, far below Graph's
// 5,000 cap on a filtered delta), and the window before T0 is listed newest first in $skip pages of 1,000, all
// asked for at once once page 0 has told @odata.count, up to 4 requests in flight for the mailbox. Consecutive
// pages overlap by one message; where they do not meet, the span between them is listed again. Every page is stored
// together with the folder's position, so a killed sync resumes without listing what it already has.
// Later syncs: one delta request per folder, following nextLinks when there is more; a 410 lists that folder again.
// Once a week the window before the seam is listed again and what it no longer returned is dropped; mail that
// leaves the window is dropped on every sync (the store's receivedAt index). /me is read on every sync, and a cache
// holding another user's mail is never written to.
import type { Folder, Instant, MailMessage, Me } from "../core/message";
import { instant } from "../core/message";
import type { CacheStore, FolderSyncState, ListRange, MessageKey } from "../store/cacheStore";
import { type GraphConnection, GRAPH_MAX_CONCURRENT } from "./graphClient";
import { GraphSyncError } from "./graphErrors";
import { readGraphJson } from "./graphRead";
import { ChangeSetAccumulator, isEmptyChangeSet, type MailChangeSet } from "./mailChanges";
import type { LoadedMailbox } from "./mailboxFile";
import { type MailboxStateRecord, ROAMING_STATE_PROPERTY, stateRecordOf } from "./mailboxState";
import {
  AddressBook,
  AUTO_SUBMITTED_PROPERTY,
  LIST_ID_PROPERTY,
  LIST_UNSUBSCRIBE_PROPERTY,
  TECHNIQUE_PROPERTY,
  mapGraphMessage,
  parseGraphInstant,
  mapGraphUser,
  MESSAGE_CLASS_PROPERTY,
  MESSAGE_FIELDS,
} from "./mapMessage";
import {
  DAY_MS,
  foldDeltaItems,
  freshFolderState,
  iso,
  isComplete,
  type ListTask,
  MAX_REPAIR_DEPTH,
  newListTask,
  nextWork,
  type PageEdge,
  pendingOf,
  planFolder,
  type FolderPlanInput,
  recordPage,
  skipOf,
  windowStartOf,
} from "./syncPlan";
import { runScheduled, type Slot, type SyncJob } from "./syncScheduler";

export type { MailChangeSet } from "./mailChanges";

/** What we $select: the mapper's fields (never internetMessageHeaders: that is every header of every message). */
export const SYNC_FIELDS: readonly string[] = MESSAGE_FIELDS;
/**
 * The message class, the Auto-Submitted, List-Id and x-rekindle-technique headers, and Rekindle's roaming user
 * state (mailboxState.ts), expanded on every message that has them.
 */
export const SYNC_EXPAND = `singleValueExtendedProperties($filter=${[
  MESSAGE_CLASS_PROPERTY,
  AUTO_SUBMITTED_PROPERTY,
  LIST_ID_PROPERTY,
  LIST_UNSUBSCRIBE_PROPERTY,
  TECHNIQUE_PROPERTY,
  ROAMING_STATE_PROPERTY,
]
  .map((id) => `id eq '${id}'`)
  .join(" or ")})`;
/** Graph's largest page of messages ($top / odata.maxpagesize). */
export const GRAPH_MAX_PAGE_SIZE = 1000;
/** Graph returns at most this many messages from a delta filtered on receivedDateTime. */
export const DELTA_FILTER_CAP = 5000;
/** The well-known folders every sync covers (Deleted Items stays out). */
export const SYNC_FOLDERS: readonly Folder[] = ["sentitems", "inbox", "archive"];

/** The cache's Folder for a folder the user picked, by its Graph id. */
export const pickedFolder = (graphFolderId: string): Folder => `folder:${graphFolderId}`;

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
  /** Graph ids of further folders to sync (e.g. "Projects" under Inbox), beside Sent Items, Inbox and Archive. */
  readonly folders?: readonly string[];
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
   * drops what is no longer there: older mail deleted or moved away.
   */
  readonly relistAfterMs?: number;
  readonly onProgress?: (progress: MailSyncProgress) => void;
  /** Called after each stored page with what it changed in the cache (never with an empty change set). */
  readonly onChanges?: (changes: MailChangeSet) => void;
}

/** A finished sync: what it took and what it changed. The mailbox itself is in the store (loadCachedMailbox). */
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
  /**
   * Folders left out: Graph says they do not exist (a mailbox without Archive, a picked folder since deleted), or a
   * picked folder is Deleted Items, which is never synced.
   */
  readonly missingFolders: readonly Folder[];
  /** The net change this sync made to the cache (the pages' change sets folded together). */
  readonly changes: MailChangeSet;
  /**
   * The roaming user state on the messages this sync saw (listed or changed), in the order Graph sent them; a
   * damaged value comes with its problem. Not stored in the cache: the caller merges it into its user state.
   */
  readonly state: readonly MailboxStateRecord[];
  readonly lastSyncAt: Instant;
}

/** A cache that holds another user's mail: nothing was written to it. */
export class MailboxMismatchError extends Error {
  constructor(
    readonly cachedUser: string,
    readonly signedInUser: string,
  ) {
    super(
      `this cache holds the mail of ${cachedUser}, but Graph signed in ${signedInUser}; ` +
        "nothing was written to it: use one cache per mailbox",
    );
    this.name = "MailboxMismatchError";
  }
}

/** Who a mailbox belongs to, as compared between syncs: the sign-in name, else the address, lower-cased. */
export function mailboxUserOf(me: Me): string {
  return (me.userPrincipalName || me.mail || me.proxyAddresses?.[0] || "").trim().toLowerCase();
}

interface FolderRun {
  readonly folder: Folder;
  epoch: number;
  state: FolderSyncState;
  /** The state must be stored before anything else (it changed in planning). */
  dirty: boolean;
  tasks: ListTask[];
  deltaBusy: boolean;
  deltaDone: boolean;
  /** Graph said the folder does not exist: nothing more is asked of it. */
  gone: boolean;
  /** While this run lists the window again from its start: every id Graph returned, and when the listing began. */
  relist: { readonly seen: Set<string>; readonly startedAt: number } | null;
}

const addSkips = (into: Record<string, number>, from: Readonly<Record<string, number>>): void => {
  for (const [reason, n] of Object.entries(from)) into[reason] = (into[reason] ?? 0) + n;
};
const graphError = (message: string): GraphSyncError =>
  new GraphSyncError("graph", message, 200, null, null, null);

/** The cached mailbox without touching the network, or null before the first sync stored who "me" is. */
export async function loadCachedMailbox(store: CacheStore): Promise<LoadedMailbox | null> {
  const me = await store.loadMe();
  if (!me) return null;
  const messages = await store.loadMessages();
  const skipped: Record<string, number> = {};
  for (const folder of await store.syncedFolders())
    addSkips(skipped, (await store.loadSyncState(folder))?.skipped ?? {});
  const skippedTotal = Object.values(skipped).reduce((a, b) => a + b, 0);
  return { mailbox: { me, messages }, skipped, skippedTotal };
}

/** Brings the cache up to date with Graph (first sync or incremental) and returns what it changed. */
export async function syncMailbox(options: MailSyncOptions): Promise<MailSyncResult> {
  const { connection, store } = options;
  const clock = options.clock ?? Date.now;
  const pageSize = Math.min(options.pageSize ?? GRAPH_MAX_PAGE_SIZE, GRAPH_MAX_PAGE_SIZE);
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new RangeError(`pageSize must be 1–1000, got ${pageSize}`);
  if (!Number.isFinite(options.windowDays) || options.windowDays < 0)
    throw new RangeError(`windowDays must be a number of days ≥ 0, got ${options.windowDays}`);
  for (const id of options.folders ?? []) {
    if (typeof id !== "string" || id.trim() === "") throw new RangeError(`a folder id must not be empty`);
    if (/^(deleteditems|recoverableitemsdeletions|junkemail|drafts|outbox)$/i.test(id))
      throw new RangeError(`"${id}" is not a folder Rekindle syncs: pick folders that hold conversations`);
    if (/^(inbox|sentitems|archive)$/i.test(id))
      throw new RangeError(`"${id}" is always synced: pick other folders, by their Graph id`);
  }
  const lanes = options.lanes ?? GRAPH_MAX_CONCURRENT;
  const prefer = `IdType="ImmutableId", odata.maxpagesize=${pageSize}`;
  let requests = 0;
  const resynced = new Set<Folder>();
  const missing = new Set<Folder>();
  const addresses = new AddressBook();
  const changes = new ChangeSetAccumulator();
  const stateRecords: MailboxStateRecord[] = [];

  const get = (pathOrLink: string, what: string, slot: Slot): Promise<Record<string, unknown>> => {
    requests++;
    return readGraphJson(connection, pathOrLink, what, { prefer, onAnswer: () => slot.release() });
  };

  // The plan: each folder's position, from what is stored and this run's window and folders.
  const folders: Folder[] = [...SYNC_FOLDERS, ...new Set((options.folders ?? []).map(pickedFolder))];
  const windowStart = windowStartOf(options.now, options.windowDays);
  const planInput = (folder: Folder): FolderPlanInput => ({
    folder,
    windowStart,
    wallNow: clock(),
    seamMarginMs: options.seamMarginMs ?? 60 * 60 * 1000,
    relistAfterMs: options.relistAfterMs ?? 7 * DAY_MS,
  });
  const storedMe = await store.loadMe();
  const lastSyncBefore = await store.lastSyncAt();
  const runs = new Map<Folder, FolderRun>();
  let firstSync = storedMe === null;
  for (const folder of folders) {
    const stored = await store.loadSyncState(folder);
    if (!isComplete(stored)) firstSync = true;
    const plan = planFolder(stored, planInput(folder));
    const run: FolderRun = {
      folder,
      epoch: 0,
      state: plan.state,
      dirty: plan.changed,
      tasks: [],
      deltaBusy: false,
      deltaDone: false,
      gone: false,
      relist: plan.relist ? { seen: new Set(), startedAt: clock() } : null,
    };
    run.tasks = plan.state.pendingRanges.map((range) => newListTask(range, run.epoch, 0));
    runs.set(folder, run);
  }
  const dropped = (await store.syncedFolders()).filter((folder) => !runs.has(folder));
  const phase = firstSync ? "first-sync" : "incremental";

  /** Tells the caller how far the sync is: `synced` messages in the cache. */
  const progress = (synced: number): void => {
    if (!options.onProgress) return;
    let expected: number | null = 0;
    for (const run of runs.values()) {
      if (run.state.totalItemCount === null) expected = null;
      else if (expected !== null) expected += run.state.totalItemCount;
    }
    options.onProgress({ phase, synced, expected, lastSyncAt: lastSyncBefore });
  };

  const report = (set: MailChangeSet): void => {
    if (isEmptyChangeSet(set)) return;
    changes.add(set);
    options.onChanges?.(set);
  };

  // Nothing is written before /me has said whose mailbox this is.
  let openGate: () => void = () => {};
  let closeGate: (error: unknown) => void = () => {};
  let meFailure: unknown = null;
  const gate = new Promise<void>((resolve, reject) => {
    openGate = resolve;
    closeGate = (error) => {
      meFailure = error;
      reject(error);
    };
  });
  gate.catch(() => {}); // its failure is the /me job's, reported by the scheduler

  /** Writes what planning decided: folders no longer synced go, mail out of the window goes, new states. */
  async function prepareStore(): Promise<void> {
    for (const folder of dropped) await resetFolder(folder);
    const aged = await store.dropReceivedBefore(instant(windowStart));
    report({ added: [], changed: [], removed: aged });
    for (const run of runs.values()) {
      if (!run.dirty) continue;
      await store.applyPage({ folder: run.folder, upserts: [], removedIds: [], state: run.state });
      run.dirty = false;
    }
  }

  /** Empties one folder in the store, reporting its messages as removed. */
  async function resetFolder(folder: Folder): Promise<void> {
    const removed: MessageKey[] = (await store.loadMessages())
      .filter((m) => m.folder === folder)
      .map((m) => ({ folder, id: m.id }));
    await store.resetFolder(folder);
    report({ added: [], changed: [], removed });
  }

  /** Stores a page and the folder's new position, all or nothing, and reports what it changed. */
  async function persist(
    run: FolderRun,
    raw: readonly unknown[],
    removedIds: readonly string[],
  ): Promise<void> {
    // A folder reset or left out meanwhile (its epoch moved on) must not get this page back.
    const epoch = run.epoch;
    await gate;
    if (epoch !== run.epoch) return;
    const skipped: Record<string, number> = { ...run.state.skipped };
    const upserts: MailMessage[] = [];
    const removals = new Set(removedIds);
    for (const item of raw) {
      const record = stateRecordOf(item);
      if (record) stateRecords.push(record);
      const id = (item as { id?: unknown } | null)?.id;
      if (run.relist && typeof id === "string") run.relist.seen.add(id);
      const result = mapGraphMessage(item, run.folder, addresses);
      if ("message" in result) {
        // A change to mail older than the window (the delta follows it) does not bring it back.
        if (result.message.receivedAt >= windowStart) upserts.push(result.message);
        else removals.add(result.message.id);
      } else {
        skipped[result.skipped] = (skipped[result.skipped] ?? 0) + 1;
        // A message that changed into something unusable must not linger in its old form (if it was cached).
        if (typeof id === "string" && id) removals.add(id);
      }
    }
    const removedList = [...removals];
    run.state = { ...run.state, pendingRanges: run.tasks.map(pendingOf), skipped };
    // One write, which says what it replaced (so no read of the page's messages first) and how many are cached.
    const { before, count } = await store.applyPage({
      folder: run.folder,
      upserts,
      removedIds: removedList,
      state: run.state,
    });
    const added: MailMessage[] = [];
    const changed: MailMessage[] = [];
    for (const m of upserts) {
      const old = before.get(m.id);
      if (!old) added.push(m);
      else if (JSON.stringify(old) !== JSON.stringify(m)) changed.push(m);
    }
    const removed = removedList.filter((id) => before.has(id)).map((id) => ({ folder: run.folder, id }));
    report({ added, changed, removed });
    progress(count);
  }

  async function resetRun(run: FolderRun): Promise<void> {
    run.epoch++;
    run.relist = null; // the folder is emptied and listed afresh: nothing left to reconcile
    resynced.add(run.folder);
    await gate;
    await resetFolder(run.folder);
    run.state = freshFolderState(planInput(run.folder), run.state.totalItemCount);
    run.tasks = run.state.pendingRanges.map((range) => newListTask(range, run.epoch, 0));
    run.deltaDone = false;
    await persist(run, [], []);
  }

  /** Graph says the folder is not there (no Archive, or a picked folder deleted): it is left out from now on. */
  async function folderGone(run: FolderRun): Promise<void> {
    if (run.gone) return;
    run.gone = true;
    run.epoch++;
    run.tasks = [];
    run.deltaDone = true;
    run.relist = null;
    missing.add(run.folder);
    await gate;
    await resetFolder(run.folder);
  }

  /** Runs one folder's request, turning "no such folder" into folderGone and a forgotten delta into a resync. */
  async function guarded(run: FolderRun, step: () => Promise<void>, delta: boolean): Promise<void> {
    const epoch = run.epoch;
    try {
      await step();
    } catch (error) {
      if (error instanceof GraphSyncError && error.status === 404 && run.gone) return; // already left out
      if (!(error instanceof GraphSyncError) || epoch !== run.epoch) throw error;
      if (error.status === 404 && run.folder !== "inbox" && run.folder !== "sentitems")
        return folderGone(run);
      if (delta && error.kind === "sync-state-lost") return resetRun(run);
      throw error;
    }
  }

  async function deltaStep(run: FolderRun, slot: Slot): Promise<void> {
    const epoch = run.epoch;
    const s = run.state;
    const firstRound = s.deltaLink === null;
    const url = s.deltaNextLink ?? s.deltaLink ?? firstDeltaUrl(run.folder, s.deltaFrom);
    const body = await get(url, `syncing changes in ${run.folder}`, slot);
    if (epoch !== run.epoch) return;
    const value = Array.isArray(body.value) ? (body.value as unknown[]) : [];
    const { upserts, removedIds } = foldDeltaItems(value);
    const next = typeof body["@odata.nextLink"] === "string" ? body["@odata.nextLink"] : null;
    const deltaLink = typeof body["@odata.deltaLink"] === "string" ? body["@odata.deltaLink"] : null;
    if (!next && !deltaLink)
      throw graphError(`Graph's delta page for ${run.folder} had neither nextLink nor deltaLink`);
    const firstRoundCount = (s.deltaFirstRoundCount ?? 0) + (firstRound ? value.length : 0);
    if (firstRound && !next && firstRoundCount >= (options.deltaFilterCap ?? DELTA_FILTER_CAP)) {
      // Graph may have cut the filtered delta at its cap: list the delta's span too (duplicates merge by id).
      run.tasks.push(newListTask({ from: s.deltaFrom, to: iso(clock() + DAY_MS) }, run.epoch, 0));
    }
    run.state = {
      ...run.state,
      deltaNextLink: next,
      deltaLink: next ? s.deltaLink : deltaLink,
      deltaFirstRoundCount: firstRound ? firstRoundCount : (s.deltaFirstRoundCount ?? 0),
    };
    if (!next) run.deltaDone = true;
    await persist(run, upserts, removedIds);
  }

  function pageUrl(folder: Folder, range: ListRange, skip: number): string {
    const filter = `receivedDateTime ge ${range.from} and receivedDateTime lt ${range.to}`;
    return (
      `/me/mailFolders/${folderSegment(folder)}/messages?$select=${SYNC_FIELDS.join(",")}` +
      `&$expand=${encodeURIComponent(SYNC_EXPAND)}&$filter=${encodeURIComponent(filter)}` +
      `&$orderby=${encodeURIComponent("receivedDateTime desc")}&$top=${pageSize}` +
      (skip === 0 ? "&$count=true" : `&$skip=${skip}`)
    );
  }

  async function pageStep(run: FolderRun, task: ListTask, page: number, slot: Slot): Promise<void> {
    const body = await get(
      pageUrl(run.folder, task.range, skipOf(task, page, pageSize)),
      `listing ${run.folder}`,
      slot,
    );
    if (task.epoch !== run.epoch) return;
    const value = Array.isArray(body.value) ? (body.value as unknown[]) : [];
    // A page asked for before its range was found complete: whatever it brought is still mail of this folder.
    if (!run.tasks.includes(task)) return persist(run, value, []);
    const count = body["@odata.count"];
    const outcome = recordPage(task, page, {
      length: value.length,
      hasNext: typeof body["@odata.nextLink"] === "string",
      ...(typeof count === "number" ? { count } : {}),
      first: value.length > 0 ? edgeOf(value[0]) : null,
      last: value.length > 0 ? edgeOf(value[value.length - 1]) : null,
    });
    if (outcome.repairs.length > 0 && task.depth >= MAX_REPAIR_DEPTH)
      throw graphError(`${run.folder} kept changing while it was listed; run the sync again to finish it`);
    for (const range of outcome.repairs) run.tasks.push(newListTask(range, run.epoch, task.depth + 1));
    if (outcome.listed) run.tasks = run.tasks.filter((t) => t !== task);
    await persist(run, value, []);
  }

  // /me on every sync (whose mailbox this is), before anything else; then the sizes of folders that have none yet.
  let meJob: SyncJob | null = async (slot) => {
    try {
      const raw = await get(
        "/me?$select=displayName,givenName,mail,userPrincipalName,proxyAddresses,businessPhones,mobilePhone,companyName",
        "reading /me",
        slot,
      );
      let me: Me;
      try {
        me = mapGraphUser(raw);
      } catch (error) {
        throw graphError(`Graph /me is unusable: ${(error as Error).message}`);
      }
      if (storedMe && mailboxUserOf(storedMe) && mailboxUserOf(storedMe) !== mailboxUserOf(me))
        throw new MailboxMismatchError(mailboxUserOf(storedMe), mailboxUserOf(me));
      if (!storedMe || JSON.stringify(storedMe) !== JSON.stringify(me)) await store.saveMe(me);
      await prepareStore();
      openGate();
    } catch (error) {
      closeGate(error);
      throw error;
    }
  };
  const heads: SyncJob[] = [];
  const picked = [...runs.values()].filter((run) => run.folder.startsWith("folder:"));
  if (picked.length > 0) {
    // Deleted Items stays out, also when it is picked by its id.
    heads.push(async (slot) => {
      const raw = await get(
        "/me/mailFolders/deleteditems?$select=id",
        "reading the deleteditems folder",
        slot,
      );
      for (const run of picked) if (run.folder === pickedFolder(String(raw.id))) await folderGone(run);
    });
  }
  for (const run of runs.values()) {
    if (run.state.totalItemCount !== null || isComplete(run.state)) continue;
    heads.push((slot) =>
      guarded(
        run,
        async () => {
          const raw = await get(
            `/me/mailFolders/${folderSegment(run.folder)}?$select=totalItemCount`,
            `reading the ${run.folder} folder`,
            slot,
          );
          const total = raw.totalItemCount;
          run.state = { ...run.state, totalItemCount: typeof total === "number" && total >= 0 ? total : 0 };
          await gate;
          if (!run.gone)
            await store.applyPage({ folder: run.folder, upserts: [], removedIds: [], state: run.state });
        },
        false,
      ),
    );
  }

  // What goes out next: /me (every page waits for it before it is stored), then what the planner picks.
  const pageJob = (run: FolderRun, task: ListTask): SyncJob => {
    const page = task.issued++;
    return (slot) => guarded(run, () => pageStep(run, task, page, slot), false);
  };
  const folderRuns = [...runs.values()];
  const next = (): SyncJob | null => {
    if (meJob) {
      const job = meJob;
      meJob = null;
      return job;
    }
    const work = nextWork(folderRuns, heads.length > 0);
    if (!work) return null;
    if (work.kind === "head") return heads.shift() ?? null;
    const run = folderRuns[work.folder] as FolderRun;
    if (work.kind === "page") return pageJob(run, work.task);
    run.deltaBusy = true;
    return (slot) => guarded(run, () => deltaStep(run, slot), true).finally(() => (run.deltaBusy = false));
  };
  const finished = (): boolean =>
    meJob === null &&
    heads.length === 0 &&
    [...runs.values()].every((run) => run.gone || (run.deltaDone && run.tasks.length === 0));
  await runScheduled({ lanes, next, finished }).catch((error: unknown) => {
    // A request that failed beside /me (a link of the other user's cache, say) must not hide the real cause.
    throw meFailure instanceof MailboxMismatchError ? meFailure : error;
  });

  // A listing done again: what the cache holds from before the seam that Graph no longer returned is gone.
  const relisted = [...runs.values()].filter(
    (run) => run.relist !== null && run.tasks.length === 0 && !run.gone,
  );
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
      report({ added: [], changed: [], removed: gone.map((id) => ({ folder: run.folder, id })) });
    }
  }

  const lastSyncAt = instant(clock());
  await store.setLastSyncAt(lastSyncAt);
  const skipped: Record<string, number> = {};
  for (const run of runs.values()) if (!run.gone) addSkips(skipped, run.state.skipped);
  const synced = await store.countMessages();
  options.onProgress?.({ phase, synced, expected: synced, lastSyncAt });
  return {
    synced,
    skipped,
    skippedTotal: Object.values(skipped).reduce((a, b) => a + b, 0),
    phase,
    requests,
    resyncedFolders: [...resynced],
    missingFolders: [...missing],
    changes: changes.result(),
    state: stateRecords,
    lastSyncAt,
  };
}

/** A folder as a path segment: well-known folders by name, picked ones by their Graph id. */
function folderSegment(folder: Folder): string {
  return folder.startsWith("folder:") ? encodeURIComponent(folder.slice("folder:".length)) : folder;
}

/** A page edge: the message's id (its JSON when it has none) and its receivedDateTime (NaN when unreadable). */
function edgeOf(item: unknown): PageEdge {
  const o = (item !== null && typeof item === "object" ? item : {}) as {
    id?: unknown;
    receivedDateTime?: unknown;
  };
  return {
    key: typeof o.id === "string" && o.id ? o.id : JSON.stringify(item),
    time: parseGraphInstant(o.receivedDateTime) ?? NaN,
  };
}

/** The first request of a folder's delta chain: messages received at or after the seam. */
function firstDeltaUrl(folder: Folder, deltaFrom: string): string {
  return (
    `/me/mailFolders/${folderSegment(folder)}/messages/delta?$select=${SYNC_FIELDS.join(",")}` +
    `&$expand=${encodeURIComponent(SYNC_EXPAND)}` +
    `&$filter=${encodeURIComponent(`receivedDateTime ge ${deltaFrom}`)}`
  );
}
