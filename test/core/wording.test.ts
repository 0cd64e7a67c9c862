import { counted } from "../../src/core/wording";

describe("wording.ts", () => {
  describe("counted", () => {
    it.each([
      [0, "day", "0 days"],
      [1, "day", "1 day"],
      [2, "day", "2 days"],
      [1, "unanswered attempt", "1 unanswered attempt"],
      [40000, "conversation", "40000 conversations"],
    ])("should word %d %s as %j", (n, noun, expected) => {
      expect(counted(n, noun)).toBe(expected);
    });
  });
});
