import { AuthNotConfiguredError, SignInRequiredError } from "../../src/auth/tokenProvider";
import { instant, type MailMessage } from "../../src/core/message";
import type { MailChangeSet } from "../../src/graph/mailChanges";
import { GraphSyncError } from "../../src/graph/graphErrors";
import { MemoryCacheStore } from "../../src/store/memoryCacheStore";
import { GraphMailboxSource, toSyncProblem, userStateStoreOn } from "../../src/taskpane/graphMailboxSource";
import { SyncProblem } from "../../src/taskpane/services";
import type { StateChannel } from "../../src/taskpane/stateChannel";
import type { StateEntry } from "../../src/core/userStateEntries";

const graphError = (kind: GraphSyncError["kind"], retryAfterMs: number | null = null) =>
  new GraphSyncError(kind, `graph said ${kind}`, 500, "Code", "req-1", retryAfterMs);

/** A message of the test mailbox: in Sent Items, with no one on it, unless `fields` says otherwise. */
const mail = (id: string, fields: Partial<MailMessage> = {}): MailMessage => ({
  id,
  conversationId: `c-${id}`,
  folder: "sentitems",
  subject: id,
  preview: "",
  from: null,
  to: [],
  cc: [],
  bcc: [],
  sentAt: instant(1),
  receivedAt: instant(1),
  hasAttachments: false,
  ...fields,
});

/** One stored page of Sent Items holding these messages. */
const pageOf = (upserts: MailMessage[]) => ({
  folder: "sentitems" as const,
  upserts,
  removedIds: [],
  state: {
    folder: "sentitems" as const,
    windowStart: "2025-01-01T00:00:00Z",
    deltaFrom: "2026-01-01T00:00:00Z",
    pendingRanges: [],
    deltaNextLink: null,
    deltaLink: "d",
    totalItemCount: upserts.length,
    skipped: {},
  },
});

