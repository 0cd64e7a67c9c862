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

/** A try that got no usable answer: the connection broke, no answer in time, or the body was cut off. */
export class GraphTransportError extends Error {
  constructor(
    readonly reason: "reset" | "timeout" | "truncated",
    message: string,
  ) {
    super(message);
    this.name = "GraphTransportError";
  }
}

/** An access token that cannot be sent (control characters, spaces, …). Never says what the token was. */
export class InvalidTokenError extends Error {
  constructor() {
    super(
      "the token is not valid: an access token holds only letters, digits and - . _ ~ + / = (look for a stray line break or space)",
    );
    this.name = "InvalidTokenError";
  }
}

/** Where a link leads, for a message: its origin when it parses (URL normalises it), never the whole link. */
function whereTo(link: string): string {
  try {
    const url = new URL(link);
    return url.username || url.password
      ? `${url.protocol}//…@${url.host}`
      : `${url.origin}${url.pathname.slice(0, 24)}`;
  } catch {
    return "something that is not a URL";
  }
}

/** A link (nextLink, deltaLink, or a request) outside the configured Graph base: never followed, never stored. */
export class UntrustedGraphLinkError extends Error {
  constructor(base: string, link: string) {
    super(
      `Graph returned a link outside ${base} (to ${whereTo(link).replace(/[^\x21-\x7e]/g, "?")}); refusing to follow it`,
    );
    this.name = "UntrustedGraphLinkError";
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

/**
 * Our own middleware errors, whether thrown directly or wrapped by the SDK (a GraphError with status -1 whose
 * code is the error's name and whose message is its message).
 */
function ownError(error: unknown, what: string): GraphSyncError | null {
  if (!(error instanceof Error)) return null;
  const name = error instanceof GraphError ? error.code : error.name;
  const make = (kind: GraphFailureKind, text: string) =>
    new GraphSyncError(kind, text, null, null, null, null);
  if (name === "InvalidTokenError") return make("unauthorized", error.message);
  if (name === "UntrustedGraphLinkError") return make("graph", `${error.message} while ${what}`);
  if (name === "GraphTransportError") {
    return make("offline", `Could not read Microsoft Graph while ${what}: ${error.message}`);
  }
  return null;
}

/** Converts whatever the SDK threw into a GraphSyncError naming the request. */
export function toGraphSyncError(error: unknown, what: string): GraphSyncError {
  if (error instanceof GraphSyncError) return error;
  const own = ownError(error, what);
  if (own) return own;
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
    if (status >= 300 && status < 400) {
      return fail(
        "graph",
        `Graph answered with a redirect (HTTP ${status}) while ${what}, which Rekindle does not follow`,
      );
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
