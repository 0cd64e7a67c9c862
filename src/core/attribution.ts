// Which technique a message Rekindle made used. The message itself carries it in a custom internet header where the
// platform allows (a Graph draft at creation, compose mode through Office.js); every message Rekindle creates or
// inserts is also recorded locally as a "sent" user-state entry (see userStateEntries.ts).
import type { Instant } from "./message";
import type { Technique } from "./technique";
import type { SentRecord } from "./userStateEntries";

/** The internet message header Rekindle writes on the messages it creates. Custom headers must start with "x-". */
export const TECHNIQUE_HEADER = "x-rekindle-technique";

/** How the message left Rekindle: a Graph draft, an Office.js compose body, or a reply form that cannot be marked. */
export const SENT_PATHS = ["graph-draft", "compose", "reply-form"] as const;
export type SentPath = (typeof SENT_PATHS)[number];

/** Where a path cannot mark the message, the next message I send in the conversation within this long is its own. */
export const UNMARKED_ATTRIBUTION_MS = 7 * 24 * 60 * 60 * 1000;

/** A message of mine, as attribution needs it. */
export interface MyMessage {
  readonly id: string;
  readonly conversationId: string;
  readonly sentAt: Instant;
  readonly technique?: Technique;
}

/** Which technique a message of mine used, and how Rekindle knows. */
export interface Attribution {
  readonly technique: Technique;
  /** "header": the message carries x-rekindle-technique; "record": the next message after a "sent" record. */
  readonly via: "header" | "record";
  /** The "sent" record that goes with the message (whether the template was edited), when one does. */
  readonly record: SentRecord | null;
}

/**
 * Attributes my messages to techniques. A message carrying our header is that technique's. Each "sent" record
 * then claims the first message I sent in its conversation within UNMARKED_ATTRIBUTION_MS after it that no earlier
 * record claimed: that is how a reply form (which cannot be marked) or an unmarked compose is recognised. A marked
 * message keeps its header's technique; the record adds whether it was edited.
 */
export function attributeMessages(
  mine: readonly MyMessage[],
  records: readonly SentRecord[],
): Map<string, Attribution> {
  const out = new Map<string, Attribution>();
  const byConversation = new Map<string, MyMessage[]>();
  for (const m of mine) {
    if (m.technique !== undefined) out.set(m.id, { technique: m.technique, via: "header", record: null });
    let list = byConversation.get(m.conversationId);
    if (!list) byConversation.set(m.conversationId, (list = []));
    list.push(m);
  }
  for (const list of byConversation.values()) list.sort((a, b) => a.sentAt - b.sentAt || cmp(a.id, b.id));
  const claimed = new Set<string>();
  const ordered = [...records].sort((a, b) => a.at - b.at || cmp(a.id, b.id));
  for (const record of ordered) {
    const list = byConversation.get(record.conversationId) ?? [];
    const next = list.find(
      (m) => !claimed.has(m.id) && m.sentAt >= record.at && m.sentAt <= record.at + UNMARKED_ATTRIBUTION_MS,
    );
    if (!next) continue;
    claimed.add(next.id);
    const marked = out.get(next.id);
    out.set(next.id, marked ? { ...marked, record } : { technique: record.technique, via: "record", record });
  }
  return out;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
