import "fake-indexeddb/auto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { instant, type Instant } from "../../src/core/message";
import fc from "fast-check";
import { entryKey, mergeEntries, resolveEntries, type StateEntry } from "../../src/core/userStateEntries";
import type { GraphConnection } from "../../src/graph/graphClient";
import {
  decodeStateValue,
  encodeStateValue,
  latestAttemptsOf,
  MAILBOX_HOME_FOLDER,
  readStateHome,
  ROAMING_STATE_PROPERTY,
} from "../../src/graph/mailboxState";
import { SYNC_EXPAND } from "../../src/graph/mailSync";
import { JOURNAL_MS, RoamingState, type RoamingLocal } from "../../src/graph/roamingState";
import { IdbCacheStore } from "../../src/store/idbCacheStore";
import { MemoryCacheStore } from "../../src/store/memoryCacheStore";
import { readStateFile, stateFileRoamingLocal } from "../../src/store/userStateFile";
import type { RunningEmulator } from "../emulator/graphEmulator";
import { connect, IDLE_SYNC_REQUESTS, smallMailbox, startEmulator, sync } from "./syncHarness";

const dir = mkdtempSync(join(tmpdir(), "rekindle-roam-"));
let fileCount = 0;
const AT = (n: number): Instant => instant(Date.parse("2026-06-01T10:00:00Z") + n * 1000);

/** One device: its own mail cache, its own local user state, its own roaming. */
interface Device {
  readonly cache: MemoryCacheStore;
  readonly local: RoamingLocal;
  readonly roaming: RoamingState;
  /** Syncs the mail (listing the window again with `relist`), then merges the mailbox's state and pushes. */
  sync(relist?: boolean): Promise<void>;
  /** A decision made on this device: stored locally first, then written to the mailbox. */
  decide(entry: StateEntry): Promise<void>;
  resolved(): Promise<ReturnType<typeof resolveEntries>>;
}

async function device(
  emulator: RunningEmulator,
  kind: "file" | "idb",
  options: {
    askWrite?: (interactive: boolean) => Promise<void>;
    write?: GraphConnection;
    now?: () => number;
    /** The IndexedDB database (the same one: the pane opened again). */
    database?: string;
  } = {},
): Promise<Device> {
  const cache = new MemoryCacheStore();
  let local: RoamingLocal;
  if (kind === "file") local = stateFileRoamingLocal(join(dir, `state-${fileCount++}.json`));
  else {
    const store = await IdbCacheStore.open(options.database ?? `roam-${fileCount++}`);
    local = store.roamingLocal();
  }
  let targets = new Map<string, string>();
  const roaming = new RoamingState({
    read: connect(emulator),
    write: options.write ?? connect(emulator),
    local,
    targetFor: (conversationId) => targets.get(conversationId) ?? null,
    askWrite: options.askWrite ?? (() => Promise.resolve()),
    now: options.now ?? (() => AT(10)),
  });
  return {
    cache,
    local,
    roaming,
    sync: async (relist = false) => {
      const result = await sync(emulator, cache, relist ? { relistAfterMs: 0 } : {});
      targets = latestAttemptsOf(await cache.loadMessages());
      await roaming.absorb(result.state);
      await roaming.push({ interactive: false }); // as the pane does after a sync: nothing is shown
    },
    decide: async (entry) => {
      await local.merge([entry]);
      await roaming.push();
    },
    resolved: async () => resolveEntries(await local.load()),
  };
}

/** Two conversations in which I wrote last from Sent Items, with my newest message in each. */
function attempts(emulator: RunningEmulator): { conversationId: string; messageId: string }[] {
  const sent = emulator.folderMessages("sentitems");
  const latest = new Map<string, { id: string; at: string }>();
  for (const m of sent) {
    const c = String(m.conversationId);
    const at = String(m.sentDateTime);
    const known = latest.get(c);
    if (!known || at > known.at || (at === known.at && m.id > known.id)) latest.set(c, { id: m.id, at });
  }
  return [...latest].slice(0, 2).map(([conversationId, { id }]) => ({ conversationId, messageId: id }));
}

