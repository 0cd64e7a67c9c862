import { AuthNotConfiguredError, SignInRequiredError } from "../../src/auth/tokenProvider";
import { instant } from "../../src/core/message";
import { GraphSyncError } from "../../src/graph/graphErrors";
import { MemoryCacheStore } from "../../src/store/memoryCacheStore";
import { GraphMailboxSource, toSyncProblem, userStateStoreOn } from "../../src/taskpane/graphMailboxSource";
import { SyncProblem } from "../../src/taskpane/services";

const graphError = (kind: GraphSyncError["kind"], retryAfterMs: number | null = null) =>
  new GraphSyncError(kind, `graph said ${kind}`, 500, "Code", "req-1", retryAfterMs);

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
    it("should keep user state in the cache store", async () => {
      const store = new MemoryCacheStore();
      const states = userStateStoreOn(store);
      await states.save({ snoozes: { c1: instant(5) }, closed: {}, loggedAttempts: [] });
      expect((await states.load()).snoozes).toEqual({ c1: 5 });
    });
  });
});
