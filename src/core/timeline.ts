import { isMyMessage, myAddressesOf } from "./awaitingReply";
import { detectAutomatedMail, type AutomatedKind } from "./automatedMail";
import type { Instant, Mailbox } from "./message";
import { singleLine } from "./plainText";

/** One message of a thread as the detail panel shows it: who wrote, when, and a one-line preview (plain text). */
export interface TimelineEntry {
  readonly messageId: string;
  readonly at: Instant;
  /** "mine" for my attempts, "theirs" for everyone else's messages. */
  readonly direction: "mine" | "theirs";
  /** The sender's display name, or address when the name is empty. Untrusted text. */
  readonly who: string;
  readonly subject: string;
  readonly preview: string;
  /** Auto-replies, receipts and bounces are shown but marked. */
  readonly automated: AutomatedKind | null;
}

/** The messages of one conversation, oldest first, each marked as mine or theirs; the same item counts once. */
export function conversationTimeline(
  mailbox: Mailbox,
  conversationId: string,
  myExtraAddresses: readonly string[] = [],
): TimelineEntry[] {
  const me = myAddressesOf(mailbox.me, myExtraAddresses);
  const seen = new Set<string>();
  const out: TimelineEntry[] = [];
  for (const m of mailbox.messages) {
    if (m.conversationId !== conversationId || seen.has(m.id)) continue;
    seen.add(m.id);
    const mine = isMyMessage(m, me);
    out.push({
      messageId: m.id,
      at: mine ? m.sentAt : m.receivedAt,
      direction: mine ? "mine" : "theirs",
      who: mine ? "You" : singleLine(m.from?.name || m.from?.address || "unknown sender"),
      subject: singleLine(m.subject),
      preview: singleLine(m.preview),
      automated: detectAutomatedMail(m),
    });
  }
  return out.sort((a, b) => a.at - b.at || (a.messageId < b.messageId ? -1 : 1));
}
