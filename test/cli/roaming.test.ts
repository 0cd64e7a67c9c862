// The CLI with a Graph source: decisions kept in the mailbox merge into the state file, and the state file's
// decisions (made by snooze, close, … while offline from Graph) are saved in the mailbox at the next scan.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeStateValue, ROAMING_STATE_PROPERTY } from "../../src/graph/mailboxState";
import { readStateFile } from "../../src/store/userStateFile";
import { type EmulatorMailbox, type RunningEmulator, startGraphEmulator } from "../emulator/graphEmulator";
import { DEMO_NOW } from "../fixtures/demoMailbox";
import demoMailbox from "../fixtures/demo-mailbox.json";
import { runCli } from "./runCli";

const CLOCK = Date.parse(DEMO_NOW);
const run = (argv: string[]) => runCli(argv, {}, () => CLOCK);

describe("rekindle with --graph: decisions in the mailbox", () => {
  let dir: string;
  let emulator: RunningEmulator;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "rekindle-roaming-"));
    emulator = await startGraphEmulator({
      mailbox: demoMailbox as unknown as EmulatorMailbox,
      token: "T",
      readOnlyToken: "R",
    });
  });
  afterEach(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const scan = (state: string, cache: string, token = "T") =>
    run([
      "scan",
      "--graph",
      emulator.url,
      "--token",
      token,
      "--cache",
      cache,
      "--state",
      state,
      "--now",
      DEMO_NOW,
    ]);
  const onNudge = (): string | undefined =>
    (
      (emulator.folderMessages("sentitems").find((m) => m.id === "demo-1")?.singleValueExtendedProperties ??
        []) as { id: string; value: string }[]
    ).find((p) => p.id === ROAMING_STATE_PROPERTY)?.value;

  it("should save a snooze made with `rekindle snooze` in the mailbox, and give it to a second machine", async () => {
    const laptop = join(dir, "laptop.json");
    await scan(laptop, join(dir, "laptop.cache"));
    const snoozed = await run(["snooze", "conv-nudge", "--for", "2w", "--state", laptop]);
    expect(snoozed.code).toBe(0);
    expect(onNudge()).toBeUndefined();

    const again = await scan(laptop, join(dir, "laptop.cache"));
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/warning/);
    expect(decodeStateValue(onNudge() ?? "").entries).toEqual(await readStateFile(laptop));

    // Another machine (its own cache and state file) gets the snooze from the mailbox at its first scan.
    const desktop = join(dir, "desktop.json");
    const before = await run([
      "scan",
      "--mailbox",
      join(__dirname, "..", "fixtures", "demo-mailbox.json"),
      "--now",
      DEMO_NOW,
    ]);
    const fromMailbox = await scan(desktop, join(dir, "desktop.cache"));
    expect(await readStateFile(desktop)).toEqual(await readStateFile(laptop));
    expect(before.stdout).toMatch(/Priya Patel/);
    expect(fromMailbox.stdout).not.toMatch(/Priya Patel/);
  });

  it("should keep decisions in the state file and say so when the token may not change mail", async () => {
    const state = join(dir, "state.json");
    await run(["close", "conv-nudge", "--state", state]);
    const result = await scan(state, join(dir, "cache"), "R");
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `decisions are kept in ${state} only: Graph did not let Rekindle save them in the mailbox (the token needs Mail.ReadWrite)`,
    );
    expect(onNudge()).toBeUndefined();
    expect((await readStateFile(state)).map((e) => e.kind)).toEqual(["closed"]);
    // A token that may write saves it at the next scan.
    await scan(state, join(dir, "cache"));
    expect(decodeStateValue(onNudge() ?? "").entries.map((e) => e.kind)).toEqual(["closed"]);
  });

  it("should warn about a damaged value in the mailbox and leave it as it is", async () => {
    emulator.updateMessage("demo-1", {
      singleValueExtendedProperties: [{ id: ROAMING_STATE_PROPERTY, value: '{"format":"rekindle-state"' }],
    });
    const state = join(dir, "state.json");
    await run(["snooze", "conv-nudge", "--for", "1w", "--state", state]);
    const result = await scan(state, join(dir, "cache"));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      "warning: The Rekindle state on a message could not be read (it is not valid JSON); it was left as it is.",
    );
    expect(onNudge()).toBe('{"format":"rekindle-state"');
    expect((await readStateFile(state)).map((e) => e.kind)).toEqual(["snooze"]);
  });
});
