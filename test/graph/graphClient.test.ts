import { createGraphConnection, relativeGraphPath, StaticTokenProvider } from "../../src/graph/graphClient";
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
