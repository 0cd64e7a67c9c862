import { singleLine } from "./plainText";

const TITLES = /^(mr|mrs|ms|miss|mx|dr|prof|sir|dame|herr|frau|mme|mlle|m|sr|sra|srta)\.?$/i;
const GENERIC_LOCAL_PARTS =
  /^(info|sales|contact|hello|hi|admin|office|team|support|help|enquiries|inquiries|mail|accounts?|billing|hr|jobs|careers|marketing|press|service|reception)$/i;

/** Capitalises a word that arrived all lower- or all upper-case; leaves "McDonald" and "DeVito" alone. */
function tidyCase(word: string): string {
  if (word !== word.toLowerCase() && word !== word.toUpperCase()) return word;
  return word
    .toLowerCase()
    .replace(/(^|[-'’])(\p{L})/gu, (_m, sep: string, letter: string) => sep + letter.toUpperCase());
}

/**
 * A person's first name from a display name, coping with "Kim, Alex", "Dr. Alex Kim (Acme)", quotes and empty
 * names; falls back to the address ("alex.kim@…" → "Alex") and returns "" when nothing sensible is found.
 */
export function firstNameOf(displayName: string, address = ""): string {
  let name = singleLine(displayName)
    .replace(/\([^)]*\)|\[[^\]]*\]|<[^>]*>/g, " ")
    .replace(/^["'\s]+|["'\s]+$/g, "")
    .trim();
  if (name.includes("@")) name = "";
  if (name.includes(",")) {
    const [last, rest] = [name.slice(0, name.indexOf(",")), name.slice(name.indexOf(",") + 1)];
    name = rest.trim() || last.trim();
  }
  const words = name.split(/\s+/).filter((w) => w && !TITLES.test(w));
  const first = words[0]?.replace(/^["']+|["',.;:]+$/g, "") ?? "";
  if (first && /\p{L}/u.test(first)) return tidyCase(first);
  return firstNameFromAddress(address);
}

function firstNameFromAddress(address: string): string {
  const local = address.slice(0, Math.max(0, address.indexOf("@")));
  const parts = local.split(/[._-]+/).filter(Boolean);
  const first = parts[0] ?? "";
  // "alex.kim" names a person; "jsmith" or "info" does not.
  if (parts.length < 2 || GENERIC_LOCAL_PARTS.test(first) || !/^\p{L}{2,}$/u.test(first)) return "";
  return tidyCase(first);
}

/** A display name with control characters and surrounding quotes removed, or "" when there is none. */
export function cleanDisplayName(displayName: string): string {
  return singleLine(displayName)
    .replace(/^["'\s]+|["'\s]+$/g, "")
    .trim();
}
