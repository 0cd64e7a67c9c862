import {
  companyFromAddress,
  domainOf,
  isNoReplyAddress,
  normaliseAddress,
  PUBLIC_MAIL_DOMAINS,
} from "./addresses";
import { createAnswerReader, type AnswerIntent, type IntentInput, type IntentKind } from "./answerIntent";
import { baseSubject, bouncedAddresses, detectAutomatedMail, type AutomatedKind } from "./automatedMail";
import { type Calendar, createCalendar } from "./calendar";
import { type Address, DAY_MS, type Instant, type Mailbox, type MailMessage, type Me } from "./message";
import { shortNameOf } from "./names";
import { createOrganisationResolver, isListAddress } from "./organisation";
import { chooseTechnique, type PlaybookInput } from "./playbook";
import { originalSubject } from "./subjects";
import { explainScore, type ScoreOptions, scoreOf } from "./scoring";
import type { Settings } from "./settings";
import type { Technique } from "./technique";
import type { UserState } from "./userState";
import { counted } from "./wording";

/** Where a conversation stands. */
export type ConversationState =
  | "excluded"
  | "closed"
  | "replied"
  | "declined"
  | "left"
  | "bounced"
  | "deferred"
  | "snoozed"
  | "waiting"
  | "stale";

/** A person: a normalised address and the display name as sent. */
export interface Person {
  readonly address: string;
  readonly name: string;
}

/** Someone we are waiting to hear from. */
export interface Prospect extends Person {
  readonly company: string;
}

/** The last human answer from the prospect's side, and where it was written. */
export interface HeardFrom {
  readonly at: Instant;
  readonly from: Person;
  /** The writer's company name ("Acme"); "" at a public mail provider. */
  readonly company: string;
  readonly conversationId: string;
  readonly messageId: string;
  readonly subject: string;
  /** True when it was written in another conversation than this one. */
  readonly elsewhere: boolean;
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
  /** The suggested technique; null where nothing should be sent (excluded, closed, replied, declined, left, bounced). */
  readonly technique: Technique | null;
  readonly lastAttemptAt: Instant | null;
  readonly lastHeardAt: Instant | null;
  readonly firstAttemptAt: Instant | null;
  /** My latest qualifying e-mail, the one a reply-all draft answers. */
  readonly lastAttemptMessageId: string | null;
  readonly snoozedUntil: Instant | null;
  /** The external person who introduced me to the prospect, if any. */
  readonly referrer: Person | null;
  /** The prospect side's last human answer, with where it was written. */
  readonly lastHeard: HeardFrom | null;
  /** deferred: when to judge the conversation again (their "later" date, or the day after they are back). */
  readonly deferredUntil: Instant | null;
  /** left: who took over, when the message named them. */
  readonly successor: Person | null;
  /** The phrase in their message that decided a declined, deferred or left verdict. */
  readonly evidence: string | null;
  /** Calls and voicemails the user logged in this conversation (all of them, answered or not). */
  readonly loggedCalls: number;
}

/** Someone who wrote to me, as prepareJudgement reads the inbound mail. */
interface Sender {
  /** Their organisation; null at a public mail provider; false for a no-reply address (never an answer). */
  readonly organisation: string | null | false;
  /** Their latest human message to me, in any conversation. */
  latest: Entry | null;
}

