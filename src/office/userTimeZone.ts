// Where the user is: Outlook's Windows time-zone name turned into an IANA zone, and the browser's zone and locale
// as the fallback (demo mode, or a zone Outlook names that we cannot map).
import { findIana } from "windows-iana";

/** True when Intl knows the zone. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The browser's IANA zone, UTC when it cannot say. */
export function browserTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isKnownTimeZone(zone) ? zone : "UTC";
}

/** The browser's locale, en-GB when it cannot say. */
export function browserLocale(): string {
  const language = typeof navigator !== "undefined" ? navigator.language : "";
  return knownLocale(language) ?? "en-GB";
}

/** A locale Intl accepts, or null. */
export function knownLocale(tag: string | undefined): string | null {
  if (!tag) return null;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0 ? tag : null;
  } catch {
    return null;
  }
}

/**
 * The IANA zone for Outlook's userProfile.timeZone: a Windows name ("W. Europe Standard Time") is mapped with
 * windows-iana; some clients already give an IANA name; anything else falls back to the browser's zone.
 */
export function ianaTimeZoneOf(outlookZone: string | undefined): string {
  const name = outlookZone?.trim() ?? "";
  if (name) {
    const mapped = findIana(name)[0];
    if (mapped && isKnownTimeZone(mapped)) return mapped;
    if (name.includes("/") && isKnownTimeZone(name)) return name;
  }
  return browserTimeZone();
}
