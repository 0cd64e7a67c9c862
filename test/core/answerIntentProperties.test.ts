import fc from "fast-check";
import { classifyAnswer, createAnswerReader, type IntentKind } from "../../src/core/answerIntent";
import { findDates, localDayOf } from "../../src/core/intentDates";
import { instant } from "../../src/core/message";
import { INTENT_CORPUS } from "../fixtures/intentCorpus";

const KINDS: readonly IntentKind[] = [
  "declined",
  "deferred",
  "left",
  "out-of-office",
  "acknowledgement",
  "delay",
  "answer",
];
// Zones whose clocks never jump at midnight, so a day always starts at 00:00 there.
const ZONES = [
  "UTC",
  "Europe/Berlin",
  "America/New_York",
  "America/Los_Angeles",
  "Asia/Kolkata",
  "Asia/Tokyo",
  "Australia/Sydney",
  "Pacific/Auckland",
];
const DATE_PHRASES = [
  "until 7 December",
  "back on Monday 7th",
  "in 60 days",
  "in a couple of weeks",
  "next quarter",
  "after the new year",
  "back in January",
  "next Wednesday",
  "zurück am 07.12.",
  "bis 29.02.",
  "de retour le 31/12",
  "hasta el 1 de enero",
  "in zwei Wochen",
  "dans quinze jours",
  "en tres meses",
  "Q1",
  "mid-February",
  "end of the month",
  "tomorrow",
  "à la rentrée",
  "7 December 2020",
  "31 April",
];
const CUES = [
  "Call me",
  "I am out of the office",
  "Please follow up",
  "Melden Sie sich",
  "Recontactez-moi",
  "Escríbame",
  "",
];

const localDate = (ms: number, timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    ms,
  );
const localTime = (ms: number, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
    ms,
  );

// 2000 … 2100
const sentAt = fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 });
const fragments = INTENT_CORPUS.flatMap((c) => [...c.text.split(/(?<=[.,!?\n])\s*/), c.subject]);

describe("answerIntent.ts (properties)", () => {
  describe("classifyAnswer", () => {
    it("should never give a day before the message's local day, and always a local midnight", () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...CUES),
          fc.constantFrom(...DATE_PHRASES),
          sentAt,
          fc.constantFrom(...ZONES),
          fc.boolean(),
          (cue, phrase, at, timeZone, automated) => {
            const r = classifyAnswer({
              subject: "RE: Proposal",
              text: `${cue} ${phrase}.`,
              sentAt: instant(at),
              automated,
              timeZone,
            });
            if (r.until === undefined) return;
            expect(localDate(r.until, timeZone) >= localDate(at, timeZone)).toBe(true);
            expect(localTime(r.until, timeZone)).toBe("00:00");
          },
        ),
        { numRuns: 400 },
      );
    });

    it("should find only dates on or after the reference day", () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...DATE_PHRASES),
          sentAt,
          fc.constantFrom(...ZONES),
          (phrase, at, timeZone) => {
            const today = localDayOf(instant(at), timeZone);
            for (const d of findDates(phrase, today)) expect(d.day).toBeGreaterThanOrEqual(today);
          },
        ),
        { numRuns: 300 },
      );
    });

    it("should never throw, and always give a known kind and evidence taken from the mail", () => {
      const text = fc.oneof(
        fc.string(),
        fc.string({ unit: "binary" }),
        fc.string({ unit: "grapheme", maxLength: 300 }),
        fc
          .array(fc.constantFrom(...fragments, ...DATE_PHRASES, ...CUES), { maxLength: 8 })
          .map((xs) => xs.join(" ")),
      );
      fc.assert(
        fc.property(
          text,
          fc.oneof(fc.string(), fc.constantFrom(...fragments)),
          fc.oneof(sentAt, fc.double()),
          fc.boolean(),
          fc.oneof(fc.constantFrom(...ZONES), fc.string()),
          (body, subject, at, automated, timeZone) => {
            const r = classifyAnswer({ subject, text: body, sentAt: instant(at), automated, timeZone });
            expect(KINDS).toContain(r.kind);
            expect(body.includes(r.evidence) || subject.includes(r.evidence)).toBe(true);
            if (r.until !== undefined) expect(Number.isFinite(r.until)).toBe(true);
          },
        ),
        { numRuns: 1500 },
      );
    });
  });

  describe("createAnswerReader", () => {
    it("should give exactly classifyAnswer's verdict, however often the same words come back on other days or under other subjects", () => {
      // few texts, subjects and zones, so the run's memory is hit often, on the same and on other days
      const answer = fc.record({
        text: fc.constantFrom(
          "Call me in 60 days.",
          "I am out of the office until 7 December.",
          "Melden Sie sich nächste Woche wieder.",
          "Recontactez-moi dans quinze jours.",
          "Sounds good, Tuesday works.",
          "Thanks, sounds good.",
          "Not interested.",
          "We have received your request.",
        ),
        // subjects that say nothing (read alike), and ones whose ticket number, delay notice or prefix counts
        subject: fc.constantFrom(
          "RE: Proposal",
          "Re: Pricing for Q3",
          "",
          "Automatic reply: Proposal",
          "[Ticket #48213] Proposal",
          "Delivery delayed: Proposal",
          "Delayed mail",
          "RE: Order 20417",
        ),
        at: fc.oneof(
          fc.constantFrom(1_795_165_200_000, 1_795_172_400_000, 1_796_000_000_000),
          sentAt,
          fc.double(),
        ),
        automated: fc.boolean(),
        timeZone: fc.constantFrom("UTC", "Pacific/Auckland", "America/Los_Angeles"),
      });
      fc.assert(
        fc.property(fc.array(answer, { minLength: 1, maxLength: 40 }), (answers) => {
          const read = createAnswerReader();
          for (const { text, subject, at, automated, timeZone } of answers) {
            const input = { subject, text, sentAt: instant(at), automated, timeZone };
            expect(read(input)).toEqual(classifyAnswer(input));
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});
