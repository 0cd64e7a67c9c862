import fc from "fast-check";
import { attributeMessages, UNMARKED_ATTRIBUTION_MS, type MyMessage } from "../../src/core/attribution";
import { DAY_MS, instant } from "../../src/core/message";
import type { Technique } from "../../src/core/technique";
import type { SentRecord } from "../../src/core/userStateEntries";

const T0 = 1_790_000_000_000;
const at = (hours: number) => instant(T0 + hours * 3_600_000);
const mine = (id: string, hours: number, technique?: Technique, conversationId = "c1"): MyMessage => ({
  id,
  conversationId,
  sentAt: at(hours),
  ...(technique ? { technique } : {}),
});
const record = (
  hours: number,
  technique: Technique,
  path: SentRecord["path"] = "reply-form",
  conversationId = "c1",
): SentRecord => ({
  kind: "sent",
  id: `${path}:${conversationId}:${hours}`,
  at: at(hours),
  conversationId,
  technique,
  edited: hours % 2 === 1,
  path,
});

describe("attribution.ts", () => {
  describe("attributeMessages", () => {
    it.each<[string, MyMessage[], SentRecord[], Record<string, [Technique, "header" | "record"]>]>([
      [
        "a marked message is its header's technique",
        [mine("m1", 1, "pending-file")],
        [],
        { m1: ["pending-file", "header"] },
      ],
      [
        "a reply form's record claims the next message I send in that conversation",
        [mine("before", -1), mine("m1", 2), mine("m2", 5)],
        [record(0, "are-you-ok")],
        { m1: ["are-you-ok", "record"] },
      ],
      [
        "seven days is the limit (inclusive); a later message is nobody's",
        [mine("m1", 7 * 24 + 1)],
        [record(0, "nudge")],
        {},
      ],
      [
        "exactly seven days later still counts",
        [mine("m1", 7 * 24)],
        [record(0, "nudge")],
        { m1: ["nudge", "record"] },
      ],
      [
        "another conversation's message is not claimed",
        [mine("m1", 1, undefined, "c2")],
        [record(0, "nudge")],
        {},
      ],
      [
        "two records claim two messages in order",
        [mine("m1", 1), mine("m2", 3)],
        [record(0, "nudge"), record(2, "close-the-file")],
        { m1: ["nudge", "record"], m2: ["close-the-file", "record"] },
      ],
      [
        "two records before one message: the first claims it, the second waits for the next",
        [mine("m1", 3), mine("m2", 30)],
        [record(0, "nudge"), record(1, "no-pressure")],
        { m1: ["nudge", "record"], m2: ["no-pressure", "record"] },
      ],
      [
        "a compose record on a marked message keeps the header's technique",
        [mine("m1", 1, "should-i-close-the-file")],
        [record(0, "should-i-close-the-file", "compose")],
        { m1: ["should-i-close-the-file", "header"] },
      ],
      [
        "a Graph draft's record claims the draft once sent, marked or not",
        [mine("m1", 20), mine("m2", 30, "close-the-file", "c2")],
        [record(0, "pending-file", "graph-draft"), record(1, "close-the-file", "graph-draft", "c2")],
        { m1: ["pending-file", "record"], m2: ["close-the-file", "header"] },
      ],
      [
        "a compose record whose header was not set (old Outlook) falls back to the next message",
        [mine("m1", 1)],
        [record(0, "pending-file", "compose")],
        { m1: ["pending-file", "record"] },
      ],
    ])("%s", (_, messages, records, expected) => {
      const got = attributeMessages(messages, records);
      expect(Object.fromEntries([...got].map(([id, a]) => [id, [a.technique, a.via]]))).toEqual(expected);
    });

    it("should carry the record (edited or not) with the message it claimed", () => {
      const r = record(1, "nudge", "reply-form");
      expect(attributeMessages([mine("m1", 2)], [r]).get("m1")?.record).toBe(r);
    });

    it("should claim each message at most once and only within the window after its record", () => {
      const arbMessages = fc
        .uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 12 })
        .map((hours) => hours.map((h, i) => mine(`m${i}`, h, undefined, h % 2 ? "c1" : "c2")));
      const arbRecords = fc.array(
        fc.record({ h: fc.integer({ min: 0, max: 400 }), c: fc.constantFrom("c1", "c2") }),
        { maxLength: 8 },
      );
      fc.assert(
        fc.property(arbMessages, arbRecords, (messages, raw) => {
          const records = raw.map((r, i) => ({ ...record(r.h, "nudge", "reply-form", r.c), id: `r${i}` }));
          const got = attributeMessages(messages, records);
          const claimedBy = [...got.values()].map((a) => a.record?.id);
          expect(new Set(claimedBy).size).toBe(claimedBy.length);
          expect(got.size).toBeLessThanOrEqual(records.length);
          for (const [id, a] of got) {
            const m = messages.find((x) => x.id === id)!;
            expect(m.conversationId).toBe(a.record!.conversationId);
            expect(m.sentAt - a.record!.at).toBeGreaterThanOrEqual(0);
            expect(m.sentAt - a.record!.at).toBeLessThanOrEqual(UNMARKED_ATTRIBUTION_MS);
          }
        }),
      );
      expect(UNMARKED_ATTRIBUTION_MS).toBe(7 * DAY_MS);
    });
  });
});
