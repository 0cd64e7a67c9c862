import { singleLine } from "../core/plainText";
import { normaliseAddress } from "../core/addresses";
import { TECHNIQUE_HEADER } from "../core/attribution";
import { isTechnique, type Technique } from "../core/technique";
import { type Address, type Folder, type Instant, type MailMessage, type Me, instant } from "../core/message";

/** The message fields Rekindle asks Graph for ($select). */
export const MESSAGE_FIELDS = [
  "id",
  "conversationId",
  "subject",
  "bodyPreview",
  "from",
  "toRecipients",
  "ccRecipients",
  "bccRecipients",
  "sentDateTime",
  "receivedDateTime",
  "hasAttachments",
] as const;

/** PR_MESSAGE_CLASS, requested with $expand=singleValueExtendedProperties. */
export const MESSAGE_CLASS_PROPERTY = "String 0x001A";

/**
 * The Auto-Submitted header as a named MAPI property (PS_INTERNET_HEADERS). Asking for it this way costs a few
 * bytes per message, where $select=internetMessageHeaders would bring every transport header of every message.
 */
export const AUTO_SUBMITTED_PROPERTY = "String {00020386-0000-0000-C000-000000000046} Name Auto-Submitted";

/** The List-Id header, read the same way: mail that came through a mailing list. */
export const LIST_ID_PROPERTY = "String {00020386-0000-0000-C000-000000000046} Name List-Id";
/** The List-Unsubscribe header, for lists that send no List-Id. */
export const LIST_UNSUBSCRIBE_PROPERTY =
  "String {00020386-0000-0000-C000-000000000046} Name List-Unsubscribe";
/**
 * Rekindle's own `x-rekindle-technique` header, read back as the named property Exchange keeps it in
 * (PS_INTERNET_HEADERS), so a sent message says which technique it used on any device. Exchange keeps the custom
 * internet headers a message was created with (Office.js InternetHeaders, "custom internet headers that are
 * preserved after the message item leaves Exchange":
 * https://learn.microsoft.com/javascript/api/outlook/office.internetheaders), and Graph filters a named
 * property's Name case-sensitively ("Filtering the string name (Name) in the id of an extended property is
 * case-sensitive": https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get), so the name is
 * asked for exactly as Rekindle writes it. Exchange also writes every string named property of PS_INTERNET_HEADERS
 * out as a header of that name when the message is sent ([MS-OXCMAIL] 2.1.3.2.4 "Arbitrary MIME Headers"), so
 * setting it on a Graph draft marks the sent copy too.
 */
export const TECHNIQUE_PROPERTY = `String {00020386-0000-0000-C000-000000000046} Name ${TECHNIQUE_HEADER}`;

/** The outcome of mapping one Graph message: the message, or why it was skipped. */
export type MapResult = { readonly message: MailMessage } | { readonly skipped: string };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === "string" ? v : "");

/** A shared, frozen empty recipient list: most cc and bcc lists are empty. */
const NO_ADDRESSES: readonly Address[] = Object.freeze([]);

const digitsAt = (s: string, from: number, count: number): number => {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
};

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number): boolean => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
const daysInMonth = (year: number, month: number): number =>
  month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 0);

/** Whether the calendar and clock fields name a real instant (Date.UTC would roll 2026-02-30 over to March). */
const isRealDateTime = (y: number, mo: number, d: number, h: number, mi: number, s: number): boolean =>
  y >= 1000 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h <= 23 && mi <= 59 && s <= 59;

/** Any other ISO 8601 date-time with a zone: fraction of any length, Z or ±hh:mm. */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * A Graph timestamp as an instant, or null when it is not a real date-time with a zone. Graph's own form
 * (`2026-01-22T05:16:10Z`) is read directly; other ISO 8601 forms are checked field by field and then read by
 * Date.parse. Impossible dates such as 2026-02-30 or 2026-13-01 are null, never rolled over.
 */
