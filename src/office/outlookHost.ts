// MailHost on Office.js: what is open in Outlook, its theme, the user's time zone and locale, putting a message
// into a reply and opening a new one. It never sends and never overwrites what the user wrote.
import { htmlToText } from "./htmlText";
import { TECHNIQUE_HEADER } from "../core/attribution";
import type { Technique } from "../core/technique";
import type {
  HostTheme,
  InsertOutcome,
  InsertRequest,
  MailHost,
  NewMessageRequest,
  OpenItem,
} from "./mailHost";
import { isSetSupported, officeAsync, type OfficeLike, type OfficeThemeLike } from "./officeApi";
import { browserLocale, ianaTimeZoneOf, knownLocale } from "./userTimeZone";

/** Office.js limits displayReplyAllForm's htmlBody to 32 KB. */
export const REPLY_FORM_LIMIT_BYTES = 32 * 1024;
const REST_V2 = "v2.0";
const THEME_CHANGED = "officeThemeChanged";
/** Office.EventType.ItemChanged (Mailbox 1.5): another item selected while the pane is pinned. */
const ITEM_CHANGED = "olkItemSelectedChanged";

/** Creates a reply-all draft through Graph (src/graph/replyDraft.ts) and returns its id. */
export type CreateReplyDraft = (
  replyToMessageId: string,
  html: string,
  /** What a Graph draft can carry that a reply form cannot: the template's subject and the technique's mark. */
  marks: { readonly subject?: string; readonly technique?: Technique },
) => Promise<{ readonly id: string }>;

/** A message that does not fit Outlook's reply form. */
export class ReplyTooLongError extends Error {
  constructor(readonly bytes: number) {
    super(
      `The message is ${Math.ceil(bytes / 1024)} KB, but Outlook's reply form takes at most 32 KB. ` +
        `Shorten the message and insert it again.`,
    );
    this.name = "ReplyTooLongError";
  }
}

