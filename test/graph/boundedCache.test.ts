// The cache holds one mailbox's window and no more: ageing on every sync, re-planning when the window or the folders
// change, and a refusal to mix two users' mail.
import fc from "fast-check";
import { instant } from "../../src/core/message";
import { MailboxMismatchError, pickedFolder, syncMailbox } from "../../src/graph/mailSync";
import { windowStartOf } from "../../src/graph/syncPlan";
import { MemoryCacheStore } from "../../src/store/memoryCacheStore";
import { type RunningEmulator, startGraphEmulator } from "../emulator/graphEmulator";
import { graphMessage } from "../fixtures/graphMessage";
import { generateMailbox } from "../fixtures/mailboxGenerator";
import {
  canonical,
  CLOCK,
  connect,
  expectedMessages,
  smallMailbox,
  startEmulator,
  sync,
} from "./syncHarness";

const DAY = 86_400_000;
const ME = "sam.rivera@northwind-sales.com";

describe("mailSync.ts bounded cache", () => {
  let emulator: RunningEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it("should hold only the window through 800 simulated days of syncs every 5 days (windowDays 365)", async () => {
    let now = CLOCK;
    const mailbox = smallMailbox(61, 30, 60);
    emulator = await startGraphEmulator({ mailbox, clock: () => now });
    const store = new MemoryCacheStore();
    let n = 0;
    let largest = 0;
    for (let day = 0; day <= 800; day += 5) {
      now = CLOCK + day * DAY;
      for (let i = 0; i < 2; i++) {
        const id = `d${day}-${i}`;
        emulator.addMessage(i ? "inbox" : "sentitems", {
          ...graphMessage({
            id,
            conversationId: `c-${n++ % 40}`,
            from: i ? "lee@fabrikam.io" : ME,
            to: [i ? ME : "lee@fabrikam.io"],
            at: new Date(now - 2 * 3_600_000 + i * 1000),
          }),
        });
      }
      const result = await syncMailbox({
        connection: connect(emulator),
        store,
        now: instant(now),
        windowDays: 365,
        clock: () => now,
        pageSize: 50,
      });
      const start = windowStartOf(now, 365);
      const expected = expectedMessages(emulator, mailbox.me).filter((m) => m.receivedAt >= start);
      expect({ day, cache: canonical(await store.loadMessages()) }).toEqual({ day, cache: expected });
      if (day > 400) expect(result.changes.removed.length).toBeGreaterThan(0); // two days' mail ages out per sync
      largest = Math.max(largest, result.synced);
    }
    // A year at 2 messages per 5 days (plus the margin), never the 800 days' worth.
    expect(largest).toBeLessThanOrEqual(Math.ceil((367 / 5) * 2) + 2 + 90);
    expect(await store.countMessages()).toBeLessThanOrEqual(Math.ceil((367 / 5) * 2) + 2);
  }, 120_000);

  it("should end with what a fresh sync holds after any run of window and folder changes (property)", async () => {
    const base = generateMailbox({ seed: 62, sent: 30, inbox: 60, now: new Date(CLOCK - 2 * 3_600_000) });
    const spread = (list: typeof base.inbox, prefix: string, step: number) =>
      list.slice(0, 12).map((m, i) => ({
        ...m,
        id: `${prefix}-${i}`,
        receivedDateTime: new Date(CLOCK - (i + 1) * step * DAY).toISOString().replace(/\.\d{3}Z$/, "Z"),
      }));
    const mailbox = {
      ...base,
      archive: spread(base.inbox, "arch", 40),
      projects: spread(base.inbox, "proj", 30),
    };
    emulator = await startEmulator(mailbox);
    const running = emulator;
    const projects = running.folderId("projects");
    const step = fc.record({ windowDays: fc.integer({ min: 0, max: 500 }), projects: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 4 }), async (steps) => {
        const store = new MemoryCacheStore();
        for (const s of steps) {
          const options = { pageSize: 25, windowDays: s.windowDays, folders: s.projects ? [projects] : [] };
          await sync(running, store, options);
          const freshStore = new MemoryCacheStore();
          await sync(running, freshStore, options);
          expect(canonical(await store.loadMessages())).toEqual(canonical(await freshStore.loadMessages()));
        }
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it("should widen the window by listing only the newly covered span", async () => {
    const mailbox = smallMailbox(63, 40, 100);
    emulator = await startEmulator(mailbox);
    const store = new MemoryCacheStore();
    await sync(emulator, store, { pageSize: 25, windowDays: 60 });
    const narrow = (await store.loadMessages()).length;
    emulator.resetStats();
    await sync(emulator, store, { pageSize: 25, windowDays: 365 });
    const all = expectedMessages(emulator, mailbox.me);
    expect(canonical(await store.loadMessages())).toEqual(all);
    expect(all.length).toBeGreaterThan(narrow);
    // /me, three deltas, and the new span's pages (sent and inbox; Archive's span is one empty page)
    const span = all.filter((m) => m.receivedAt < windowStartOf(CLOCK, 60));
    const pages = (folder: string) => Math.ceil(span.filter((m) => m.folder === folder).length / 24) || 1;
    expect(emulator.stats.requests).toBeLessThanOrEqual(4 + pages("sentitems") + pages("inbox") + 1 + 2);
  });

  it("should refuse to write one user's mail into another user's cache, and leave the cache as it was", async () => {
    const mailbox = smallMailbox(64, 10, 20);
    emulator = await startEmulator(mailbox);
    const store = new MemoryCacheStore();
    await sync(emulator, store, { pageSize: 25 });
    const before = {
      messages: canonical(await store.loadMessages()),
      state: await store.loadSyncState("inbox"),
    };
    const other = await startEmulator({
      ...smallMailbox(65, 10, 20),
      me: {
        ...mailbox.me,
        mail: "kim@contoso.com",
        userPrincipalName: "kim@contoso.com",
        displayName: "Kim",
      },
    });
    try {
      const error = await sync(other, store, { pageSize: 25 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MailboxMismatchError);
      expect((error as Error).message).toBe(
        `this cache holds the mail of ${ME}, but Graph signed in kim@contoso.com; nothing was written to it: ` +
          "use one cache per mailbox",
      );
    } finally {
      await other.close();
    }
    expect(canonical(await store.loadMessages())).toEqual(before.messages);
    expect(await store.loadSyncState("inbox")).toEqual(before.state);
    expect((await store.loadMe())?.mail).toBe(ME);
  });

  it("should sync Archive and a picked folder, keep Deleted Items out, and drop a folder no longer picked", async () => {
    const base = smallMailbox(66, 10, 20);
    const old = (id: string, daysAgo: number) =>
      graphMessage({
        id,
        conversationId: `c-${id}`,
        from: "jane@fabrikam.io",
        to: [ME],
        at: new Date(CLOCK - daysAgo * DAY),
      });
    const mailbox = {
      ...base,
      inbox: [...base.inbox, old("recent-1", 0.01)], // after the seam: the delta follows it
      archive: [old("arch-1", 40)],
      projects: [old("proj-1", 30), old("proj-2", 3)],
      deleteditems: [old("del-1", 2)],
    };
    emulator = await startEmulator(mailbox);
    const projects = pickedFolder(emulator.folderId("projects"));
    const store = new MemoryCacheStore();
    await sync(emulator, store, { pageSize: 25, folders: [emulator.folderId("projects")] });
    const byId = new Map((await store.loadMessages()).map((m) => [m.id, m.folder]));
    expect([byId.get("arch-1"), byId.get("proj-1"), byId.get("proj-2"), byId.get("del-1")]).toEqual([
      "archive",
      projects,
      projects,
      undefined,
    ]);
    expect(canonical(await store.loadMessages())).toEqual(
      expectedMessages(emulator, mailbox.me, { projects: true }),
    );

    // An Inbox rule files an answer into Projects; another message is deleted (to Deleted Items).
    emulator.addMessage("projects", { ...old("proj-3", 0.01) });
    emulator.moveMessage("recent-1", "deleteditems");
    const result = await sync(emulator, store, { pageSize: 25, folders: [emulator.folderId("projects")] });
    expect(result.changes.added.map((m) => `${m.folder}/${m.id}`)).toEqual([`${projects}/proj-3`]);
    expect(result.changes.removed).toEqual([{ folder: "inbox", id: "recent-1" }]);

    // Projects no longer picked: its mail leaves the cache.
    const dropped = await sync(emulator, store, { pageSize: 25 });
    expect(dropped.changes.removed.map((k) => k.id).sort()).toEqual(["proj-1", "proj-2", "proj-3"]);
    expect(canonical(await store.loadMessages())).toEqual(expectedMessages(emulator, mailbox.me));
    expect(await store.syncedFolders()).not.toContain(projects);
  });

  it("should leave out a picked folder Graph says does not exist, and sync the rest", async () => {
    const mailbox = smallMailbox(67, 10, 20);
    emulator = await startEmulator(mailbox);
    const store = new MemoryCacheStore();
    const result = await sync(emulator, store, { pageSize: 25, folders: ["AAMkNoSuchFolder"] });
    expect(result.missingFolders).toEqual([pickedFolder("AAMkNoSuchFolder")]);
    expect(canonical(await store.loadMessages())).toEqual(expectedMessages(emulator, mailbox.me));
  });

  it("should keep Deleted Items out even when it is picked by its id", async () => {
    const mailbox = {
      ...smallMailbox(69, 10, 20),
      deleteditems: [
        graphMessage({ id: "del-1", conversationId: "c-d", from: "a@b.com", at: new Date(CLOCK - DAY) }),
      ],
    };
    emulator = await startEmulator(mailbox);
    const store = new MemoryCacheStore();
    const deleted = emulator.folderId("deleteditems");
    const result = await sync(emulator, store, { pageSize: 25, folders: [deleted] });
    expect(result.missingFolders).toEqual([pickedFolder(deleted)]);
    expect(result.changes.added.some((m) => m.id === "del-1")).toBe(false);
    expect(canonical(await store.loadMessages())).toEqual(expectedMessages(emulator, mailbox.me));
  });

  it("should refuse a negative window or an empty folder id with a clear error", async () => {
    emulator = await startEmulator(smallMailbox(68, 5, 5));
    const store = new MemoryCacheStore();
    await expect(sync(emulator, store, { windowDays: -1 })).rejects.toThrow(/windowDays must be/);
    await expect(sync(emulator, store, { folders: [" "] })).rejects.toThrow(/folder id must not be empty/);
    await expect(sync(emulator, store, { folders: ["DeletedItems"] })).rejects.toThrow(
      /"DeletedItems" is not a folder Rekindle syncs/,
    );
    await expect(sync(emulator, store, { folders: ["Inbox"] })).rejects.toThrow(/"Inbox" is always synced/);
    expect(await store.loadMe()).toBeNull();
  });
});
