// One Graph GET as the sync engine and the last-moment check make it: the SDK's middleware (retries, the limit of
// 4, the token) does the request; the caller hears when the whole answer is in, before its JSON is parsed, so it
// can give its scheduler slot back; errors become GraphSyncErrors naming what was being done.
import { GraphError, ResponseType } from "@microsoft/microsoft-graph-client";
import { checkGraphLinks, type GraphConnection, trustedGraphPath } from "./graphClient";
import { toGraphSyncError } from "./graphErrors";

export interface GraphReadOptions {
  /** The Prefer header, e.g. `IdType="ImmutableId", odata.maxpagesize=1000`. */
  readonly prefer?: string;
  /** Called once the answer has fully arrived (or the request failed), before the body is parsed. */
  readonly onAnswer?: () => void;
}

/** A Graph error answer as the SDK's GraphError (what toGraphSyncError reads). */
export function graphErrorOf(status: number, body: unknown, headers: Headers | undefined): GraphError {
  const error = (
    body as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } }
  )?.error;
  const e = new GraphError(status, typeof error?.message === "string" ? error.message : `HTTP ${status}`);
  e.code = typeof error?.code === "string" ? error.code : null;
  const requestId = error?.innerError?.["request-id"] ?? headers?.get("request-id");
  e.requestId = typeof requestId === "string" ? requestId : null;
  e.headers = headers;
  e.body = body === undefined ? "" : JSON.stringify(body);
  return e;
}

/** GETs a path (or an absolute link Graph returned, which must point at the same base URL) as a JSON object. */
export async function readGraphJson(
  connection: GraphConnection,
  pathOrLink: string,
  what: string,
  options: GraphReadOptions = {},
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    const path = /^https?:\/\//i.test(pathOrLink) ? trustedGraphPath(connection, pathOrLink) : pathOrLink;
    let request = connection.client.api(path).responseType(ResponseType.RAW);
    if (options.prefer) request = request.header("Prefer", options.prefer);
    response = (await request.get()) as Response;
  } catch (error) {
    options.onAnswer?.();
    throw toGraphSyncError(error, what);
  }
  options.onAnswer?.();
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok) throw toGraphSyncError(graphErrorOf(response.status, body, response.headers), what);
  if (body === null || typeof body !== "object") {
    throw toGraphSyncError(
      graphErrorOf(
        response.status,
        { error: { message: "Graph answered with no JSON object" } },
        response.headers,
      ),
      what,
    );
  }
  // A nextLink or deltaLink off the Graph base is refused here, before anything could store it.
  try {
    checkGraphLinks(connection, body as Record<string, unknown>);
  } catch (error) {
    throw toGraphSyncError(error, what);
  }
  return body as Record<string, unknown>;
}
