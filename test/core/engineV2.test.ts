// Engine v2: judging conversations the way a salesperson would. One scenario per rule, each built to read like
// the situation it checks.
import type { ConversationReport } from "../../src/core/awaitingReply";
import { instant } from "../../src/core/message";
import { techniqueContradiction } from "../../src/core/playbook";
import { scoreConversation } from "../../src/core/scoring";
import type { Settings } from "../../src/core/settings";
import { EMPTY_USER_STATE, type UserState } from "../../src/core/userState";
import { ALEX, BLAKE, CASEY, COLLEAGUE, ME, NOW, scenario, type Scenario } from "../fixtures/scenario";

const DAY = 86_400_000;
const ELI = "Eli Cohen <eli@northwind.com>";
const TOM = "Tom Baker <tom@acme.com>";
const CLIFF = "Cliff Hart <cliff@hartconsulting.com>";
const STEVE = "Steve Park <steve@initech.com>";
const PARTNER = "Pat Agency <pat@partner-agency.com>";
const NDR = "Mail Delivery System <mailer-daemon@mx.northwind.com>";

interface Row {
  readonly name: string;
  readonly build: (s: Scenario) => Scenario;
  readonly expect: Partial<ConversationReport> | ((r: ConversationReport) => void);
  readonly settings?: Partial<Settings>;
  readonly userState?: UserState;
  readonly timeZone?: string;
  readonly now?: number;
}

function check(rows: readonly Row[]) {
  it.each(rows.map((r) => [r.name, r] as const))("%s", (_name, row) => {
    const report = row.build(scenario()).report("c", row.settings, row.userState ?? EMPTY_USER_STATE, {
      now: row.now === undefined ? NOW : instant(row.now),
      timeZone: row.timeZone ?? "UTC",
    });
    if (typeof row.expect === "function") row.expect(report);
    else expect(report).toMatchObject(row.expect);
  });
}

