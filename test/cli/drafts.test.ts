import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TECHNIQUE_PROPERTY } from "../../src/graph/mapMessage";
import { conversationHandle } from "../../src/cli/scanOutput";
import { type RunningEmulator, startGraphEmulator } from "../emulator/graphEmulator";
import { graphMessage } from "../fixtures/graphMessage";
import { runCli } from "./runCli";

const ME = "sam.rivera@northwind-sales.com";
const NOW = "2026-06-01T12:00:00Z";
const CLOCK = Date.parse(NOW);
const DAY = 86_400_000;
const N = 6;
let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** Six conversations gone quiet for 150 days; Dana 2 answered since, into a folder the sync does not read. */
async function start(): Promise<RunningEmulator> {
  emulator = await startGraphEmulator({
    clock: () => CLOCK,
    faults: { retryAfterSeconds: 0 },
    mailbox: {
      me: { displayName: "Sam Rivera", givenName: "Sam", mail: ME, userPrincipalName: ME },
      sentitems: Array.from({ length: N }, (_, i) =>
        graphMessage({
          id: `sent-${i}`,
          conversationId: `conv-${i}`,
          subject: `Proposal ${i}`,
          from: `Sam Rivera <${ME}>`,
          to: [`Dana Lee${i} <dana${i}@acme-${i}.com>`],
          at: new Date(CLOCK - 150 * DAY),
        }),
      ),
      inbox: [],
      projects: [
        graphMessage({
          id: "answer-2",
          conversationId: "conv-2",
          subject: "RE: Proposal 2",
          from: "Dana Lee2 <dana2@acme-2.com>",
          to: [ME],
          at: new Date(CLOCK - 2 * DAY),
        }),
      ],
    },
  });
  return emulator;
}

const statePath = () => join(mkdtempSync(join(tmpdir(), "rekindle-drafts-")), "state.json");
const drafts = (e: RunningEmulator, state: string, ...more: string[]) =>
  runCli(
    [
      "drafts",
      "--graph",
      e.url,
      "--token",
      e.token,
      "--technique",
      "pending-file",
      "--now",
      NOW,
      "--tz",
      "UTC",
    ].concat(["--state", state], more),
    {},
    () => CLOCK,
  );
const marked = (e: RunningEmulator) =>
  e
    .drafts()
    .filter((d) =>
      ((d.singleValueExtendedProperties ?? []) as { id: string }[]).some((p) => p.id === TECHNIQUE_PROPERTY),
    );

