// Fifty seeded runs with every fault knob on at once: latency, 429/503/504, dropped connections, 410 on delta
// tokens, 401 token expiry, 500s, connections reset mid-body, truncated JSON, redirects to a foreign host and
// nextLinks with another URL embedded, with delta rounds that report every change (an add and a delete of one
// message in one round, too). A failed sync is simply run again on the same store (as the pane and the CLI with
// --cache do), so this checks that every failure leaves a resumable cache. Each run must end with exactly the
// cache and the classification of the fault-free run.
import { detectAwaitingReply } from "../../src/core/awaitingReply";
import type { Mailbox } from "../../src/core/message";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { EMPTY_USER_STATE } from "../../src/core/userState";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGraphConnection, StaticTokenProvider } from "../../src/graph/graphClient";
import { GraphSyncError } from "../../src/graph/graphErrors";
import { FileCacheStore } from "../../src/store/fileCacheStore";
import type { CacheStore } from "../../src/store/cacheStore";
import type { MailSyncResult } from "../../src/graph/mailSync";
import { MemoryCacheStore } from "../../src/store/memoryCacheStore";
import type { EmulatorFaults, RunningEmulator } from "../emulator/graphEmulator";
import { graphMessage } from "../fixtures/graphMessage";
import { canonical, CLOCK, NOW, smallMailbox, startEmulator, sync } from "./syncHarness";

const RUNS = 50;
const mailbox = smallMailbox(21, 50, 110);

function faults(seed: number): EmulatorFaults {
  return {
    seed,
    latencyMs: 1,
    throttleRate: 0.06,
    unavailableRate: 0.04,
    gatewayTimeoutRate: 0.04,
    dropRate: 0.04,
    deltaTokenExpiryRate: 0.15,
    tokenExpiryRate: 0.04,
    serverErrorRate: 0.03,
    resetMidBodyRate: 0.03,
    truncatedBodyRate: 0.03,
    redirectRate: 0.02,
    embeddedLinkRate: 0.03,
    retryAfterSeconds: 0,
  };
}

/** Changes made between the first and the second sync: new, changed and deleted messages. */
const at = (minutes: number) => new Date(CLOCK - minutes * 60_000);
function mutate(emulator: RunningEmulator): void {
  for (let i = 0; i < 6; i++) {
    emulator.addMessage(i % 2 ? "inbox" : "sentitems", {
      ...graphMessage({
        id: `fresh-${i}`,
        conversationId: `fresh-c${i % 3}`,
        from: i % 2 ? "Lee <lee@fabrikam.io>" : "sam.rivera@northwind-sales.com",
        to: i % 2 ? ["sam.rivera@northwind-sales.com"] : ["lee@fabrikam.io"],
        at: at(30 - i),
        subject: `Thread ${i % 3}`,
      }),
    });
  }
}
function mutateAgain(emulator: RunningEmulator): void {
  emulator.updateMessage("fresh-1", { subject: "Thread 1 (edited)" });
  emulator.deleteMessage("fresh-2");
  emulator.moveMessage("fresh-3", "sentitems");
  // Arrives and goes within one delta round: the round reports both, in that order.
  emulator.addMessage("inbox", {
    ...graphMessage({ id: "blink", conversationId: "fresh-c0", from: "lee@fabrikam.io", at: at(5) }),
  });
  emulator.deleteMessage("blink");
  emulator.moveMessage("fresh-4", "archive");
}

/** Runs a sync until it succeeds, as the pane's retry would; every failure must be a clear GraphSyncError. */
async function syncUntilDone(emulator: RunningEmulator, store: CacheStore): Promise<MailSyncResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sync(emulator, store, { pageSize: 15 });
    } catch (error) {
      if (!(error instanceof GraphSyncError) || attempt > 200) throw error;
    }
  }
}

async function scenario(
  emulatorFaults: EmulatorFaults | undefined,
): Promise<{ cache: string; reports: string; stats: RunningEmulator["stats"] }> {
  const emulator = await startEmulator(mailbox, {
    deltaReportsEveryChange: true,
    ...(emulatorFaults ? { faults: emulatorFaults } : {}),
  });
  try {
    const store = new MemoryCacheStore();
    await syncUntilDone(emulator, store);
    mutate(emulator);
    await syncUntilDone(emulator, store);
    mutateAgain(emulator);
    await syncUntilDone(emulator, store);
    const messages = await store.loadMessages();
    const me = await store.loadMe();
    if (!me) throw new Error("the sync stored no /me");
    const fromStore: Mailbox = { me, messages };
    const reports = detectAwaitingReply(fromStore, {
      now: NOW,
      settings: DEFAULT_SETTINGS,
      userState: EMPTY_USER_STATE,
    });
    expect(new Set(messages.map((m) => `${m.folder}/${m.id}`)).size).toBe(messages.length);
    return {
      cache: JSON.stringify(canonical(messages)),
      reports: JSON.stringify(reports),
      stats: { ...emulator.stats },
    };
  } finally {
    await emulator.close();
  }
}

describe("mailSync.ts under injected faults", () => {
  it(`should end ${RUNS} seeded runs with every fault on with the cache and classification of the fault-free run`, async () => {
    const reference = await scenario(undefined);
    expect(JSON.parse(reference.cache)).toHaveLength(mailbox.sentitems.length + mailbox.inbox.length + 6 - 1);
    const cached = JSON.parse(reference.cache) as { id: string; folder: string }[];
    expect(cached.some((m) => m.id === "blink")).toBe(false);
    expect(cached.filter((m) => m.id === "fresh-4").map((m) => m.folder)).toEqual(["archive"]);
    let faultsSeen = 0;
    for (let seed = 1; seed <= RUNS; seed++) {
      const run = await scenario(faults(seed));
      faultsSeen += run.stats.faultsInjected;
      expect({ seed, cache: run.cache }).toEqual({ seed, cache: reference.cache });
      expect({ seed, reports: run.reports }).toEqual({ seed, reports: reference.reports });
    }
    // The knobs really fired: many faults per run on average.
    expect(faultsSeen).toBeGreaterThan(RUNS * 3);
  }, 180_000);
});

