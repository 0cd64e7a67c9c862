import fc from "fast-check";
import { classifyAnswer } from "../../src/core/answerIntent";
import type { Attribution } from "../../src/core/attribution";
import type { ConversationHistory, HistoryAnswer } from "../../src/core/awaitingReply";
import { instant, type Instant } from "../../src/core/message";
import {
  computeResults,
  median,
  MIN_SENT,
  resultsOf,
  SEED_CLAIMS,
  type Results,
} from "../../src/core/results";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { TECHNIQUES, type Technique } from "../../src/core/technique";
import { EMPTY_USER_STATE } from "../../src/core/userState";
import type { SentRecord } from "../../src/core/userStateEntries";
import { seededRandom } from "../fixtures/seededRandom";
import { ME, NOW, scenario, type Scenario } from "../fixtures/scenario";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// What each kind of answer says, checked against the classifier once so the generated mailbox's answers are known.
const SAYS = {
  positive: "Thanks Sam, yes please send over the details and we will review them.",
  declined: "Thanks, but we are not interested and have decided to go with another vendor.",
  later: "Not now. Please get back to me after the new year.",
  left: "Alex has left the company. Please contact jordan@example.org from now on.",
} as const;
type Said = keyof typeof SAYS;
const INTENT_OF: Record<Said, string> = {
  positive: "answer",
  declined: "declined",
  later: "deferred",
  left: "left",
};

/** One conversation of the generated mailbox, as planned: my messages (hours before NOW) and the answer after one. */
interface Plan {
  readonly id: string;
  readonly prospect: string;
  /** My messages, oldest first: hours before NOW and the technique header (if any). */
  readonly mine: { hoursAgo: number; technique?: Technique }[];
  /** The answer: after which of my messages (index), how many hours later, and what it says. */
  readonly answer: { after: number; delayHours: number; says: Said } | null;
  /** After the answer, I wrote once more and heard nothing: the conversation went dark again. */
  readonly darkAgain: boolean;
}

/** A generated mailbox whose every answer is known: per technique, marked messages answered after known delays. */
function generate(seed: number): { plans: Plan[]; build: Scenario } {
  const random = seededRandom(seed);
  const plans: Plan[] = [];
  const techniques: Technique[] = ["pending-file", "are-you-ok", "nudge"];
  let n = 0;
  for (const technique of techniques) {
    for (let i = 0; i < 12; i++) {
      n++;
      // my opening 60 days ago, 0-3 follow-ups without a header, then the technique's message 30 days ago
      const plain = Math.floor(random() * 4);
      const mine: Plan["mine"] = [{ hoursAgo: 60 * 24 }];
      for (let k = 0; k < plain; k++) mine.push({ hoursAgo: (55 - k * 5) * 24 });
      mine.push({ hoursAgo: 30 * 24, technique });
      const roll = random();
      const says: Said = roll < 0.1 ? "declined" : roll < 0.2 ? "later" : roll < 0.25 ? "left" : "positive";
      const answered = random() < 0.75;
      const delayHours = 1 + Math.floor(random() * 120); // up to five days: some beyond 48 h and 72 h
      const darkAgain = answered && says === "positive" && random() < 0.5;
      if (darkAgain) mine.push({ hoursAgo: 20 * 24 });
      plans.push({
        id: `c${n}`,
        prospect: `Pat ${n} <pat${n}@company${n}.com>`,
        mine,
        answer: answered ? { after: plain + 1, delayHours, says } : null,
        darkAgain,
      });
    }
  }
  // Mail from before Rekindle: an opening and follow-ups, answered after the k-th follow-up (or never).
  for (let i = 0; i < 30; i++) {
    n++;
    const followUps = 1 + Math.floor(random() * 5);
    const mine: Plan["mine"] = [{ hoursAgo: 200 * 24 }];
    for (let k = 1; k <= followUps; k++) mine.push({ hoursAgo: (200 - k * 10) * 24 });
    const answeredAfter = random() < 0.7 ? Math.floor(random() * (followUps + 1)) : null;
    plans.push({
      id: `c${n}`,
      prospect: `Pat ${n} <pat${n}@company${n}.com>`,
      mine,
      answer:
        answeredAfter === null
          ? null
          : { after: answeredAfter, delayHours: 1 + Math.floor(random() * 200), says: "positive" },
      darkAgain: false,
    });
  }
  const s = scenario();
  for (const plan of plans) {
    plan.mine.forEach((m, k) => {
      const headers = m.technique ? { "x-rekindle-technique": m.technique } : undefined;
      s.iSend(plan.id, m.hoursAgo / 24, [plan.prospect], headers ? { headers } : {});
      if (plan.answer?.after === k) {
        const a = plan.answer;
        s.iReceive(plan.id, (m.hoursAgo - a.delayHours) / 24, plan.prospect, { preview: SAYS[a.says] });
      }
    });
  }
  return { plans, build: s };
}

