// The local cache behind one interface: IndexedDB in the task pane (idbCacheStore), memory plus an optional
// append-only JSON journal in the CLI (memoryCacheStore / fileCacheStore). The sync engine (src/graph/mailSync.ts)
// writes one page at a time through applyPage, so a sync killed at any point resumes from the last page stored.
import type { Folder, Instant, MailMessage, Me } from "../core/message";
import type { UserState } from "../core/userState";
import type { StateEntry } from "../core/userStateEntries";

/** Counts of skipped Graph messages by reason (same shape as mapMessage's SkipCounts). */
export type SkippedCounts = Readonly<Record<string, number>>;

/** A slice of the window still to list during the first sync: receivedDateTime in [from, to), ISO 8601. */
export interface ListRange {
  readonly from: string;
  readonly to: string;
}

/** Where one folder's sync stands; persisted with every page so a sync can resume. */
export interface FolderSyncState {
  readonly folder: Folder;
  /** Start of the sync window (receivedDateTime ge), ISO. */
  readonly windowStart: string;
  /** The seam: the listing covers [windowStart, deltaFrom), the delta chain covers receivedDateTime ≥ deltaFrom. */
  readonly deltaFrom: string;
  /** First-sync slices still to list; empty once the listing is complete. */
  readonly pendingRanges: readonly ListRange[];
  /** Mid-round position of the delta chain (an @odata.nextLink), or null between rounds. */
  readonly deltaNextLink: string | null;
  /** The @odata.deltaLink to start the next round from; null until the first round finished. */
  readonly deltaLink: string | null;
  /** Messages the delta chain's first round returned so far (to spot Graph's 5,000 cap on a filtered delta). */
  readonly deltaFirstRoundCount?: number;
  /** totalItemCount of the folder when last read, for progress. */
  readonly totalItemCount: number | null;
  /** Messages Graph returned that could not be mapped, by reason. */
  readonly skipped: SkippedCounts;
  /** When the last complete listing of the window before the seam began (ISO); absent in older caches. */
  readonly listedAt?: string;
}

/** One page's worth of changes, applied atomically together with the folder's new sync state. */
export interface PageChange {
  readonly folder: Folder;
  readonly upserts: readonly MailMessage[];
  /** Message ids reported as @removed (or moved out of the folder). */
  readonly removedIds: readonly string[];
  readonly state: FolderSyncState;
}

/** A cached message named by its key. */
export interface MessageKey {
  readonly folder: Folder;
  readonly id: string;
}

/** The local cache of the user's mail, sync positions and user state. */
/** What storing a page did. */
export interface AppliedPage {
  /** The messages of the folder the page upserted or removed, as they were before it (by id): absent were new. */
  readonly before: ReadonlyMap<string, MailMessage>;
  /** Messages in the cache after the page. */
  readonly count: number;
}

export interface CacheStore {
  /** Every cached message of every folder, keyed (folder, id). */
  loadMessages(): Promise<MailMessage[]>;
  /** How many messages the cache holds (every folder). */
  countMessages(): Promise<number>;
  /** The cached messages of `folder` among `ids` (tells an added message from a changed one). */
  getMessages(folder: Folder, ids: readonly string[]): Promise<Map<string, MailMessage>>;
  /**
   * Drops every message received before `before` (it left the sync window) and returns their keys. Cheap when
   * nothing is that old: stores keep an index on receivedAt rather than reading the whole cache.
   */
  dropReceivedBefore(before: Instant): Promise<MessageKey[]>;
  /** The folders that have a sync state. */
  syncedFolders(): Promise<Folder[]>;
  loadMe(): Promise<Me | null>;
  saveMe(me: Me): Promise<void>;
  loadSyncState(folder: Folder): Promise<FolderSyncState | null>;
  /**
   * Stores a page: upserts and removals within `folder`, and the folder's sync state, all or nothing. Says what the
   * page replaced, so a sync tells added from changed mail without reading the page's messages first.
   */
  applyPage(change: PageChange): Promise<AppliedPage>;
  /** Forgets one folder's messages and sync state (a 410 full resync). User state is never touched. */
  resetFolder(folder: Folder): Promise<void>;
  lastSyncAt(): Promise<Instant | null>;
  /** Marks a finished sync; file-backed stores also compact themselves here. */
  setLastSyncAt(at: Instant): Promise<void>;
  /** Snoozes, closed files and logged attempts: never derived from mail, never dropped by a resync. */
  loadUserState(): Promise<UserState>;
  /** Replaces the whole state; prefer putStateEntry, which cannot undo another pane's change. */
  saveUserState(state: UserState): Promise<void>;
  /** Every user-state entry, tombstones included (what two copies merge). */
  loadStateEntries(): Promise<StateEntry[]>;
  /**
   * Read-modify-write of one entry's record: the newer wins; a stored one as new or newer is superseded by bumping
   * the new entry's `at` (a decision made now wins even if the clock did not move). Returns the entry as stored.
   */
  putStateEntry(entry: StateEntry): Promise<StateEntry>;
  close(): Promise<void>;
}
