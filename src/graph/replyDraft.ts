// A reply-all draft for a conversation that is not open in Outlook: Graph createReplyAll with our HTML as the
// `comment`, which Graph puts above the quoted thread (a PATCH of `body` would replace the history). It is only
// saved in Drafts, never sent. Needs Mail.ReadWrite, which the pane asks for at this moment only.
import type { GraphConnection } from "./graphClient";
import { toGraphSyncError } from "./graphErrors";

/** The created draft, as Graph returned it. */
export interface ReplyDraft {
  readonly id: string;
  readonly webLink: string | null;
}

/** POST /me/messages/{id}/createReplyAll {comment}; returns the draft's id. */
export async function createReplyAllDraft(
  connection: GraphConnection,
  replyToMessageId: string,
  html: string,
): Promise<ReplyDraft> {
  if (!replyToMessageId) throw new Error("No message to reply to in this conversation.");
  let response: unknown;
  try {
    response = await connection.client
      .api(`/me/messages/${encodeURIComponent(replyToMessageId)}/createReplyAll`)
      .post({ comment: html });
  } catch (error) {
    throw toGraphSyncError(error, "creating the reply draft");
  }
  const draft = (response ?? {}) as Record<string, unknown>;
  if (typeof draft.id !== "string" || !draft.id) {
    throw new Error("Graph created no draft (its answer had no message id).");
  }
  return { id: draft.id, webLink: typeof draft.webLink === "string" ? draft.webLink : null };
}
