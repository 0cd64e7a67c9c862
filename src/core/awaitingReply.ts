import {
  companyFromAddress,
  domainOf,
  isNoReplyAddress,
  normaliseAddress,
  organisationOf,
  PUBLIC_MAIL_DOMAINS,
} from "./addresses";
import { baseSubject, detectAutomatedMail, type AutomatedKind } from "./automatedMail";
import { type Instant, type Mailbox, type MailMessage, type Me, DAY_MS, wholeDaysBetween } from "./message";
import { chooseTechnique, type PlaybookInput } from "./playbook";
import { originalSubject } from "./subjects";
import { scoreConversation } from "./scoring";
import type { Settings } from "./settings";
import type { Technique } from "./technique";
import type { UserState } from "./userState";

/** Where a conversation stands. */
export type ConversationState =
  "excluded" | "closed" | "replied" | "bounced" | "snoozed" | "waiting" | "stale";

/** Someone we are waiting to hear from. */
export interface Prospect {
  readonly address: string;
  readonly name: string;
  readonly company: string;
}

/** The engine's verdict on one conversation that has a message of mine. */
export interface ConversationReport {
  readonly conversationId: string;
  readonly subject: string;
  readonly state: ConversationState;
  /** Why the conversation is in its state, in words. */
  readonly reason: string;
  readonly prospects: readonly Prospect[];
  readonly attempts: number;
  readonly darkDays: number;
  readonly sinceLastAttemptDays: number;
  readonly warm: boolean;
  readonly proposalSent: boolean;
  readonly score: number;
  readonly why: string;
  /** The suggested technique; null where nothing should be sent (excluded, closed, replied, bounced). */
  readonly technique: Technique | null;
  readonly lastAttemptAt: Instant | null;
  readonly lastHeardAt: Instant | null;
  readonly firstAttemptAt: Instant | null;
  /** My latest qualifying e-mail, the one a reply-all draft answers. */
  readonly lastAttemptMessageId: string | null;
  readonly snoozedUntil: Instant | null;
}

/** Inputs besides the mailbox. */
export interface DetectOptions {
  readonly now: Instant;
  readonly settings: Settings;
  readonly userState: UserState;
}

/** Classification of a single message, computed once. */
interface Entry {
  readonly message: MailMessage;
  readonly mine: boolean;
  readonly t: Instant;
  readonly automated: AutomatedKind | null;
}

/** The addresses that are me: /me's mail, UPN and smtp: proxies, plus the user's own additions. */
export function myAddressesOf(me: Me, extra: readonly string[]): Set<string> {
  const out = new Set<string>();
  const add = (raw: unknown) => {
    const a = normaliseAddress(raw);
    if (a) out.add(a);
  };
  add(me.mail);
  add(me.userPrincipalName);
  for (const proxy of me.proxyAddresses ?? []) {
    if (/^smtp:/i.test(proxy)) add(proxy.slice(5));
  }
  extra.forEach(add);
  return out;
}

/** A message is mine when it is in Sent Items or comes from one of my addresses. */
export function isMyMessage(message: MailMessage, myAddresses: ReadonlySet<string>): boolean {
  return message.folder === "sentitems" || (message.from !== null && myAddresses.has(message.from.address));
}

/** Internal domains: those of my addresses (never a public provider's) plus the configured ones. */
export function internalDomainsOf(myAddresses: ReadonlySet<string>, extra: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const a of myAddresses) {
    const d = domainOf(a);
    if (!PUBLIC_MAIL_DOMAINS.has(d)) out.add(d);
  }
  for (const d of extra) if (d.trim()) out.add(d.trim().toLowerCase().replace(/^@/, ""));
  return out;
}

const maxOf = (a: Instant | null, b: Instant | null): Instant | null =>
  a === null ? b : b === null ? a : a >= b ? a : b;

/**
 * Finds every conversation I took part in and decides whether it waits on a prospect: who the prospects are,
 * when we last heard from them, how many attempts went unanswered, its state, score and suggested technique.
 * Stale conversations come first, by score from high to low.
 */
