// The sync planner: every decision of the sync engine that needs no I/O and no clock of its own (`now` and the
// wall clock come in as numbers). Where each folder's window starts, where the delta seam sits, which ranges are
// still to list (after a kill, a wider or narrower window, or the weekly relist), how the $skip pages of a range are
// issued and joined (consecutive pages overlap by one message; when they do not meet, the gap is listed again),
// and how a delta page is read (its items in the order Graph sent them).
import type { Folder } from "../core/message";
import type { FolderSyncState, ListRange } from "../store/cacheStore";

export const DAY_MS = 86_400_000;
/** Repairs of repairs beyond this mean the folder will not hold still: the sync stops and can be run again. */
export const MAX_REPAIR_DEPTH = 8;

/** Epoch ms as Graph's ISO form. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** Where the synced window starts: windowDays before now, plus two days so time zones never cut a day short. */
export function windowStartOf(now: number, windowDays: number): number {
  return now - (windowDays + 2) * DAY_MS;
}

/** How a folder's sync is planned from the options of this run. */
export interface FolderPlanInput {
  readonly folder: Folder;
  readonly windowStart: number;
  /** The wall clock now (for the seam and the relist), ms. */
  readonly wallNow: number;
  /** How far before wallNow a new seam sits. */
  readonly seamMarginMs: number;
  /** How long a listing of the window before the seam holds. */
  readonly relistAfterMs: number;
}

/** What a run does with one folder. */
export interface FolderPlan {
  readonly state: FolderSyncState;
  /** Whether this run lists the window before the seam again and then drops what it no longer saw. */
  readonly relist: boolean;
  /** Whether `state` differs from the stored one (the run stores it before anything else). */
  readonly changed: boolean;
}

/** A folder seen for the first time: the window before the seam is listed, the delta follows from the seam. */
export function freshFolderState(input: FolderPlanInput, totalItemCount: number | null): FolderSyncState {
  const { folder, windowStart, wallNow, seamMarginMs } = input;
  const seam = Math.max(windowStart, wallNow - seamMarginMs);
  return {
    folder,
    windowStart: iso(windowStart),
    deltaFrom: iso(seam),
    pendingRanges: seam > windowStart ? [{ from: iso(windowStart), to: iso(seam) }] : [],
    deltaNextLink: null,
    deltaLink: null,
    deltaFirstRoundCount: 0,
    totalItemCount,
    skipped: {},
    listedAt: iso(wallNow),
  };
}

/** Listing done and a deltaLink held (a delta round may still be mid-way: that is incremental work). */
export function isComplete(state: FolderSyncState | null): boolean {
  return state !== null && state.pendingRanges.length === 0 && state.deltaLink !== null;
}

/** Ranges cut to start at `windowStart`; those wholly before it go. */
export function clipRanges(ranges: readonly ListRange[], windowStart: number): ListRange[] {
  const out: ListRange[] = [];
  for (const range of ranges) {
    const from = Math.max(Date.parse(range.from), windowStart);
    if (from < Date.parse(range.to)) out.push({ from: iso(from), to: range.to });
  }
  return out;
}

/**
 * Plans one folder. A wider window lists the newly covered span [new start, old start); a narrower one (or time
 * moving on) cuts the ranges still to list (the store drops the older mail); a complete listing older than
 * relistAfterMs is done again.
 */
export function planFolder(stored: FolderSyncState | null, input: FolderPlanInput): FolderPlan {
  if (stored === null) return { state: freshFolderState(input, null), relist: false, changed: true };
  const { windowStart, wallNow, relistAfterMs } = input;
  const oldStart = Date.parse(stored.windowStart);
  let state = stored;
  let changed = false;
  if (windowStart < oldStart) {
    state = {
      ...state,
      windowStart: iso(windowStart),
      pendingRanges: [...state.pendingRanges, { from: iso(windowStart), to: stored.windowStart }],
    };
    changed = true;
  } else if (windowStart > oldStart) {
    state = {
      ...state,
      windowStart: iso(windowStart),
      pendingRanges: clipRanges(state.pendingRanges, windowStart),
    };
    changed = true;
  }
  if (isComplete(state) && wallNow - Date.parse(state.listedAt ?? state.deltaFrom) >= relistAfterMs) {
    // listedAt moves on only once that listing has finished within one run, so an interrupted one starts over.
    const seam = Date.parse(state.deltaFrom);
    const pendingRanges = seam > windowStart ? [{ from: state.windowStart, to: state.deltaFrom }] : [];
    return { state: { ...state, pendingRanges }, relist: true, changed: true };
  }
  return { state, relist: false, changed };
}

