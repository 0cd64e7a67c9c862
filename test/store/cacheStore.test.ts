import "fake-indexeddb/auto";
import { createHash } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Folder, instant, type MailMessage } from "../../src/core/message";
import type { UserState } from "../../src/core/userState";
import type { CacheStore, FolderSyncState } from "../../src/store/cacheStore";
import { CACHE_HEADER, CacheFileError, FileCacheStore } from "../../src/store/fileCacheStore";
import { openDB } from "idb";
import fc from "fast-check";
import { cacheDatabaseName, IdbCacheStore, keyRuns } from "../../src/store/idbCacheStore";
import { MemoryCacheStore } from "../../src/store/memoryCacheStore";

const message = (id: string, folder: "sentitems" | "inbox", subject = "s"): MailMessage => ({
  id,
  conversationId: `c-${id}`,
  folder,
  subject,
  preview: "",
  from: { address: "a@b.com", name: "A" },
  to: [],
  cc: [],
  bcc: [],
  sentAt: instant(1000),
  receivedAt: instant(2000),
  hasAttachments: false,
});

const state = (folder: "sentitems" | "inbox", deltaLink: string | null): FolderSyncState => ({
  folder,
  windowStart: "2025-01-01T00:00:00.000Z",
  deltaFrom: "2026-01-01T00:00:00.000Z",
  pendingRanges: deltaLink ? [] : [{ from: "2025-01-01T00:00:00.000Z", to: "2026-01-01T00:00:00.000Z" }],
  deltaNextLink: null,
  deltaLink,
  totalItemCount: 3,
  skipped: { "missing id": 1 },
});

const userState: UserState = {
  snoozes: { "c-1": instant(5000) },
  closed: { "c-2": instant(6000) },
  loggedAttempts: [{ id: "l1", conversationId: "c-1", at: instant(4000), kind: "call" }],
};

let dir: string;
let dbCounter = 0;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rekindle-store-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const implementations: [string, () => Promise<CacheStore>, (() => Promise<CacheStore>) | null][] = [
  ["MemoryCacheStore", async () => new MemoryCacheStore(), null],
  [
    "FileCacheStore",
    () => FileCacheStore.open(join(dir, "cache.jsonl")),
    () => FileCacheStore.open(join(dir, "cache.jsonl")),
  ],
  [
    "IdbCacheStore",
    async () => IdbCacheStore.open(`test-${++dbCounter}`),
    async () => IdbCacheStore.open(`test-${dbCounter}`),
  ],
];

