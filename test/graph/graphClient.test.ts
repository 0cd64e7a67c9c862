import fc from "fast-check";
import { ResponseType } from "@microsoft/microsoft-graph-client";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import {
  createGraphConnection,
  asciiJsonOf,
  decodeJsonUtf8,
  decodeUtf8,
  type GraphWaitNotice,
  StaticTokenProvider,
  trustedGraphPath,
} from "../../src/graph/graphClient";
import { toGraphSyncError, UntrustedGraphLinkError } from "../../src/graph/graphErrors";
import type { RunningEmulator } from "../emulator/graphEmulator";
import { smallMailbox, startEmulator } from "./syncHarness";

describe("graphClient.ts", () => {
  let emulator: RunningEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  describe("createGraphConnection", () => {
    it("should never have more than 4 requests in flight, so Graph never refuses one for concurrency", async () => {
      emulator = await startEmulator(smallMailbox(), { faults: { latencyMs: 30 } });
      const { client } = createGraphConnection({
        baseUrl: emulator.url,
        authProvider: new StaticTokenProvider(emulator.token),
      });
      await Promise.all(Array.from({ length: 12 }, () => client.api("/me").get()));
      expect(emulator.stats.requests).toBe(12);
      expect(emulator.stats.maxInFlight).toBe(4);
      expect(emulator.stats.throttledForConcurrency).toBe(0);
    });

    it("should retry 429, 503 and 504 through the SDK's RetryHandler, honouring Retry-After", async () => {
      emulator = await startEmulator(smallMailbox(), {
        faults: {
          seed: 3,
          throttleRate: 0.3,
          unavailableRate: 0.2,
          gatewayTimeoutRate: 0.1,
          retryAfterSeconds: 0,
        },
      });
      const { client } = createGraphConnection({
        baseUrl: emulator.url,
        authProvider: new StaticTokenProvider(emulator.token),
        maxRetries: 10,
      });
      for (let i = 0; i < 10; i++)
        expect(((await client.api("/me").get()) as { mail: string }).mail).toBeTruthy();
      expect(emulator.stats.faultsInjected).toBeGreaterThan(0);
      expect(emulator.stats.requests).toBe(10 + emulator.stats.faultsInjected);
    });
  });

  describe("a raw answer (read whole before the SDK sees it)", () => {
    it("should give the same bytes to json, text, arrayBuffer, blob, body and a clone", async () => {
      emulator = await startEmulator(smallMailbox());
      const { client } = createGraphConnection({
        baseUrl: emulator.url,
        authProvider: new StaticTokenProvider(emulator.token),
      });
      const raw = (await client.api("/me").responseType(ResponseType.RAW).get()) as Response;
      expect(raw.status).toBe(200);
      const text = await raw.text();
      const me = JSON.parse(text) as { mail: string };
      expect(me.mail).toBeTruthy();
      expect(await raw.json()).toEqual(me);
      expect(new TextDecoder().decode(await raw.arrayBuffer())).toBe(text);
      expect(await (await raw.blob()).text()).toBe(text);
      expect(await new Response(raw.body).text()).toBe(text);
      const copy = raw.clone();
      expect([copy.status, copy.headers.get("content-type")]).toEqual([200, raw.headers.get("content-type")]);
      expect(await copy.json()).toEqual(me);
    });
  });

  describe("decodeUtf8", () => {
    const bytes = (...parts: (string | number[])[]): ArrayBuffer => {
      const chunks = parts.map((p) =>
        typeof p === "string" ? new TextEncoder().encode(p) : Uint8Array.from(p),
      );
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      return out.buffer;
    };
    it.each([
      ["plain ASCII", bytes('{"a":1}'), '{"a":1}'],
      ["Latin-1 and wider characters", bytes("Chloé García — 東京 🙂"), "Chloé García — 東京 🙂"],
      ["a byte order mark, dropped as Response.text() does", bytes([0xef, 0xbb, 0xbf], '{"b":2}'), '{"b":2}'],
      ["nothing", bytes(""), ""],
    ])("should decode %s the same with Buffer (Node) and TextDecoder (browsers)", (_, input, expected) => {
      expect(decodeUtf8(input)).toBe(expected);
      const holder = globalThis as { Buffer?: unknown };
      const saved = holder.Buffer;
      holder.Buffer = undefined;
      try {
        expect(decodeUtf8(input)).toBe(expected);
      } finally {
        holder.Buffer = saved;
      }
    });
  });

  describe("asciiJsonOf", () => {
    const utf8 = (text: string) => new TextEncoder().encode(text);
    /** What JSON.parse makes of bytes as a browser reads them: the value, or that it throws. */
    const parsed = (bytes: Uint8Array): unknown => {
      try {
        return { value: JSON.parse(new TextDecoder().decode(bytes)) };
      } catch {
        return "throws";
      }
    };
    const asBrowser = <T>(read: () => T): T => {
      const holder = globalThis as { Buffer?: unknown };
      const saved = holder.Buffer;
      holder.Buffer = undefined;
      try {
        return read();
      } finally {
        holder.Buffer = saved;
      }
    };

    it.each([
      ["ASCII, as it is", '{"a":"b"}', '{"a":"b"}'],
      ["a Latin-1 letter", '{"n":"Chloé"}', '{"n":"Chlo\\u00e9"}'],
      ["a typographic apostrophe", '{"p":"we’ll"}', '{"p":"we\\u2019ll"}'],
      ["a character beyond the BMP, as a surrogate pair", '{"e":"🙂"}', '{"e":"\\ud83d\\ude42"}'],
      ["a character after an escaped backslash", '{"p":"C:\\\\é"}', '{"p":"C:\\\\\\u00e9"}'],
      [
        "a character after three backslashes, the last escaping a quote",
        '["\\\\\\"é"]',
        '["\\\\\\"\\u00e9"]',
      ],
    ])("should write %s", (_, text, ascii) => {
      expect(new TextDecoder().decode(asciiJsonOf(utf8(text))!)).toBe(ascii);
    });

    it.each([
      ["a lone continuation byte", [0x22, 0x80, 0x22]],
      ["an overlong encoding", [0x22, 0xc0, 0xaf, 0x22]],
      ["a surrogate encoded in UTF-8", [0x22, 0xed, 0xa0, 0x80, 0x22]],
      ["a sequence cut off at the end", [0x22, 0xe2, 0x80]],
      ["a character right after a backslash", [0x22, 0x5c, 0xc3, 0xa9, 0x22]],
      ["a character right after the third backslash of a run", [0x22, 0x5c, 0x5c, 0x5c, 0xc3, 0xa9, 0x22]],
    ])("should leave %s to the decoder", (_, bytes) => {
      expect(asciiJsonOf(Uint8Array.from(bytes))).toBeNull();
    });

    it("should drop a byte order mark", () => {
      expect(new TextDecoder().decode(asciiJsonOf(Uint8Array.from([0xef, 0xbb, 0xbf, 0x31]))!)).toBe("1");
    });

    it("should give JSON.parse the very values of any JSON, and never ASCII where it would read otherwise", () => {
      fc.assert(
        fc.property(fc.jsonValue(), fc.string({ unit: "grapheme" }), (value, extra) => {
          const json = JSON.stringify({ value, extra });
          const bytes = utf8(json);
          const ascii = asciiJsonOf(bytes);
          expect(ascii).not.toBeNull();
          expect(ascii!.every((b) => b < 0x80)).toBe(true);
          expect(parsed(ascii!)).toEqual(parsed(bytes));
          expect(asBrowser(() => JSON.parse(decodeJsonUtf8(bytes.slice().buffer)))).toEqual(JSON.parse(json)); // -0 reads 0
        }),
        { numRuns: 300 },
      );
      // Wherever the bytes start in their buffer (the scan reads four at a time from aligned offsets).
      fc.assert(
        fc.property(
          fc.string({ unit: "grapheme", maxLength: 60 }),
          fc.integer({ min: 0, max: 7 }),
          (text, at) => {
            const bytes = utf8(JSON.stringify(text));
            const placed = new Uint8Array(bytes.length + at);
            placed.set(bytes, at);
            const ascii = asciiJsonOf(placed.subarray(at));
            expect(ascii && Array.from(ascii)).toEqual(Array.from(asciiJsonOf(bytes.slice())!));
          },
        ),
        { numRuns: 500 },
      );
      // Any bytes at all: ASCII that parses as the original does, or null (then the original is decoded).
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
          const ascii = asciiJsonOf(bytes);
          if (ascii) expect(parsed(ascii)).toEqual(parsed(bytes));
          expect(asBrowser(() => decodeJsonUtf8(bytes.slice().buffer))).toBe(
            ascii ? new TextDecoder().decode(ascii) : new TextDecoder().decode(bytes),
          );
        }),
        { numRuns: 2000 },
      );
      // String literals made of the pieces that matter here (backslashes, an escaped quote, an é, the letters of an
      // escape), valid or not, so runs of backslashes before a character beyond ASCII come up often.
      fc.assert(
        fc.property(fc.array(fc.constantFrom("\\", "\\\\", '\\"', "é", "u", "0", "e", " ")), (pieces) => {
          const bytes = utf8(`"${pieces.join("")}"`);
          const ascii = asciiJsonOf(bytes);
          if (ascii) expect(parsed(ascii)).toEqual(parsed(bytes));
        }),
        { numRuns: 2000 },
      );
    });
  });

  describe("trustedGraphPath", () => {
    const graph = createGraphConnection({
      baseUrl: "https://graph.microsoft.com/v1.0",
      authProvider: new StaticTokenProvider("t"),
    });
    const loopback = createGraphConnection({
      baseUrl: "http://127.0.0.1:4300/v1.0",
      authProvider: new StaticTokenProvider("t"),
    });

    it.each([
      ["a listing page", "https://graph.microsoft.com/v1.0/me/messages?$skip=10", "/me/messages?$skip=10"],
      [
        "a delta link",
        "https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken=a_b-c.d",
        "/me/mailFolders/inbox/messages/delta?$deltatoken=a_b-c.d",
      ],
      ["an explicit default port", "https://graph.microsoft.com:443/v1.0/me", "/me"],
      ["an upper-case host", "https://GRAPH.microsoft.com/v1.0/me", "/me"],
      [
        "an encoded filter",
        "https://graph.microsoft.com/v1.0/me/messages?%24filter=receivedDateTime%20ge%202026-01-01T00%3A00%3A00Z",
        "/me/messages?%24filter=receivedDateTime%20ge%202026-01-01T00%3A00%3A00Z",
      ],
    ])("should follow %s on the Graph base", (_what, link, path) => {
      expect(trustedGraphPath(graph, link)).toBe(path);
    });

    it.each([
      ["another host", "https://evil.example.com/v1.0/me"],
      ["a look-alike host", "https://graph.microsoft.com.evil.com/v1.0/me"],
      ["userinfo", "https://x@graph.microsoft.com/v1.0/me"],
      ["userinfo before another host", "https://graph.microsoft.com@evil.com/v1.0/me"],
      ["http instead of https", "http://graph.microsoft.com/v1.0/me"],
      ["another port", "https://graph.microsoft.com:8443/v1.0/me"],
      ["another version", "https://graph.microsoft.com/beta/me"],
      ["a dot-dot out of the version", "https://graph.microsoft.com/v1.0/../beta/me"],
      ["an encoded dot-dot", "https://graph.microsoft.com/v1.0/%2e%2e/beta/me"],
      ["a version prefix that is not a segment", "https://graph.microsoft.com/v1.0evil/me"],
      ["an embedded URL", "https://graph.microsoft.com/v1.0/https://other.example/v1.0/me"],
      ["an embedded URL in the query", "https://graph.microsoft.com/v1.0/me?next=https://other.example/x"],
      ["a protocol-relative path", "https://graph.microsoft.com/v1.0//other.example/me"],
      ["a relative link", "/v1.0/me"],
      ["not a URL at all", "not a link"],
    ])("should refuse %s with an UntrustedGraphLinkError", (_what, link) => {
      expect(() => trustedGraphPath(graph, link)).toThrow(UntrustedGraphLinkError);
      expect(() => trustedGraphPath(graph, link)).toThrow(/refusing to follow/);
    });

    it.each([
      ["the emulator's own links", "http://127.0.0.1:4300/v1.0/me/messages?$skip=2", "/me/messages?$skip=2"],
    ])("should follow %s on a loopback base", (_what, link, path) => {
      expect(trustedGraphPath(loopback, link)).toBe(path);
    });

    it.each([
      ["an embedded URL after the version", "http://127.0.0.1:4300/v1.0/https://other/v1.0/me"],
      ["another loopback port", "http://127.0.0.1:4301/v1.0/me"],
      ["localhost for 127.0.0.1", "http://localhost:4300/v1.0/me"],
    ])("should refuse %s on a loopback base", (_what, link) => {
      expect(() => trustedGraphPath(loopback, link)).toThrow(UntrustedGraphLinkError);
    });

    it("should name where a refused link leads without echoing the whole link", () => {
      const link = "https://graph.microsoft.com.evil.com/v1.0/me?secret=1234567890";
      expect(() => trustedGraphPath(graph, link)).toThrow(
        /to https:\/\/graph\.microsoft\.com\.evil\.com\/v1\.0\/me\)/,
      );
      expect(() => trustedGraphPath(graph, link)).not.toThrow(/1234567890/);
    });
  });

  describe("hostile transports", () => {
    /** A loopback server that answers each request with the next handler of `script`, counting requests. */
    async function scriptedServer(
      script: ((req: http.IncomingMessage, res: http.ServerResponse) => void)[],
    ): Promise<{
      url: string;
      requests: () => number;
      headers: http.IncomingHttpHeaders[];
      close: () => Promise<void>;
    }> {
      let n = 0;
      const headers: http.IncomingHttpHeaders[] = [];
      const server = http.createServer((req, res) => {
        headers.push(req.headers);
        const step = script[Math.min(n++, script.length - 1)];
        step?.(req, res);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as AddressInfo).port;
      return {
        url: `http://127.0.0.1:${port}/v1.0`,
        requests: () => n,
        headers,
        close: () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      };
    }
    const ok = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      void req;
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ mail: "sam@example.com" }));
    };
    const reset = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      void req;
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write('{"mail":"sam@exa', () => res.socket?.destroy());
    };
    const truncated = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      void req;
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"mail":"sam@exa');
    };
    const serverError = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      void req;
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { code: "InternalServerError", message: "Boom." } }));
    };
    const hang = (): void => {};
    let server: Awaited<ReturnType<typeof scriptedServer>> | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });
    const connectTo = (url: string, extra: object = {}) =>
      createGraphConnection({
        baseUrl: url,
        authProvider: new StaticTokenProvider("tok"),
        retryDelaySeconds: 0,
        timeoutMs: 300,
        ...extra,
      }).client;

    it.each([
      ["a connection reset mid-body", reset],
      ["a truncated JSON body", truncated],
      ["an HTTP 500", serverError],
      ["a hung request (timed out)", hang],
    ])("should retry %s and succeed on a later try", async (_what, fault) => {
      server = await scriptedServer([fault, fault, ok]);
      const me = (await connectTo(server.url).api("/me").get()) as { mail: string };
      expect(me.mail).toBe("sam@example.com");
      expect(server.requests()).toBe(3);
    });

    it.each([
      ["a connection reset mid-body", reset, /connection to Graph broke/],
      ["a truncated JSON body", truncated, /cut off/],
      ["an HTTP 500", serverError, /HTTP 500/],
      ["a hung request", hang, /did not answer within 0\.3 s/],
    ])("should give up on %s after four tries with a clear error", async (_what, fault, message) => {
      server = await scriptedServer([fault]);
      const error: unknown = await connectTo(server.url)
        .api("/me")
        .get()
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(server.requests()).toBe(4);
      expect(toGraphSyncError(error, "reading /me").message).toMatch(message);
      expect(toGraphSyncError(error, "reading /me").message).toMatch(/while reading \/me/);
    });

    it("should back off exponentially between tries of a transient fault (1 s, 2 s, 4 s)", async () => {
      server = await scriptedServer([serverError, serverError, serverError, ok]);
      const waits: number[] = [];
      const realSetTimeout = global.setTimeout;
      // The SDK sleeps with setTimeout: note each pause it makes, and make it at once.
      const spy = jest.spyOn(global, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
        if (ms !== 300 && (ms ?? 0) >= 1000) waits.push(ms ?? 0);
        return realSetTimeout(fn, ms !== 300 && (ms ?? 0) >= 1000 ? 0 : ms);
      }) as typeof setTimeout);
      try {
        const me = (await connectTo(server.url, { retryDelaySeconds: 1 }).api("/me").get()) as {
          mail: string;
        };
        expect(me.mail).toBe("sam@example.com");
      } finally {
        spy.mockRestore();
      }
      expect(waits).toEqual([1000, 2000, 4000]);
      expect(server.requests()).toBe(4);
    });

    it("should not retry a POST whose connection broke (it may have been carried out)", async () => {
      server = await scriptedServer([reset, ok]);
      await expect(connectTo(server.url).api("/me/messages/x/createReply").post({})).rejects.toThrow(
        /connection to Graph broke/,
      );
      expect(server.requests()).toBe(1);
    });

    it("should not follow a redirect to another host, so the token never goes there", async () => {
      const foreign = await scriptedServer([ok]);
      try {
        server = await scriptedServer([
          (req, res) => {
            res.writeHead(302, { Location: `${foreign.url}${req.url?.slice("/v1.0".length) ?? ""}` });
            res.end();
          },
        ]);
        const error: unknown = await connectTo(server.url)
          .api("/me")
          .get()
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(toGraphSyncError(error, "reading /me").message).toMatch(
          /redirect \(HTTP 302\).*does not follow/,
        );
        expect(foreign.requests()).toBe(0);
        expect(server.requests()).toBe(1);
      } finally {
        await foreign.close();
      }
    });

    it("should send the token only to the Graph base and refuse a request anywhere else", async () => {
      server = await scriptedServer([ok]);
      const client = connectTo(server.url);
      await client.api("/me").get();
      expect(server.headers[0]?.authorization).toBe("Bearer tok");
      // The SDK reads an https URL as its host, and puts anything else after the version.
      await expect(client.api("https://evil.example/v1.0/me").get()).rejects.toThrow(/refusing to follow/);
      await expect(client.api(`${server.url.replace("/v1.0", "/beta")}/me`).get()).rejects.toThrow(
        /refusing to follow/,
      );
      expect(server.requests()).toBe(1);
    });

    it("should report a Retry-After over 10 s in words before waiting, and stay quiet about short ones", async () => {
      const throttle = (seconds: number) => (req: http.IncomingMessage, res: http.ServerResponse) => {
        void req;
        res.writeHead(429, { "Content-Type": "application/json", "Retry-After": String(seconds) });
        res.end(JSON.stringify({ error: { code: "TooManyRequests", message: "Slow down." } }));
      };
      server = await scriptedServer([throttle(0), throttle(180), ok]);
      const notices: GraphWaitNotice[] = [];
      const slept: number[] = [];
      const realSetTimeout = global.setTimeout;
      // The SDK sleeps with setTimeout: shorten its long pause, and note how long it meant to wait.
      const spy = jest.spyOn(global, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
        if ((ms ?? 0) >= 10_000 && (ms ?? 0) !== 300) {
          slept.push(ms ?? 0);
          return realSetTimeout(fn, 0);
        }
        return realSetTimeout(fn, ms);
      }) as typeof setTimeout);
      try {
        const me = (await connectTo(server.url, { onWait: (n: GraphWaitNotice) => notices.push(n) })
          .api("/me")
          .get()) as { mail: string };
        expect(me.mail).toBe("sam@example.com");
      } finally {
        spy.mockRestore();
      }
      expect(notices).toEqual([
        { seconds: 180, message: "Graph asked us to wait 3 min before trying again" },
      ]);
      expect(slept.some((ms) => ms >= 180_000)).toBe(true);
    });

    it.each([
      ["a line break", "abc\r\nX-Injected: 1"],
      ["a space", "abc def"],
      ["a control character", "abc\u0000def"],
      ["nothing", ""],
    ])("should refuse a token with %s before sending anything, without echoing it", async (_what, token) => {
      server = await scriptedServer([ok]);
      const client = createGraphConnection({
        baseUrl: server.url,
        authProvider: new StaticTokenProvider(token),
        retryDelaySeconds: 0,
      }).client;
      const error: unknown = await client
        .api("/me")
        .get()
        .then(
          () => null,
          (e: unknown) => e,
        );
      const message = toGraphSyncError(error, "reading /me").message;
      expect(message).toMatch(/the token is not valid/);
      if (token) expect(message).not.toContain(token.slice(0, 3) + token.slice(3, 6));
      expect(toGraphSyncError(error, "reading /me").kind).toBe("unauthorized");
      expect(server.requests()).toBe(0);
    });
  });
});
