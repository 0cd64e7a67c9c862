import { instant, type MailMessage } from "../../src/core/message";
import { applyChangeSet, ChangeSetAccumulator, type MailChangeSet } from "../../src/graph/mailChanges";
import { MemoryCacheStore } from "../../src/store/memoryCacheStore";
import type { RunningEmulator } from "../emulator/graphEmulator";
import { graphMessage } from "../fixtures/graphMessage";
import { canonical, CLOCK, expectedMessages, smallMailbox, startEmulator, sync } from "./syncHarness";

const ME = "sam.rivera@northwind-sales.com";
const fresh = (id: string, minutesAgo: number, from = "ann@fabrikam.io") =>
  graphMessage({
    id,
    conversationId: `c-${id}`,
    from,
    to: [ME],
    at: new Date(CLOCK - minutesAgo * 60_000),
    subject: id,
  });
const keys = (changes: MailChangeSet) => ({
  added: changes.added.map((m) => `${m.folder}/${m.id}`).sort(),
  changed: changes.changed.map((m) => `${m.folder}/${m.id}`).sort(),
  removed: changes.removed.map((k) => `${k.folder}/${k.id}`).sort(),
});

describe("mailSync.ts change sets", () => {
  let emulator: RunningEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it("should report every message of a first sync as added, page by page, adding up to the cache", async () => {
    const mailbox = smallMailbox(51, 30, 70);
    emulator = await startEmulator(mailbox);
    const store = new MemoryCacheStore();
    const pages: MailChangeSet[] = [];
    const result = await sync(emulator, store, { pageSize: 20, onChanges: (c) => pages.push(c) });
    expect(pages.length).toBeGreaterThan(3);
    let applied: MailMessage[] = [];
    for (const page of pages) applied = applyChangeSet(applied, page);
    const cached = canonical(await store.loadMessages());
    expect(canonical(applied)).toEqual(cached);
    expect(canonical(result.changes.added)).toEqual(cached);
    expect(result.changes.changed).toEqual([]);
    expect(result.changes.removed).toEqual([]);
  });

  it("should report new, changed, deleted and moved mail of an incremental sync, and nothing when nothing changed", async () => {
    const mailbox = smallMailbox(52, 30, 70);
    emulator = await startEmulator(mailbox);
    const store = new MemoryCacheStore();
    await sync(emulator, store, { pageSize: 20 });
    const idle = await sync(emulator, store, { pageSize: 20 });
    expect(keys(idle.changes)).toEqual({ added: [], changed: [], removed: [] });

    emulator.addMessage("inbox", { ...fresh("n1", 30) });
    emulator.addMessage("inbox", { ...fresh("n2", 20) });
    emulator.addMessage("sentitems", { ...fresh("n3", 10, ME) });
    await sync(emulator, store, { pageSize: 20 });
    const before = await store.loadMessages();
    emulator.updateMessage("n1", { subject: "n1 (edited)" });
    emulator.deleteMessage("n2");
    emulator.moveMessage("n3", "archive");
    const pages: MailChangeSet[] = [];
    const result = await sync(emulator, store, { pageSize: 20, onChanges: (c) => pages.push(c) });
    expect(keys(result.changes)).toEqual({
      added: ["archive/n3"],
      changed: ["inbox/n1"],
      removed: ["inbox/n2", "sentitems/n3"],
    });
    expect(result.changes.changed[0]?.subject).toBe("n1 (edited)");
    // Applying the change sets to what the caller held gives the cache, with no second read of it.
    let held = before;
    for (const page of pages) held = applyChangeSet(held, page);
    expect(canonical(held)).toEqual(canonical(await store.loadMessages()));
    expect(canonical(applyChangeSet(before, result.changes))).toEqual(canonical(await store.loadMessages()));
  });

  it("should report nothing when the weekly listing brings the same mail again", async () => {
    const mailbox = smallMailbox(53, 30, 70);
    emulator = await startEmulator(mailbox);
    const store = new MemoryCacheStore();
    await sync(emulator, store, { pageSize: 20 });
    const later = CLOCK + 8 * 86_400_000;
    const pages: MailChangeSet[] = [];
    const result = await sync(emulator, store, {
      pageSize: 20,
      clock: () => later,
      now: instant(later),
      windowDays: 500,
      onChanges: (c) => pages.push(c),
    });
    expect(emulator.stats.requests).toBeGreaterThan(4); // it did list again
    expect(keys(result.changes)).toEqual({ added: [], changed: [], removed: [] });
    expect(pages).toEqual([]);
  });

  it("should apply a delta page's items in Graph's order: added then removed in one page ends up removed", async () => {
    const mailbox = smallMailbox(54, 20, 40);
    emulator = await startEmulator(mailbox, { deltaReportsEveryChange: true });
    const store = new MemoryCacheStore();
    await sync(emulator, store, { pageSize: 20 });
    emulator.addMessage("inbox", { ...fresh("brief", 30) }); // arrives …
    emulator.addMessage("inbox", { ...fresh("stays", 25) });
    emulator.deleteMessage("brief"); // … and is deleted before the next sync
    emulator.addMessage("inbox", { ...fresh("back", 20) });
    emulator.deleteMessage("back");
    emulator.addMessage("inbox", { ...fresh("back", 15) }); // deleted and back again
    const pages: MailChangeSet[] = [];
    const result = await sync(emulator, store, { pageSize: 20, onChanges: (c) => pages.push(c) });
    const ids = new Set((await store.loadMessages()).map((m) => m.id));
    expect(ids.has("brief")).toBe(false);
    expect(ids.has("stays")).toBe(true);
    expect(ids.has("back")).toBe(true);
    expect(canonical(await store.loadMessages())).toEqual(expectedMessages(emulator, mailbox.me));
    expect(keys(result.changes)).toEqual({ added: ["inbox/back", "inbox/stays"], changed: [], removed: [] });
  });
});

