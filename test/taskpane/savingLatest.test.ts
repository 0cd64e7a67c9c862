import { savingLatest } from "../../src/taskpane/state/savingLatest";

/** A save that holds each value until the test lets it go. */
function held() {
  const started: number[] = [];
  const release: (() => void)[] = [];
  const fail: ((e: Error) => void)[] = [];
  const save = (value: number) =>
    new Promise<void>((resolve, reject) => {
      started.push(value);
      release.push(resolve);
      fail.push(reject);
    });
  return { started, release, fail, save };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("savingLatest", () => {
  it("should save one value at a time, and only the newest of those given meanwhile", async () => {
    const h = held();
    const keep = savingLatest(h.save);
    keep(1);
    await settle();
    keep(2);
    keep(3);
    keep(4);
    await settle();
    expect(h.started).toEqual([1]);
    h.release[0]!();
    await settle();
    expect(h.started).toEqual([1, 4]);
    h.release[1]!();
    await settle();
    keep(5);
    await settle();
    expect(h.started).toEqual([1, 4, 5]);
  });

  it("should pass a failed save on and still save the next value", async () => {
    const h = held();
    const errors: unknown[] = [];
    const keep = savingLatest(h.save, (e) => errors.push(e));
    keep(1);
    await settle();
    keep(2);
    h.fail[0]!(new Error("quota exceeded"));
    await settle();
    expect(errors).toEqual([new Error("quota exceeded")]);
    expect(h.started).toEqual([1, 2]);
  });

  it("should treat a save that throws at once like one that fails", async () => {
    const errors: unknown[] = [];
    const saved: number[] = [];
    const keep = savingLatest(
      (v: number) => {
        if (v === 1) throw new Error("closed");
        saved.push(v);
        return Promise.resolve();
      },
      (e) => errors.push(e),
    );
    keep(1);
    await settle();
    keep(2);
    await settle();
    expect(errors).toEqual([new Error("closed")]);
    expect(saved).toEqual([2]);
  });

  describe("with a quiet time", () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());
    const flush = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };

    it("should save a burst once, the newest, after the last value has been quiet that long", async () => {
      const saved: number[] = [];
      const keep = savingLatest(async (v: number) => void saved.push(v));
      keep(1, 1000);
      jest.advanceTimersByTime(600);
      keep(2, 1000);
      jest.advanceTimersByTime(600);
      keep(3, 1000);
      jest.advanceTimersByTime(999);
      await flush();
      expect(saved).toEqual([]);
      jest.advanceTimersByTime(1);
      await flush();
      expect(saved).toEqual([3]);
    });

    it("should save at once a value given without one, in place of a value still waiting", async () => {
      const saved: number[] = [];
      const keep = savingLatest(async (v: number) => void saved.push(v));
      keep(1, 1000);
      keep(2);
      await flush();
      expect(saved).toEqual([2]);
      jest.advanceTimersByTime(5000);
      await flush();
      expect(saved).toEqual([2]);
    });
  });
});
