// The task pane's CacheStore: IndexedDB through idb. Messages are stored as pages (up to PAGE_SIZE per record), and
// a synced page and the folder's new sync position are written in one transaction, so a pane closed mid-sync
// resumes from the last page stored. The store keeps a copy of the pages it read, checked against a generation
// counter at the start of every transaction, so another pane's writes are seen and never overwritten. User state is one record per entry
// (keyed by entryKey), each change a read-modify-write of that record alone, so two panes never undo each other.
import { type DBSchema, type IDBPDatabase, type IDBPTransaction, openDB } from "idb";
import type { Folder, Instant, MailMessage, Me } from "../core/message";
import { instant } from "../core/message";
import type { UserState } from "../core/userState";
import { entriesFromUserState, entryKey, mergeEntries, type StateEntry } from "../core/userStateEntries";
import type { AppliedPage, CacheStore, FolderSyncState, MessageKey, PageChange } from "./cacheStore";
import { entriesToSave, supersede, userStateOf } from "./userStateRecords";

/** Up to PAGE_SIZE messages of one folder, stored as one record (one structured clone instead of a thousand). */
interface PageRecord {
  readonly folder: Folder;
  readonly messages: readonly MailMessage[];
}

interface CacheSchema extends DBSchema {
  pages: { key: number; value: PageRecord };
  folders: { key: string; value: FolderSyncState };
  meta: { key: string; value: unknown };
  stateEntries: { key: string; value: StateEntry };
}

/** The layout before version 4: one record per message (only read, to migrate it). */
interface OldMessagesSchema extends DBSchema {
  messages: { key: [string, string]; value: MailMessage };
}

/**
 * 1: the stores; 2: messages indexed on receivedAt, so ageing reads only the mail that left the window; 3: user
 * state as one record per entry (the old single object is migrated and kept under USER_STATE_BEFORE_ENTRIES);
 * 4: messages in pages of up to PAGE_SIZE per record instead of one record each (the pane reads 100k messages as
 * about a hundred records), migrated in the upgrade transaction, nothing lost.
 */
const VERSION = 4;
const USER_STATE_BEFORE_ENTRIES = "userStateBeforeEntries";
/** Messages per page record; a page with room takes the next upserts of its folder (small delta pages). */
export const PAGE_SIZE = 1000;
/**
 * Page records per read request when the whole cache is read: each request's records are copied out of IndexedDB
 * and indexed in a task of their own on the pane's thread (about 10-20 ms for 8,000 messages), where one getAll of
 * 100,000 messages, then indexing them, was a 250-310 ms task, just after the kept list was painted, that a click
 * had to wait out.
 */
export const PAGES_PER_READ = 8;
/** Bumped by every write of pages, so a store whose copy is older (another pane wrote) reads the pages again. */
const GENERATION = "pagesGeneration";
/** The pane's last judged list, so it paints before reading the mailbox (not part of CacheStore). */
const JUDGED_LIST = "judgedList";
const ROAMED_LEDGER = "roamedLedger";
const ROAMING_REFUSED = "roamingRefused";

// Typed as read-write for both; a read-only one is only ever read from.
type Tx = IDBPTransaction<CacheSchema, ("pages" | "meta" | "folders")[], "readwrite">;

/** Sorted keys as runs of at most `per` consecutive keys, in order. */
export function keyRuns(keys: readonly number[], per: number): number[][] {
  const runs: number[][] = [];
  for (let i = 0; i < keys.length; i += per) runs.push(keys.slice(i, i + per));
  return runs;
}

/** Splits messages into page records of one folder each, at most PAGE_SIZE messages per page. */
function paginate(messages: readonly MailMessage[]): PageRecord[] {
  const byFolder = new Map<Folder, MailMessage[]>();
  for (const m of messages) {
    let list = byFolder.get(m.folder);
    if (!list) byFolder.set(m.folder, (list = []));
    list.push(m);
  }
  const pages: PageRecord[] = [];
  for (const [folder, list] of byFolder) {
    list.sort((a, b) => b.receivedAt - a.receivedAt);
    for (let i = 0; i < list.length; i += PAGE_SIZE)
      pages.push({ folder, messages: list.slice(i, i + PAGE_SIZE) });
  }
  return pages;
}

