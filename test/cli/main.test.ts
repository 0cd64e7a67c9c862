import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_NOW } from "../fixtures/demoMailbox";
import { scenario } from "../fixtures/scenario";
import { runCli } from "./runCli";

const DEMO = join(__dirname, "..", "fixtures", "demo-mailbox.json");

const run = (argv: string[], env: Record<string, string> = {}) =>
  runCli(argv, env, () => Date.parse(DEMO_NOW));

const tmp = mkdtempSync(join(tmpdir(), "rekindle-cli-"));
const file = (name: string, content: string) => {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
};

describe("main.ts", () => {
  describe("scan", () => {
    it("should print the stale conversations of the demo mailbox as a table", async () => {
      const { code, stdout, stderr } = await run(["scan", "--mailbox", DEMO]);
      expect(code).toBe(0);
      expect(stderr).toBe("");
      const lines = stdout.trim().split("\n");
      expect(lines[0]).toMatch(/^ID\s+SCORE\s+PROSPECT\s+SUBJECT\s+SILENT\s+TRIES\s+TECHNIQUE$/);
      // the money at risk first: the proposal that went quiet outranks the older, colder pending file
      expect(lines[1]).toContain("Lukas Schmidt (Proseware)");
      expect(lines[1]).toContain("Should I close the file?");
      for (const label of [
        "Pending file",
        "Are you OK?",
        "Should I close the file?",
        "Close the file",
        "No pressure",
        "Nudge",
      ]) {
        expect(stdout).toContain(label);
      }
    });

    it("should print JSON with the documented fields, stale first by score", async () => {
      const { code, stdout } = await run(["scan", "--mailbox", DEMO, "--json", "--all", "--now", DEMO_NOW]);
      expect(code).toBe(0);
      const rows = JSON.parse(stdout) as Record<string, unknown>[];
      expect(Object.keys(rows[0]!)).toEqual([
        "conversationId",
        "id",
        "subject",
        "state",
        "reason",
        "prospects",
        "attempts",
        "darkDays",
        "sinceLastAttemptDays",
        "warm",
        "proposalSent",
        "score",
        "why",
        "technique",
        "lastAttemptAt",
        "lastHeardAt",
        "deferredUntil",
        "successor",
        "referrer",
        "evidence",
      ]);
      const stale = rows.filter((r) => r.state === "stale");
      expect(rows.slice(0, stale.length)).toEqual(stale);
      const scores = stale.map((r) => r.score as number);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(new Set(rows.map((r) => r.state))).toEqual(
        new Set(["stale", "waiting", "bounced", "replied", "excluded", "declined", "deferred", "left"]),
      );
      expect(rows.find((r) => r.conversationId === "conv-hostile")).toMatchObject({
        prospects: [
          { address: "mallory@evil-corp.com", name: '<img src=x onerror="alert(document.domain)"> Mallory' },
        ],
      });
    });

    it("should list only stale conversations without --all", async () => {
      const rows = JSON.parse((await run(["scan", "--mailbox", DEMO, "--json"])).stdout) as {
        state: string;
      }[];
      expect(rows.length).toBeGreaterThan(5);
      expect(rows.every((r) => r.state === "stale")).toBe(true);
    });

    it("should apply a settings file", async () => {
      const settings = file("settings.json", JSON.stringify({ excludedDomains: ["adatum-health.org"] }));
      const rows = JSON.parse(
        (await run(["scan", "--mailbox", DEMO, "--json", "--settings", settings])).stdout,
      ) as {
        conversationId: string;
      }[];
      expect(rows.map((r) => r.conversationId)).not.toContain("conv-are-you-ok");
    });

    it("should warn with a count when it skips malformed messages", async () => {
      const json = scenario().iSend("c", 10).json();
      const path = file("partial.json", JSON.stringify({ ...json, inbox: [{ id: "x" }, { id: "y" }] }));
      const { code, stderr } = await run(["scan", "--mailbox", path, "--now", "2026-06-01T12:00:00Z"]);
      expect(code).toBe(0);
      expect(stderr).toBe(
        `rekindle: warning: skipped 2 malformed messages in ${path} (2 missing conversationId)\n`,
      );
    });

    it("should strip terminal control characters from mail text in the table", async () => {
      const json = scenario()
        .iSend("c", 10, ["Evil\u001b[2J <e@evil.com>"], { subject: "Hi\u001b]0;pwned\u0007" })
        .json();
      const { stdout } = await run([
        "scan",
        "--mailbox",
        file("ctl.json", JSON.stringify(json)),
        "--now",
        "2026-06-01T12:00:00Z",
      ]);
      expect(stdout).not.toContain("\u001b");
      expect(stdout).not.toContain("\u0007");
    });

    it.each([
      [["scan"], "say where the mail is"],
      [["scan", "--mailbox"], "--mailbox needs a value"],
      [["scan", "--mailbox", "x", "--bogus"], "unknown option --bogus"],
      [["scan", "--mailbox", "x", "--now", "last tuesday"], "--now needs an ISO date"],
      [["scan", "--mailbox", "x", "--graph", "http://x"], "either --mailbox or --graph"],
      [["scan", "--graph"], "--graph needs an access token"],
      [["scan", "--graph", "ftp://x", "--token", "t"], "--graph needs an http(s) URL"],
      [["frobnicate"], 'unknown command "frobnicate"'],
      [["draft", "--mailbox", "x"], "draft needs --conversation"],
      [["draft", "--mailbox", "x", "--conversation", "c", "--technique", "beg"], 'unknown technique "beg"'],
      [["draft", "--mailbox", "x", "--conversation", "c", "--format", "pdf"], "--format is text or html"],
    ])(
      "should answer %j with the one-line problem, a pointer to --help and exit code 2",
      async (argv, message) => {
        const { code, stderr } = await run(argv);
        expect(code).toBe(2);
        expect(stderr).toContain(message);
        expect(stderr).toContain("Run `rekindle --help` for usage.");
        expect(stderr).not.toContain("Usage:");
        expect(stderr.trim().split("\n")).toHaveLength(2);
      },
    );

    it.each([
      ["a missing file", () => join(tmp, "nope.json"), "nope.json: cannot read it (no such file)"],
      ["a file that is not JSON", () => file("bad.json", "{ nope"), "bad.json: is not valid JSON"],
      [
        "a file of the wrong shape",
        () => file("shape.json", "[]"),
        'shape.json: expected a JSON object with "me"',
      ],
    ])("should fail clearly on %s with exit code 1 and no stack trace", async (_name, path, message) => {
      const { code, stderr } = await run(["scan", "--mailbox", path()]);
      expect(code).toBe(1);
      expect(stderr).toContain(message);
      expect(stderr).not.toMatch(/\n\s+at /);
    });

    it("should fail clearly on a bad settings file, naming it", async () => {
      const settings = file("bad-settings.json", JSON.stringify({ windowDays: "long" }));
      const { code, stderr } = await run(["scan", "--mailbox", DEMO, "--settings", settings]);
      expect(code).toBe(1);
      expect(stderr).toContain(
        `${settings}: Look back (days) must be a whole number from 1 to 3650 (got "long")`,
      );
    });
  });

  describe("draft", () => {
    it("should print the subject line, then the text body and the voicemail script", async () => {
      const { code, stdout } = await run(["draft", "--mailbox", DEMO, "--conversation", "conv-are-you-ok"]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Subject: Are you OK\?\n\nHi Amara,\n/);
      expect(stdout).toContain("--- Voicemail script ---");
    });

    it("should print escaped HTML for a hostile conversation", async () => {
      const { stdout } = await run([
        "draft",
        "--mailbox",
        DEMO,
        "--conversation",
        "conv-hostile",
        "--format",
        "html",
      ]);
      expect(stdout).toContain("&lt;script&gt;");
      expect(stdout).not.toContain("<script>");
      expect(stdout).not.toContain("<img");
    });

    it("should use the technique asked for", async () => {
      const { stdout } = await run([
        "draft",
        "--mailbox",
        DEMO,
        "--conversation",
        "conv-nudge",
        "--technique",
        "should-i-close-the-file",
      ]);
      expect(stdout.split("\n")[0]).toBe("Subject: SHOULD I CLOSE THE FILE?");
    });

    it("should accept the short ID the scan table shows", async () => {
      const table = await run(["scan", "--mailbox", DEMO, "--now", DEMO_NOW, "--tz", "UTC"]);
      const row = table.stdout.split("\n").find((l) => l.includes("Fleet tracking pilot"))!;
      const handle = row.split(/\s+/)[0]!;
      expect(handle).toMatch(/^[0-9a-z]{8}$/);
      const { code, stdout } = await run([
        "draft",
        "--mailbox",
        DEMO,
        "--conversation",
        handle,
        "--now",
        DEMO_NOW,
      ]);
      expect(code).toBe(0);
      expect(stdout).toContain("Fleet tracking pilot");
    });

    it("should refuse a replied conversation with a one-line reason, unless --force", async () => {
      const args = [
        "draft",
        "--mailbox",
        DEMO,
        "--conversation",
        "conv-replied",
        "--now",
        DEMO_NOW,
        "--tz",
        "UTC",
      ];
      const refused = await run(args);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        'rekindle: conversation "conv-replied" is replied: Omar (Woodgrove Bank) wrote on 12 Nov (add --force to draft anyway)\n',
      );
      const forced = await run([...args, "--force"]);
      expect(forced.code).toBe(0);
      expect(forced.stdout).toMatch(/^Subject: /);
    });

    it("should refuse an unknown time zone in one line", async () => {
      const { code, stderr } = await run(["scan", "--mailbox", DEMO, "--tz", "Mars/Olympus"]);
      expect(code).toBe(2);
      expect(stderr).toContain('--tz needs an IANA time zone such as Europe/Berlin, got "Mars/Olympus"');
    });

    it("should exit quietly when its reader goes away (rekindle draft … | true)", () => {
      const bin = join(__dirname, "..", "..", "bin", "rekindle.js");
      const result = spawnSync(
        "bash",
        ["-c", `set -o pipefail; node "${bin}" scan --mailbox "${DEMO}" --all --now ${DEMO_NOW} | true`],
        { encoding: "utf8" },
      );
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
    });

    it("should say so when the conversation is unknown", async () => {
      const { code, stderr } = await run(["draft", "--mailbox", DEMO, "--conversation", "nope"]);
      expect(code).toBe(1);
      expect(stderr).toContain('no conversation "nope"');
    });
  });
});