const stateOn = (emulator: RunningEmulator, messageId: string): string | undefined => {
  const m = emulator.folderMessages("sentitems").find((x) => x.id === messageId);
  const props = (m?.singleValueExtendedProperties ?? []) as { id: string; value: string }[];
  return props.find((p) => p.id === ROAMING_STATE_PROPERTY)?.value;
};

describe("roaming user state in the mailbox", () => {
  let emulator: RunningEmulator;
  beforeEach(async () => {
    emulator = await startEmulator(smallMailbox(41, 30, 60), { deltaReportsEveryChange: true });
  });
  afterEach(() => emulator.close());

  it("should ask for our property in every sync page", () => {
    expect(SYNC_EXPAND).toContain(`id eq '${ROAMING_STATE_PROPERTY}'`);
  });

  it("should show a snooze made on device A on device B after B syncs", async () => {
    const [first] = attempts(emulator);
    const a = await device(emulator, "file");
    const b = await device(emulator, "idb");
    await a.sync();
    await b.sync();
    await a.decide({ kind: "snooze", id: first!.conversationId, at: AT(1), until: AT(86_400) });
    expect(decodeStateValue(stateOn(emulator, first!.messageId) ?? "").entries).toHaveLength(1);
    expect((await b.resolved()).userState.snoozes).toEqual({});
    await b.sync();
    expect((await b.resolved()).userState.snoozes).toEqual({ [first!.conversationId]: AT(86_400) });
    expect(b.roaming.status().pending).toBe(0);
  });

  it("should cost a decision three requests for its message and three for the mailbox's value, and a sync one", async () => {
    const [first] = attempts(emulator);
    const a = await device(emulator, "file");
    await a.sync();
    emulator.resetStats();
    await a.decide({ kind: "snooze", id: first!.conversationId, at: AT(1), until: AT(86_400) });
    expect(emulator.stats.requests).toBe(6); // each: GET ($select=id, our property only), PATCH, GET back
    emulator.resetStats();
    await a.roaming.push();
    expect(emulator.stats.requests).toBe(0); // nothing pending: nothing asked
    emulator.resetStats();
    await a.sync();
    expect(emulator.stats.requests).toBe(IDLE_SYNC_REQUESTS + 1); // the mailbox's own value
  });

  it("should keep a close on B and a snooze on A of the same conversation", async () => {
    const [first] = attempts(emulator);
    const c = first!.conversationId;
    const a = await device(emulator, "idb");
    const b = await device(emulator, "file");
    await a.sync();
    await b.sync();
    // Both decide before either has heard of the other: each read-modify-write keeps the other's entry.
    await a.decide({ kind: "snooze", id: c, at: AT(1), until: AT(86_400) });
    await b.decide({ kind: "closed", id: c, at: AT(2), closed: true });
    await a.sync();
    await b.sync();
    for (const d of [a, b]) {
      const { userState } = await d.resolved();
      expect(userState.snoozes).toEqual({ [c]: AT(86_400) });
      expect(userState.closed).toEqual({ [c]: AT(2) });
    }
    expect(decodeStateValue(stateOn(emulator, first!.messageId) ?? "").entries.map(entryKey)).toEqual([
      `closed:${c}`,
      `snooze:${c}`,
    ]);
  });

  it("should give every entry back to a reinstall (an empty cache and an empty local state)", async () => {
    const [first, second] = attempts(emulator);
    const a = await device(emulator, "file");
    await a.sync();
    await a.decide({ kind: "snooze", id: first!.conversationId, at: AT(1), until: AT(86_400) });
    await a.decide({
      kind: "call",
      id: "call-1",
      at: AT(2),
      conversationId: second!.conversationId,
      calledAt: AT(2),
      voicemail: true,
      note: "left a message",
      deleted: false,
    });
    await a.decide({ kind: "not-a-prospect", id: "@partner.example", at: AT(3), excluded: true });
    const fresh = await device(emulator, "idb");
    await fresh.sync();
    expect(await fresh.local.load()).toEqual(await a.local.load());
    expect((await fresh.resolved()).excludedDomains).toEqual(["partner.example"]);
    expect(fresh.roaming.status().pending).toBe(0);
  });

  it("should report a damaged value and never overwrite it", async () => {
    const [first] = attempts(emulator);
    emulator.updateMessage(first!.messageId, {
      singleValueExtendedProperties: [{ id: ROAMING_STATE_PROPERTY, value: "{not json" }],
    });
    const a = await device(emulator, "file");
    await a.sync();
    expect(a.roaming.status().problems).toEqual([
      "The Rekindle state on a message could not be read (it is not valid JSON); it was left as it is.",
    ]);
    await a.decide({ kind: "snooze", id: first!.conversationId, at: AT(1), until: AT(86_400) });
    expect(stateOn(emulator, first!.messageId)).toBe("{not json");
    // Kept here, and still waiting for the value to be mended.
    expect(Object.keys((await a.resolved()).userState.snoozes)).toEqual([first!.conversationId]);
    expect(a.roaming.status().pending).toBe(1);
  });

  it("should push a decision made offline at the next sync", async () => {
    const [first] = attempts(emulator);
    const a = await device(emulator, "file");
    await a.sync();
    emulator.setFaults({ dropRate: 1 });
    await a.decide({ kind: "snooze", id: first!.conversationId, at: AT(1), until: AT(86_400) });
    emulator.setFaults({});
    expect(stateOn(emulator, first!.messageId)).toBeUndefined();
    expect(a.roaming.status()).toMatchObject({ mode: "on", pending: 1 });
    expect(a.roaming.status().lastError).toMatch(/Microsoft Graph/);
    await a.sync();
    expect(decodeStateValue(stateOn(emulator, first!.messageId) ?? "").entries).toHaveLength(1);
    expect(a.roaming.status()).toMatchObject({ pending: 0, lastError: null });
  });

  it("should keep state local and say so when Mail.ReadWrite is refused, and roam once it is allowed", async () => {
    const [first] = attempts(emulator);
    let allow = false;
    const a = await device(emulator, "file", {
      askWrite: () => (allow ? Promise.resolve() : Promise.reject(new Error("consent refused"))),
    });
    await a.sync();
    await a.decide({ kind: "closed", id: first!.conversationId, at: AT(1), closed: true });
    expect(a.roaming.status().mode).toBe("local-only");
    expect(stateOn(emulator, first!.messageId)).toBeUndefined();
    expect((await a.resolved()).userState.closed).toEqual({ [first!.conversationId]: AT(1) });
    // No second prompt at the next sync; only turning roaming on asks again.
    allow = true;
    await a.sync();
    expect(a.roaming.status().mode).toBe("local-only");
    await a.roaming.enable();
    expect(a.roaming.status()).toMatchObject({ mode: "on", pending: 0 });
    expect(decodeStateValue(stateOn(emulator, first!.messageId) ?? "").entries).toHaveLength(1);
  });

  it("should remember a refusal when the pane opens again, asking only once roaming is turned on", async () => {
    const [first] = attempts(emulator);
    const asked: boolean[] = [];
    let allow = false;
    const askWrite = (interactive: boolean) => {
      asked.push(interactive);
      return allow ? Promise.resolve() : Promise.reject(new Error("consent refused"));
    };
    const before = await device(emulator, "idb", { askWrite, database: "roam-reopened" });
    await before.sync();
    await before.decide({ kind: "closed", id: first!.conversationId, at: AT(1), closed: true });
    expect(before.roaming.status().mode).toBe("local-only");
    const after = await device(emulator, "idb", { askWrite, database: "roam-reopened" });
    await after.sync();
    expect(after.roaming.status()).toMatchObject({ mode: "local-only", pending: 1 });
    await after.decide({ kind: "closed", id: first!.conversationId, at: AT(2), closed: false });
    expect(asked).toEqual([true]);
    allow = true;
    await after.roaming.enable();
    expect(after.roaming.status()).toMatchObject({ mode: "on", pending: 0 });
    const again = await device(emulator, "idb", { askWrite, database: "roam-reopened" });
    await again.sync();
    expect(again.roaming.status().mode).toBe("on");
  });

  it("should not ask for Mail.ReadWrite after a sync, only when the user makes a decision", async () => {
    const [first, second] = attempts(emulator);
    const asked: boolean[] = [];
    const a = await device(emulator, "file", {
      askWrite: (interactive) => {
        asked.push(interactive);
        return interactive ? Promise.resolve() : Promise.reject(new Error("consent needed"));
      },
    });
    // Decisions from before roaming (an older Rekindle): pending, but a sync alone shows no consent prompt.
    await a.local.merge([{ kind: "closed", id: first!.conversationId, at: AT(1), closed: true }]);
    await a.sync();
    expect(asked).toEqual([false]);
    expect(a.roaming.status()).toMatchObject({ mode: "on", pending: 1 });
    expect(stateOn(emulator, first!.messageId)).toBeUndefined();
    await a.decide({ kind: "closed", id: second!.conversationId, at: AT(2), closed: true });
    expect(asked).toEqual([false, true]);
    expect(a.roaming.status()).toMatchObject({ mode: "on", pending: 0 });
    expect(stateOn(emulator, first!.messageId)).toBeDefined();
  });

  it("should keep a conversation's decision in the mailbox's own value for 30 days, and on the message for good", async () => {
    const [first, second] = attempts(emulator);
    let now: number = AT(10);
    const a = await device(emulator, "file", { now: () => now });
    await a.sync();
    await a.decide({ kind: "snooze", id: first!.conversationId, at: AT(1), until: AT(9_000_000) });
    const root = async () =>
      (await readStateHome(connect(emulator), { folder: MAILBOX_HOME_FOLDER })).entries;
    expect((await root()).map(entryKey)).toEqual([`snooze:${first!.conversationId}`]);
    now = AT(1) + JOURNAL_MS + 1;
    await a.decide({ kind: "closed", id: second!.conversationId, at: instant(now), closed: true });
    expect((await root()).map(entryKey)).toEqual([`closed:${second!.conversationId}`]);
    expect(decodeStateValue(stateOn(emulator, first!.messageId) ?? "").entries.map(entryKey)).toEqual([
      `snooze:${first!.conversationId}`,
    ]);
    // A new machine still gets both: the weekly listing of the window reads the messages' own values.
    const fresh = await device(emulator, "idb");
    await fresh.sync();
    expect((await fresh.local.load()).map(entryKey).sort()).toEqual(
      [`closed:${second!.conversationId}`, `snooze:${first!.conversationId}`].sort(),
    );
  });

  it("should write a decision again when the mailbox lost it to another device's racing write", async () => {
    const [first] = attempts(emulator);
    const a = await device(emulator, "file");
    await a.sync();
    await a.decide({ kind: "snooze", id: first!.conversationId, at: AT(1), until: AT(86_400) });
    // Another device read the value before A wrote, and wrote its own after: A's entry is gone from the message.
    const other: StateEntry = { kind: "closed", id: first!.conversationId, at: AT(2), closed: true };
    emulator.updateMessage(first!.messageId, {
      singleValueExtendedProperties: [{ id: ROAMING_STATE_PROPERTY, value: encodeStateValue([other]) }],
    });
    await a.sync(true);
    expect(decodeStateValue(stateOn(emulator, first!.messageId) ?? "").entries.map(entryKey)).toEqual([
      `closed:${first!.conversationId}`,
      `snooze:${first!.conversationId}`,
    ]);
    expect(a.roaming.status().pending).toBe(0);
  });

  it("should put a decision of a conversation I never wrote in, and exclusions, on the mailbox itself", async () => {
    const a = await device(emulator, "file");
    await a.sync();
    await a.decide({ kind: "not-a-prospect", id: "jo@x.example", at: AT(1), excluded: true });
    await a.decide({ kind: "snooze", id: "no-such-conversation", at: AT(2), until: AT(9) });
    const b = await device(emulator, "file");
    await b.sync();
    expect((await b.resolved()).excludedAddresses).toEqual(["jo@x.example"]);
    expect((await b.resolved()).userState.snoozes).toEqual({ "no-such-conversation": AT(9) });
    expect(await readStateFile(join(dir, `state-${fileCount - 1}.json`))).toHaveLength(2);
  });
});

