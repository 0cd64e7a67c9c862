import fc from "fast-check";
import type { FolderSyncState } from "../../src/store/cacheStore";
import {
  canIssue,
  clipRanges,
  DAY_MS,
  foldDeltaItems,
  type FolderPlanInput,
  freshFolderState,
  gapBetween,
  iso,
  isComplete,
  newListTask,
  nextWork,
  pendingOf,
  planFolder,
  recordPage,
  windowStartOf,
} from "../../src/graph/syncPlan";

const T = Date.parse("2026-06-01T12:00:00Z");
const HOUR = 3_600_000;
const input = (over: Partial<FolderPlanInput> = {}): FolderPlanInput => ({
  folder: "inbox",
  windowStart: T - 367 * DAY_MS,
  wallNow: T,
  seamMarginMs: HOUR,
  relistAfterMs: 7 * DAY_MS,
  ...over,
});
/** A folder fully synced at `listedAt`, its seam an hour before. */
const complete = (windowStart: number, listedAt = T): FolderSyncState => ({
  ...freshFolderState(input({ windowStart, wallNow: listedAt }), 10),
  pendingRanges: [],
  deltaLink: "https://graph/delta?$deltatoken=x",
});

describe("syncPlan.ts", () => {
  describe("windowStartOf", () => {
    it.each([
      [365, T - 367 * DAY_MS],
      [0, T - 2 * DAY_MS],
      [30, T - 32 * DAY_MS],
    ])("should start a %i-day window two days early", (days, expected) => {
      expect(windowStartOf(T, days)).toBe(expected);
    });
  });

  describe("planFolder", () => {
    const start = T - 367 * DAY_MS;
    it.each<[string, FolderSyncState | null, Partial<FolderPlanInput>, object]>([
      [
        "a new folder lists its window up to a seam an hour back",
        null,
        {},
        { relist: false, changed: true, pending: [[start, T - HOUR]], deltaFrom: T - HOUR },
      ],
      [
        "a complete folder synced a day ago has nothing to list",
        complete(start, T - DAY_MS),
        {},
        { relist: false, changed: false, pending: [] },
      ],
      [
        "a complete folder listed a week ago is listed again up to its seam",
        complete(start, T - 7 * DAY_MS),
        {},
        { relist: true, changed: true, pending: [[start, T - 7 * DAY_MS - HOUR]] },
      ],
      [
        "a wider window lists the newly covered span",
        complete(start + 100 * DAY_MS, T - DAY_MS),
        {},
        { relist: false, changed: true, pending: [[start, start + 100 * DAY_MS]] },
      ],
      [
        "a narrower window cuts what is still to list",
        { ...complete(start), pendingRanges: [{ from: iso(start), to: iso(start + 200 * DAY_MS) }] },
        { windowStart: start + 100 * DAY_MS },
        { relist: false, changed: true, pending: [[start + 100 * DAY_MS, start + 200 * DAY_MS]] },
      ],
      [
        "a window moved past the seam has nothing before the seam to list again",
        complete(start, T - 400 * DAY_MS),
        {},
        { relist: true, changed: true, pending: [] },
      ],
    ])("%s", (_name, stored, over, expected) => {
      const plan = planFolder(stored, input(over));
      expect({
        relist: plan.relist,
        changed: plan.changed,
        pending: plan.state.pendingRanges.map((r) => [Date.parse(r.from), Date.parse(r.to)]),
        ...("deltaFrom" in expected ? { deltaFrom: Date.parse(plan.state.deltaFrom) } : {}),
      }).toEqual(expected);
      expect(plan.state.windowStart).toBe(iso(input(over).windowStart));
    });

    it("should keep the delta position of a folder whatever the window does", () => {
      const stored = complete(start, T - DAY_MS);
      for (const windowStart of [start - 50 * DAY_MS, start + 50 * DAY_MS]) {
        const plan = planFolder(stored, input({ windowStart }));
        expect(plan.state.deltaLink).toBe(stored.deltaLink);
        expect(plan.state.deltaFrom).toBe(stored.deltaFrom);
      }
    });

    it("should plan ranges that, with the delta's span, cover exactly the new window (property)", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 800 }),
          fc.integer({ min: 0, max: 800 }),
          fc.integer({ min: 0, max: 30 }),
          (oldDays, newDays, syncedDaysAgo) => {
            const oldStart = T - syncedDaysAgo * DAY_MS - (oldDays + 2) * DAY_MS;
            const stored = complete(oldStart, T - syncedDaysAgo * DAY_MS);
            const windowStart = windowStartOf(T, newDays);
            const plan = planFolder(stored, input({ windowStart, relistAfterMs: Infinity }));
            const seam = Date.parse(stored.deltaFrom);
            // Covered after the run: what was covered before (from the old start on), cut to the new start, plus
            // the planned ranges; it must be [windowStart, ∞).
            const covered = [[Math.max(oldStart, windowStart), Infinity]];
            for (const r of plan.state.pendingRanges) covered.push([Date.parse(r.from), Date.parse(r.to)]);
            covered.sort((a, b) => (a[0] as number) - (b[0] as number));
            expect(covered[0]?.[0]).toBe(windowStart);
            let reach = windowStart;
            for (const [from, to] of covered) {
              expect(from).toBeLessThanOrEqual(reach);
              reach = Math.max(reach, to as number);
            }
            expect(reach).toBe(Infinity);
            expect(seam).toBe(Date.parse(stored.deltaFrom));
          },
        ),
      );
    });
  });

  describe("clipRanges", () => {
    it.each([
      ["keeps a range after the start", [[10, 20]], 5, [[10, 20]]],
      ["cuts a range across the start", [[0, 20]], 5, [[5, 20]]],
      ["drops a range before the start", [[0, 5]], 5, []],
    ])("%s", (_name, ranges, start, expected) => {
      const r = ranges.map(([a, b]) => ({ from: iso(a as number), to: iso(b as number) }));
      expect(clipRanges(r, start).map((x) => [Date.parse(x.from), Date.parse(x.to)])).toEqual(expected);
    });
  });

  describe("recordPage", () => {
    const range = { from: iso(0), to: iso(1000) };
    const edge = (key: string, time: number) => ({ key, time });

    it("should know every page from page 0's count and finish once all pages met", () => {
      const task = newListTask(range, 0, 0);
      expect(canIssue(task)).toBe(true);
      task.issued = 1;
      const first = recordPage(task, 0, {
        length: 10,
        hasNext: true,
        count: 28,
        first: edge("a", 900),
        last: edge("j", 800),
      });
      expect(first).toEqual({ repairs: [], listed: false });
      expect({ stride: task.stride, known: task.known, overlap: task.overlap }).toEqual({
        stride: 9,
        known: 3,
        overlap: true,
      });
      task.issued = 3;
      expect(canIssue(task)).toBe(false);
      // Page 2 arrives before page 1: nothing is joined past page 0 yet.
      recordPage(task, 2, { length: 10, hasNext: false, first: edge("s", 600), last: edge("z", 500) });
      expect(pendingOf(task)).toEqual({ from: iso(0), to: iso(801) });
      const last = recordPage(task, 1, {
        length: 10,
        hasNext: true,
        first: edge("j", 800),
        last: edge("s", 600),
      });
      expect(last).toEqual({ repairs: [], listed: true });
    });

    it.each([
      ["pages that share a message", edge("j", 800), edge("j", 800), null],
      [
        "a page that starts later than the last ended (mail went)",
        edge("j", 800),
        edge("m", 700),
        [700, 801],
      ],
      ["a page that starts earlier (mail came)", edge("j", 800), edge("b", 850), [800, 851]],
    ])("should find the gap between %s", (_name, lastOfBefore, firstOfAfter, expected) => {
      const task = newListTask(range, 0, 0);
      task.overlap = true;
      const gap = gapBetween(
        task,
        { first: null, last: lastOfBefore, hasNext: true },
        { first: firstOfAfter, last: null, hasNext: false },
      );
      expect(gap && [Date.parse(gap.from), Date.parse(gap.to)]).toEqual(expected);
    });
  });

  describe("nextWork", () => {
    const task = (issued: number, known: number, stride: number | null = 9) => ({
      ...newListTask({ from: iso(0), to: iso(1) }, 0, 0),
      issued,
      known,
      stride,
    });
    const folder = (tasks: ReturnType<typeof task>[], over: object = {}) => ({
      tasks,
      deltaDone: false,
      deltaBusy: false,
      gone: false,
      ...over,
    });
    const fresh = task(0, 1, null);
    const short = task(1, 3);
    const long = task(1, 10);
    it.each<[string, ReturnType<typeof folder>[], boolean, object | null]>([
      [
        "page 0 of any range before anything else",
        [folder([short]), folder([fresh])],
        true,
        { kind: "page", folder: 1 },
      ],
      ["then a waiting head request", [folder([short])], true, { kind: "head" }],
      ["then a delta step", [folder([short])], false, { kind: "delta", folder: 0 }],
      [
        "not a folder's second delta step at once",
        [folder([], { deltaBusy: true }), folder([long])],
        false,
        { kind: "delta", folder: 1 },
      ],
      [
        "then the range with the most pages left",
        [folder([short], { deltaDone: true }), folder([long], { deltaDone: true })],
        false,
        { kind: "page", folder: 1 },
      ],
      ["nothing of a folder that is gone", [folder([fresh], { gone: true })], false, null],
      [
        "nothing while page 0's answer is awaited",
        [folder([task(1, 1, null)], { deltaDone: true })],
        false,
        null,
      ],
    ])("should pick %s", (_name, folders, headsWaiting, expected) => {
      const work = nextWork(folders, headsWaiting);
      expect(work && { kind: work.kind, ...("folder" in work ? { folder: work.folder } : {}) }).toEqual(
        expected,
      );
    });
  });

  describe("isComplete", () => {
    it.each([
      ["nothing stored", null, false],
      ["still listing", { ...complete(0), pendingRanges: [{ from: iso(0), to: iso(1) }] }, false],
      ["no deltaLink yet", { ...complete(0), deltaLink: null }, false],
      ["listed and a deltaLink held", complete(0), true],
    ])("%s → %s", (_name, state, expected) => {
      expect(isComplete(state)).toBe(expected);
    });
  });

  describe("foldDeltaItems", () => {
    const item = (id: string, v = 0) => ({ id, subject: `v${v}` });
    const gone = (id: string) => ({ id, "@removed": { reason: "deleted" } });

    it.each([
      ["added then removed in one page is removed", [item("a"), gone("a")], [], ["a"]],
      ["removed then added again is there", [gone("a"), item("a", 1)], [item("a", 1)], []],
      ["changed twice keeps the last version", [item("a", 1), item("a", 2)], [item("a", 2)], []],
      ["items without an id go to the mapper", [{ subject: "x" }], [{ subject: "x" }], []],
    ])("%s", (_name, items, upserts, removedIds) => {
      expect(foldDeltaItems(items)).toEqual({ upserts, removedIds });
    });

    it("should end where applying the items one by one ends (property)", () => {
      const op = fc.record({ id: fc.constantFrom("a", "b", "c", "d"), removed: fc.boolean(), v: fc.nat(9) });
      fc.assert(
        fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
          const items = ops.map((o) => (o.removed ? gone(o.id) : item(o.id, o.v)));
          const oneByOne = new Map<string, unknown>();
          for (const o of ops) {
            if (o.removed) oneByOne.delete(o.id);
            else oneByOne.set(o.id, item(o.id, o.v));
          }
          const cache = new Map<string, unknown>([
            ["a", item("a", 7)],
            ["d", item("d", 7)],
          ]);
          const expected = new Map([...cache, ...oneByOne]);
          for (const o of ops) if (o.removed && !oneByOne.has(o.id)) expected.delete(o.id);
          const { upserts, removedIds } = foldDeltaItems(items);
          for (const id of removedIds) cache.delete(id);
          for (const u of upserts) cache.set((u as { id: string }).id, u);
          expect(Object.fromEntries(cache)).toEqual(Object.fromEntries(expected));
        }),
      );
    });
  });
});
