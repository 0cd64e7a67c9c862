// Acceptance: `rekindle scan --graph URL --token T` against the emulator prints exactly what `--mailbox` prints
// for the same mailbox file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGraphEmulator, type RunningEmulator } from "../emulator/graphEmulator";
import { DEMO_NOW } from "../fixtures/demoMailbox";
import { generateMailbox } from "../fixtures/mailboxGenerator";
import { runCli } from "./runCli";

const run = (argv: string[], env: Record<string, string> = {}) => runCli(argv, env);

describe("rekindle scan --graph", () => {
  let dir: string;
  let emulator: RunningEmulator | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "rekindle-graphscan-"));
  });
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([{ flags: ["--json"] }, { flags: ["--json", "--all"] }, { flags: [] as string[] }])(
    "should print exactly what --mailbox prints for the demo mailbox (flags: $flags)",
    async ({ flags }) => {
      const file = join(__dirname, "..", "fixtures", "demo-mailbox.json");
      emulator = await startGraphEmulator({ mailbox: JSON.parse(readFileSync(file, "utf8")), token: "T" });
      const fromFile = await run(["scan", "--mailbox", file, "--now", DEMO_NOW, ...flags]);
      const fromGraph = await run([
        "scan",
        "--graph",
        emulator.url,
        "--token",
        "T",
        "--now",
        DEMO_NOW,
        ...flags,
      ]);
      expect(fromFile.code).toBe(0);
      expect(fromGraph.code).toBe(0);
      expect(fromFile.stdout.length).toBeGreaterThan(100);
      expect(fromGraph.stdout).toBe(fromFile.stdout);
      expect(fromGraph.stderr).toMatch(/first sync: \d+/);
    },
  );

  it("should match --mailbox on a generated mailbox, and make the next scan with --cache incremental", async () => {
    const now = "2026-06-01T12:00:00Z";
    const mailbox = generateMailbox({ seed: 4, sent: 400, inbox: 1200, now });
    const file = join(dir, "mailbox.json");
    writeFileSync(file, JSON.stringify(mailbox));
    emulator = await startGraphEmulator({ mailbox, token: "T" });
    const cache = join(dir, "cache.jsonl");
    const fromFile = await run(["scan", "--mailbox", file, "--now", now, "--json", "--all"]);
    const first = await run(
      ["scan", "--graph", emulator.url, "--cache", cache, "--now", now, "--json", "--all"],
      {
        REKINDLE_TOKEN: "T",
      },
    );
    expect(first.stdout).toBe(fromFile.stdout);
    emulator.resetStats();
    const second = await run(
      ["scan", "--graph", emulator.url, "--cache", cache, "--now", now, "--json", "--all"],
      {
        REKINDLE_TOKEN: "T",
      },
    );
    expect(second.stdout).toBe(fromFile.stdout);
    expect(second.stderr).toMatch(/syncing changes/);
    // /me and one delta request for each of Sent Items, Inbox and Archive
    expect(emulator.stats.requests).toBe(4);
  });

  it("should fail with exit code 1 and a message naming Graph's error code and request id on a bad token", async () => {
    emulator = await startGraphEmulator({
      mailbox: generateMailbox({ seed: 1, sent: 5, inbox: 5, now: DEMO_NOW }),
      token: "T",
    });
    const result = await run(["scan", "--graph", emulator.url, "--token", "nope"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/HTTP 401.*InvalidAuthenticationToken, request-id [0-9a-f-]{36}/);
    expect(result.stderr).toContain("az account get-access-token");
    expect(result.stderr).not.toContain("nope");
  });
});