/** Inputs besides the mailbox. */
export interface DetectOptions {
  readonly now: Instant;
  readonly settings: Settings;
  readonly userState: UserState;
  /** The user's IANA time zone: days are calendar days there. Default UTC. */
  readonly timeZone?: string;
  /** The user's locale for dates in reasons. Default en-GB. */
  readonly locale?: string;
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

// A forward of mine passes the thread to someone else (a partner, a colleague): not an attempt on the prospect.
const FORWARD_PREFIX = /^\s*(fw|fwd|wg|tr|rv|doorst|vb|vs|enc|i)\s*:/i;
// Words of an introduction on my first message: the person I copy on it is the one who introduced us.
const INTRODUCTION =
  /\b(intro\b|introduc\w*|suggested (that )?(i|we)|recommended (that )?(i|we)|referred|put (me|us) in touch|connect(ing|ed)? (us|you)|vorgestellt|empfohlen|présenté|recommandé|presentó|recomendó)/i;

const maxOf = (a: Instant | null, b: Instant | null): Instant | null =>
  a === null ? b : b === null ? a : a >= b ? a : b;
const later = (a: Entry | null, b: Entry | null): Entry | null => (!a ? b : !b ? a : b.t > a.t ? b : a);

/**
 * Finds every conversation I took part in and decides whether it waits on a prospect: who the prospects are,
 * who introduced us, when and where we last heard from them, what that answer said, how many attempts went
 * unanswered, its state, score and suggested technique. Stale conversations come first, by score.
 */
export function detectAwaitingReply(mailbox: Mailbox, options: DetectOptions): ConversationReport[] {
  return prepareJudgement(mailbox, options).judgeAll(options.userState);
}

/**
 * The engine with the mailbox read once: the conversations worth judging, who was heard from when, bounces and
 * lists. Judging then takes the user state, which only ever concerns one conversation per entry (a snooze, a closed
 * file, a logged call, a "later" date, a referrer), so after a change of user state only the conversations it
 * touches need judging again. A change of mail, settings or "now" needs a new judgement.
 */
export interface Judgement {
  /** Every conversation worth judging, in the order judgeAll reports them before sorting. */
  readonly conversationIds: readonly string[];
  /** All reports, stale first by score (what detectAwaitingReply returns). */
  judgeAll(userState: UserState): ConversationReport[];
  /** One conversation's report under this user state; null when it is not one worth judging. */
  judge(conversationId: string, userState: UserState): ConversationReport | null;
}

/** One of my attempts in a conversation, as the results read it. */
export interface HistoryAttempt {
  readonly messageId: string;
  readonly at: Instant;
  /** The technique its x-rekindle-technique header names, when it has one. */
  readonly technique?: Technique;
}

/** A human answer from the prospect's side (never an automatic reply, an acknowledgement or an out-of-office). */
export interface HistoryAnswer {
  readonly messageId: string;
  readonly at: Instant;
  /** What it said: "answer" (positive or neutral), "declined", "deferred" (later) or "left". */
  readonly intent: Exclude<IntentKind, "acknowledgement" | "delay" | "out-of-office">;
}

/** One judged conversation's story for the results: my attempts and their answers, oldest first, and where it stands. */
export interface ConversationHistory {
  readonly conversationId: string;
  readonly state: ConversationState;
  readonly attempts: readonly HistoryAttempt[];
  readonly answers: readonly HistoryAnswer[];
}

/**
 * The engine's reports together with every conversation's history under the same rules: which of my messages
 * were attempts on the prospect, and which messages were their human answers. Reads every answer's intent, so it
 * costs more than detectAwaitingReply; the results call it, the list does not.
 */
export function conversationHistories(
  mailbox: Mailbox,
  options: DetectOptions,
): { reports: ConversationReport[]; histories: ConversationHistory[] } {
  const histories: ConversationHistory[] = [];
  const reports = prepareJudgement(mailbox, options, (h) => histories.push(h)).judgeAll(options.userState);
  histories.sort((a, b) =>
    a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0,
  );
  return { reports, histories };
}

/**
 * Reads the mailbox for judging (see Judgement). `collect`, given by conversationHistories, receives each judged
 * conversation's history.
 */
export function prepareJudgement(
  mailbox: Mailbox,
  options: Omit<DetectOptions, "userState">,
  collect: ((history: ConversationHistory) => void) | null = null,
): Judgement {
  const { now, settings } = options;
  const timeZone = options.timeZone ?? "UTC";
  const calendar = createCalendar(timeZone, settings);
  const me = myAddressesOf(mailbox.me, settings.myAddresses);
  const orgs = createOrganisationResolver(settings.companyDomains);
  const internalOrgs = new Set(
    [...internalDomainsOf(me, settings.internalDomains)].map((d) => orgs.organisationOf(`x@${d}`)),
  );
  const excludedAddresses = new Set(settings.excludedAddresses.map(normaliseAddress).filter(Boolean));
  const excludedDomains = new Set(
    settings.excludedDomains.map((d) => d.trim().toLowerCase().replace(/^@/, "")),
  );
  const windowStart = now - settings.windowDays * DAY_MS;

  const conversations = new Map<string, Entry[]>();
  const conversationsWithMine = new Set<string>();
  // conversationsWithMine in first-seen order, with their entries: judged without an iterator or a lookup
  const judged: string[] = [];
  const judgedEntries: Entry[][] = [];
  // Per sender address: worked out once, with the latest human message they wrote me (one lookup per message).
  const senders = new Map<string, Sender>();
  const heardByOrganisation = new Map<string, Entry>();
  const bouncesBySubject = new Map<string, { t: Instant; addresses: string[] }[]>();
  const listAddresses = new Set<string>();

  // Two passes: my messages first open the conversations worth judging, then other mail joins only those.
  // Most inbound mail (newsletters, other threads) never needs a group, which keeps large mailboxes cheap.
  const inbound: MailMessage[] = [];
  for (let i = 0; i < mailbox.messages.length; i++) {
    const message = mailbox.messages[i]!;
    if (!isMyMessage(message, me)) {
      if (message.receivedAt >= windowStart) inbound.push(message);
      continue;
    }
    if (message.sentAt < windowStart) continue;
    const automated = detectAutomatedMail(message);
    let list = conversations.get(message.conversationId);
    if (!list) conversations.set(message.conversationId, (list = []));
    list.push({ message, mine: true, t: message.sentAt, automated });
    if (automated === null && !conversationsWithMine.has(message.conversationId)) {
      conversationsWithMine.add(message.conversationId);
      judged.push(message.conversationId);
      judgedEntries.push(list);
    }
  }
  const toMe = (m: MailMessage) => addresses(m, me);
  for (let i = 0; i < inbound.length; i++) {
    const message = inbound[i]!;
    const t = message.receivedAt;
    const automated = detectAutomatedMail(message);
    // Most inbound mail joins no conversation and answers no prospect: its entry is made only when needed.
    let entry: Entry | null = null;
    const thread = conversations.get(message.conversationId);
    if (thread) thread.push((entry = { message, mine: false, t, automated }));
    if (message.listId !== undefined) {
      // Mail through a list names the list among its recipients; those addresses are never prospects.
      for (let i = 0; i < message.to.length; i++) {
        const r = message.to[i]!;
        if (!me.has(r.address)) listAddresses.add(r.address);
      }
      for (let i = 0; i < message.cc.length; i++) {
        const r = message.cc[i]!;
        if (!me.has(r.address)) listAddresses.add(r.address);
      }
      continue;
    }
    const from = message.from?.address;
    if (automated === null && from) {
      let sender = senders.get(from);
      if (sender === undefined) {
        const organisation = isNoReplyAddress(from)
          ? false
          : orgs.isPublicProvider(from)
            ? null
            : orgs.organisationOf(from);
        senders.set(from, (sender = { organisation, latest: null }));
      }
      const organisation = sender.organisation;
      if (organisation !== false && toMe(message)) {
        entry ??= { message, mine: false, t, automated };
        if (!sender.latest || t > sender.latest.t) sender.latest = entry;
        if (organisation !== null) {
          const byOrg = heardByOrganisation.get(organisation);
          if (!byOrg || t > byOrg.t) heardByOrganisation.set(organisation, entry);
        }
      }
    } else if (automated === "bounce") {
      const addresses = bouncedAddresses(message);
      if (addresses.length === 0) continue; // a bounce that names nobody belongs to its own conversation only
      const key = baseSubject(message.subject);
      let list = bouncesBySubject.get(key);
      if (!list) bouncesBySubject.set(key, (list = []));
      list.push({ t, addresses });
    }
  }

  const companies = new Map<string, string>();
  const companyOf = (address: string): string => {
    const domain = domainOf(address);
    let name = companies.get(domain);
    if (name === undefined) companies.set(domain, (name = companyFromAddress(address)));
    return name;
  };
  // Judging asks about every recipient of my messages and every sender in the thread, several times over: the
  // answers are worked out once per address, and one lookup then gives them all (asking the resolver each time
  // would cut the domain out of the address and look it up again).
  const facts = new Map<string, AddressFacts>();
  // The same address is mostly asked about twice in a row (a message's one recipient: counted, then given a role).
  let lastAddress = "";
  let lastFacts: AddressFacts | undefined;
  const factsOf = (address: string): AddressFacts => {
    if (address === lastAddress && lastFacts !== undefined) return lastFacts;
    let known = facts.get(address);
    if (known === undefined) {
      const organisation = orgs.organisationOf(address);
      const internal = internalOrgs.has(organisation);
      const prospect =
        !!address &&
        !me.has(address) &&
        !excludedAddresses.has(address) &&
        !internal &&
        !excludedDomains.has(domainOf(address)) &&
        !isNoReplyAddress(address) &&
        !isListAddress(address) &&
        !listAddresses.has(address);
      known = {
        organisation,
        publicProvider: orgs.isPublicProvider(address),
        internal,
        prospect,
        company: companyOf(address),
      };
      facts.set(address, known);
    }
    lastAddress = address;
    lastFacts = known;
    return known;
  };
  const isInternal = (address: string) => factsOf(address).internal;
  const isProspectAddress = (address: string) => factsOf(address).prospect;

  const locale = options.locale ?? "en-GB";
  const dayFormat = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone });
  const formattedDays = new Map<number, string>();
  const formatDay = (at: Instant): string => {
    const day = calendar.dayNumber(at);
    let text = formattedDays.get(day);
    if (text === undefined) formattedDays.set(day, (text = dayFormat.format(new Date(at))));
    return text;
  };

  const base: Omit<JudgeContext, "userState" | "marks"> = {
    collect,
    factsOf,
    now,
    settings,
    scoreOptions: { silenceCapDays: settings.pendingFileDays },
    timeZone,
    calendar,
    me,
    isInternal,
    isProspectAddress,
    senders,
    heardByOrganisation,
    bouncesBySubject,
    formatDay,
    excludedAddresses,
    excludedDomains,
    // One reader for every judging of this mailbox: the same words are classified once.
    readAnswer: createAnswerReader(),
  };
  const contextFor = (userState: UserState): JudgeContext => ({
    ...base,
    userState,
    marks: {
      closed: byConversation(userState.closed),
      snooze: byConversation(userState.snoozes),
      deferral: byConversation(userState.deferrals),
      referrer: byConversation(userState.referrers),
    },
  });
  return {
    conversationIds: judged,
    judgeAll(userState) {
      const loggedByConversation = new Map<string, Instant[]>();
      const callsByConversation = new Map<string, number>();
      for (const logged of userState.loggedAttempts) {
        callsByConversation.set(
          logged.conversationId,
          (callsByConversation.get(logged.conversationId) ?? 0) + 1,
        );
        if (logged.at < windowStart) continue;
        const list = loggedByConversation.get(logged.conversationId) ?? [];
        list.push(logged.at);
        loggedByConversation.set(logged.conversationId, list);
      }
      const ctx = contextFor(userState);
      const reports: ConversationReport[] = [];
      for (let i = 0; i < judged.length; i++) {
        const conversationId = judged[i]!;
        const logged =
          loggedByConversation.size === 0 ? NO_TIMES : (loggedByConversation.get(conversationId) ?? NO_TIMES);
        const calls = callsByConversation.size === 0 ? 0 : (callsByConversation.get(conversationId) ?? 0);
        reports.push(judgeConversation(conversationId, judgedEntries[i]!, logged, calls, ctx));
      }
      return sortReports(reports);
    },
    judge(conversationId, userState) {
      if (!conversationsWithMine.has(conversationId)) return null;
      const mine = userState.loggedAttempts.filter((a) => a.conversationId === conversationId);
      return judgeConversation(
        conversationId,
        conversations.get(conversationId) ?? [],
        mine.filter((a) => a.at >= windowStart).map((a) => a.at),
        mine.length,
        contextFor(userState),
      );
    },
  };
}

