// Demo mode (development builds, an ordinary browser, no Office host): the pane runs against the emulator's demo
// mailbox and "insert" shows the reply that would be created instead of touching any mailbox.
import { normaliseAddress } from "../core/addresses";
import type { Mailbox, MailMessage } from "../core/message";
import type { NewMessageRequest } from "../office/mailHost";
import { browserLocale, browserTimeZone } from "../office/userTimeZone";
import type { HostTheme, InsertOutcome, MailHost, OpenItem } from "./services";

/** The reply-all a draft would carry: everyone on the message except me, and an "RE:" subject. */
export function replyAllPreview(message: MailMessage, mailbox: Mailbox): { to: string[]; subject: string } {
  const me = new Set(
    [
      mailbox.me.mail,
      mailbox.me.userPrincipalName,
      ...(mailbox.me.proxyAddresses ?? []).map((p) => p.replace(/^smtp:/i, "")),
    ]
      .map((a) => normaliseAddress(a ?? ""))
      .filter(Boolean),
  );
  const people = [...(message.from ? [message.from] : []), ...message.to, ...message.cc];
  const to: string[] = [];
  for (const p of people) {
    if (!me.has(p.address) && !to.includes(p.address)) to.push(p.address);
  }
  const subject = /^re:/i.test(message.subject.trim())
    ? message.subject.trim()
    : `RE: ${message.subject.trim()}`;
  return { to, subject };
}

const prefersDark = (): boolean =>
  typeof window !== "undefined" && typeof window.matchMedia === "function"
    ? window.matchMedia("(prefers-color-scheme: dark)").matches
    : false;

/** The host in demo mode: nothing is open, the theme follows the browser, insert only previews. */
export class DemoHost implements MailHost {
  constructor(private readonly currentMailbox: () => Mailbox | null) {}

  openItem(): OpenItem {
    return null;
  }

  theme(): HostTheme {
    return { isDark: prefersDark() };
  }

  timeZone(): string {
    return browserTimeZone();
  }

  locale(): string {
    return browserLocale();
  }

  async openNewMessage(request: NewMessageRequest): Promise<InsertOutcome> {
    return {
      kind: "demo",
      to: request.to.map((p) => p.address),
      subject: request.subject,
      html: request.html,
    };
  }

  onThemeChanged(listener: (theme: HostTheme) => void): () => void {
    if (typeof window === "undefined" || typeof window.matchMedia !== "function") return () => {};
    const query = window.matchMedia("(prefers-color-scheme: dark)");
    const onChange = (): void => listener({ isDark: query.matches });
    query.addEventListener("change", onChange);
    return () => query.removeEventListener("change", onChange);
  }

  onItemChanged(): () => void {
    return () => {}; // nothing is ever open in demo mode
  }

  async insertReply(request: {
    readonly conversationId: string;
    readonly replyToMessageId: string;
    readonly html: string;
  }): Promise<InsertOutcome> {
    const mailbox = this.currentMailbox();
    const message = mailbox?.messages.find((m) => m.id === request.replyToMessageId);
    if (!mailbox || !message) {
      throw new Error("The demo mailbox does not have that message any more; refresh and try again.");
    }
    return { kind: "demo", ...replyAllPreview(message, mailbox), html: request.html };
  }
}
