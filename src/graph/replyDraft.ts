// A reply-all draft for a conversation that is not open in Outlook: Graph createReplyAll with our HTML as the
// `comment`, which Graph puts above the quoted thread (a PATCH of `body` would replace the history). It is only
// saved in Drafts, never sent. Needs Mail.ReadWrite, which the pane asks for at this moment only.
// With `marks`, the draft also gets the technique's subject and our x-rekindle-technique header (as its
// PS_INTERNET_HEADERS named property) in the same request: batchDrafts.ts explains why that way, with the doc pages.
import type { Technique } from "../core/technique";
import type { GraphConnection } from "./graphClient";
import { toGraphSyncError } from "./graphErrors";
import { TECHNIQUE_PROPERTY } from "./mapMessage";

/** The created draft, as Graph returned it. */
export interface ReplyDraft {
  readonly id: string;
  readonly webLink: string | null;
}

/** What the draft carries besides the HTML: the subject the prospect sees, and the technique it used. */
export interface DraftMarks {
  readonly subject?: string;
  readonly technique?: Technique;
}

/** POST /me/messages/{id}/createReplyAll {comment[, message]}; returns the draft's id. */
export async function createReplyAllDraft(
  connection: GraphConnection,
  replyToMessageId: string,
  html: string,
  marks: DraftMarks = {},
): Promise<ReplyDraft> {
  if (!replyToMessageId) throw new Error("No message to reply to in this conversation.");
  const message =
    marks.subject !== undefined || marks.technique !== undefined
      ? {
          ...(marks.subject !== undefined ? { subject: marks.subject } : {}),
          ...(marks.technique !== undefined
            ? { singleValueExtendedProperties: [{ id: TECHNIQUE_PROPERTY, value: marks.technique }] }
            : {}),
        }
      : null;
  let response: unknown;
  try {
    response = await connection.client
      .api(`/me/messages/${encodeURIComponent(replyToMessageId)}/createReplyAll`)
      .post({ comment: html, ...(message ? { message } : {}) });
  } catch (error) {
    throw toGraphSyncError(error, "creating the reply draft");
  }
  const draft = (response ?? {}) as Record<string, unknown>;
  if (typeof draft.id !== "string" || !draft.id) {
    throw new Error("Graph created no draft (its answer had no message id).");
  }
  return { id: draft.id, webLink: typeof draft.webLink === "string" ? draft.webLink : null };
}