export function detectAwaitingReply(mailbox: Mailbox, options: DetectOptions): ConversationReport[] {
  const { now, settings, userState } = options;
  const me = myAddressesOf(mailbox.me, settings.myAddresses);
  const internal = internalDomainsOf(me, settings.internalDomains);
  const excludedAddresses = new Set(settings.excludedAddresses.map(normaliseAddress).filter(Boolean));
  const excludedDomains = new Set(
    settings.excludedDomains.map((d) => d.trim().toLowerCase().replace(/^@/, "")),
  );
  const windowStart = now - settings.windowDays * DAY_MS;

  const conversations = new Map<string, Entry[]>();
  const conversationsWithMine = new Set<string>();
  const heardFromAddress = new Map<string, Instant>();
  const bounceBySubject = new Map<string, Instant>();

  // Two passes: my messages first open the conversations worth judging, then other mail joins only those.
  // Most inbound mail (newsletters, other threads) never needs a group, which keeps large mailboxes cheap.
  const isMine = (m: MailMessage) => isMyMessage(m, me);
  for (const message of mailbox.messages) {
    if (!isMine(message) || message.sentAt < windowStart) continue;
    const automated = detectAutomatedMail(message);
    const entry: Entry = { message, mine: true, t: message.sentAt, automated };
    let list = conversations.get(message.conversationId);
    if (!list) conversations.set(message.conversationId, (list = []));
    list.push(entry);
    if (automated === null) conversationsWithMine.add(message.conversationId);
  }
  for (const message of mailbox.messages) {
    if (message.receivedAt < windowStart || isMine(message)) continue;
    const t = message.receivedAt;
    const automated = detectAutomatedMail(message);
    conversations.get(message.conversationId)?.push({ message, mine: false, t, automated });
    if (automated === null && message.from) {
      const previous = heardFromAddress.get(message.from.address);
      if (previous === undefined || t > previous) heardFromAddress.set(message.from.address, t);
    } else if (automated === "bounce") {
      const key = baseSubject(message.subject);
      const previous = bounceBySubject.get(key);
      if (previous === undefined || t > previous) bounceBySubject.set(key, t);
    }
  }

  const loggedByConversation = new Map<string, Instant[]>();
  for (const logged of userState.loggedAttempts) {
    if (logged.at < windowStart) continue;
    const list = loggedByConversation.get(logged.conversationId) ?? [];
    list.push(logged.at);
    loggedByConversation.set(logged.conversationId, list);
  }

  const isProspectAddress = (address: string): boolean => {
    if (!address || me.has(address) || excludedAddresses.has(address)) return false;
    const domain = domainOf(address);
    return !internal.has(domain) && !excludedDomains.has(domain) && !isNoReplyAddress(address);
  };

  const reports: ConversationReport[] = [];
  for (const conversationId of conversationsWithMine) {
    const entries = conversations.get(conversationId) ?? [];
    reports.push(
      judgeConversation(conversationId, entries, {
        now,
        settings,
        userState,
        isProspectAddress,
        heardFromAddress,
        bounceBySubject,
        logged: loggedByConversation.get(conversationId) ?? [],
        internal,
        excludedAddresses,
        excludedDomains,
      }),
    );
  }
  return reports.sort(compareReports);
}

interface JudgeContext {
  readonly now: Instant;
  readonly settings: Settings;
  readonly userState: UserState;
  readonly isProspectAddress: (address: string) => boolean;
  readonly heardFromAddress: ReadonlyMap<string, Instant>;
  readonly bounceBySubject: ReadonlyMap<string, Instant>;
  readonly logged: readonly Instant[];
  readonly internal: ReadonlySet<string>;
  readonly excludedAddresses: ReadonlySet<string>;
  readonly excludedDomains: ReadonlySet<string>;
}

