import "fake-indexeddb/auto";
import { FixedTokenProvider, type TokenProvider, DRAFT_SCOPES } from "../../src/auth/tokenProvider";
import type { PlannedDraft } from "../../src/core/cleanUp";
import { instant } from "../../src/core/message";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { openCacheStore } from "../../src/taskpane/syncWiring";
import { wireServices } from "../../src/taskpane/wireServices";
import type { MailHost } from "../../src/taskpane/services";
import { type RunningEmulator, startGraphEmulator } from "../emulator/graphEmulator";
import { graphMessage } from "../fixtures/graphMessage";

const ME = "sam.rivera@northwind-sales.com";
const CLOCK = Date.parse("2026-06-01T12:00:00Z");
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startGraphEmulator({
    clock: () => CLOCK,
    token: "wire-token",
    mailbox: {
      me: { displayName: "Sam Rivera", mail: ME, userPrincipalName: ME },
      sentitems: [0, 1, 2].map((i) =>
        graphMessage({
          id: `sent-${i}`,
          conversationId: `conv-${i}`,
          subject: `Proposal ${i}`,
          from: `Sam Rivera <${ME}>`,
          to: [`Dana ${i} <dana${i}@acme.com>`],
          at: new Date(CLOCK - 150 * 86_400_000),
        }),
      ),
      inbox: [],
      archive: [
        graphMessage({
          id: "answer-2",
          conversationId: "conv-2",
          subject: "RE: Proposal 2",
          from: "Dana Two <dana2@acme.com>",
          to: [ME],
          at: new Date(CLOCK - 5 * 86_400_000),
        }),
      ],
    },
  });
});
afterAll(() => emulator.close());

describe("wireServices' clean-up", () => {
  it("should ask for Mail.ReadWrite, make the drafts through Graph, and record each as a 'sent' entry of the graph-draft path", async () => {
    const asked: (readonly string[])[] = [];
    const fixed = new FixedTokenProvider("wire-token");
    const tokens: TokenProvider = {
      getToken: (scopes) => {
        asked.push(scopes);
        return fixed.getToken();
      },
    };
    const services = await wireServices({
      mode: "demo",
      config: {
        graphUrl: emulator.url,
        staticToken: "wire-token",
        fixedNow: CLOCK,
        forcedMode: "demo",
        officeTimeoutMs: 1000,
      },
      tokens,
      databaseName: "rekindle-cleanup-wiring",
      settings: { load: () => Promise.resolve(DEFAULT_SETTINGS), save: () => Promise.resolve() },
      host: () => ({}) as MailHost,
    });
    const plans: PlannedDraft[] = [0, 1, 2].map((i) => ({
      conversationId: `conv-${i}`,
      replyToMessageId: `sent-${i}`,
      after: instant(CLOCK - 150 * 86_400_000),
      technique: "pending-file",
      subject: `Quick check-in: Proposal ${i}`,
      html: "<p>Shall I file this away?</p>",
      edited: i === 1,
    }));
    const progress: number[] = [];
    const outcomes = await services.cleanUp!.createDrafts(plans, (p) => progress.push(p.done), {
      locale: "en-GB",
      timeZone: "UTC",
    });
    expect(outcomes.map((o) => o.status)).toEqual(["created", "created", "answered"]);
    expect(outcomes[2]).toMatchObject({ reason: "Dana Two answered on 27 May (in Archive)" });
    expect(asked[0]).toBe(DRAFT_SCOPES);
    expect(progress.at(-1)).toBe(3);
    const store = await openCacheStore("rekindle-cleanup-wiring");
    const sent = (await store.loadStateEntries()).filter((e) => e.kind === "sent");
    expect(sent).toEqual(
      outcomes
        .filter((o) => o.status === "created")
        .map((o, i) =>
          expect.objectContaining({
            kind: "sent",
            id: (o as { draftId: string }).draftId,
            conversationId: `conv-${i}`,
            technique: "pending-file",
            edited: i === 1,
            path: "graph-draft",
          }),
        ),
    );
    await store.close();
  });
});