const NO_TIMES: readonly Instant[] = Object.freeze([]);
const NONE: readonly never[] = Object.freeze([]);

/** The shared empty list; `grow` replaces it with a list of its own on the first item. */
const none = <T>(): T[] => NONE as unknown as T[];

/** Appends to a list made with `none`: a new one-element array the first time, which is all most lists hold. */
function grow<T>(list: T[], item: T): T[] {
  if (list === (NONE as unknown)) return [item];
  list.push(item);
  return list;
}

// The two filters below give the list itself when every entry passes: mostly none is dropped (all my attempts
// reach a prospect, none was answered), and the lists are not changed afterwards. Written as loops: a filter with
// a callback made two closures per conversation.

/** The entries written to one of these people. */
function writtenTo(list: readonly Entry[], people: Membership): readonly Entry[] {
  let i = 0;
  while (i < list.length && addresses(list[i]!.message, people)) i++;
  if (i === list.length) return list;
  const out = list.slice(0, i);
  for (i++; i < list.length; i++) if (addresses(list[i]!.message, people)) out.push(list[i]!);
  return out;
}

/** The entries after `t`. */
function since(list: readonly Entry[], t: number): readonly Entry[] {
  let i = 0;
  while (i < list.length && list[i]!.t > t) i++;
  if (i === list.length) return list;
  const out = list.slice(0, i);
  for (i++; i < list.length; i++) if (list[i]!.t > t) out.push(list[i]!);
  return out;
}

interface UserMarks {
  readonly closed: (conversationId: string) => Instant | undefined;
  readonly snooze: (conversationId: string) => Instant | undefined;
  readonly deferral: (conversationId: string) => Instant | null | undefined;
  readonly referrer: (conversationId: string) => string | undefined;
}

/** Reads a user-state record by conversation id through a Map: most are empty, and a Map lookup is cheaper. */
function byConversation<T>(record: Readonly<Record<string, T>> | undefined): (id: string) => T | undefined {
  const entries = record ? Object.entries(record) : [];
  if (entries.length === 0) return () => undefined;
  const map = new Map(entries);
  return (id) => map.get(id);
}

interface JudgeContext {
  /** Given by conversationHistories: receives each judged conversation's history. */
  readonly collect: ((history: ConversationHistory) => void) | null;
  readonly now: Instant;
  readonly settings: Settings;
  /** How the score treats silence, from the settings. */
  readonly scoreOptions: ScoreOptions;
  readonly userState: UserState;
  readonly timeZone: string;
  readonly calendar: Calendar;
  readonly me: ReadonlySet<string>;
  /** What judging asks about an address, worked out once per address. */
  readonly factsOf: (address: string) => AddressFacts;
  readonly isInternal: (address: string) => boolean;
  readonly isProspectAddress: (address: string) => boolean;
  readonly senders: ReadonlyMap<string, Sender>;
  readonly heardByOrganisation: ReadonlyMap<string, Entry>;
  readonly bouncesBySubject: ReadonlyMap<string, readonly { t: Instant; addresses: string[] }[]>;
  readonly formatDay: (at: Instant) => string;
  readonly excludedAddresses: ReadonlySet<string>;
  readonly excludedDomains: ReadonlySet<string>;
  /** The user's marks on a conversation, by its id. */
  readonly marks: UserMarks;
  /** classifyAnswer, remembering verdicts for this run. */
  readonly readAnswer: (input: IntentInput) => AnswerIntent;
}

