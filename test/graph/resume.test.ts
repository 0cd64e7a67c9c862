import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CacheStore, PageChange } from "../../src/store/cacheStore";
import { FileCacheStore } from "../../src/store/fileCacheStore";
import { graphMessage } from "../fixtures/graphMessage";
import type { RunningEmulator } from "../emulator/graphEmulator";
import {
  canonical,
  CLOCK,
  expectedMessages,
  IDLE_SYNC_REQUESTS,
  smallMailbox,
  startEmulator,
  sync,
} from "./syncHarness";

/** A store whose process "dies" at the n-th page: that write and every later one never happen. */
function killedAtPage(store: CacheStore, n: number): CacheStore {
  let pages = 0;
  let dead = false;
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === "applyPage") {
        return async (change: PageChange) => {
          pages++;
          if (pages >= n) dead = true;
          if (dead) throw new Error("killed");
          return target.applyPage(change);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe("mailSync.ts", () => {
  let emulator: RunningEmulator | undefined;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "rekindle-resume-"));
  });
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  describe("syncMailbox after a kill", () => {
    it("should resume a first sync killed mid-listing from the pages already stored, not start over", async () => {
      const mailbox = smallMailbox(11, 100, 300);
      emulator = await startEmulator(mailbox);
      const full = await FileCacheStore.open(join(dir, "full.jsonl"));
      await sync(emulator, full, { pageSize: 20 });
      await full.close();
      const fullRequests = emulator.stats.requests;

      emulator.resetStats();
      const path = join(dir, "cache.jsonl");
      // Stored so far: the two folder states (pages 1–2), then 8 pages; the 11th write dies.
      const killed = await FileCacheStore.open(path);
      await expect(sync(emulator, killedAtPage(killed, 11), { pageSize: 20 })).rejects.toThrow("killed");
      await killed.close(); // the dead process's cache lock is gone
      const beforeKill = emulator.stats.requests;
      const reopened = await FileCacheStore.open(path);
      expect((await reopened.loadMessages()).length).toBeGreaterThan(0);
      emulator.resetStats();
      const result = await sync(emulator, reopened, { pageSize: 20 });
      expect(result.phase).toBe("first-sync");
      expect(canonical(await reopened.loadMessages())).toEqual(expectedMessages(emulator, mailbox.me));
      // The resumed run only asked for what was missing (plus at most the pages in flight at the kill).
      expect(emulator.stats.requests).toBeLessThan(fullRequests - 4);
      expect(emulator.stats.requests + beforeKill).toBeLessThanOrEqual(fullRequests + 8);
      await reopened.close();
    });

    it("should resume an incremental sync killed mid delta chain from the stored nextLink", async () => {
      const mailbox = smallMailbox(12, 40, 80);
      emulator = await startEmulator(mailbox);
      const path = join(dir, "cache.jsonl");
      const first = await FileCacheStore.open(path);
      await sync(emulator, first, { pageSize: 20 });
      await first.close();
      for (let i = 0; i < 70; i++) {
        emulator.addMessage("inbox", {
          ...graphMessage({
            id: `late-${i}`,
            conversationId: `c-${i}`,
            from: "p@fabrikam.io",
            at: new Date(CLOCK - 600_000 + i * 1000),
          }),
        });
      }
      // Page writes: sentitems' delta (1) and inbox's first delta page (2) survive; the next dies.
      const killed = await FileCacheStore.open(path);
      await expect(sync(emulator, killedAtPage(killed, 3), { pageSize: 20, lanes: 1 })).rejects.toThrow(
        "killed",
      );
      await killed.close(); // the dead process's cache lock is gone
      const reopened = await FileCacheStore.open(path);
      const state = await reopened.loadSyncState("inbox");
      expect(state?.deltaNextLink).toContain("$skiptoken=");
      emulator.resetStats();
      const result = await sync(emulator, reopened, { pageSize: 20 });
      expect(result.phase).toBe("incremental");
      expect(canonical(await reopened.loadMessages())).toEqual(expectedMessages(emulator, mailbox.me));
      // 70 changes at 20 a page = 4 pages; one was stored before the kill; Sent Items and Archive are current.
      expect(emulator.stats.requests).toBe(IDLE_SYNC_REQUESTS - 1 + 3);
    });
  });
});