describe("mailSync.ts under hostile transports, one fault at a time", () => {
  let emulator: RunningEmulator | undefined;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "rekindle-faults-"));
  });
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const reference = async (): Promise<string> => {
    const clean = await startEmulator(mailbox);
    try {
      const store = new MemoryCacheStore();
      await sync(clean, store, { pageSize: 15 });
      return JSON.stringify(canonical(await store.loadMessages()));
    } finally {
      await clean.close();
    }
  };

  it.each<[string, EmulatorFaults]>([
    ["connections reset mid-body", { seed: 5, resetMidBodyRate: 0.25 }],
    ["HTTP 500s", { seed: 6, serverErrorRate: 0.25 }],
    ["truncated JSON bodies", { seed: 7, truncatedBodyRate: 0.25 }],
    ["hung requests (timed out)", { seed: 8, hangRate: 0.1 }],
  ])(
    "should retry %s within the client and end with the fault-free cache",
    async (_what, knobs) => {
      const expected = await reference();
      emulator = await startEmulator(mailbox, { faults: { ...knobs, retryAfterSeconds: 0 } });
      const connection = createGraphConnection({
        baseUrl: emulator.url,
        authProvider: new StaticTokenProvider(emulator.token),
        retryDelaySeconds: 0,
        maxRetries: 10,
        maxTransientRetries: 8,
        timeoutMs: 150,
      });
      const store = new MemoryCacheStore();
      await sync(emulator, store, { pageSize: 15, connection });
      expect(emulator.stats.faultsInjected).toBeGreaterThan(0);
      expect(JSON.stringify(canonical(await store.loadMessages()))).toBe(expected);
    },
    60_000,
  );

  it("should not follow a redirect to a foreign host, and finish once Graph answers again", async () => {
    const expected = await reference();
    let foreignHits = 0;
    const foreign = http.createServer((_req, res) => {
      foreignHits++;
      res.end("{}");
    });
    await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
    try {
      const redirectTo = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
      emulator = await startEmulator(mailbox, { faults: { seed: 2, redirectRate: 1, redirectTo } });
      const store = new MemoryCacheStore();
      const failure: unknown = await sync(emulator, store, { pageSize: 15 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(GraphSyncError);
      expect((failure as Error).message).toMatch(/redirect \(HTTP 302\).*does not follow/);
      expect(foreignHits).toBe(0);
      emulator.setFaults({});
      await sync(emulator, store, { pageSize: 15 });
      expect(JSON.stringify(canonical(await store.loadMessages()))).toBe(expected);
    } finally {
      await new Promise<void>((resolve) => foreign.close(() => resolve()));
    }
  });

  it("should refuse a nextLink with an embedded URL, never store it, and resume cleanly", async () => {
    const expected = await reference();
    emulator = await startEmulator(mailbox);
    const file = join(dir, "cache.jsonl");
    const store = await FileCacheStore.open(file);
    // The first sync gets far enough to follow links: then every link Graph sends embeds another URL.
    emulator.setFaults({ seed: 3, embeddedLinkRate: 1 });
    const failure: unknown = await sync(emulator, store, { pageSize: 15 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(GraphSyncError);
    expect((failure as Error).message).toMatch(/refusing to follow/);
    for (const folder of ["sentitems", "inbox"] as const) {
      const state = await store.loadSyncState(folder);
      expect(`${state?.deltaNextLink ?? ""} ${state?.deltaLink ?? ""}`).not.toMatch(/evil/);
    }
    await store.close();
    expect(readFileSync(file, "utf8")).not.toMatch(/evil\.example/);
    emulator.setFaults({});
    const again = await FileCacheStore.open(file);
    await sync(emulator, again, { pageSize: 15 });
    expect(JSON.stringify(canonical(await again.loadMessages()))).toBe(expected);
    await again.close();
  });

  it("should resume a file cache killed mid-write twice in a row (torn lines) to the fault-free cache", async () => {
    const expected = await reference();
    emulator = await startEmulator(mailbox, { faults: { seed: 11, dropRate: 0.3, latencyMs: 1 } });
    const file = join(dir, "cache.jsonl");
    const connection = createGraphConnection({
      baseUrl: emulator.url,
      authProvider: new StaticTokenProvider(emulator.token),
      retryDelaySeconds: 0,
      maxTransientRetries: 0,
    });
    let kills = 0;
    for (let attempt = 0; attempt < 100; attempt++) {
      const store = await FileCacheStore.open(file);
      try {
        await sync(emulator, store, { pageSize: 15, connection });
        expect(JSON.stringify(canonical(await store.loadMessages()))).toBe(expected);
        break;
      } catch (error) {
        if (!(error instanceof GraphSyncError)) throw error;
      } finally {
        await store.close();
      }
      // The process "dies" writing its next record (half a line, no newline); the next run dies the same way.
      appendFileSync(file, `0123456789abcdef {"page":{"folder":"inbox","upserts":[{"id":"torn-${kills++}`);
    }
    expect(kills).toBeGreaterThan(1);
    const reopened = await FileCacheStore.open(file);
    expect(JSON.stringify(canonical(await reopened.loadMessages()))).toBe(expected);
    await reopened.close();
  });
});
