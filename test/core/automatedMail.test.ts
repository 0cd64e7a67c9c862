import { baseSubject, detectAutomatedMail } from "../../src/core/automatedMail";
import { instant, type MailMessage } from "../../src/core/message";

const message = (over: Partial<MailMessage>): MailMessage => ({
  id: "m",
  conversationId: "c",
  folder: "inbox",
  subject: "Proposal",
  preview: "",
  from: { address: "alex@acme.com", name: "Alex" },
  to: [],
  cc: [],
  bcc: [],
  sentAt: instant(0),
  receivedAt: instant(0),
  hasAttachments: false,
  ...over,
});

describe("automatedMail.ts", () => {
  describe("detectAutomatedMail", () => {
    it.each([
      ["Automatic reply: Proposal", "auto-reply"],
      ["Auto reply: Proposal", "auto-reply"],
      ["Auto-Reply: Proposal", "auto-reply"],
      ["Autoreply: Proposal", "auto-reply"],
      ["Out of Office: Proposal", "auto-reply"],
      ["Out of the office: Proposal", "auto-reply"],
      ["Automatische Antwort: Proposal", "auto-reply"],
      ["Abwesenheitsnotiz: Proposal", "auto-reply"],
      ["Réponse automatique : Proposal", "auto-reply"],
      ["Respuesta automática: Proposal", "auto-reply"],
      ["Read: Proposal", "receipt"],
      ["Not read: Proposal", "receipt"],
      ["Delivered: Proposal", "receipt"],
      ["Undeliverable: Proposal", "bounce"],
      ["Delivery Status Notification (Failure)", "bounce"],
      ["Mail delivery failed: returning message to sender", "bounce"],
      ["Returned mail: see transcript for details", "bounce"],
      ["Proposal", null],
      ["RE: Proposal", null],
      ["Reading list for the offsite", null],
      ["Out of curiosity, any update?", null],
      ["Accepted: Proposal review", null],
      ["Automation pricing", null],
    ])("should classify the subject %j as %s", (subject, kind) => {
      expect(detectAutomatedMail(message({ subject }))).toBe(kind);
    });

    it.each([
      ["IPM.Note.Rules.OofTemplate.Microsoft", "auto-reply"],
      ["REPORT.IPM.Note.NDR", "bounce"],
      ["REPORT.IPM.Note.IPNRN", "receipt"],
      ["REPORT.IPM.Note.DR", "receipt"],
      ["IPM.Schedule.Meeting.Resp.Pos", null],
      ["IPM.Note", null],
    ])("should classify the message class %s as %s", (messageClass, kind) => {
      expect(detectAutomatedMail(message({ messageClass }))).toBe(kind);
    });

    it.each([
      ["postmaster@acme.com", "bounce"],
      ["MAILER-DAEMON@mx.acme.com", "bounce"],
      ["microsoftexchange329e71ec88ae4615bbc36ab6ce41109e@acme.com", "bounce"],
    ])("should treat mail from %s as %s", (address, kind) => {
      expect(detectAutomatedMail(message({ from: { address: address.toLowerCase(), name: "" } }))).toBe(kind);
    });

    it.each([
      ["auto-replied", "auto-reply"],
      ["auto-generated", "auto-reply"],
      ["no", null],
      [" No ", null],
    ])("should read Auto-Submitted: %s as %s", (autoSubmitted, kind) => {
      expect(detectAutomatedMail(message({ autoSubmitted }))).toBe(kind);
    });
  });

  describe("baseSubject", () => {
    it.each([
      ["Undeliverable: RE: Pricing", "pricing"],
      ["RE: FW: Pricing", "pricing"],
      ["Mail delivery failed: Pricing", "pricing"],
      ["AW: Pricing", "pricing"],
    ])("should reduce %j to %j", (subject, base) => expect(baseSubject(subject)).toBe(base));
  });
});
