// The one Graph client: the SDK's middleware chain with its RetryHandler (429/503/504, honouring Retry-After),
// behind an AuthenticationProvider. Middlewares of ours: the bearer token (only for the configured Graph base), a
// limit of concurrent requests per mailbox (Graph allows 4), and a transport that gives every try a timeout,
// follows no redirects and reads the whole body. Failures worth another try (a reset connection, a timeout, a 500,
// a cut-off JSON body) are handed to the SDK's RetryHandler as retryable answers, so there is one retry loop.
import {
  type AuthenticationProvider,
  Client,
  type Context,
  type FetchOptions,
  HTTPMessageHandler,
  type Middleware,
  RetryHandler,
  RetryHandlerOptions,
  type ShouldRetry,
} from "@microsoft/microsoft-graph-client";
import { GraphTransportError, InvalidTokenError, UntrustedGraphLinkError } from "./graphErrors";

/** Graph's limit of concurrent requests per app and mailbox. */
export const GRAPH_MAX_CONCURRENT = 4;
/** How long one try may take, its whole body included, unless configured otherwise. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** A Retry-After longer than this is reported (onWait) rather than slept through silently. */
export const REPORTED_WAIT_SECONDS = 10;

/** Graph asked for a long pause before the next try. */
export interface GraphWaitNotice {
  readonly seconds: number;
  /** e.g. "Graph asked us to wait 3 min before trying again" */
  readonly message: string;
}

export interface GraphClientOptions {
  /** e.g. https://graph.microsoft.com/v1.0 or the emulator's http://127.0.0.1:PORT/v1.0 */
  readonly baseUrl: string;
  readonly authProvider: AuthenticationProvider;
  readonly maxConcurrent?: number;
  /** RetryHandler: retries per request (default 6) and the delay in seconds when Graph sends no Retry-After. */
  readonly maxRetries?: number;
  readonly retryDelaySeconds?: number;
  /** Per try, the body included (default 60 s). */
  readonly timeoutMs?: number;
  /**
   * Retries of a GET whose connection broke, timed out, got a 500 or a cut-off body (default 3: four tries), with
   * exponential backoff from retryDelaySeconds.
   */
  readonly maxTransientRetries?: number;
  /** Told before a pause longer than 10 s that Graph asked for (Retry-After). */
  readonly onWait?: (notice: GraphWaitNotice) => void;
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

/** RFC 6750's b64token: what a bearer token may hold (a JWT, or an opaque token). */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Refuses a token that cannot be sent as a bearer token (control characters, spaces, …) without echoing it. */
export function assertBearerToken(token: unknown): asserts token is string {
  if (typeof token !== "string" || !BEARER_TOKEN.test(token)) throw new InvalidTokenError();
}

const utf8 = new TextDecoder();

/** UTF-8 bytes as a string, without a byte order mark (as Response.text() reads them). */
export function decodeUtf8(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes);
  const start = hasBom(view) ? 3 : 0;
  // Node's Buffer makes a one-byte string whenever the text allows, which JSON.parse reads faster; browsers have
  // TextDecoder.
  const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
  return NodeBuffer
    ? NodeBuffer.from(bytes, start).toString("utf8")
    : utf8.decode(start ? view.subarray(start) : view);
}

/** Whether `view` starts with a UTF-8 byte order mark. */
const hasBom = (view: Uint8Array): boolean => view[0] === 0xef && view[1] === 0xbb && view[2] === 0xbf;

const HEX_DIGITS = "0123456789abcdef";

/**
 * The UTF-8 text of a JSON body as ASCII bytes, every character beyond ASCII written as a JSON \uXXXX escape
 * (which is only valid where such characters can be: inside a string); null where that would not read the same
 * (bytes that are not UTF-8, or a character right after a backslash), to be decoded as it is. Browsers' TextDecoder
 * makes a one-byte string of ASCII several times faster than a two-byte one of anything else, and one ’ in a
 * thousand messages makes a page the slow kind: a year of mail decodes in a fraction of the time this way.
 */
