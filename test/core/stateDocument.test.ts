import fc from "fast-check";
import { instant } from "../../src/core/message";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import {
  entryChanges,
  isStateDocument,
  parseStateDocument,
  stateDocument,
  StateDocumentError,
} from "../../src/core/stateDocument";
import { mergeEntries, type StateEntry } from "../../src/core/userStateEntries";

const at = (n: number) => instant(1_790_000_000_000 + n);
const snooze = (id: string, n: number, until: number | null = 99): StateEntry => ({
  kind: "snooze",
  id,
  at: at(n),
  until: until === null ? null : at(until),
});

describe("stateDocument.ts", () => {
  it("should round-trip entries and settings through JSON", () => {
    const entries = [snooze("a", 1), snooze("b", 2)];
    const json = JSON.parse(JSON.stringify(stateDocument(entries, DEFAULT_SETTINGS)));
    expect(isStateDocument(json)).toBe(true);
    expect(parseStateDocument(json)).toEqual({ entries, settings: DEFAULT_SETTINGS });
    expect(parseStateDocument(JSON.parse(JSON.stringify(stateDocument(entries))))).toEqual({
      entries,
      settings: null,
    });
  });

  it.each([
    [{ windowDays: 30 }, "it is not a Rekindle data file"],
    [
      { format: "rekindle-user-state", version: 2, entries: [] },
      "it has version 2; this Rekindle reads version 1",
    ],
    [{ format: "rekindle-user-state", version: 1 }, 'it has no "entries" list'],
    [
      { format: "rekindle-user-state", version: 1, entries: [{ kind: "closed", id: "c", at: 1 }] },
      'entry 1: closed entry "c" needs "closed" true or false',
    ],
  ])("should refuse %j saying %s", (raw, message) => {
    expect(() => parseStateDocument(raw)).toThrow(new StateDocumentError(message));
  });

  it("should refuse bad settings inside a data file", () => {
    const raw = { ...stateDocument([]), settings: { windowDays: -1 } };
    expect(() => parseStateDocument(raw)).toThrow(/the imported settings/);
  });

  describe("entryChanges", () => {
    it.each<[string, StateEntry[], StateEntry[], string[], string[]]>([
      ["a new key is added", [], [snooze("a", 1)], ["a"], ["Add 1 snooze"]],
      [
        "a newer decision updates",
        [snooze("a", 1)],
        [snooze("a", 2, null)],
        ["a"],
        ["Update 1 snooze with a newer decision"],
      ],
      ["an older one changes nothing", [snooze("a", 5)], [snooze("a", 2, null)], [], []],
      ["the same one changes nothing", [snooze("a", 5)], [snooze("a", 5)], [], []],
      [
        "kinds are counted apart",
        [],
        [snooze("a", 1), snooze("b", 1), { kind: "closed", id: "c", at: at(1), closed: true }],
        ["c", "a", "b"],
        ["Add 2 snoozes", "Add 1 closed file"],
      ],
    ])("%s", (_, current, incoming, winners, lines) => {
      const got = entryChanges(current, incoming);
      expect(got.winners.map((e) => e.id)).toEqual(winners);
      expect(got.lines).toEqual(lines);
    });

    it("should never lose an entry: applying the winners equals merging everything", () => {
      const arb = fc.array(
        fc.record({
          id: fc.constantFrom("a", "b", "c"),
          n: fc.nat(5),
          until: fc.option(fc.nat(9), { nil: null }),
        }),
        { maxLength: 6 },
      );
      fc.assert(
        fc.property(arb, arb, (cur, inc) => {
          const current = cur.map((e) => snooze(e.id, e.n, e.until));
          const incoming = inc.map((e) => snooze(e.id, e.n, e.until));
          const { winners } = entryChanges(current, incoming);
          expect(mergeEntries(current, winners)).toEqual(mergeEntries(current, incoming));
        }),
      );
    });
  });
});
