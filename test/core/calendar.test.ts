import fc from "fast-check";
import { createCalendar } from "../../src/core/calendar";
import { localDayOf, localMidnight } from "../../src/core/intentDates";
import { DAY_MS, instant } from "../../src/core/message";
import { exactZoneOffset, zoneOffset, zoneOffsetsOf } from "../../src/core/zoneOffset";

const MINUTE = 60_000;
// Zones with daylight saving, half- and quarter-hour offsets, a 30-minute DST shift, and a change at an odd second.
const ZONES = [
  "UTC",
  "Europe/Berlin",
  "America/New_York",
  "America/Sao_Paulo",
  "Asia/Kolkata",
  "Asia/Tehran",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "Pacific/Apia",
  "Africa/Monrovia",
  "America/St_Johns",
];
// 1970 … 2100, the cached range
const anyInstant = fc.integer({ min: 0, max: 4_102_444_799_999 });
const localDate = (ms: number, timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    ms,
  );

describe("zoneOffset.ts", () => {
  describe("zoneOffset", () => {
    it.each([
      ["Europe/Berlin", "2026-03-29T01:00:00Z", 60, 120],
      ["America/New_York", "2026-11-01T06:00:00Z", -240, -300],
      ["Australia/Lord_Howe", "2026-04-04T15:00:00Z", 660, 630],
      ["Pacific/Chatham", "2026-04-04T14:00:00Z", 825, 765],
      ["Africa/Monrovia", "1972-01-07T00:44:30Z", -44.5, 0],
      ["UTC", "2026-03-29T01:00:00Z", 0, 0],
    ])("%s changes at %s from %d to %d minutes", (timeZone, at, before, after) => {
      const t = Date.parse(at);
      expect(zoneOffset(t - 1000, timeZone) / MINUTE).toBe(before);
      expect(zoneOffset(t - 1, timeZone) / MINUTE).toBe(before);
      expect(zoneOffset(t, timeZone) / MINUTE).toBe(after);
    });

    it("should read an unknown zone as UTC", () => {
      expect(zoneOffset(Date.parse("2026-07-01T12:00:00Z"), "Mars/Olympus_Mons")).toBe(0);
    });

    it("should always equal Intl's own offset, also within seconds of a change", () => {
      // Instants anywhere, and instants in the hours around local midnight and 01:00–03:00 UTC, where changes are.
      const nearChange = fc
        .tuple(fc.integer({ min: 0, max: 47_000 }), fc.integer({ min: 0, max: 4 * 3600 }))
        .map(([day, second]) => day * DAY_MS + second * 1000);
      fc.assert(
        fc.property(fc.oneof(anyInstant, nearChange), fc.constantFrom(...ZONES), (t, timeZone) => {
          expect(zoneOffset(t, timeZone)).toBe(exactZoneOffset(t, timeZone));
          // the calendar's reader of one zone, bound to its cache, as well
          expect(zoneOffsetsOf(timeZone)(t)).toBe(exactZoneOffset(t, timeZone));
        }),
        { numRuns: 3000 },
      );
    });
  });

  describe("the calendar and the date reader, on one cache", () => {
    it("should agree with each other and with Intl on the local day of an instant", () => {
      fc.assert(
        fc.property(anyInstant, fc.constantFrom(...ZONES), (t, timeZone) => {
          const day = createCalendar(timeZone).dayNumber(instant(t));
          expect(localDayOf(instant(t), timeZone)).toBe(day);
          expect(new Date(day * DAY_MS).toISOString().slice(0, 10)).toBe(localDate(t, timeZone));
        }),
        { numRuns: 1500 },
      );
    });

    it.each([
      ["Europe/Berlin", "2026-03-29", "2026-03-28T23:00:00Z"],
      ["America/New_York", "2026-11-01", "2026-11-01T04:00:00Z"],
      // midnight skipped by daylight saving: the day starts at 01:00
      ["America/Sao_Paulo", "2018-11-04", "2018-11-04T03:00:00Z"],
      ["America/Havana", "2026-03-08", "2026-03-08T05:00:00Z"],
      // -0:44:30 to GMT at midnight: the day starts 44 min 30 s late, not an hour
      ["Africa/Monrovia", "1972-01-07", "1972-01-07T00:44:30Z"],
      // 2011-12-30 never happened in Samoa; the 31st began as the 29th ended
      ["Pacific/Apia", "2011-12-31", "2011-12-30T10:00:00Z"],
    ])("in %s, %s should begin at %s", (timeZone, date, start) => {
      const day = Date.parse(`${date}T00:00:00Z`) / DAY_MS;
      expect(new Date(createCalendar(timeZone).startOfDay(day)).toISOString()).toBe(
        new Date(start).toISOString(),
      );
      expect(new Date(localMidnight(day, timeZone)).toISOString()).toBe(new Date(start).toISOString());
    });

    it("should start each day at the first instant of that local day", () => {
      fc.assert(
        fc.property(anyInstant, fc.constantFrom(...ZONES), (t, timeZone) => {
          const calendar = createCalendar(timeZone);
          const day = calendar.dayNumber(instant(t));
          const start = calendar.startOfDay(day);
          expect(start).toBeLessThanOrEqual(t);
          expect(calendar.dayNumber(start)).toBe(day);
          expect(calendar.dayNumber(instant(start - 1000))).toBe(day - 1);
          expect(localMidnight(day, timeZone)).toBe(start);
        }),
        { numRuns: 1500 },
      );
    });
  });
});
