import {
  createGraphConnection,
  decodeUtf8,
  relativeGraphPath,
  SlotReleaseOption,
  StaticTokenProvider,
} from "../../src/graph/graphClient";
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

    it("should free a request's slot once its whole answer has arrived, and say so before the SDK parses it", async () => {
      emulator = await startEmulator(smallMailbox(), { faults: { latencyMs: 20 } });
      const { client } = createGraphConnection({
        baseUrl: emulator.url,
        authProvider: new StaticTokenProvider(emulator.token),
      });
      const events: string[] = [];
      const page = (await client
        .api("/me/mailFolders/inbox/messages?$top=100")
        .middlewareOptions([new SlotReleaseOption(() => events.push("released"))])
        .get()
        .then((body: unknown) => {
          events.push("parsed");
          return body;
        })) as { value: unknown[] };
      expect(page.value).toHaveLength(100);
      expect(events).toEqual(["released", "parsed"]);
      // A failed request gives its slot back too.
      const failed = client
        .api("/me/mailFolders/nowhere")
        .middlewareOptions([new SlotReleaseOption(() => events.push("released after error"))])
        .get();
      await expect(failed).rejects.toMatchObject({ statusCode: 404 });
      expect(events.at(-1)).toBe("released after error");
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

  describe("relativeGraphPath", () => {
    it("should follow links on the configured Graph origin and refuse any other host", () => {
      const connection = createGraphConnection({
        baseUrl: "https://graph.microsoft.com/v1.0",
        authProvider: new StaticTokenProvider("t"),
      });
      expect(relativeGraphPath(connection, "https://graph.microsoft.com/v1.0/me/messages?$skip=10")).toBe(
        "/me/messages?$skip=10",
      );
      expect(() => relativeGraphPath(connection, "https://evil.example.com/v1.0/me")).toThrow(
        /refusing to follow/,
      );
      expect(() =>
        relativeGraphPath(connection, "https://graph.microsoft.com.evil.example/v1.0/me"),
      ).toThrow();
    });
  });
});
