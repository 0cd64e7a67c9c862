// The CLI refuses hostile or broken input with one clear line: impossible --now dates, and tokens that could
// not be sent (never echoing them).
import { startGraphEmulator, type RunningEmulator } from "../emulator/graphEmulator";
import { DEMO_NOW } from "../fixtures/demoMailbox";
import { generateMailbox } from "../fixtures/mailboxGenerator";
import { runCli } from "./runCli";
import { join } from "node:path";

const DEMO = join(__dirname, "..", "fixtures", "demo-mailbox.json");

describe("rekindle --now", () => {
  it.each([
    ["2026-02-30T10:00:00Z"],
    ["2026-13-01T10:00:00Z"],
    ["2026-04-31"],
    ["2025-02-29T00:00:00Z"],
    ["2026-01-01T25:00:00Z"],
    ["2026-01-01T10:00:00"],
  ])("should refuse the impossible or zoneless date %s as a usage error", async (now) => {
    const result = await runCli(["scan", "--mailbox", DEMO, "--now", now]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`--now needs an ISO date such as 2026-03-01T09:00:00Z, got "${now}"`);
  });

  it.each([["2024-02-29T00:00:00Z"], ["2026-11-20"], ["2026-11-20T09:00:00.000+01:00"], [DEMO_NOW]])(
    "should accept the real date %s",
    async (now) => {
      const result = await runCli(["scan", "--mailbox", DEMO, "--now", now, "--json"]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
    },
  );
});

describe("rekindle --reset-cache", () => {
  it.each([
    [
      ["scan", "--graph", "http://127.0.0.1:9/v1.0", "--token", "T", "--reset-cache"],
      "--reset-cache goes with --cache FILE",
    ],
    [["scan", "--mailbox", DEMO, "--reset-cache"], "--reset-cache goes with --graph"],
  ])("should be a usage error without a Graph cache: %j", async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe("rekindle --token", () => {
  let emulator: RunningEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it.each([
    ["a CR/LF (header injection)", "secret1234\r\nX-Injected: yes"],
    ["a trailing line break", "secret1234\n"],
    ["a space", "secret 1234"],
    ["a control character", "secret\u00071234"],
    ["non-ASCII", "secrét1234"],
  ])("should refuse a token with %s, saying it is not valid and never echoing it", async (_what, token) => {
    emulator = await startGraphEmulator({
      mailbox: generateMailbox({ seed: 1, sent: 5, inbox: 5, now: DEMO_NOW }),
      token: "T",
    });
    for (const env of [{}, { REKINDLE_TOKEN: token }] as Record<string, string>[]) {
      const argv = ["scan", "--graph", emulator.url, "--now", DEMO_NOW];
      const result = await runCli("REKINDLE_TOKEN" in env ? argv : [...argv, "--token", token], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/the token is not valid/);
      expect(result.stderr).not.toMatch(/secr|1234/);
      expect(result.stdout).toBe("");
    }
    expect(emulator.stats.requests).toBe(0);
  });
});
