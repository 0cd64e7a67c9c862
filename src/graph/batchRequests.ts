// JSON $batch requests for many mailbox operations at once, within Graph's limits: at most 20 requests per batch
// (https://learn.microsoft.com/graph/json-batching, "Batch size limitations") and at most 4 batches in flight, since
// Outlook allows 4 concurrent requests per app and mailbox (https://learn.microsoft.com/graph/throttling-limits,
// Outlook service limits). Each batch is fully sequential (every request `dependsOn` the one before), so it holds one
// of those 4 slots instead of racing its own 20 requests against them and getting most back as 429. "If an
// individual request fails, any request that depends on that request fails with status code 424": those are sent
// again in the next round, as are the ones Graph throttled inside the batch (429, 503, 504), after the longest
// Retry-After the round's items asked for.
import { RetryHandlerOptions } from "@microsoft/microsoft-graph-client";
import type { GraphConnection } from "./graphClient";
import { GRAPH_MAX_CONCURRENT } from "./graphClient";
import { toGraphSyncError } from "./graphErrors";

/** Graph's limit of requests in one JSON batch. */
export const BATCH_SIZE = 20;

export interface BatchRequest {
  readonly id: string;
  readonly method: "GET" | "POST" | "PATCH";
  /** Relative to the version, e.g. /me/messages/{id}/createReplyAll */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/**
 * One request's answer. Status 0: no answer came for it (the batch broke on the way, or was never sent because
 * the run was stopped); a POST with status 0 may or may not have run.
 */
export interface BatchAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

export interface BatchRunOptions {
  /** Batches in flight at once (default 4, Graph's mailbox concurrency). */
  readonly maxInFlight?: number;
  /** Rounds of resending what Graph throttled or refused for a failed dependency (default 8). */
  readonly maxRounds?: number;
  /** Sleeps between rounds; tests and the bench pass their own. */
  readonly wait?: (ms: number) => Promise<void>;
  /** Called with each request's final answer as it arrives. */
  readonly onAnswer?: (id: string, answer: BatchAnswer) => void;
  /** Once aborted, no further batch is sent; the requests not sent get status 0. */
  readonly signal?: AbortSignal;
  /** For messages, e.g. "creating drafts". */
  readonly what: string;
  /**
   * For requests that must not run twice (createReplyAll): only what Graph certainly did not run is sent again
   * (429, and 424 after a failed dependency); a 503 or 504 is answered as it came, and a batch whose answer never
   * came, or came as an error, is not resent by the SDK either: its requests get status 0, "may have run".
   */
  readonly notTwice?: boolean;
}

const RETRYABLE = new Set([424, 429, 503, 504]);
const CERTAINLY_NOT_RUN = new Set([424, 429]);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function header(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
}

/** An answer standing for "no answer came": status 0 with a Graph-shaped error body naming why. */
export function noAnswer(code: string, message: string): BatchAnswer {
  return { status: 0, body: { error: { code, message } }, headers: {} };
}

/** Graph's error message in a batch item's body, or a fallback naming the status. */
export function batchErrorText(answer: BatchAnswer): string {
  const error = (answer.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const message = typeof error?.message === "string" && error.message ? error.message : null;
  const code = typeof error?.code === "string" && error.code ? error.code : null;
  if (answer.status === 0) return message ?? "no answer from Graph";
  return `Graph answered HTTP ${answer.status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}`;
}

/** Sends the requests in sequential batches of at most 20, 4 in flight; returns every request's answer by id. */
export async function sendBatches(
  connection: GraphConnection,
  requests: readonly BatchRequest[],
  options: BatchRunOptions,
): Promise<Map<string, BatchAnswer>> {
  const maxInFlight = Math.max(
    1,
    Math.min(options.maxInFlight ?? GRAPH_MAX_CONCURRENT, GRAPH_MAX_CONCURRENT),
  );
  const maxRounds = options.maxRounds ?? 8;
  const wait = options.wait ?? sleep;
  const answers = new Map<string, BatchAnswer>();
  const settle = (id: string, answer: BatchAnswer) => {
    answers.set(id, answer);
    options.onAnswer?.(id, answer);
  };
  let pending = [...requests];
  for (let round = 1; pending.length > 0; round++) {
    const chunks: BatchRequest[][] = [];
    for (let i = 0; i < pending.length; i += BATCH_SIZE) chunks.push(pending.slice(i, i + BATCH_SIZE));
    const retry: BatchRequest[] = [];
    let waitMs = 0;
    const runChunk = async (chunk: BatchRequest[]): Promise<void> => {
      if (options.signal?.aborted) {
        for (const r of chunk) settle(r.id, noAnswer("Interrupted", "stopped before this was sent"));
        return;
      }
      const wire = chunk.map((r, i) => ({
        id: r.id,
        method: r.method,
        url: r.url,
        ...(r.body === undefined
          ? r.headers
            ? { headers: r.headers }
            : {}
          : { body: r.body, headers: { "Content-Type": "application/json", ...r.headers } }),
        ...(i > 0 ? { dependsOn: [chunk[i - 1]!.id] } : {}),
      }));
      let body: unknown;
      try {
        const request = connection.client.api("/$batch");
        if (options.notTwice) request.middlewareOptions([new RetryHandlerOptions(0, 0)]);
        body = await request.post({ requests: wire });
      } catch (error) {
        // The batch as a whole got no usable answer: whatever ran of it is unknown to us.
        const failure = toGraphSyncError(error, `${options.what} ($batch)`);
        for (const r of chunk) settle(r.id, noAnswer(failure.code ?? "NoAnswer", failure.message));
        return;
      }
      const responses = (body as { responses?: unknown } | null)?.responses;
      type Item = { id?: unknown; status?: unknown; body?: unknown; headers?: unknown };
      const byId = new Map<string, Item>();
      if (Array.isArray(responses)) {
        for (const r of responses as Item[]) if (r && typeof r === "object") byId.set(String(r.id), r);
      }
      for (const request of chunk) {
        const r = byId.get(request.id);
        if (!r) {
          settle(request.id, noAnswer("NoAnswer", "Graph's $batch answer left this request out"));
          continue;
        }
        const status = typeof r.status === "number" ? r.status : 500;
        const headers = (r.headers && typeof r.headers === "object" ? r.headers : {}) as Record<
          string,
          string
        >;
        if ((options.notTwice ? CERTAINLY_NOT_RUN : RETRYABLE).has(status) && round < maxRounds) {
          retry.push(request);
          if (status !== 424) {
            const after = Number(header(headers, "retry-after"));
            waitMs = Math.max(waitMs, Number.isFinite(after) ? after * 1000 : 1000);
          }
        } else settle(request.id, { status, body: r.body, headers });
      }
    };
    // A pool: at most maxInFlight batches on the wire, the next one sent as soon as one returns.
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) await runChunk(chunks[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(maxInFlight, chunks.length) }, worker));
    // Keep the original order, so the next round's batches are the same requests in the same order.
    const again = new Set(retry.map((r) => r.id));
    pending = pending.filter((r) => again.has(r.id));
    if (pending.length > 0 && waitMs > 0 && !options.signal?.aborted) await wait(waitMs);
  }
  return answers;
}