/** What judging asks about one address. */
interface AddressFacts {
  /** Its organisation (OrganisationResolver.organisationOf). */
  readonly organisation: string;
  /** At a public mail provider, where only the exact address counts. */
  readonly publicProvider: boolean;
  /** Of one of my own organisations. */
  readonly internal: boolean;
  /** Someone who can be a prospect: not me, not a colleague, not excluded, no-reply or a list. */
  readonly prospect: boolean;
  /** A readable company name ("Acme Robotics"); "" at a public provider. */
  readonly company: string;
}

/** An answer from the prospect's side, with what it said. */
interface Answer {
  readonly entry: Entry;
  readonly intent: AnswerIntent;
}

/** Someone named in passing in a reason: "Amara" for "Kim, Amara" or "Dr. Amara Kim (Acme)". */
const shortName = (a: Address | null | undefined): string => shortNameOf(a?.name ?? "", a?.address ?? "");

function judgeConversation(
  conversationId: string,
  entries: Entry[],
  logged: readonly Instant[],
  loggedCalls: number,
  ctx: JudgeContext,
): ConversationReport {
  const { now, settings, calendar } = ctx;
  sortByTime(entries); // the run's own list, sorted in place

  // My human messages, each sent once (a message to myself sits in Sent Items and in the Inbox). Mine are
  // sorted by their sending time, so a second copy comes right after the first one counted: comparing with the
  // last counted time finds it.
  let lastCountedSentAt = NaN;
  let attemptCandidates: Entry[] = none();
  let mineHuman = 0;
  let forwards = 0;
  let massMail = 0;
  let latestMine: Entry | null = null;
  let bccExternal = false;
  const prospectSet = new SmallSet();
  let ccCandidates: Address[] = none();
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (!entry.mine || entry.automated !== null || entry.message.sentAt === lastCountedSentAt) continue;
    lastCountedSentAt = entry.message.sentAt;
    mineHuman++;
    latestMine = later(latestMine, entry);
    const m = entry.message;
    if (FORWARD_PREFIX.test(m.subject)) {
      forwards++;
      continue;
    }
    let externalTo = 0;
    let externalCc = 0;
    let externalBcc = 0;
    for (let i = 0; i < m.to.length; i++) {
      const r = m.to[i]!;
      if (ctx.isProspectAddress(r.address)) externalTo++;
    }
    for (let i = 0; i < m.cc.length; i++) {
      const r = m.cc[i]!;
      if (ctx.isProspectAddress(r.address)) externalCc++;
    }
    for (let i = 0; i < m.bcc.length; i++) {
      const r = m.bcc[i]!;
      if (ctx.isProspectAddress(r.address)) externalBcc++;
    }
    if (externalTo + externalCc + externalBcc > settings.maxRecipients) {
      massMail++;
      continue;
    }
    if (externalBcc > 0) bccExternal = true;
    attemptCandidates = grow(attemptCandidates, entry);
    // Roles. The external people I write to in To are prospects; those I copy are prospects when they share a
    // prospect's organisation (an assistant, a colleague), otherwise copied third parties. A message with no
    // external To makes its external Cc the prospects.
    for (let i = 0; i < m.to.length; i++) {
      const r = m.to[i]!;
      if (!ctx.isProspectAddress(r.address)) continue;
      prospectSet.add(r.address);
    }
    for (let i = 0; i < m.cc.length; i++) {
      const r = m.cc[i]!;
      if (!ctx.isProspectAddress(r.address)) continue;
      if (externalTo === 0) prospectSet.add(r.address);
      else ccCandidates = grow(ccCandidates, r);
    }
  }
  const copied = new SmallSet();
  let prospectOrgs = organisationsOf(prospectSet, ctx);
  for (let i = 0; i < ccCandidates.length; i++) {
    const r = ccCandidates[i]!;
    if (prospectSet.has(r.address)) continue;
    if (prospectOrgs.has(ctx.factsOf(r.address).organisation)) prospectSet.add(r.address);
    else copied.add(r.address);
  }

  const referrer = findReferrer(conversationId, entries, attemptCandidates, prospectSet, copied, ctx);
  if (referrer) {
    prospectSet.delete(referrer.address);
    copied.add(referrer.address);
    prospectOrgs = organisationsOf(prospectSet, ctx);
  }
  const attemptsSent = writtenTo(attemptCandidates, prospectSet);

  const subject = originalSubject(latestMine?.message.subject ?? "");
  // map: a list of exactly the prospects' length, kept in the report
  const prospectList: Prospect[] = prospectSet.items.map((address) => ({
    address,
    name: nameOf(address, attemptCandidates),
    company: ctx.factsOf(address).company,
  }));

  if (prospectSet.size === 0) {
    // everyone I wrote to in To and Cc, on the messages that could have been attempts
    const seenRecipients: string[] = [];
    for (const e of attemptCandidates) {
      for (const r of e.message.to) seenRecipients.push(r.address);
      for (const r of e.message.cc) seenRecipients.push(r.address);
    }
    const reason = exclusionReason(mineHuman, massMail, forwards, bccExternal, seenRecipients, referrer, ctx);
    return buildReport(conversationId, subject, prospectList, NO_FIGURES, {
      state: "excluded",
      reason,
      technique: null,
      snoozedUntil: null,
      referrer,
      deferredUntil: null,
      successor: null,
      evidence: null,
      loggedCalls,
    });
  }

  const side: ProspectSide = { prospects: prospectSet, organisations: prospectOrgs, factsOf: ctx.factsOf };

  // The thread: answers from anyone outside (a personal address, a sister domain) except copied third parties,
  // lists and no-reply senders; colleagues' messages to the prospect; automatic replies from the prospect's side.
  // Reading what an answer says costs more than everything else here, so only the messages that can decide the
  // verdict are read: the latest answers (back to the first real one) and the automatic replies after it.
  // Most threads have none or one of each: an array is made only when something goes in it.
  let answerCandidates: Entry[] = none();
  let autoCandidates: Entry[] = none();
  let colleagueMessages: Entry[] = none();
  let bounces: Entry[] = none();
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.mine) continue;
    const m = entry.message;
    const from = m.from?.address ?? "";
    if (entry.automated === "bounce") {
      bounces = grow(bounces, entry);
      continue;
    }
    if (m.listId !== undefined || !from) continue;
    if (entry.automated !== null) {
      if (entry.automated === "auto-reply" && isProspectSide(side, from))
        autoCandidates = grow(autoCandidates, entry);
      continue;
    }
    if (ctx.me.has(from)) continue;
    if (ctx.isInternal(from)) {
      if (writesToProspectSide(m, side)) {
        colleagueMessages = grow(colleagueMessages, entry);
      }
      continue;
    }
    if (copied.has(from) || !ctx.isProspectAddress(from)) continue;
    answerCandidates = grow(answerCandidates, entry);
  }
  let lastAnswer: Answer | null = null;
  let automaticReplies: Answer[] = none();
  for (let i = answerCandidates.length - 1; i >= 0 && lastAnswer === null; i--) {
    const entry = answerCandidates[i]!;
    const intent = intentOf(entry, false, ctx);
    if (intent.kind === "acknowledgement" || intent.kind === "delay") continue;
    // a short human note that only says they are away is read like an automatic reply
    if (intent.kind === "out-of-office") automaticReplies = grow(automaticReplies, { entry, intent });
    else lastAnswer = { entry, intent };
  }
  const answeredAt = lastAnswer?.entry.t ?? -1;
  for (let i = 0; i < autoCandidates.length; i++) {
    const entry = autoCandidates[i]!;
    if (entry.t > answeredAt)
      automaticReplies = grow(automaticReplies, { entry, intent: intentOf(entry, true, ctx) });
  }
  if (automaticReplies.length > 1) automaticReplies.sort((x, y) => x.entry.t - y.entry.t);

  // Elsewhere: a human message to me from a prospect's address, or from anyone at a prospect's organisation.
  let elsewhere: Entry | null = null;
  for (let i = 0; i < prospectSet.items.length; i++) {
    const address = prospectSet.items[i]!;
    elsewhere = later(elsewhere, ctx.senders.get(address)?.latest ?? null);
  }
  for (let i = 0; i < prospectOrgs.items.length; i++) {
    const org = prospectOrgs.items[i]!;
    elsewhere = later(elsewhere, ctx.heardByOrganisation.get(org) ?? null);
  }
  if (
    elsewhere &&
    elsewhere.message.conversationId !== conversationId &&
    elsewhere.t > (lastAnswer?.entry.t ?? -1)
  ) {
    const intent = intentOf(elsewhere, false, ctx);
    if (intent.kind !== "acknowledgement" && intent.kind !== "delay" && intent.kind !== "out-of-office") {
      lastAnswer = { entry: elsewhere, intent };
    }
  }

  const lastHeardAt = lastAnswer?.entry.t ?? null;
  // attempts since their last answer (all of them when they never answered)
  const heard = lastHeardAt ?? -Infinity;
  const unansweredSent = since(attemptsSent, heard);
  const unansweredColleague = since(colleagueMessages, heard);
  let unansweredLogged = 0;
  let lastLogged: Instant | null = null;
  /** The latest call or voicemail logged, answered or not: a follow-up too, and often the latest one. */
  let lastLoggedAny: Instant | null = null;
  for (let i = 0; i < logged.length; i++) {
    const t = logged[i]!;
    lastLoggedAny = maxOf(lastLoggedAny, t);
    if (t <= heard) continue;
    unansweredLogged++;
    lastLogged = maxOf(lastLogged, t);
  }
  const attempts = unansweredSent.length + unansweredColleague.length + unansweredLogged;

  let firstAttemptAt: Instant | null = null;
  let lastAttemptAt: Instant | null = null;
  let lastSent: Entry | null = null;
  let proposalSent = false;
  for (let i = 0; i < attemptsSent.length; i++) {
    const e = attemptsSent[i]!;
    if (firstAttemptAt === null || e.t < firstAttemptAt) firstAttemptAt = e.t;
    if (e.message.hasAttachments) proposalSent = true;
  }
  for (let i = 0; i < unansweredSent.length; i++) {
    const e = unansweredSent[i]!;
    lastSent = later(lastSent, e);
  }
  for (let i = 0; i < unansweredSent.length; i++) {
    const e = unansweredSent[i]!;
    lastAttemptAt = maxOf(lastAttemptAt, e.t);
  }
  for (let i = 0; i < unansweredColleague.length; i++) {
    const e = unansweredColleague[i]!;
    lastAttemptAt = maxOf(lastAttemptAt, e.t);
  }
  lastAttemptAt = maxOf(lastAttemptAt, lastLogged);
  let lastMyFollowUp: Instant | null = null;
  for (let i = 0; i < attemptsSent.length; i++) {
    const e = attemptsSent[i]!;
    lastMyFollowUp = maxOf(lastMyFollowUp, e.t);
  }

  const warm = lastAnswer !== null;
  const lastHeardOrFirst = lastHeardAt ?? firstAttemptAt;
  const darkDays = lastHeardOrFirst === null ? 0 : calendar.daysBetween(lastHeardOrFirst, now);
  const sinceLastAttemptDays = lastAttemptAt === null ? 0 : calendar.daysBetween(lastAttemptAt, now);
  const figures = { darkDays, attempts, warm, proposalSent };
  const score = scoreOf(figures, ctx.scoreOptions);
  let notes: string[] = none(); // most have one note, some none: no room made for more
  const byCall = lastLoggedAny !== null && (lastMyFollowUp === null || lastLoggedAny > lastMyFollowUp);
  if (byCall) lastMyFollowUp = lastLoggedAny;
  if (lastMyFollowUp !== null) {
    const d = calendar.daysBetween(lastMyFollowUp, now);
    const when = d === 0 ? "today" : `${counted(d, "day")} ago`;
    notes = grow(notes, `last follow-up ${when}${byCall ? " (a call you logged)" : ""}`);
  }
  const colleague = unansweredColleague[unansweredColleague.length - 1];
  if (colleague) {
    const who = shortName(colleague.message.from);
    notes = grow(notes, `a colleague (${who}) answered on ${ctx.formatDay(colleague.t)}`);
  }
  const why = explainScore(figures, notes);
  const lastHeard = lastAnswer ? heardFrom(lastAnswer.entry, conversationId, ctx) : null;
  const measured: Figures = {
    attempts,
    darkDays,
    sinceLastAttemptDays,
    warm,
    proposalSent,
    score,
    why,
    lastAttemptAt,
    lastHeardAt,
    firstAttemptAt,
    lastAttemptMessageId: (lastSent ?? latestOf(attemptsSent))?.message.id ?? null,
    lastHeard,
  };
  const verdict = decideState(conversationId, ctx, figures, {
    attempts,
    sinceLastAttemptDays,
    lastAttemptAt,
    lastSent,
    why,
    lastAnswer,
    lastHeard,
    automaticReplies,
    bounces,
    prospectSet,
    referrer,
    loggedCalls,
  });
  if (ctx.collect)
    ctx.collect(historyOf(conversationId, verdict.state, attemptsSent, answerCandidates, lastAnswer, ctx));
  return buildReport(conversationId, subject, prospectList, measured, verdict);
}

