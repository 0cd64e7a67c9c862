// What the task pane needs from Outlook: what is open, its theme, where the user is (time zone, locale), putting a
// message into a reply, and opening a new message.
// OutlookHost implements it on Office.js; the demo and the tests have their own hosts.
import type { Technique } from "../core/technique";

/** What is open in Outlook right now. */
export type OpenItem =
  | { readonly mode: "read"; readonly itemId: string; readonly conversationId: string }
  | { readonly mode: "compose"; readonly conversationId: string | null }
  | null;

/** Outlook's theme, from Office.context.officeTheme. */
export interface HostTheme {
  readonly isDark: boolean;
  readonly bodyBackgroundColor?: string;
  readonly bodyForegroundColor?: string;
}

/** The outcome of putting a message into a reply, told to the user. */
export type InsertOutcome =
  | { readonly kind: "reply-form-opened" }
  | {
      readonly kind: "inserted-at-cursor";
      /** True when the message now carries the x-rekindle-technique header (Mailbox 1.8). */
      readonly marked?: boolean;
      /** True when the subject was set as asked (`subject` of the request). */
      readonly subjectSet?: boolean;
    }
  | { readonly kind: "new-message-opened" }
  | {
      readonly kind: "draft-created";
      readonly draftId: string;
      readonly opened: boolean;
      readonly where: string;
    }
  | {
      readonly kind: "demo";
      readonly to: readonly string[];
      readonly subject: string;
      readonly html: string;
    };

/** A new message (not a reply) the user reviews and sends themselves. */
export interface NewMessageRequest {
  readonly to: readonly { readonly address: string; readonly name: string }[];
  readonly subject: string;
  readonly html: string;
}

/** What to put into a reply. */
export interface InsertRequest {
  readonly conversationId: string;
  readonly replyToMessageId: string;
  readonly html: string;
  /** The technique of the message: marks it (a header) where the platform allows. */
  readonly technique?: Technique;
  /** In compose mode, a subject to set (only when the user agreed to replace theirs). */
  readonly subject?: string;
  /** The template's subject, for a reply Rekindle creates through Graph (which can set it, unlike a reply form). */
  readonly draftSubject?: string;
}

/** The Outlook host; the only place Office.js is touched (src/office), or a fake in tests and demo mode. */
export interface MailHost {
  openItem(): OpenItem;
  theme(): HostTheme;
  /** The user's IANA time zone ("Europe/Berlin"): every date the pane shows and the engine's days use it. */
  timeZone(): string;
  /** The user's locale ("de-DE") for dates. */
  locale(): string;
  onThemeChanged(listener: (theme: HostTheme) => void): () => void;
  /** Another item was selected while the pane is pinned (openItem() tells which); returns an unsubscribe. */
  onItemChanged(listener: () => void): () => void;
  /** Places html into a reply for the conversation, never overwriting the user's text, never sending. */
  insertReply(request: InsertRequest): Promise<InsertOutcome>;
  /** Opens a new message form with html (never sends); demo hosts return what would be created. */
  openNewMessage(request: NewMessageRequest): Promise<InsertOutcome>;
}
