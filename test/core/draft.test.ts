import fc from "fast-check";
import { BUILTIN_TEMPLATES, INTRODUCTION_TEMPLATE } from "../../src/core/builtinTemplates";
import {
  callsPhrase,
  composeDraft,
  composeIntroduction,
  formatDate,
  templateValuesFor,
  type DraftFacts,
} from "../../src/core/draft";
import { instant, type Me } from "../../src/core/message";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { TECHNIQUES, type Technique } from "../../src/core/technique";
import type { TemplateSource } from "../../src/core/template";
import { scenario } from "../fixtures/scenario";

const MARCH_3 = instant(Date.parse("2026-03-03T10:00:00Z"));

const facts = (over: Partial<DraftFacts> = {}): DraftFacts => ({
  subject: "RE: [EXTERNAL] Pricing for 2026",
  prospects: [{ address: "alex.kim@acme.com", name: "Alex Kim", company: "Acme" }],
  lastHeardAt: MARCH_3,
  firstAttemptAt: MARCH_3,
  darkDays: 40,
  attempts: 3,
  technique: "nudge",
  ...over,
});

const ME: Me = { displayName: "Sam Rivera", givenName: "Sam", mail: "sam@northwind.com" };
const ME_FULL: Me = { ...ME, mobilePhone: "+44 7700 900123", companyName: "Northwind" };

/** Every part of a rendered message as one string, for checks that apply to all of them. */
const allOf = (m: { subject: string; html: string; text: string; voicemail: string | null }) =>
  [m.subject, m.html, m.text, m.voicemail ?? ""].join("\n");