describe("rekindle drafts", () => {
  it("should make one reply-all draft per pending-file conversation, skip the answered one, record them, and make none on a second run", async () => {
    const e = await start();
    const state = statePath();
    const first = await drafts(e, state);
    expect(first.code).toBe(1); // one conversation was answered meanwhile: not every draft was made
    const lines = first.stdout.trim().split("\n");
    expect(lines).toHaveLength(N + 1);
    expect(lines.filter((l) => l.startsWith("created")).length).toBe(N - 1);
    expect(first.stdout).toContain(
      `answered     ${conversationHandle("conv-2")}  Dana Lee2 answered on 30 May (in Projects); nothing drafted`,
    );
    expect(lines.at(-1)).toBe(
      "5 drafts created, 0 already in Drafts, 1 answered meanwhile. Nothing was sent: review the drafts in your Drafts folder and send them from there.",
    );
    const made = marked(e);
    expect(made.map((d) => d.conversationId).sort()).toEqual([
      "conv-0",
      "conv-1",
      "conv-3",
      "conv-4",
      "conv-5",
    ]);
    const subject = made.find((d) => d.conversationId === "conv-0")!.subject as string;
    expect(subject).toMatch(/Proposal 0/);
    expect(first.stdout).toContain(`created      ${conversationHandle("conv-0")}  "${subject}" in Drafts`);
    expect(e.folderMessages("sentitems")).toHaveLength(N);
    // Each draft is recorded as a "sent" entry of the graph-draft path.
    const recorded = (
      JSON.parse(readFileSync(state, "utf8")) as { entries: { kind: string; path?: string; id: string }[] }
    ).entries.filter((x) => x.kind === "sent");
    expect(recorded.map((x) => x.id).sort()).toEqual(made.map((d) => d.id).sort());
    expect(recorded.every((x) => x.path === "graph-draft")).toBe(true);

    const second = await drafts(e, state);
    expect(second.stdout.split("\n").filter((l) => l.startsWith("in Drafts"))).toHaveLength(N - 1);
    expect(marked(e)).toHaveLength(N - 1);
    // The conversations asked for by their short IDs, all drafted already: exit 0.
    const chosen = await drafts(
      e,
      state,
      "--conversation",
      conversationHandle("conv-0"),
      "--conversation",
      "conv-1",
    );
    expect(chosen.code).toBe(0);
    expect(chosen.stdout).toContain("0 drafts created, 2 already in Drafts.");
    expect(marked(e)).toHaveLength(N - 1);
  });

  it("should exit 0 when every draft was made, and look only in a dry run, honouring --limit", async () => {
    const e = await start();
    const state = statePath();
    const dry = await drafts(e, state, "--dry-run", "--limit", "2");
    expect(dry.code).toBe(0);
    expect(dry.stdout.trim().split("\n")).toHaveLength(3);
    expect(dry.stdout).toContain("would create");
    expect(dry.stdout).toContain("Dry run: nothing was created.");
    expect(e.drafts()).toHaveLength(0);
    const run = await drafts(e, state, "--conversation", "conv-3", "--conversation", "conv-4");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("2 drafts created, 0 already in Drafts.");
    expect(marked(e)).toHaveLength(2);
  });

  it("should report a failed draft with a retry, exit 1, and make it on the next run", async () => {
    const e = await start();
    const state = statePath();
    // The 3 folders, 6 lookups and Projects' name, then 5 lookups of drafts: the 16th is the first createReplyAll.
    e.setFaults({ retryAfterSeconds: 0, failBatchedRequest: 16 });
    const failed = await drafts(e, state);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(
      /^failed +\w{8} {2}could not create the draft: Graph answered HTTP 500.*\(run it again to retry\)$/m,
    );
    e.setFaults({ retryAfterSeconds: 0 });
    const again = await drafts(e, state);
    expect(again.stdout).toContain("1 draft created, 4 already in Drafts, 1 answered meanwhile.");
    expect(marked(e)).toHaveLength(N - 1);
  });

  it.each([
    [["--graph", "http://127.0.0.1:9/v1.0", "--token", "t"], /drafts needs --technique/],
    [["--graph", "http://127.0.0.1:9/v1.0", "--token", "t", "--technique", "x"], /unknown technique "x"/],
    [["--technique", "pending-file", "--mailbox", "m.json"], /needs --graph/],
    [
      ["--graph", "http://127.0.0.1:9/v1.0", "--technique", "pending-file", "--limit", "0"],
      /--limit needs a whole number/,
    ],
  ])("should refuse %j with a usage error", async (args, message) => {
    const { code, stderr } = await runCli(["drafts", ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("should list drafts in --help", async () => {
    const { stdout } = await runCli(["--help"]);
    expect(stdout).toContain("rekindle drafts --graph");
    expect(stdout).toContain("nothing is sent");
  });

  it("should resume after the process is killed once drafts exist: the next run reuses them and never makes a second one", async () => {
    const e = await start();
    // Slow, so the kill lands while the run is still going (before it has written its state file).
    e.setFaults({ retryAfterSeconds: 0, latencyMs: 150 });
    const state = statePath();
    const bin = join(__dirname, "..", "..", "bin", "rekindle.js");
    const child = spawn(
      process.execPath,
      [bin, "drafts", "--graph", e.url, "--token", e.token, "--technique", "pending-file"].concat([
        "--now",
        NOW,
        "--tz",
        "UTC",
        "--state",
        state,
        "--limit",
        "5",
      ]),
      { stdio: "ignore" },
    );
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    const deadline = Date.now() + 30_000;
    while (marked(e).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGKILL");
    await exited;
    const before = marked(e).length;
    expect(before).toBeGreaterThan(0);

    e.setFaults({ retryAfterSeconds: 0 });
    const again = await drafts(e, state);
    // 1 only because Dana 2 answered meanwhile (nothing failed): the run says so.
    expect(again.stdout).toMatch(/answered/);
    expect(again.stdout).not.toMatch(/failed/i);
    expect(again.code).toBe(1);
    const per = new Map<string, number>();
    for (const d of marked(e))
      per.set(String(d.conversationId), (per.get(String(d.conversationId)) ?? 0) + 1);
    // Every pending conversation but the answered one has exactly one draft.
    expect([...per.keys()].sort()).toEqual(["conv-0", "conv-1", "conv-3", "conv-4", "conv-5"]);
    expect([...per.values()].every((n) => n === 1)).toBe(true);
  });
});
