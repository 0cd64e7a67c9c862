import { isMyMessage, myAddressesOf } from "../../src/core/awaitingReply";
import { detectAutomatedMail } from "../../src/core/automatedMail";
import { instant, type MailMessage } from "../../src/core/message";
import { GraphSyncError } from "../../src/graph/graphErrors";
import { conversationFilter, findNewerAnswers } from "../../src/graph/lastMomentCheck";
import { mapGraphUser } from "../../src/graph/mapMessage";
import type { RunningEmulator } from "../emulator/graphEmulator";
import { graphMessage } from "../fixtures/graphMessage";
import { CLOCK, connect, smallMailbox, startEmulator } from "./syncHarness";

const ME = "sam.rivera@northwind-sales.com";
const DAY = 86_400_000;
const at = (daysAgo: number): Date => new Date(CLOCK - daysAgo * DAY);

describe("lastMomentCheck.ts", () => {
  let emulator: RunningEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  /** A mailbox where I wrote last in every conversation 10 days ago, and then some answers arrived elsewhere. */
  async function start(): Promise<{ emulator: RunningEmulator; isAnswer: (m: MailMessage) => boolean }> {
    const base = smallMailbox(41, 5, 5);
    const mine = (id: string, conversationId: string, to: string) =>
      graphMessage({ id, conversationId, from: ME, to: [to], at: at(10), subject: "Proposal" });
    const mailbox = {
      ...base,
      sentitems: [
        ...base.sentitems,
        mine("m-jane", "c-jane", "jane@fabrikam.io"),
        mine("m-lee", "c-lee", "lee@contoso.com"),
        mine("m-oof", "c-oof", "ooo@contoso.com"),
        mine("m-quiet", "c-quiet", "quiet@contoso.com"),
      ],
      projects: [
        graphMessage({
          id: "a-jane",
          conversationId: "c-jane",
          from: "Jane Doe <jane@fabrikam.io>",
          to: [ME],
          at: at(3),
          subject: "RE: Proposal",
        }),
      ],
      inbox: [
        ...base.inbox,
        graphMessage({
          id: "a-lee",
          conversationId: "c-lee",
          from: "Lee <lee@contoso.com>",
          to: [ME],
          at: at(2),
          subject: "RE: Proposal",
        }),
        graphMessage({
          id: "a-oof",
          conversationId: "c-oof",
          from: "ooo@contoso.com",
          to: [ME],
          at: at(9),
          subject: "Automatic reply: Proposal",
          headers: { "Auto-Submitted": "auto-replied" },
        }),
        graphMessage({
          id: "a-quiet-old",
          conversationId: "c-quiet",
          from: "quiet@contoso.com",
          to: [ME],
          at: at(12),
          subject: "Proposal?",
        }),
      ],
    };
    const running = await startEmulator(mailbox, { faults: { retryAfterSeconds: 0 } });
    running.moveMessage("a-lee", "archive");
    const myAddresses = myAddressesOf(mapGraphUser(mailbox.me), []);
    return {
      emulator: running,
      isAnswer: (m) => !isMyMessage(m, myAddresses) && detectAutomatedMail(m) === null,
    };
  }

  describe("findNewerAnswers", () => {
    it("should find an answer an Inbox rule filed into a subfolder, and one that was archived, naming the folder", async () => {
      const started = await start();
      emulator = started.emulator;
      emulator.resetStats();
      const after = instant(CLOCK - 10 * DAY);
      const found = await findNewerAnswers({
        connection: connect(emulator),
        conversations: ["c-jane", "c-lee", "c-oof", "c-quiet"].map((conversationId) => ({
          conversationId,
          after,
        })),
        isAnswer: started.isAnswer,
      });
      const summary = Object.fromEntries(
        [...found].map(([id, answers]) => [
          id,
          answers.map((a) => ({ from: a.from?.address, folder: a.folderName, at: a.receivedAt })),
        ]),
      );
      expect(summary).toEqual({
        "c-jane": [{ from: "jane@fabrikam.io", folder: "Projects", at: Date.parse(at(3).toISOString()) }],
        "c-lee": [{ from: "lee@contoso.com", folder: "Archive", at: Date.parse(at(2).toISOString()) }],
      });
      // The auto-reply and the message from before mine are not answers; my own message is not one either.
      expect(found.has("c-oof")).toBe(false);
      expect(found.has("c-quiet")).toBe(false);
      expect(found.get("c-jane")?.[0]?.message.folder).toBe(`folder:${emulator.folderId("projects")}`);
      expect(found.get("c-lee")?.[0]?.message.folder).toBe("archive");
      // One $batch for the 4 lookups and the 3 well-known folders (the emulator, like Graph, runs 4 at once for a
      // mailbox and refuses the rest with 429 inside the batch: those 3 go again), one for the name of Projects.
      expect(emulator.stats.requests).toBe(3);
      expect(emulator.stats.batchedRequests).toBeGreaterThanOrEqual(4 + 3 + 1);
    });

    it("should check many conversations in batches of at most 20, resending what Graph throttled inside a batch", async () => {
      const started = await start();
      emulator = started.emulator;
      const after = instant(CLOCK - 10 * DAY);
      const ids = ["c-jane", "c-lee", ...Array.from({ length: 40 }, (_, i) => `c-none-${i}`)];
      emulator.resetStats();
      const found = await findNewerAnswers({
        connection: connect(emulator),
        conversations: ids.map((conversationId) => ({ conversationId, after })),
        isAnswer: started.isAnswer,
      });
      expect([...found.keys()].sort()).toEqual(["c-jane", "c-lee"]);
      // 45 lookups at 20 a batch is 3 batches at least; the emulator runs 4 per batch and refuses the rest.
      expect(emulator.stats.requests).toBeGreaterThanOrEqual(3);
      expect(emulator.stats.throttledForConcurrency).toBeGreaterThan(0);
    });

    it("should count only answers received after the given time", async () => {
      const started = await start();
      emulator = started.emulator;
      const found = await findNewerAnswers({
        connection: connect(emulator),
        conversations: [{ conversationId: "c-jane", after: instant(CLOCK - 1 * DAY) }],
        isAnswer: started.isAnswer,
      });
      expect(found.size).toBe(0);
    });

    it("should fail with a clear GraphSyncError on a bad token, and refuse an empty conversation id", async () => {
      const started = await start();
      emulator = started.emulator;
      const error = await findNewerAnswers({
        connection: connect(emulator, "wrong"),
        conversations: [{ conversationId: "c-jane", after: instant(0) }],
        isAnswer: started.isAnswer,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GraphSyncError);
      expect((error as GraphSyncError).kind).toBe("unauthorized");
      await expect(
        findNewerAnswers({
          connection: connect(emulator),
          conversations: [{ conversationId: "", after: instant(0) }],
          isAnswer: started.isAnswer,
        }),
      ).rejects.toThrow(/must not be empty/);
    });
  });

  describe("conversationFilter", () => {
    it.each([
      ["AAQkADAw=", "conversationId eq 'AAQkADAw='"],
      ["it's", "conversationId eq 'it''s'"],
    ])("should quote %s as OData wants it", (id, filter) => {
      expect(conversationFilter(id)).toBe(filter);
    });
  });
});
