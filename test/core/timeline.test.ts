import { conversationTimeline } from "../../src/core/timeline";
import { demoMailbox } from "../taskpane/fakeServices";

describe("timeline.ts", () => {
  describe("conversationTimeline", () => {
    it("should list my attempts and their messages oldest first, marking whose each is", () => {
      const entries = conversationTimeline(demoMailbox(), "conv-no-pressure");
      expect(entries.map((e) => [e.direction, e.who])).toEqual([
        ["mine", "You"],
        ["theirs", "Mei Chen"],
        ["mine", "You"],
        ["mine", "You"],
      ]);
      expect(entries[1]!.preview).toContain("Let me talk to the team");
      for (let i = 1; i < entries.length; i++)
        expect(entries[i]!.at).toBeGreaterThanOrEqual(entries[i - 1]!.at);
    });

    it("should mark automated mail such as bounces", () => {
      const entries = conversationTimeline(demoMailbox(), "conv-bounced");
      expect(entries.map((e) => e.automated)).toEqual([null, "bounce"]);
    });

    it("should count an item listed twice once and return nothing for an unknown conversation", () => {
      const mailbox = demoMailbox();
      const doubled = { ...mailbox, messages: [...mailbox.messages, ...mailbox.messages] };
      expect(conversationTimeline(doubled, "conv-referral")).toHaveLength(3);
      expect(conversationTimeline(mailbox, "no-such-conversation")).toEqual([]);
    });

    it("should flatten control characters and newlines in names to spaces", () => {
      const mailbox = demoMailbox();
      const theirs = mailbox.messages.find(
        (m) => m.conversationId === "conv-no-pressure" && m.folder === "inbox",
      )!;
      const messages = mailbox.messages.map((m) =>
        m === theirs ? { ...m, from: { address: m.from!.address, name: "Mei\n\u202eChen" } } : m,
      );
      const entries = conversationTimeline({ ...mailbox, messages }, "conv-no-pressure");
      expect(entries[1]!.who).toBe("Mei  Chen");
    });
  });
});
