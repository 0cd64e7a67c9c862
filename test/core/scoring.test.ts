import fc from "fast-check";
import { explainScore, scoreConversation, type ScoreInput } from "../../src/core/scoring";

const figures = fc.record({
  darkDays: fc.integer({ min: 0, max: 3650 }),
  attempts: fc.integer({ min: 0, max: 200 }),
  warm: fc.boolean(),
  proposalSent: fc.boolean(),
});

describe("scoring.ts", () => {
  describe("explainScore", () => {
    it.each([
      [
        { darkDays: 45, attempts: 3, warm: true, proposalSent: true },
        "45 days silent · 3 unanswered attempts · they replied before · proposal sent",
      ],
      [
        { darkDays: 1, attempts: 1, warm: false, proposalSent: false },
        "1 day silent · 1 unanswered attempt · never replied",
      ],
      // they answered my last message (a "no", a "later"): no "0 unanswered attempts"
      [
        { darkDays: 12, attempts: 0, warm: true, proposalSent: false },
        "12 days silent · they replied before",
      ],
    ])("should explain %j as %j", (input, expected) => {
      expect(explainScore(input)).toBe(expected);
    });
  });

  describe("scoreConversation", () => {
    it("should stay within 0 to 100", () => {
      fc.assert(
        fc.property(figures, (f) => {
          const { score } = scoreConversation(f);
          return Number.isInteger(score) && score >= 0 && score <= 100;
        }),
      );
    });

    it("should never go down when darkDays rises and nothing else changes", () => {
      fc.assert(
        fc.property(figures, fc.integer({ min: 0, max: 1000 }), (f, more) => {
          expect(scoreConversation({ ...f, darkDays: f.darkDays + more }).score).toBeGreaterThanOrEqual(
            scoreConversation(f).score,
          );
        }),
      );
    });

    it("should never go down when attempts rise and nothing else changes", () => {
      fc.assert(
        fc.property(figures, fc.integer({ min: 0, max: 50 }), (f, more) => {
          expect(scoreConversation({ ...f, attempts: f.attempts + more }).score).toBeGreaterThanOrEqual(
            scoreConversation(f).score,
          );
        }),
      );
    });

    it("should never score a warm conversation below a cold one with the same figures", () => {
      fc.assert(
        fc.property(figures, (f) => {
          expect(scoreConversation({ ...f, warm: true }).score).toBeGreaterThanOrEqual(
            scoreConversation({ ...f, warm: false }).score,
          );
        }),
      );
    });

    it("should rank a long silence with many attempts above a fresh one", () => {
      const fresh: ScoreInput = { darkDays: 4, attempts: 1, warm: false, proposalSent: false };
      const stale: ScoreInput = { darkDays: 45, attempts: 3, warm: true, proposalSent: true };
      expect(scoreConversation(stale).score).toBeGreaterThan(scoreConversation(fresh).score + 30);
    });

    it.each([
      [
        { darkDays: 45, attempts: 3, warm: true, proposalSent: true },
        "45 days silent · 3 unanswered attempts · they replied before · proposal sent",
      ],
      [
        { darkDays: 1, attempts: 1, warm: false, proposalSent: false },
        "1 day silent · 1 unanswered attempt · never replied",
      ],
    ])("should explain %j as %s", (input, why) => {
      expect(scoreConversation(input).why).toBe(why);
    });
  });
});