/** Dark when the body background is dark: Outlook has no isDarkTheme, only colours. */
export function themeFrom(theme: OfficeThemeLike | undefined): HostTheme {
  const background = theme?.bodyBackgroundColor;
  const rgb = /^#?([0-9a-f]{6})$/i.exec(background ?? "");
  if (!rgb) return { isDark: false };
  const n = parseInt(rgb[1]!, 16);
  const [r, g, b] = [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  return {
    isDark: luminance < 0.5,
    bodyBackgroundColor: background!,
    ...(theme?.bodyForegroundColor ? { bodyForegroundColor: theme.bodyForegroundColor } : {}),
  };
}

export class OutlookHost implements MailHost {
  constructor(
    private readonly office: OfficeLike,
    private readonly createReplyDraft: CreateReplyDraft,
    /** HTML to plain text for a plain-text compose body; the browser's parser unless the composition root gives another. */
    private readonly toText: (html: string) => string = htmlToText,
  ) {}

  private get mailbox() {
    return this.office.context.mailbox;
  }

  openItem(): OpenItem {
    const item = this.mailbox?.item;
    if (!item) return null;
    if (item.itemType !== undefined && item.itemType !== "message") return null;
    if (typeof item.itemId === "string" && item.itemId) {
      return { mode: "read", itemId: this.restId(item.itemId), conversationId: item.conversationId ?? "" };
    }
    if (item.body) return { mode: "compose", conversationId: item.conversationId || null };
    return null;
  }

  theme(): HostTheme {
    return themeFrom(this.office.context.officeTheme);
  }

  timeZone(): string {
    return ianaTimeZoneOf(this.mailbox?.userProfile?.timeZone);
  }

  locale(): string {
    return knownLocale(this.office.context.displayLanguage) ?? browserLocale();
  }

  async openNewMessage(request: NewMessageRequest): Promise<InsertOutcome> {
    const mailbox = this.mailbox;
    if (!mailbox?.displayNewMessageForm) {
      throw new Error("This version of Outlook cannot open a new message from an add-in.");
    }
    const bytes = new TextEncoder().encode(request.html).length;
    if (bytes > REPLY_FORM_LIMIT_BYTES) throw new ReplyTooLongError(bytes);
    mailbox.displayNewMessageForm({
      toRecipients: request.to.map((p) => ({ emailAddress: p.address, displayName: p.name || p.address })),
      subject: request.subject,
      htmlBody: request.html,
    });
    return { kind: "new-message-opened" };
  }

  onThemeChanged(listener: (theme: HostTheme) => void): () => void {
    const mailbox = this.mailbox;
    if (!mailbox?.addHandlerAsync || !isSetSupported(this.office, "Mailbox", "1.14")) return () => {};
    mailbox.addHandlerAsync(THEME_CHANGED, (args) => listener(themeFrom(args.officeTheme)));
    return () => mailbox.removeHandlerAsync?.(THEME_CHANGED);
  }

  onItemChanged(listener: () => void): () => void {
    const mailbox = this.mailbox;
    if (!mailbox?.addHandlerAsync || !isSetSupported(this.office, "Mailbox", "1.5")) return () => {};
    mailbox.addHandlerAsync(ITEM_CHANGED, () => listener());
    return () => mailbox.removeHandlerAsync?.(ITEM_CHANGED);
  }

  async insertReply(request: InsertRequest): Promise<InsertOutcome> {
    const open = this.openItem();
    const item = this.mailbox?.item;
    if (open?.mode === "compose" && item?.body) {
      await this.insertAtCursor(request.html);
      const marked = request.technique ? await this.markTechnique(request.technique) : false;
      const subjectSet = request.subject !== undefined ? await this.setSubject(request.subject) : false;
      return { kind: "inserted-at-cursor", marked, subjectSet };
    }
    if (open?.mode === "read" && item && open.conversationId === request.conversationId) {
      const bytes = new TextEncoder().encode(request.html).length;
      if (bytes > REPLY_FORM_LIMIT_BYTES) throw new ReplyTooLongError(bytes);
      if (item.displayReplyAllFormAsync && isSetSupported(this.office, "Mailbox", "1.9")) {
        await officeAsync<void>((cb) => item.displayReplyAllFormAsync!({ htmlBody: request.html }, cb));
      } else if (item.displayReplyAllForm) {
        item.displayReplyAllForm({ htmlBody: request.html });
      } else {
        throw new Error("This version of Outlook cannot open a reply form from an add-in.");
      }
      return { kind: "reply-form-opened" };
    }
    const draft = await this.createReplyDraft(request.replyToMessageId, request.html, {
      ...(request.draftSubject ? { subject: request.draftSubject } : {}),
      ...(request.technique ? { technique: request.technique } : {}),
    });
    return {
      kind: "draft-created",
      draftId: draft.id,
      opened: this.openDraft(draft.id),
      where: "Drafts folder",
    };
  }

  /** Inserts at the cursor (setSelectedDataAsync replaces only the selection, which is empty at a caret). */
  private async insertAtCursor(html: string): Promise<void> {
    const body = this.mailbox!.item!.body!;
    const type = body.getTypeAsync ? await officeAsync<string>((cb) => body.getTypeAsync!(cb)) : "html";
    if (type === "html") {
      await officeAsync<void>((cb) => body.setSelectedDataAsync(html, { coercionType: "html" }, cb));
    } else {
      await officeAsync<void>((cb) =>
        body.setSelectedDataAsync(this.toText(html), { coercionType: "text" }, cb),
      );
    }
  }

  /**
   * Marks the message being composed with the technique, as a custom internet header: "custom internet headers
   * that are preserved after the message item leaves Exchange" (Office.InternetHeaders.setAsync, Mailbox 1.8,
   * compose mode: https://learn.microsoft.com/javascript/api/outlook/office.internetheaders and
   * https://learn.microsoft.com/office/dev/add-ins/outlook/internet-headers). The sent copy then says which
   * technique it used on any device. False where the host cannot (older Outlook) or the call failed: the pane's
   * own "sent" record still attributes the next message sent in the conversation.
   */
  private async markTechnique(technique: string): Promise<boolean> {
    const headers = this.mailbox?.item?.internetHeaders;
    if (!headers || !isSetSupported(this.office, "Mailbox", "1.8")) return false;
    try {
      await officeAsync<void>((cb) => headers.setAsync({ [TECHNIQUE_HEADER]: technique }, cb));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Sets the subject of the message being composed (Office.Subject.setAsync, Mailbox 1.1, compose mode only; it
   * "overwrites the current subject, but leaves any prefixes, such as "Fwd:" or "Re:" in place":
   * https://learn.microsoft.com/javascript/api/outlook/office.subject). False where it cannot.
   */
  private async setSubject(subject: string): Promise<boolean> {
    const field = this.mailbox?.item?.subject;
    if (!field || typeof field === "string") return false;
    try {
      await officeAsync<void>((cb) => field.setAsync(subject, cb));
      return true;
    } catch {
      return false;
    }
  }

  /** Opens a Graph draft in Outlook when the client can (Mailbox 1.3 convertToEwsId); false otherwise. */
  private openDraft(graphId: string): boolean {
    const mailbox = this.mailbox;
    if (
      !mailbox?.convertToEwsId ||
      !mailbox.displayMessageForm ||
      !isSetSupported(this.office, "Mailbox", "1.3")
    ) {
      return false;
    }
    try {
      mailbox.displayMessageForm(mailbox.convertToEwsId(graphId, REST_V2));
      return true;
    } catch {
      return false;
    }
  }

  /** Office gives EWS ids in read mode; Graph (and our cache) use REST ids. */
  private restId(ewsId: string): string {
    const mailbox = this.mailbox;
    if (!mailbox?.convertToRestId || !isSetSupported(this.office, "Mailbox", "1.3")) return ewsId;
    try {
      return mailbox.convertToRestId(ewsId, REST_V2);
    } catch {
      return ewsId;
    }
  }
}

export { htmlToText };
