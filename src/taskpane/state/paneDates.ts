// Every date the pane shows is written in the user's locale and time zone (from the host), never the browser's.
import { formatDate } from "../../core/draft";
import { localMidnight } from "../../core/intentDates";
import { DAY_MS, type Instant } from "../../core/message";

/** Where the user is, as the host tells it. */
export interface PaneWhere {
  readonly locale: string;
  readonly timeZone: string;
}

/** "3 March 2026" in the user's locale and zone: every date in the pane, so none reads differently or lacks its year. */
export function formatPaneDate(at: Instant, where: PaneWhere): string {
  return formatDate(at, where);
}

/** A yyyy-mm-dd from a date input as 8:00 that day in `timeZone`, or null when it is no date. */
export function localMorning(value: string, timeZone: string): Instant | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utcDay = Date.UTC(y, mo - 1, d);
  if (Number.isNaN(utcDay) || new Date(utcDay).getUTCDate() !== d) return null;
  return (localMidnight(utcDay / DAY_MS, timeZone) + 8 * 3_600_000) as Instant;
}
