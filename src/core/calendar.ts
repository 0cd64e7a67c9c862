// Days as the user lives them: calendar days in the user's time zone, optionally business days only. Offsets come
// from zoneOffset, the one cache of Intl's offsets that the date reader (intentDates) uses too.
import { type Instant, instant } from "./message";
import { firstInstantOfDay, localDayNumber, zoneOffsetsOf } from "./zoneOffset";

/** Counting rules for days, from the settings. */
export interface DayCounting {
  /** Count only working days (weekend days left out). */
  readonly countBusinessDays: boolean;
  /** Weekend days, 0 = Sunday … 6 = Saturday. */
  readonly weekendDays: readonly number[];
}

/** A time zone's calendar: local days, day differences and working days. */
export interface Calendar {
  readonly timeZone: string;
  /** The local calendar day of an instant, as a day number (days since 1970-01-01 in that zone). */
  dayNumber(at: Instant): number;
  /** Days from `earlier` to `later`: calendar days (or working days), never negative. */
  daysBetween(earlier: Instant, later: Instant): number;
  /** Local midnight at the start of a day number. */
  startOfDay(day: number): Instant;
  /** True when the day number is a weekend day. */
  isWeekend(day: number): boolean;
  /** The first working day strictly after `day`. */
  nextWorkingDay(day: number): number;
}

/** True when `timeZone` is an IANA zone the platform knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Builds the calendar of an IANA time zone; throws a RangeError naming the zone when it is unknown. */
export function createCalendar(
  timeZone: string,
  counting: DayCounting = { countBusinessDays: false, weekendDays: [0, 6] },
): Calendar {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone "${timeZone}"`);
  const weekend = new Set(counting.weekendDays);
  const offsetAt = zoneOffsetsOf(timeZone);
  const dayNumber = (at: Instant): number => localDayNumber(at, offsetAt);
  // Judging counts every conversation's days up to the same "now": its day is worked out once.
  let lastLater = NaN;
  let lastLaterDay = NaN;
  const dayOfLater = (later: Instant): number => {
    if (later !== lastLater) {
      lastLaterDay = dayNumber(later);
      lastLater = later;
    }
    return lastLaterDay;
  };
  const isWeekend = (day: number): boolean => weekend.has((((day + 4) % 7) + 7) % 7); // 1970-01-01 was a Thursday
  const workingDaysBetween = (from: number, to: number): number => {
    // working days in (from, to]
    let count = 0;
    const whole = Math.floor((to - from) / 7);
    count += whole * (7 - weekend.size);
    for (let d = from + whole * 7 + 1; d <= to; d++) if (!isWeekend(d)) count++;
    return count;
  };
  return {
    timeZone,
    dayNumber,
    daysBetween(earlier, later) {
      const from = dayNumber(earlier);
      const to = dayOfLater(later);
      if (to <= from) return 0;
      return counting.countBusinessDays ? workingDaysBetween(from, to) : to - from;
    },
    startOfDay(day) {
      return instant(firstInstantOfDay(day, offsetAt));
    },
    isWeekend,
    nextWorkingDay(day) {
      let d = day + 1;
      for (let i = 0; i < 7 && isWeekend(d); i++) d++;
      return d;
    },
  };
}