/** The history of one conversation: its attempts, and every human answer in it (plus one written elsewhere). */
function historyOf(
  conversationId: string,
  state: ConversationState,
  attemptsSent: readonly Entry[],
  answerCandidates: readonly Entry[],
  lastAnswer: Answer | null,
  ctx: JudgeContext,
): ConversationHistory {
  const attempts: HistoryAttempt[] = attemptsSent.map((e) => ({
    messageId: e.message.id,
    at: e.t,
    ...(e.message.technique !== undefined ? { technique: e.message.technique } : {}),
  }));
  const answers: HistoryAnswer[] = [];
  const add = (entry: Entry, intent: AnswerIntent) => {
    const kind = intent.kind;
    if (kind === "acknowledgement" || kind === "delay" || kind === "out-of-office") return;
    answers.push({ messageId: entry.message.id, at: entry.t, intent: kind });
  };
  for (const entry of answerCandidates) add(entry, intentOf(entry, false, ctx));
  // An answer written in another conversation counts where the engine counted it: as this one's last answer.
  if (lastAnswer && lastAnswer.entry.message.conversationId !== conversationId)
    add(lastAnswer.entry, lastAnswer.intent);
  answers.sort((a, b) => a.at - b.at);
  return { conversationId, state, attempts, answers };
}

