import { createGraphConnection, type GraphConnection } from "../../src/graph/graphClient";
import { GraphSyncError } from "../../src/graph/graphErrors";
import { TECHNIQUE_PROPERTY } from "../../src/graph/mapMessage";
import { createReplyAllDraft } from "../../src/graph/replyDraft";
import { DRAFT_SCOPES, ScopedAuthenticationProvider, type TokenProvider } from "../../src/auth/tokenProvider";
import { startGraphEmulator, type RunningEmulator } from "../emulator/graphEmulator";
import { graphMessage } from "../fixtures/graphMessage";

const ME = "Sam Rivera <sam.rivera@northwind-sales.com>";
let emulator: RunningEmulator;
let connection: GraphConnection;
const scopesAsked: (readonly string[])[] = [];

beforeAll(async () => {
  emulator = await startGraphEmulator({
    port: 0,
    token: "draft-token",
    mailbox: {
      me: { displayName: "Sam Rivera", mail: "sam.rivera@northwind-sales.com" },
      sentitems: [
        graphMessage({
          id: "sent-1",
          conversationId: "conv-1",
          subject: "Proposal for <b>Acme</b>",
          from: ME,
          to: ["Dana Lee <dana@acme.com>"],
          cc: ["Kim Park <kim@acme.com>"],
          at: "2026-10-01T10:00:00Z",
        }),
      ],
      inbox: [],
    },
  });
  const tokens: TokenProvider = {
    getToken: async (scopes) => {
      scopesAsked.push(scopes);
      return "draft-token";
    },
  };
  connection = createGraphConnection({
    baseUrl: emulator.url,
    authProvider: new ScopedAuthenticationProvider(tokens, DRAFT_SCOPES),
    maxRetries: 0,
  });
});

afterAll(() => emulator.close());

describe("replyDraft.ts", () => {
  describe("createReplyAllDraft", () => {
    it("should create a reply-all draft with our HTML above the quoted thread, and send nothing", async () => {
      const html = "<p>Hi Dana, is this still a priority?</p>";
      const draft = await createReplyAllDraft(connection, "sent-1", html);
      const stored = emulator.drafts().find((d) => d.id === draft.id)!;
      expect(stored).toBeDefined();
      expect(stored.subject).toBe("RE: Proposal for <b>Acme</b>");
      const body = (stored.body as { content: string }).content;
      expect(body.indexOf(html)).toBeGreaterThanOrEqual(0);
      expect(body.indexOf(html)).toBeLessThan(body.indexOf("<hr>"));
      const addresses = (list: unknown) =>
        (list as { emailAddress: { address: string } }[]).map((r) => r.emailAddress.address);
      expect(addresses(stored.toRecipients)).toEqual(["dana@acme.com"]);
      expect(addresses(stored.ccRecipients)).toEqual(["kim@acme.com"]);
      expect(emulator.folderMessages("sentitems").map((m) => m.id)).toEqual(["sent-1"]);
    });

    it("should set the technique's subject and our header's property when asked, in the same request", async () => {
      emulator.resetStats();
      const draft = await createReplyAllDraft(connection, "sent-1", "<p>Shall I close the file?</p>", {
        subject: "SHOULD I CLOSE THE FILE???",
        technique: "should-i-close-the-file",
      });
      expect(emulator.stats.requests).toBe(1);
      const stored = emulator.drafts().find((d) => d.id === draft.id)!;
      expect(stored.subject).toBe("SHOULD I CLOSE THE FILE???");
      expect(stored.conversationId).toBe("conv-1");
      expect(stored.singleValueExtendedProperties).toEqual([
        { id: TECHNIQUE_PROPERTY, value: "should-i-close-the-file" },
      ]);
    });

    it("should ask for Mail.ReadWrite only (the draft scope)", () => {
      expect(scopesAsked.length).toBeGreaterThan(0);
      expect(scopesAsked.every((s) => s === DRAFT_SCOPES)).toBe(true);
    });

    it("should fail with Graph's code when the message does not exist", async () => {
      const error = await createReplyAllDraft(connection, "no-such-message", "<p>x</p>").catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(GraphSyncError);
      expect((error as GraphSyncError).status).toBe(404);
      expect((error as Error).message).toMatch(/creating the reply draft/);
    });

    it("should refuse an empty message id without calling Graph", async () => {
      emulator.resetStats();
      await expect(createReplyAllDraft(connection, "", "<p>x</p>")).rejects.toThrow(/No message to reply to/);
      expect(emulator.stats.requests).toBe(0);
    });
  });
});
