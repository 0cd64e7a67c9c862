// The CacheStore in memory: the CLI without --cache, tests, and the base of the file-backed store.
import type { Folder, Instant, MailMessage, Me } from "../core/message";
import { EMPTY_USER_STATE, type UserState } from "../core/userState";
import type { CacheStore, FolderSyncState, PageChange } from "./cacheStore";

/** Everything a CacheStore holds; messages by id per folder. */
export interface CacheSnapshot {
  me: Me | null;
  lastSyncAt: Instant | null;
  userState: UserState;
  folders: Record<Folder, { state: FolderSyncState | null; messages: Map<string, MailMessage> }>;
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

/** Applies one page to a snapshot in place (shared by the memory store and the file journal's replay). */
export function applyPageToSnapshot(snapshot: CacheSnapshot, change: PageChange): void {
  const folder = snapshot.folders[change.folder];
  for (const id of change.removedIds) folder.messages.delete(id);
  for (const message of change.upserts) folder.messages.set(message.id, message);
  folder.state = change.state;
}

export class MemoryCacheStore implements CacheStore {
  protected snapshot: CacheSnapshot;

  constructor(initial?: CacheSnapshot) {
    this.snapshot = initial ?? emptySnapshot();
  }

  async loadMessages(): Promise<MailMessage[]> {
    return [
      ...this.snapshot.folders.sentitems.messages.values(),
      ...this.snapshot.folders.inbox.messages.values(),
    ];
  }
  async countMessages(): Promise<number> {
    return this.snapshot.folders.sentitems.messages.size + this.snapshot.folders.inbox.messages.size;
  }
  async loadMe(): Promise<Me | null> {
    return this.snapshot.me;
  }
  async saveMe(me: Me): Promise<void> {
    this.snapshot.me = me;
  }
  async loadSyncState(folder: Folder): Promise<FolderSyncState | null> {
    return this.snapshot.folders[folder].state;
  }
  async applyPage(change: PageChange): Promise<void> {
    applyPageToSnapshot(this.snapshot, change);
  }
  async resetFolder(folder: Folder): Promise<void> {
    this.snapshot.folders[folder] = { state: null, messages: new Map() };
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
  }
  async close(): Promise<void> {}
}