interface Step {
  readonly device: 0 | 1;
  readonly action: "decide" | "decide-offline" | "sync";
  readonly kind: "snooze" | "closed" | "not-a-prospect";
  readonly conversation: 0 | 1 | 2;
  readonly at: number;
  readonly flag: boolean;
}

/** Plays `steps` on two devices (a file cache and an IndexedDB one), syncs both twice, and checks they agree. */
async function playOnTwoDevices(steps: readonly Step[]): Promise<void> {
  const emulator = await startEmulator(smallMailbox(43, 12, 20), { deltaReportsEveryChange: true });
  try {
    const conversations = [
      ...new Set(emulator.folderMessages("sentitems").map((m) => String(m.conversationId))),
    ];
    conversations.push("never-wrote-in-it");
    const devices = [await device(emulator, "file"), await device(emulator, "idb")];
    for (const d of devices) await d.sync();
    const made: StateEntry[] = [];
    for (const s of steps) {
      const d = devices[s.device]!;
      if (s.action === "sync") {
        await d.sync();
        continue;
      }
      const id =
        s.kind === "not-a-prospect" ? `p${s.conversation}@x.example` : conversations[s.conversation]!;
      const entry: StateEntry =
        s.kind === "snooze"
          ? { kind: "snooze", id, at: AT(s.at), until: s.flag ? AT(100) : null }
          : s.kind === "closed"
            ? { kind: "closed", id, at: AT(s.at), closed: s.flag }
            : { kind: "not-a-prospect", id, at: AT(s.at), excluded: s.flag };
      made.push(entry);
      if (s.action === "decide-offline") emulator.setFaults({ dropRate: 1 });
      await d.decide(entry);
      emulator.setFaults({});
    }
    for (let round = 0; round < 2; round++) for (const d of devices) await d.sync();
    const expected = mergeEntries(made);
    for (const d of devices) {
      expect(mergeEntries(await d.local.load())).toEqual(expected);
      expect(d.roaming.status().pending).toBe(0);
    }
  } finally {
    await emulator.close();
  }
}