/**
 * Sorts a conversation's entries by time, in place and stably (ties keep their order, as Array.prototype.sort
 * does). A thread is mostly short and nearly in order, mine first and then the rest, so an insertion sort is
 * quick and, unlike Array.prototype.sort, allocates nothing.
 */
function sortByTime(entries: Entry[]): void {
  if (entries.length > 64) {
    entries.sort((a, b) => a.t - b.t); // a long thread: no quadratic worst case
    return;
  }
  for (let i = 1; i < entries.length; i++) {
    const e = entries[i]!;
    let j = i - 1;
    if (entries[j]!.t <= e.t) continue;
    while (j >= 0 && entries[j]!.t > e.t) {
      entries[j + 1] = entries[j]!;
      j--;
    }
    entries[j + 1] = e;
  }
}

/**
 * A small set of strings kept as an array, in insertion order like a Set: a conversation's few prospects and
 * organisations are cheaper to scan than to hash, and iterating them allocates nothing.
 */
class SmallSet {
  /** Made on the first add (most sets hold one item or none); read, never changed, from outside. */
  items: string[] = none();
  has(x: string): boolean {
    return this.items.includes(x);
  }
  add(x: string): void {
    if (!this.items.includes(x)) this.items = grow(this.items, x);
  }
  delete(x: string): void {
    const i = this.items.indexOf(x);
    if (i >= 0) this.items.splice(i, 1);
  }
  get size(): number {
    return this.items.length;
  }
}

interface Membership {
  has(x: string): boolean;
}

/** A prospect's display name: the first one my messages gave them, or a later one where that was empty. */
function nameOf(address: string, sent: readonly Entry[]): string {
  let known: string | undefined;
  for (let i = 0; i < sent.length; i++) {
    const m = sent[i]!.message;
    for (let j = 0; j < m.to.length + m.cc.length; j++) {
      const r = j < m.to.length ? m.to[j]! : m.cc[j - m.to.length]!;
      if (r.address === address && (known === undefined || (!known && r.name))) known = r.name;
    }
  }
  return known ?? "";
}

/** The prospects, and their organisations: whoever belongs to either is on the prospect's side. */
interface ProspectSide {
  readonly prospects: SmallSet;
  readonly organisations: SmallSet;
  readonly factsOf: (address: string) => AddressFacts;
}

function isProspectSide(side: ProspectSide, address: string): boolean {
  if (side.prospects.has(address)) return true;
  const facts = side.factsOf(address);
  return !facts.publicProvider && side.organisations.has(facts.organisation);
}

function writesToProspectSide(m: MailMessage, side: ProspectSide): boolean {
  for (let i = 0; i < m.to.length; i++) {
    const r = m.to[i]!;
    if (isProspectSide(side, r.address)) return true;
  }
  for (let i = 0; i < m.cc.length; i++) {
    const r = m.cc[i]!;
    if (isProspectSide(side, r.address)) return true;
  }
  return false;
}

function organisationsOf(addresses: SmallSet, ctx: JudgeContext): SmallSet {
  const out = new SmallSet();
  for (let i = 0; i < addresses.items.length; i++) {
    const a = addresses.items[i]!;
    out.add(ctx.factsOf(a).organisation);
  }
  return out;
}

/** Whether a message is written to (To or Cc) one of these people. Asked of most messages: loops, no closures. */
function addresses(m: MailMessage, people: Membership): boolean {
  for (let i = 0; i < m.to.length; i++) if (people.has(m.to[i]!.address)) return true;
  for (let i = 0; i < m.cc.length; i++) if (people.has(m.cc[i]!.address)) return true;
  return false;
}

function latestOf(entries: readonly Entry[]): Entry | null {
  let latest: Entry | null = null;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    latest = later(latest, e);
  }
  return latest;
}

function intentOf(entry: Entry, automated: boolean, ctx: JudgeContext): AnswerIntent {
  const m = entry.message;
  return ctx.readAnswer({
    subject: m.subject,
    text: m.preview,
    sentAt: entry.t,
    automated,
    timeZone: ctx.timeZone,
  });
}

