import type { Instant } from "./message";

/** A call or voicemail the user logged against a conversation; it counts as an attempt. */
export interface LoggedAttempt {
  readonly id: string;
  readonly conversationId: string;
  readonly at: Instant;
  readonly kind: "call" | "voicemail";
  readonly note?: string;
}

/** What the user decided about conversations. Never derived from mail, never lost. */
export interface UserState {
  /** conversationId → snoozed until this instant. */
  readonly snoozes: Readonly<Record<string, Instant>>;
  /** conversationId → when the user closed the file (the prospect said no). */
  readonly closed: Readonly<Record<string, Instant>>;
  readonly loggedAttempts: readonly LoggedAttempt[];
  /** conversationId → the address the user marked as the person who introduced them. */
  readonly referrers?: Readonly<Record<string, string>>;
  /** conversationId → the user's own "later" date, or null where they cleared the date Rekindle found. */
  readonly deferrals?: Readonly<Record<string, Instant | null>>;
}

export const EMPTY_USER_STATE: UserState = Object.freeze({ snoozes: {}, closed: {}, loggedAttempts: [] });
