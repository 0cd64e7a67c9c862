import { classifyAnswer, type IntentKind } from "../../src/core/answerIntent";
import type { Instant } from "../../src/core/message";
import {
  WARM_UP_ANSWERS,
  WARM_UP_PASSES,
  warmUpAnswerReading,
  type IdleSlot,
} from "../../src/taskpane/state/warmUp";

const NOW = Date.parse("2026-11-20T09:00:00Z") as Instant;

/** Idle moments the test hands out one at a time. */
function manualSlots(): { slot: IdleSlot; pending: () => number; runOne: () => void } {
  const queue: (() => void)[] = [];
  return {
    slot: (step) => {
      queue.push(step);
      return () => {
        const at = queue.indexOf(step);
        if (at >= 0) queue.splice(at, 1);
      };
    },
    pending: () => queue.length,
    runOne: () => queue.shift()?.(),
  };
}

describe("warmUp.ts", () => {
  // The samples are only worth reading if between them they reach each kind of rule.
  it.each<[number, IntentKind]>([
    [0, "declined"],
    [1, "deferred"],
    [2, "left"],
    [3, "out-of-office"],
    [4, "acknowledgement"],
    [5, "delay"],
    [6, "answer"],
    [7, "deferred"],
    [8, "out-of-office"],
    [9, "declined"],
    [10, "deferred"],
  ])("should read sample %i as %s", (index, kind) => {
    const sample = WARM_UP_ANSWERS[index]!;
    expect(classifyAnswer({ ...sample, sentAt: NOW, timeZone: "Europe/Berlin" }).kind).toBe(kind);
  });

  it("should have a table row for every sample", () => {
    expect(WARM_UP_ANSWERS).toHaveLength(11);
  });

  it("should read one sample per idle moment, every sample each pass, and then stop", () => {
    const slots = manualSlots();
    warmUpAnswerReading(NOW, "UTC", slots.slot);
    let moments = 0;
    while (slots.pending() > 0) {
      expect(slots.pending()).toBe(1); // never more than one reading waiting
      slots.runOne();
      moments++;
    }
    expect(moments).toBe(WARM_UP_ANSWERS.length * WARM_UP_PASSES);
  });

  it("should pass over a reading that fails and go on with the rest", () => {
    const slots = manualSlots();
    const read: string[] = [];
    warmUpAnswerReading(NOW, "UTC", slots.slot, (input) => {
      read.push(input.text);
      if (read.length === 1) throw new Error("broken rule");
    });
    while (slots.pending() > 0) expect(() => slots.runOne()).not.toThrow();
    expect(read).toHaveLength(WARM_UP_ANSWERS.length * WARM_UP_PASSES);
    expect(read.slice(0, WARM_UP_ANSWERS.length)).toEqual(WARM_UP_ANSWERS.map((a) => a.text));
  });

  it("should read nothing more once stopped", () => {
    const slots = manualSlots();
    const stop = warmUpAnswerReading(NOW, "UTC", slots.slot);
    slots.runOne();
    slots.runOne();
    stop();
    expect(slots.pending()).toBe(0);
  });
});