function heardFrom(entry: Entry, conversationId: string, ctx: JudgeContext): HeardFrom {
  const m = entry.message;
  const from = m.from ?? { address: "", name: "" };
  return {
    at: entry.t,
    from: { address: from.address, name: from.name },
    company: ctx.factsOf(from.address).company,
    conversationId: m.conversationId,
    messageId: m.id,
    subject: originalSubject(m.subject),
    elsewhere: m.conversationId !== conversationId,
  };
}

/**
 * The referrer: the sender of the thread's first message, written to me and to someone I then wrote to; or the
 * person I copied on my first message of an introduction; or whoever the user marked.
 */
function findReferrer(
  conversationId: string,
  entries: readonly Entry[],
  attempts: readonly Entry[],
  prospects: Membership,
  copied: Membership,
  ctx: JudgeContext,
): Person | null {
  const marked = ctx.marks.referrer(conversationId);
  if (marked) {
    const everyone = (m: MailMessage) => [...m.to, ...m.cc, ...(m.from ? [m.from] : [])];
    const address = normaliseAddress(marked);
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const hit = everyone(e.message).find((r) => r.address === address);
      if (hit) return { address, name: hit.name };
    }
    return { address, name: "" };
  }
  // the thread's first human message: theirs, or one of my attempts (a loop: this runs for every conversation)
  let first: Entry | null = null;
  for (let i = 0; i < entries.length && first === null; i++) {
    const e = entries[i]!;
    if (e.automated === null && (!e.mine || attempts.includes(e))) first = e;
  }
  if (!first) return null;
  const m = first.message;
  if (!first.mine) {
    const from = m.from;
    if (!from || !ctx.isProspectAddress(from.address)) return null;
    const recipients = [...m.to, ...m.cc];
    const toMe = recipients.some((r) => ctx.me.has(r.address));
    const introduced = recipients.some((r) => r.address !== from.address && prospects.has(r.address));
    return toMe && introduced ? { address: from.address, name: from.name } : null;
  }
  if (!INTRODUCTION.test(`${m.subject} ${m.preview}`)) return null;
  const cc = m.cc.find((r) => copied.has(r.address));
  return cc ? { address: cc.address, name: cc.name } : null;
}

/** The measured part of a report. */
type Figures = Pick<
  ConversationReport,
  | "attempts"
  | "darkDays"
  | "sinceLastAttemptDays"
  | "warm"
  | "proposalSent"
  | "score"
  | "why"
  | "lastAttemptAt"
  | "lastHeardAt"
  | "firstAttemptAt"
  | "lastAttemptMessageId"
  | "lastHeard"
>;
/** The judged part of a report. */
type Verdict = Pick<
  ConversationReport,
  | "state"
  | "reason"
  | "technique"
  | "snoozedUntil"
  | "referrer"
  | "deferredUntil"
  | "successor"
  | "evidence"
  | "loggedCalls"
>;

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
  lastHeard: null,
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
    referrer: v.referrer,
    lastHeard: f.lastHeard,
    deferredUntil: v.deferredUntil,
    successor: v.successor,
    evidence: v.evidence,
    loggedCalls: v.loggedCalls,
  };
}

interface Judged {
  readonly attempts: number;
  readonly sinceLastAttemptDays: number;
  readonly lastAttemptAt: Instant | null;
  readonly lastSent: Entry | null;
  readonly why: string;
  readonly lastAnswer: Answer | null;
  readonly lastHeard: HeardFrom | null;
  readonly automaticReplies: readonly Answer[];
  readonly bounces: readonly Entry[];
  readonly prospectSet: Membership;
  readonly referrer: Person | null;
  readonly loggedCalls: number;
}

/**
 * State, in the order the rules check it: closed by the user, left the company, declined, replied (or their
 * "later" date), bounced, deferred (out of office, or the user's date), snoozed, waiting, stale.
 */
function decideState(conversationId: string, ctx: JudgeContext, figures: PlaybookInput, a: Judged): Verdict {
  const { now, settings, calendar } = ctx;
  if (ctx.marks.closed(conversationId) !== undefined) return verdictOf(a, "closed", "you closed the file");
  const answer = a.lastAnswer;
  const who = answer ? shortName(answer.entry.message.from) : "";

  // Left the company: said by their last answer, or by an automatic reply since.
  let leftNotice: Answer | null = answer?.intent.kind === "left" ? answer : null;
  for (let i = 0; i < a.automaticReplies.length; i++) {
    const r = a.automaticReplies[i]!;
    if (r.intent.kind === "left" && (!answer || r.entry.t > answer.entry.t)) leftNotice = r;
  }
  if (leftNotice) {
    const found = leftNotice.intent.successor;
    const successor = found ? { address: found.address, name: found.name } : null;
    const gone = shortName(leftNotice.entry.message.from);
    const writeTo = successor ? `: write to ${successor.name || successor.address}` : "";
    return verdictOf(a, "left", `${gone} is no longer there (“${leftNotice.intent.evidence}”)${writeTo}`, {
      successor,
      evidence: leftNotice.intent.evidence,
    });
  }
  if (answer?.intent.kind === "declined") {
    const evidence = answer.intent.evidence;
    return verdictOf(a, "declined", `${who} declined on ${ctx.formatDay(answer.entry.t)}: “${evidence}”`, {
      evidence,
    });
  }
  const technique = chooseTechnique(figures, settings);
  const override = ctx.marks.deferral(conversationId);
  if (answer?.intent.kind === "deferred" && answer.intent.until !== undefined && override !== null) {
    const until = override ?? answer.intent.until;
    const evidence = answer.intent.evidence;
    if (until > now) {
      const reason = `${who} asked to hear from you after ${ctx.formatDay(until)}: “${evidence}”`;
      return verdictOf(a, "deferred", reason, { technique, deferredUntil: until, evidence });
    }
    if (a.attempts === 0) {
      const reason = `${who} asked you to get back to them on ${ctx.formatDay(until)}: “${evidence}”`;
      return verdictOf(a, "stale", reason, { technique, evidence });
    }
  }
  if (a.attempts === 0) {
    const h = a.lastHeard;
    if (!h) return verdictOf(a, "replied", "they answered your last message");
    const where = h.elsewhere ? ` in ‘${h.subject}’` : "";
    const company = h.company ? ` (${h.company})` : "";
    return verdictOf(a, "replied", `${who}${company} wrote on ${ctx.formatDay(h.at)}${where}`);
  }
  if (a.lastAttemptAt !== null && lastAttemptBounced(a, ctx))
    return verdictOf(a, "bounced", "your last message bounced");
  if (typeof override === "number" && override > now) {
    const reason = `you set it aside until ${ctx.formatDay(override)}`;
    return verdictOf(a, "deferred", reason, { technique, deferredUntil: override });
  }
  const lastAt = a.lastAttemptAt;
  let away: Answer | null = null;
  for (let i = 0; i < a.automaticReplies.length; i++) {
    const r = a.automaticReplies[i]!;
    if (
      r.intent.kind === "out-of-office" &&
      r.intent.until !== undefined &&
      lastAt !== null &&
      r.entry.t > lastAt
    ) {
      away = r;
    }
  }
  if (away?.intent.until !== undefined) {
    const back = away.intent.until;
    const until = calendar.startOfDay(calendar.nextWorkingDay(calendar.dayNumber(back)));
    if (until > now) {
      const evidence = away.intent.evidence;
      return verdictOf(a, "deferred", `Out of office until ${ctx.formatDay(back)}`, {
        technique,
        deferredUntil: until,
        evidence,
      });
    }
  }
  const snoozedUntil = ctx.marks.snooze(conversationId);
  if (snoozedUntil !== undefined && snoozedUntil > now) {
    return verdictOf(a, "snoozed", `snoozed until ${ctx.formatDay(snoozedUntil)}`, {
      technique,
      snoozedUntil,
    });
  }
  if (a.sinceLastAttemptDays < settings.followUpAfterDays) {
    const left = settings.followUpAfterDays - a.sinceLastAttemptDays;
    return verdictOf(a, "waiting", `follow up in ${counted(left, "day")}`, { technique });
  }
  return verdictOf(a, "stale", a.why, { technique });
}