describe("graphMailboxSource.ts", () => {
  describe("toSyncProblem", () => {
    it.each([
      [new AuthNotConfiguredError(), "not-configured", null],
      [new SignInRequiredError("closed"), "signed-out", 60_000],
      [graphError("offline"), "offline", 30_000],
      [graphError("throttled", 7_000), "throttled", 7_000],
      [graphError("throttled"), "throttled", 60_000],
      [graphError("unauthorized"), "signed-out", 60_000],
      [graphError("graph"), "error", 120_000],
      [new TypeError("Failed to fetch"), "offline", 30_000],
      [new Error("boom"), "error", 120_000],
    ])("should map %p to %s retrying after %p ms", (error, kind, retry) => {
      const problem = toSyncProblem(error);
      expect(problem).toBeInstanceOf(SyncProblem);
      expect([problem.kind, problem.retryAfterMs]).toEqual([kind, retry]);
    });

    it("should say what to configure when there is no client ID", () => {
      expect(toSyncProblem(new AuthNotConfiguredError()).message).toMatch(/REKINDLE_CLIENT_ID/);
    });
  });

  describe("GraphMailboxSource", () => {
    it("should give null before the first sync, then the synced mailbox, with progress passed on", async () => {
      const store = new MemoryCacheStore();
      const source = new GraphMailboxSource(store, async (onProgress) => {
        onProgress({ phase: "first-sync", synced: 0, expected: 1 });
        await store.saveMe({ displayName: "Sam" });
        await store.setLastSyncAt(instant(42));
      });
      expect(await source.loadCached()).toBeNull();
      const progress: unknown[] = [];
      const mailbox = await source.sync((p) => progress.push(p));
      expect(mailbox.me.displayName).toBe("Sam");
      expect(progress).toEqual([{ phase: "first-sync", synced: 0, expected: 1 }]);
      expect(await source.lastSyncAt()).toBe(42);
      expect(source.current()).toEqual(mailbox);
    });

    it("should take a first sync's change set into an empty cache as the mailbox, without reading the cache back", async () => {
      const store = new MemoryCacheStore();
      const stored = mail("m1", { subject: "Hello", from: { name: "Sam", address: "sam@example.com" } });
      const source = new GraphMailboxSource(store, async () => {
        await store.saveMe({ displayName: "Sam" });
        await store.applyPage(pageOf([stored]));
        return { added: [stored], changed: [], removed: [] };
      });
      expect(await source.loadCached()).toBeNull();
      const reads = jest.spyOn(store, "loadMessages");
      const mailbox = await source.sync(() => undefined);
      expect(reads).not.toHaveBeenCalled();
      expect(mailbox).toEqual({ me: { displayName: "Sam" }, messages: [stored] });
      expect(mailbox).toEqual(await source.loadCached());
    });

    it("should tell a sync run in the worker which mailbox it built, from which, without counting the cache", async () => {
      const store = new MemoryCacheStore();
      const settled: [unknown, unknown][] = [];
      let next: MailChangeSet = { added: [mail("m1")], changed: [], removed: [] };
      // The worker stored the pages; this thread only hears the change set (and how many the cache holds).
      const source = new GraphMailboxSource(store, async () => {
        await store.saveMe({ displayName: "Sam" });
        return {
          changes: next,
          cached: 1,
          settle: (before, after) => settled.push([before, after]),
        };
      });
      expect(await source.loadCached()).toBeNull();
      const counts = jest.spyOn(store, "countMessages");
      const first = await source.sync(() => undefined);
      expect(first.messages.map((m) => m.id)).toEqual(["m1"]);
      expect(counts).not.toHaveBeenCalled();
      expect(settled).toEqual([[null, first]]);
      next = { added: [mail("m2")], changed: [], removed: [] };
      const second = await source.sync(() => undefined);
      expect(second.messages.map((m) => m.id)).toEqual(["m1", "m2"]);
      expect(settled[1]).toEqual([first, second]);
      expect(settled[1]![0]).toBe(first);
      next = { added: [], changed: [], removed: [] };
      expect(await source.sync(() => undefined)).toBe(second);
      expect(settled[2]).toEqual([second, second]);
    });

    it("should read the cache when a sync run in the worker cannot tell its change set, and say so", async () => {
      const store = new MemoryCacheStore();
      const settled: [unknown, unknown][] = [];
      const source = new GraphMailboxSource(store, async () => {
        await store.saveMe({ displayName: "Sam" });
        return { changes: null, cached: 0, settle: (before, after) => settled.push([before, after]) };
      });
      expect(await source.loadCached()).toBeNull();
      const reads = jest.spyOn(store, "loadMessages");
      expect((await source.sync(() => undefined)).me.displayName).toBe("Sam");
      expect(reads).toHaveBeenCalled();
      expect(settled).toEqual([[null, null]]);
    });

    it("should tell a sync run in the worker that the cache was read instead, when its count does not match", async () => {
      const store = new MemoryCacheStore();
      const stored = mail("m1", { subject: "Hello" });
      const settled: [unknown, unknown][] = [];
      const source = new GraphMailboxSource(store, async () => {
        await store.saveMe({ displayName: "Sam" });
        await store.applyPage(pageOf([stored]));
        // Another pane's sync stored one more meanwhile: the cache holds 2, this change set names 1.
        return {
          changes: { added: [stored], changed: [], removed: [] },
          cached: 2,
          settle: (before, after) => settled.push([before, after]),
        };
      });
      expect(await source.loadCached()).toBeNull();
      const reads = jest.spyOn(store, "loadMessages");
      await source.sync(() => undefined);
      expect(reads).toHaveBeenCalled();
      expect(settled).toEqual([[null, null]]);
    });

    it("should read the cache back after a first sync when another pane filled the cache meanwhile", async () => {
      const store = new MemoryCacheStore();
      const source = new GraphMailboxSource(store, async () => {
        // The other pane's sync stored m1 first; this one's only added m2.
        await store.applyPage(pageOf([mail("m1"), mail("m2")]));
        await store.saveMe({ displayName: "Sam" });
        return { added: [mail("m2")], changed: [], removed: [] };
      });
      expect(await source.loadCached()).toBeNull();
      const mailbox = await source.sync(() => undefined);
      expect(mailbox.messages.map((m) => m.id).sort()).toEqual(["m1", "m2"]);
    });

    it("should read the cache back after a first sync when the cache was not read empty", async () => {
      const store = new MemoryCacheStore();
      const old = mail("m0", { subject: "Before" });
      // Messages from before, but no "me": the pane shows nothing until the sync, and then all of them.
      await store.applyPage(pageOf([old]));
      const source = new GraphMailboxSource(store, async () => {
        await store.saveMe({ displayName: "Sam" });
        return { added: [], changed: [], removed: [] };
      });
      expect(await source.loadCached()).toBeNull();
      expect((await source.sync(() => undefined)).messages).toEqual([old]);
    });

    it("should apply a sync's change set to the mailbox it holds, and give the same mailbox when nothing changed", async () => {
      const store = new MemoryCacheStore();
      const inboxMail = (id: string, subject = "s") => mail(id, { folder: "inbox", subject });
      await store.saveMe({ displayName: "Sam" });
      await store.applyPage({
        folder: "inbox",
        upserts: [inboxMail("1"), inboxMail("2")],
        removedIds: [],
        state: {
          folder: "inbox",
          windowStart: "2025-01-01T00:00:00Z",
          deltaFrom: "2026-01-01T00:00:00Z",
          pendingRanges: [],
          deltaNextLink: null,
          deltaLink: "d",
          totalItemCount: 2,
          skipped: {},
        },
      });
      let next: MailChangeSet = {
        added: [inboxMail("3")],
        changed: [inboxMail("1", "new")],
        removed: [{ folder: "inbox", id: "2" }],
      };
      // The store is not read again: what the mailbox holds comes from the change set alone.
      const source = new GraphMailboxSource(store, async () => next);
      const cached = await source.loadCached();
      const synced = await source.sync(() => {});
      expect(synced.messages.map((m) => [m.id, m.subject]).sort()).toEqual([
        ["1", "new"],
        ["3", "s"],
      ]);
      expect(cached?.messages).toHaveLength(2);
      next = { added: [], changed: [], removed: [] };
      expect(await source.sync(() => {})).toBe(synced);
    });

    it("should sign in before syncing and report a missing configuration as not-configured", async () => {
      let synced = false;
      const source = new GraphMailboxSource(
        new MemoryCacheStore(),
        async () => {
          synced = true;
        },
        () => Promise.reject(new AuthNotConfiguredError()),
      );
      const problem = await source.sync(() => {}).catch((e: unknown) => e);
      expect(problem).toMatchObject({ kind: "not-configured", retryAfterMs: null });
      expect(synced).toBe(false);
    });

    it("should turn a failed sync into a SyncProblem", async () => {
      const source = new GraphMailboxSource(new MemoryCacheStore(), () =>
        Promise.reject(graphError("offline")),
      );
      await expect(source.sync(() => {})).rejects.toMatchObject({ kind: "offline" });
    });
  });

  describe("userStateStoreOn", () => {
    it("should store one entry at a time in the cache store and announce what it stored", async () => {
      const store = new MemoryCacheStore();
      const posted: (readonly StateEntry[])[] = [];
      const channel: StateChannel = {
        post: (entries) => posted.push(entries),
        subscribe: () => () => {},
        close: () => {},
      };
      const states = userStateStoreOn(store, channel);
      await store.putStateEntry({ kind: "closed", id: "c2", at: instant(3), closed: true });
      const stored = await states.put({ kind: "snooze", id: "c1", at: instant(5), until: instant(9) });
      expect(stored).toEqual({ kind: "snooze", id: "c1", at: 5, until: 9 });
      expect(await states.load()).toEqual(
        expect.arrayContaining([stored, { kind: "closed", id: "c2", at: 3, closed: true }]),
      );
      expect(posted).toEqual([[stored]]);
    });

    it("should hand each stored entry on after the local write, and tell every pane of entries from the mailbox", async () => {
      const store = new MemoryCacheStore();
      const posted: (readonly StateEntry[])[] = [];
      const channel: StateChannel = {
        post: (e) => posted.push(e),
        subscribe: () => () => {},
        close: () => {},
      };
      // What the store held when the entry was handed on: the local write came first.
      const handed: { entry: StateEntry; storeThen: Promise<StateEntry[]> }[] = [];
      const states = userStateStoreOn(store, channel, (entry) =>
        handed.push({ entry, storeThen: store.loadStateEntries() }),
      );
      const heard: (readonly StateEntry[])[] = [];
      states.subscribe((e) => heard.push(e));
      const stored = await states.put({ kind: "closed", id: "c1", at: instant(2), closed: true });
      expect(await store.loadStateEntries()).toEqual([stored]);
      expect(handed.map((h) => h.entry)).toEqual([stored]);
      await expect(handed[0]!.storeThen).resolves.toEqual([stored]);
      const roamed: StateEntry = { kind: "snooze", id: "c2", at: instant(4), until: instant(9) };
      states.announce([roamed]);
      states.announce([]);
      expect(heard).toEqual([[stored], [roamed]]);
      expect(posted).toEqual([[stored], [roamed]]);
    });

    it("should pass on what another pane announced", () => {
      let hear: ((entries: readonly StateEntry[]) => void) | undefined;
      const channel: StateChannel = {
        post: () => {},
        subscribe: (listener) => {
          hear = listener;
          return () => (hear = undefined);
        },
        close: () => {},
      };
      const heard: (readonly StateEntry[])[] = [];
      const stop = userStateStoreOn(new MemoryCacheStore(), channel).subscribe((e) => heard.push(e));
      hear!([{ kind: "closed", id: "c1", at: instant(1), closed: true }]);
      stop();
      expect(hear).toBeUndefined();
      expect(heard).toEqual([[{ kind: "closed", id: "c1", at: 1, closed: true }]]);
    });
  });
});
