import { chooseTechnique, type PlaybookInput } from "../../src/core/playbook";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { PLAYBOOK_THRESHOLD_KEYS, type PlaybookThresholdKey } from "../../src/core/settingsSchema";
import type { Technique } from "../../src/core/technique";

describe("playbook.ts", () => {
  describe("chooseTechnique", () => {
    const cases: [string, PlaybookInput, Technique][] = [
      [
        "90 days dark is the pending file, whatever else",
        { warm: true, attempts: 5, darkDays: 90, proposalSent: true },
        "pending-file",
      ],
      [
        "89 days dark, warm, 3 attempts is are-you-ok",
        { warm: true, attempts: 3, darkDays: 89, proposalSent: true },
        "are-you-ok",
      ],
      [
        "cold and 120 days is still the pending file",
        { warm: false, attempts: 1, darkDays: 120, proposalSent: false },
        "pending-file",
      ],
      [
        "warm, 3 attempts, 21 days is are-you-ok",
        { warm: true, attempts: 3, darkDays: 21, proposalSent: false },
        "are-you-ok",
      ],
      [
        "warm, 3 attempts, 20 days with a proposal is should-i-close",
        { warm: true, attempts: 3, darkDays: 20, proposalSent: true },
        "should-i-close-the-file",
      ],
      [
        "warm, 2 attempts and a proposal is should-i-close",
        { warm: true, attempts: 2, darkDays: 10, proposalSent: true },
        "should-i-close-the-file",
      ],
      [
        "cold, 2 attempts is close-the-file",
        { warm: false, attempts: 2, darkDays: 10, proposalSent: true },
        "close-the-file",
      ],
      [
        "cold, 3 attempts, 40 days is close-the-file (are-you-ok needs warmth)",
        { warm: false, attempts: 3, darkDays: 40, proposalSent: false },
        "close-the-file",
      ],
      [
        "warm, 2 attempts, no proposal is no-pressure",
        { warm: true, attempts: 2, darkDays: 10, proposalSent: false },
        "no-pressure",
      ],
      [
        "warm, 3 attempts, 20 days, no proposal is no-pressure",
        { warm: true, attempts: 3, darkDays: 20, proposalSent: false },
        "no-pressure",
      ],
      ["warm, 1 attempt is a nudge", { warm: true, attempts: 1, darkDays: 30, proposalSent: true }, "nudge"],
      ["cold, 1 attempt is a nudge", { warm: false, attempts: 1, darkDays: 5, proposalSent: false }, "nudge"],
    ];
    it.each(cases)("should choose: %s", (_name, input, expected) => {
      expect(chooseTechnique(input, DEFAULT_SETTINGS)).toBe(expected);
    });

    // One row per threshold the schema marks for the playbook: changing only that threshold changes the choice.
    const thresholdCases: Record<PlaybookThresholdKey, [PlaybookInput, number, Technique, Technique]> = {
      pendingFileDays: [
        { warm: true, attempts: 2, darkDays: 30, proposalSent: false },
        30,
        "no-pressure",
        "pending-file",
      ],
      areYouOkAttempts: [
        { warm: true, attempts: 2, darkDays: 30, proposalSent: false },
        2,
        "no-pressure",
        "are-you-ok",
      ],
      areYouOkDays: [
        { warm: true, attempts: 3, darkDays: 10, proposalSent: false },
        10,
        "no-pressure",
        "are-you-ok",
      ],
      shouldICloseAttempts: [
        { warm: true, attempts: 1, darkDays: 10, proposalSent: true },
        1,
        "nudge",
        "should-i-close-the-file",
      ],
      closeFileAttempts: [
        { warm: false, attempts: 1, darkDays: 10, proposalSent: false },
        1,
        "nudge",
        "close-the-file",
      ],
      noPressureAttempts: [
        { warm: true, attempts: 2, darkDays: 10, proposalSent: false },
        3,
        "no-pressure",
        "nudge",
      ],
    };

    it("should have a case for every threshold the schema marks for the playbook", () => {
      expect(Object.keys(thresholdCases).sort()).toEqual([...PLAYBOOK_THRESHOLD_KEYS].sort());
    });

    it.each(Object.entries(thresholdCases))(
      "should follow %s from the settings",
      (key, [input, value, before, after]) => {
        expect(chooseTechnique(input, DEFAULT_SETTINGS)).toBe(before);
        expect(chooseTechnique(input, { ...DEFAULT_SETTINGS, [key]: value })).toBe(after);
      },
    );
  });
});
