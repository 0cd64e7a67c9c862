import fc from "fast-check";
import { ReceivedAtIndex } from "../../src/store/receivedAtIndex";

describe("receivedAtIndex.ts", () => {
  describe("ReceivedAtIndex", () => {
    it("should take exactly the entries older than a time, oldest first, and keep the rest (property)", () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 200 }),
          fc.array(fc.integer({ min: 0, max: 1100 }), { minLength: 1, maxLength: 5 }),
          (times, cuts) => {
            const index = new ReceivedAtIndex();
            times.forEach((at, i) => index.add({ at, folder: "inbox", id: String(i) }));
            const taken: number[] = [];
            for (const cut of [...cuts].sort((a, b) => a - b)) {
              const batch = index.takeBefore(cut).map((e) => e.at);
              expect(batch).toEqual([...batch].sort((a, b) => a - b));
              expect(batch.every((at) => at < cut)).toBe(true);
              taken.push(...batch);
            }
            const last = Math.max(...cuts);
            expect(taken.sort((a, b) => a - b)).toEqual(times.filter((t) => t < last).sort((a, b) => a - b));
            expect(index.size).toBe(times.filter((t) => t >= last).length);
          },
        ),
      );
    });
  });
});