const minReceivedAt = (page: PageRecord): number => {
  let min = Infinity;
  for (const m of page.messages) if (m.receivedAt < min) min = m.receivedAt;
  return min;
};

/**
 * The database of one mailbox's cache: the pane passes the signed-in mailbox's address
 * (Office.context.mailbox.userProfile.emailAddress), so two accounts in one Outlook never share a cache.
 */
export function cacheDatabaseName(mailboxAddress: string, prefix = "rekindle-cache"): string {
  const user = mailboxAddress.trim().toLowerCase();
  if (!user) throw new RangeError("a mailbox address is needed to name its cache");
  return `${prefix}:${user}`;
}

/**
 * The messages as this store last read or wrote them: every page, where each message is, and the generation of
 * the pages it reflects. Only ever used inside a transaction that has first checked the generation.
 */
class PageCopy {
  generation: number | null = null;
  readonly pages = new Map<number, PageRecord>();
  readonly min = new Map<number, number>();
  /** folder → id → page key. */
  readonly where = new Map<Folder, Map<string, number>>();
  /** folder → the key of its newest page (the one that takes more messages while it has room). */
  readonly tail = new Map<Folder, number>();
  count = 0;
  nextKey = 1;

  ids(folder: Folder): Map<string, number> {
    let ids = this.where.get(folder);
    if (!ids) this.where.set(folder, (ids = new Map()));
    return ids;
  }

  set(key: number, page: PageRecord): void {
    const old = this.pages.get(key);
    if (old) {
      this.count -= old.messages.length;
      const ids = this.ids(old.folder);
      for (const m of old.messages) if (ids.get(m.id) === key) ids.delete(m.id);
    }
    this.pages.set(key, page);
    this.min.set(key, minReceivedAt(page));
    this.count += page.messages.length;
    const ids = this.ids(page.folder);
    for (const m of page.messages) ids.set(m.id, key);
    if (key >= (this.tail.get(page.folder) ?? 0)) this.tail.set(page.folder, key);
    this.nextKey = Math.max(this.nextKey, key + 1);
  }

  delete(key: number): void {
    const old = this.pages.get(key);
    if (!old) return;
    this.count -= old.messages.length;
    const ids = this.ids(old.folder);
    for (const m of old.messages) if (ids.get(m.id) === key) ids.delete(m.id);
    this.pages.delete(key);
    this.min.delete(key);
    if (this.tail.get(old.folder) === key) {
      let tail = -1;
      for (const [k, p] of this.pages) if (p.folder === old.folder && k > tail) tail = k;
      if (tail < 0) this.tail.delete(old.folder);
      else this.tail.set(old.folder, tail);
    }
  }

  all(): MailMessage[] {
    const out: MailMessage[] = [];
    for (const page of this.pages.values()) for (const m of page.messages) out.push(m);
    return out;
  }
}

/**
 * Carries the user state of an older cache database (one named before caches were per mailbox) into `into`: every
 * entry `into` does not have yet, so running it again changes nothing and a newer decision is never undone. The old
 * database is left as it is. Returns how many entries were carried.
 */
export async function carryUserState(fromDatabase: string, into: CacheStore): Promise<number> {
  if (typeof indexedDB.databases === "function") {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes(fromDatabase)) return 0;
  }
  const old = await IdbCacheStore.open(fromDatabase);
  try {
    const have = new Set((await into.loadStateEntries()).map(entryKey));
    let carried = 0;
    for (const entry of await old.loadStateEntries()) {
      if (have.has(entryKey(entry))) continue;
      await into.putStateEntry(entry);
      carried++;
    }
    return carried;
  } finally {
    await old.close();
  }
}

export class IdbCacheStore implements CacheStore {
  private copy = new PageCopy();

  private constructor(
    private readonly db: IDBPDatabase<CacheSchema>,
    private readonly pagesPerRead: number,
  ) {}