describe.each(implementations)("%s", (_name, open, reopen) => {
  describe("applyPage", () => {
    it("should say what each page replaced or removed, as it was, and how many messages the cache holds", async () => {
      const store = await open();
      const first = await store.applyPage({
        folder: "inbox",
        upserts: [message("1", "inbox"), message("2", "inbox")],
        removedIds: ["never-there"],
        state: state("inbox", null),
      });
      expect([[...first.before.keys()], first.count]).toEqual([[], 2]);
      const other = await store.applyPage({
        folder: "sentitems",
        upserts: [message("1", "sentitems", "mine")],
        removedIds: [],
        state: state("sentitems", null),
      });
      // The same id in another folder is another message: nothing replaced.
      expect([[...other.before.keys()], other.count]).toEqual([[], 3]);
      const second = await store.applyPage({
        folder: "inbox",
        upserts: [message("2", "inbox", "changed"), message("3", "inbox")],
        removedIds: ["1"],
        state: state("inbox", null),
      });
      expect([...second.before].map(([id, m]) => `${id}:${m.folder}/${m.subject}`).sort()).toEqual([
        "1:inbox/s",
        "2:inbox/s",
      ]);
      expect(second.count).toBe(3);
      expect(await store.countMessages()).toBe(3);
      await store.close();
    });

    it("should report a message upserted as it already was in before, unchanged, and keep it once", async () => {
      const store = await open();
      await store.applyPage({
        folder: "inbox",
        upserts: [message("1", "inbox"), message("2", "inbox")],
        removedIds: [],
        state: state("inbox", null),
      });
      // The next page of a listing starts with the last message of the one before (an overlap of one).
      const next = await store.applyPage({
        folder: "inbox",
        upserts: [message("2", "inbox"), message("3", "inbox")],
        removedIds: [],
        state: state("inbox", null),
      });
      expect([...next.before].map(([id, m]) => `${id}:${m.subject}`)).toEqual(["2:s"]);
      expect(next.count).toBe(3);
      // Twice in one page, unchanged then changed: the last one wins, as with any upsert.
      await store.applyPage({
        folder: "inbox",
        upserts: [message("1", "inbox"), message("1", "inbox", "late")],
        removedIds: [],
        state: state("inbox", null),
      });
      expect((await store.getMessages("inbox", ["1"])).get("1")?.subject).toBe("late");
      expect(await store.countMessages()).toBe(3);
      await store.close();
    });

    it("should upsert and remove within one folder and store the folder's position", async () => {
      const store = await open();
      await store.applyPage({
        folder: "inbox",
        upserts: [message("1", "inbox"), message("2", "inbox")],
        removedIds: [],
        state: state("inbox", null),
      });
      await store.applyPage({
        folder: "sentitems",
        upserts: [message("1", "sentitems")],
        removedIds: [],
        state: state("sentitems", null),
      });
      await store.applyPage({
        folder: "inbox",
        upserts: [message("2", "inbox", "changed")],
        removedIds: ["1"],
        state: state("inbox", "https://graph/delta?$deltatoken=x"),
      });
      const messages = (await store.loadMessages()).sort((a, b) =>
        a.folder + a.id < b.folder + b.id ? -1 : 1,
      );
      // Removing inbox/1 leaves sentitems/1: the same id in another folder is another entry.
      expect(messages.map((m) => `${m.folder}/${m.id}/${m.subject}`)).toEqual([
        "inbox/2/changed",
        "sentitems/1/s",
      ]);
      expect(await store.countMessages()).toBe(2);
      expect((await store.loadSyncState("inbox"))?.deltaLink).toBe("https://graph/delta?$deltatoken=x");
      expect(await store.loadSyncState("sentitems")).toEqual(state("sentitems", null));
      await store.close();
    });
  });

  describe("resetFolder", () => {
    it("should forget one folder's messages and position and keep the user state and the other folder", async () => {
      const store = await open();
      await store.saveUserState(userState);
      await store.applyPage({
        folder: "inbox",
        upserts: [message("1", "inbox")],
        removedIds: [],
        state: state("inbox", "d"),
      });
      await store.applyPage({
        folder: "sentitems",
        upserts: [message("9", "sentitems")],
        removedIds: [],
        state: state("sentitems", "d"),
      });
      await store.resetFolder("inbox");
      expect((await store.loadMessages()).map((m) => m.id)).toEqual(["9"]);
      expect(await store.loadSyncState("inbox")).toBeNull();
      expect(await store.loadUserState()).toEqual(userState);
      await store.close();
    });
  });

  describe("ageing and lookups", () => {
    it("should drop exactly the mail received before a time, in every folder, also after reopening", async () => {
      const store = await open();
      const at = (m: MailMessage, receivedAt: number): MailMessage => ({
        ...m,
        receivedAt: instant(receivedAt),
      });
      const page = (folder: Folder, messages: MailMessage[]) =>
        store.applyPage({
          folder,
          upserts: messages,
          removedIds: [],
          state: { ...state("inbox", "d"), folder },
        });
      await page("inbox", [at(message("1", "inbox"), 100), at(message("2", "inbox"), 300)]);
      await page("archive", [at({ ...message("3", "inbox"), folder: "archive" }, 150)]);
      await page("folder:AAMkP", [at({ ...message("4", "inbox"), folder: "folder:AAMkP" }, 500)]);
      // A message that changed to a newer time is not dropped by its old place in the index.
      // (Twice: a memory store reads its messages at the first ageing and indexes them from the second.)
      expect(await store.dropReceivedBefore(instant(50))).toEqual([]);
      expect(await store.dropReceivedBefore(instant(60))).toEqual([]);
      await page("inbox", [at(message("1", "inbox", "moved on"), 400)]);
      expect((await store.syncedFolders()).sort()).toEqual(["archive", "folder:AAMkP", "inbox"]);
      expect([...(await store.getMessages("inbox", ["1", "2", "3"])).keys()].sort()).toEqual(["1", "2"]);
      await store.close();
      const again = reopen ? await reopen() : store;
      const dropped = await again.dropReceivedBefore(instant(350));
      expect(dropped.map((k) => `${k.folder}/${k.id}`).sort()).toEqual(["archive/3", "inbox/2"]);
      expect((await again.loadMessages()).map((m) => `${m.folder}/${m.id}`).sort()).toEqual([
        "folder:AAMkP/4",
        "inbox/1",
      ]);
      expect(await again.dropReceivedBefore(instant(350))).toEqual([]);
      await again.close();
    });
  });

  describe("persistence", () => {
    it("should hold me, lastSyncAt and user state (and give them back after reopening when it persists)", async () => {
      const store = await open();
      expect(await store.loadMe()).toBeNull();
      expect(await store.lastSyncAt()).toBeNull();
      expect((await store.loadUserState()).loggedAttempts).toEqual([]);
      await store.saveMe({ displayName: "Sam", mail: "sam@x.com", proxyAddresses: [] });
      await store.applyPage({
        folder: "inbox",
        upserts: [message("1", "inbox")],
        removedIds: [],
        state: state("inbox", "d"),
      });
      await store.saveUserState(userState);
      await store.setLastSyncAt(instant(777));
      await store.close();
      const again = reopen ? await reopen() : store;
      expect(await again.loadMe()).toEqual({ displayName: "Sam", mail: "sam@x.com", proxyAddresses: [] });
      expect(await again.lastSyncAt()).toBe(777);
      expect(await again.loadUserState()).toEqual(userState);
      expect((await again.loadMessages()).map((m) => m.id)).toEqual(["1"]);
      await again.close();
    });
  });
});

