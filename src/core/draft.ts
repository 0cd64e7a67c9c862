import type { ConversationReport } from "./awaitingReply";
import { BUILTIN_TEMPLATES } from "./builtinTemplates";
import type { Instant, Me } from "./message";
import { cleanDisplayName, firstNameOf } from "./names";
import { originalSubject } from "./subjects";
import type { Settings } from "./settings";
import { TECHNIQUE_LABELS, type Technique } from "./technique";
import {
  compileTemplate,
  type CompiledTemplate,
  type RenderedMessage,
  type TemplateValues,
} from "./template";

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "3 March 2026", in UTC, independent of the machine's locale. */
export function formatDate(at: Instant): string {
  const d = new Date(at);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** The template for a technique: the user's own if they wrote one, else the built-in. */
export function templateFor(technique: Technique, settings: Pick<Settings, "templates">): CompiledTemplate {
  const own = settings.templates[technique];
  return compileTemplate(own ?? BUILTIN_TEMPLATES[technique], `the ${TECHNIQUE_LABELS[technique]} template`);
}

/** The placeholder values for a conversation, from its first prospect and from me. */
export function templateValuesFor(report: ConversationReport, me: Me): TemplateValues {
  const prospect = report.prospects[0];
  const fullName = cleanDisplayName(prospect?.name ?? "");
  const myName = cleanDisplayName(me.displayName);
  const lastContact = report.lastHeardAt ?? report.firstAttemptAt;
  return {
    firstName: firstNameOf(fullName, prospect?.address ?? "") || "there",
    fullName: fullName || prospect?.address || "",
    company: prospect?.company ?? "",
    myFirstName: cleanDisplayName(me.givenName ?? "") || firstNameOf(myName, me.mail ?? "") || myName,
    myName,
    subject: originalSubject(report.subject),
    lastContactDate: lastContact === null ? "we last spoke" : formatDate(lastContact),
    daysSilent: String(report.darkDays),
    attempts: String(report.attempts),
  };
}

/** A rendered re-engagement message for a conversation, with the technique it used. */
export interface Draft extends RenderedMessage {
  readonly technique: Technique;
}

/** Renders the suggested (or the chosen) technique for a conversation. */
export function composeDraft(
  report: ConversationReport,
  me: Me,
  settings: Pick<Settings, "templates">,
  technique: Technique = report.technique ?? "nudge",
): Draft {
  return { technique, ...templateFor(technique, settings).render(templateValuesFor(report, me)) };
}