describe("draft.ts", () => {
  describe("formatDate", () => {
    it.each([
      ["the default (en-GB, UTC)", "2026-04-17T12:00:00Z", {}, "17 April 2026"],
      ["en-US", "2026-04-17T12:00:00Z", { locale: "en-US" }, "April 17, 2026"],
      ["de-DE", "2026-04-17T12:00:00Z", { locale: "de-DE", timeZone: "Europe/Berlin" }, "17. April 2026"],
      ["fr-FR", "2026-04-17T12:00:00Z", { locale: "fr-FR", timeZone: "Europe/Paris" }, "17 avril 2026"],
      ["a time zone ahead of UTC", "2026-04-17T23:30:00Z", { timeZone: "Asia/Tokyo" }, "18 April 2026"],
      ["a time zone behind UTC", "2026-04-17T02:00:00Z", { timeZone: "America/New_York" }, "16 April 2026"],
    ])("should write dates for %s", (_case, iso, context, expected) => {
      expect(formatDate(instant(Date.parse(iso)), context)).toBe(expected);
    });

    it.each([
      [{ timeZone: "Mars/Olympus_Mons" }, 'time zone "Mars/Olympus_Mons"'],
      [{ locale: "not a locale!" }, 'locale "not a locale!"'],
    ])("should refuse %j with an error naming it", (context, named) => {
      expect(() => formatDate(MARCH_3, context)).toThrow(named);
    });
  });

  describe("callsPhrase", () => {
    it.each([
      [undefined, ""],
      [0, ""],
      [-1, ""],
      [Number.NaN, ""],
      [1, "called you once"],
      [2, "called you twice"],
      [3, "called you a few times"],
      [12, "called you a few times"],
    ])("should describe %j logged calls as %j", (n, phrase) => {
      expect(callsPhrase(n)).toBe(phrase);
    });
  });

  describe("templateValuesFor", () => {
    it.each([
      ["settings first", { myPhone: "+1 555 0100" }, ME_FULL, "+1 555 0100"],
      ["then my mobile", {}, { ...ME_FULL, businessPhones: ["+44 20 7946 0000"] }, "+44 7700 900123"],
      [
        "then my first business phone",
        { myPhone: "" },
        { ...ME, businessPhones: ["", "+44 20 7946 0000"] },
        "+44 20 7946 0000",
      ],
      ["else nothing", {}, ME, ""],
    ])("should take my phone from %s", (_case, settings, me, phone) => {
      expect(templateValuesFor(facts(), me, settings).myPhone).toBe(phone);
    });

    it.each([
      ["settings first", { myCompany: "Northwind Traders" }, ME_FULL, "Northwind Traders"],
      ["then my profile", { myCompany: "" }, ME_FULL, "Northwind"],
      ["else nothing", {}, ME, ""],
    ])("should take my company from %s", (_case, settings, me, company) => {
      expect(templateValuesFor(facts(), me, settings).myCompany).toBe(company);
    });

    it.each([
      ["a full name", { address: "jane@partner.com", name: "Jane Smith" }, "Jane Smith", "Jane"],
      ["a titled name", { address: "j@partner.com", name: "Dr. Jane Smith" }, "Dr. Jane Smith", "Jane"],
      ["only an address", { address: "jane.smith@partner.com", name: "" }, "Jane", "Jane"],
      ["no referrer", null, "", ""],
    ])("should name the referrer from %s", (_case, referrer, name, first) => {
      const v = templateValuesFor(facts({ referrer }), ME);
      expect([v.referrerName, v.referrerFirstName]).toEqual([name, first]);
    });

    it("should use the topic of the subject and greet the prospect like a person", () => {
      const v = templateValuesFor(
        facts({ prospects: [{ address: "js@x.com", name: "Smith, Mr. John", company: "" }] }),
        ME,
      );
      expect(v.subject).toBe("Pricing for 2026");
      expect(v.firstName).toBe("Mr Smith");
      expect(v.greetingName).toBe("Mr Smith");
      expect(v.fullName).toBe("Smith, Mr. John");
      expect(v.lastContactDate).toBe("3 March 2026");
    });

    it("should write the date of last contact in the user's locale and time zone", () => {
      const late = instant(Date.parse("2026-03-03T23:30:00Z"));
      const v = templateValuesFor(
        facts({ lastHeardAt: late }),
        ME,
        {},
        { locale: "de-DE", timeZone: "Europe/Berlin" },
      );
      expect(v.lastContactDate).toBe("4. März 2026");
    });
  });

  describe("composeDraft", () => {
    const REFERRER = { address: "jane@partner.com", name: "Jane Smith" };
    type Case = {
      readonly name: string;
      readonly facts: Partial<DraftFacts>;
      readonly me: Me;
      readonly greeting: string;
    };
    const cases: readonly Case[] = [
      { name: "a plain prospect, nothing extra", facts: {}, me: ME, greeting: "Alex" },
      { name: "a referral", facts: { referrer: REFERRER }, me: ME, greeting: "Alex" },
      { name: "two logged calls", facts: { loggedCalls: 2 }, me: ME, greeting: "Alex" },
      { name: "my phone and company known", facts: {}, me: ME_FULL, greeting: "Alex" },
      {
        name: "a referral, calls, phone and company",
        facts: { referrer: REFERRER, loggedCalls: 1 },
        me: ME_FULL,
        greeting: "Alex",
      },
      {
        name: "a titled name",
        facts: { prospects: [{ address: "jsmith@acme.com", name: "Mr. John Smith", company: "Acme" }] },
        me: ME,
        greeting: "Mr Smith",
      },
      {
        name: "a department",
        facts: { prospects: [{ address: "einkauf@acme.de", name: "Einkauf", company: "Acme" }] },
        me: ME,
        greeting: "there",
      },
      {
        name: "initials only",
        facts: { prospects: [{ address: "js@acme.com", name: "J.S.", company: "" }] },
        me: ME,
        greeting: "there",
      },
      { name: "an empty subject", facts: { subject: "RE:" }, me: ME_FULL, greeting: "Alex" },
    ];
    const matrix = TECHNIQUES.flatMap((technique) => cases.map((c) => [technique, c.name, c] as const));

    it.each(matrix)("should render %s for %s so it reads well", (technique, _name, c) => {
      const draft = composeDraft(facts(c.facts), c.me, DEFAULT_SETTINGS, technique);
      const all = allOf(draft);
      expect(draft.technique).toBe(technique);
      expect(draft.text.startsWith(`Hi ${c.greeting},\n\n`)).toBe(true);
      expect(draft.html.startsWith(`<p>Hi ${c.greeting},</p>`)).toBe(true);
      expect(all).not.toMatch(/\{\{|\}\}|“”| {2}| [,.;:]|\bfrom \.|RE:|\[EXTERNAL\]|I was put in touch/);
      // Calls and voicemails are only claimed when logged.
      if (!c.facts.loggedCalls)
        expect(`${draft.subject}${draft.text}`).not.toMatch(/voicemail|called|calling/i);
      if (
        c.facts.loggedCalls &&
        technique !== "no-pressure" &&
        technique !== "pending-file" &&
        technique !== "are-you-ok"
      ) {
        expect(draft.text).toContain("called you");
      }
      if (technique === "close-the-file") {
        if (c.facts.referrer)
          expect(draft.text).toContain("Jane suggested we speak about “Pricing for 2026”");
        else expect(draft.text).not.toMatch(/suggested|introduc|referr/i);
      }
      if (draft.voicemail !== null) {
        expect(draft.voicemail).toContain("Sam Rivera");
        if (c.me.companyName) expect(draft.voicemail).toContain("from Northwind");
        if (c.me.mobilePhone) expect(draft.voicemail).toContain("+44 7700 900123");
        if (!c.me.mobilePhone) expect(draft.voicemail).not.toMatch(/number is|on \.|call me on/);
      }
    });

    it("should greet the prospect by first name and sign with mine", () => {
      const s = scenario().iSend("c", 30, ["Kim, Alex <alex@acme.com>"], { subject: "RE: Pricing" });
      const draft = composeDraft(s.report("c"), s.mailbox().me, DEFAULT_SETTINGS);
      expect(draft.technique).toBe("nudge");
      expect(draft.text).toContain("Hi Alex,");
      expect(draft.text).toContain("“Pricing”");
      expect(draft.text).not.toContain("RE: Pricing");
      expect(draft.text.trim().endsWith("Sam")).toBe(true);
    });

    it("should fall back to a friendly greeting for a shared mailbox", () => {
      const s = scenario().iSend("c", 30, ["info@acme.com"]);
      expect(composeDraft(s.report("c"), s.mailbox().me, DEFAULT_SETTINGS).text).toMatch(/^Hi there,/);
    });

    it("should put the date of last contact in the are-you-ok message", () => {
      const s = scenario().iSend("c", 60).iReceive("c", 45).iSend("c", 40).iSend("c", 30).iSend("c", 20);
      const draft = composeDraft(s.report("c"), s.mailbox().me, DEFAULT_SETTINGS);
      expect(draft.technique).toBe("are-you-ok");
      expect(draft.text).toContain("since 17 April 2026");
      expect(
        composeDraft(s.report("c"), s.mailbox().me, DEFAULT_SETTINGS, undefined, { locale: "en-US" }).text,
      ).toContain("since April 17, 2026");
    });

    it("should use the user's own template, with my phone from settings", () => {
      const settings = {
        ...DEFAULT_SETTINGS,
        myPhone: "+1 555 0100",
        templates: {
          nudge: {
            subject: "Ping",
            html: "<p>Yo {{firstName}}</p>",
            text: "Yo {{firstName}}{{#myPhone}}, ring {{myPhone}}{{/myPhone}}",
          },
        },
      };
      expect(composeDraft(facts(), ME_FULL, settings)).toMatchObject({
        subject: "Ping",
        text: "Yo Alex, ring +1 555 0100",
      });
    });

    it("should escape hostile names, subjects and profile values in every technique (property)", () => {
      const markup = fc.string({
        unit: fc.constantFrom(
          "<",
          ">",
          "img",
          " ",
          "onerror=",
          "script",
          '"',
          "&",
          "{{",
          "}}",
          "\n",
          "\u202e",
          "RE:",
        ),
      });
      // Hand-picked markup and mail noise, or any text at all.
      const hostile = fc.oneof(markup, fc.string({ unit: "binary" }));
      fc.assert(
        fc.property(
          hostile,
          hostile,
          hostile,
          hostile,
          fc.nat(5),
          (name, subject, company, referrer, calls) => {
            const f = facts({
              subject,
              prospects: [{ address: "x@evil.com", name, company }],
              referrer: { address: "r@evil.com", name: referrer },
              loggedCalls: calls,
            });
            const me = { ...ME, displayName: name, companyName: company, mobilePhone: referrer };
            const rendered = [
              ...TECHNIQUES.map((t) => composeDraft(f, me, DEFAULT_SETTINGS, t)),
              composeIntroduction(
                { ...f, successor: { address: "y@evil.com", name }, predecessorName: referrer },
                me,
              ),
            ];
            for (const message of rendered) {
              // The only tags are the templates' own paragraphs and line breaks.
              expect(message.html.replace(/<\/?p>|<br>/g, "")).not.toContain("<");
              expect(message.subject).not.toMatch(/[\r\n]/);
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  });

  describe("composeIntroduction", () => {
    const intro = (over: { predecessorName?: string; company?: string; subject?: string } = {}) =>
      composeIntroduction(
        {
          ...facts({
            subject: over.subject ?? "RE: Pricing",
            prospects: [{ address: "alex@acme.com", name: "Alex Kim", company: over.company ?? "Acme" }],
          }),
          successor: { address: "priya.shah@acme.com", name: "Shah, Priya" },
          predecessorName: over.predecessorName ?? "Alex Kim",
        },
        ME_FULL,
      );

    it.each([
      ["the predecessor and company", {}, "I'd been talking with Alex Kim at Acme about “Pricing”"],
      [
        "no predecessor name",
        { predecessorName: " " },
        "I'd been talking with one of your colleagues at Acme about “Pricing”",
      ],
      ["no company", { company: "" }, "I'd been talking with Alex Kim about “Pricing”"],
      ["no subject", { subject: "FW:" }, "I'd been talking with Alex Kim at Acme, and"],
    ])("should introduce me to the successor with %s", (_case, over, sentence) => {
      const message = intro(over);
      expect(message.text.startsWith("Hi Priya,\n\n")).toBe(true);
      expect(message.text).toContain(sentence);
      expect(allOf(message)).not.toMatch(/\{\{|\}\}|“”| {2}| [,.]/);
      expect(message.voicemail).toBeNull();
    });

    it("should write a subject for a new conversation", () => {
      expect(intro().subject).toBe("Introducing myself: Pricing");
      expect(intro({ subject: "" }).subject).toBe("Introducing myself");
    });
  });

  describe("built-in wording", () => {
    const sources: readonly [string, TemplateSource][] = [
      ...TECHNIQUES.map((t) => [t, BUILTIN_TEMPLATES[t]] as [string, TemplateSource]),
      ["introduction", INTRODUCTION_TEMPLATE],
    ];
    /** The e-mail parts of a template with every {{#calls}}…{{/calls}} section removed. */
    const outsideCalls = (s: TemplateSource) =>
      [s.subject, s.html, s.text].join("\n").replace(/\{\{#calls\}\}[\s\S]*?\{\{\/calls\}\}/g, "");

    it.each(sources)("should never say %s was put in touch", (_t, source) => {
      expect(JSON.stringify(source)).not.toMatch(/put in touch/i);
    });

    it.each(sources)("should mention calls in the %s e-mail only inside {{#calls}}", (_t, source) => {
      expect(outsideCalls(source)).not.toMatch(/voicemail|voice mail|\bcall(ed|ing|s)\b|\brang\b|by phone/i);
    });

    it.each(TECHNIQUES.filter((t) => BUILTIN_TEMPLATES[t].voicemail !== undefined))(
      "should give my name, company and phone in the %s voicemail",
      (technique) => {
        const voicemail = BUILTIN_TEMPLATES[technique].voicemail ?? "";
        expect(voicemail).toContain("{{myName}}");
        expect(voicemail).toContain("{{#myCompany}} from {{myCompany}}{{/myCompany}}");
        expect(voicemail).toMatch(/\{\{#myPhone\}\}[^{]*\{\{myPhone\}\}[^{]*\{\{\/myPhone\}\}/);
      },
    );

    it("should ask for one or two times in should-i-close-the-file, without the seed's shouting", () => {
      const source = BUILTIN_TEMPLATES["should-i-close-the-file"];
      expect(source.text).toContain("one or two times");
      expect(source.voicemail).toContain("one or two times");
      expect(source.subject).toBe("SHOULD I CLOSE THE FILE?");
    });

    it("should name the referrer in close-the-file only when there is one", () => {
      const draft = (referrer: DraftFacts["referrer"]) =>
        composeDraft(facts({ referrer }), ME, DEFAULT_SETTINGS, "close-the-file" satisfies Technique);
      expect(draft({ address: "jane@partner.com", name: "Jane Smith" }).voicemail).toContain(
        "Jane suggested I get in touch",
      );
      expect(draft(null).text).toContain(
        "I've written to you a few times since 3 March 2026 about “Pricing for 2026”",
      );
    });
  });
});