const NO_EXTRAS: VerdictExtras = Object.freeze({});

// Every verdict has one shape, so the reports built from them stay monomorphic in the hot loop.
function verdictOf(
  a: Judged,
  state: ConversationState,
  reason: string,
  more: VerdictExtras = NO_EXTRAS,
): Verdict {
  return {
    state,
    reason,
    technique: more.technique ?? null,
    snoozedUntil: more.snoozedUntil ?? null,
    referrer: a.referrer,
    deferredUntil: more.deferredUntil ?? null,
    successor: more.successor ?? null,
    evidence: more.evidence ?? null,
    loggedCalls: a.loggedCalls,
  };
}

type VerdictExtras = Partial<
  Pick<Verdict, "technique" | "snoozedUntil" | "deferredUntil" | "successor" | "evidence">
>;

/**
 * True when every prospect my last message went to bounced after it. A bounce names its failed recipients; one in
 * this thread that names nobody is taken to be about this thread's last message. A bounce in another thread with
 * the same subject counts only for the recipients it names.
 */
function lastAttemptBounced(a: Judged, ctx: JudgeContext): boolean {
  const sent = a.lastSent;
  if (!sent) return false;
  const targets = [...sent.message.to, ...sent.message.cc]
    .map((r) => r.address)
    .filter((x) => a.prospectSet.has(x));
  if (targets.length === 0) return false;
  const failed = new Set<string>();
  for (let i = 0; i < a.bounces.length; i++) {
    const b = a.bounces[i]!;
    if (b.t <= sent.t) continue;
    const named = bouncedAddresses(b.message);
    if (named.length === 0) return true;
    named.forEach((x) => failed.add(x));
  }
  for (const b of ctx.bouncesBySubject.get(baseSubject(sent.message.subject)) ?? []) {
    if (b.t > sent.t) b.addresses.forEach((x) => failed.add(x));
  }
  return targets.every((x) => failed.has(x));
}

function exclusionReason(
  mineHuman: number,
  massMail: number,
  forwards: number,
  bccExternal: boolean,
  recipients: readonly string[],
  referrer: Person | null,
  ctx: JudgeContext,
): string {
  if (mineHuman > 0 && forwards === mineHuman) return "you only forwarded it";
  if (mineHuman > 0 && massMail + forwards === mineHuman) return "mass mail only";
  if (referrer && recipients.every((r) => r === referrer.address || !ctx.isProspectAddress(r))) {
    return "only the person who introduced you";
  }
  if (bccExternal) return "the prospect was only on Bcc";
  if (recipients.length === 0) return "no recipients";
  const kinds = new Set(
    recipients.map((a) => {
      const domain = domainOf(a);
      if (ctx.excludedAddresses.has(a) || ctx.excludedDomains.has(domain)) return "marked not a prospect";
      if (ctx.me.has(a)) return "only myself";
      if (ctx.isInternal(a)) return "internal only";
      if (isNoReplyAddress(a)) return "no-reply recipients only";
      return "mailing lists only";
    }),
  );
  return kinds.size === 1 ? [...kinds][0]! : "no external recipients";
}

const STATE_ORDER: Readonly<Record<ConversationState, number>> = {
  stale: 0,
  waiting: 1,
  deferred: 2,
  snoozed: 3,
  declined: 4,
  left: 5,
  bounced: 6,
  replied: 7,
  closed: 8,
  excluded: 9,
};

/** Stale first by score from high to low; ties by longer silence, then by id so the order is deterministic. */
export function compareReports(a: ConversationReport, b: ConversationReport): number {
  return STATE_ORDER[a.state] - STATE_ORDER[b.state] || compareInState(a, b);
}

/** compareReports for two reports in the same state. */
function compareInState(a: ConversationReport, b: ConversationReport): number {
  return (
    b.score - a.score ||
    b.darkDays - a.darkDays ||
    (a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0)
  );
}

/**
 * Sorts the reports in compareReports order: grouped by state first, each report's state looked up once, then
 * each group sorted by the rest (looking the states up in every comparison took most of the sort's time).
 */
function sortReports(reports: readonly ConversationReport[]): ConversationReport[] {
  const byState: ConversationReport[][] = Object.values(STATE_ORDER).map(() => []);
  for (let i = 0; i < reports.length; i++) {
    const r = reports[i]!;
    byState[STATE_ORDER[r.state]]!.push(r);
  }
  const sorted: ConversationReport[] = [];
  for (const group of byState) {
    group.sort(compareInState);
    for (let i = 0; i < group.length; i++) sorted.push(group[i]!);
  }
  return sorted;
}
