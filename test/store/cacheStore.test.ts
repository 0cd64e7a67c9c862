import "fake-indexeddb/auto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Folder, instant, type MailMessage } from "../../src/core/message";
import type { UserState } from "../../src/core/userState";
import type { CacheStore, FolderSyncState } from "../../src/store/cacheStore";
import { CacheFileError, FileCacheStore } from "../../src/store/fileCacheStore";
import { openDB } from "idb";
import { cacheDatabaseName, IdbCacheStore } from "../../src/store/idbCacheStore";
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

describe("FileCacheStore.ts", () => {
  describe("open", () => {
    it("should ignore a half-written last line left by a killed process", async () => {
      const path = join(dir, "cache.jsonl");
      const store = await FileCacheStore.open(path);
      await store.applyPage({
        folder: "inbox",
        upserts: [message("1", "inbox")],
        removedIds: [],
        state: state("inbox", null),
      });
      await store.close();
      appendFileSync(path, '{"page":{"folder":"inbox","upse');
      const again = await FileCacheStore.open(path);
      expect((await again.loadMessages()).map((m) => m.id)).toEqual(["1"]);
    });

    it("should refuse a damaged or foreign file with an error naming it, and leave it untouched", async () => {
      const path = join(dir, "notes.txt");
      writeFileSync(path, "my notes\nmore notes\n");
      await expect(FileCacheStore.open(path)).rejects.toThrow(CacheFileError);
      await expect(FileCacheStore.open(path)).rejects.toThrow(`${path}: line 1 is not valid JSON`);
      expect(readFileSync(path, "utf8")).toBe("my notes\nmore notes\n");
    });

    it("should compact the journal into one snapshot line when a sync finishes", async () => {
      const path = join(dir, "cache.jsonl");
      const store = await FileCacheStore.open(path);
      for (let i = 0; i < 5; i++) {
        await store.applyPage({
          folder: "inbox",
          upserts: [message(String(i), "inbox")],
          removedIds: [],
          state: state("inbox", null),
        });
      }
      expect(readFileSync(path, "utf8").trim().split("\n")).toHaveLength(5);
      await store.setLastSyncAt(instant(1));
      expect(readFileSync(path, "utf8").trim().split("\n")).toHaveLength(1);
      expect((await (await FileCacheStore.open(path)).loadMessages()).length).toBe(5);
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
  });
});
