// The mailbox's messages by conversation, for the detail (which reads only its own conversation's). Indexing
// 100,000 messages at once is a task of a couple of hundred milliseconds on the pane's thread, just when a sync has
// brought the mailbox and the list wants to paint: so the index is built in slices between frames, and until it is
// complete a conversation's messages are found by one pass over the mailbox (a few milliseconds).
import { useEffect, useMemo, useState } from "react";
import type { MailMessage, Mailbox } from "../../core/message";

/** Messages indexed per slice; each slice is a short task of its own. */
export const INDEX_SLICE = 10_000;

/** The messages of one conversation, in mailbox order. */
export type MessagesOf = (conversationId: string) => readonly MailMessage[];

/** Indexes `messages[from, to)` into `index`. */
export function indexSlice(
  index: Map<string, MailMessage[]>,
  messages: readonly MailMessage[],
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const m = messages[i] as MailMessage;
    const list = index.get(m.conversationId);
    if (list) list.push(m);
    else index.set(m.conversationId, [m]);
  }
}

/** One pass over the mailbox for one conversation (while its index is not complete). */
export function scanFor(messages: readonly MailMessage[], conversationId: string): MailMessage[] {
  return messages.filter((m) => m.conversationId === conversationId);
}

/** Lets the browser paint and handle input between two slices. */
function nextSlot(run: () => void): () => void {
  const timer = setTimeout(run, 0);
  return () => clearTimeout(timer);
}

/** MessagesOf for `mailbox`: scanning at first, the index once it is built. */
export function useConversationIndex(mailbox: Mailbox | null, slice = INDEX_SLICE): MessagesOf {
  const [built, setBuilt] = useState<{ mailbox: Mailbox; index: Map<string, MailMessage[]> } | null>(null);
  useEffect(() => {
    if (!mailbox) return;
    const messages = mailbox.messages;
    const index = new Map<string, MailMessage[]>();
    let at = 0;
    let cancel = (): void => undefined;
    const step = () => {
      const to = Math.min(messages.length, at + slice);
      indexSlice(index, messages, at, to);
      at = to;
      if (at < messages.length) cancel = nextSlot(step);
      else setBuilt({ mailbox, index });
    };
    cancel = nextSlot(step);
    return () => cancel();
  }, [mailbox, slice]);
  const index = built !== null && built.mailbox === mailbox ? built.index : null;
  return useMemo<MessagesOf>(() => {
    if (index) return (id) => index.get(id) ?? [];
    const messages = mailbox?.messages ?? [];
    return (id) => scanFor(messages, id);
  }, [mailbox, index]);
}
