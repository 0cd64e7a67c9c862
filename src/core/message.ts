import type { Technique } from "./technique";

/** A normalised e-mail address: `address` is lower-cased, `name` is the display name as sent (may be empty). */
export interface Address {
  readonly address: string;
  readonly name: string;
}

/**
 * Which Graph folder a message came from: a well-known folder, or a folder the user picked (`folder:` + its Graph
 * id). Only "sentitems" makes a message mine by folder.
 */
export type Folder = "sentitems" | "inbox" | "archive" | `folder:${string}`;

/** Epoch milliseconds; a branded number so instants are not mixed up with day counts. */
export type Instant = number & { readonly __brand: "Instant" };

/** Wraps a millisecond timestamp as an Instant. */
export const instant = (ms: number): Instant => ms as Instant;

/** One message as the engine sees it: already mapped from Graph, all fields present. */
export interface MailMessage {
  readonly id: string;
  readonly conversationId: string;
  readonly folder: Folder;
  readonly subject: string;
  readonly preview: string;
  readonly from: Address | null;
  readonly to: readonly Address[];
  readonly cc: readonly Address[];
  readonly bcc: readonly Address[];
  readonly sentAt: Instant;
  readonly receivedAt: Instant;
  readonly hasAttachments: boolean;
  /** MAPI message class (PR_MESSAGE_CLASS, `String 0x001A`), when Graph returned it. */
  readonly messageClass?: string;
  /** Value of the `Auto-Submitted` header, when Graph returned it. */
  readonly autoSubmitted?: string;
  /** Value of the `List-Id` (or, failing that, `List-Unsubscribe`) header: the message came through a mailing list. */
  readonly listId?: string;
  /** The technique Rekindle marked this message with (its `x-rekindle-technique` header), when it carries one. */
  readonly technique?: Technique;
}

/** Who "me" is, as read from Graph `/me`. */
export interface Me {
  readonly displayName: string;
  readonly givenName?: string;
  readonly mail?: string;
  readonly userPrincipalName?: string;
  readonly proxyAddresses?: readonly string[];
  /** Graph `/me` businessPhones, first one first. */
  readonly businessPhones?: readonly string[];
  readonly mobilePhone?: string;
  readonly companyName?: string;
}

/** Everything the engine needs to classify a mailbox. */
export interface Mailbox {
  readonly me: Me;
  readonly messages: readonly MailMessage[];
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days between two instants, floored and never negative. */
export function wholeDaysBetween(earlier: Instant, later: Instant): number {
  return Math.max(0, Math.floor((later - earlier) / DAY_MS));
}