  /**
   * Opens (creating when needed) the cache database; one per signed-in user is the caller's choice of name.
   * `pagesPerRead`: see PAGES_PER_READ (smaller in tests, to read a small cache in several requests).
   */
  static async open(
    name = "rekindle-cache",
    { pagesPerRead = PAGES_PER_READ }: { pagesPerRead?: number } = {},
  ): Promise<IdbCacheStore> {
    if (!Number.isInteger(pagesPerRead) || pagesPerRead < 1)
      throw new RangeError(`pagesPerRead must be a whole number of at least 1, not ${pagesPerRead}`);
    const db = await openDB<CacheSchema>(name, VERSION, {
      upgrade(database, oldVersion, _newVersion, tx) {
        if (oldVersion < 1) {
          database.createObjectStore("folders", { keyPath: "folder" });
          database.createObjectStore("meta");
        }
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
        if (oldVersion < 4) {
          const pages = database.createObjectStore("pages");
          if (oldVersion >= 1) {
            // One record per message becomes pages of up to PAGE_SIZE, in the same transaction: all or nothing.
            const raw = database as unknown as IDBPDatabase<OldMessagesSchema>;
            const oldTx = tx as unknown as IDBPTransaction<OldMessagesSchema, ["messages"], "versionchange">;
            void oldTx
              .objectStore("messages")
              .getAll()
              .then(async (messages) => {
                let key = 1;
                for (const page of paginate(messages)) await pages.put(page, key++);
                raw.deleteObjectStore("messages");
              });
          }
        }
      },
      // A newer Rekindle (another pane, after an update) wants to upgrade the database: let it, rather than block it.
      blocking() {
        db.close();
      },
    });
    return new IdbCacheStore(db, pagesPerRead);
  }

  /** Brings this store's copy of the pages up to date within `tx` (another pane may have written since). */
  private async fresh(tx: Tx): Promise<PageCopy> {
    const generation = ((await tx.objectStore("meta").get(GENERATION)) as number | undefined) ?? 0;
    if (this.copy.generation !== generation) {
      const pages = tx.objectStore("pages");
      const keys = await pages.getAllKeys();
      // Runs of keys, all asked for at once in this transaction, whose answers come in key order: each run's pages
      // are taken into a new copy as they arrive, so it is built in short tasks. It replaces the old copy whole
      // (another read may be filling one at the same time), and a failure leaves the old one as it was.
      const next = new PageCopy();
      await Promise.all(
        keyRuns(keys, this.pagesPerRead).map(async (run) => {
          const values = await pages.getAll(IDBKeyRange.bound(run[0], run[run.length - 1]));
          if (values.length !== run.length)
            throw new Error(
              `The cache gave ${values.length} pages for ${run.length} keys; nothing was changed`,
            );
          run.forEach((key, i) => next.set(key, values[i] as PageRecord));
        }),
      );
      next.generation = generation;
      this.copy = next;
    }
    return this.copy;
  }

  /** A read of the pages: the copy, refreshed first when another store wrote. */
  private async read<T>(answer: (copy: PageCopy) => T): Promise<T> {
    const tx = this.db.transaction(["pages", "meta"], "readonly") as unknown as Tx;
    const copy = await this.fresh(tx);
    const out = answer(copy);
    await tx.done;
    return out;
  }

  /**
   * A write of pages in one transaction with `more` (the folder's state, say): `change` edits the copy through
   * `put`/`remove`, which also queue the records; the generation moves on. A failed write forgets the copy.
   */
  private async write(
    change: (
      copy: PageCopy,
      put: (key: number, page: PageRecord) => void,
      remove: (key: number) => void,
    ) => void,
    more: (tx: Tx) => Promise<unknown>[] = () => [],
  ): Promise<void> {
    const tx = this.db.transaction(["pages", "meta", "folders"], "readwrite") as unknown as Tx;
    try {
      const copy = await this.fresh(tx);
      const pages = tx.objectStore("pages");
      const work: Promise<unknown>[] = [];
      const put = (key: number, page: PageRecord) => {
        if (page.messages.length === 0) return remove(key);
        copy.set(key, page);
        work.push(pages.put(page, key));
      };
      const remove = (key: number) => {
        copy.delete(key);
        work.push(pages.delete(key));
      };
      change(copy, put, remove);
      const generation = (copy.generation ?? 0) + 1;
      copy.generation = generation;
      work.push(tx.objectStore("meta").put(generation, GENERATION), ...more(tx));
      await Promise.all([...work, tx.done]);
    } catch (error) {
      this.copy.generation = null;
      throw error;
    }
  }

