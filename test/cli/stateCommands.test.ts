// The CLI's own actions round-trip through scan: each writes one entry to the state file, and scan honours it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_NOW } from "../fixtures/demoMailbox";
import { runCli } from "./runCli";

const DEMO = join(__dirname, "..", "fixtures", "demo-mailbox.json");
const dir = mkdtempSync(join(tmpdir(), "rekindle-actions-"));
let n = 0;

function session() {
  const state = join(dir, `state-${++n}.json`);
  const common = ["--state", state, "--now", DEMO_NOW, "--tz", "UTC"];
  const run = (...argv: string[]) => runCli([...argv, ...common], {}, () => Date.parse(DEMO_NOW) + n);
  const row = async (id: string) => {
    const { stdout } = await run("scan", "--mailbox", DEMO, "--json", "--all");
    return (
      JSON.parse(stdout) as { conversationId: string; id: string; state: string; attempts: number }[]
    ).find((r) => r.conversationId === id)!;
  };
  return { run, row };
}

describe("the CLI's state commands", () => {
  it("should snooze by the short ID scan showed, and scan then lists it as snoozed", async () => {
    const { run, row } = session();
    const { id } = await row("conv-nudge");
    const snoozed = await run("snooze", id, "--for", "2w");
    expect(snoozed.code).toBe(0);
    expect(snoozed.stdout).toMatch(/^Snoozed conv-nudge until .*2026\.\n$/);
    expect((await row("conv-nudge")).state).toBe("snoozed");
  });

  it("should close and reopen a file", async () => {
    const { run, row } = session();
    expect((await run("close", "conv-nudge")).code).toBe(0);
    expect((await row("conv-nudge")).state).toBe("closed");
    expect((await run("reopen", "conv-nudge")).stdout).toBe("Reopened conv-nudge.\n");
    expect((await row("conv-nudge")).state).toBe("stale");
  });

  it("should count a logged call as an attempt", async () => {
    const { run, row } = session();
    const before = (await row("conv-nudge")).attempts;
    expect((await run("log-call", "conv-nudge", "--voicemail", "--note", "left a message")).code).toBe(0);
    expect((await row("conv-nudge")).attempts).toBe(before + 1);
  });

  it("should mark a whole domain as not a prospect, and undo it", async () => {
    const { run, row } = session();
    expect((await run("not-a-prospect", "@fabrikam.io")).stdout).toBe(
      "@fabrikam.io is no longer treated as a prospect.\n",
    );
    expect((await row("conv-nudge")).state).toBe("excluded");
    await run("not-a-prospect", "@fabrikam.io", "--undo");
    expect((await row("conv-nudge")).state).toBe("stale");
  });

  it.each([
    [["snooze", "conv-nudge"], "snooze needs --until DATE or --for 2w"],
    [["snooze", "conv-nudge", "--until", "2026-02-30"], 'a date that does not exist: "2026-02-30"'],
    [["snooze", "conv-nudge", "--until", "2026-01-01"], "must end in the future"],
    [["snooze", "conv-nudge", "--for", "soon"], '--for takes a span such as 3d, 2w or 1m, got "soon"'],
    [["not-a-prospect", "nobody"], 'not-a-prospect takes an e-mail address or @domain, got "nobody"'],
    [["close"], "missing ID"],
    [["close", "a", "b"], 'unexpected argument "b"'],
  ])("should refuse %j in one line with exit code 2", async (argv, message) => {
    const { run } = session();
    const { code, stderr } = await run(...argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it("should refuse an ID that the last scan did not show", async () => {
    const { run } = session();
    const { code, stderr } = await run("close", "zzzzzzzz");
    expect(code).toBe(1);
    expect(stderr).toContain('no conversation with the ID "zzzzzzzz" in the last scan');
  });
});