function judgeConversation(
  conversationId: string,
  entries: readonly Entry[],
  ctx: JudgeContext,
): ConversationReport {
  const { now, settings } = ctx;
  const prospects = new Map<string, string>();
  const attemptsSent: Entry[] = [];
  let mineHuman = 0;
  let massMail = 0;
  let latestMine: Entry | null = null;
  const seenRecipients: string[] = [];
  // A message I sent to myself too sits in Sent Items and in the Inbox: the copies share a sent time.
  const mySendTimes = new Set<number>();

  for (const entry of entries) {
    if (!entry.mine || entry.automated !== null || mySendTimes.has(entry.message.sentAt)) continue;
    mySendTimes.add(entry.message.sentAt);
    mineHuman++;
    const m = entry.message;
    if (!latestMine || entry.t >= latestMine.t) latestMine = entry;
    if (m.to.length + m.cc.length + m.bcc.length > settings.maxRecipients) {
      massMail++;
      continue;
    }
    let addressesProspect = false;
    for (const r of [...m.to, ...m.cc]) {
      seenRecipients.push(r.address);
      if (!ctx.isProspectAddress(r.address)) continue;
      addressesProspect = true;
      const known = prospects.get(r.address);
      if (known === undefined || (!known && r.name)) prospects.set(r.address, r.name);
    }
    if (addressesProspect) attemptsSent.push(entry);
  }

  const subject = originalSubject(latestMine?.message.subject ?? "");
  const prospectList: Prospect[] = [];
  for (const [address, name] of prospects) {
    prospectList.push({ address, name, company: companyFromAddress(address) });
  }

  if (prospects.size === 0) {
    const reason = exclusionReason(mineHuman, massMail, seenRecipients, ctx);
    return buildReport(conversationId, subject, prospectList, NO_FIGURES, {
      state: "excluded",
      reason,
      technique: null,
      snoozedUntil: null,
    });
  }

  // Hearing from anyone at a prospect's organisation in this thread, or from a prospect anywhere, is an answer.
  const organisations = new Set([...prospects.keys()].map(organisationOf));
  let lastHeard: Instant | null = null;
  for (const entry of entries) {
    const from = entry.message.from;
    if (entry.mine || entry.automated !== null || !from) continue;
    if (organisations.has(organisationOf(from.address)) && ctx.isProspectAddress(from.address)) {
      lastHeard = maxOf(lastHeard, entry.t);
    }
  }
  for (const address of prospects.keys())
    lastHeard = maxOf(lastHeard, ctx.heardFromAddress.get(address) ?? null);

  const after = (t: Instant) => lastHeard === null || t > lastHeard;
  const unansweredSent = attemptsSent.filter((e) => after(e.t));
  const unansweredLogged = ctx.logged.filter(after);
  const attempts = unansweredSent.length + unansweredLogged.length;

  let firstAttemptAt: Instant | null = null;
  let lastAttemptAt: Instant | null = null;
  let lastSent: Entry | null = null;
  let proposalSent = false;
  for (const e of attemptsSent) {
    if (firstAttemptAt === null || e.t < firstAttemptAt) firstAttemptAt = e.t;
    if (e.message.hasAttachments) proposalSent = true;
  }
  for (const e of unansweredSent) {
    if (!lastSent || e.t >= lastSent.t) lastSent = e;
    lastAttemptAt = maxOf(lastAttemptAt, e.t);
  }
  for (const t of unansweredLogged) lastAttemptAt = maxOf(lastAttemptAt, t);

  const warm = lastHeard !== null;
  const since = (t: Instant | null) => (t === null ? 0 : wholeDaysBetween(t, now));
  const darkDays = since(lastHeard ?? firstAttemptAt);
  const sinceLastAttemptDays = since(lastAttemptAt);
  const figures = { darkDays, attempts, warm, proposalSent };
  const { score, why } = scoreConversation(figures);
  const lastAttemptMessageId = (lastSent ?? latestAttempt(attemptsSent))?.message.id ?? null;
  const measured: Figures = {
    attempts,
    darkDays,
    sinceLastAttemptDays,
    warm,
    proposalSent,
    score,
    why,
    lastAttemptAt,
    lastHeardAt: lastHeard,
    firstAttemptAt,
    lastAttemptMessageId,
  };
  const verdict = decideState(conversationId, entries, ctx, figures, {
    attempts,
    sinceLastAttemptDays,
    lastAttemptAt,
    lastSent,
    why,
  });
  return buildReport(conversationId, subject, prospectList, measured, verdict);
}

/** The measured part of a report. */
type Figures = Omit<ConversationReport, "conversationId" | "subject" | "prospects" | keyof Verdict>;
/** The judged part of a report. */
type Verdict = Pick<ConversationReport, "state" | "reason" | "technique" | "snoozedUntil">;

const NO_FIGURES: Figures = Object.freeze({
  attempts: 0,
  darkDays: 0,
  sinceLastAttemptDays: 0,
  warm: false,
  proposalSent: false,
  score: 0,
  why: "",
  lastAttemptAt: null,
  lastHeardAt: null,
  firstAttemptAt: null,
  lastAttemptMessageId: null,
});