export function parseGraphInstant(raw: unknown): Instant | null {
  if (typeof raw !== "string") return null;
  if (raw.length === 20 && raw[4] === "-" && raw[7] === "-" && raw[10] === "T" && raw[13] === ":") {
    const year = digitsAt(raw, 0, 4);
    const month = digitsAt(raw, 5, 2);
    const day = digitsAt(raw, 8, 2);
    const hour = digitsAt(raw, 11, 2);
    const minute = digitsAt(raw, 14, 2);
    const second = digitsAt(raw, 17, 2);
    if (
      raw[16] === ":" &&
      raw[19] === "Z" &&
      hour >= 0 &&
      minute >= 0 &&
      second >= 0 &&
      isRealDateTime(year, month, day, hour, minute, second)
    ) {
      return instant(Date.UTC(year, month - 1, day, hour, minute, second));
    }
    return null;
  }
  const m = ISO_DATE_TIME.exec(raw);
  if (!m) return null;
  const [y, mo, d, h, mi, sec, , , oh, om] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  if (!isRealDateTime(y ?? 0, mo ?? 0, d ?? 0, h ?? 0, mi ?? 0, sec ?? 0) || (oh ?? 0) > 23 || (om ?? 0) > 59)
    return null;
  const ms = Date.parse(raw);
  return Number.isFinite(ms) ? instant(ms) : null;
}

/** Reads the message class (by tag 0x1A) and the Auto-Submitted named property, however Graph spells their ids. */
function extendedPropertiesOf(raw: unknown): {
  messageClass?: string;
  autoSubmitted?: string;
  listId?: string;
  technique?: string;
} {
  const out: { messageClass?: string; autoSubmitted?: string; listId?: string; technique?: string } = {};
  if (!Array.isArray(raw)) return out;
  for (const p of raw) {
    if (!isObject(p) || typeof p.id !== "string" || typeof p.value !== "string") continue;
    const id = p.id.trim();
    const tag = /^string\s+0x([0-9a-f]+)$/i.exec(id);
    if (tag && parseInt(tag[1] ?? "", 16) === 0x1a) out.messageClass = p.value;
    else if (/^string\s+\{00020386-0000-0000-c000-000000000046\}\s+name\s+auto-submitted$/i.test(id)) {
      out.autoSubmitted = p.value;
    } else if (/^string\s+\{00020386-0000-0000-c000-000000000046\}\s+name\s+list-id$/i.test(id)) {
      out.listId = p.value;
    } else if (/^string\s+\{00020386-0000-0000-c000-000000000046\}\s+name\s+list-unsubscribe$/i.test(id)) {
      out.listId ??= p.value;
    } else if (
      /^string\s+\{00020386-0000-0000-c000-000000000046\}\s+name\s+x-rekindle-technique$/i.test(id)
    ) {
      out.technique = p.value;
    }
  }
  return out;
}

/** A header value naming one of our techniques; anything else (another tool's header, a typo) is no technique. */
function techniqueOf(value: string | undefined): Technique | undefined {
  const t = value?.trim().toLowerCase();
  return isTechnique(t) ? t : undefined;
}

function headerOf(raw: unknown, name: string): string | undefined {
  if (!Array.isArray(raw)) return undefined;
  for (const h of raw) {
    if (isObject(h) && text(h.name).toLowerCase() === name && typeof h.value === "string") return h.value;
  }
  return undefined;
}

/**
 * Hands out one Address object per address and display name, shared by every message that names them: most mail
 * names the same few people (me above all), so a 100k-message cache holds far fewer objects and strings. It also
 * hands out one string per conversation id: the engine groups mail by it, and a Map finds the very string it
 * holds as a key without comparing characters (each message's id would otherwise be a copy of its own).
 */
export class AddressBook {
  private readonly known = new Map<string, Address>();
  private readonly alone = new Map<Address, readonly Address[]>();
  private readonly conversations = new Map<string, string>();

  /** The one shared string for this conversation id. */
  conversationId(id: string): string {
    const shared = this.conversations.get(id);
    if (shared !== undefined) return shared;
    this.conversations.set(id, id);
    return id;
  }