describe("mailChanges.ts", () => {
  describe("ChangeSetAccumulator", () => {
    const m = { id: "x", folder: "inbox" } as MailMessage;
    const add: MailChangeSet = { added: [m], changed: [], removed: [] };
    const change: MailChangeSet = { added: [], changed: [m], removed: [] };
    const remove: MailChangeSet = { added: [], changed: [], removed: [{ folder: "inbox", id: "x" }] };
    it.each<[string, MailChangeSet[], string]>([
      ["added then removed", [add, remove], "nothing"],
      ["added then changed", [add, change], "added"],
      ["removed then added (a folder listed afresh)", [remove, add], "changed"],
      ["changed then removed", [change, remove], "removed"],
      ["changed twice", [change, change], "changed"],
    ])("should fold %s into %s", (_name, sets, expected) => {
      const acc = new ChangeSetAccumulator();
      for (const set of sets) acc.add(set);
      const net = acc.result();
      const kinds = [
        ...net.added.map(() => "added"),
        ...net.changed.map(() => "changed"),
        ...net.removed.map(() => "removed"),
      ];
      expect(kinds.length ? kinds.join() : "nothing").toBe(expected);
    });
  });

  describe("applyChangeSet", () => {
    const msg = (id: string, folder: MailMessage["folder"], subject: string) =>
      ({ id, folder, subject }) as MailMessage;
    it.each<[string, MailMessage[], MailChangeSet, string[]]>([
      [
        "an empty mailbox takes a first sync's messages as they are",
        [],
        { added: [msg("a", "inbox", "1"), msg("a", "sentitems", "2")], changed: [], removed: [] },
        ["inbox/a:1", "sentitems/a:2"],
      ],
      [
        "an empty mailbox and a message named twice: the later one",
        [],
        { added: [msg("a", "inbox", "old")], changed: [msg("a", "inbox", "new")], removed: [] },
        ["inbox/a:new"],
      ],
      [
        "a held mailbox: changed replaced, removed gone, added appended",
        [msg("a", "inbox", "1"), msg("b", "inbox", "1")],
        {
          added: [msg("c", "inbox", "1")],
          changed: [msg("a", "inbox", "2")],
          removed: [{ folder: "inbox", id: "b" }],
        },
        ["inbox/a:2", "inbox/c:1"],
      ],
    ])("%s", (_what, held, changes, expected) => {
      expect(applyChangeSet(held, changes).map((m) => `${m.folder}/${m.id}:${m.subject}`)).toEqual(expected);
    });
  });
});