/** The fixture sends a message a second before it arrives: my message's time is when it was sent. */
const DELIVERY_HOURS = 1 / 3600;

/** The answers a plan's message drew, the simple way: the planned answer, if it came before my next message. */
function expectedOf(plans: readonly Plan[]) {
  const perTechnique = new Map<Technique, { sent: number; delays: number[]; said: Said[]; dark: number }>();
  const steps = [0, 1, 2, 3].map(() => ({ sent: 0, answered: 0, delays: [] as number[] }));
  for (const plan of plans) {
    let run = 0;
    plan.mine.forEach((m, k) => {
      const nextAgo = plan.mine[k + 1]?.hoursAgo ?? -Infinity;
      const a = plan.answer?.after === k ? plan.answer : null;
      const drew = a !== null && m.hoursAgo - a.delayHours > nextAgo;
      if (m.technique) {
        const t = perTechnique.get(m.technique) ?? { sent: 0, delays: [], said: [], dark: 0 };
        t.sent++;
        if (drew) {
          t.delays.push(a.delayHours + DELIVERY_HOURS);
          t.said.push(a.says);
          if (plan.darkAgain) t.dark++;
        }
        perTechnique.set(m.technique, t);
      }
      if (run > 0) {
        const step = steps[Math.min(run, 4) - 1]!;
        step.sent++;
        if (drew) {
          step.answered++;
          step.delays.push(a.delayHours + DELIVERY_HOURS);
        }
      }
      run = drew ? 0 : run + 1;
    });
  }
  return { perTechnique, steps };
}

const at = (hoursAgo: number): Instant => instant(NOW - hoursAgo * HOUR);

