// The task pane's CacheStore: IndexedDB through idb. A page and the folder's new sync position are written in one
// transaction, so a pane closed mid-sync resumes from the last page stored.
import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import type { Folder, Instant, MailMessage, Me } from "../core/message";
import { EMPTY_USER_STATE, type UserState } from "../core/userState";
import type { CacheStore, FolderSyncState, PageChange } from "./cacheStore";

interface CacheSchema extends DBSchema {
  messages: { key: [string, string]; value: MailMessage };
  folders: { key: string; value: FolderSyncState };
  meta: { key: string; value: unknown };
}

const VERSION = 1;

/** All of one folder's messages: keys are [folder, id], and arrays sort after strings. */
const folderRange = (folder: Folder): IDBKeyRange => IDBKeyRange.bound([folder], [folder, []]);

export class IdbCacheStore implements CacheStore {
  private constructor(private readonly db: IDBPDatabase<CacheSchema>) {}

  /** Opens (creating when needed) the cache database; one per signed-in user is the caller's choice of name. */
  static async open(name = "rekindle-cache"): Promise<IdbCacheStore> {
    const db = await openDB<CacheSchema>(name, VERSION, {
      upgrade(database) {
        database.createObjectStore("messages", { keyPath: ["folder", "id"] });
        database.createObjectStore("folders", { keyPath: "folder" });
        database.createObjectStore("meta");
      },
    });
    return new IdbCacheStore(db);
  }

  async loadMessages(): Promise<MailMessage[]> {
    return this.db.getAll("messages");
  }
  async countMessages(): Promise<number> {
    return this.db.count("messages");
  }
  async loadMe(): Promise<Me | null> {
    return ((await this.db.get("meta", "me")) as Me | undefined) ?? null;
  }
  async saveMe(me: Me): Promise<void> {
    await this.db.put("meta", me, "me");
  }
  async loadSyncState(folder: Folder): Promise<FolderSyncState | null> {
    return (await this.db.get("folders", folder)) ?? null;
  }
  async applyPage(change: PageChange): Promise<void> {
    const tx = this.db.transaction(["messages", "folders"], "readwrite");
    const messages = tx.objectStore("messages");
    const work: Promise<unknown>[] = [];
    for (const id of change.removedIds) work.push(messages.delete([change.folder, id]));
    for (const message of change.upserts) work.push(messages.put(message));
    work.push(tx.objectStore("folders").put(change.state));
    await Promise.all([...work, tx.done]);
  }
  async resetFolder(folder: Folder): Promise<void> {
    const tx = this.db.transaction(["messages", "folders"], "readwrite");
    await Promise.all([
      tx.objectStore("messages").delete(folderRange(folder)),
      tx.objectStore("folders").delete(folder),
      tx.done,
    ]);
  }
  async lastSyncAt(): Promise<Instant | null> {
    return ((await this.db.get("meta", "lastSyncAt")) as Instant | undefined) ?? null;
  }
  async setLastSyncAt(at: Instant): Promise<void> {
    await this.db.put("meta", at, "lastSyncAt");
  }
  async loadUserState(): Promise<UserState> {
    return ((await this.db.get("meta", "userState")) as UserState | undefined) ?? EMPTY_USER_STATE;
  }
  async saveUserState(state: UserState): Promise<void> {
    await this.db.put("meta", state, "userState");
  }
  async close(): Promise<void> {
    this.db.close();
  }
}
