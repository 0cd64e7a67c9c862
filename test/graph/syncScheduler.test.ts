import { runScheduled, SchedulerStalledError, type Slot, type SyncJob } from "../../src/graph/syncScheduler";

/** A job whose answer arrives when the test says so, and whose work after the answer ends when the test says so. */
interface Controlled {
  readonly job: SyncJob;
  answer(): void;
  finish(): void;
  fail(error: Error): void;
  started: boolean;
}
function controlled(log: string[], name: string): Controlled {
  let answer: () => void = () => {};
  let finish: () => void = () => {};
  let fail: (e: Error) => void = () => {};
  const c: Controlled = {
    started: false,
    job: async (slot: Slot) => {
      c.started = true;
      log.push(`start ${name}`);
      await new Promise<void>((resolve, reject) => {
        answer = resolve;
        fail = reject;
      });
      slot.release();
      slot.release(); // idempotent
      await new Promise<void>((resolve, reject) => {
        finish = resolve;
        fail = reject;
      });
      log.push(`end ${name}`);
    },
    answer: () => answer(),
    finish: () => finish(),
    fail: (e) => fail(e),
  };
  return c;
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("syncScheduler.ts", () => {
  describe("runScheduled", () => {
    it("should hold at most `lanes` jobs before their answers, and start the next once an answer is in", async () => {
      const log: string[] = [];
      const jobs = ["a", "b", "c", "d"].map((n) => controlled(log, n));
      const queue = [...jobs];
      const done = runScheduled({
        lanes: 2,
        next: () => queue.shift()?.job ?? null,
        finished: () => queue.length === 0,
      });
      await tick();
      expect(jobs.map((j) => j.started)).toEqual([true, true, false, false]);
      jobs[0]?.answer(); // a's answer is in: c goes out while a is still storing its page
      await tick();
      expect(jobs.map((j) => j.started)).toEqual([true, true, true, false]);
      for (let round = 0; round < 3; round++) {
        for (const j of jobs) j.answer();
        await tick();
        for (const j of jobs) j.finish();
        await tick();
      }
      await done;
      expect(log.filter((l) => l.startsWith("end"))).toHaveLength(4);
    });

    it("should cap the jobs waiting to store their answers at maxRunning", async () => {
      const log: string[] = [];
      const jobs = ["a", "b", "c"].map((n) => controlled(log, n));
      const queue = [...jobs];
      const done = runScheduled({
        lanes: 2,
        maxRunning: 2,
        next: () => queue.shift()?.job ?? null,
        finished: () => queue.length === 0,
      });
      await tick();
      jobs[0]?.answer();
      jobs[1]?.answer();
      await tick();
      expect(jobs[2]?.started).toBe(false); // both lanes free, but two answers are still being stored
      jobs[0]?.finish();
      await tick();
      expect(jobs[2]?.started).toBe(true);
      jobs[1]?.finish();
      jobs[2]?.answer();
      await tick();
      jobs[2]?.finish();
      await done;
    });

    it("should start nothing after a failure and reject with it once the running jobs have settled", async () => {
      const log: string[] = [];
      const jobs = ["a", "b", "c"].map((n) => controlled(log, n));
      const queue = [...jobs];
      const done = runScheduled({
        lanes: 2,
        next: () => queue.shift()?.job ?? null,
        finished: () => queue.length === 0,
      });
      const outcome = done.catch((e: unknown) => e);
      await tick();
      jobs[0]?.fail(new Error("boom")); // before its answer: its slot is given back by the scheduler
      await tick();
      expect(jobs[2]?.started).toBe(false);
      let settled = false;
      void outcome.then(() => (settled = true));
      await tick();
      expect(settled).toBe(false); // b still runs
      jobs[1]?.answer();
      await tick();
      jobs[1]?.finish();
      expect(((await outcome) as Error).message).toBe("boom");
    });

    it("should reject, not hang, when work is left that nothing can start", async () => {
      await expect(
        runScheduled({ lanes: 4, next: () => null, finished: () => false }),
      ).rejects.toBeInstanceOf(SchedulerStalledError);
    });

    it("should refuse a lane count that is not a whole number ≥ 1", () => {
      expect(() => runScheduled({ lanes: 0, next: () => null, finished: () => true })).toThrow(RangeError);
    });
  });
});
