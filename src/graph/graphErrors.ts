// Graph failures as clear errors: what went wrong in words, plus Graph's code and request id for support.
import { GraphError } from "@microsoft/microsoft-graph-client";

/** offline: no answer at all; throttled: 429/503/504 after the SDK's retries; unauthorized: 401/403. */
export type GraphFailureKind = "offline" | "throttled" | "unauthorized" | "sync-state-lost" | "graph";

export class GraphSyncError extends Error {
  constructor(
    readonly kind: GraphFailureKind,
    message: string,
    /** HTTP status, or null when no response came. */
    readonly status: number | null,
    /** Graph's error code, e.g. "InvalidAuthenticationToken". */
    readonly code: string | null,
    readonly requestId: string | null,
    /** From Retry-After, when Graph sent one. */
    readonly retryAfterMs: number | null,
  ) {
    super(message);
    this.name = "GraphSyncError";
  }
}

function retryAfterOf(error: GraphError): number | null {
  const value = error.headers?.get("Retry-After");
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

/** Whether a failure is a 410 / SyncStateNotFound on a delta token: the cure is a full resync. */
export function isSyncStateLost(error: unknown): boolean {
  return error instanceof GraphSyncError && error.kind === "sync-state-lost";
}

/** Converts whatever the SDK threw into a GraphSyncError naming the request. */
export function toGraphSyncError(error: unknown, what: string): GraphSyncError {
  if (error instanceof GraphSyncError) return error;
  if (error instanceof GraphError) {
    const status = error.statusCode > 0 ? error.statusCode : null;
    const code = error.code || null;
    const requestId = error.requestId || null;
    const ref = [code, requestId ? `request-id ${requestId}` : null].filter(Boolean).join(", ");
    const detail = `${error.message || "no message"}${ref ? ` (${ref})` : ""}`;
    const fail = (kind: GraphFailureKind, text: string, retryAfterMs: number | null = null) =>
      new GraphSyncError(kind, `${text}: ${detail}`, status, code, requestId, retryAfterMs);
    if (status === null) return fail("offline", `Could not reach Microsoft Graph while ${what}`);
    if (status === 410 || /^(syncStateNotFound|resyncRequired|SyncStateInvalid)$/i.test(code ?? "")) {
      return fail("sync-state-lost", `Graph forgot the sync state while ${what}`);
    }
    if (status === 401 || status === 403) {
      return fail("unauthorized", `Graph refused the access token while ${what} (HTTP ${status})`);
    }
    if (status === 429 || status === 503 || status === 504) {
      return fail(
        "throttled",
        `Graph is throttling or busy while ${what} (HTTP ${status})`,
        retryAfterOf(error),
      );
    }
    return fail("graph", `Graph answered HTTP ${status} while ${what}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GraphSyncError(
    "offline",
    `Could not reach Microsoft Graph while ${what}: ${message}`,
    null,
    null,
    null,
    null,
  );
}
