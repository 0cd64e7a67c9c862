import "fake-indexeddb/auto";
import fc from "fast-check";
import { openDB } from "idb";
import { instant } from "../../src/core/message";
import { mergeEntries, type StateEntry } from "../../src/core/userStateEntries";
import { carryUserState, IdbCacheStore } from "../../src/store/idbCacheStore";
import { MemoryCacheStore } from "../../src/store/memoryCacheStore";

const snooze = (id: string, at: number, until: number | null): StateEntry => ({
  kind: "snooze",
  id,
  at: instant(at),
  until: until === null ? null : instant(until),
});
const closed = (id: string, at: number, isClosed = true): StateEntry => ({
  kind: "closed",
  id,
  at: instant(at),
  closed: isClosed,
});

let dbCount = 0;
const freshName = () => `state-entries-${++dbCount}`;

describe("user state as entries in the cache stores", () => {
  it("should keep a snooze from one pane and a close from another on the same database", async () => {
    const name = freshName();
    const [a, b] = await Promise.all([IdbCacheStore.open(name), IdbCacheStore.open(name)]);
    // Both panes loaded the same (empty) state, then each made one change.
    await Promise.all([a.putStateEntry(snooze("c1", 10, 5000)), b.putStateEntry(closed("c2", 11))]);
    for (const store of [a, b]) {
      const state = await store.loadUserState();
      expect(state.snoozes).toEqual({ c1: 5000 });
      expect(state.closed).toEqual({ c2: 11 });
    }
    await Promise.all([a.close(), b.close()]);
  });

  it("should carry an older cache's snoozes and closed files into the mailbox's cache once, never undoing a newer one", async () => {
    const legacy = freshName();
    const old = await IdbCacheStore.open(legacy);
    await old.putStateEntry(snooze("c1", 10, 5000));
    await old.putStateEntry(closed("c2", 11));
    await old.close();
    const mine = await IdbCacheStore.open(freshName());
    await mine.putStateEntry(snooze("c1", 20, null)); // woken up since, in the new cache
    expect(await carryUserState(legacy, mine)).toBe(1);
    expect(await carryUserState(legacy, mine)).toBe(0);
    const state = await mine.loadUserState();
    expect(state.snoozes).toEqual({});
    expect(state.closed).toEqual({ c2: 11 });
    expect(await carryUserState("no-such-database", mine)).toBe(0);
    await mine.close();
  });

  it.each([
    ["the stored one is newer", 50, 40],
    ["both have the same instant", 40, 40],
  ])("should let a change made now win when %s (its time is bumped)", async (_case, storedAt, newAt) => {
    const store = await IdbCacheStore.open(freshName());
    await store.putStateEntry(snooze("c1", storedAt, 9000));
    const stored = await store.putStateEntry(snooze("c1", newAt, null));
    expect(stored).toEqual(snooze("c1", storedAt + 1, null));
    expect((await store.loadUserState()).snoozes).toEqual({});
    await store.close();
  });

  it("should store an undo as a tombstone, and a later snooze supersede it", async () => {
    const store = await IdbCacheStore.open(freshName());
    await store.putStateEntry(snooze("c1", 10, 9000));
    await store.putStateEntry(snooze("c1", 20, null));
    expect(await store.loadStateEntries()).toEqual([snooze("c1", 20, null)]);
    expect((await store.loadUserState()).snoozes).toEqual({});
    await store.putStateEntry(snooze("c1", 30, 9500));
    expect((await store.loadUserState()).snoozes).toEqual({ c1: 9500 });
    await store.close();
  });

  it("should turn a whole-state save into per-entry changes, an undone close becoming a tombstone", async () => {
    const store = await IdbCacheStore.open(freshName());
    await store.putStateEntry(closed("c2", 11));
    await store.saveUserState({ snoozes: { c1: instant(7000) }, closed: {}, loggedAttempts: [] });
    const entries = await store.loadStateEntries();
    expect(entries.find((e) => e.kind === "closed")).toMatchObject({ id: "c2", closed: false });
    expect(await store.loadUserState()).toEqual({ snoozes: { c1: 7000 }, closed: {}, loggedAttempts: [] });
    await store.close();
  });

  it("should migrate the old single user-state object once, losing nothing and keeping the original", async () => {
    const name = freshName();
    const old = {
      snoozes: { c1: 9000 },
      closed: { c2: 300 },
      loggedAttempts: [
        { id: "call-1", conversationId: "c3", at: 400, kind: "voicemail", note: "left a message" },
      ],
      referrers: { c4: "ann@example.com" },
      deferrals: { c5: null },
    };
    const v2 = await openDB(name, 2, {
      upgrade(db, _old, _new, tx) {
        db.createObjectStore("messages", { keyPath: ["folder", "id"] });
        db.createObjectStore("folders", { keyPath: "folder" });
        db.createObjectStore("meta");
        tx.objectStore("messages").createIndex("receivedAt", "receivedAt");
      },
    });
    await v2.put("meta", old, "userState");
    v2.close();

    const store = await IdbCacheStore.open(name);
    expect(await store.loadUserState()).toEqual(old);
    await store.putStateEntry(snooze("c6", instant(Date.now() + 1000), 12_000));
    await store.close();
    const again = await IdbCacheStore.open(name);
    expect(await again.loadUserState()).toEqual({ ...old, snoozes: { c1: 9000, c6: 12_000 } });
    await again.close();
    const raw = await openDB(name);
    expect(await raw.get("meta", "userStateBeforeEntries")).toEqual(old);
    raw.close();
  });

  it("should keep entries the same way in the memory store, tombstones included", async () => {
    const store = new MemoryCacheStore();
    await store.putStateEntry(snooze("c1", 10, 9000));
    await store.putStateEntry(closed("c2", 11));
    await store.putStateEntry(snooze("c1", 12, null));
    expect(await store.loadStateEntries()).toEqual(
      expect.arrayContaining([snooze("c1", 12, null), closed("c2", 11)]),
    );
    expect(await store.loadUserState()).toEqual({ snoozes: {}, closed: { c2: 11 }, loggedAttempts: [] });
  });

  it("should end with the last decision put for every key, whatever the clocks said (property)", async () => {
    const entryArb = fc
      .tuple(
        fc.constantFrom("c1", "c2", "c3"),
        fc.integer({ min: 1, max: 50 }),
        fc.option(fc.integer({ min: 1, max: 99 })),
      )
      .map(([id, at, until]) => snooze(id, at, until));
    await fc.assert(
      fc.asyncProperty(fc.array(entryArb, { maxLength: 8 }), async (entries) => {
        const store = await IdbCacheStore.open(freshName());
        for (const e of entries) await store.putStateEntry(e);
        const stored = await store.loadStateEntries();
        await store.close();
        const last = new Map(entries.map((e) => [e.id, e.kind === "snooze" ? e.until : null]));
        expect(new Map(stored.map((e) => [e.id, e.kind === "snooze" ? e.until : null]))).toEqual(last);
        // What is stored is already merged: merging it again changes nothing.
        expect(mergeEntries(stored, stored)).toEqual(mergeEntries(stored));
      }),
      { numRuns: 30 },
    );
  });
});