describe("engine v2", () => {
  describe("our side and their side", () => {
    check([
      {
        name: "colleague answered the prospect's question, then the prospect went quiet: stale",
        build: (s) =>
          s
            .iSend("c", 20, [ALEX])
            .iReceive("c", 18, ALEX, { preview: "Does it work with SAP?" })
            .iReceive("c", 14, ELI, { to: [ALEX], cc: [ME], preview: "Yes, we have a certified connector." }),
        expect: (r) => {
          expect(r.state).toBe("stale");
          expect(r.attempts).toBe(1);
          expect(r.warm).toBe(true);
          expect(r.why).toContain("a colleague (Eli) answered on 18 May");
        },
      },
      {
        name: "colleague answered yesterday: waiting, not stale",
        build: (s) =>
          s
            .iSend("c", 20, [ALEX])
            .iReceive("c", 18, ALEX)
            .iReceive("c", 1, ELI, { to: [ALEX], cc: [ME] }),
        expect: { state: "waiting", attempts: 1 },
      },
      {
        name: "a colleague's internal note to me only is not an attempt",
        build: (s) =>
          s
            .iSend("c", 20, [ALEX])
            .iReceive("c", 18, ALEX)
            .iReceive("c", 14, ELI, { to: [ME] }),
        expect: { state: "replied" },
      },
      {
        name: "prospect answers from their phone's gmail in the same thread",
        build: (s) =>
          s.iSend("c", 10, [ALEX]).iReceive("c", 8, "Alex Kim <alex.kim.1984@gmail.com>", {
            preview: "Sounds good, let's talk Thursday. Sent from my iPhone",
          }),
        expect: { state: "replied", warm: true },
      },
      {
        name: "prospect answers from a sister domain in the same thread",
        build: (s) => s.iSend("c", 10, [ALEX]).iReceive("c", 8, "Alex Kim <alex@acme-labs.io>"),
        expect: { state: "replied" },
      },
      {
        name: "assistant schedules in a new thread: replied, naming who wrote and where",
        build: (s) =>
          s
            .iSend("c", 10, [ALEX])
            .iReceive("sched", 8, TOM, { subject: "Scheduling: Alex Kim / Sam Rivera" }),
        expect: (r) => {
          expect(r.state).toBe("replied");
          expect(r.reason).toBe("Tom (Acme) wrote on 24 May in ‘Scheduling: Alex Kim / Sam Rivera’");
          expect(r.lastHeard).toMatchObject({ conversationId: "sched", elsewhere: true });
        },
      },
      {
        name: "someone at a subdomain of the prospect's organisation is the same organisation",
        build: (s) => s.iSend("c", 10, [ALEX]).iReceive("other", 8, "Ops <ops.lead@mail.acme.com>"),
        expect: { state: "replied" },
      },
      {
        name: "a message elsewhere that was not written to me does not count",
        build: (s) => s.iSend("c", 10, [ALEX]).iReceive("other", 8, TOM, { to: ["someone@elsewhere.com"] }),
        expect: { state: "stale" },
      },
      {
        name: "domains the user grouped as one company answer for each other",
        build: (s) => s.iSend("c", 10, [ALEX]).iReceive("other", 8, "Bob <bob@acme-corp.co.uk>"),
        settings: { companyDomains: [["acme.com", "acme-corp.co.uk"]] },
        expect: { state: "replied" },
      },
      {
        name: "without the grouping, another domain elsewhere is someone else",
        build: (s) => s.iSend("c", 10, [ALEX]).iReceive("other", 8, "Bob <bob@acme-corp.co.uk>"),
        expect: { state: "stale" },
      },
      {
        name: "a no-reply sender at the prospect's company writing in the thread is not their answer",
        build: (s) =>
          s.iSend("c", 10, [ALEX]).iReceive("c", 8, "Acme Portal <no-reply@acme.com>", {
            preview: "Thanks, your message has been forwarded to the right team.",
          }),
        expect: { state: "stale", attempts: 1, warm: false, lastHeard: null },
      },
      {
        name: "a mailing list's message in the thread is not the prospect's answer",
        build: (s) =>
          s.iSend("c", 10, [ALEX]).iReceive("c", 8, "Blake Jones <blake@acme.com>", {
            headers: { "List-Id": "<partners.acme.com>" },
            preview: "Reminder: the partner webinar is on Thursday.",
          }),
        expect: { state: "stale", attempts: 1, warm: false },
      },
      {
        name: "an answer before my last follow-up leaves that follow-up unanswered",
        build: (s) => s.iSend("c", 30).iReceive("c", 25).iSend("c", 10),
        expect: { state: "stale", attempts: 1, warm: true },
      },
    ]);
  });

  describe("roles", () => {
    check([
      {
        name: "the prospect's assistant on Cc is a prospect too",
        build: (s) => s.iSend("c", 10, [ALEX], { cc: [TOM] }),
        expect: (r) =>
          expect(r.prospects.map((p) => p.address).sort()).toEqual(["alex@acme.com", "tom@acme.com"]),
      },
      {
        name: "a copied third party's answer is not the prospect's answer",
        build: (s) =>
          s
            .iSend("c", 10, [ALEX], { cc: [CASEY] })
            .iReceive("c", 8, CASEY, { preview: "Thanks for including me" }),
        expect: (r) => {
          expect(r.state).toBe("stale");
          expect(r.prospects.map((p) => p.address)).toEqual(["alex@acme.com"]);
        },
      },
      {
        name: "with no external To, the external Cc are the prospects",
        build: (s) => s.iSend("c", 10, [COLLEAGUE], { cc: [CASEY] }),
        expect: (r) => expect(r.prospects.map((p) => p.address)).toEqual(["casey@globex.com"]),
      },
      {
        name: "the referrer who introduced us by e-mail is not a prospect and does not answer for them",
        build: (s) =>
          s
            .iReceive("c", 30, CLIFF, { to: [ME, STEVE], subject: "Intro: Sam, meet Steve" })
            .iSend("c", 29, [STEVE, CLIFF], { subject: "RE: Intro: Sam, meet Steve" })
            .iReceive("c", 28, CLIFF, { to: [ME, STEVE], preview: "Great, I'll leave you two to it." })
            .iSend("c", 20, [STEVE]),
        expect: (r) => {
          expect(r.referrer).toEqual({ address: "cliff@hartconsulting.com", name: "Cliff Hart" });
          expect(r.prospects.map((p) => p.address)).toEqual(["steve@initech.com"]);
          expect(r.warm).toBe(false);
          expect(r.state).toBe("stale");
        },
      },
      {
        name: "the person I copied on my first message of an introduction is the referrer",
        build: (s) =>
          s.iSend("c", 20, [STEVE], {
            cc: [CLIFF],
            subject: "Cliff suggested we speak",
            preview: "Hi Steve, Cliff Hart suggested I get in touch about your LinkedIn plans.",
          }),
        expect: { referrer: { address: "cliff@hartconsulting.com", name: "Cliff Hart" } },
      },
      {
        name: "someone I copy without an introduction is a copied third party, not a referrer",
        build: (s) => s.iSend("c", 20, [STEVE], { cc: [CLIFF], preview: "Here is the quote." }),
        expect: { referrer: null },
      },
      {
        name: "the user can mark the referrer",
        build: (s) => s.iSend("c", 20, [STEVE], { cc: [CLIFF] }),
        userState: { ...EMPTY_USER_STATE, referrers: { c: "cliff@hartconsulting.com" } },
        expect: { referrer: { address: "cliff@hartconsulting.com", name: "Cliff Hart" } },
      },
      {
        name: "forwarding the thread to a partner is not an attempt, and the partner is not a prospect",
        build: (s) => s.iSend("c", 20, [ALEX]).iSend("c", 5, [PARTNER], { subject: "FW: Proposal" }),
        expect: (r) => {
          expect(r.attempts).toBe(1);
          expect(r.sinceLastAttemptDays).toBe(20);
          expect(r.prospects.map((p) => p.address)).toEqual(["alex@acme.com"]);
        },
      },
      {
        name: "a German forward prefix (WG:) is a forward too",
        build: (s) => s.iSend("c", 20, [ALEX]).iSend("c", 5, [PARTNER], { subject: "WG: Angebot" }),
        expect: { attempts: 1 },
      },
      {
        name: "a mailing list on googlegroups is not a prospect",
        build: (s) => s.iSend("c", 10, ["Sales Chat <sales-chat@googlegroups.com>"]),
        expect: { state: "excluded", reason: "mailing lists only" },
      },
      {
        name: "an address that list mail (List-Id) was sent to is a list, not a prospect",
        build: (s) =>
          s
            .iReceive("digest", 40, "Someone <someone@vendor.com>", {
              to: ["community@vendor.com"],
              headers: { "List-Id": "<community.vendor.com>" },
            })
            .iSend("c", 10, ["community@vendor.com"]),
        expect: { state: "excluded" },
      },
      {
        name: "one prospect with eleven colleagues on Cc is an attempt, not mass mail",
        build: (s) =>
          s.iSend("c", 10, [ALEX], {
            cc: Array.from({ length: 11 }, (_, i) => `colleague${i}@northwind.com`),
          }),
        expect: { state: "stale", attempts: 1 },
      },
      {
        name: "list-style addresses (all@, a lists. host) are not prospects",
        build: (s) => s.iSend("c", 10, ["All Staff <all@acme.com>", "announce@lists.acme.com"]),
        expect: { state: "excluded", reason: "mailing lists only" },
      },
      {
        name: "a prospect only on Bcc is said so",
        build: (s) => s.iSend("c", 10, [COLLEAGUE], { bcc: [ALEX] }),
        expect: { state: "excluded", reason: "the prospect was only on Bcc" },
      },
    ]);
  });

  describe("what their answer says", () => {
    check([
      {
        name: "not interested: declined, with the phrase",
        build: (s) =>
          s
            .iSend("c", 20)
            .iReceive("c", 15, ALEX, { preview: "Thanks Sam, but we're not interested at this time." }),
        expect: (r) => {
          expect(r.state).toBe("declined");
          expect(r.technique).toBeNull();
          expect(r.evidence?.toLowerCase()).toContain("not interested");
        },
      },
      {
        name: "a decline from a directory name (Last, First) names them by first name, with no zero attempts",
        build: (s) =>
          s
            .iSend("c", 20, ["Kim, Amara <amara.kim@acme.com>"])
            .iReceive("c", 15, "Kim, Amara <amara.kim@acme.com>", {
              preview: "Thanks Sam, but we're not interested at this time.",
            }),
        expect: (r) => {
          expect(r.state).toBe("declined");
          expect(r.reason).toMatch(/^Amara declined on /);
          expect(r.why).not.toMatch(/unanswered/);
        },
      },
      {
        name: "a decline still stands after I followed up again",
        build: (s) =>
          s
            .iSend("c", 30)
            .iReceive("c", 25, ALEX, { preview: "We went with another vendor, sorry." })
            .iSend("c", 10),
        expect: { state: "declined" },
      },
      {
        name: "call me in 60 days: deferred until then",
        build: (s) =>
          s.iSend("c", 20).iReceive("c", 10, ALEX, { preview: "Busy with the audit. Call me in 60 days." }),
        expect: (r) => {
          expect(r.state).toBe("deferred");
          expect(r.deferredUntil).toBe(Date.parse("2026-07-21T00:00:00Z"));
          expect(r.evidence).toBeTruthy();
        },
      },
      {
        name: "when the later date has passed, it is stale again and says they asked",
        build: (s) =>
          s.iSend("c", 100).iReceive("c", 90, ALEX, { preview: "Busy with the audit. Call me in 60 days." }),
        expect: (r) => {
          expect(r.state).toBe("stale");
          expect(r.reason).toContain("asked you to get back to them");
          expect(r.technique).not.toBeNull();
        },
      },
      {
        name: "the user can move the later date",
        build: (s) =>
          s.iSend("c", 20).iReceive("c", 10, ALEX, { preview: "Busy with the audit. Call me in 60 days." }),
        userState: { ...EMPTY_USER_STATE, deferrals: { c: instant(NOW + 5 * DAY) } },
        expect: { state: "deferred", deferredUntil: instant(NOW + 5 * DAY) },
      },
      {
        name: "the user can clear the later date",
        build: (s) =>
          s.iSend("c", 20).iReceive("c", 10, ALEX, { preview: "Busy with the audit. Call me in 60 days." }),
        userState: { ...EMPTY_USER_STATE, deferrals: { c: null } },
        expect: { state: "replied" },
      },
      {
        name: "left the company, naming the successor",
        build: (s) =>
          s.iSend("c", 20).iReceive("c", 19, ALEX, {
            subject: "Automatic reply: Proposal",
            preview:
              "Alex Kim is no longer with Acme. Please contact Jane Roe at jane.roe@acme.com for anything regarding purchasing.",
            headers: { "Auto-Submitted": "auto-replied" },
          }),
        expect: (r) => {
          expect(r.state).toBe("left");
          expect(r.successor?.address).toBe("jane.roe@acme.com");
          expect(r.technique).toBeNull();
        },
      },
      {
        name: "out of office with a return date: deferred until one working day after",
        build: (s) =>
          s.iSend("c", 3).iReceive("c", 3, ALEX, {
            subject: "Automatic reply: Proposal",
            preview: "I am out of the office until 5 June 2026 with limited access to e-mail.",
            headers: { "Auto-Submitted": "auto-replied" },
          }),
        expect: (r) => {
          expect(r.state).toBe("deferred");
          expect(r.reason).toBe("Out of office until 5 Jun");
          // 5 June 2026 is a Friday: the next working day is Monday 8 June
          expect(r.deferredUntil).toBe(Date.parse("2026-06-08T00:00:00Z"));
        },
      },
      {
        name: "left the company, said in the prospect's own reply",
        build: (s) =>
          s.iSend("c", 20).iReceive("c", 12, ALEX, {
            preview:
              "Hi Sam, I have left the company last month. Please write to Jane Roe at jane.roe@acme.com.",
          }),
        expect: (r) => {
          expect(r.state).toBe("left");
          expect(r.evidence).toBe("I have left the company last month.");
          expect(r.successor).toEqual({ address: "jane.roe@acme.com", name: "Jane Roe" });
        },
      },
      {
        name: "a short note from the prospect that only says they are away until a date defers like an out-of-office",
        build: (s) => s.iSend("c", 3).iReceive("c", 2, ALEX, { preview: "I am on vacation until 12 June." }),
        expect: (r) => {
          expect(r.state).toBe("deferred");
          expect(r.reason).toBe("Out of office until 12 Jun");
          expect(r.attempts).toBe(1);
          // 12 June 2026 is a Friday: the next working day is Monday 15 June
          expect(r.deferredUntil).toBe(Date.parse("2026-06-15T00:00:00Z"));
        },
      },
      {
        name: "out of office without a date changes nothing",
        build: (s) =>
          s.iSend("c", 10).iReceive("c", 10, ALEX, {
            subject: "Automatic reply: Proposal",
            preview: "I am currently out of the office with limited access to e-mail.",
            headers: { "Auto-Submitted": "auto-replied" },
          }),
        expect: { state: "stale" },
      },
      {
        name: "a helpdesk ticket acknowledgement is not an answer",
        build: (s) =>
          s
            .iSend("c", 10, ["Acme Support <support@acme.com>"])
            .iReceive("c", 10, "Acme Support <support@acme.com>", {
              subject: "[Ticket #48213] Proposal",
              preview: "We have received your request. A member of our team will respond shortly.",
            }),
        expect: { state: "stale", warm: false },
      },
      {
        name: "a delay notice is neither a bounce nor an answer",
        build: (s) =>
          s.iSend("c", 10).iReceive("c", 9, NDR, {
            subject: "Delivery Status Notification (Delay)",
            preview: "Delivery to alex@acme.com has been delayed. No action is required on your part.",
          }),
        expect: { state: "stale", warm: false },
      },
      {
        name: "a bounce for another recipient with the same subject does not mark this one bounced",
        build: (s) =>
          s
            .iSend("c", 10, [ALEX], { subject: "Quarterly update" })
            .iSend("other", 10, [CASEY], { subject: "Quarterly update" })
            .iReceive("ndr", 10, NDR, {
              subject: "Undeliverable: Quarterly update",
              preview: "Your message to casey@globex.com couldn't be delivered.",
            }),
        expect: { state: "stale" },
      },
      {
        name: "a bounce in the thread that names the prospect marks it bounced",
        build: (s) =>
          s.iSend("c", 10).iReceive("c", 10, NDR, {
            subject: "Undeliverable: Proposal",
            preview: "Delivery has failed to these recipients or groups: alex@acme.com",
          }),
        expect: { state: "bounced" },
      },
      {
        name: "when only one of two prospects bounced, the other may still answer",
        build: (s) =>
          s.iSend("c", 10, [ALEX, BLAKE]).iReceive("c", 10, NDR, {
            subject: "Undeliverable: Proposal",
            preview: "Delivery has failed to these recipients or groups: alex@acme.com",
          }),
        expect: { state: "stale" },
      },
    ]);
  });

  describe("time as the user lives it", () => {
    const tuesday0930 = Date.parse("2026-05-26T09:30:00Z");
    const friday0900 = Date.parse("2026-05-29T09:00:00Z");
    const daysAgo = (t: number) => (NOW - t) / DAY;
    check([
      {
        name: "a message sent Tuesday 09:30 is 3 days old on Friday at 09:00",
        build: (s) => s.iSend("c", daysAgo(tuesday0930)),
        now: friday0900,
        expect: { sinceLastAttemptDays: 3, darkDays: 3 },
      },
      {
        name: "days are counted in the user's zone: 23:30 UTC Monday is Tuesday in Berlin",
        build: (s) => s.iSend("c", daysAgo(Date.parse("2026-05-25T23:30:00Z"))),
        now: Date.parse("2026-05-27T08:00:00Z"),
        timeZone: "Europe/Berlin",
        expect: { sinceLastAttemptDays: 1 },
      },
      {
        name: "the same message in UTC is two days old",
        build: (s) => s.iSend("c", daysAgo(Date.parse("2026-05-25T23:30:00Z"))),
        now: Date.parse("2026-05-27T08:00:00Z"),
        expect: { sinceLastAttemptDays: 2 },
      },
      {
        name: "with business days, Friday to Monday is one day",
        build: (s) => s.iSend("c", daysAgo(Date.parse("2026-05-29T10:00:00Z"))),
        now: Date.parse("2026-06-01T10:00:00Z"),
        settings: { countBusinessDays: true },
        expect: { sinceLastAttemptDays: 1, state: "waiting" },
      },
      {
        name: "weekend days are configurable (Friday and Saturday)",
        build: (s) => s.iSend("c", daysAgo(Date.parse("2026-05-28T10:00:00Z"))),
        now: Date.parse("2026-05-31T10:00:00Z"),
        settings: { countBusinessDays: true, weekendDays: [5, 6] },
        expect: { sinceLastAttemptDays: 1 },
      },
    ]);
  });

  describe("scoring and the words around it", () => {
    it("ranks a warm conversation with a proposal out above a long-dead cold one", () => {
      const warm = scoreConversation({ darkDays: 20, attempts: 2, warm: true, proposalSent: true });
      const dead = scoreConversation({ darkDays: 300, attempts: 6, warm: false, proposalSent: false });
      expect(warm.score).toBeGreaterThan(dead.score);
    });

    it("adds nothing for silence beyond the pending-file threshold", () => {
      const at = (darkDays: number) =>
        scoreConversation({ darkDays, attempts: 2, warm: false, proposalSent: false }, { silenceCapDays: 90 })
          .score;
      expect(at(90)).toBe(at(400));
      expect(at(30)).toBeLessThan(at(90));
    });

    check([
      {
        name: "why says when my last follow-up was",
        build: (s) => s.iSend("c", 99),
        expect: (r) => expect(r.why).toContain("last follow-up 99 days ago"),
      },
      {
        name: "why counts a call I logged since as my last follow-up",
        build: (s) => s.iSend("c", 40),
        userState: {
          ...EMPTY_USER_STATE,
          loggedAttempts: [{ id: "l1", conversationId: "c", at: instant(NOW - 3 * DAY), kind: "call" }],
        },
        expect: (r) => expect(r.why).toContain("last follow-up 3 days ago (a call you logged)"),
      },
      {
        name: "why keeps my last email when the logged call came before it",
        build: (s) => s.iSend("c", 40).iSend("c", 5),
        userState: {
          ...EMPTY_USER_STATE,
          loggedAttempts: [{ id: "l1", conversationId: "c", at: instant(NOW - 20 * DAY), kind: "voicemail" }],
        },
        expect: (r) => {
          expect(r.why).toContain("last follow-up 5 days ago");
          expect(r.why).not.toContain("a call you logged");
        },
      },
    ]);

    const base = scenario().iSend("c", 30).iReceive("c", 25, ALEX).iSend("c", 10).report("c");
    it.each([
      ["close-the-file for someone who did answer", base, "close-the-file", /did answer/],
      ["should I close without a proposal", base, "should-i-close-the-file", /No proposal/],
      ["pending-file after 25 days", base, "pending-file", /pending-file clean-up is for 90 days/],
      ["a nudge that fits", base, "nudge", null],
    ] as const)("contradiction: %s", (_n, report, technique, expected) => {
      const said = techniqueContradiction(report, technique, { pendingFileDays: 90 });
      if (expected === null) expect(said).toBeNull();
      else expect(said).toMatch(expected);
    });

    it("says so when the user picks any technique for a conversation that was answered", () => {
      const replied = scenario().iSend("c", 10).iReceive("c", 8).report("c");
      expect(techniqueContradiction(replied, "nudge", { pendingFileDays: 90 })).toMatch(/did answer/);
    });
  });
});
