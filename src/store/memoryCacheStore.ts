// The CacheStore in memory: the CLI without --cache, tests, and the base of the file-backed store.
import type { Folder, Instant, MailMessage, Me } from "../core/message";
import { instant } from "../core/message";
import { EMPTY_USER_STATE, type UserState } from "../core/userState";
import { entriesFromUserState, entryKey, type StateEntry } from "../core/userStateEntries";
import { supersede, userStateOf } from "./userStateRecords";
import type { AppliedPage, CacheStore, FolderSyncState, MessageKey, PageChange } from "./cacheStore";
import { ReceivedAtIndex } from "./receivedAtIndex";

/** One folder's part of the cache: its sync position and its messages by id. */
export interface FolderCache {
  state: FolderSyncState | null;
  messages: Map<string, MailMessage>;
}

/** Everything a CacheStore holds; messages by id per folder (Sent Items and Inbox always present). */
export interface CacheSnapshot {
  me: Me | null;
  lastSyncAt: Instant | null;
  userState: UserState;
  folders: Partial<Record<Folder, FolderCache>> & Record<"sentitems" | "inbox", FolderCache>;
}

/** An empty snapshot. */
export function emptySnapshot(): CacheSnapshot {
  return {
    me: null,
    lastSyncAt: null,
    userState: EMPTY_USER_STATE,
    folders: { sentitems: { state: null, messages: new Map() }, inbox: { state: null, messages: new Map() } },
  };
}

/** A folder's part of a snapshot, created empty when the folder is new. */
export function folderCacheOf(snapshot: CacheSnapshot, folder: Folder): FolderCache {
  let cache = snapshot.folders[folder];
  if (!cache) {
    cache = { state: null, messages: new Map() };
    snapshot.folders[folder] = cache;
  }
  return cache;
}

/**
 * Applies one page to a snapshot in place (shared by the memory store and the file journal's replay); returns the
 * messages it replaced or removed, as they were.
 */
export function applyPageToSnapshot(snapshot: CacheSnapshot, change: PageChange): Map<string, MailMessage> {
  const folder = folderCacheOf(snapshot, change.folder);
  const before = new Map<string, MailMessage>();
  const keep = (id: string) => {
    const old = folder.messages.get(id);
    if (old !== undefined && !before.has(id)) before.set(id, old);
  };
  for (const id of change.removedIds) {
    keep(id);
    folder.messages.delete(id);
  }
  for (const message of change.upserts) {
    keep(message.id);
    folder.messages.set(message.id, message);
  }
  folder.state = change.state;
  return before;
}

const folderCaches = (snapshot: CacheSnapshot): [Folder, FolderCache][] =>
  Object.entries(snapshot.folders) as [Folder, FolderCache][];

export class MemoryCacheStore implements CacheStore {
  protected snapshot: CacheSnapshot;
  /**
   * Built at the second ageing of this store's life, then kept up to date by applyPage. The first ageing reads the
   * messages once instead: a CLI run ages once, right after reading the whole cache file, and a first sync into
   * an empty cache need not carry an index of what it stores.
   */
  private byReceivedAt: ReceivedAtIndex | null = null;
  private agedOnce = false;
  /** The entries behind snapshot.userState, tombstones included; derived afresh after a whole-state save. */
  private entries: StateEntry[] | null = null;

  constructor(initial?: CacheSnapshot) {
    this.snapshot = initial ?? emptySnapshot();
  }

