// The CLI's own actions round-trip through scan: each writes one entry to the state file, and scan honours it.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DAY_MS, instant } from "../../src/core/message";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { parseStateDocument, stateDocument } from "../../src/core/stateDocument";
import { mergeEntries, type StateEntry } from "../../src/core/userStateEntries";
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

describe("the pane's data file as the CLI's state file", () => {
  it("should honour a pane export as --state, keep its settings when a command writes, and read back in the pane", async () => {
    const file = join(dir, "rekindle-data.json");
    const until = instant(Date.parse(DEMO_NOW) + 14 * DAY_MS);
    const settings = { ...DEFAULT_SETTINGS, followUpAfterDays: 4 };
    const paneEntries: StateEntry[] = [
      { kind: "snooze", id: "conv-nudge", at: instant(Date.parse(DEMO_NOW) - 1000), until },
      {
        kind: "sent",
        id: "reply-form:conv-nudge:1",
        at: instant(Date.parse(DEMO_NOW) - 2000),
        conversationId: "conv-nudge",
        technique: "nudge",
        edited: false,
        path: "reply-form",
      },
    ];
    // What the pane's "Export settings and decisions" writes.
    writeFileSync(file, JSON.stringify(stateDocument(paneEntries, settings), null, 1));
    const common = ["--state", file, "--now", DEMO_NOW, "--tz", "UTC"];
    const run = (...argv: string[]) => runCli([...argv, ...common], {}, () => Date.parse(DEMO_NOW));
    const states = async () =>
      new Map(
        (
          JSON.parse((await run("scan", "--mailbox", DEMO, "--json", "--all")).stdout) as {
            conversationId: string;
            state: string;
          }[]
        ).map((r) => [r.conversationId, r.state]),
      );
    expect((await states()).get("conv-nudge")).toBe("snoozed");

    expect((await run("close", "conv-are-you-ok")).code).toBe(0);
    expect((await states()).get("conv-are-you-ok")).toBe("closed");
    // The CLI's write kept the pane's settings and every entry, and the pane reads the file back.
    const back = parseStateDocument(JSON.parse(readFileSync(file, "utf8")));
    expect(back.settings).toEqual(settings);
    expect(back.entries.map((e) => `${e.kind}:${e.id}`)).toEqual([
      "closed:conv-are-you-ok",
      "sent:reply-form:conv-nudge:1",
      "snooze:conv-nudge",
    ]);
    expect(mergeEntries(paneEntries, back.entries)).toEqual(back.entries);
  });
});

describe("rekindle state import and export", () => {
  it("should merge a pane export into the state file, keep newer decisions, and export for the pane", async () => {
    const { run, row } = session();
    const state = join(dir, `state-${n}.json`);
    // the CLI's own, newer decision on conv-nudge
    expect((await run("close", "conv-nudge")).code).toBe(0);
    const pane: StateEntry[] = [
      { kind: "closed", id: "conv-nudge", at: instant(Date.parse(DEMO_NOW) - 60_000), closed: false },
      {
        kind: "snooze",
        id: "conv-no-pressure",
        at: instant(Date.parse(DEMO_NOW) - 60_000),
        until: instant(Date.parse(DEMO_NOW) + 9 * DAY_MS),
      },
    ];
    const exported = join(dir, "pane-export.json");
    writeFileSync(exported, JSON.stringify(stateDocument(pane, DEFAULT_SETTINGS)));
    const imported = await run("state", "import", exported);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toBe(
      `Imported into ${state}: Add 1 snooze.\nThe file's settings were left out: the rekindle command reads settings from --settings FILE.\n`,
    );
    expect((await row("conv-nudge")).state).toBe("closed"); // the older "reopened" from the pane lost
    expect((await row("conv-no-pressure")).state).toBe("snoozed");
    expect((await run("state", "import", exported)).stdout).toMatch(/^Nothing to import: /);

    const out = await run("state", "export");
    expect(out.code).toBe(0);
    const doc = parseStateDocument(JSON.parse(out.stdout));
    expect(doc.entries.map((e) => `${e.kind}:${e.id}`)).toEqual([
      "closed:conv-nudge",
      "snooze:conv-no-pressure",
    ]);
    expect(doc.settings).toBeNull();
  });

  it.each([
    [["state"], /state takes import FILE or export/],
    [["state", "import"], /FILE/],
    [["state", "send"], /state takes import FILE or export, got "send"/],
  ])("should refuse %j in one line", async (argv, message) => {
    const { code, stderr } = await runCli([...argv, "--state", join(dir, "x.json")]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("should refuse a file that is not Rekindle's, importing nothing", async () => {
    const other = join(dir, "other.json");
    writeFileSync(other, JSON.stringify({ windowDays: 3 }));
    const { code, stderr } = await runCli(["state", "import", other, "--state", join(dir, "y.json")]);
    expect(code).toBe(1);
    expect(stderr).toBe(`rekindle: ${other}: it is not a Rekindle data file; nothing was imported\n`);
  });
});