  get(address: string, name: string): Address {
    const hit = this.known.get(address);
    if (hit !== undefined && hit.name === name) return hit;
    // under another name, still the one string for the address
    const made: Address = { address: hit?.address ?? address, name };
    if (hit === undefined) this.known.set(address, made);
    return made;
  }

  /** A frozen list of just this address, shared as well: most mail has one recipient. */
  only(address: Address): readonly Address[] {
    let list = this.alone.get(address);
    if (list === undefined) {
      list = Object.freeze([address]);
      this.alone.set(address, list);
    }
    return list;
  }
}

function mapAddress(raw: unknown, book: AddressBook | undefined): Address | null {
  if (!isObject(raw) || !isObject(raw.emailAddress)) return null;
  const address = normaliseAddress(raw.emailAddress.address);
  if (!address) return null;
  const name = text(raw.emailAddress.name).trim();
  return book ? book.get(address, name) : { address, name };
}

/** A recipient as Graph sends it: an object with an emailAddress object (its address may still be unusable). */
const isRecipient = (raw: unknown): boolean => isObject(raw) && isObject(raw.emailAddress);

/** A recipient list as Graph sends it: a list of recipients (Graph sends [] when there are none). */
const isRecipientList = (raw: unknown): raw is unknown[] => Array.isArray(raw) && raw.every(isRecipient);

function mapRecipients(raw: unknown, book: AddressBook | undefined): readonly Address[] {
  if (!Array.isArray(raw) || raw.length === 0) return NO_ADDRESSES;
  if (raw.length === 1 && book) {
    const only = mapAddress(raw[0], book);
    return only ? book.only(only) : NO_ADDRESSES;
  }
  // Sized to fit: a pushed-to array keeps room for 17 entries, and most lists hold one or two.
  const out = raw.map((r: unknown) => mapAddress(r, book));
  if (out.every((a) => a !== null)) return out as Address[];
  const kept = out.filter((a): a is Address => a !== null);
  return kept.length > 0 ? kept : NO_ADDRESSES;
}

/**
 * Maps one Graph message resource to the engine's model; odd fields are defaulted, unusable messages skipped.
 * Messages mapped with the same AddressBook share their Address objects.
 */
