import fc from "fast-check";
import { instant } from "../../src/core/message";
import {
  entriesFromUserState,
  mergeEntries,
  parseStateEntry,
  resolveEntries,
  sentRecordsOf,
  type StateEntry,
  withEntry,
} from "../../src/core/userStateEntries";

const at = (n: number) => instant(1_790_000_000_000 + n);

const arbEntry: fc.Arbitrary<StateEntry> = fc.oneof(
  fc.record({
    kind: fc.constant("snooze" as const),
    id: fc.constantFrom("a", "b", "c"),
    at: fc.nat(5).map(at),
    until: fc.option(fc.nat(9).map(at), { nil: null }),
  }),
  fc.record({
    kind: fc.constant("closed" as const),
    id: fc.constantFrom("a", "b"),
    at: fc.nat(5).map(at),
    closed: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("not-a-prospect" as const),
    id: fc.constantFrom("x@acme.com", "@acme.com"),
    at: fc.nat(5).map(at),
    excluded: fc.boolean(),
  }),
);

describe("userStateEntries.ts", () => {
  describe("mergeEntries", () => {
    it("should be commutative, associative and idempotent, so replicas agree whatever the order", () => {
      fc.assert(
        fc.property(fc.array(arbEntry), fc.array(arbEntry), fc.array(arbEntry), (a, b, c) => {
          expect(mergeEntries(a, b)).toEqual(mergeEntries(b, a));
          expect(mergeEntries(mergeEntries(a, b), c)).toEqual(mergeEntries(a, mergeEntries(b, c)));
          expect(mergeEntries(a, a)).toEqual(mergeEntries(a));
        }),
      );
    });

    it("should never lose one pane's change to another pane's change of a different entry", () => {
      fc.assert(
        fc.property(fc.array(arbEntry), arbEntry, arbEntry, (base, mine, theirs) => {
          fc.pre(`${mine.kind}:${mine.id}` !== `${theirs.kind}:${theirs.id}`);
          const merged = mergeEntries(withEntry(base, mine), withEntry(base, theirs));
          expect(merged).toContainEqual(
            mergeEntries(base, [mine]).find((e) => e.kind === mine.kind && e.id === mine.id),
          );
          expect(merged).toContainEqual(
            mergeEntries(base, [theirs]).find((e) => e.kind === theirs.kind && e.id === theirs.id),
          );
        }),
      );
    });
  });

  describe("resolveEntries", () => {
    it.each([
      ["a snooze", [{ kind: "snooze", id: "c", at: at(1), until: at(9) }], { snoozes: { c: at(9) } }],
      [
        "an undone snooze (tombstone)",
        [
          { kind: "snooze", id: "c", at: at(1), until: at(9) },
          { kind: "snooze", id: "c", at: at(2), until: null },
        ],
        { snoozes: {} },
      ],
      [
        "a reopened file",
        [
          { kind: "closed", id: "c", at: at(1), closed: true },
          { kind: "closed", id: "c", at: at(3), closed: false },
        ],
        { closed: {} },
      ],
      [
        "a cleared later date",
        [{ kind: "deferral", id: "c", at: at(1), until: "none" }],
        { deferrals: { c: null } },
      ],
      [
        "a marked referrer",
        [{ kind: "referrer", id: "c", at: at(1), address: "r@x.com" }],
        { referrers: { c: "r@x.com" } },
      ],
    ] as const)("should read %s", (_name, entries, expected) => {
      expect(resolveEntries(entries as readonly StateEntry[]).userState).toMatchObject(expected);
    });

    it("should split not-a-prospect into addresses and domains, and drop undone ones", () => {
      const r = resolveEntries([
        { kind: "not-a-prospect", id: "billing@vendor.com", at: at(1), excluded: true },
        { kind: "not-a-prospect", id: "@recruiters.example", at: at(1), excluded: true },
        { kind: "not-a-prospect", id: "@acme.com", at: at(1), excluded: false },
      ]);
      expect(r.excludedAddresses).toEqual(["billing@vendor.com"]);
      expect(r.excludedDomains).toEqual(["recruiters.example"]);
    });

    it("should keep a logged call until it is deleted", () => {
      const call = {
        kind: "call" as const,
        id: "k1",
        at: at(1),
        conversationId: "c",
        calledAt: at(0),
        voicemail: true,
        note: "",
        deleted: false,
      };
      expect(resolveEntries([call]).userState.loggedAttempts).toEqual([
        { id: "k1", conversationId: "c", at: at(0), kind: "voicemail" },
      ]);
      expect(resolveEntries([call, { ...call, at: at(2), deleted: true }]).userState.loggedAttempts).toEqual(
        [],
      );
    });

    it("should say the same as the old single-object state it came from", () => {
      const state = {
        snoozes: { a: at(9) },
        closed: { b: at(2) },
        loggedAttempts: [{ id: "k", conversationId: "a", at: at(1), kind: "call" as const }],
      };
      expect(resolveEntries(entriesFromUserState(state, at(5))).userState).toMatchObject(state);
    });
  });

  describe("parseStateEntry", () => {
    it.each([
      [null, "an entry must be an object"],
      [{ kind: "snooze", id: "", at: 1, until: 2 }, 'no usable "id"'],
      [{ kind: "snooze", id: "c", at: "yesterday", until: 2 }, '"at" must be a time'],
      [{ kind: "closed", id: "c", at: 1 }, 'needs "closed" true or false'],
      [
        { kind: "not-a-prospect", id: "nobody", at: 1, excluded: true },
        "neither an e-mail address nor @domain",
      ],
      [{ kind: "__proto__", id: "c", at: 1 }, "unknown entry kind"],
      [
        { kind: "sent", id: "d1", at: 1, technique: "nudge", edited: false, path: "compose" },
        'needs a "conversationId"',
      ],
      [
        {
          kind: "sent",
          id: "d1",
          at: 1,
          conversationId: "c",
          technique: "sell",
          edited: false,
          path: "compose",
        },
        "names no known technique",
      ],
      [
        {
          kind: "sent",
          id: "d1",
          at: 1,
          conversationId: "c",
          technique: "nudge",
          edited: false,
          path: "fax",
        },
        'needs "path"',
      ],
    ])("should refuse %j, saying why", (raw, message) => {
      expect(() => parseStateEntry(raw)).toThrow(message);
    });

    it("should keep a sent record, which the engine's state ignores and sentRecordsOf lists oldest first", () => {
      const raw = {
        kind: "sent",
        id: "d2",
        at: 9,
        conversationId: "c",
        technique: "nudge",
        edited: true,
        path: "graph-draft",
      };
      const older = parseStateEntry({ ...raw, id: "d1", at: 3, technique: "pending-file", edited: false });
      const entries = mergeEntries([parseStateEntry(raw), older]);
      expect(sentRecordsOf(entries).map((e) => [e.id, e.technique, e.edited])).toEqual([
        ["d1", "pending-file", false],
        ["d2", "nudge", true],
      ]);
      expect(resolveEntries(entries).userState).toEqual(resolveEntries([]).userState);
    });
  });
});