const checksum = (json: string): string => createHash("sha256").update(json).digest("hex").slice(0, 16);
const line = (record: unknown): string => {
  const json = JSON.stringify(record);
  return `${checksum(json)} ${json}\n`;
};
const page = (id: string) => ({
  folder: "inbox" as const,
  upserts: [message(id, "inbox")],
  removedIds: [],
  state: state("inbox", null),
});

describe("FileCacheStore.ts", () => {
  describe("open", () => {
    it("should start a new cache with its header line, and accept an empty file as a new cache", async () => {
      const path = join(dir, "cache.jsonl");
      const store = await FileCacheStore.open(path);
      await store.close();
      expect(readFileSync(path, "utf8")).toBe(`${CACHE_HEADER}\n`);
      const empty = join(dir, "empty.jsonl");
      writeFileSync(empty, "");
      await (await FileCacheStore.open(empty)).close();
      expect(readFileSync(empty, "utf8")).toBe(`${CACHE_HEADER}\n`);
    });

    it("should cut off a torn last line, so the next append starts on its own line, even after a second kill", async () => {
      const path = join(dir, "cache.jsonl");
      const store = await FileCacheStore.open(path);
      await store.applyPage(page("1"));
      await store.close();
      // Killed mid-write: half a record, no newline.
      appendFileSync(path, line({ page: page("lost-1") }).slice(0, 40));
      const again = await FileCacheStore.open(path);
      expect((await again.loadMessages()).map((m) => m.id)).toEqual(["1"]);
      await again.applyPage(page("2"));
      await again.close();
      // Killed again, mid-write of the next record.
      appendFileSync(path, line({ page: page("lost-2") }).slice(0, 70));
      const third = await FileCacheStore.open(path);
      expect((await third.loadMessages()).map((m) => m.id).sort()).toEqual(["1", "2"]);
      await third.applyPage(page("3"));
      await third.close();
      const text = readFileSync(path, "utf8");
      expect(text.endsWith("\n")).toBe(true);
      expect(text.split("\n").filter(Boolean)).toHaveLength(4);
      const last = await FileCacheStore.open(path);
      expect((await last.loadMessages()).map((m) => m.id).sort()).toEqual(["1", "2", "3"]);
      await last.close();
    });

    it.each([
      ["notes", "my notes\nmore notes\n"],
      ["a JSON file", '{"name":"my settings","windowDays":30}\n'],
      ["a JSON list", "[1,2,3]\n"],
      ["a file without a line break", "just one line"],
    ])(
      "should refuse %s that is not a Rekindle cache, naming it, and never touch it",
      async (_what, content) => {
        const path = join(dir, "notes.txt");
        writeFileSync(path, content);
        for (const reset of [false, true]) {
          const error: unknown = await FileCacheStore.open(path, { reset }).then(
            () => null,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(CacheFileError);
          expect((error as Error).message).toMatch(
            new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `),
          );
          expect((error as Error).message).toMatch(/is not a Rekindle cache/);
          expect(readFileSync(path, "utf8")).toBe(content);
        }
        // The lock was given back: a second refusal does not wait.
        await expect(FileCacheStore.open(path)).rejects.toThrow(CacheFileError);
      },
    );

    const header = `${CACHE_HEADER}\n`;
    it.each([
      ["a record of no known kind", line({ bogus: 1 })],
      ["a record that is not an object", line([1, 2])],
      ["null", line(null)],
      ["a page for a folder the cache has not", line({ page: { ...page("1"), folder: "drafts" } })],
      [
        "a message with recipients that are not a list",
        line({ page: { ...page("1"), upserts: [{ ...message("1", "inbox"), to: "x" }] } }),
      ],
      [
        "a message missing its id",
        line({ page: { ...page("1"), upserts: [{ ...message("1", "inbox"), id: undefined }] } }),
      ],
      [
        "a sync state without ranges",
        line({ page: { ...page("1"), state: { ...state("inbox", null), pendingRanges: null } } }),
      ],
      ["a me without a name", line({ me: { displayName: 5 } })],
      ["a lastSyncAt that is not a number", line({ lastSyncAt: "yesterday" })],
      ["a user state with a broken snooze", line({ userState: { ...userState, snoozes: { c: "soon" } } })],
      ["a snapshot without folders", line({ snapshot: { me: null, lastSyncAt: null, userState } })],
      ["a record that is not JSON", `${checksum("{oops")} {oops\n`],
      ["a line without a checksum", `${JSON.stringify({ me: { displayName: "x" } })}\n`],
    ])("should refuse %s with one error naming the file, the line and --reset-cache", async (_what, bad) => {
      const path = join(dir, "cache.jsonl");
      writeFileSync(path, header + line({ page: page("1") }) + bad + line({ page: page("2") }));
      const error: unknown = await FileCacheStore.open(path).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CacheFileError);
      expect((error as Error).message).toMatch(
        new RegExp(`: line 3 is damaged \\(.+\\); run again with --reset-cache`),
      );
      expect((error as Error).message.startsWith(`${path}: `)).toBe(true);
    });

    it("should name a damaged record's odd key printable, so the file cannot write to the terminal", async () => {
      const path = join(dir, "cache.jsonl");
      writeFileSync(path, header + line({ "\u001b[31mred": 1 }));
      await expect(FileCacheStore.open(path)).rejects.toThrow(
        `${path}: line 2 is damaged ("?[31mred" should be one of snapshot, page, me, reset, lastSyncAt, userState)`,
      );
    });

    it("should refuse a cache of another version of the format", async () => {
      const path = join(dir, "cache.jsonl");
      writeFileSync(path, '{"format":"rekindle-cache","version":3}\n');
      await expect(FileCacheStore.open(path)).rejects.toThrow(
        `${path}: is a cache of another Rekindle version ({"format":"rekindle-cache","version":3}); run again with --reset-cache`,
      );
    });

    it("should catch flipped bytes through the checksum", async () => {
      const path = join(dir, "cache.jsonl");
      const store = await FileCacheStore.open(path);
      await store.applyPage(page("1"));
      await store.applyPage(page("2"));
      await store.close();
      writeFileSync(path, readFileSync(path, "utf8").replace('"id":"2"', '"id":"3"'));
      await expect(FileCacheStore.open(path)).rejects.toThrow(
        `${path}: line 3 is damaged (its checksum does not match); run again with --reset-cache`,
      );
    });

    it("should refuse a cache of the first format with the --reset-cache advice, and rebuild it when asked", async () => {
      const path = join(dir, "cache.jsonl");
      const old = `${JSON.stringify({ page: page("1") })}\n${JSON.stringify({ me: { displayName: "Sam", proxyAddresses: [] } })}\n`;
      writeFileSync(path, old);
      await expect(FileCacheStore.open(path)).rejects.toThrow(
        `${path}: is a cache of an older Rekindle version; run again with --reset-cache`,
      );
      expect(readFileSync(path, "utf8")).toBe(old);
      const compacted = `${JSON.stringify({ format: "rekindle-cache/1", snapshot: {} })}\n`;
      writeFileSync(path, compacted);
      await expect(FileCacheStore.open(path)).rejects.toThrow(/older Rekindle version/);
      const rebuilt = await FileCacheStore.open(path, { reset: true });
      expect(await rebuilt.countMessages()).toBe(0);
      await rebuilt.applyPage(page("9"));
      await rebuilt.close();
      expect(readFileSync(path, "utf8").startsWith(header)).toBe(true);
    });

    it("should delete and rebuild a damaged cache on --reset-cache", async () => {
      const path = join(dir, "cache.jsonl");
      writeFileSync(path, header + line({ page: page("1") }) + "garbage\n");
      await expect(FileCacheStore.open(path)).rejects.toThrow(CacheFileError);
      const store = await FileCacheStore.open(path, { reset: true });
      expect(await store.countMessages()).toBe(0);
      await store.close();
      expect(readFileSync(path, "utf8")).toBe(header);
    });

    it("should make a second store on the same file wait, saying so, until the first is closed", async () => {
      const path = join(dir, "cache.jsonl");
      const first = await FileCacheStore.open(path);
      const notices: string[] = [];
      let opened = false;
      const second = FileCacheStore.open(path, { onWait: (text) => notices.push(text) }).then((store) => {
        opened = true;
        return store;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(opened).toBe(false);
      expect(notices).toEqual([`waiting for another rekindle using ${path}…`]);
      await first.applyPage(page("1"));
      await first.close();
      const store = await second;
      expect((await store.loadMessages()).map((m) => m.id)).toEqual(["1"]);
      await store.close();
    });
  });

  describe("locking", () => {
    it("should take over the lock of a process that was killed (its lock went stale)", async () => {
      const path = join(dir, "cache.jsonl");
      const first = await FileCacheStore.open(path);
      await first.applyPage(page("1"));
      // Killed: it never released the lock, and stopped refreshing it a minute ago.
      const lock = `${path}.lock`;
      expect(existsSync(lock)).toBe(true);
      const minuteAgo = new Date(Date.now() - 60_000);
      utimesSync(lock, minuteAgo, minuteAgo);
      const notices: string[] = [];
      const second = await FileCacheStore.open(path, { onWait: (t) => notices.push(t), staleLockMs: 5_000 });
      expect((await second.loadMessages()).map((m) => m.id)).toEqual(["1"]);
      expect(notices).toEqual([]);
      await second.close();
    });
  });

  describe("compact", () => {
    it("should compact the journal into the header and one snapshot line when a sync finishes", async () => {
      const path = join(dir, "cache.jsonl");
      const store = await FileCacheStore.open(path);
      for (let i = 0; i < 5; i++) await store.applyPage(page(String(i)));
      expect(readFileSync(path, "utf8").trim().split("\n")).toHaveLength(6);
      await store.setLastSyncAt(instant(1));
      await store.close();
      const lines = readFileSync(path, "utf8").trim().split("\n");
      expect(lines).toHaveLength(2);
      expect(lines[0]).toBe(CACHE_HEADER);
      expect(readdirSync(dir)).toEqual(["cache.jsonl"]);
      const again = await FileCacheStore.open(path);
      expect((await again.loadMessages()).length).toBe(5);
      expect(await again.lastSyncAt()).toBe(1);
      await again.close();
    });
  });
});

describe("IdbCacheStore.ts", () => {
  describe("cacheDatabaseName", () => {
    it.each([
      ["Sam.Rivera@Northwind-Sales.com", "rekindle-cache:sam.rivera@northwind-sales.com"],
      [" kim@contoso.com ", "rekindle-cache:kim@contoso.com"],
    ])("should name the cache of %s after the mailbox", (address, name) => {
      expect(cacheDatabaseName(address)).toBe(name);
    });
    it("should refuse to name a cache without a mailbox", () => {
      expect(() => cacheDatabaseName(" ")).toThrow(/mailbox address is needed/);
    });
  });

  describe("open", () => {
    it("should upgrade a version 1 database in place, keeping its mail, and index it on receivedAt", async () => {
      const name = `test-v1-${++dbCounter}`;
      const v1 = await openDB(name, 1, {
        upgrade(db) {
          db.createObjectStore("messages", { keyPath: ["folder", "id"] });
          db.createObjectStore("folders", { keyPath: "folder" });
          db.createObjectStore("meta");
        },
      });
      await v1.put("messages", { ...message("old", "inbox"), receivedAt: instant(10) });
      await v1.put("messages", { ...message("new", "inbox"), receivedAt: instant(9000) });
      await v1.put("meta", userState, "userState");
      v1.close();
      const store = await IdbCacheStore.open(name);
      expect((await store.loadMessages()).map((m) => m.id).sort()).toEqual(["new", "old"]);
      expect(await store.dropReceivedBefore(instant(100))).toEqual([{ folder: "inbox", id: "old" }]);
      expect(await store.loadUserState()).toEqual(userState);
      await store.close();
    });

    it("should move a version 3 cache (one record per message) into pages, losing no message, state or position", async () => {
      const name = `test-v3-${++dbCounter}`;
      const v3 = await openDB(name, 3, {
        upgrade(db, _old, _new, tx) {
          db.createObjectStore("messages", { keyPath: ["folder", "id"] });
          db.createObjectStore("folders", { keyPath: "folder" });
          db.createObjectStore("meta");
          db.createObjectStore("stateEntries");
          tx.objectStore("messages").createIndex("receivedAt", "receivedAt");
        },
      });
      const old: MailMessage[] = [];
      for (let i = 0; i < 2500; i++) old.push({ ...message(`s${i}`, "sentitems"), receivedAt: instant(i) });
      for (let i = 0; i < 700; i++) old.push({ ...message(`i${i}`, "inbox"), receivedAt: instant(i) });
      const tx = v3.transaction(["messages", "folders", "meta"], "readwrite");
      await Promise.all([
        ...old.map((m) => tx.objectStore("messages").put(m)),
        tx.objectStore("folders").put(state("inbox", "delta-1")),
        tx.objectStore("meta").put(instant(777), "lastSyncAt"),
        tx.done,
      ]);
      v3.close();

      const store = await IdbCacheStore.open(name);
      const byKey = (a: MailMessage, b: MailMessage) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      expect((await store.loadMessages()).sort(byKey)).toEqual([...old].sort(byKey));
      expect(await store.countMessages()).toBe(3200);
      expect(await store.loadSyncState("inbox")).toEqual(state("inbox", "delta-1"));
      expect(await store.lastSyncAt()).toBe(777);
      await store.close();
      const raw = await openDB(name);
      expect([...raw.objectStoreNames]).not.toContain("messages");
      // 2,500 sent in pages of 1,000 and 700 received in one: four records.
      expect(await raw.count("pages")).toBe(4);
      raw.close();
    });
  });

  describe("pages", () => {
    it("should keep a large sync page as one record and let small delta pages fill the folder's newest page", async () => {
      const name = `test-pages-${++dbCounter}`;
      const store = await IdbCacheStore.open(name);
      const page = Array.from({ length: 1000 }, (_, i) => message(`a${i}`, "inbox"));
      await store.applyPage({ folder: "inbox", upserts: page, removedIds: [], state: state("inbox", null) });
      await store.applyPage({
        folder: "inbox",
        upserts: [message("b1", "inbox"), message("b2", "inbox")],
        removedIds: [],
        state: state("inbox", null),
      });
      await store.applyPage({
        folder: "inbox",
        upserts: [message("b3", "inbox"), { ...message("a5", "inbox"), subject: "changed" }],
        removedIds: ["a7", "b1", "missing"],
        state: state("inbox", "d"),
      });
      const got = await store.getMessages("inbox", ["a5", "a7", "b1", "b2", "b3"]);
      expect([...got.keys()].sort()).toEqual(["a5", "b2", "b3"]);
      expect(got.get("a5")?.subject).toBe("changed");
      expect(await store.countMessages()).toBe(1001);
      await store.close();
      const raw = await openDB(name);
      expect(await raw.count("pages")).toBe(2);
      raw.close();
    });

    it("should not write a page record again for messages stored as they are (a listing's overlap, a relisting)", async () => {
      const store = await IdbCacheStore.open(`test-pages-${++dbCounter}`);
      const first = Array.from({ length: 1000 }, (_, i) => message(`a${i}`, "inbox"));
      await store.applyPage({ folder: "inbox", upserts: first, removedIds: [], state: state("inbox", null) });
      const put = jest.spyOn(IDBObjectStore.prototype, "put");
      const pagesWritten = () =>
        put.mock.contexts.filter((store) => (store as IDBObjectStore).name === "pages").length;
      try {
        // The next page overlaps by one unchanged message: only the new page is written.
        const second = [first[999]!, ...Array.from({ length: 999 }, (_, i) => message(`b${i}`, "inbox"))];
        await store.applyPage({
          folder: "inbox",
          upserts: second,
          removedIds: [],
          state: state("inbox", null),
        });
        expect(pagesWritten()).toBe(1);
        // The same mail listed again: nothing to write.
        put.mockClear();
        await store.applyPage({
          folder: "inbox",
          upserts: first,
          removedIds: [],
          state: state("inbox", null),
        });
        expect(pagesWritten()).toBe(0);
        // One of them changed: its page alone is written.
        const changed = { ...first[3]!, subject: "new" };
        await store.applyPage({
          folder: "inbox",
          upserts: [changed],
          removedIds: [],
          state: state("inbox", "d"),
        });
        expect(pagesWritten()).toBe(1);
      } finally {
        put.mockRestore();
      }
      expect((await store.getMessages("inbox", ["a3"])).get("a3")?.subject).toBe("new");
      expect(await store.countMessages()).toBe(1999);
      await store.close();
    });

    it("should read a cache of more pages than one request takes, every message once, in page order", async () => {
      const name = `test-runs-${++dbCounter}`;
      const writer = await IdbCacheStore.open(name);
      // One page per folder: seven pages, read back two to a request (four requests).
      const folders: Folder[] = [
        "inbox",
        "sentitems",
        "archive",
        "folder:a",
        "folder:b",
        "folder:c",
        "folder:d",
      ];
      for (const folder of folders) {
        await writer.applyPage({
          folder,
          upserts: [{ ...message(`m-${folder}`, "inbox"), folder }],
          removedIds: [],
          state: { ...state("inbox", null), folder },
        });
      }
      await writer.close();
      const reader = await IdbCacheStore.open(name, { pagesPerRead: 2 });
      // Reads at the same time all answer with the whole mailbox.
      const [all, count, again] = await Promise.all([
        reader.loadMessages(),
        reader.countMessages(),
        reader.loadMessages(),
      ]);
      expect(all.map((m) => m.id)).toEqual(folders.map((f) => `m-${f}`));
      expect(again).toEqual(all);
      expect(count).toBe(7);
      await reader.close();
    });

    it.each([0, -1, 1.5, Number.NaN])("should refuse %p pages per read, naming the option", async (per) => {
      await expect(IdbCacheStore.open(`test-bad-${++dbCounter}`, { pagesPerRead: per })).rejects.toThrow(
        /pagesPerRead must be a whole number of at least 1/,
      );
    });

    it.each<[number[], number, number[][]]>([
      [[], 8, []],
      [[1], 8, [[1]]],
      [[1, 2, 3, 5, 8], 2, [[1, 2], [3, 5], [8]]],
      [[4, 9], 2, [[4, 9]]],
    ])("should split keys %j in runs of %i as %j", (keys, per, runs) => {
      expect(keyRuns(keys, per)).toEqual(runs);
    });

    it("should cover every sorted key exactly once, in order, each run at most `per` keys", () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.integer({ min: 1, max: 10_000 })).map((keys) => keys.sort((a, b) => a - b)),
          fc.integer({ min: 1, max: 12 }),
          (keys, per) => {
            const runs = keyRuns(keys, per);
            expect(runs.flat()).toEqual(keys);
            for (const run of runs) {
              expect(run.length).toBeGreaterThan(0);
              expect(run.length).toBeLessThanOrEqual(per);
              // Each run is read as the key range from its first to its last key: none of another run's in between.
              const inRange = keys.filter((k) => k >= run[0]! && k <= run[run.length - 1]!);
              expect(inRange).toEqual(run);
            }
          },
        ),
      );
    });

    it("should see what another store on the same database wrote, and never write over it", async () => {
      const name = `test-two-${++dbCounter}`;
      const [a, b] = [await IdbCacheStore.open(name), await IdbCacheStore.open(name)];
      await a.applyPage({
        folder: "inbox",
        upserts: [message("1", "inbox")],
        removedIds: [],
        state: state("inbox", null),
      });
      expect((await b.loadMessages()).map((m) => m.id)).toEqual(["1"]);
      await b.applyPage({
        folder: "inbox",
        upserts: [message("2", "inbox")],
        removedIds: [],
        state: state("inbox", null),
      });
      await a.applyPage({
        folder: "inbox",
        upserts: [message("3", "inbox")],
        removedIds: ["1"],
        state: state("inbox", null),
      });
      expect((await b.loadMessages()).map((m) => m.id).sort()).toEqual(["2", "3"]);
      expect(await b.dropReceivedBefore(instant(3000))).toHaveLength(2);
      expect(await a.countMessages()).toBe(0);
      await a.close();
      await b.close();
    });
  });
});
