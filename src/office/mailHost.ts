// What the task pane needs from Outlook: what is open, its theme, and putting a message into a reply.
// OutlookHost implements it on Office.js; the demo and the tests have their own hosts.

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
  | { readonly kind: "inserted-at-cursor" }
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

/** The Outlook host; the only place Office.js is touched (src/office), or a fake in tests and demo mode. */
export interface MailHost {
  openItem(): OpenItem;
  theme(): HostTheme;
  onThemeChanged(listener: (theme: HostTheme) => void): () => void;
  /** Another item was selected while the pane is pinned (openItem() tells which); returns an unsubscribe. */
  onItemChanged(listener: () => void): () => void;
  /** Places html into a reply for the conversation, never overwriting the user's text, never sending. */
  insertReply(request: {
    readonly conversationId: string;
    readonly replyToMessageId: string;
    readonly html: string;
  }): Promise<InsertOutcome>;
}
