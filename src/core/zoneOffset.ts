// A time zone's offset from UTC at an instant, from Intl (the platform's tz database), for the calendar and the
// date reader alike. Intl is asked once per zone and UTC day: a day whose start and end have the same offset has
// it throughout; a day with a change (daylight saving, a zone's new rules) has its moment of change found once, to
// the second. So judging 40k conversations costs a few hundred Intl calls, not one per message.
import { DAY_MS } from "./message";

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The formatter of a zone; an unknown zone reads as UTC. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f) return f;
  try {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    f = formatterFor("UTC");
  }
  if (formatters.size > 64) formatters.clear();
  formatters.set(timeZone, f);
  return f;
}

/** The offset straight from Intl: local wall-clock time (read as if UTC) minus the instant, whole seconds. */
export function exactZoneOffset(ms: number, timeZone: string): number {
  const at = Math.floor(ms / 1000) * 1000;
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const year = get("year");
  const era = parts.find((p) => p.type === "era")?.value;
  const wall = Date.UTC(
    era === "BC" ? 1 - year : year,
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return wall - at;
}

// Cached for 1970–2100, where mail is; outside it every call asks Intl.
const CACHED_UNTIL_MS = 4_102_444_800_000; // 2100-01-01

interface ZoneCache {
  /** UTC day → its offset, for a day with one offset throughout (most days): one lookup answers. */
  readonly steady: Map<number, number>;
  /** UTC day → offset at its first instant. */
  readonly atDayStart: Map<number, number>;
  /** UTC day with a change in it → the first instant (whole second) of the new offset. */
  readonly changeAt: Map<number, number>;
}

const zones = new Map<string, ZoneCache>();

function cacheOf(timeZone: string): ZoneCache {
  let zone = zones.get(timeZone);
  if (!zone) {
    if (zones.size > 64) zones.clear();
    zones.set(timeZone, (zone = { steady: new Map(), atDayStart: new Map(), changeAt: new Map() }));
  } else if (zone.atDayStart.size > 100_000) {
    zone.steady.clear();
    zone.atDayStart.clear();
    zone.changeAt.clear();
  }
  return zone;
}

function offsetAtDayStart(zone: ZoneCache, utcDay: number, timeZone: string): number {
  let o = zone.atDayStart.get(utcDay);
  if (o === undefined) zone.atDayStart.set(utcDay, (o = exactZoneOffset(utcDay * DAY_MS, timeZone)));
  return o;
}

/** The first whole second of the day whose offset differs from the day's starting one. */
function changeIn(zone: ZoneCache, utcDay: number, before: number, timeZone: string): number {
  let change = zone.changeAt.get(utcDay);
  if (change === undefined) {
    let lo = utcDay * DAY_MS; // has `before`
    let hi = lo + DAY_MS; // has the next day's offset
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (exactZoneOffset(mid, timeZone) === before) lo = mid;
      else hi = mid;
    }
    zone.changeAt.set(utcDay, (change = hi));
  }
  return change;
}

/**
 * Milliseconds to add to an instant (taken at its whole second) to get the zone's local wall-clock time, read as
 * if it were UTC. An unknown zone reads as UTC. Assumes at most one change of offset per UTC day, as in every
 * zone of the tz database since 1970.
 */
export function zoneOffset(ms: number, timeZone: string): number {
  if (!(ms >= 0 && ms < CACHED_UNTIL_MS)) return exactZoneOffset(ms, timeZone);
  return offsetIn(cacheOf(timeZone), ms, timeZone);
}

/**
 * zoneOffset for one zone, its cache looked up once: the calendar asks for every day it counts, tens of thousands
 * of times per judgement.
 */
export function zoneOffsetsOf(timeZone: string): (ms: number) => number {
  let zone = cacheOf(timeZone);
  return (ms) => {
    if (!(ms >= 0 && ms < CACHED_UNTIL_MS)) return exactZoneOffset(ms, timeZone);
    if (zone.atDayStart.size > 100_000) zone = cacheOf(timeZone); // cleared there, as zoneOffset would
    return offsetIn(zone, ms, timeZone);
  };
}

function offsetIn(zone: ZoneCache, ms: number, timeZone: string): number {
  const utcDay = Math.floor(ms / DAY_MS);
  const steady = zone.steady.get(utcDay);
  if (steady !== undefined) return steady;
  const start = offsetAtDayStart(zone, utcDay, timeZone);
  const end = offsetAtDayStart(zone, utcDay + 1, timeZone);
  if (start === end) {
    zone.steady.set(utcDay, start);
    return start;
  }
  return Math.floor(ms / 1000) * 1000 < changeIn(zone, utcDay, start, timeZone) ? start : end;
}

/** The local calendar day (days since 1970-01-01 in the zone) of an instant, given the zone's offsets. */
export function localDayNumber(ms: number, offsetAt: (ms: number) => number): number {
  return Math.floor((ms + offsetAt(ms)) / DAY_MS);
}

// Offsets of every zone lie within these, with an hour to spare.
const EARLIEST_OFFSET_MS = -13 * 3_600_000;
const LATEST_OFFSET_MS = 15 * 3_600_000;

/**
 * The first instant (a whole second) of a local calendar day, given the zone's offsets: local midnight, or where
 * midnight never happened (a change of offset at midnight, such as Monrovia's -0:44:30 to GMT in 1972) the first
 * moment after the change. A day the zone skipped altogether starts where the next day does.
 */
export function firstInstantOfDay(day: number, offsetAt: (ms: number) => number): number {
  const wall = day * DAY_MS;
  // local midnight = wall - offset; the offset at that instant may differ from the one at `wall`, so settle twice
  const settled = wall - offsetAt(wall - offsetAt(wall));
  if (localDayNumber(settled, offsetAt) >= day && localDayNumber(settled - 1000, offsetAt) < day)
    return settled;
  // Midnight fell in a gap, or came twice: find the first second of the day between bounds no zone exceeds.
  let lo = wall - LATEST_OFFSET_MS; // still the day before
  let hi = wall - EARLIEST_OFFSET_MS; // already this day (or later)
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (localDayNumber(mid, offsetAt) >= day) hi = mid;
    else lo = mid;
  }
  return hi;
}
