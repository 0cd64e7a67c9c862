// The settings the engine judges under: the user's own, with the people and domains marked "not a prospect" (user
// state entries) added. A snooze or a close makes a new resolved user state but leaves the exclusions as they were;
// the selector below keeps them the same object then, so the engine's settings hold and only the touched
// conversation is judged again.
import type { Settings } from "../../core/settings";
import type { ResolvedUserState } from "../../core/userStateEntries";

/** The addresses and domains marked "not a prospect" in user state. */
export interface Exclusions {
  readonly addresses: readonly string[];
  readonly domains: readonly string[];
}

const NONE: Exclusions = { addresses: [], domains: [] };

/** True when both hold the same strings (entries are one per key, so there are no repeats to count). */
function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  const known = new Set(a);
  return b.every((s) => known.has(s));
}

/**
 * A memoised selector of the resolved exclusions: it answers with the very object it answered last while the
 * addresses and domains are the same, whatever else in the user state changed.
 */
export function exclusionsSelector(): (resolved: ResolvedUserState) => Exclusions {
  let last = NONE;
  return (resolved) => {
    if (
      !sameStrings(last.addresses, resolved.excludedAddresses) ||
      !sameStrings(last.domains, resolved.excludedDomains)
    ) {
      last = { addresses: resolved.excludedAddresses, domains: resolved.excludedDomains };
    }
    return last;
  };
}

/** The settings with the exclusions added; the settings themselves when there are none. */
export function withExclusions(settings: Settings, exclusions: Exclusions): Settings {
  if (!exclusions.addresses.length && !exclusions.domains.length) return settings;
  return {
    ...settings,
    excludedAddresses: [...new Set([...settings.excludedAddresses, ...exclusions.addresses])],
    excludedDomains: [...new Set([...settings.excludedDomains, ...exclusions.domains])],
  };
}