export function asciiJsonOf(view: Uint8Array): Uint8Array | null {
  const n = view.length;
  let i = hasBom(view) ? 3 : 0;
  const from = i;
  // Where each character beyond ASCII starts, how many bytes it has, and its code point.
  const at: number[] = [];
  const sizes: number[] = [];
  const points: number[] = [];
  let escaped = 0;
  // Four bytes at a time where the buffer allows: a page of mail is almost all ASCII.
  const words = new Uint32Array(view.buffer, 0, view.buffer.byteLength >> 2);
  const wordsEnd = (view.byteOffset + n) >> 2;
  while (i < n) {
    if (((view.byteOffset + i) & 3) === 0) {
      let w = (view.byteOffset + i) >> 2;
      while (w < wordsEnd && ((words[w] as number) & 0x80808080) === 0) w++;
      i = Math.min(n, (w << 2) - view.byteOffset);
      if (i >= n) break;
    }
    const b = view[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    // A character right after an escaping backslash stays as it is: the invalid JSON text \é would otherwise become
    // \\u00e9, which is valid (a backslash, then "u00e9"). A backslash that is itself escaped (\\é) escapes nothing,
    // so it is the length of the run of backslashes that counts.
    if (view[i - 1] === 0x5c) {
      let k = i - 1;
      while (k >= from && view[k] === 0x5c) k--;
      if ((i - 1 - k) % 2 === 1) return null;
    }
    let size: number;
    let cp: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      size = 2;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      size = 3;
      cp = b & 0x0f;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      size = 4;
      cp = b & 0x07;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return null;
    if (i + size > n) return null;
    for (let k = 1; k < size; k++) {
      const c = view[i + k] as number;
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return null;
      cp = (cp << 6) | (c & 0x3f);
    }
    at.push(i);
    sizes.push(size);
    points.push(cp);
    escaped += cp >= 0x10000 ? 12 : 6;
    i += size;
  }
  if (at.length === 0) return from === 0 ? view : view.subarray(from);
  let length = n - from + escaped;
  for (const size of sizes) length -= size;
  const out = new Uint8Array(length);
  let o = 0;
  let copied = from;
  const escape = (unit: number) => {
    out[o++] = 0x5c; // \
    out[o++] = 0x75; // u
    for (let shift = 12; shift >= 0; shift -= 4) out[o++] = HEX_DIGITS.charCodeAt((unit >> shift) & 0xf);
  };
  for (let k = 0; k < at.length; k++) {
    const start = at[k] as number;
    out.set(view.subarray(copied, start), o);
    o += start - copied;
    const cp = points[k] as number;
    if (cp >= 0x10000) {
      escape(0xd800 + ((cp - 0x10000) >> 10));
      escape(0xdc00 + ((cp - 0x10000) & 0x3ff));
    } else escape(cp);
    copied = start + (sizes[k] as number);
  }
  out.set(view.subarray(copied), o);
  return out;
}

/** A JSON body's text, for JSON.parse: the same values as decodeUtf8's, quicker to make in a browser. */
export function decodeJsonUtf8(bytes: ArrayBuffer): string {
  if ((globalThis as { Buffer?: unknown }).Buffer) return decodeUtf8(bytes);
  const ascii = asciiJsonOf(new Uint8Array(bytes));
  return ascii ? utf8.decode(ascii) : decodeUtf8(bytes);
}

/**
 * A response whose body is already in memory: text() and json() decode it at once, with no second stream read. The
 * bytes are not handed to Response itself, which would copy every page of mail once more; a stream of them is made
 * only if something asks for `body`.
 */
class BufferedResponse extends Response {
  /** The parsed JSON body once checkJson has read it, so the SDK does not parse it twice. */
  private parsed: { value: unknown } | null = null;
  constructor(
    private readonly buffered: ArrayBuffer,
    init: ResponseInit,
  ) {
    super(null, init);
  }
  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    return new Response(this.buffered).body;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.buffered.slice(0));
  }
  override blob(): Promise<Blob> {
    return Promise.resolve(new Blob([this.buffered]));
  }
  override clone(): Response {
    return new BufferedResponse(this.buffered, {
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
    });
  }
  /** Parses the body as JSON, or throws: a body cut off on the way is caught here, while it can be retried. */
  checkJson(): void {
    if (this.parsed === null) this.parsed = { value: JSON.parse(decodeJsonUtf8(this.buffered)) };
  }
  override text(): Promise<string> {
    return Promise.resolve(decodeUtf8(this.buffered));
  }
  override json(): Promise<unknown> {
    try {
      this.checkJson();
      return Promise.resolve((this.parsed as { value: unknown }).value);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }
}

