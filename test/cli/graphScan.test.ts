// Acceptance: `rekindle scan --graph URL --token T` against the emulator prints exactly what `--mailbox` prints
// for the same mailbox file.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmulatorMailbox, startGraphEmulator, type RunningEmulator } from "../emulator/graphEmulator";
import { DEMO_NOW, priyaFiledAnswer } from "../fixtures/demoMailbox";
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

  describe("with a hostile or broken --cache", () => {
    const now = "2026-06-01T12:00:00Z";
    const mailbox = () => generateMailbox({ seed: 5, sent: 60, inbox: 140, now });
    const scan = (url: string, cache: string, ...extra: string[]) =>
      run(["scan", "--graph", url, "--cache", cache, "--now", now, "--json", "--all", ...extra], {
        REKINDLE_TOKEN: "T",
      });

    it("should refuse a damaged cache naming the file and line, and rebuild it with --reset-cache", async () => {
      emulator = await startGraphEmulator({ mailbox: mailbox(), token: "T" });
      const cache = join(dir, "cache.jsonl");
      const fresh = await scan(emulator.url, cache);
      expect(fresh.code).toBe(0);
      const lines = readFileSync(cache, "utf8").split("\n");
      lines[1] = (lines[1] ?? "").replace('"conversationId":"', '"conversationId":"X');
      writeFileSync(cache, lines.join("\n"));
      const damaged = await scan(emulator.url, cache);
      expect(damaged.code).toBe(1);
      expect(damaged.stdout).toBe("");
      expect(damaged.stderr).toBe(
        `rekindle: ${cache}: line 2 is damaged (its checksum does not match); run again with --reset-cache to delete it and sync afresh (it holds only mail, which is synced again)\n`,
      );
      const reset = await scan(emulator.url, cache, "--reset-cache");
      expect(reset.code).toBe(0);
      expect(reset.stdout).toBe(fresh.stdout);
      expect(reset.stderr).toMatch(/first sync/);
    });

    it("should never overwrite a --cache file that is not a Rekindle cache, even with --reset-cache", async () => {
      emulator = await startGraphEmulator({ mailbox: mailbox(), token: "T" });
      const notes = join(dir, "notes.txt");
      writeFileSync(notes, "quarterly targets\n");
      for (const extra of [[], ["--reset-cache"]]) {
        const result = await scan(emulator.url, notes, ...extra);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`rekindle: ${notes}: is not a Rekindle cache`);
        expect(readFileSync(notes, "utf8")).toBe("quarterly targets\n");
      }
      expect(emulator.stats.requests).toBe(0);
    });

    it("should make a second scan on the same cache wait for the first, saying so on stderr", async () => {
      emulator = await startGraphEmulator({ mailbox: mailbox(), token: "T", faults: { latencyMs: 40 } });
      const cache = join(dir, "cache.jsonl");
      const first = scan(emulator.url, cache);
      while (!existsSync(`${cache}.lock`)) await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await scan(emulator.url, cache);
      const done = await first;
      expect(done.code).toBe(0);
      expect(second.code).toBe(0);
      expect(second.stderr).toContain(`rekindle: waiting for another rekindle using ${cache}…\n`);
      expect(done.stderr).not.toContain("waiting");
      // The second found the first's finished cache: an incremental sync, the same answer.
      expect(second.stderr).toMatch(/syncing changes/);
      expect(second.stdout).toBe(done.stdout);
    });

    it("should say on stderr when Graph asks us to wait long, instead of going silent", async () => {
      emulator = await startGraphEmulator({
        mailbox: mailbox(),
        token: "T",
        faults: { seed: 4, throttleRate: 0.2, retryAfterSeconds: 180 },
      });
      const realSetTimeout = global.setTimeout;
      // The SDK sleeps with setTimeout: its 180 s pauses are shortened here (the 60 s request timeout is not).
      const spy = jest
        .spyOn(global, "setTimeout")
        .mockImplementation(((fn: () => void, ms?: number) =>
          realSetTimeout(fn, ms === 180_000 ? 0 : ms)) as typeof setTimeout);
      try {
        const result = await run(["scan", "--graph", emulator.url, "--token", "T", "--now", now, "--json"]);
        expect(result.code).toBe(0);
        expect(result.stderr).toContain("rekindle: Graph asked us to wait 3 min before trying again\n");
      } finally {
        spy.mockRestore();
      }
    });
  });
});

describe("rekindle draft --graph: the last-moment check", () => {
  let emulator: RunningEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  const demo = () =>
    JSON.parse(
      readFileSync(join(__dirname, "..", "fixtures", "demo-mailbox.json"), "utf8"),
    ) as EmulatorMailbox;
  const draft = (url: string, ...more: string[]) =>
    run([
      "draft",
      "--graph",
      url,
      "--token",
      "T",
      "--conversation",
      "conv-nudge",
      "--now",
      DEMO_NOW,
      "--tz",
      "UTC",
      ...more,
    ]);

  it("should refuse when an Inbox rule filed the prospect's answer into another folder", async () => {
    const answer = priyaFiledAnswer();
    emulator = await startGraphEmulator({ mailbox: { ...demo(), projects: [answer] }, token: "T" });
    const refused = await draft(emulator.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'rekindle: conversation "conv-nudge" was answered: Priya Patel answered on 18 Nov (in Projects); nothing drafted',
    );
    expect(refused.stdout).toBe("");
  });

  it("should read a folder named by --folders, so an answer an Inbox rule filed there is seen", async () => {
    const answer = priyaFiledAnswer();
    emulator = await startGraphEmulator({ mailbox: { ...demo(), projects: [answer] }, token: "T" });
    const scan = (...more: string[]) =>
      run(["scan", "--graph", emulator!.url, "--token", "T", "--now", DEMO_NOW, "--json", ...more]);
    const stale = (stdout: string) =>
      (JSON.parse(stdout) as { conversationId: string }[]).map((r) => r.conversationId);
    const without = await scan();
    expect(without.code).toBe(0);
    expect(stale(without.stdout)).toContain("conv-nudge");
    const picked = await scan("--folders", "inbox/projects");
    expect(picked.code).toBe(0);
    expect(stale(picked.stdout)).not.toContain("conv-nudge");
    expect(stale(picked.stdout)).toHaveLength(stale(without.stdout).length - 1);

    const unknown = await scan("--folders", "Projets");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--folders: no folder "Projets" to read (yours: Inbox / Projects)');
  });

  it("should refuse --folders without --graph", async () => {
    const file = join(__dirname, "..", "fixtures", "demo-mailbox.json");
    const result = await run(["scan", "--mailbox", file, "--folders", "Projects"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--folders goes with --graph");
  });

  it("should draft as usual when no newer answer exists anywhere", async () => {
    emulator = await startGraphEmulator({ mailbox: demo(), token: "T" });
    const drafted = await draft(emulator.url);
    expect(drafted.code).toBe(0);
    expect(drafted.stdout).toMatch(/^Subject: /);
  });
});
