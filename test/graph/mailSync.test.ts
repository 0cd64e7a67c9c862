import { GraphSyncError } from "../../src/graph/graphErrors";
import { loadCachedMailbox, type MailSyncOptions, SYNC_FIELDS, syncMailbox } from "../../src/graph/mailSync";
import type { Instant } from "../../src/core/message";
import type { PageChange } from "../../src/store/cacheStore";
import { parseMailboxJson } from "../../src/graph/mailboxFile";
import { MemoryCacheStore } from "../../src/store/memoryCacheStore";
import { graphMessage } from "../fixtures/graphMessage";
import type { RunningEmulator } from "../emulator/graphEmulator";
import {
  canonical,
  CLOCK,
  clock,
  connect,
  expectedMessages,
  FIRST_SYNC_FIXED,
  IDLE_SYNC_REQUESTS,
  NOW,
  smallMailbox,
  startEmulator,
  sync,
} from "./syncHarness";

describe("mailSync.ts", () => {
  let emulator: RunningEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  describe("syncMailbox", () => {
    it("should fill an empty cache with every message of both folders on the first sync", async () => {
      const mailbox = smallMailbox();
      emulator = await startEmulator(mailbox);
      const store = new MemoryCacheStore();
      const progress: number[] = [];
      const result = await sync(emulator, store, {
        pageSize: 25,
        onProgress: (p) => progress.push(p.synced),
      });
      expect(result.phase).toBe("first-sync");
      expect(canonical(await store.loadMessages())).toEqual(expectedMessages(emulator, mailbox.me));
      expect((await loadCachedMailbox(store))?.mailbox.me.mail).toBe(mailbox.me.mail);
      expect(result.synced).toBe(200);
      expect(progress.at(-1)).toBe(200);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      // pages at 25 per page (8 + 3 with ragged ends), Archive's empty page, /me, three folders and three deltas
      expect(emulator.stats.requests).toBeLessThanOrEqual(
        Math.ceil(140 / 25) + Math.ceil(60 / 25) + 1 + FIRST_SYNC_FIXED + 6,
      );
      expect(await store.lastSyncAt()).toBe(CLOCK);
    });

    it("should learn Auto-Submitted and the message class without asking for every header", async () => {
      const mailbox = smallMailbox();
      const at = new Date(CLOCK - 3 * 3600_000);
      mailbox.inbox.push(
        graphMessage({
          id: "oof-by-header",
          conversationId: "c-oof",
          subject: "Proposal",
          from: "Alex <alex@acme.com>",
          to: [mailbox.me.mail],
          at,
          headers: { "Auto-Submitted": "auto-replied", "X-Mailer": "Big header set" },
        }),
        graphMessage({
          id: "ndr-by-class",
          conversationId: "c-ndr",
          subject: "Proposal",
          from: "postoffice <po@acme.com>",
          to: [mailbox.me.mail],
          at,
          messageClass: "REPORT.IPM.Note.NDR",
        }),
      );
      emulator = await startEmulator(mailbox);
      const store = new MemoryCacheStore();
      await sync(emulator, store, { pageSize: 25 });
      const byId = new Map((await store.loadMessages()).map((m) => [m.id, m]));
      expect(byId.get("oof-by-header")?.autoSubmitted).toBe("auto-replied");
      expect(byId.get("ndr-by-class")?.messageClass).toBe("REPORT.IPM.Note.NDR");
      expect(SYNC_FIELDS).not.toContain("internetMessageHeaders");
    });

    it("should read back the technique a sent message was marked with, and no technique on others", async () => {
      const mailbox = smallMailbox();
      const at = new Date(CLOCK - 3 * 3600_000);
      mailbox.sentitems.push(
        graphMessage({
          id: "marked",
          conversationId: "c-marked",
          subject: "Should I close the file?",
          from: mailbox.me.mail,
          to: ["alex@acme.com"],
          at,
          headers: { "x-rekindle-technique": "should-i-close-the-file" },
        }),
      );
      emulator = await startEmulator(mailbox);
      const store = new MemoryCacheStore();
      await sync(emulator, store, { pageSize: 25 });
      const messages = await store.loadMessages();
      expect(messages.find((m) => m.id === "marked")?.technique).toBe("should-i-close-the-file");
      expect(messages.filter((m) => m.technique !== undefined).map((m) => m.id)).toEqual(["marked"]);
    });

    it("should fetch only changes on the next sync: /me and one delta request per folder when nothing changed", async () => {
      const mailbox = smallMailbox();
      emulator = await startEmulator(mailbox);
      const store = new MemoryCacheStore();
      await sync(emulator, store, { pageSize: 25 });
      emulator.resetStats();
      const result = await sync(emulator, store, { pageSize: 25 });
      expect(result.phase).toBe("incremental");
      expect(emulator.stats.requests).toBe(IDLE_SYNC_REQUESTS);
      expect(canonical(await store.loadMessages())).toEqual(expectedMessages(emulator, mailbox.me));
    });

    it("should apply new, changed and deleted messages on an incremental sync", async () => {
      const mailbox = smallMailbox();
      emulator = await startEmulator(mailbox);
      const store = new MemoryCacheStore();
      await sync(emulator, store, { pageSize: 25 });
      const at = new Date(CLOCK - 10 * 60_000);
      const reply = graphMessage({
        id: "new-1",
        conversationId: "c-new",
        from: "Ann <ann@fabrikam.io>",
        to: ["sam.rivera@northwind-sales.com"],
        at,
        subject: "Re: hello",
      });
      const mine = graphMessage({
        id: "new-2",
        conversationId: "c-new",
        from: "sam.rivera@northwind-sales.com",
        to: ["ann@fabrikam.io"],
        at,
        subject: "hello",
      });
      const doomed = graphMessage({
        id: "new-3",
        conversationId: "c-x",
        from: "x@y.com",
        to: ["sam.rivera@northwind-sales.com"],
        at,
      });
      emulator.addMessage("inbox", { ...reply });
      emulator.addMessage("sentitems", { ...mine });
      emulator.addMessage("inbox", { ...doomed });
      await sync(emulator, store, { pageSize: 25 });
      expect((await store.loadMessages()).map((m) => m.id)).toEqual(
        expect.arrayContaining(["new-1", "new-2", "new-3"]),
      );

      emulator.updateMessage("new-1", { subject: "Re: hello (edited)" });
      emulator.deleteMessage("new-3");
      emulator.moveMessage("new-2", "inbox");
      emulator.resetStats();
      const result = await sync(emulator, store, { pageSize: 25 });
      expect(result.phase).toBe("incremental");
      expect(emulator.stats.requests).toBe(IDLE_SYNC_REQUESTS);
      const cached = canonical(await store.loadMessages());
      expect(cached).toEqual(expectedMessages(emulator, mailbox.me));
      expect(cached.find((m) => m.id === "new-1")?.subject).toBe("Re: hello (edited)");
      expect(cached.some((m) => m.id === "new-3")).toBe(false);
      expect(cached.filter((m) => m.id === "new-2").map((m) => m.folder)).toEqual(["inbox"]);
    });

    it("should list the window again once a week, dropping older mail deleted, moved away or out of the window", async () => {
      const mailbox = smallMailbox();
      emulator = await startEmulator(mailbox);
      const store = new MemoryCacheStore();
      await sync(emulator, store, { pageSize: 25 });
      // Changes to mail older than the seam, which Graph's filtered delta does not report.
      const [gone, edited, moved] = [...mailbox.inbox]
        .sort((a, b) => Date.parse(a.receivedDateTime) - Date.parse(b.receivedDateTime))
        .slice(100, 103)
        .map((m) => m.id);
      emulator.deleteMessage(gone as string);
      emulator.updateMessage(edited as string, { subject: "Edited long ago" });
      emulator.moveMessage(moved as string, "sentitems");
      const day = 86_400_000;
      const later = (days: number): Partial<MailSyncOptions> => ({
        pageSize: 25,
        clock: () => CLOCK + days * day,
        now: (CLOCK + days * day) as Instant,
      });

      emulator.resetStats();
      await sync(emulator, store, later(6));
      expect(emulator.stats.requests).toBe(IDLE_SYNC_REQUESTS);
      expect((await store.loadMessages()).some((m) => m.id === gone)).toBe(true);

      // A week on, and with a shorter window: the part before the seam is listed again.
      emulator.resetStats();
      const result = await sync(emulator, store, { ...later(8), windowDays: 200 });
      expect(result.phase).toBe("incremental");
      const windowStart = CLOCK + 8 * day - 202 * day;
      const expected = expectedMessages(emulator, mailbox.me).filter((m) => m.receivedAt >= windowStart);
      expect(expected.length).toBeLessThan(200);
      const cached = canonical(await store.loadMessages());
      expect(cached).toEqual(expected);
      expect(cached.find((m) => m.id === edited)?.subject).toBe("Edited long ago");
      expect(cached.filter((m) => m.id === moved).map((m) => m.folder)).toEqual(["sentitems"]);
      expect(emulator.stats.requests).toBeGreaterThan(IDLE_SYNC_REQUESTS);

      // Not due again for another week.
      emulator.resetStats();
      await sync(emulator, store, { ...later(9), windowDays: 200 });
      expect(emulator.stats.requests).toBe(IDLE_SYNC_REQUESTS);
    });

    it("should start an interrupted weekly listing over, and only then drop what is gone", async () => {
      const mailbox = smallMailbox();
      emulator = await startEmulator(mailbox);
      const store = new MemoryCacheStore();
      await sync(emulator, store, { pageSize: 25 });
      const oldest = [...mailbox.inbox].sort(
        (a, b) => Date.parse(a.receivedDateTime) - Date.parse(b.receivedDateTime),
      )[0]?.id as string;
      emulator.deleteMessage(oldest);
      const at = (days: number): Partial<MailSyncOptions> => ({
        pageSize: 25,
        lanes: 1,
        clock: () => CLOCK + days * 86_400_000,
        now: (CLOCK + days * 86_400_000) as Instant,
      });
      let pages = 0;
      const failing = new Proxy(store, {
        get(target, prop, receiver) {
          if (prop === "applyPage")
            return async (change: PageChange) => {
              if (++pages === 4) throw new Error("killed");
              return target.applyPage(change);
            };
          const value = Reflect.get(target, prop, receiver) as unknown;
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      await expect(sync(emulator, failing, at(8))).rejects.toThrow("killed");
      // The resumed listing finishes, but it did not see the whole window in one run: nothing is dropped yet.
      await sync(emulator, store, at(8));
      expect((await store.loadMessages()).some((m) => m.id === oldest)).toBe(true);
      // The next sync lists the window again in full, and the deleted message goes.
      await sync(emulator, store, at(8));
      expect(canonical(await store.loadMessages())).toEqual(expectedMessages(emulator, mailbox.me));
    });

    it("should resync a folder after 410 SyncStateNotFound and keep the user state", async () => {
      const mailbox = smallMailbox();
      emulator = await startEmulator(mailbox);
      const store = new MemoryCacheStore();
      await sync(emulator, store, { pageSize: 25 });
      const userState = { snoozes: { c1: NOW }, closed: {}, loggedAttempts: [] };
      await store.saveUserState(userState);
      emulator.expireDeltaTokens();
      emulator.addMessage(
        "inbox",
        graphMessage({
          id: "late",
          conversationId: "c-late",
          from: "a@b.com",
          at: new Date(CLOCK - 86_400_000 * 3),
        }) as never,
      );
      const result = await sync(emulator, store, { pageSize: 25 });
      expect([...result.resyncedFolders].sort()).toEqual(["archive", "inbox", "sentitems"]);
      expect(canonical(await store.loadMessages())).toEqual(expectedMessages(emulator, mailbox.me));
      expect(await store.loadUserState()).toEqual(userState);
    });

    it("should fail with a clear 401 error carrying Graph's code and request id when the token is wrong", async () => {
      emulator = await startEmulator(smallMailbox());
      const connection = connect(emulator, "wrong-token");
      const error = await syncMailbox({
        connection,
        store: new MemoryCacheStore(),
        now: NOW,
        windowDays: 365,
        clock,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GraphSyncError);
      const e = error as GraphSyncError;
      expect(e.kind).toBe("unauthorized");
      expect(e.status).toBe(401);
      expect(e.code).toBe("InvalidAuthenticationToken");
      expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(e.message).toContain("InvalidAuthenticationToken");
    });

    it("should skip and count messages with unusable fields without breaking the sync", async () => {
      const base = smallMailbox(9, 20, 30);
      const broken = [
        { id: "b1", subject: "no conversation", receivedDateTime: base.inbox[0]?.receivedDateTime },
        {
          ...base.inbox[1],
          id: "b2",
          conversationId: "c-b2",
          sentDateTime: "yesterday",
          receivedDateTime: "never",
        },
        // Wrongly typed from and toRecipients: skipped, not read as "no sender, no recipients".
        { ...base.inbox[2], id: "b3", from: "not an object", toRecipients: "nobody", hasAttachments: "yes" },
      ];
      const mailbox = { ...base, inbox: [...base.inbox, ...broken] } as unknown as typeof base;
      emulator = await startEmulator(mailbox);
      const store = new MemoryCacheStore();
      const result = await sync(emulator, store, { pageSize: 10 });
      const file = parseMailboxJson(mailbox, "mailbox.json");
      expect(result.skipped).toEqual(file.skipped);
      expect(result.skippedTotal).toBe(3);
      expect(canonical(await store.loadMessages())).toEqual(canonical(file.mailbox.messages));
    });

    it("should turn an unexpected error answer into a clear error with Graph's code and request id", async () => {
      const mailbox = smallMailbox();
      emulator = await startEmulator(mailbox);
      const store = new MemoryCacheStore();
      await sync(emulator, store, { pageSize: 50 });
      // A damaged delta link in the cache: Graph answers 400.
      const state = await store.loadSyncState("inbox");
      const damaged = `${emulator.url}/me/mailFolders/inbox/messages/delta?$deltatoken=garbage`;
      await store.applyPage({
        folder: "inbox",
        upserts: [],
        removedIds: [],
        state: { ...state!, deltaLink: damaged },
      });
      const error = (await sync(emulator, store).catch((e: unknown) => e)) as GraphSyncError;
      expect(error).toBeInstanceOf(GraphSyncError);
      expect(error.kind).toBe("graph");
      expect(error.status).toBe(400);
      expect(error.code).toBe("ErrorInvalidUrlQuery");
      expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(error.message).toMatch(
        /HTTP 400 while syncing changes in inbox: .*\(ErrorInvalidUrlQuery, request-id [0-9a-f-]{36}\)/,
      );
      // Nothing was lost on the way.
      expect(canonical(await store.loadMessages())).toEqual(expectedMessages(emulator, mailbox.me));
    });

    it("should refuse a page size Graph cannot serve instead of syncing nothing", async () => {
      emulator = await startEmulator(smallMailbox());
      await expect(sync(emulator, new MemoryCacheStore(), { pageSize: 0 })).rejects.toThrow(RangeError);
    });

    it("should page at Graph's 1,000 cap even when asked for more", async () => {
      const mailbox = smallMailbox(3, 300, 2300);
      emulator = await startEmulator(mailbox);
      const store = new MemoryCacheStore();
      await sync(emulator, store, { pageSize: 5000, lanes: 1 });
      expect(canonical(await store.loadMessages())).toEqual(expectedMessages(emulator, mailbox.me));
      // 2,300 inbox messages in one range: 3 pages; 300 sent: 1 page; Archive: 1 empty page; plus the fixed ones
      expect(emulator.stats.requests).toBe(3 + 1 + 1 + FIRST_SYNC_FIXED);
    });

    it("should ask for every page of a range at once, at the page size Graph applies, and no more", async () => {
      const mailbox = smallMailbox();
      emulator = await startEmulator(mailbox, { maxPageSize: 10 });
      const store = new MemoryCacheStore();
      await sync(emulator, store, { pageSize: 25 });
      expect(canonical(await store.loadMessages())).toEqual(expectedMessages(emulator, mailbox.me));
      // Graph applied pages of 10: page 0, then pages that each start on the previous page's last message.
      const pages = (n: number): number => 1 + Math.ceil((n - 10) / 9);
      expect(emulator.stats.requests).toBe(pages(140) + pages(60) + 1 + FIRST_SYNC_FIXED);
    });

    it("should lose nothing when mail is added to or deleted from a range while it is listed", async () => {
      const mailbox = smallMailbox();
      emulator = await startEmulator(mailbox);
      const running = emulator;
      const store = new MemoryCacheStore();
      const newestFirst = (folder: "inbox" | "sentitems"): string[] =>
        running
          .folderMessages(folder)
          .sort((a, b) => Date.parse(b.receivedDateTime as string) - Date.parse(a.receivedDateTime as string))
          .map((m) => m.id as string);
      const deleted = new Set<string>();
      let changed = false;
      await sync(emulator, store, {
        pageSize: 25,
        lanes: 1,
        onProgress: (p) => {
          if (changed || p.synced === 0) return;
          changed = true;
          // Once a first page is stored, before the next one is asked for: the newest three of each folder go
          // (the pages after them all move up), and two older messages arrive mid-folder (they move down).
          for (const folder of ["inbox", "sentitems"] as const) {
            const ids = newestFirst(folder);
            for (const id of ids.slice(0, 3)) {
              running.deleteMessage(id);
              deleted.add(id);
            }
            const middle = running
              .folderMessages(folder)
              .find((m) => m.id === ids[Math.floor(ids.length / 2)]);
            for (const n of [1, 2]) {
              running.addMessage(folder, { ...middle, id: `moved-in-${folder}-${n}` });
            }
          }
        },
      });
      expect(changed).toBe(true);
      const cached = new Map((await store.loadMessages()).map((m) => [m.id, m]));
      const expected = expectedMessages(emulator, mailbox.me);
      // Everything Graph holds now is cached; the only extras are the deleted messages listed before they went.
      expect(expected.filter((m) => !cached.has(m.id)).map((m) => m.id)).toEqual([]);
      expect(
        [...cached.keys()].filter((id) => !expected.some((m) => m.id === id) && !deleted.has(id)),
      ).toEqual([]);
      expect(cached.size).toBe((await store.loadMessages()).length);
    });

    it("should lose and duplicate nothing when many messages share one receivedDateTime across pages", async () => {
      const base = smallMailbox(8, 10, 0);
      const inbox = [];
      for (let i = 0; i < 60; i++) {
        // groups of 3 at one instant (straddling page ends), and one group of 13 (more than a page)
        const group = i < 13 ? 100 : Math.floor((i - 13) / 3);
        const at = new Date(CLOCK - 5 * 86_400_000 - group * 3_600_000);
        inbox.push(graphMessage({ id: `tie-${i}`, conversationId: `c-${i}`, from: "a@fabrikam.io", at }));
      }
      const mailbox = { ...base, inbox };
      emulator = await startEmulator(mailbox);
      const store = new MemoryCacheStore();
      await sync(emulator, store, { pageSize: 5, lanes: 1 });
      const cached = canonical(await store.loadMessages());
      expect(cached).toEqual(expectedMessages(emulator, mailbox.me));
      expect(cached.filter((m) => m.folder === "inbox")).toHaveLength(60);
    });

    it("should never lose messages past the 5,000 cap of a receivedDateTime-filtered delta", async () => {
      const mailbox = smallMailbox(5, 40, 120);
      emulator = await startEmulator(mailbox, { deltaFilterCap: 30 });
      const store = new MemoryCacheStore();
      // The seam sits before the window: the delta alone would have to carry everything, and gets cut at 30.
      await sync(emulator, store, { pageSize: 25, seamMarginMs: 500 * 86_400_000, deltaFilterCap: 30 });
      expect(canonical(await store.loadMessages())).toEqual(expectedMessages(emulator, mailbox.me));
    });
  });
});
