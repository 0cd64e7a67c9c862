import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { isMyMessage, myAddressesOf } from "../../src/core/awaitingReply";
import { detectAutomatedMail } from "../../src/core/automatedMail";
import type { DraftOutcome, PlannedDraft } from "../../src/core/cleanUp";
import { instant, type MailMessage } from "../../src/core/message";
import { createDraftsInBatches, type DraftProgress } from "../../src/graph/batchDrafts";
import { createGraphConnection, StaticTokenProvider } from "../../src/graph/graphClient";
import { mapGraphUser, TECHNIQUE_PROPERTY } from "../../src/graph/mapMessage";
import { type EmulatorFaults, type RunningEmulator, startGraphEmulator } from "../emulator/graphEmulator";
import { graphMessage } from "../fixtures/graphMessage";

const ME = "sam.rivera@northwind-sales.com";
const CLOCK = Date.parse("2026-06-01T12:00:00Z");
const DAY = 86_400_000;
const iso = (daysAgo: number) => new Date(CLOCK - daysAgo * DAY).toISOString();
const SUBJECT = "SHOULD I CLOSE THE FILE???";

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** n conversations where I wrote last 100 days ago; conv-1 was answered since (filed in Projects). */
async function start(n: number, faults: EmulatorFaults = {}) {
  const me = { displayName: "Sam Rivera", mail: ME, userPrincipalName: ME };
  const running = await startGraphEmulator({
    clock: () => CLOCK,
    faults: { retryAfterSeconds: 0, ...faults },
    mailbox: {
      me,
      sentitems: Array.from({ length: n }, (_, i) =>
        graphMessage({
          id: `sent-${i}`,
          conversationId: `conv-${i}`,
          subject: `Proposal ${i}`,
          from: `Sam Rivera <${ME}>`,
          to: [`Dana ${i} <dana${i}@acme.com>`],
          at: iso(100),
        }),
      ),
      inbox: [],
      projects: [
        graphMessage({
          id: "answer-1",
          conversationId: "conv-1",
          subject: "RE: Proposal 1",
          from: "Dana Lee <dana1@acme.com>",
          to: [ME],
          at: iso(3),
        }),
      ],
    },
  });
  emulator = running;
  const mine = myAddressesOf(mapGraphUser(me), []);
  return {
    emulator: running,
    connection: createGraphConnection({
      baseUrl: running.url,
      authProvider: new StaticTokenProvider(running.token),
      maxRetries: 3,
      retryDelaySeconds: 0,
    }),
    isAnswer: (m: MailMessage) => !isMyMessage(m, mine) && detectAutomatedMail(m) === null,
  };
}

const plans = (n: number): PlannedDraft[] =>
  Array.from({ length: n }, (_, i) => ({
    conversationId: `conv-${i}`,
    replyToMessageId: `sent-${i}`,
    after: instant(CLOCK - 100 * DAY),
    technique: "pending-file",
    subject: SUBJECT,
    html: `<p>Hi Dana ${i}, shall I close the file?</p>`,
    edited: false,
  }));

type Started = Awaited<ReturnType<typeof start>>;
const run = (s: Started, n: number, extra: Partial<Parameters<typeof createDraftsInBatches>[0]> = {}) =>
  createDraftsInBatches({
    connection: s.connection,
    drafts: plans(n),
    isAnswer: s.isAnswer,
    describeAnswer: (a) => `${a.from?.name ?? "someone"} answered (in ${a.folderName})`,
    wait: () => Promise.resolve(),
    ...extra,
  });

const statuses = (outcomes: readonly DraftOutcome[]) =>
  outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.status]: (acc[o.status] ?? 0) + 1 }), {});

/** Rekindle drafts per conversation, as the emulator holds them. */
function draftsPerConversation(e: RunningEmulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of e.drafts()) {
    const marked = ((d.singleValueExtendedProperties ?? []) as { id: string }[]).some(
      (p) => p.id === TECHNIQUE_PROPERTY,
    );
    if (marked) counts.set(String(d.conversationId), (counts.get(String(d.conversationId)) ?? 0) + 1);
  }
  return counts;
}

