// Fifty seeded runs with every fault knob on at once: latency, 429/503/504, dropped connections, 410 on delta
// tokens and 401 token expiry, with delta rounds that report every change (an add and a delete of one message
// in one round, too). A failed sync is simply run again on the same store (as the pane and the CLI with
// --cache do), so this checks that every failure leaves a resumable cache. Each run must end with exactly the
// cache and the classification of the fault-free run.
import { detectAwaitingReply } from "../../src/core/awaitingReply";
import type { Mailbox } from "../../src/core/message";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { EMPTY_USER_STATE } from "../../src/core/userState";
import { GraphSyncError } from "../../src/graph/graphErrors";
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
async function syncUntilDone(emulator: RunningEmulator, store: MemoryCacheStore): Promise<MailSyncResult> {
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