  async loadMessages(): Promise<MailMessage[]> {
    return folderCaches(this.snapshot).flatMap(([, cache]) => [...cache.messages.values()]);
  }
  async countMessages(): Promise<number> {
    let n = 0;
    for (const [, cache] of folderCaches(this.snapshot)) n += cache.messages.size;
    return n;
  }
  async getMessages(folder: Folder, ids: readonly string[]): Promise<Map<string, MailMessage>> {
    const messages = this.snapshot.folders[folder]?.messages;
    const found = new Map<string, MailMessage>();
    if (messages)
      for (const id of ids) {
        const m = messages.get(id);
        if (m) found.set(id, m);
      }
    return found;
  }
  async dropReceivedBefore(before: Instant): Promise<MessageKey[]> {
    if (!this.agedOnce && !this.byReceivedAt) {
      this.agedOnce = true;
      const dropped: MessageKey[] = [];
      for (const [folder, cache] of folderCaches(this.snapshot))
        for (const [id, m] of cache.messages)
          if (m.receivedAt < before) {
            cache.messages.delete(id);
            dropped.push({ folder, id });
          }
      return dropped;
    }
    const index = this.receivedAtIndex();
    const dropped: MessageKey[] = [];
    for (const entry of index.takeBefore(before)) {
      const folder = entry.folder as Folder;
      const messages = this.snapshot.folders[folder]?.messages;
      // Stale entries (the message changed, moved or went) are skipped.
      if (messages?.get(entry.id)?.receivedAt !== entry.at) continue;
      messages.delete(entry.id);
      dropped.push({ folder, id: entry.id });
    }
    return dropped;
  }
  async syncedFolders(): Promise<Folder[]> {
    return folderCaches(this.snapshot)
      .filter(([, cache]) => cache.state !== null)
      .map(([folder]) => folder);
  }
  async loadMe(): Promise<Me | null> {
    return this.snapshot.me;
  }
  async saveMe(me: Me): Promise<void> {
    this.snapshot.me = me;
  }
  async loadSyncState(folder: Folder): Promise<FolderSyncState | null> {
    return this.snapshot.folders[folder]?.state ?? null;
  }
  async applyPage(change: PageChange): Promise<AppliedPage> {
    const before = applyPageToSnapshot(this.snapshot, change);
    const count = await this.countMessages();
    const index = this.byReceivedAt;
    if (index) {
      for (const m of change.upserts) index.add({ at: m.receivedAt, folder: m.folder, id: m.id });
      // Changed messages leave stale entries behind: start afresh once they outnumber the messages.
      if (index.size > 2 * count + 1024) this.byReceivedAt = null;
    }
    return { before, count };
  }
  async resetFolder(folder: Folder): Promise<void> {
    if (folder === "sentitems" || folder === "inbox")
      this.snapshot.folders[folder] = { state: null, messages: new Map() };
    else delete this.snapshot.folders[folder];
  }
  async lastSyncAt(): Promise<Instant | null> {
    return this.snapshot.lastSyncAt;
  }
  async setLastSyncAt(at: Instant): Promise<void> {
    this.snapshot.lastSyncAt = at;
  }
  async loadUserState(): Promise<UserState> {
    return this.snapshot.userState;
  }
  async saveUserState(state: UserState): Promise<void> {
    this.snapshot.userState = state;
    this.entries = null;
  }
  async loadStateEntries(): Promise<StateEntry[]> {
    this.entries ??= entriesFromUserState(this.snapshot.userState, instant(this.snapshot.lastSyncAt ?? 0));
    return this.entries;
  }
  async putStateEntry(entry: StateEntry): Promise<StateEntry> {
    const entries = await this.loadStateEntries();
    const stored = entries.find((e) => entryKey(e) === entryKey(entry));
    const winner = supersede(stored, entry);
    const merged = [...entries.filter((e) => entryKey(e) !== entryKey(entry)), winner];
    // Through saveUserState, so a file-backed store journals it.
    await this.saveUserState(userStateOf(merged));
    this.entries = merged;
    return winner;
  }
  async close(): Promise<void> {}

  /** The receivedAt index, built from the snapshot once (a cache read from a file starts without one). */
  private receivedAtIndex(): ReceivedAtIndex {
    if (!this.byReceivedAt) {
      const index = new ReceivedAtIndex();
      for (const [folder, cache] of folderCaches(this.snapshot))
        for (const m of cache.messages.values()) index.add({ at: m.receivedAt, folder, id: m.id });
      this.byReceivedAt = index;
    }
    return this.byReceivedAt;
  }
}
