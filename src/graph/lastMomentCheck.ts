// The last-moment check: right before a follow-up is drafted, look each conversation up across the whole mailbox
// (not only the synced folders), so an answer an Inbox rule filed into a subfolder, or one already archived, stops
// Rekindle from chasing someone who has replied. One JSON $batch carries the lookups (20 requests at most per
// batch, Graph's limit) together with the well-known folders' ids; the names of other folders the answers sit in
// come in one more batch. Graph's own filter is used: `conversationId eq '…'` on /me/messages, without $orderby
// (Graph refuses $orderby on a property that is not also in the $filter), so the answers are sorted here.
import type { Address, Folder, Instant, MailMessage } from "../core/message";
import type { GraphConnection } from "./graphClient";
import { GraphSyncError, toGraphSyncError } from "./graphErrors";
import { graphErrorOf } from "./graphRead";
import { AddressBook, mapGraphMessage } from "./mapMessage";
import { SYNC_EXPAND, SYNC_FIELDS } from "./mailSync";

/** One conversation to check: answers received after `after` (my last message in it) count. */
export interface ConversationToCheck {
  readonly conversationId: string;
  readonly after: Instant;
}

/** An answer found by the check. */
export interface NewerAnswer {
  readonly conversationId: string;
  /** The message as the engine sees it (its folder: a synced one, or `folder:<id>` for any other). */
  readonly message: MailMessage;
  readonly from: Address | null;
  readonly receivedAt: Instant;
  /** The Graph id and display name of the folder it is in, e.g. "Projects" or "Archive". */
  readonly folderId: string;
  readonly folderName: string;
}

export interface LastMomentCheckOptions {
  readonly connection: GraphConnection;
  readonly conversations: readonly ConversationToCheck[];
  /**
   * Whether a message counts as a human answer; the caller decides with the core engine, e.g.
   * `(m) => !isMyMessage(m, mine) && detectAutomatedMail(m) === null`.
   */
  readonly isAnswer: (message: MailMessage) => boolean;
  /** Rounds of resending the lookups Graph throttled inside a batch (default 8). */
  readonly maxRounds?: number;
  /**
   * Sends the lookups in $batch requests and answers each by id; by default here, batch after batch. The batch
   * clean-up passes its own (batchRequests.ts: sequential batches, 4 in flight).
   */
  readonly sendBatches?: (requests: readonly BatchRequest[]) => Promise<Map<string, BatchAnswer>>;
}

/** Graph's limit of requests in one JSON batch. */
export const GRAPH_BATCH_LIMIT = 20;
const WELL_KNOWN: readonly Folder[] = ["sentitems", "inbox", "archive"];

export interface BatchRequest {
  readonly id: string;
  readonly method: "GET";
  readonly url: string;
  readonly headers?: Record<string, string>;
}
export interface BatchAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/** The $filter for one conversation (quotes doubled, as OData wants them). */
export function conversationFilter(conversationId: string): string {
  return `conversationId eq '${conversationId.replace(/'/g, "''")}'`;
}

/**
 * Looks up every conversation across the mailbox and returns, per conversation id, the human answers received
 * after its `after`, newest first (conversations without one are left out).
 */
