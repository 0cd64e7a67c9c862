import type { Instant } from "./message";

// Placeholder for the intent classifier being written on branch h-intent; replaced when it lands.
export type IntentKind =
  "declined" | "deferred" | "left" | "out-of-office" | "acknowledgement" | "delay" | "answer";
export interface AnswerIntent {
  readonly kind: IntentKind;
  readonly evidence: string;
  readonly until?: Instant;
  readonly successor?: { readonly address: string; readonly name: string };
}
export interface IntentInput {
  readonly subject: string;
  readonly text: string;
  readonly sentAt: Instant;
  readonly automated: boolean;
  readonly timeZone: string;
}
/** Reads what an answer says. */
export function classifyAnswer(input: IntentInput): AnswerIntent {
  const m = /not interested/i.exec(input.text);
  return m ? { kind: "declined", evidence: m[0] } : { kind: "answer", evidence: "" };
}
