import { originalSubject } from "./subjects";
import type { MailMessage } from "./message";

/** Why a message is not a human answer. */
export type AutomatedKind = "auto-reply" | "receipt" | "bounce" | "delay" | "acknowledgement";

// Subject prefixes of automatic replies in English, German, French, Spanish, Dutch, Italian and Portuguese.
const AUTO_REPLY_SUBJECT =
  /^\s*(automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|out of (the )?office|ooo\b|abwesenheitsnotiz|automatische antwort|abwesend|réponse automatique|reponse automatique|absence du bureau|absent du bureau|respuesta automática|respuesta automatica|fuera de la oficina|automatisch antwoord|afwezig|risposta automatica|fuori ufficio|resposta automática|resposta automatica|ausente)(?![a-z])/i;

const RECEIPT_SUBJECT =
  /^\s*(read|not read|delivered|gelesen|ungelesen|zugestellt|lu|non lu|remis|leído|leido|no leído|no leido|entregado)\s*:/i;

const BOUNCE_SUBJECT =
  /^\s*(undeliverable|undelivered mail returned to sender|delivery status notification \(failure\)|mail delivery failed|mail delivery failure|returned mail|delivery failure|failure notice|unzustellbar|non remis|no se puede entregar|onbestelbaar)(?![a-z])/i;

// A delay notice says the message is still on its way: neither a bounce nor an answer.
const DELAY_SUBJECT =
  /^\s*(delivery status notification \(delay\)|delivery delayed|delayed mail|warning: could not send message|zustellung verzögert|remise différée|entrega retrasada)(?![a-z])/i;

// Helpdesk and ticket systems answer at once with a number; a person has not read the message yet.
// (a tag anywhere in brackets, looked for only when the subject has a bracket; or a phrase at the start)
const ACKNOWLEDGEMENT_TAG =
  /\[(ticket|case|request|incident|support|ticket-id)\s*(#|no\.?|id:?)?\s*[\w-]*\d[\w-]*\]/i;
const ACKNOWLEDGEMENT_SUBJECT =
  /^\s*(request received|we('| ha)ve received your (request|message|e-?mail)|ticket (received|created|opened)|your (support )?request (has been|was) received|anfrage erhalten|demande reçue|solicitud recibida)(?![a-z])/i;
const REPORT_CLASS = /^report\./i;
const NDR_CLASS = /\.ndr/i;
const TEMPLATE_CLASS = /^ipm\.note\.rules\.(oof|reply)template/i;

const BOUNCE_SENDER = /^(postmaster|mailer-daemon|microsoftexchange329e71ec88ae4615bbc36ab6ce41109e)@/i;

/** Subject prefixes that automated mail adds in front of the original subject. */
const AUTOMATED_PREFIX = new RegExp(
  `^(?:${[AUTO_REPLY_SUBJECT, RECEIPT_SUBJECT, BOUNCE_SUBJECT, DELAY_SUBJECT]
    .map((r) => r.source.replace(/^\^\\s\*/, ""))
    .join("|")})\\s*:?\\s*`,
  "i",
);

/**
 * Whether a subject starts like any of the subjects above. Every message is asked, and most start like none:
 * one test of all the prefixes at once settles that, where five tests one after another took several times as long.
 */
const ANY_AUTOMATED_SUBJECT = new RegExp(
  `^\\s*(?:${[DELAY_SUBJECT, BOUNCE_SUBJECT, RECEIPT_SUBJECT, AUTO_REPLY_SUBJECT, ACKNOWLEDGEMENT_SUBJECT]
    .map((r) => r.source.replace(/^\^\\s\*/, ""))
    .join("|")})`,
  "i",
);

/** Classifies automatic replies, read/delivery receipts and bounces; null for mail a person wrote. */
export function detectAutomatedMail(message: MailMessage): AutomatedKind | null {
  const cls = message.messageClass;
  if (cls) {
    if (REPORT_CLASS.test(cls)) return NDR_CLASS.test(cls) ? "bounce" : "receipt";
    if (TEMPLATE_CLASS.test(cls)) return "auto-reply";
  }
  const sender = message.from?.address ?? "";
  const subject = message.subject;
  const prefixed = ANY_AUTOMATED_SUBJECT.test(subject);
  if (prefixed && DELAY_SUBJECT.test(subject)) return "delay";
  if (BOUNCE_SENDER.test(sender) || (prefixed && BOUNCE_SUBJECT.test(subject))) return "bounce";
  if (prefixed && RECEIPT_SUBJECT.test(subject)) return "receipt";
  const autoSubmitted = message.autoSubmitted?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== "no") return "auto-reply";
  if (prefixed && AUTO_REPLY_SUBJECT.test(subject)) return "auto-reply";
  if (
    (prefixed && ACKNOWLEDGEMENT_SUBJECT.test(subject)) ||
    (subject.includes("[") && ACKNOWLEDGEMENT_TAG.test(subject))
  )
    return "acknowledgement";
  return null;
}

const ADDRESS_IN_TEXT = /[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}/gi;

/** The recipients a bounce names as failed (NDRs list them in their text), lower-cased; [] when it names none. */
export function bouncedAddresses(message: MailMessage): string[] {
  const found = new Set<string>();
  for (const m of message.preview.matchAll(ADDRESS_IN_TEXT)) {
    const a = m[0].toLowerCase();
    if (!BOUNCE_SENDER.test(a)) found.add(a);
  }
  return [...found];
}

/** The subject with reply/forward prefixes and automated-mail prefixes removed, for matching bounces to attempts. */
export function baseSubject(subject: string): string {
  let s = subject.trim();
  for (;;) {
    const next = originalSubject(s).replace(AUTOMATED_PREFIX, "").trim();
    if (next === s) return s.toLowerCase();
    s = next;
  }
}