export async function findNewerAnswers(options: LastMomentCheckOptions): Promise<Map<string, NewerAnswer[]>> {
  const { connection, isAnswer } = options;
  const found = new Map<string, NewerAnswer[]>();
  const wanted = new Map<string, Instant>();
  for (const c of options.conversations) {
    if (typeof c.conversationId !== "string" || c.conversationId === "")
      throw new RangeError("a conversation id to check must not be empty");
    const previous = wanted.get(c.conversationId);
    wanted.set(c.conversationId, previous === undefined ? c.after : (Math.min(previous, c.after) as Instant));
  }
  if (wanted.size === 0) return found;

  const select = [...SYNC_FIELDS, "parentFolderId"].join(",");
  const requests: BatchRequest[] = WELL_KNOWN.map((folder) => ({
    id: `folder:${folder}`,
    method: "GET",
    url: `/me/mailFolders/${folder}?$select=id,displayName`,
  }));
  const ids = [...wanted.keys()];
  ids.forEach((conversationId, i) =>
    requests.push({
      id: `c${i}`,
      method: "GET",
      url:
        `/me/messages?$filter=${encodeURIComponent(conversationFilter(conversationId))}` +
        `&$select=${select}&$expand=${encodeURIComponent(SYNC_EXPAND)}&$top=1000`,
      headers: { Prefer: 'IdType="ImmutableId"' },
    }),
  );
  const send =
    options.sendBatches ??
    ((batch: readonly BatchRequest[]) => runBatches(connection, batch, options.maxRounds ?? 8));
  const answers = await send(requests);

  // Folder ids to names, and the well-known ones to the engine's folders (Sent Items makes a message mine).
  const folderNames = new Map<string, string>();
  const engineFolder = new Map<string, Folder>();
  for (const folder of WELL_KNOWN) {
    const answer = answers.get(`folder:${folder}`);
    if (answer?.status === 404) continue; // a mailbox without that folder
    const body = okBody(answer, `reading the ${folder} folder`) as { id?: unknown; displayName?: unknown };
    if (typeof body.id === "string") {
      engineFolder.set(body.id, folder);
      folderNames.set(body.id, typeof body.displayName === "string" ? body.displayName : folder);
    }
  }
  const raws: { conversationId: string; raw: Record<string, unknown> }[] = [];
  ids.forEach((conversationId, i) => {
    const body = okBody(answers.get(`c${i}`), `looking up conversation ${conversationId}`) as {
      value?: unknown;
    };
    for (const raw of Array.isArray(body.value) ? body.value : [])
      if (raw !== null && typeof raw === "object")
        raws.push({ conversationId, raw: raw as Record<string, unknown> });
  });
  const unknownFolders = [
    ...new Set(
      raws
        .map(({ raw }) => raw.parentFolderId)
        .filter((id): id is string => typeof id === "string" && id !== "" && !folderNames.has(id)),
    ),
  ];
  if (unknownFolders.length > 0) {
    const folderAnswers = await send(
      unknownFolders.map((id, i) => ({
        id: `f${i}`,
        method: "GET",
        url: `/me/mailFolders/${encodeURIComponent(id)}?$select=id,displayName`,
      })),
    );
    unknownFolders.forEach((id, i) => {
      const answer = folderAnswers.get(`f${i}`);
      const name = (answer && answer.status < 300 ? (answer.body as { displayName?: unknown }) : {})
        .displayName;
      folderNames.set(id, typeof name === "string" ? name : "another folder");
    });
  }

  const book = new AddressBook();
  for (const { conversationId, raw } of raws) {
    const folderId = typeof raw.parentFolderId === "string" ? raw.parentFolderId : "";
    const folder: Folder = engineFolder.get(folderId) ?? `folder:${folderId}`;
    const mapped = mapGraphMessage(raw, folder, book);
    if (!("message" in mapped)) continue;
    const message = mapped.message;
    // Graph matched the filter; a message of another conversation would be a server bug, not an answer.
    if (message.conversationId !== conversationId) continue;
    if (!(message.receivedAt > (wanted.get(conversationId) as Instant)) || !isAnswer(message)) continue;
    const list = found.get(conversationId) ?? [];
    list.push({
      conversationId,
      message,
      from: message.from,
      receivedAt: message.receivedAt,
      folderId,
      folderName: folderNames.get(folderId) ?? "another folder",
    });
    found.set(conversationId, list);
  }
  for (const list of found.values()) list.sort((a, b) => b.receivedAt - a.receivedAt);
  return found;
}

/** The body of a 2xx batch answer, or the Graph error it carries. */
function okBody(answer: BatchAnswer | undefined, what: string): unknown {
  if (!answer)
    throw new GraphSyncError("graph", `Graph's $batch answer left out ${what}`, 200, null, null, null);
  if (answer.status >= 300) {
    throw toGraphSyncError(graphErrorOf(answer.status, answer.body, new Headers(answer.headers)), what);
  }
  return answer.body ?? {};
}

/**
 * Sends requests in $batch requests of at most 20, resending those Graph throttled inside a batch (429, or
 * 503/504) after their Retry-After, up to maxRounds rounds; returns each request's answer by id.
 */
async function runBatches(
  connection: GraphConnection,
  requests: readonly BatchRequest[],
  maxRounds: number,
): Promise<Map<string, BatchAnswer>> {
  const answers = new Map<string, BatchAnswer>();
  let pending = [...requests];
  for (let round = 1; pending.length > 0; round++) {
    let waitMs = 0;
    const retry: BatchRequest[] = [];
    for (let i = 0; i < pending.length; i += GRAPH_BATCH_LIMIT) {
      const chunk = pending.slice(i, i + GRAPH_BATCH_LIMIT);
      let body: unknown;
      try {
        body = await connection.client.api("/$batch").post({ requests: chunk });
      } catch (error) {
        throw toGraphSyncError(error, "checking for answers ($batch)");
      }
      const responses = (body as { responses?: unknown })?.responses;
      if (!Array.isArray(responses))
        throw new GraphSyncError("graph", "Graph's $batch answer had no responses", 200, null, null, null);
      for (const r of responses as { id?: unknown; status?: unknown; body?: unknown; headers?: unknown }[]) {
        const request = chunk.find((q) => q.id === String(r?.id));
        if (!request) continue;
        const status = typeof r.status === "number" ? r.status : 500;
        const headers = (r.headers && typeof r.headers === "object" ? r.headers : {}) as Record<
          string,
          string
        >;
        if ((status === 429 || status === 503 || status === 504) && round < maxRounds) {
          retry.push(request);
          const after = Number(Object.entries(headers).find(([k]) => k.toLowerCase() === "retry-after")?.[1]);
          waitMs = Math.max(waitMs, Number.isFinite(after) ? after * 1000 : 1000);
        } else answers.set(request.id, { status, body: r.body, headers });
      }
    }
    pending = retry;
    if (pending.length > 0 && waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  return answers;
}
