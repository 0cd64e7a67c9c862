import fc from "fast-check";
import type { ConversationReport } from "../../src/core/awaitingReply";
import {
  type DraftOutcome,
  type PlannedDraft,
  selectForCleanUp,
  sentEntriesFor,
  summariseCleanUp,
} from "../../src/core/cleanUp";
import { instant } from "../../src/core/message";
import { mergeEntries } from "../../src/core/userStateEntries";

const report = (id: string, fields: Partial<ConversationReport> = {}): ConversationReport =>
  ({
    conversationId: id,
    subject: `About ${id}`,
    state: "stale",
    reason: "waiting",
    prospects: [{ address: `${id}@acme.com`, name: id }],
    technique: "pending-file",
    lastAttemptAt: instant(1000),
    lastAttemptMessageId: `m-${id}`,
    ...fields,
  }) as unknown as ConversationReport;

const REPORTS = [
  report("a"),
  report("b", { technique: "nudge" }),
  report("c"),
  report("d", { state: "replied", technique: null, reason: "Dana answered" }),
  report("e", { prospects: [] }),
  report("f", { lastAttemptMessageId: null }),
  report("g", { state: "snoozed" as ConversationReport["state"] }),
];

describe("cleanUp.ts", () => {
  describe("selectForCleanUp", () => {
    it.each<[string, Parameters<typeof selectForCleanUp>[1], string[], string[]]>([
      ["stale pending-file conversations by default", { technique: "pending-file" }, ["a", "c"], ["e", "f"]],
      ["another technique", { technique: "nudge" }, ["b"], []],
      ["the first N with --limit", { technique: "pending-file", limit: 1 }, ["a"], ["e", "f"]],
      [
        "the conversations asked for, whatever their technique, refusing those with nothing to send",
        { technique: "pending-file", conversationIds: ["b", "d", "nope", "b"] },
        ["b"],
        ["d", "nope"],
      ],
    ])("should pick %s", (_what, options, chosen, refused) => {
      const selection = selectForCleanUp(REPORTS, options);
      expect(selection.chosen.map((r) => r.conversationId)).toEqual(chosen);
      expect(selection.refused.map((r) => r.conversationId)).toEqual(refused);
    });

    it("should say why a conversation is refused", () => {
      const { refused } = selectForCleanUp(REPORTS, {
        technique: "nudge",
        conversationIds: ["d", "e", "zz"],
      });
      expect(refused.map((r) => r.reason)).toEqual([
        "it is replied: Dana answered",
        'no conversation "zz" with a message of yours',
        "no prospect to write to",
      ]);
    });
  });

  describe("summariseCleanUp", () => {
    const made = (status: "created" | "existing", id: string): DraftOutcome => ({
      status,
      conversationId: id,
      draftId: `draft-${id}`,
      webLink: null,
      folder: "Drafts",
      subject: "S",
    });
    it.each<[string, DraftOutcome[], number, boolean]>([
      ["all made or existing", [made("created", "a"), made("existing", "b")], 0, true],
      ["nothing to do", [], 0, true],
      [
        "one answered",
        [
          made("created", "a"),
          { status: "answered", conversationId: "b", reason: "r", answeredAt: instant(1) },
        ],
        0,
        false,
      ],
      ["one refused before Graph", [made("created", "a")], 1, false],
      [
        "one failed",
        [{ status: "failed", conversationId: "b", reason: "r", retryable: true }, made("existing", "a")],
        0,
        false,
      ],
    ])("should count %s", (_what, outcomes, refused, allDrafted) => {
      expect(summariseCleanUp(outcomes, refused).allDrafted).toBe(allDrafted);
    });
  });

  describe("sentEntriesFor", () => {
    const plan = (id: string): PlannedDraft => ({
      conversationId: id,
      replyToMessageId: `m-${id}`,
      after: instant(0),
      technique: "pending-file",
      subject: "S",
      html: "<p>x</p>",
      edited: id === "b",
    });

    it("should record each draft made or reused as a graph-draft 'sent' entry, and nothing else", () => {
      const entries = sentEntriesFor(
        [
          {
            status: "created",
            conversationId: "a",
            draftId: "d1",
            webLink: null,
            folder: "Drafts",
            subject: "S",
          },
          {
            status: "existing",
            conversationId: "b",
            draftId: "d2",
            webLink: null,
            folder: "Drafts",
            subject: "S",
          },
          { status: "failed", conversationId: "c", reason: "x", retryable: true },
        ],
        [plan("a"), plan("b"), plan("c")],
        instant(5),
      );
      expect(entries).toEqual([
        {
          kind: "sent",
          id: "d1",
          at: 5,
          conversationId: "a",
          technique: "pending-file",
          edited: false,
          path: "graph-draft",
        },
        {
          kind: "sent",
          id: "d2",
          at: 5,
          conversationId: "b",
          technique: "pending-file",
          edited: true,
          path: "graph-draft",
        },
      ]);
    });

    it("should be idempotent: recording the same drafts on every re-run keeps one entry per draft", () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 30 }),
          fc.integer({ min: 1, max: 4 }),
          (ids, runs) => {
            const outcomes: DraftOutcome[] = ids.map((i) => ({
              status: "existing",
              conversationId: `c${i}`,
              draftId: `d${i}`,
              webLink: null,
              folder: "Drafts",
              subject: "S",
            }));
            const plans = ids.map((i) => plan(`c${i}`));
            const lists = Array.from({ length: runs }, (_, r) => sentEntriesFor(outcomes, plans, instant(r)));
            expect(mergeEntries(...lists)).toHaveLength(new Set(ids).size);
          },
        ),
      );
    });
  });
});