describe("batchDrafts.ts", () => {
  describe("createDraftsInBatches", () => {
    it("should make one marked reply-all draft per conversation in Drafts, with the technique's subject above the quoted thread, and refuse the answered one", async () => {
      const s = await start(45);
      const seen: DraftProgress[] = [];
      const outcomes = await run(s, 45, { onProgress: (p) => seen.push(p) });
      expect(statuses(outcomes)).toEqual({ created: 44, answered: 1 });
      const answered = outcomes.find((o) => o.conversationId === "conv-1");
      expect(answered).toMatchObject({ status: "answered", reason: "Dana Lee answered (in Projects)" });
      const created = outcomes.find((o) => o.conversationId === "conv-7");
      expect(created).toMatchObject({ status: "created", folder: "Drafts", subject: SUBJECT });
      const stored = s.emulator.drafts().find((d) => d.id === (created as { draftId: string }).draftId)!;
      expect(stored).toMatchObject({
        conversationId: "conv-7",
        subject: SUBJECT,
        isDraft: true,
        replyAll: true,
      });
      const body = (stored.body as { content: string }).content;
      expect(body.indexOf("shall I close the file?")).toBeLessThan(body.indexOf("<hr>"));
      expect(stored.singleValueExtendedProperties).toEqual([
        { id: TECHNIQUE_PROPERTY, value: "pending-file" },
      ]);
      expect([...draftsPerConversation(s.emulator).values()].every((c) => c === 1)).toBe(true);
      expect(draftsPerConversation(s.emulator).has("conv-1")).toBe(false);
      // Nothing sent: Sent Items holds only the 45 messages it started with.
      expect(s.emulator.folderMessages("sentitems")).toHaveLength(45);
      // Progress only grows and ends at the total.
      expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));
      expect(seen.at(-1)).toMatchObject({ done: 45, total: 45 });
      // Graph's limits: never more than 4 requests in flight for the mailbox, 20 to a batch.
      expect(s.emulator.stats.maxInFlight).toBeLessThanOrEqual(4);
      expect(s.emulator.stats.throttledForConcurrency).toBe(0);
    });

    it("should create nothing on a second run: every draft is found by its marker and reused", async () => {
      const s = await start(30);
      await run(s, 30);
      const before = s.emulator.drafts().map((d) => d.id);
      s.emulator.resetStats();
      const again = await run(s, 30);
      expect(statuses(again)).toEqual({ existing: 29, answered: 1 });
      expect(s.emulator.drafts().map((d) => d.id)).toEqual(before);
      // The check (3 folders, 30 conversations, then the name of Projects) and the lookup of the 29 unanswered
      // conversations' drafts, in sequential batches of at most 20.
      expect(s.emulator.stats.batchedRequests).toBe(3 + 30 + 1 + 29);
      expect(s.emulator.stats.requests).toBe(Math.ceil(33 / 20) + 1 + Math.ceil(29 / 20));
    });

    it("should leave a draft the user started (no marker) alone and still make ours", async () => {
      const s = await start(3);
      const res = await fetch(`${s.emulator.url}/me/messages/sent-0/createReplyAll`, {
        method: "POST",
        headers: { Authorization: `Bearer ${s.emulator.token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ comment: "my own words" }),
      });
      expect(res.status).toBe(201);
      const outcomes = await run(s, 3);
      expect(outcomes[0]).toMatchObject({ status: "created" });
      expect(s.emulator.drafts().filter((d) => d.conversationId === "conv-0")).toHaveLength(2);
    });

    it("should set the subject again on a reused draft whose subject is not the technique's, keeping its body", async () => {
      const s = await start(2);
      const first = await run(s, 2);
      const id = (first[0] as { draftId: string }).draftId;
      s.emulator.updateMessage(id, {
        subject: "RE: Proposal 0",
        body: { contentType: "html", content: "edited" },
      });
      const again = await run(s, 2);
      expect(again[0]).toMatchObject({ status: "existing", draftId: id, subject: SUBJECT });
      const stored = s.emulator.drafts().find((d) => d.id === id)!;
      expect(stored.subject).toBe(SUBJECT);
      expect(stored.body).toEqual({ contentType: "html", content: "edited" });
    });

    it("should honour 429s inside batch responses with their Retry-After, and still make exactly one draft each", async () => {
      const s = await start(60, { batchItemThrottleRate: 0.05, retryAfterSeconds: 2, seed: 3 });
      const waits: number[] = [];
      const outcomes = await run(s, 60, {
        wait: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
      });
      expect(s.emulator.stats.faultsInjected).toBeGreaterThan(0);
      expect(waits.length).toBeGreaterThan(0);
      expect(waits.every((ms) => ms === 2000)).toBe(true);
      expect(statuses(outcomes)).toEqual({ created: 59, answered: 1 });
      expect([...draftsPerConversation(s.emulator).values()]).toEqual(Array(59).fill(1));
    });

    it("should report the one failed creation in an otherwise good batch as retryable, and make it on a re-run", async () => {
      const s = await start(25);
      const outcomes = await run(s, 25, {
        onProgress: (p) => {
          // The third createReplyAll of the run fails on its own; those after it in the batch get 424 and go again.
          if (p.phase === "creating" && s.emulator.stats.faultsInjected === 0)
            s.emulator.setFaults({ retryAfterSeconds: 0, failBatchedRequest: 3 });
        },
      });
      s.emulator.setFaults({ retryAfterSeconds: 0 });
      expect(statuses(outcomes)).toEqual({ created: 23, answered: 1, failed: 1 });
      const failed = outcomes.find((o) => o.status === "failed");
      expect(failed).toMatchObject({ conversationId: "conv-3", retryable: true });
      expect((failed as { reason: string }).reason).toMatch(/HTTP 500/);
      const again = await run(s, 25);
      expect(statuses(again)).toEqual({ created: 1, existing: 23, answered: 1 });
      expect([...draftsPerConversation(s.emulator).values()]).toEqual(Array(24).fill(1));
    });

    it.each<[string, EmulatorFaults, "created" | "existing"]>([
      // The batch ran, but its answer broke off halfway: the drafts exist, and are found, not made twice.
      ["an answer cut off after the batch ran", { resetMidBodyRate: 1 }, "existing"],
      // Each createReplyAll answered 504 (it did not run here): looked up again, found missing, made.
      ["504 for every creation inside the batch", { gatewayTimeoutRate: 1 }, "created"],
    ])("should never make a second draft after %s", async (_what, faults, expected) => {
      const s = await start(30);
      let creating = 0;
      const waits: number[] = [];
      const outcomes = await run(s, 30, {
        wait: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
        onProgress: (p) => {
          if (p.phase === "creating" && creating++ === 0)
            s.emulator.setFaults({ retryAfterSeconds: 0, ...faults });
          if (p.phase === "finding" && creating > 0) s.emulator.setFaults({ retryAfterSeconds: 0 });
        },
      });
      expect(s.emulator.stats.faultsInjected).toBeGreaterThan(0);
      expect(statuses(outcomes)).toEqual({ [expected]: 29, answered: 1 });
      expect([...draftsPerConversation(s.emulator).values()]).toEqual(Array(29).fill(1));
      expect(waits).toContain(1000);
    });

    it("should resume after an interruption mid-way: the re-run finishes with exactly one draft per conversation", async () => {
      const s = await start(100, { latencyMs: 60 });
      const stop = new AbortController();
      const watch = setInterval(() => {
        if (s.emulator.drafts().length > 0) stop.abort();
      }, 5);
      const first = await run(s, 100, { signal: stop.signal, maxInFlight: 1 }).finally(() =>
        clearInterval(watch),
      );
      const made = s.emulator.drafts().length;
      expect(made).toBeGreaterThan(0);
      expect(made).toBeLessThan(99);
      expect(statuses(first).failed).toBe(99 - made);
      expect(
        first.filter((o) => o.status === "failed").every((o) => o.status === "failed" && o.retryable),
      ).toBe(true);
      const second = await run(s, 100);
      expect(statuses(second)).toEqual({ created: 99 - made, existing: made, answered: 1 });
      const per = draftsPerConversation(s.emulator);
      expect(per.size).toBe(99);
      expect([...per.values()].every((c) => c === 1)).toBe(true);
    });

    it("should only look things up in a dry run", async () => {
      const s = await start(4);
      await run(s, 2);
      const outcomes = await run(s, 4, { dryRun: true });
      expect(outcomes.map((o) => o.status)).toEqual([
        "would-reuse",
        "answered",
        "would-create",
        "would-create",
      ]);
      expect(s.emulator.drafts()).toHaveLength(1);
    });

    it("should fail every conversation, retryably, when the answers cannot be checked", async () => {
      const s = await start(3);
      const outcomes = await createDraftsInBatches({
        connection: createGraphConnection({
          baseUrl: s.emulator.url,
          authProvider: new StaticTokenProvider("wrong-token"),
          maxRetries: 0,
        }),
        drafts: plans(3),
        isAnswer: s.isAnswer,
        describeAnswer: () => "",
      });
      expect(outcomes.map((o) => o.status)).toEqual(["failed", "failed", "failed"]);
      expect((outcomes[0] as { reason: string }).reason).toMatch(/could not check for newer answers/);
      expect(s.emulator.drafts()).toHaveLength(0);
    });
  });

  it("should never send: no Graph send call exists anywhere in src", () => {
    const root = join(__dirname, "..", "..", "src");
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|tsx)$/.test(name)) files.push(path);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.filter((f) =>
      // Graph's sending actions: POST …/send, …/reply, …/replyAll, …/forward and /me/sendMail.
      /\/(send|reply|replyAll|forward)\b["'`?]|\bsendMail\b/.test(readFileSync(f, "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