describe("roaming between two devices, whatever happens in between", () => {
  it("should agree on a decision two devices made at the same instant, one of them offline", async () => {
    // Found by the property below: the ledger counted the offline device's decision as in the mailbox already,
    // because the other device's, at the same instant, was.
    await playOnTwoDevices([
      { device: 0, action: "decide-offline", kind: "closed", conversation: 0, at: 27, flag: true },
      { device: 1, action: "decide", kind: "closed", conversation: 0, at: 27, flag: false },
    ]);
  });

  it("should leave both devices with every decision either made, offline or not, once both have synced", async () => {
    const step = fc.record({
      device: fc.constantFrom(0 as const, 1 as const),
      action: fc.constantFrom("decide" as const, "decide-offline" as const, "sync" as const),
      kind: fc.constantFrom("snooze" as const, "closed" as const, "not-a-prospect" as const),
      conversation: fc.constantFrom(0 as const, 1 as const, 2 as const),
      at: fc.integer({ min: 1, max: 40 }),
      flag: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => playOnTwoDevices(steps)),
      { numRuns: 12 },
    );
  }, 120_000);
});

describe("mailbox state values", () => {
  it.each([
    ["not JSON", "{", "it is not valid JSON"],
    ["another format", JSON.stringify({ format: "x", entries: [] }), "it is not Rekindle's state"],
    ["a newer version", JSON.stringify({ format: "rekindle-state", version: 9, entries: [] }), "version 9"],
    ["no list", JSON.stringify({ format: "rekindle-state", version: 1 }), `no "entries" list`],
  ])("should refuse %s with its problem", (_name, text, problem) => {
    const value = decodeStateValue(text);
    expect(value.entries).toEqual([]);
    expect(value.problem).toContain(problem);
  });

  it("should keep the readable entries of a value with one bad entry, and name the bad one", () => {
    const good: StateEntry = { kind: "closed", id: "c", at: AT(1), closed: true };
    const text = JSON.stringify({ format: "rekindle-state", version: 1, entries: [good, { kind: "x" }] });
    expect(decodeStateValue(text)).toEqual({ entries: [good], problem: expect.stringContaining("entry 2") });
  });

  it("should read back what it wrote", () => {
    const entries: StateEntry[] = [
      { kind: "closed", id: "c", at: AT(2), closed: true },
      { kind: "snooze", id: "c", at: AT(1), until: null },
    ];
    expect(decodeStateValue(encodeStateValue(entries))).toEqual({ entries, problem: null });
  });
});