/** Statuses whose responses have no body (a Response cannot be built with one). */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** Holds each try until fewer than `limit` are in flight; the slot is given back once the answer has arrived. */
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
    } finally {
      const wake = this.waiting.shift();
      if (wake) wake();
      else this.active--;
    }
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/**
 * The path (and query) of a URL relative to the Graph base, or null when it is not under it: another origin,
 * userinfo, a path outside the base's version (after URL's own resolution of `..`), or a second URL inside it
 * (the SDK would read one as its host).
 */
function pathUnderBase(url: URL, base: URL): string | null {
  if (url.origin !== base.origin || url.username !== "" || url.password !== "") return null;
  if (!url.pathname.startsWith(base.pathname)) return null;
  const pathname = url.pathname.slice(base.pathname.length - 1);
  const path = pathname + url.search;
  return pathname.includes("//") || path.includes(":/") ? null : path;
}

/**
 * Adds `Authorization: Bearer …` and refuses any request that is not for the configured Graph base, so the token
 * never leaves Graph. (The SDK's own AuthenticationHandler only recognises https hosts, so it cannot serve the
 * loopback emulator.)
 */
class GraphBaseAuthenticationHandler implements Middleware {
  private next: Middleware | undefined;
  constructor(
    private readonly provider: AuthenticationProvider,
    private readonly base: URL,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === "string" ? context.request : context.request.url;
    if (pathUnderBase(new URL(url), this.base) === null) {
      throw new UntrustedGraphLinkError(this.base.href.replace(/\/$/, ""), url);
    }
    const token = await this.provider.getAccessToken();
    assertBearerToken(token);
    const headers = new Headers(context.options?.headers as HeadersInit | undefined);
    headers.set("Authorization", `Bearer ${token}`);
    context.options = { ...context.options, headers: Object.fromEntries(headers.entries()) };
    await this.next?.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/**
 * One try on the wire: a timeout covering the whole body, no redirects followed (a 3xx comes back as it is), and
 * the body read into memory. A broken connection or a timeout becomes a GraphTransportError.
 */
class TransportHandler implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly timeoutMs: number) {}

  async execute(context: Context): Promise<void> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const options: FetchOptions = { ...context.options, redirect: "manual", signal: controller.signal };
    context.options = options;
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
    } catch (error) {
      if (timedOut) {
        throw new GraphTransportError("timeout", `Graph did not answer within ${this.timeoutMs / 1000} s`);
      }
      throw new GraphTransportError("reset", `the connection to Graph broke (${causeOf(error)})`);
    } finally {
      clearTimeout(timer);
    }
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** A short, token-free description of why fetch failed: its cause's code, e.g. ECONNRESET. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : "no answer";
}

/** Responses standing in for a transient failure, so the SDK's RetryHandler retries it; and what each replaced. */
const standIns = new WeakMap<Response, { error: unknown } | { response: Response }>();
const METHODS_SAFE_TO_RETRY = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Turns a failure worth another try (a broken connection, a timeout, a 500, a 2xx JSON body that does not parse)
 * of a safe request into a 503 with a backoff Retry-After, which the RetryHandler above retries. Past `maxRetries`
 * (or for a POST) the real failure goes on up.
 */
class TransientFaultHandler implements Middleware {
  private next: Middleware | undefined;
  private readonly tries = new WeakMap<Context, number>();
  constructor(
    private readonly maxRetries: number,
    private readonly backoffSeconds: number,
  ) {}

