// The one Graph client: the SDK's middleware chain with its RetryHandler (429/503/504, honouring Retry-After),
// behind an AuthenticationProvider. Two small middlewares of ours sit in front: a limit of concurrent requests per
// mailbox (Graph allows 4), and the bearer token, attached only to the configured Graph origin.
import {
  type AuthenticationProvider,
  Client,
  type Context,
  HTTPMessageHandler,
  type Middleware,
  type MiddlewareOptions,
  RetryHandler,
  RetryHandlerOptions,
} from "@microsoft/microsoft-graph-client";

/** Graph's limit of concurrent requests per app and mailbox. */
export const GRAPH_MAX_CONCURRENT = 4;

export interface GraphClientOptions {
  /** e.g. https://graph.microsoft.com/v1.0 or the emulator's http://127.0.0.1:PORT/v1.0 */
  readonly baseUrl: string;
  readonly authProvider: AuthenticationProvider;
  readonly maxConcurrent?: number;
  /** RetryHandler: retries per request (default 6) and the delay in seconds when Graph sends no Retry-After. */
  readonly maxRetries?: number;
  readonly retryDelaySeconds?: number;
}

/** A Graph client plus the base URL it is bound to (links from Graph are resolved against it). */
export interface GraphConnection {
  readonly client: Client;
  readonly baseUrl: string;
}

/** A fixed token, for the CLI (`--token`) and tests; the pane's MSAL provider implements the same interface. */
export class StaticTokenProvider implements AuthenticationProvider {
  constructor(private readonly token: string) {}
  getAccessToken(): Promise<string> {
    return Promise.resolve(this.token);
  }
}

/**
 * A per-request option for ConcurrencyLimitHandler: `released` is called once the request has given its slot back,
 * that is when its whole answer has arrived (or it failed), before the SDK parses the body.
 */
export class SlotReleaseOption implements MiddlewareOptions {
  constructor(readonly released: () => void) {}
}

const utf8 = new TextDecoder();

/** UTF-8 bytes as a string, without a byte order mark (as Response.text() reads them). */
export function decodeUtf8(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes);
  const start = view[0] === 0xef && view[1] === 0xbb && view[2] === 0xbf ? 3 : 0;
  // Node's Buffer makes a one-byte string whenever the text allows, which JSON.parse reads faster; browsers have
  // TextDecoder.
  const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
  return NodeBuffer
    ? NodeBuffer.from(bytes, start).toString("utf8")
    : utf8.decode(start ? view.subarray(start) : view);
}

/** A response whose body is already in memory: text() and json() decode it at once, with no second stream read. */
class BufferedResponse extends Response {
  constructor(
    private readonly buffered: ArrayBuffer,
    init: ResponseInit,
  ) {
    super(buffered, init);
  }
  override text(): Promise<string> {
    return Promise.resolve(decodeUtf8(this.buffered));
  }
  override json(): Promise<unknown> {
    try {
      return Promise.resolve(JSON.parse(decodeUtf8(this.buffered)));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }
}

/** Statuses whose responses have no body (a Response cannot be built with one). */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * Holds each request until fewer than `limit` are in flight. A request keeps its slot while the SDK retries it and
 * while its body downloads, since Graph counts it until then; the body is read into memory here, so parsing it
 * happens after the slot is free and the next request is already on its way.
 */
class ConcurrencyLimitHandler implements Middleware {
  private next: Middleware | undefined;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async execute(context: Context): Promise<void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      await this.next?.execute(context);
      const response = context.response;
      if (response?.body && !NULL_BODY_STATUSES.has(response.status)) {
        const body = await response.arrayBuffer();
        context.response = new BufferedResponse(body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      }
    } finally {
      const wake = this.waiting.shift();
      if (wake) wake();
      else this.active--;
      const option = context.middlewareControl?.getMiddlewareOptions(SlotReleaseOption);
      if (option instanceof SlotReleaseOption) option.released();
    }
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/**
 * Adds `Authorization: Bearer …` for requests to the configured Graph origin only. (The SDK's own
 * AuthenticationHandler only recognises https hosts, so it cannot serve the loopback emulator.)
 */
class GraphOriginAuthenticationHandler implements Middleware {
  private next: Middleware | undefined;
  constructor(
    private readonly provider: AuthenticationProvider,
    private readonly origin: string,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === "string" ? context.request : context.request.url;
    const headers = new Headers(context.options?.headers as HeadersInit | undefined);
    if (new URL(url).origin === this.origin) {
      headers.set("Authorization", `Bearer ${await this.provider.getAccessToken()}`);
    } else {
      headers.delete("Authorization");
    }
    context.options = { ...context.options, headers: Object.fromEntries(headers.entries()) };
    await this.next?.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** Builds the Graph client with Client.initWithMiddleware. */
export function createGraphConnection(options: GraphClientOptions): GraphConnection {
  const base = new URL(options.baseUrl);
  const version = base.pathname.replace(/^\/+|\/+$/g, "") || "v1.0";
  const limit = new ConcurrencyLimitHandler(options.maxConcurrent ?? GRAPH_MAX_CONCURRENT);
  const auth = new GraphOriginAuthenticationHandler(options.authProvider, base.origin);
  const retry = new RetryHandler(
    new RetryHandlerOptions(options.retryDelaySeconds ?? 3, options.maxRetries ?? 6),
  );
  const http = new HTTPMessageHandler();
  limit.setNext(auth);
  auth.setNext(retry);
  retry.setNext(http);
  const client = Client.initWithMiddleware({
    middleware: limit,
    baseUrl: base.origin,
    defaultVersion: version,
  });
  return { client, baseUrl: `${base.origin}/${version}` };
}

/**
 * Turns an @odata.nextLink/deltaLink into a path relative to the base URL. A link to any other host is refused,
 * so the token never leaves Graph.
 */
export function relativeGraphPath(connection: GraphConnection, link: string): string {
  if (!link.startsWith(`${connection.baseUrl}/`)) {
    throw new Error(`Graph returned a link outside ${connection.baseUrl}; refusing to follow it`);
  }
  return link.slice(connection.baseUrl.length);
}
