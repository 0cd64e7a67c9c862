import type { ConversationReport } from "../../src/core/awaitingReply";
import { instant } from "../../src/core/message";
import type { Settings } from "../../src/core/settings";
import { EMPTY_USER_STATE, type UserState } from "../../src/core/userState";
import { ALEX, BLAKE, CASEY, COLLEAGUE, NOW, scenario, type Scenario } from "../fixtures/scenario";

const DAY = 86_400_000;

interface Case {
  readonly name: string;
  readonly build: (s: Scenario) => Scenario;
  readonly expect: Partial<ConversationReport>;
  readonly settings?: Partial<Settings>;
  readonly userState?: UserState;
}

describe("awaitingReply.ts", () => {
  describe("detectAwaitingReply", () => {
    const cases: Case[] = [
      {
        name: "one unanswered attempt past the follow-up delay is stale with a nudge",
        build: (s) => s.iSend("c", 5),
        expect: {
          state: "stale",
          attempts: 1,
          warm: false,
          darkDays: 5,
          sinceLastAttemptDays: 5,
          technique: "nudge",
        },
      },
      {
        name: "a recent attempt is waiting",
        build: (s) => s.iSend("c", 2),
        expect: { state: "waiting", attempts: 1, reason: "follow up in 1 day" },
      },
      {
        name: "the follow-up delay is a setting",
        build: (s) => s.iSend("c", 5),
        settings: { followUpAfterDays: 7 },
        expect: { state: "waiting" },
      },
      {
        name: "the prospect answered after my message",
        build: (s) => s.iSend("c", 10).iReceive("c", 8),
        expect: { state: "replied", attempts: 0, warm: true, technique: null },
      },
      {
        name: "an auto-reply only (subject prefix) is not an answer",
        build: (s) => s.iSend("c", 10).iReceive("c", 10, ALEX, { subject: "Automatic reply: Proposal" }),
        expect: { state: "stale", attempts: 1, warm: false },
      },
      {
        name: "an auto-reply only (Auto-Submitted header) is not an answer",
        build: (s) =>
          s
            .iSend("c", 10)
            .iReceive("c", 10, ALEX, { subject: "Proposal", headers: { "Auto-Submitted": "auto-replied" } }),
        expect: { state: "stale", warm: false },
      },
      {
        name: "Auto-Submitted: no is a human message",
        build: (s) => s.iSend("c", 10).iReceive("c", 9, ALEX, { headers: { "Auto-Submitted": "no" } }),
        expect: { state: "replied" },
      },
      {
        name: "an out-of-office by message class is not an answer",
        build: (s) =>
          s.iSend("c", 10).iReceive("c", 10, ALEX, {
            subject: "Proposal",
            messageClass: "IPM.Note.Rules.OofTemplate.Microsoft",
          }),
        expect: { state: "stale", warm: false },
      },
      ...[
        "Automatische Antwort: Proposal",
        "Réponse automatique : Proposal",
        "Respuesta automática: Proposal",
        "Out of Office: Proposal",
        "Autoreply: Proposal",
        "Auto reply: Proposal",
        "Abwesenheitsnotiz: Proposal",
      ].map((subject): Case => ({
        name: `"${subject}" is an auto-reply`,
        build: (s) => s.iSend("c", 10).iReceive("c", 9, ALEX, { subject }),
        expect: { state: "stale", warm: false },
      })),
      {
        name: "a read receipt only is not an answer",
        build: (s) => s.iSend("c", 10).iReceive("c", 9, ALEX, { subject: "Read: Proposal" }),
        expect: { state: "stale", warm: false },
      },
      {
        name: "a delivery receipt by message class is not an answer",
        build: (s) =>
          s
            .iSend("c", 10)
            .iReceive("c", 9, ALEX, { subject: "Proposal", messageClass: "REPORT.IPM.Note.DR" }),
        expect: { state: "stale", warm: false },
      },
      {
        name: "a bounce after my last attempt in the same conversation",
        build: (s) =>
          s.iSend("c", 10).iReceive("c", 10, "postmaster@acme.com", { subject: "Undeliverable: Proposal" }),
        expect: { state: "bounced", technique: null },
      },
      {
        name: "a bounce by NDR message class from Exchange's system mailbox",
        build: (s) =>
          s
            .iSend("c", 10)
            .iReceive(
              "c",
              10,
              "Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@northwind.com>",
              {
                subject: "Proposal",
                messageClass: "REPORT.IPM.Note.NDR",
              },
            ),
        expect: { state: "bounced" },
      },
      {
        name: "a bounce in another conversation that carries my last attempt's subject and names the prospect",
        build: (s) =>
          s
            .iSend("c", 10, [ALEX], { subject: "Pricing for Acme" })
            .iReceive("ndr", 10, "Mail Delivery System <mailer-daemon@mx.acme.com>", {
              subject: "Mail delivery failed: Pricing for Acme",
              preview: "Your message to alex@acme.com couldn't be delivered.",
            }),
        expect: { state: "bounced" },
      },
      {
        name: "a bounce in another conversation that names nobody belongs to that conversation only",
        build: (s) =>
          s
            .iSend("c", 10, [ALEX], { subject: "Pricing for Acme" })
            .iReceive("ndr", 10, "Mail Delivery System <mailer-daemon@mx.acme.com>", {
              subject: "Mail delivery failed: Pricing for Acme",
            }),
        expect: { state: "stale" },
      },
      {
        name: "a bounce before my last attempt does not make it bounced",
        build: (s) =>
          s
            .iSend("c", 20)
            .iReceive("c", 20, "postmaster@acme.com", { subject: "Returned mail: Proposal" })
            .iSend("c", 10),
        expect: { state: "stale", attempts: 2 },
      },
      {
        name: "a reply from the prospect in a different thread counts",
        build: (s) => s.iSend("c", 10).iReceive("other", 6, ALEX, { subject: "Something else" }),
        expect: { state: "replied", warm: true },
      },
      {
        name: "a colleague of the prospect replying in the thread counts",
        build: (s) => s.iSend("c", 10).iReceive("c", 7, BLAKE),
        expect: { state: "replied" },
      },
      {
        name: "a colleague of the prospect writing to me in another thread is their answer",
        build: (s) => s.iSend("c", 10).iReceive("other", 7, BLAKE, { subject: "Scheduling" }),
        expect: { state: "replied", warm: true, reason: "Blake (Acme) wrote on 25 May in ‘Scheduling’" },
      },
      {
        name: "two prospects where one answered",
        build: (s) => s.iSend("c", 10, [ALEX, CASEY]).iReceive("c", 7, CASEY),
        expect: { state: "replied" },
      },
      {
        name: "internal-only mail is excluded",
        build: (s) => s.iSend("c", 10, [COLLEAGUE]),
        expect: { state: "excluded", reason: "internal only", prospects: [] },
      },
      {
        name: "mass mail is excluded",
        build: (s) =>
          s.iSend(
            "c",
            10,
            Array.from({ length: 11 }, (_, i) => `p${i}@customer${i}.com`),
          ),
        expect: { state: "excluded", reason: "mass mail only" },
      },
      {
        name: "exactly maxRecipients recipients (To, Cc and Bcc together) is still an attempt",
        build: (s) =>
          s.iSend("c", 10, [ALEX, CASEY], {
            cc: ["a@x1.com", "b@x2.com", "c@x3.com"],
            bcc: ["d@x4.com", "e@x5.com", "f@x6.com", "g@x7.com", "h@x8.com"],
          }),
        expect: { state: "stale", attempts: 1 },
      },
      {
        name: "Bcc counts towards mass mail",
        build: (s) =>
          s.iSend("c", 10, [ALEX], { bcc: Array.from({ length: 10 }, (_, i) => `p${i}@c${i}.com`) }),
        expect: { state: "excluded", reason: "mass mail only" },
      },
      {
        name: "a no-reply recipient is not a prospect",
        build: (s) => s.iSend("c", 10, ["Notifications <no-reply@vendor.com>"]),
        expect: { state: "excluded", reason: "no-reply recipients only" },
      },
      {
        name: "an address that differs only in case is the same prospect",
        build: (s) => s.iSend("c", 10, ["Alex Kim <Alex@ACME.com>"]).iReceive("other", 5, "ALEX@acme.COM"),
        expect: { state: "replied" },
      },
      {
        name: "a prospect only in Cc is still a prospect",
        build: (s) => s.iSend("c", 10, [COLLEAGUE], { cc: [ALEX] }),
        expect: {
          state: "stale",
          attempts: 1,
          prospects: [{ address: "alex@acme.com", name: "Alex Kim", company: "Acme" }],
        },
      },
      {
        name: "messages older than the window are ignored",
        build: (s) => s.iSend("c", 400).iReceive("c", 380).iSend("c", 300),
        expect: { state: "stale", warm: false, attempts: 1, darkDays: 300 },
      },
      {
        name: "a meeting acceptance is an answer",
        build: (s) =>
          s.iSend("c", 10).iReceive("c", 8, ALEX, {
            subject: "Accepted: Proposal",
            messageClass: "IPM.Schedule.Meeting.Resp.Pos",
          }),
        expect: { state: "replied" },
      },
      {
        name: "at a public mail provider only the exact address is the prospect's side elsewhere",
        build: (s) =>
          s.iSend("c", 10, ["Pat <pat@gmail.com>"]).iReceive("other", 8, "Someone <someone.else@gmail.com>"),
        expect: { state: "stale", warm: false },
      },
      {
        name: "a message from one of my proxy addresses in the Inbox is mine",
        build: (s) =>
          s.iReceive("c", 10, "Sam <sam.alias@northwind.com>", { to: [ALEX], subject: "Proposal" }),
        expect: { state: "stale", attempts: 1 },
      },
      {
        name: "attempts after the last answer only",
        build: (s) => s.iSend("c", 40).iSend("c", 35).iReceive("c", 30).iSend("c", 20).iSend("c", 10),
        expect: {
          state: "stale",
          attempts: 2,
          warm: true,
          darkDays: 30,
          sinceLastAttemptDays: 10,
          technique: "no-pressure",
        },
      },
      {
        name: "a logged call after the last answer is an attempt",
        build: (s) => s.iSend("c", 40).iReceive("c", 30).iSend("c", 20),
        userState: {
          ...EMPTY_USER_STATE,
          loggedAttempts: [{ id: "l1", conversationId: "c", at: instant(NOW - 5 * DAY), kind: "voicemail" }],
        },
        expect: { attempts: 2, sinceLastAttemptDays: 5, state: "stale" },
      },
      {
        name: "a logged call before the last answer is not an attempt",
        build: (s) => s.iSend("c", 40).iReceive("c", 30).iSend("c", 20),
        userState: {
          ...EMPTY_USER_STATE,
          loggedAttempts: [{ id: "l1", conversationId: "c", at: instant(NOW - 35 * DAY), kind: "call" }],
        },
        expect: { attempts: 1 },
      },
      {
        name: "a snoozed conversation",
        build: (s) => s.iSend("c", 10),
        userState: { ...EMPTY_USER_STATE, snoozes: { c: instant(NOW + DAY) } },
        expect: { state: "snoozed", snoozedUntil: instant(NOW + DAY), technique: "nudge" },
      },
      {
        name: "a snooze that has run out",
        build: (s) => s.iSend("c", 10),
        userState: { ...EMPTY_USER_STATE, snoozes: { c: instant(NOW - DAY) } },
        expect: { state: "stale" },
      },
      {
        name: "a closed file",
        build: (s) => s.iSend("c", 10),
        userState: { ...EMPTY_USER_STATE, closed: { c: instant(NOW - DAY) } },
        expect: { state: "closed", technique: null },
      },
      {
        name: "an address marked not a prospect",
        build: (s) => s.iSend("c", 10),
        settings: { excludedAddresses: ["ALEX@acme.com"] },
        expect: { state: "excluded", reason: "marked not a prospect" },
      },
      {
        name: "a domain marked not a prospect",
        build: (s) => s.iSend("c", 10),
        settings: { excludedDomains: ["acme.com"] },
        expect: { state: "excluded", reason: "marked not a prospect" },
      },
      {
        name: "an extra internal domain from the settings",
        build: (s) => s.iSend("c", 10),
        settings: { internalDomains: ["acme.com"] },
        expect: { state: "excluded", reason: "internal only" },
      },
      {
        name: "an extra address of mine from the settings",
        build: (s) => s.iReceive("c", 10, "Sam <sam@personal.example>", { to: [ALEX], subject: "Proposal" }),
        settings: { myAddresses: ["sam@personal.example"] },
        expect: { state: "stale", attempts: 1 },
      },
      {
        name: "an attachment on my message means a proposal was sent",
        build: (s) =>
          s.iSend("c", 30).iReceive("c", 28).iSend("c", 20, [ALEX], { attachments: true }).iSend("c", 10),
        expect: { proposalSent: true, technique: "should-i-close-the-file" },
      },
      {
        name: "hostile names and subjects pass through the engine untouched (escaping happens on output)",
        build: (s) =>
          s.iSend("c", 10, ["<img src=x onerror=alert(1)> <x@evil.com>"], {
            subject: "<script>alert(1)</script>",
          }),
        expect: {
          state: "stale",
          subject: "<script>alert(1)</script>",
          prospects: [{ address: "x@evil.com", name: "<img src=x onerror=alert(1)>", company: "Evil" }],
        },
      },
    ];

    it.each(cases)("should handle $name", ({ build, expect: expected, settings, userState }) => {
      const report = build(
        scenario({
          displayName: "Sam Rivera",
          mail: "sam@northwind.com",
          proxies: ["smtp:sam.alias@northwind.com"],
        }),
      ).report("c", settings, userState);
      expect(report).toMatchObject(expected);
    });

    it("should not list conversations without a message of mine", () => {
      const reports = scenario().iReceive("news", 3, "Weekly <noreply@news.com>").iSend("c", 5).classify();
      expect(reports.map((r) => r.conversationId)).toEqual(["c"]);
    });

    it("should not list a conversation entirely older than the window", () => {
      expect(scenario().iSend("old", 366).classify()).toEqual([]);
    });

    it("should count a message listed in two folders once", () => {
      const s = scenario().iSend("c", 10);
      const json = s.json();
      json.inbox.push({ ...json.sentitems[0]! });
      const { parseMailboxJson } = jest.requireActual(
        "../../src/graph/mailboxFile",
      ) as typeof import("../../src/graph/mailboxFile");
      const { detectAwaitingReply } = jest.requireActual(
        "../../src/core/awaitingReply",
      ) as typeof import("../../src/core/awaitingReply");
      const { DEFAULT_SETTINGS } = jest.requireActual(
        "../../src/core/settings",
      ) as typeof import("../../src/core/settings");
      const [report] = detectAwaitingReply(parseMailboxJson(json, "x").mailbox, {
        now: NOW,
        settings: DEFAULT_SETTINGS,
        userState: EMPTY_USER_STATE,
      });
      expect(report?.attempts).toBe(1);
    });

    it("should put stale conversations first, by score from high to low", () => {
      const reports = scenario()
        .iSend("recent", 1)
        .iSend("old", 60, [CASEY])
        .iSend("older", 80, ["Pat <pat@initech.com>"])
        .iSend("replied", 10, ["Lee <lee@umbrella.com>"])
        .iReceive("replied", 9, "Lee <lee@umbrella.com>")
        .classify();
      expect(reports.map((r) => [r.conversationId, r.state])).toEqual([
        ["older", "stale"],
        ["old", "stale"],
        ["recent", "waiting"],
        ["replied", "replied"],
      ]);
    });

    it("should point the reply draft at my latest unanswered e-mail", () => {
      const r = scenario().iSend("c", 20).iSend("c", 10).report("c");
      expect(r.lastAttemptMessageId).toBe("s2");
    });
  });
});
