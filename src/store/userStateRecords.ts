// How a store keeps user-state entries: one record per entry key, changed by superseding the stored record, and a
// whole-state save turned into the entries that differ (an undo becomes a tombstone, never a deletion).
import { instant, type Instant } from "../core/message";
import type { UserState } from "../core/userState";
import {
  entriesFromUserState,
  entryKey,
  mergeEntries,
  resolveEntries,
  type StateEntry,
} from "../core/userStateEntries";

/** The record to store for `entry` given the one stored under its key: newer wins; a tie or older clock is bumped. */
export function supersede(stored: StateEntry | undefined, entry: StateEntry): StateEntry {
  if (stored === undefined) return entry;
  if (stored.at >= entry.at && !sameDecision(stored, entry)) return { ...entry, at: instant(stored.at + 1) };
  return mergeEntries([stored], [entry])[0] as StateEntry;
}

/** The user state the entries mean, shaped as the pane has always stored it (no empty optional maps). */
export function userStateOf(entries: readonly StateEntry[]): UserState {
  const { snoozes, closed, loggedAttempts, referrers, deferrals } = resolveEntries(entries).userState;
  return {
    snoozes,
    closed,
    loggedAttempts,
    ...(referrers && Object.keys(referrers).length ? { referrers } : {}),
    ...(deferrals && Object.keys(deferrals).length ? { deferrals } : {}),
  };
}

const withoutAt = ({ at: _at, ...rest }: StateEntry): string => JSON.stringify(rest);
const sameDecision = (a: StateEntry, b: StateEntry): boolean => withoutAt(a) === withoutAt(b);

/** The undo of a live entry: the same key, saying "no longer". */
function tombstoneOf(e: StateEntry, at: Instant): StateEntry | null {
  switch (e.kind) {
    case "snooze":
      return e.until === null ? null : { ...e, at, until: null };
    case "closed":
      return e.closed ? { ...e, at, closed: false } : null;
    case "call":
      return e.deleted ? null : { ...e, at, deleted: true };
    case "referrer":
      return e.address === null ? null : { ...e, at, address: null };
    case "deferral":
      return e.until === "auto" ? null : { ...e, at, until: "auto" };
    case "not-a-prospect":
    case "sent":
      return null; // Not part of UserState: a whole-state save leaves exclusions and sent records alone.
  }
}

/** The entries that turn `stored` into `state` at `at`: changed decisions, and tombstones for what was removed. */
export function entriesToSave(stored: readonly StateEntry[], state: UserState, at: Instant): StateEntry[] {
  const wanted = entriesFromUserState(state, at);
  const byKey = new Map(stored.map((e) => [entryKey(e), e]));
  const wantedKeys = new Set(wanted.map(entryKey));
  const out: StateEntry[] = wanted.filter((e) => {
    const known = byKey.get(entryKey(e));
    return !known || !sameDecision(known, e);
  });
  for (const e of stored) {
    if (wantedKeys.has(entryKey(e))) continue;
    const tombstone = tombstoneOf(e, at);
    if (tombstone) out.push(tombstone);
  }
  return out;
}
