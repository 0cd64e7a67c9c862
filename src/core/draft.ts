import { BUILTIN_TEMPLATES, INTRODUCTION_TEMPLATE } from "./builtinTemplates";
import type { Instant, Me } from "./message";
import { cleanDisplayName, firstNameOf, greetingNameOf } from "./names";
import type { Settings } from "./settings";
import { topicOf } from "./subjects";
import { TECHNIQUE_LABELS, type Technique } from "./technique";
import {
  compileTemplate,
  type CompiledTemplate,
  type RenderedMessage,
  type TemplateValues,
} from "./template";

/** What a draft needs to know about a conversation; the engine's ConversationReport is a superset. */
export interface DraftFacts {
  readonly subject: string;
  readonly prospects: readonly { address: string; name: string; company: string }[];
  readonly lastHeardAt: Instant | null;
  readonly firstAttemptAt: Instant | null;
  readonly darkDays: number;
  readonly attempts: number;
  readonly technique: Technique | null;
  /** The external person who introduced me, when the engine found one. */
  readonly referrer?: { readonly address: string; readonly name: string } | null;
  /** Calls and voicemails the user logged in this conversation (0 when none). */
  readonly loggedCalls?: number;
}

/** Where the user is: dates are written in their locale and time zone. */
export interface DraftContext {
  readonly locale: string;
  readonly timeZone: string;
}

/** British English dates in UTC, used when the caller does not say where the user is. */
export const DEFAULT_DRAFT_CONTEXT: DraftContext = Object.freeze({ locale: "en-GB", timeZone: "UTC" });

/** The settings a draft reads: the user's templates and how they sign voicemails. */
export type DraftSettings = Pick<Settings, "templates"> & Partial<Pick<Settings, "myPhone" | "myCompany">>;

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date as "3 March 2026" in the user's locale and time zone (en-GB and UTC unless told otherwise). */
export function formatDate(at: Instant, context: Partial<DraftContext> = {}): string {
  const locale = context.locale ?? DEFAULT_DRAFT_CONTEXT.locale;
  const timeZone = context.timeZone ?? DEFAULT_DRAFT_CONTEXT.timeZone;
  const key = `${locale}\u0000${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new RangeError(`Cannot write dates for locale "${locale}" in time zone "${timeZone}": ${reason}`);
    }
    if (dateFormats.size >= 32) dateFormats.clear();
    dateFormats.set(key, format);
  }
  return format.format(at);
}

/** The template for a technique: the user's own if they wrote one, else the built-in. */
export function templateFor(technique: Technique, settings: Pick<Settings, "templates">): CompiledTemplate {
  const own = settings.templates[technique];
  return compileTemplate(own ?? BUILTIN_TEMPLATES[technique], `the ${TECHNIQUE_LABELS[technique]} template`);
}

/** "called you twice": the logged calls and voicemails as a phrase, or "" when none were logged. */
export function callsPhrase(loggedCalls: number | undefined): string {
  if (loggedCalls === undefined || !Number.isFinite(loggedCalls) || loggedCalls < 1) return "";
  if (loggedCalls < 2) return "called you once";
  if (loggedCalls < 3) return "called you twice";
  return "called you a few times";
}

const oneLineText = (value: string | undefined): string => cleanDisplayName(value ?? "");

/** The placeholder values for a conversation, from its first prospect, from me and from my settings. */
export function templateValuesFor(
  facts: DraftFacts,
  me: Me,
  settings: Partial<Pick<Settings, "myPhone" | "myCompany">> = {},
  context: Partial<DraftContext> = {},
): TemplateValues {
  const prospect = facts.prospects[0];
  const fullName = cleanDisplayName(prospect?.name ?? "");
  const greeting = greetingNameOf(prospect?.name ?? "", prospect?.address ?? "");
  const myName = cleanDisplayName(me.displayName);
  const lastContact = facts.lastHeardAt ?? facts.firstAttemptAt;
  const referrer = facts.referrer ?? null;
  const referrerName = referrer ? cleanDisplayName(referrer.name) || firstNameOf("", referrer.address) : "";
  const referrerFirstName = referrer ? firstNameOf(referrer.name, referrer.address) || referrerName : "";
  return {
    firstName: greeting,
    greetingName: greeting,
    fullName: fullName || prospect?.address || "",
    company: oneLineText(prospect?.company),
    myFirstName: cleanDisplayName(me.givenName ?? "") || firstNameOf(myName, me.mail ?? "") || myName,
    myName,
    myPhone:
      oneLineText(settings.myPhone) ||
      oneLineText(me.mobilePhone) ||
      (me.businessPhones ?? []).map(oneLineText).find(Boolean) ||
      "",
    myCompany: oneLineText(settings.myCompany) || oneLineText(me.companyName),
    subject: topicOf(facts.subject),
    lastContactDate: lastContact === null ? "we last spoke" : formatDate(lastContact, context),
    daysSilent: String(facts.darkDays),
    attempts: String(facts.attempts),
    calls: callsPhrase(facts.loggedCalls),
    referrerName,
    referrerFirstName,
    predecessorName: "",
  };
}

/** A rendered re-engagement message for a conversation, with the technique it used. */
export interface Draft extends RenderedMessage {
  readonly technique: Technique;
}

/** Renders the suggested (or the chosen) technique for a conversation. */
export function composeDraft(
  facts: DraftFacts,
  me: Me,
  settings: DraftSettings,
  technique: Technique = facts.technique ?? "nudge",
  context: Partial<DraftContext> = {},
): Draft {
  const values = templateValuesFor(facts, me, settings, context);
  return { technique, ...templateFor(technique, settings).render(values) };
}

/** A conversation whose prospect left: who took over, and the name of who left. */
export type IntroductionFacts = DraftFacts & {
  readonly successor: { readonly address: string; readonly name: string };
  readonly predecessorName: string;
};

/** Renders the built-in introduction to the successor of a prospect who left, as a new conversation. */
export function composeIntroduction(
  facts: IntroductionFacts,
  me: Me,
  settings: Partial<Pick<Settings, "myPhone" | "myCompany">> = {},
  context: Partial<DraftContext> = {},
): RenderedMessage {
  const successor = {
    address: facts.successor.address,
    name: facts.successor.name,
    company: facts.prospects[0]?.company ?? "",
  };
  const values = templateValuesFor({ ...facts, prospects: [successor] }, me, settings, context);
  return compileTemplate(INTRODUCTION_TEMPLATE, "the introduction template").render({
    ...values,
    predecessorName: cleanDisplayName(facts.predecessorName),
  });
}