export function mapGraphMessage(raw: unknown, folder: Folder, book?: AddressBook): MapResult {
  if (!isObject(raw)) return { skipped: "not an object" };
  const id = text(raw.id);
  if (!id) return { skipped: "missing id" };
  const rawConversationId = text(raw.conversationId);
  if (!rawConversationId) return { skipped: "missing conversationId" };
  const conversationId = book ? book.conversationId(rawConversationId) : rawConversationId;
  const sent = parseGraphInstant(raw.sentDateTime);
  const received = parseGraphInstant(raw.receivedDateTime);
  if (sent === null && received === null)
    return { skipped: "missing or invalid sentDateTime/receivedDateTime" };
  // A date that is there but impossible (2026-02-30) is a broken message, not one with a date missing.
  if (sent === null && raw.sentDateTime != null) return { skipped: "invalid sentDateTime" };
  if (received === null && raw.receivedDateTime != null) return { skipped: "invalid receivedDateTime" };
  // Graph always sends these fields when asked ($select): missing or of another type, the message is broken,
  // and reading it as "no recipients" would misjudge who wrote last.
  if (!isRecipient(raw.from)) return { skipped: "missing or invalid from" };
  if (!isRecipientList(raw.toRecipients)) return { skipped: "missing or invalid toRecipients" };
  if (!isRecipientList(raw.ccRecipients)) return { skipped: "missing or invalid ccRecipients" };
  if (!isRecipientList(raw.bccRecipients)) return { skipped: "missing or invalid bccRecipients" };
  if (raw.subject != null && typeof raw.subject !== "string") return { skipped: "invalid subject" };
  if (raw.bodyPreview != null && typeof raw.bodyPreview !== "string")
    return { skipped: "invalid bodyPreview" };
  const properties = extendedPropertiesOf(raw.singleValueExtendedProperties);
  const messageClass = properties.messageClass;
  const autoSubmitted = headerOf(raw.internetMessageHeaders, "auto-submitted") ?? properties.autoSubmitted;
  const listId =
    headerOf(raw.internetMessageHeaders, "list-id") ??
    headerOf(raw.internetMessageHeaders, "list-unsubscribe") ??
    properties.listId;
  const technique = techniqueOf(
    headerOf(raw.internetMessageHeaders, TECHNIQUE_HEADER) ?? properties.technique,
  );
  const message: MailMessage = {
    id,
    conversationId,
    folder,
    subject: text(raw.subject),
    preview: text(raw.bodyPreview),
    from: mapAddress(raw.from, book),
    to: mapRecipients(raw.toRecipients, book),
    cc: mapRecipients(raw.ccRecipients, book),
    bcc: mapRecipients(raw.bccRecipients, book),
    sentAt: (sent ?? received) as Instant,
    receivedAt: (received ?? sent) as Instant,
    hasAttachments: raw.hasAttachments === true,
  };
  // Added one by one (not spread into a copy), so every message shares V8's few hidden classes.
  const extra = message as {
    messageClass?: string;
    autoSubmitted?: string;
    listId?: string;
    technique?: Technique;
  };
  if (messageClass !== undefined) extra.messageClass = messageClass;
  if (autoSubmitted !== undefined) extra.autoSubmitted = autoSubmitted;
  if (listId !== undefined) extra.listId = listId;
  if (technique !== undefined) extra.technique = technique;
  return { message };
}

/** Maps Graph `/me` to who I am; throws when it names no address at all. */
export function mapGraphUser(raw: unknown): Me {
  if (!isObject(raw)) throw new Error('"me" must be a Graph user object');
  const proxies = Array.isArray(raw.proxyAddresses)
    ? raw.proxyAddresses.filter((p) => typeof p === "string")
    : [];
  const me: Me = {
    displayName: text(raw.displayName),
    ...(typeof raw.givenName === "string" ? { givenName: raw.givenName } : {}),
    ...(typeof raw.mail === "string" ? { mail: raw.mail } : {}),
    ...(typeof raw.userPrincipalName === "string" ? { userPrincipalName: raw.userPrincipalName } : {}),
    proxyAddresses: proxies,
    // for voicemail scripts: how to call me back, and whom for
    ...(Array.isArray(raw.businessPhones)
      ? {
          businessPhones: raw.businessPhones
            .filter((p): p is string => typeof p === "string")
            .map(singleLine),
        }
      : {}),
    ...(typeof raw.mobilePhone === "string" ? { mobilePhone: singleLine(raw.mobilePhone) } : {}),
    ...(typeof raw.companyName === "string" ? { companyName: singleLine(raw.companyName) } : {}),
  };
  if (!normaliseAddress(me.mail) && !normaliseAddress(me.userPrincipalName) && proxies.length === 0) {
    throw new Error(
      '"me" has no mail, userPrincipalName or proxyAddresses, so Rekindle cannot tell which mail is yours',
    );
  }
  return me;
}

/** Counts of skipped messages by reason. */
export type SkipCounts = Record<string, number>;

/**
 * Maps a list of Graph messages, counting the ones skipped and why. Lists mapped with the same book (a mailbox's
 * folders) share their addresses and conversation ids.
 */
export function mapGraphMessages(
  raw: readonly unknown[],
  folder: Folder,
  skipped: SkipCounts,
  book: AddressBook = new AddressBook(),
): MailMessage[] {
  const out: MailMessage[] = [];
  for (const item of raw) {
    const result = mapGraphMessage(item, folder, book);
    if ("message" in result) out.push(result.message);
    else skipped[result.skipped] = (skipped[result.skipped] ?? 0) + 1;
  }
  return out;
}
