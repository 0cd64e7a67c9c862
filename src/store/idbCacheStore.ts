// The task pane's CacheStore: IndexedDB through idb. A page and the folder's new sync position are written in one
// transaction, so a pane closed mid-sync resumes from the last page stored. User state is one record per entry
// (keyed by entryKey), each change a read-modify-write of that record alone, so two panes never undo each other.
import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import type { Folder, Instant, MailMessage, Me } from "../core/message";
import { instant } from "../core/message";
import type { UserState } from "../core/userState";
import { entriesFromUserState, entryKey, type StateEntry } from "../core/userStateEntries";
import type { CacheStore, FolderSyncState, MessageKey, PageChange } from "./cacheStore";
import { entriesToSave, supersede, userStateOf } from "./userStateRecords";

interface CacheSchema extends DBSchema {
  messages: { key: [string, string]; value: MailMessage; indexes: { receivedAt: number } };
  folders: { key: string; value: FolderSyncState };
  meta: { key: string; value: unknown };
  stateEntries: { key: string; value: StateEntry };
}

/**
 * 1: the stores; 2: messages indexed on receivedAt, so ageing reads only the mail that left the window; 3: user
 * state as one record per entry (the old single object is migrated and kept under USER_STATE_BEFORE_ENTRIES).
 */
const VERSION = 3;
const USER_STATE_BEFORE_ENTRIES = "userStateBeforeEntries";

/** All of one folder's messages: keys are [folder, id], and arrays sort after strings. */
const folderRange = (folder: Folder): IDBKeyRange => IDBKeyRange.bound([folder], [folder, []]);

/**
 * The database of one mailbox's cache: the pane passes the signed-in mailbox's address
 * (Office.context.mailbox.userProfile.emailAddress), so two accounts in one Outlook never share a cache.
 */
export function cacheDatabaseName(mailboxAddress: string, prefix = "rekindle-cache"): string {
  const user = mailboxAddress.trim().toLowerCase();
  if (!user) throw new RangeError("a mailbox address is needed to name its cache");
  return `${prefix}:${user}`;
}

export class IdbCacheStore implements CacheStore {
  private constructor(private readonly db: IDBPDatabase<CacheSchema>) {}

  /** Opens (creating when needed) the cache database; one per signed-in user is the caller's choice of name. */
  static async open(name = "rekindle-cache"): Promise<IdbCacheStore> {
    const db = await openDB<CacheSchema>(name, VERSION, {
      upgrade(database, oldVersion, _newVersion, tx) {
        if (oldVersion < 1) {
          database.createObjectStore("messages", { keyPath: ["folder", "id"] });
          database.createObjectStore("folders", { keyPath: "folder" });
          database.createObjectStore("meta");
        }
        if (oldVersion < 2) tx.objectStore("messages").createIndex("receivedAt", "receivedAt");
        if (oldVersion < 3) {
          const entries = database.createObjectStore("stateEntries");
          // Inside the upgrade transaction: the migration happens once, wholly or not at all.
          const meta = tx.objectStore("meta");
          void meta.get("userState").then(async (old) => {
            if (old === undefined) return;
            const at = instant(Date.now());
            for (const e of entriesFromUserState(old as UserState, at)) await entries.put(e, entryKey(e));
            await meta.put(old, USER_STATE_BEFORE_ENTRIES);
            await meta.delete("userState");
          });
        }
      },
      // A newer Rekindle (another pane, after an update) wants to upgrade the database: let it, rather than block it.
      blocking() {
        db.close();
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
  async getMessages(folder: Folder, ids: readonly string[]): Promise<Map<string, MailMessage>> {
    const tx = this.db.transaction("messages");
    const found = await Promise.all(ids.map((id) => tx.store.get([folder, id])));
    await tx.done;
    const out = new Map<string, MailMessage>();
    found.forEach((m, i) => {
      if (m) out.set(ids[i] as string, m);
    });
    return out;
  }
  async dropReceivedBefore(before: Instant): Promise<MessageKey[]> {
    const tx = this.db.transaction("messages", "readwrite");
    const dropped: MessageKey[] = [];
    let cursor = await tx.store.index("receivedAt").openCursor(IDBKeyRange.upperBound(before, true));
    while (cursor) {
      dropped.push({ folder: cursor.value.folder, id: cursor.value.id });
      await cursor.delete();
      cursor = await cursor.continue();
    }
    await tx.done;
    return dropped;
  }
  async syncedFolders(): Promise<Folder[]> {
    return (await this.db.getAllKeys("folders")) as Folder[];
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
    return userStateOf(await this.loadStateEntries());
  }
  async saveUserState(state: UserState): Promise<void> {
    const tx = this.db.transaction("stateEntries", "readwrite");
    const stored = await tx.store.getAll();
    const changes = entriesToSave(stored, state, instant(Date.now()));
    const current = new Map(stored.map((e) => [entryKey(e), e]));
    await Promise.all([
      ...changes.map((e) => tx.store.put(supersede(current.get(entryKey(e)), e), entryKey(e))),
      tx.done,
    ]);
  }
  async loadStateEntries(): Promise<StateEntry[]> {
    return this.db.getAll("stateEntries");
  }
  async putStateEntry(entry: StateEntry): Promise<StateEntry> {
    const key = entryKey(entry);
    const tx = this.db.transaction("stateEntries", "readwrite");
    const winner = supersede(await tx.store.get(key), entry);
    await Promise.all([tx.store.put(winner, key), tx.done]);
    return winner;
  }
  async close(): Promise<void> {
    this.db.close();
  }
}
