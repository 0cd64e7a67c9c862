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
    // "Acme, Inc." is a company, not Inc Acme: its name comes before the comma.
    name = isCompanySuffix(rest) ? last.trim() : rest.trim() || last.trim();
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

/**
 * A display name as a person reads it: "Kim, Amara" → "Amara Kim" where both sides look like names (one to three
 * words of letters each, none like "Inc.", "PhD" or "Sales"); anything else cleaned as it is.
 */
export function readableName(displayName: string): string {
  const name = cleanDisplayName(displayName);
  const parts = name.split(",");
  if (parts.length !== 2) return name;
  const family = (parts[0] ?? "").trim().split(/\s+/).filter(Boolean);
  const given = (parts[1] ?? "").trim().split(/\s+/).filter(Boolean);
  const nameWord = (w: string) =>
    /^\p{L}[\p{L}\p{M}'’-]*\.?$/u.test(w) &&
    !POST_NOMINALS.test(w) &&
    !COMPANY_SUFFIXES.test(w) &&
    !ROLE_WORDS.test(w.replace(/\.$/, ""));
  const looksLikeName = (words: readonly string[]) =>
    words.length >= 1 && words.length <= 3 && words.every(nameWord);
  if (!looksLikeName(family) || !looksLikeName(given)) return name;
  return `${given.join(" ")} ${family.join(" ")}`;
}

/**
 * How a reason names someone in passing ("Amara declined on…"): their first name, or failing that the display
 * name or the address; "someone" when there is nothing.
 */
export function shortNameOf(displayName: string, address = ""): string {
  return firstNameOf(displayName, address) || cleanDisplayName(displayName) || address || "someone";
}

/** A display name with control characters and surrounding quotes removed, or "" when there is none. */
export function cleanDisplayName(displayName: string): string {
  return singleLine(displayName)
    .replace(/^["'\s]+|["'\s]+$/g, "")
    .trim();
}

// Titles that make a formal greeting ("Mr Smith"); "Sir" and "Dame" go with the first name ("Sir John").
const GREETING_TITLES: Readonly<Record<string, string>> = {
  mr: "Mr",
  mrs: "Mrs",
  ms: "Ms",
  miss: "Miss",
  mx: "Mx",
  dr: "Dr",
  prof: "Prof",
  professor: "Professor",
  herr: "Herr",
  frau: "Frau",
  mme: "Mme",
  mlle: "Mlle",
  sr: "Sr",
  sra: "Sra",
  srta: "Srta",
  sir: "Sir",
  dame: "Dame",
};
const FIRST_NAME_TITLES = new Set(["Sir", "Dame"]);
const POST_NOMINALS = /^(jr|sr|ii|iii|iv|phd|mba|msc|bsc|esq|cpa|cfa|obe|mbe|cbe)\.?$/i;
const SURNAME_PARTICLES = /^(van|von|de|der|den|del|della|di|da|das|dos|du|la|le|ter|ten|st|st\.)$/i;
// Words that name a role, a department or a shared mailbox rather than a person, in several languages.
const ROLE_WORDS =
  /^(sales|purchasing|procurement|purchase|buying|department|dept|accounts?|payable|receivable|accounting|finance|billing|invoices?|info|information|support|helpdesk|help|desk|team|service|services|customer|customers|client|clients|office|admin|administration|reception|enquiries|inquiries|contact|hello|marketing|hr|recruiting|careers|jobs|press|media|legal|operations|ops|logistics|orders?|shop|store|noreply|no-reply|mailbox|einkauf|verkauf|vertrieb|buchhaltung|kundenservice|kundendienst|abteilung|achats|ventes|comptabilité|facturation|ventas|compras|contabilidad|atención|clientes|soporte|vendite|acquisti|amministrazione|inkoop|verkoop|klantenservice)$/iu;
const COMPANY_SUFFIXES =
  /^(?:(?:ltd|limited|inc|llc|llp|plc|corp|corporation|gmbh|ag|sas|sarl|srl|spa|bv|nv|oy|pty)\.?|co\.)$/i;

/** "Inc.", "Ltd", "GmbH": a tail of words that says the name before it is a company's. */
function isCompanySuffix(text: string): boolean {
  const words = text
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  return words.length > 0 && words.every((w) => COMPANY_SUFFIXES.test(w));
}

/** Title-cases a bare word for a greeting, keeping mixed case ("McDonald") as written. */
function greetingWord(word: string): string {
  return tidyCase(word.replace(/^["'(]+|["',.;:)]+$/g, ""));
}

/** "J", "J.", "J.S.", "JS": initials say nothing to greet. */
function isInitials(word: string): boolean {
  const bare = word.replace(/[.\s]/g, "");
  if ([...bare].length <= 1) return true;
  if (/^(\p{L}\.){2,3}$/u.test(word)) return true;
  return /^[a-z]{2,3}$/i.test(bare) && !/[aeiouy]/i.test(bare);
}

/**
 * How to greet someone in "Hi …,": their first name ("Alex"), a title and surname when the display name carries
 * a title ("Mr Smith", "Dr Kim"), or "there" for departments, shared mailboxes, initials and empty names.
 */
export function greetingNameOf(displayName: string, address = ""): string {
  let name = singleLine(displayName)
    .replace(/\([^)]*\)|\[[^\]]*\]|<[^>]*>/g, " ")
    .replace(/^["'\s]+|["'\s]+$/g, "")
    .replace(/\s+(?:from|at|@|\||-|–|—)\s+.*$/i, "")
    .trim();
  if (name.includes("@")) name = "";
  let surname: string[] = [];
  const comma = name.indexOf(",");
  if (comma >= 0) {
    const before = name.slice(0, comma).trim();
    const after = name.slice(comma + 1).trim();
    const afterWords = after.split(/[\s,]+/).filter(Boolean);
    // "Acme, Inc.": a company, greeted as one.
    if (isCompanySuffix(after)) return "there";
    if (afterWords.length === 0 || afterWords.every((w) => POST_NOMINALS.test(w))) {
      name = before;
    } else {
      surname = before.split(/\s+/).filter(Boolean);
      name = after;
    }
  }
  // "Sr." first is a title (Señor); anywhere else it is a suffix, like "Jr." or "PhD".
  const words = name
    .split(/\s+/)
    .filter((w, i) => w && !(i > 0 && POST_NOMINALS.test(w)) && !/^[-–—&|/]$/.test(w));
  const all = [...words, ...surname];
  if (all.length === 0) return firstNameFromAddress(address) || "there";
  if (all.some((w) => ROLE_WORDS.test(w.replace(/[.,;:]+$/, "")))) return "there";
  if (all.length > 1 && COMPANY_SUFFIXES.test(all[all.length - 1] ?? "")) return "there";

  const titleKey = (words[0] ?? "").replace(/\.$/, "").toLowerCase();
  const title = Object.hasOwn(GREETING_TITLES, titleKey) ? GREETING_TITLES[titleKey] : undefined;
  const given = title ? words.slice(1) : words;
  if (title) {
    const family = surname.length ? surname : given.length > 1 ? trailingSurname(given) : given;
    const formal = FIRST_NAME_TITLES.has(title) ? given.slice(0, 1) : family;
    if (formal.length && !formal.some(isInitials)) {
      const last = formal.length - 1;
      const words = formal.map((w, i) =>
        i < last && SURNAME_PARTICLES.test(w)
          ? w === w.toUpperCase()
            ? w.toLowerCase()
            : w
          : greetingWord(w),
      );
      return `${title} ${words.join(" ")}`;
    }
  }
  // "alex.kim" as a display name is an address's local part.
  if (given.length === 1 && /^\p{L}+[._]\p{L}[\p{L}._]*$/u.test(given[0] ?? "")) {
    return firstNameFromAddress(`${given[0]}@`) || "there";
  }
  const first = given.find((w) => !isInitials(w) && !TITLES.test(w));
  if (first && given.indexOf(first) === 0 && /\p{L}/u.test(first)) return greetingWord(first);
  return firstNameFromAddress(address) || "there";
}

/** The surname at the end of "John van der Berg": the last word and any particles before it. */
function trailingSurname(words: readonly string[]): string[] {
  let start = words.length - 1;
  while (start > 0 && SURNAME_PARTICLES.test(words[start - 1] ?? "")) start--;
  return words.slice(start);
}
