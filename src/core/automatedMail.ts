import { originalSubject } from "./subjects";
import type { MailMessage } from "./message";

/** Why a message is not a human answer. */
export type AutomatedKind = "auto-reply" | "receipt" | "bounce";

// Subject prefixes of automatic replies in English, German, French, Spanish, Dutch, Italian and Portuguese.
const AUTO_REPLY_SUBJECT =
  /^\s*(automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|out of (the )?office|ooo\b|abwesenheitsnotiz|automatische antwort|abwesend|réponse automatique|reponse automatique|absence du bureau|absent du bureau|respuesta automática|respuesta automatica|fuera de la oficina|automatisch antwoord|afwezig|risposta automatica|fuori ufficio|resposta automática|resposta automatica|ausente)(?![a-z])/i;

const RECEIPT_SUBJECT =
  /^\s*(read|not read|delivered|gelesen|ungelesen|zugestellt|lu|non lu|remis|leído|leido|no leído|no leido|entregado)\s*:/i;

const BOUNCE_SUBJECT =
  /^\s*(undeliverable|undelivered mail returned to sender|delivery status notification \(failure\)|delivery status notification \(delay\)|mail delivery failed|mail delivery failure|returned mail|delivery failure|failure notice|unzustellbar|non remis|no se puede entregar|onbestelbaar)(?![a-z])/i;

const BOUNCE_SENDER = /^(postmaster|mailer-daemon|microsoftexchange329e71ec88ae4615bbc36ab6ce41109e)@/i;

/** Subject prefixes that automated mail adds in front of the original subject. */
const AUTOMATED_PREFIX = new RegExp(
  `^(?:${[AUTO_REPLY_SUBJECT, RECEIPT_SUBJECT, BOUNCE_SUBJECT]
    .map((r) => r.source.replace(/^\^\\s\*/, ""))
    .join("|")})\\s*:?\\s*`,
  "i",
);

/** Classifies automatic replies, read/delivery receipts and bounces; null for mail a person wrote. */
export function detectAutomatedMail(message: MailMessage): AutomatedKind | null {
  const cls = message.messageClass?.toUpperCase() ?? "";
  if (cls.startsWith("REPORT.")) return cls.includes(".NDR") ? "bounce" : "receipt";
  if (cls.startsWith("IPM.NOTE.RULES.OOFTEMPLATE") || cls.startsWith("IPM.NOTE.RULES.REPLYTEMPLATE")) {
    return "auto-reply";
  }
  const sender = message.from?.address ?? "";
  if (BOUNCE_SENDER.test(sender) || BOUNCE_SUBJECT.test(message.subject)) return "bounce";
  if (RECEIPT_SUBJECT.test(message.subject)) return "receipt";
  const autoSubmitted = message.autoSubmitted?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== "no") return "auto-reply";
  if (AUTO_REPLY_SUBJECT.test(message.subject)) return "auto-reply";
  return null;
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
