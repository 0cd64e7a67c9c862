// `rekindle stats` against a mailbox file whose answers are known, with the state file's "sent" records.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { updateStateFile } from "../../src/store/userStateFile";
import { REPLY_FORM_RECORD, resultsScenario } from "../fixtures/resultsMailbox";
import { NOW_ISO } from "../fixtures/scenario";
import { runCli } from "./runCli";

const dir = mkdtempSync(join(tmpdir(), "rekindle-stats-"));

function mailboxFile(): string {
  const path = join(dir, "mailbox.json");
  writeFileSync(path, JSON.stringify(resultsScenario().json()));
  return path;
}

describe("rekindle stats", () => {
  const mailbox = mailboxFile();

  it("should print each technique's figures as JSON, the reply form's message attributed by its record", async () => {
    const state = join(dir, "state.json");
    await updateStateFile(state, [REPLY_FORM_RECORD]);
    const run = await runCli([
      "stats",
      "--mailbox",
      mailbox,
      "--state",
      state,
      "--now",
      NOW_ISO,
      "--tz",
      "UTC",
      "--json",
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      techniques: {
        technique: string;
        sent: number;
        answered: number;
        within48h: number;
        within72h: number;
        enoughData: boolean;
        claim: unknown;
      }[];
      followUps: { label: string; sent: number; answered: number }[];
    };
    const pf = out.techniques.find((t) => t.technique === "pending-file")!;
    expect(pf).toMatchObject({ sent: 6, answered: 5, within48h: 2, within72h: 4, enoughData: true });
    expect(pf.claim).toMatchObject({ withinHours: 72, share: 0.8 });
    expect(out.techniques.find((t) => t.technique === "are-you-ok")).toMatchObject({
      sent: 1,
      answered: 1,
      enoughData: false,
    });
    expect(out.followUps[0]).toMatchObject({ label: "1st", sent: 7, answered: 6 });
  });

  it("should print a table with the counts, the seed's claim and 'not enough data' below 5 sent", async () => {
    const run = await runCli([
      "stats",
      "--mailbox",
      mailbox,
      "--state",
      join(dir, "none.json"),
      "--now",
      NOW_ISO,
      "--tz",
      "UTC",
    ]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines.find((l) => l.startsWith("Pending file"))).toMatch(
      /^Pending file\s+6\s+5\s+83%\s+2.1 days\s+2 \(33%\)\s+4 \(67%\)\s+0\/0\/5\/0\s+0$/,
    );
    expect(run.stdout).toContain(
      "claimed: 80% within 72 h (Seed article 002: 80% answer within 72 hours); yours: 67%",
    );
    expect(lines.find((l) => l.startsWith("Nudge"))).toMatch(
      /Nudge\s+0\s+0\s+not enough data \(fewer than 5 sent\)/,
    );
    expect(lines.find((l) => l.startsWith("1st"))).toMatch(/^1st\s+7\s+6\s+86%/);
  });

  it("should take the same source options as scan and refuse a bad one clearly", async () => {
    const run = await runCli(["stats", "--now", NOW_ISO]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/say where the mail is: --mailbox FILE or --graph/);
  });
});
