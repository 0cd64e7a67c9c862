import { classifyAnswer, type AnswerIntent, type IntentKind } from "../../src/core/answerIntent";
import { instant } from "../../src/core/message";
import { INTENT_CORPUS, type IntentCase } from "../fixtures/intentCorpus";

// Friday 20 November 2026, 10:00 in Berlin.
const FRIDAY = "2026-11-20T09:00:00Z";

const localDate = (ms: number, timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    ms,
  );

interface Options {
  readonly automated?: boolean;
  readonly subject?: string;
  readonly sentAt?: string;
  readonly timeZone?: string;
}

function read(text: string, options: Options = {}): AnswerIntent & { day?: string } {
  const timeZone = options.timeZone ?? "Europe/Berlin";
  const result = classifyAnswer({
    subject: options.subject ?? "RE: Proposal",
    text,
    sentAt: instant(Date.parse(options.sentAt ?? FRIDAY)),
    automated: options.automated ?? false,
    timeZone,
  });
  return result.until === undefined ? result : { ...result, day: localDate(result.until, timeZone) };
}

const runCase = (c: IntentCase) =>
  read(c.text, { automated: c.automated, subject: c.subject, sentAt: c.sentAt, timeZone: c.timeZone });

describe("answerIntent.ts", () => {
  describe("the evidence quoted", () => {
    it.each<[string, string, string]>([
      [
        "the whole sentence, not the phrase",
        "Thanks for the note. I have left the company last month. Jane Roe took over.",
        "I have left the company last month.",
      ],
      [
        "without the greeting",
        "Hi Sam, we're not interested at this time. Best, Mei",
        "we're not interested at this time.",
      ],
      [
        "a greeting on its own line",
        "Hello Sam,\nPlease remove me from your list.\nRegards",
        "Please remove me from your list.",
      ],
      [
        "the sentence of the date too",
        "Busy quarter here. Let's talk again after 15 January, when budgets are set. Thanks",
        "Let's talk again after 15 January, when budgets are set.",
      ],
      [
        "to the end of a text without a full stop",
        "Sorry, we went with another vendor",
        "Sorry, we went with another vendor",
      ],
      [
        "cut at a word edge in a sentence that runs on",
        `We ${"really ".repeat(40)}are not interested ${"at all ".repeat(40)}in this`,
        `${"really ".repeat(16)}are not interested ${"at all ".repeat(22)}at`,
      ],
    ])("should quote %s", (_rule, text, evidence) => {
      expect(read(text).evidence).toBe(evidence);
    });
  });

  describe("classifyAnswer", () => {
    it.each<[string, string, IntentKind]>([
      ["not interested", "Thanks, but we're not interested.", "declined"],
      ["a different direction", "We've decided to go in a different direction.", "declined"],
      ["close the file", "Please close the file, the project is cancelled.", "declined"],
      ["another vendor", "We went with another vendor.", "declined"],
      ["remove me from your list", "Remove me from your list.", "declined"],
      ["German: kein Interesse", "Danke, wir haben kein Interesse.", "declined"],
      ["French: pas intéressés", "Merci, nous ne sommes pas intéressés.", "declined"],
      ["Spanish: no nos interesa", "Gracias, pero no nos interesa.", "declined"],
    ])("should read a decline: %s", (_rule, text, kind) => {
      const result = read(text);
      expect(result.kind).toBe(kind);
      expect(text).toContain(result.evidence);
      expect(result.evidence).not.toBe("");
    });

    it.each<[string, string]>([
      ["contrast with a yes", "Not interested in the basic plan, but the premium one looks great"],
      ["not saying no", "I'm not saying no, I need to ask our CFO."],
      ["no problem", "No problem, Tuesday works."],
      ["not a problem at all", "Not a problem at all — I'll forward it to Priya."],
      ["not interested in waiting", "I'm not interested in waiting — let's start now"],
      ["negated vendor choice", "We didn't go with another vendor, we're still comparing."],
      ["negated in German", "Wir haben uns nicht für einen anderen Anbieter entschieden."],
      ["not that …", "Ich sage nicht, dass wir kein Interesse haben."],
      ["negated in Spanish", "No hemos elegido otro proveedor."],
      ["a conditional", "If you're not interested in annual terms, monthly is fine with us too?"],
      ["a question", "Not interested? Who said that! Send the quote."],
      [
        "the refusal is only quoted",
        "Yes, Thursday.\n\nOn Tue, 17 Nov 2026, Sam <sam@x.com> wrote:\n> Not interested?",
      ],
    ])("should never read a positive or neutral answer as declined: %s", (_rule, text) => {
      expect(read(text).kind).toBe("answer");
    });

    it.each<[string, string, string]>([
      ["in N days", "Call me in 60 days.", "2027-01-19"],
      ["a couple of weeks", "Check back in a couple of weeks.", "2026-12-04"],
      ["next quarter", "Let's reconnect next quarter.", "2027-01-01"],
      ["after the new year", "Please reach out after the new year.", "2027-01-02"],
      ["on hold for six months", "We're on hold for six months, follow up then.", "2027-05-20"],
      ["next Wednesday", "Not right now, ping me next Wednesday.", "2026-11-25"],
      ["back in January", "Back in January — contact me then.", "2027-01-01"],
      ["German: in zwei Wochen", "Rufen Sie mich in zwei Wochen an.", "2026-12-04"],
      ["German: nach Neujahr", "Bitte melden Sie sich nach Neujahr.", "2027-01-02"],
      ["French: dans deux semaines", "Recontactez-moi dans deux semaines.", "2026-12-04"],
      ["French: après le nouvel an", "Revenez vers moi après le nouvel an.", "2027-01-02"],
      ["French: en janvier", "Nous en reparlerons en janvier.", "2027-01-01"],
      ["Spanish: en dos semanas", "Vuelva a contactarme en dos semanas.", "2026-12-04"],
      ["Spanish: después de año nuevo", "Escríbame después de año nuevo.", "2027-01-02"],
      ["Spanish: en enero", "Retomemos el tema en enero.", "2027-01-01"],
      ["in three months", "Try me again in three months.", "2027-02-20"],
      ["six months from now", "Please follow up six months from now.", "2027-05-20"],
      ["next month", "Contact me next month.", "2026-12-01"],
      ["next year", "Please follow up next year.", "2027-01-01"],
      ["a weekday with its date", "Call me on Wednesday 2 December.", "2026-12-02"],
      ["for now, with a date", "Not interested right now — follow up next quarter.", "2027-01-01"],
      [
        "for now, said before the refusal",
        "Wir bleiben vorerst bei unserem aktuellen Anbieter, melden Sie sich im Juni wieder.",
        "2027-06-01",
      ],
      [
        "Spanish: for now, ahora mismo",
        "Gracias, ahora mismo no nos interesa. Escríbame de nuevo en enero.",
        "2027-01-01",
      ],
      [
        "German: for now, im Augenblick",
        "Im Augenblick kein Interesse, melden Sie sich im März wieder.",
        "2027-03-01",
      ],
      [
        "French: for now, pour l'heure",
        "Pour l'heure, nous ne sommes pas intéressés. Recontactez-moi en janvier.",
        "2027-01-01",
      ],
    ])("should read a deferral with the day to come back: %s", (_rule, text, day) => {
      const result = read(text);
      expect(result.kind).toBe("deferred");
      expect(result.day).toBe(day);
      expect(text).toContain(result.evidence);
    });

    it("should read a deferral of under a week to talk as setting up a call, not as later", () => {
      expect(read("Let's talk Tuesday at 10, I'll send an invite.").kind).toBe("answer");
      expect(read("Let's talk in the spring.")).toMatchObject({ kind: "deferred", day: "2027-03-01" });
    });

    it.each<[string, string, string]>([
      ["English, until", "I am out of the office until 7 December.", "2026-12-07"],
      ["English, back on Monday 7th", "I'm on leave and back on Monday 7th.", "2026-12-07"],
      ["English, on vacation until", "I am on vacation until 1 December.", "2026-12-01"],
      ["German, zurück am", "Ich bin abwesend, zurück am 07.12.", "2026-12-07"],
      [
        "German, date before the cue",
        "Ich bin am Montag, den 30. November, wieder erreichbar.",
        "2026-11-30",
      ],
      ["French, de retour le", "Je suis en congés, de retour le 7 décembre.", "2026-12-07"],
      ["French, day-first slashes", "En déplacement, de retour le 30/11.", "2026-11-30"],
      ["Spanish, hasta el", "Estoy fuera de la oficina hasta el 7 de diciembre.", "2026-12-07"],
      ["a range of days", "I am away 23 November - 4 December.", "2026-12-04"],
      ["a French range", "Je suis absent du 23 novembre au 4 décembre inclus.", "2026-12-04"],
      [
        "the return day, not the first day away",
        "Out of office 23 November through 30 November, back on Tuesday, December 1.",
        "2026-12-01",
      ],
    ])("should read an automatic out-of-office with its return day: %s", (_rule, text, day) => {
      const result = read(text, { automated: true, subject: "Automatic reply: Proposal" });
      expect(result).toMatchObject({ kind: "out-of-office", day });
      expect(text).toContain(result.evidence);
    });

    it("should read an out-of-office without a date as out-of-office with no return day", () => {
      const result = read("I am out of the office with limited access to email.", { automated: true });
      expect(result.kind).toBe("out-of-office");
      expect(result.until).toBeUndefined();
      const bySubject = read("Thank you for your message.", {
        automated: true,
        subject: "Out of Office: Proposal",
      });
      expect(bySubject).toEqual({ kind: "out-of-office", evidence: "Out of Office" });
    });

    it("should read a person's note that only says they are away as out-of-office, and positive content as an answer", () => {
      expect(read("I am on vacation until 1 December, back then.")).toMatchObject({
        kind: "out-of-office",
        day: "2026-12-01",
      });
      expect(read("I'm out until Friday, but yes let's meet — send the proposal").kind).toBe("answer");
      expect(read("I'm on vacation until Monday. Can you resend the quote?").kind).toBe("answer");
      expect(read("I'm out of the office today.").kind).toBe("answer");
    });

    it("should not read English slash dates, which are month-first there", () => {
      expect(read("I'm out of the office until 12/7.", { automated: true }).until).toBeUndefined();
    });

    it.each<[string, string, { address: string; name: string } | undefined]>([
      ["no longer with", "Jane Roe is no longer with Acme.", undefined],
      ["has left the company", "Jane has left the company.", undefined],
      ["ne fait plus partie", "Elle ne fait plus partie de l'entreprise.", undefined],
      ["nicht mehr bei", "Frau Roe ist nicht mehr bei Acme.", undefined],
      ["ya no trabaja", "La Sra. Roe ya no trabaja en Acme.", undefined],
      [
        "successor in English",
        "Jane is no longer with Acme. Please contact Jane Doe at Jane.Doe@Acme.com.",
        { address: "jane.doe@acme.com", name: "Jane Doe" },
      ],
      [
        "successor in German",
        "Herr Roe ist nicht mehr bei Acme. Bitte wenden Sie sich an Frau Petra Weber (petra.weber@acme.de).",
        { address: "petra.weber@acme.de", name: "Petra Weber" },
      ],
      [
        "successor in French",
        "Il ne fait plus partie de la société. Veuillez contacter Marie Dupont : marie.dupont@acme.fr",
        { address: "marie.dupont@acme.fr", name: "Marie Dupont" },
      ],
      [
        "successor in Spanish",
        "Ya no trabaja aquí. Por favor contacte a Ana López en ana.lopez@acme.es",
        { address: "ana.lopez@acme.es", name: "Ana López" },
      ],
      [
        "successor without a name",
        "He has left the company; write to sales@acme.com.",
        { address: "sales@acme.com", name: "" },
      ],
    ])("should read that someone left, with any successor: %s", (_rule, text, successor) => {
      for (const automated of [false, true]) {
        const result = read(text, { automated });
        expect(result.kind).toBe("left");
        expect(result.successor).toEqual(successor);
        expect(text).toContain(result.evidence);
      }
    });

    it("should not take a left voicemail for a person who left", () => {
      expect(read("I have left you a voicemail, call me back.").kind).toBe("answer");
    });

    it.each<[string, string, string, IntentKind]>([
      ["[Ticket #…] ack", "[Ticket #48213] Proposal", "We have received your request.", "acknowledgement"],
      [
        "a member of our team",
        "Re: Proposal",
        "A member of our team will respond shortly.",
        "acknowledgement",
      ],
      ["German ack", "Re: Angebot", "Wir haben Ihre Anfrage erhalten.", "acknowledgement"],
      [
        "an ack promising an answer in days",
        "Re: Proposal",
        "We have received your message and will get back to you in 2 days.",
        "acknowledgement",
      ],
      [
        "an ack that names a day is still an ack",
        "Re: Proposal",
        "Thank you for contacting support. We will respond to your request by Monday.",
        "acknowledgement",
      ],
      ["DSN (Delay)", "Delivery Status Notification (Delay)", "This is a warning message only.", "delay"],
      [
        "delivery has been delayed",
        "Warning",
        "Delivery to the following recipients has been delayed.",
        "delay",
      ],
    ])("should read helpdesk acknowledgements and delay notices: %s", (_rule, subject, text, kind) => {
      const result = read(text, { automated: true, subject });
      expect(result.kind).toBe(kind);
      expect(text.includes(result.evidence) || subject.includes(result.evidence)).toBe(true);
    });

    it("should not take a person's 'we have received your proposal' for a helpdesk acknowledgement", () => {
      expect(read("We have received your request and love it — let's meet Monday.").kind).toBe("answer");
    });

    it("should not take 'sorry for the delay' for a delivery delay", () => {
      expect(read("Sorry for the delay, here are my answers.").kind).toBe("answer");
    });

    it.each<[string, string, Options, IntentKind]>([
      ["left over declined", "She has left the company, so we're not interested.", {}, "left"],
      ["declined over deferred", "We went with another vendor. Don't call me in 60 days.", {}, "declined"],
      [
        "out-of-office over acknowledgement",
        "We have received your request. I am out of the office until 7 December.",
        { automated: true },
        "out-of-office",
      ],
      [
        "acknowledgement over answer",
        "[Ticket #1234] We have received your message.",
        { automated: true },
        "acknowledgement",
      ],
    ])("should apply the priorities: %s", (_rule, text, options, kind) => {
      expect(read(text, options).kind).toBe(kind);
    });

    it("should return a plain answer for automated mail that says nothing it recognises", () => {
      expect(read("Your weekly digest is here.", { automated: true, subject: "Digest" })).toEqual({
        kind: "answer",
        evidence: "",
      });
    });

    it("should count relative days from the local day of the message, not the UTC day", () => {
      // 23:30 in New York on 30 November is 04:30 UTC on 1 December
      const result = read("Contact me next month.", {
        sentAt: "2026-12-01T04:30:00Z",
        timeZone: "America/New_York",
      });
      expect(result.day).toBe("2026-12-01");
      expect(result.until).toBe(Date.parse("2026-12-01T05:00:00Z"));
    });

    it("should take a date without a year as the next such day, and drop one already past", () => {
      expect(read("Please follow up on 5 January.", { sentAt: "2026-12-10T12:00:00Z" }).day).toBe(
        "2027-01-05",
      );
      expect(read("Please follow up on 5 January 2026.", { sentAt: "2026-12-10T12:00:00Z" }).kind).toBe(
        "answer",
      );
    });

    it("should not throw on an unknown time zone, and read it as UTC", () => {
      const result = classifyAnswer({
        subject: "RE: Proposal",
        text: "Call me in 2 weeks.",
        sentAt: instant(Date.parse(FRIDAY)),
        automated: false,
        timeZone: "Mars/Olympus_Mons",
      });
      expect(result.kind).toBe("deferred");
      expect(result.until).toBe(Date.parse("2026-12-04T00:00:00Z"));
    });
  });

  describe("the corpus", () => {
    const results = INTENT_CORPUS.map((c) => ({ c, r: runCase(c) }));
    const correct = (c: IntentCase, r: ReturnType<typeof runCase>) =>
      r.kind === c.expected &&
      r.day === c.until &&
      JSON.stringify(r.successor) === JSON.stringify(c.successor);

    it("should hold at least 150 cases, at least 30 in each language", () => {
      expect(INTENT_CORPUS.length).toBeGreaterThanOrEqual(150);
      for (const lang of ["en", "de", "fr", "es"]) {
        expect(INTENT_CORPUS.filter((c) => c.lang === lang).length).toBeGreaterThanOrEqual(30);
      }
    });

    it("should classify at least 95% of the corpus right, kind, day and successor", () => {
      const wrong = results.filter(({ c, r }) => !correct(c, r));
      const accuracy = 1 - wrong.length / INTENT_CORPUS.length;
      const listed = wrong.map(({ c, r }) => `${c.expected}→${r.kind} ${r.day ?? ""}: ${c.text}`);
      expect(accuracy >= 0.95 ? [] : listed).toEqual([]);
    });

    it("should never class a positive or neutral answer as declined", () => {
      const declinedAnswers = results.filter(({ c, r }) => c.expected === "answer" && r.kind === "declined");
      expect(declinedAnswers.map(({ c }) => c.text)).toEqual([]);
    });

    it("should give evidence that is a phrase of the text (or, for subject-only verdicts, of the subject)", () => {
      for (const { c, r } of results) {
        if (r.kind === "answer") expect(r.evidence).toBe("");
        else {
          expect(r.evidence).not.toBe("");
          expect(r.evidence).toBe(r.evidence.trim());
          expect(c.text.includes(r.evidence) || c.subject.includes(r.evidence)).toBe(true);
        }
      }
    });
  });
});