// One literal with every field in a fixed order: all reports share a shape, which keeps the hot loop fast.
function buildReport(
  conversationId: string,
  subject: string,
  prospects: readonly Prospect[],
  f: Figures,
  v: Verdict,
): ConversationReport {
  return {
    conversationId,
    subject,
    state: v.state,
    reason: v.reason,
    prospects,
    attempts: f.attempts,
    darkDays: f.darkDays,
    sinceLastAttemptDays: f.sinceLastAttemptDays,
    warm: f.warm,
    proposalSent: f.proposalSent,
    score: f.score,
    why: v.state === "excluded" ? v.reason : f.why,
    technique: v.technique,
    lastAttemptAt: f.lastAttemptAt,
    lastHeardAt: f.lastHeardAt,
    firstAttemptAt: f.firstAttemptAt,
    lastAttemptMessageId: f.lastAttemptMessageId,
    snoozedUntil: v.snoozedUntil,
  };
}

/** State, in the order the rules check it: closed by the user, replied, bounced, snoozed, waiting, stale. */
function decideState(
  conversationId: string,
  entries: readonly Entry[],
  ctx: JudgeContext,
  figures: PlaybookInput,
  a: {
    attempts: number;
    sinceLastAttemptDays: number;
    lastAttemptAt: Instant | null;
    lastSent: Entry | null;
    why: string;
  },
): Verdict {
  const { now, settings, userState } = ctx;
  if (userState.closed[conversationId] !== undefined) {
    return { state: "closed", reason: "you closed the file", technique: null, snoozedUntil: null };
  }
  if (a.attempts === 0) {
    return {
      state: "replied",
      reason: "they answered your last message",
      technique: null,
      snoozedUntil: null,
    };
  }
  if (a.lastAttemptAt !== null && bouncedAfter(entries, a.lastSent, a.lastAttemptAt, ctx.bounceBySubject)) {
    return { state: "bounced", reason: "your last message bounced", technique: null, snoozedUntil: null };
  }
  const technique = chooseTechnique(figures, settings);
  const snoozedUntil = userState.snoozes[conversationId];
  if (snoozedUntil !== undefined && snoozedUntil > now) {
    return { state: "snoozed", reason: "snoozed", technique, snoozedUntil };
  }
  if (a.sinceLastAttemptDays < settings.followUpAfterDays) {
    const left = settings.followUpAfterDays - a.sinceLastAttemptDays;
    return {
      state: "waiting",
      reason: `follow up in ${left} ${left === 1 ? "day" : "days"}`,
      technique,
      snoozedUntil: null,
    };
  }
  return { state: "stale", reason: a.why, technique, snoozedUntil: null };
}

function latestAttempt(entries: readonly Entry[]): Entry | null {
  let latest: Entry | null = null;
  for (const e of entries) if (!latest || e.t >= latest.t) latest = e;
  return latest;
}

function bouncedAfter(
  entries: readonly Entry[],
  lastSent: Entry | null,
  lastAttemptAt: Instant,
  bounceBySubject: ReadonlyMap<string, Instant>,
): boolean {
  if (entries.some((e) => e.automated === "bounce" && !e.mine && e.t > lastAttemptAt)) return true;
  if (!lastSent) return false;
  const elsewhere = bounceBySubject.get(baseSubject(lastSent.message.subject));
  return elsewhere !== undefined && elsewhere > lastAttemptAt;
}

function exclusionReason(
  mineHuman: number,
  massMail: number,
  recipients: readonly string[],
  ctx: JudgeContext,
): string {
  if (mineHuman > 0 && massMail === mineHuman) return "mass mail only";
  if (recipients.length === 0) return "no recipients";
  const kinds = new Set(
    recipients.map((a) => {
      const domain = domainOf(a);
      if (ctx.excludedAddresses.has(a) || ctx.excludedDomains.has(domain)) return "marked not a prospect";
      if (ctx.internal.has(domain)) return "internal only";
      if (isNoReplyAddress(a)) return "no-reply recipients only";
      return "only myself";
    }),
  );
  return kinds.size === 1 ? [...kinds][0]! : "no external recipients";
}

const STATE_ORDER: Readonly<Record<ConversationState, number>> = {
  stale: 0,
  waiting: 1,
  snoozed: 2,
  bounced: 3,
  replied: 4,
  closed: 5,
  excluded: 6,
};

/** Stale first by score from high to low; ties by longer silence, then by id so the order is deterministic. */
export function compareReports(a: ConversationReport, b: ConversationReport): number {
  return (
    STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
    b.score - a.score ||
    b.darkDays - a.darkDays ||
    (a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0)
  );
}