describe("results.ts", () => {
  it("should read each planned answer as planned (the generated mailbox's answers are known)", () => {
    for (const [said, text] of Object.entries(SAYS)) {
      for (const daysAgo of [1, 30, 200])
        expect(
          classifyAnswer({
            subject: "RE: Proposal",
            text,
            sentAt: instant(NOW - daysAgo * DAY),
            automated: false,
            timeZone: "UTC",
          }).kind,
        ).toBe(INTENT_OF[said as Said]);
      expect(
        classifyAnswer({ subject: "RE: Proposal", text, sentAt: NOW, automated: false, timeZone: "UTC" })
          .kind,
      ).toBe(INTENT_OF[said as Said]);
    }
  });

  describe("against a generated mailbox", () => {
    it.each([1, 7, 42])("should count, time and classify every technique's answers (seed %i)", (seed) => {
      const { plans, build } = generate(seed);
      const results = resultsOf(build.mailbox(), [], {
        now: NOW,
        settings: DEFAULT_SETTINGS,
        userState: EMPTY_USER_STATE,
        timeZone: "UTC",
      });
      const { perTechnique, steps } = expectedOf(plans);
      for (const technique of ["pending-file", "are-you-ok", "nudge"] as const) {
        const want = perTechnique.get(technique)!;
        const got = results.techniques.find((t) => t.technique === technique)!;
        const within = (h: number) => want.delays.filter((d) => d <= h).length;
        expect({
          sent: got.sent,
          answered: got.answered,
          within48h: got.within48h,
          within72h: got.within72h,
          share48h: got.share48h,
          share72h: got.share72h,
          median: got.medianHoursToAnswer,
          said: got.said,
          wentDarkAgain: got.wentDarkAgain,
        }).toEqual({
          sent: 12,
          answered: want.delays.length,
          within48h: within(48),
          within72h: within(72),
          share48h: within(48) / 12,
          share72h: within(72) / 12,
          median: median(want.delays),
          said: {
            declined: want.said.filter((s) => s === "declined").length,
            later: want.said.filter((s) => s === "later").length,
            positive: want.said.filter((s) => s === "positive").length,
            left: want.said.filter((s) => s === "left").length,
          },
          wentDarkAgain: want.dark,
        });
        expect(got.enoughData).toBe(true);
      }
      const idle = results.techniques.filter(
        (t) => !["pending-file", "are-you-ok", "nudge"].includes(t.technique),
      );
      expect(idle.every((t) => t.sent === 0 && t.answerRate === null && !t.enoughData)).toBe(true);
      expect(results.followUps.map((s) => [s.label, s.sent, s.answered, s.medianHoursToAnswer])).toEqual(
        steps.map((s, i) => [["1st", "2nd", "3rd", "4th+"][i], s.sent, s.answered, median(s.delays)]),
      );
    });

    it("should show the seeds' claims beside pending-file and Are you OK?", () => {
      const results = resultsOf(generate(3).build.mailbox(), [], {
        now: NOW,
        settings: DEFAULT_SETTINGS,
        userState: EMPTY_USER_STATE,
      });
      const claimOf = (t: Technique) => results.techniques.find((r) => r.technique === t)!.claim;
      expect(claimOf("pending-file")).toEqual(SEED_CLAIMS["pending-file"]);
      expect(claimOf("pending-file")).toMatchObject({ withinHours: 72, share: 0.8 });
      expect(claimOf("are-you-ok")).toMatchObject({ withinHours: 48 });
      expect(claimOf("nudge")).toBeNull();
    });

    it("should attribute an unmarked reply-form message through its sent record", () => {
      const s = scenario()
        .iSend("c", 40, ["Alex Kim <alex@acme.com>"])
        .iSend("c", 30, ["Alex Kim <alex@acme.com>"])
        .iReceive("c", 29.5, "Alex Kim <alex@acme.com>", { preview: SAYS.positive });
      const record: SentRecord = {
        kind: "sent",
        id: "reply-form:c:1",
        at: instant(NOW - 30 * DAY - HOUR),
        conversationId: "c",
        technique: "should-i-close-the-file",
        edited: true,
        path: "reply-form",
      };
      const results = resultsOf(s.mailbox(), [record], {
        now: NOW,
        settings: DEFAULT_SETTINGS,
        userState: EMPTY_USER_STATE,
      });
      const got = results.techniques.find((t) => t.technique === "should-i-close-the-file")!;
      expect(got).toMatchObject({
        recorded: 1,
        sent: 1,
        edited: 1,
        answered: 1,
        medianHoursToAnswer: 12 + 1 / 3600,
      });
      expect(got.enoughData).toBe(false);
      expect(ME).toContain("sam@northwind.com");
    });
  });

  describe("computeResults", () => {
    const history = (
      id: string,
      attempts: [number, Technique?][],
      answers: [number, HistoryAnswer["intent"]][] = [],
      state: ConversationHistory["state"] = "stale",
    ): ConversationHistory => ({
      conversationId: id,
      state,
      attempts: attempts.map(([h, technique], i) => ({
        messageId: `${id}-m${i}`,
        at: at(h),
        ...(technique ? { technique } : {}),
      })),
      answers: answers.map(([h, intent], i) => ({ messageId: `${id}-a${i}`, at: at(h), intent })),
    });
    const byHeader = (histories: ConversationHistory[]): Map<string, Attribution> =>
      new Map(
        histories.flatMap((h) =>
          h.attempts.flatMap((a) =>
            a.technique
              ? [[a.messageId, { technique: a.technique, via: "header" as const, record: null }]]
              : [],
          ),
        ),
      );
    const run = (histories: ConversationHistory[]): Results =>
      computeResults({ histories, attributions: byHeader(histories), records: [], now: NOW });
    const of = (r: Results, t: Technique) => r.techniques.find((x) => x.technique === t)!;

    it.each<[string, ConversationHistory[], Partial<ReturnType<typeof of>>]>([
      [
        "an answer before my next message answers the one before it",
        [history("a", [[100, "nudge"], [50]], [[80, "answer"]])],
        { sent: 1, answered: 1, medianHoursToAnswer: 20, within48h: 1 },
      ],
      [
        "an answer after my next message answers that one, not the technique's",
        [history("a", [[100, "nudge"], [50]], [[10, "answer"]])],
        { sent: 1, answered: 0, answerRate: 0, medianHoursToAnswer: null },
      ],
      [
        "an unanswered message younger than 72 h is still waiting, not counted",
        [history("a", [[71, "nudge"]]), history("b", [[73, "nudge"]])],
        { sent: 1, waiting: 1, answered: 0 },
      ],
      [
        "a young message already answered counts",
        [history("a", [[10, "nudge"]], [[5, "declined"]], "declined")],
        { sent: 1, waiting: 0, answered: 1, said: { declined: 1, later: 0, positive: 0, left: 0 } },
      ],
      [
        "49 h is beyond 48 h but within 72 h; exactly 72 h is within",
        [
          history("a", [[200, "nudge"]], [[151, "answer"]]),
          history("b", [[200, "nudge"]], [[128, "answer"]]),
        ],
        { within48h: 0, within72h: 2, share72h: 1, share48h: 0 },
      ],
      [
        "answered then stale again: went dark; answered and replied: did not",
        [
          history("a", [[200, "nudge"], [100]], [[190, "answer"]], "stale"),
          history("b", [[200, "nudge"]], [[190, "answer"]], "replied"),
        ],
        { answered: 2, wentDarkAgain: 1 },
      ],
      [
        "the median of an even count is the mean of the middle two",
        [
          history("a", [[200, "nudge"]], [[190, "answer"]]),
          history("b", [[200, "nudge"]], [[180, "answer"]]),
          history("c", [[200, "nudge"]], [[170, "answer"]]),
          history("d", [[200, "nudge"]], [[100, "answer"]]),
        ],
        { answered: 4, medianHoursToAnswer: 25 },
      ],
    ])("%s", (_, histories, expected) => {
      expect(of(run(histories), "nudge")).toMatchObject(expected);
    });

    it.each([
      [MIN_SENT - 1, false],
      [MIN_SENT, true],
    ])("should say whether %i sent messages are enough data (%s)", (sent, enough) => {
      const histories = Array.from({ length: sent }, (_, i) => history(`c${i}`, [[200, "are-you-ok"]]));
      const got = of(run(histories), "are-you-ok");
      expect(got.sent).toBe(sent);
      expect(got.enoughData).toBe(enough);
    });

    it("should count the follow-up curve from runs of unanswered messages, starting again after an answer", () => {
      const r = run([
        // opening, 1st follow-up answered; then my reply opens a new run, its 1st follow-up unanswered
        history("a", [[500], [400], [300], [200]], [[390, "answer"]]),
        // opening, 1st, 2nd, 3rd, 4th, 5th: answered after the 5th (a 4th+ step)
        history("b", [[900], [800], [700], [600], [500], [400]], [[350, "answer"]]),
      ]);
      expect(r.followUps.map((s) => [s.label, s.sent, s.answered, s.medianHoursToAnswer])).toEqual([
        ["1st", 3, 1, 10],
        ["2nd", 1, 0, null],
        ["3rd", 1, 0, null],
        ["4th+", 2, 1, 50],
      ]);
      expect(r.messagesJudged).toBe(10);
    });

    const arbTechnique = fc.constantFrom(...TECHNIQUES);
    const arbHistory = fc.record({
      attempts: fc.uniqueArray(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 8 }),
      answers: fc.array(
        fc.record({
          h: fc.integer({ min: 0, max: 2000 }),
          intent: fc.constantFrom(
            "answer" as const,
            "declined" as const,
            "deferred" as const,
            "left" as const,
          ),
        }),
        { maxLength: 4 },
      ),
      marks: fc.array(fc.option(arbTechnique, { nil: undefined }), { minLength: 8, maxLength: 8 }),
      state: fc.constantFrom("stale" as const, "replied" as const, "waiting" as const),
    });

    it("should keep every rate in [0, 1] and every part within its whole", () => {
      fc.assert(
        fc.property(fc.array(arbHistory, { maxLength: 12 }), (raws) => {
          const histories = raws.map((raw, i) =>
            history(
              `c${i}`,
              [...raw.attempts]
                .sort((a, b) => b - a)
                .map((h, k) => [h, raw.marks[k]] as [number, Technique?]),
              [...raw.answers]
                .sort((a, b) => b.h - a.h)
                .map((a) => [a.h, a.intent] as [number, HistoryAnswer["intent"]]),
              raw.state,
            ),
          );
          const r = run(histories);
          const inUnit = (x: number | null) => x === null || (x >= 0 && x <= 1);
          for (const t of r.techniques) {
            expect([t.answerRate, t.share48h, t.share72h].every(inUnit)).toBe(true);
            expect(t.answered).toBeLessThanOrEqual(t.sent);
            expect(t.within48h).toBeLessThanOrEqual(t.within72h);
            expect(t.within72h).toBeLessThanOrEqual(t.answered);
            expect(t.said.declined + t.said.later + t.said.positive + t.said.left).toBe(t.answered);
            expect(t.wentDarkAgain).toBeLessThanOrEqual(t.answered);
            expect(t.enoughData).toBe(t.sent >= MIN_SENT);
            if (t.medianHoursToAnswer !== null) expect(t.medianHoursToAnswer).toBeGreaterThan(0);
          }
          for (const s of r.followUps) {
            expect(inUnit(s.answerRate)).toBe(true);
            expect(s.answered).toBeLessThanOrEqual(s.sent);
          }
          const sentByTechnique = r.techniques.reduce((n, t) => n + t.sent, 0);
          expect(sentByTechnique).toBeLessThanOrEqual(r.messagesJudged);
          expect(r.followUps.reduce((n, s) => n + s.sent, 0)).toBeLessThanOrEqual(r.messagesJudged);
        }),
      );
    });
  });
});