// --- listing a range in $skip pages ----------------------------------------------------------------------------

/** Where a listed page starts or ends: the message's id (or its JSON, lacking one) and its receivedDateTime. */
export interface PageEdge {
  readonly key: string;
  readonly time: number;
}

/** What a listing keeps of a page: its two ends, and whether Graph said more follows. */
export interface PageEdges {
  readonly first: PageEdge | null;
  readonly last: PageEdge | null;
  readonly hasNext: boolean;
}

/** A page as it arrived, reduced to what the planner needs. */
export interface PageSummary extends PageEdges {
  /** Messages on the page. */
  readonly length: number;
  /** @odata.count, when Graph sent it (page 0 asks for it). */
  readonly count?: number;
}

/**
 * One range being listed, newest first, as $skip pages that overlap by one message (in memory only: the store keeps
 * the range, narrowed to what is not yet certain).
 */
export interface ListTask {
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

/** A range about to be listed. */
export function newListTask(range: ListRange, epoch: number, depth: number): ListTask {
  return {
    range: { from: range.from, to: range.to },
    epoch,
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

/** A task is listed once every page up to the first without a nextLink has arrived and met the one before it. */
export function isListed(task: ListTask): boolean {
  return task.end !== null && task.joined > task.end;
}

/** Whether another page of the task can be asked for now (page 0 first; the rest once its size is known). */
export function canIssue(task: ListTask): boolean {
  if (task.issued === 0) return true;
  return task.stride !== null && task.issued < task.known && (task.end === null || task.issued <= task.end);
}

/** The $skip of a page: pages after the first start one message early, so each meets the one before. */
export function skipOf(task: ListTask, page: number, pageSize: number): number {
  return page * (task.stride ?? pageSize);
}

/** What of a task is not yet certain: its range, narrowed past the pages joined so far (ties listed again). */
export function pendingOf(task: ListTask): ListRange {
  const last = task.joined > 0 ? task.pages[task.joined - 1]?.last : undefined;
  if (!last || !Number.isFinite(last.time)) return task.range;
  const to = Math.min(Date.parse(task.range.to), last.time + 1);
  return to > Date.parse(task.range.from) ? { from: task.range.from, to: iso(to) } : task.range;
}

/** Two consecutive pages should share a message; when they do not, the mail moved: the span to list again. */
export function gapBetween(task: ListTask, before: PageEdges, after: PageEdges): ListRange | null {
  if (!task.overlap || (after.first && before.last && after.first.key === before.last.key)) return null;
  const from = Date.parse(task.range.from);
  const to = Date.parse(task.range.to);
  // Whatever was skipped lies between the two ends in time; after an empty page, it is everything older.
  const a = before.last?.time ?? to - 1;
  const b = after.first?.time ?? from;
  const lo = Number.isFinite(a) && Number.isFinite(b) ? Math.max(from, Math.min(a, b)) : from;
  const hi = Number.isFinite(a) && Number.isFinite(b) ? Math.min(to, Math.max(a, b) + 1) : to;
  return { from: iso(lo), to: iso(hi) };
}

/** A page arrived: what must be listed again because pages did not meet, and whether the task is listed. */
export interface PageOutcome {
  readonly repairs: readonly ListRange[];
  readonly listed: boolean;
}

/** Records page `page` of a task (in place) and joins every page that can now be joined. */
export function recordPage(task: ListTask, page: number, summary: PageSummary): PageOutcome {
  if (page === 0) {
    // Graph's page size as it applied it; later pages start one message early, so each meets the one before.
    task.overlap = summary.hasNext && summary.length >= 2;
    task.stride = task.overlap ? summary.length - 1 : Math.max(1, summary.length);
    const count = summary.count;
    if (summary.hasNext && count !== undefined && Number.isInteger(count) && count > summary.length) {
      task.known = Math.max(task.known, 1 + Math.ceil((count - summary.length) / task.stride));
    }
  }
  if (summary.hasNext) task.known = Math.max(task.known, page + 2);
  else task.end = Math.min(task.end ?? page, page);
  task.pages[page] = { first: summary.first, last: summary.last, hasNext: summary.hasNext };
  const repairs: ListRange[] = [];
  while (!isListed(task) && task.pages[task.joined] !== undefined) {
    const j = task.joined;
    if (j > 0) {
      const gap = gapBetween(task, task.pages[j - 1] as PageEdges, task.pages[j] as PageEdges);
      if (gap) repairs.push(gap);
    }
    task.joined++;
  }
  return { repairs, listed: isListed(task) };
}

// --- choosing the next request --------------------------------------------------------------------------------

/** What one folder's run has going, as far as choosing the next request goes. */
export interface FolderWork {
  readonly tasks: readonly ListTask[];
  readonly deltaDone: boolean;
  readonly deltaBusy: boolean;
  readonly gone: boolean;
}

/** The next request: a page of a folder's range, one of the waiting head requests, or a folder's delta step. */
export type NextWork =
  | { readonly kind: "page"; readonly folder: number; readonly task: ListTask }
  | { readonly kind: "head" }
  | { readonly kind: "delta"; readonly folder: number };

/**
 * Page 0 of a range goes first (its @odata.count lets the rest of the range go out at once), then the waiting
 * head requests (folder sizes), then the delta chains (one step at a time per folder), then the remaining pages of
 * the range with the most left; null when nothing can start now.
 */
export function nextWork(folders: readonly FolderWork[], headsWaiting: boolean): NextWork | null {
  for (const [folder, run] of folders.entries())
    if (!run.gone) for (const task of run.tasks) if (task.issued === 0) return { kind: "page", folder, task };
  if (headsWaiting) return { kind: "head" };
  for (const [folder, run] of folders.entries())
    if (!run.gone && !run.deltaDone && !run.deltaBusy) return { kind: "delta", folder };
  let best: { folder: number; task: ListTask } | null = null;
  for (const [folder, run] of folders.entries()) {
    if (run.gone) continue;
    for (const task of run.tasks)
      if (canIssue(task) && (!best || task.known - task.issued > best.task.known - best.task.issued))
        best = { folder, task };
  }
  return best ? { kind: "page", ...best } : null;
}

// --- delta pages -----------------------------------------------------------------------------------------------

/** A delta page read in Graph's order: each id's last word wins (added then removed in one page is removed). */
export interface DeltaPageItems {
  readonly upserts: readonly unknown[];
  readonly removedIds: readonly string[];
}

/** Folds a delta page's items in the order Graph sent them. */
export function foldDeltaItems(items: readonly unknown[]): DeltaPageItems {
  const last = new Map<string, unknown>();
  const removed = Symbol("removed");
  const anonymous: unknown[] = [];
  for (const item of items) {
    const o = (item ?? {}) as { "@removed"?: unknown; id?: unknown };
    const id = typeof o.id === "string" ? o.id : null;
    if (id === null) {
      anonymous.push(item); // the mapper counts it as skipped
      continue;
    }
    last.delete(id); // re-inserted below, so the order is that of each id's last item
    last.set(id, o["@removed"] ? removed : item);
  }
  const upserts: unknown[] = [...anonymous];
  const removedIds: string[] = [];
  for (const [id, item] of last) {
    if (item === removed) removedIds.push(id);
    else upserts.push(item);
  }
  return { upserts, removedIds };
}
