import { instant, type Mailbox, type MailMessage } from "../../src/core/message";
import { DemoHost, replyAllPreview } from "../../src/taskpane/demoServices";

const person = (address: string, name = "") => ({ address, name });
const message = (over: Partial<MailMessage>): MailMessage => ({
  id: "m1",
  conversationId: "c1",
  folder: "sentitems",
  subject: "Proposal",
  preview: "",
  from: person("sam@northwind.com", "Sam"),
  to: [person("dana@acme.com", "Dana")],
  cc: [person("kim@acme.com"), person("sam@northwind.com")],
  bcc: [person("secret@acme.com")],
  sentAt: instant(0),
  receivedAt: instant(0),
  hasAttachments: false,
  ...over,
});
const mailbox = (messages: MailMessage[]): Mailbox => ({
  me: { displayName: "Sam", mail: "Sam@Northwind.com", proxyAddresses: ["smtp:sam.alias@northwind.com"] },
  messages,
});

describe("demoServices.ts", () => {
  describe("replyAllPreview", () => {
    it("should address everyone on my message except me and the Bcc, with an RE: subject", () => {
      const m = message({});
      expect(replyAllPreview(m, mailbox([m]))).toEqual({
        to: ["dana@acme.com", "kim@acme.com"],
        subject: "RE: Proposal",
      });
    });

    it("should include the sender of a received message and not double the RE:", () => {
      const m = message({
        from: person("dana@acme.com"),
        to: [person("sam.alias@northwind.com")],
        cc: [],
        subject: "Re: Proposal",
      });
      expect(replyAllPreview(m, mailbox([m]))).toEqual({ to: ["dana@acme.com"], subject: "Re: Proposal" });
    });
  });

  describe("DemoHost.insertReply", () => {
    it("should only preview the reply, with the HTML untouched", async () => {
      const m = message({});
      const host = new DemoHost(() => mailbox([m]));
      expect(
        await host.insertReply({ conversationId: "c1", replyToMessageId: "m1", html: "<p>Hi</p>" }),
      ).toEqual({
        kind: "demo",
        to: ["dana@acme.com", "kim@acme.com"],
        subject: "RE: Proposal",
        html: "<p>Hi</p>",
      });
      expect(host.openItem()).toBeNull();
    });

    it("should say so when the message is not in the demo mailbox", async () => {
      const host = new DemoHost(() => mailbox([]));
      await expect(
        host.insertReply({ conversationId: "c1", replyToMessageId: "gone", html: "" }),
      ).rejects.toThrow(/does not have that message/);
    });
  });
});
