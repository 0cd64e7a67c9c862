import fc from "fast-check";
import { compareReports, detectAwaitingReply, prepareJudgement } from "../../src/core/awaitingReply";
import { instant, type Mailbox } from "../../src/core/message";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { EMPTY_USER_STATE, type UserState } from "../../src/core/userState";
import { parseMailboxJson } from "../../src/graph/mailboxFile";
import { generateMailbox } from "../fixtures/mailboxGenerator";

const NOW = "2026-06-01T12:00:00Z";
const options = { now: instant(Date.parse(NOW)), settings: DEFAULT_SETTINGS, userState: EMPTY_USER_STATE };
const mailboxOf = (seed: number): Mailbox =>
  parseMailboxJson(generateMailbox({ seed, sent: 60, inbox: 180, now: NOW }), "generated").mailbox;

describe("awaitingReply.ts (properties)", () => {
  describe("detectAwaitingReply", () => {
    it("should not depend on the order messages arrive in", () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer(), (seed, shuffleSeed) => {
          const mailbox = mailboxOf(seed);
          const shuffled = fc.sample(
            fc.shuffledSubarray([...mailbox.messages], { minLength: mailbox.messages.length }),
            {
              seed: shuffleSeed,
              numRuns: 1,
            },
          )[0]!;
          expect(detectAwaitingReply({ ...mailbox, messages: shuffled }, options)).toEqual(
            detectAwaitingReply(mailbox, options),
          );
        }),
        { numRuns: 25 },
      );
    });

    it("should list the reports in compareReports order (judgeAll sorts state by state)", () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
          const reports = detectAwaitingReply(mailboxOf(seed), options);
          expect(new Set(reports.map((r) => r.state)).size).toBeGreaterThan(1);
          for (let i = 1; i < reports.length; i++) {
            expect(compareReports(reports[i - 1]!, reports[i]!)).toBeLessThan(0);
          }
        }),
        { numRuns: 25 },
      );
    });

    it("should report each conversation once, with attempts never below zero and stale ones due", () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
          const reports = detectAwaitingReply(mailboxOf(seed), options);
          expect(new Set(reports.map((r) => r.conversationId)).size).toBe(reports.length);
          for (const r of reports) {
            expect(r.attempts).toBeGreaterThanOrEqual(0);
            if (r.state === "stale") {
              expect(r.technique).not.toBeNull();
              // stale with no attempt since their answer only when the date they asked for has passed
              if (r.attempts === 0) expect(r.reason).toContain("asked you to get back to them");
              else expect(r.sinceLastAttemptDays).toBeGreaterThanOrEqual(DEFAULT_SETTINGS.followUpAfterDays);
            }
            if (r.state === "replied") expect(r.attempts).toBe(0);
          }
        }),
        { numRuns: 25 },
      );
    });

    it("should never count a later message from the prospect as unanswered attempts (answer resets)", () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
          for (const r of detectAwaitingReply(mailboxOf(seed), options)) {
            if (r.lastHeardAt !== null && r.lastAttemptAt !== null && r.attempts > 0) {
              expect(r.lastAttemptAt).toBeGreaterThan(r.lastHeardAt);
            }
          }
        }),
        { numRuns: 25 },
      );
    });
  });

  describe("prepareJudgement", () => {
    it("should judge one conversation as judging them all does, under any user state", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 10_000 }),
          fc.array(
            fc.record({
              pick: fc.nat(),
              kind: fc.constantFrom("snooze", "close", "call", "defer", "referrer"),
              days: fc.integer({ min: -40, max: 40 }),
            }),
            { maxLength: 12 },
          ),
          (seed, changes) => {
            const mailbox = mailboxOf(seed);
            const judgement = prepareJudgement(mailbox, options);
            const ids = judgement.conversationIds;
            if (ids.length === 0) return;
            let state: UserState = EMPTY_USER_STATE;
            const touched = new Set<string>();
            for (const c of changes) {
              const id = ids[c.pick % ids.length]!;
              const at = instant(Date.parse(NOW) + c.days * 86_400_000);
              touched.add(id);
              if (c.kind === "snooze") state = { ...state, snoozes: { ...state.snoozes, [id]: at } };
              else if (c.kind === "close") state = { ...state, closed: { ...state.closed, [id]: at } };
              else if (c.kind === "defer")
                state = { ...state, deferrals: { ...state.deferrals, [id]: c.days > 0 ? at : null } };
              else if (c.kind === "referrer")
                state = { ...state, referrers: { ...state.referrers, [id]: "someone@example.com" } };
              else
                state = {
                  ...state,
                  loggedAttempts: [
                    ...state.loggedAttempts,
                    { id: `call-${state.loggedAttempts.length}`, conversationId: id, at, kind: "call" },
                  ],
                };
            }
            const all = judgement.judgeAll(state);
            expect(all).toEqual(detectAwaitingReply(mailbox, { ...options, userState: state }));
            for (const id of [...touched, ids[0]!]) {
              expect(judgement.judge(id, state)).toEqual(all.find((r) => r.conversationId === id));
            }
            expect(judgement.judge("not-a-conversation", state)).toBeNull();
          },
        ),
        { numRuns: 25 },
      );
    });
  });
});
