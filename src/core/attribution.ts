// Which technique a message Rekindle made used. The message itself carries it in a custom internet header where the
// platform allows (a Graph draft at creation, compose mode through Office.js); every message Rekindle creates or
// inserts is also recorded locally as a "sent" user-state entry (see userStateEntries.ts).

/** The internet message header Rekindle writes on the messages it creates. Custom headers must start with "x-". */
export const TECHNIQUE_HEADER = "x-rekindle-technique";

/** How the message left Rekindle: a Graph draft, an Office.js compose body, or a reply form that cannot be marked. */
export const SENT_PATHS = ["graph-draft", "compose", "reply-form"] as const;
export type SentPath = (typeof SENT_PATHS)[number];

/** Where a path cannot mark the message, the next message I send in the conversation within this long is its own. */
export const UNMARKED_ATTRIBUTION_MS = 7 * 24 * 60 * 60 * 1000;
