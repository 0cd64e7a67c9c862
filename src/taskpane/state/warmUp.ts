// The detail reads each of their answers on the pane's thread (the timeline's "Declined", "Later"…). The first
// readings there are slow: V8 compiles each of the intent rules' patterns on its first run, and again, to machine
// code, soon after. On the 100k-message bench the first conversation opened paid for that: about 17 ms of
// compiling, then 15 ms more in the next one, and a 55 ms task before the detail painted. So once the list is
// shown, a few sample answers are read in idle moments, one per moment, and the first select finds the rules ready.
import { classifyAnswer, type IntentInput } from "../../core/answerIntent";
import type { Instant } from "../../core/message";

/**
 * Sample answers that between them reach every kind of rule, in each language the rules know: refusals, "later"
 * with a relative and a calendar date, "she has left" with a successor, out-of-office replies with a return day,
 * a ticket acknowledgement, a delivery delay, and plain answers.
 */
export const WARM_UP_ANSWERS: readonly Omit<IntentInput, "sentAt" | "timeZone">[] = [
  {
    subject: "RE: Proposal for the spring campaign",
    text: "Thanks for following up. We have decided to go with another agency, so please take me off your list.",
    automated: false,
  },
  {
    subject: "RE: Proposal for the spring campaign",
    text: "Busy with the budget right now. Could you call me in 60 days? After 15 January would be best.",
    automated: false,
  },
  {
    subject: "RE: Proposal for the spring campaign",
    text: "Dana no longer works at Contoso. Please contact her successor, Priya Patel (priya.patel@contoso.com).",
    automated: false,
  },
  {
    subject: "Automatic reply: Proposal for the spring campaign",
    text: "I am out of the office until Monday, 7 December, with no access to email. For anything urgent, please call my assistant.",
    automated: true,
  },
  {
    subject: "[Ticket #4821] We have received your request",
    text: "Thank you for contacting support. Your request has been received and a member of our team will reply shortly.",
    automated: true,
  },
  {
    subject: "Delivery delayed: Proposal for the spring campaign",
    text: "Delivery to these recipients or groups is delayed. The server will keep trying to deliver the message.",
    automated: true,
  },
  {
    subject: "RE: Proposal for the spring campaign",
    text: "Sounds good. Could you send the pricing for 40 seats? I'd like to show it to my manager on Thursday.",
    automated: false,
  },
  {
    subject: "AW: Angebot Flottenmanagement",
    text: "Danke für Ihre Nachricht. Wir haben aktuell keinen Bedarf. Melden Sie sich gern im März wieder.",
    automated: false,
  },
  {
    subject: "Abwesenheitsnotiz: Angebot Flottenmanagement",
    text: "Ich bin bis zum 14. Dezember nicht im Büro und habe keinen Zugriff auf meine E-Mails.",
    automated: true,
  },
  {
    subject: "RE : Proposition : suivi de flotte",
    text: "Merci pour votre relance, mais nous avons choisi un autre prestataire. Bonne continuation.",
    automated: false,
  },
  {
    subject: "RE: Propuesta: seguimiento de flota",
    text: "Gracias, ahora mismo no nos interesa. Escríbame de nuevo en enero, por favor.",
    automated: false,
  },
];

/** Readings of each sample: V8 has compiled every pattern to machine code by the last. */
export const WARM_UP_PASSES = 3;

/** Runs `step` at the next idle moment; the returned function cancels it. */
export type IdleSlot = (step: () => void) => () => void;

/** The browser's idle moments (a short timer where there are none, as in Safari). */
export const idleSlot: IdleSlot = (step) => {
  if (typeof requestIdleCallback === "function") {
    const id = requestIdleCallback(() => step());
    return () => cancelIdleCallback(id);
  }
  const timer = setTimeout(step, 50);
  return () => clearTimeout(timer);
};

/**
 * Reads each sample answer WARM_UP_PASSES times, one per idle moment, as written at `now` in `timeZone` (the
 * pane's, so its calendar is the one made ready). Returns a function that stops the rest. A reading that fails is
 * passed over: the warm-up is never worth an error on screen (the first select would only be slower).
 */
export function warmUpAnswerReading(
  now: Instant,
  timeZone: string,
  slot: IdleSlot = idleSlot,
  read: (input: IntentInput) => unknown = classifyAnswer,
): () => void {
  const total = WARM_UP_ANSWERS.length * WARM_UP_PASSES;
  let done = 0;
  let cancel = slot(step);
  function step(): void {
    const sample = WARM_UP_ANSWERS[done % WARM_UP_ANSWERS.length]!;
    try {
      read({ ...sample, sentAt: now, timeZone });
    } catch {
      // passed over, as said above
    }
    done++;
    if (done < total) cancel = slot(step);
  }
  return () => cancel();
}