  async execute(context: Context): Promise<void> {
    const tries = (this.tries.get(context) ?? 0) + 1;
    this.tries.set(context, tries);
    const method = (context.options?.method ?? "GET").toUpperCase();
    const retryable = tries <= this.maxRetries && METHODS_SAFE_TO_RETRY.has(method);
    let failure: { error: unknown } | { response: Response } | null = null;
    try {
      await this.next?.execute(context);
      const response = context.response;
      if (response?.status === 500) failure = { response };
      else if (response instanceof BufferedResponse && response.ok && isJson(response)) {
        try {
          response.checkJson();
        } catch {
          failure = {
            error: new GraphTransportError(
              "truncated",
              "Graph's answer was cut off (its JSON is incomplete)",
            ),
          };
        }
      }
    } catch (error) {
      if (!(error instanceof GraphTransportError)) throw error;
      failure = { error };
    }
    if (failure === null) return;
    if (!retryable) {
      if ("error" in failure) throw failure.error;
      return;
    }
    const standIn = new Response(null, {
      status: 503,
      headers: { "Retry-After": String(this.backoffSeconds * 2 ** (tries - 1)) },
    });
    standIns.set(standIn, failure);
    context.response = standIn;
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

const isJson = (response: Response): boolean => /\bjson\b/i.test(response.headers.get("Content-Type") ?? "");

/** Above the RetryHandler: a stand-in that was not retried any more becomes its real failure again. */
class StandInUnwrapHandler implements Middleware {
  private next: Middleware | undefined;
  async execute(context: Context): Promise<void> {
    await this.next?.execute(context);
    const replaced = context.response ? standIns.get(context.response) : undefined;
    if (replaced === undefined) return;
    if ("error" in replaced) throw replaced.error;
    context.response = replaced.response;
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** Seconds a Retry-After header asks for (whole seconds or an HTTP date), or null. */
function retryAfterSeconds(response: Response | undefined): number | null {
  const value = response?.headers.get("Retry-After");
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.round((at - Date.now()) / 1000)) : null;
}

/** The longest pause the SDK's RetryHandler makes (its RetryHandlerOptions.MAX_DELAY). */
const MAX_SDK_DELAY_SECONDS = new RetryHandlerOptions().getMaxDelay();

/** "45 s", "3 min", "2 h". */
function describeWait(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/** Builds the Graph client with Client.initWithMiddleware. */
export function createGraphConnection(options: GraphClientOptions): GraphConnection {
  const base = new URL(options.baseUrl);
  const version = base.pathname.replace(/^\/+|\/+$/g, "") || "v1.0";
  const baseUrl = `${base.origin}/${version}`;
  const delay = options.retryDelaySeconds ?? 3;
  const onWait = options.onWait;
  const shouldRetry: ShouldRetry = (_delay, _attempt, _request, _options, response) => {
    const seconds = standIns.has(response) ? null : retryAfterSeconds(response);
    if (onWait && seconds !== null && seconds > REPORTED_WAIT_SECONDS) {
      // The SDK waits at most its MAX_DELAY, whatever Graph asked for.
      const waited = Math.min(seconds, MAX_SDK_DELAY_SECONDS);
      onWait({
        seconds: waited,
        message: `Graph asked us to wait ${describeWait(waited)} before trying again`,
      });
    }
    return true;
  };
  const auth = new GraphBaseAuthenticationHandler(options.authProvider, new URL(`${baseUrl}/`));
  const unwrap = new StandInUnwrapHandler();
  const retry = new RetryHandler(new RetryHandlerOptions(delay, options.maxRetries ?? 6, shouldRetry));
  const transient = new TransientFaultHandler(options.maxTransientRetries ?? 3, delay);
  const limit = new ConcurrencyLimitHandler(options.maxConcurrent ?? GRAPH_MAX_CONCURRENT);
  const transport = new TransportHandler(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const http = new HTTPMessageHandler();
  auth.setNext(unwrap);
  unwrap.setNext(retry);
  retry.setNext(transient);
  transient.setNext(limit);
  limit.setNext(transport);
  transport.setNext(http);
  const client = Client.initWithMiddleware({
    middleware: auth,
    baseUrl: base.origin,
    defaultVersion: version,
  });
  return { client, baseUrl };
}

/**
 * Turns an @odata.nextLink/deltaLink into a path relative to the Graph base, or throws UntrustedGraphLinkError:
 * the link must parse as a URL with the base's origin, no userinfo, a path under the base's version, and no
 * second URL inside it.
 */
export function trustedGraphPath(connection: GraphConnection, link: string): string {
  let url: URL | null = null;
  try {
    url = new URL(link);
  } catch {
    // not a URL: refused below
  }
  const path = url ? pathUnderBase(url, new URL(`${connection.baseUrl}/`)) : null;
  if (path === null) throw new UntrustedGraphLinkError(connection.baseUrl, link);
  return path;
}

/** Refuses a Graph page whose nextLink or deltaLink leads outside Graph, before anything of it is stored. */
export function checkGraphLinks(connection: GraphConnection, body: Record<string, unknown>): void {
  for (const key of ["@odata.nextLink", "@odata.deltaLink"]) {
    const link = body[key];
    if (typeof link === "string") trustedGraphPath(connection, link);
  }
}