  async loadMessages(): Promise<MailMessage[]> {
    return this.read((copy) => copy.all());
  }
  async countMessages(): Promise<number> {
    return this.read((copy) => copy.count);
  }
  async getMessages(folder: Folder, ids: readonly string[]): Promise<Map<string, MailMessage>> {
    return this.read((copy) => {
      const where = copy.where.get(folder);
      const out = new Map<string, MailMessage>();
      if (!where) return out;
      for (const id of ids) {
        const key = where.get(id);
        const m = key === undefined ? undefined : copy.pages.get(key)?.messages.find((x) => x.id === id);
        if (m) out.set(id, m);
      }
      return out;
    });
  }
  async dropReceivedBefore(before: Instant): Promise<MessageKey[]> {
    const dropped: MessageKey[] = [];
    let any = false;
    await this.read((copy) => {
      for (const min of copy.min.values()) if (min < before) any = true;
    });
    if (!any) return dropped; // the usual case: nothing that old, nothing written
    await this.write((copy, put) => {
      for (const [key, min] of [...copy.min]) {
        if (min >= before) continue;
        const page = copy.pages.get(key) as PageRecord;
        const kept: MailMessage[] = [];
        for (const m of page.messages) {
          if (m.receivedAt < before) dropped.push({ folder: m.folder, id: m.id });
          else kept.push(m);
        }
        put(key, { folder: page.folder, messages: kept });
      }
    });
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
  async applyPage(change: PageChange): Promise<AppliedPage> {
    const before = new Map<string, MailMessage>();
    let count = 0;
    await this.write(
      (copy, put) => {
        const where = copy.ids(change.folder);
        // Pages this change edits, each written once: replaced and removed messages in place, new ones appended.
        const edited = new Map<number, Map<string, MailMessage | null>>();
        const edit = (id: string, next: MailMessage | null): boolean => {
          const key = where.get(id);
          if (key === undefined) return false;
          let edits = edited.get(key);
          if (!edits) edited.set(key, (edits = new Map()));
          edits.set(id, next);
          return true;
        };
        // A message stored as it is now needs no write: consecutive pages of a listing overlap by one message, and a
        // relisting returns mostly unchanged mail, so this keeps a page record (~1,000 messages to serialise on the
        // pane's thread) from being written again for nothing.
        const stored = new Map<number, Map<string, MailMessage>>();
        const unchanged = (m: MailMessage): MailMessage | null => {
          const key = where.get(m.id);
          if (key === undefined || edited.get(key)?.has(m.id)) return null;
          let byId = stored.get(key);
          if (!byId) {
            byId = new Map((copy.pages.get(key) as PageRecord).messages.map((x) => [x.id, x]));
            stored.set(key, byId);
          }
          const old = byId.get(m.id);
          return old && JSON.stringify(old) === JSON.stringify(m) ? old : null;
        };
        for (const id of change.removedIds) edit(id, null);
        const added = new Map<string, MailMessage>();
        for (const m of change.upserts) {
          const same = added.has(m.id) ? null : unchanged(m);
          if (same) before.set(m.id, same);
          else if (added.has(m.id)) added.set(m.id, m);
          else if (!edit(m.id, m)) added.set(m.id, m);
        }
        for (const [key, edits] of edited) {
          const page = copy.pages.get(key) as PageRecord;
          const messages: MailMessage[] = [];
          for (const m of page.messages) {
            const next = edits.get(m.id);
            if (next === undefined) messages.push(m);
            else {
              if (!before.has(m.id)) before.set(m.id, m);
              if (next !== null) messages.push(next);
            }
          }
          put(key, { folder: page.folder, messages });
        }
        let fresh = [...added.values()];
        const tailKey = copy.tail.get(change.folder);
        const tail = tailKey === undefined ? undefined : copy.pages.get(tailKey);
        if (
          tail &&
          tailKey !== undefined &&
          fresh.length > 0 &&
          tail.messages.length + fresh.length <= PAGE_SIZE
        ) {
          put(tailKey, { folder: change.folder, messages: [...tail.messages, ...fresh] });
          fresh = [];
        }
        for (let i = 0; i < fresh.length; i += PAGE_SIZE)
          put(copy.nextKey, { folder: change.folder, messages: fresh.slice(i, i + PAGE_SIZE) });
        count = copy.count;
      },
      (tx) => [tx.objectStore("folders").put(change.state)],
    );
    return { before, count };
  }
  async resetFolder(folder: Folder): Promise<void> {
    await this.write(
      (copy, _put, remove) => {
        for (const [key, page] of [...copy.pages]) if (page.folder === folder) remove(key);
      },
      (tx) => [tx.objectStore("folders").delete(folder)],
    );
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
  /**
   * Merges entries from elsewhere (the mailbox, another device) in one transaction: per key the newer wins and
   * nothing is bumped, so an older entry changes nothing. Returns the entries that changed this store.
   */
  async mergeStateEntries(entries: readonly StateEntry[]): Promise<StateEntry[]> {
    const tx = this.db.transaction("stateEntries", "readwrite");
    const changed: StateEntry[] = [];
    for (const entry of mergeEntries(entries)) {
      const key = entryKey(entry);
      const stored = await tx.store.get(key);
      const winner = stored ? (mergeEntries([stored], [entry])[0] as StateEntry) : entry;
      if (stored && JSON.stringify(winner) === JSON.stringify(stored)) continue;
      await tx.store.put(winner, key);
      changed.push(winner);
    }
    await tx.done;
    return changed;
  }
  /** What the mailbox is known to hold of the user state (entry key → its `at`), for roaming. */
  async loadRoamedLedger(): Promise<Record<string, number>> {
    return ((await this.db.get("meta", ROAMED_LEDGER)) as Record<string, number> | undefined) ?? {};
  }
  async saveRoamedLedger(ledger: Readonly<Record<string, number>>): Promise<void> {
    await this.db.put("meta", { ...ledger }, ROAMED_LEDGER);
  }
  /** Whether the user refused Rekindle the permission to save decisions in the mailbox (roaming). */
  async loadRoamingRefused(): Promise<boolean> {
    return (await this.db.get("meta", ROAMING_REFUSED)) === true;
  }
  async saveRoamingRefused(refused: boolean): Promise<void> {
    await this.db.put("meta", refused, ROAMING_REFUSED);
  }
  /** This cache as roaming's local copy (src/graph/roamingState.ts RoamingLocal), as stateFileRoamingLocal is the file's. */
  roamingLocal() {
    return {
      load: () => this.loadStateEntries(),
      merge: (entries: readonly StateEntry[]) => this.mergeStateEntries(entries),
      loadLedger: () => this.loadRoamedLedger(),
      saveLedger: (ledger: Readonly<Record<string, number>>) => this.saveRoamedLedger(ledger),
      loadRefused: () => this.loadRoamingRefused(),
      saveRefused: (refused: boolean) => this.saveRoamingRefused(refused),
    };
  }
  /** The pane's last judged list (whatever it saved; the pane checks it on reading), or null. */
  async loadJudgedList(): Promise<unknown> {
    return (await this.db.get("meta", JUDGED_LIST)) ?? null;
  }
  async saveJudgedList(list: unknown): Promise<void> {
    await this.db.put("meta", list, JUDGED_LIST);
  }
  async close(): Promise<void> {
    this.db.close();
  }
}
