import fc from "fast-check";
import { BUILTIN_TEMPLATES } from "../../src/core/builtinTemplates";
import { composeDraft } from "../../src/core/draft";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { TECHNIQUES } from "../../src/core/technique";
import { compileTemplate, PLACEHOLDERS, TemplateError, type TemplateValues } from "../../src/core/template";
import { scenario } from "../fixtures/scenario";

const countLt = (s: string) => s.split("<").length - 1;

const values = (over: Partial<TemplateValues> = {}): TemplateValues => ({
  firstName: "Alex",
  fullName: "Alex Kim",
  company: "Acme",
  myFirstName: "Sam",
  myName: "Sam Rivera",
  subject: "Proposal",
  lastContactDate: "3 March 2026",
  daysSilent: "12",
  attempts: "2",
  ...over,
});

describe("template.ts", () => {
  describe("compileTemplate", () => {
    it("should fill every placeholder", () => {
      const t = compileTemplate({
        subject: "Hi {{firstName}}",
        html: "<p>{{ subject }}</p>",
        text: "{{myName}}",
      });
      expect(t.render(values())).toEqual({
        subject: "Hi Alex",
        html: "<p>Proposal</p>",
        text: "Sam Rivera",
        voicemail: null,
      });
    });

    it.each([
      ["subject", { subject: "Hi {{first_name}}", html: "", text: "" }, "first_name"],
      ["html", { subject: "Hi", html: "<p>{{ prospect }}</p>", text: "" }, "prospect"],
      ["text", { subject: "Hi", html: "", text: "{{Firstname}}" }, "Firstname"],
      ["voicemail", { subject: "Hi", html: "", text: "", voicemail: "{{phone}}" }, "phone"],
    ] as const)("should reject an unknown placeholder in the %s, naming it", (field, source, placeholder) => {
      expect(() => compileTemplate(source, "the Nudge template")).toThrow(TemplateError);
      try {
        compileTemplate(source, "the Nudge template");
      } catch (e) {
        expect((e as TemplateError).message).toContain(`{{${placeholder}}}`);
        expect((e as TemplateError).message).toContain("the Nudge template");
        expect((e as TemplateError).field).toBe(field);
        expect((e as TemplateError).placeholder).toBe(placeholder);
      }
    });

    it("should reject an unclosed placeholder", () => {
      expect(() => compileTemplate({ subject: "Hi {{firstName", html: "", text: "" })).toThrow(/Unclosed/);
    });

    it("should reject an empty subject", () => {
      expect(() => compileTemplate({ subject: "  ", html: "", text: "" })).toThrow(/subject/);
    });

    it("should escape values for HTML but not for text", () => {
      const t = compileTemplate({ subject: "{{subject}}", html: "<p>{{subject}}</p>", text: "{{subject}}" });
      const out = t.render(values({ subject: `<script>alert("x")</script> & 'co'` }));
      expect(out.html).toBe("<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p>");
      expect(out.text).toBe(`<script>alert("x")</script> & 'co'`);
    });

    it("should strip control characters and keep the subject on one line", () => {
      const t = compileTemplate({ subject: "Re {{subject}}", html: "", text: "{{firstName}}" });
      const out = t.render(values({ subject: "a\r\nBcc: evil@x.com", firstName: "Al\u001b[31mex\u202e" }));
      expect(out.subject).toBe("Re a Bcc: evil@x.com");
      expect(out.text).toBe("Al[31mex");
    });

    it("should never emit an unescaped < taken from mail data (property)", () => {
      const anyText = fc.string({
        unit: fc.constantFrom("<", ">", "&", '"', "'", "a", " ", "/", "s", "=", "\n"),
      });
      fc.assert(
        fc.property(
          fc.record({
            firstName: anyText,
            fullName: anyText,
            company: anyText,
            subject: anyText,
            myName: anyText,
          }),
          (v) => {
            for (const technique of TECHNIQUES) {
              const source = BUILTIN_TEMPLATES[technique];
              const html = compileTemplate(source).render(values(v)).html;
              expect(countLt(html)).toBe(countLt(source.html));
            }
          },
        ),
      );
    });
  });

  describe("BUILTIN_TEMPLATES", () => {
    it.each(TECHNIQUES)(
      "should give %s a subject, an HTML body and a text body that compile",
      (technique) => {
        const source = BUILTIN_TEMPLATES[technique];
        const out = compileTemplate(source).render(values());
        expect(out.subject.length).toBeGreaterThan(3);
        expect(out.html).toMatch(/^<p>Hi Alex,<\/p>/);
        expect(out.text).toMatch(/^Hi Alex,\n\n/);
        expect(out.text).not.toMatch(/\{\{|\}\}/);
      },
    );

    it("should carry a voicemail script exactly where the seed uses a call", () => {
      const withVoicemail = TECHNIQUES.filter((t) => BUILTIN_TEMPLATES[t].voicemail !== undefined).sort();
      expect(withVoicemail).toEqual([
        "are-you-ok",
        "close-the-file",
        "no-pressure",
        "should-i-close-the-file",
      ]);
    });

    it("should document every placeholder it offers", () => {
      expect(Object.keys(PLACEHOLDERS).sort()).toEqual(Object.keys(values()).sort());
    });
  });
});

describe("draft.ts", () => {
  describe("composeDraft", () => {
    it("should greet the prospect by first name and sign with mine", () => {
      const s = scenario().iSend("c", 30, ["Kim, Alex <alex@acme.com>"], { subject: "RE: Pricing" });
      const report = s.report("c");
      const draft = composeDraft(report, s.mailbox().me, DEFAULT_SETTINGS);
      expect(draft.technique).toBe("nudge");
      expect(draft.text).toContain("Hi Alex,");
      expect(draft.text).toContain("Pricing");
      expect(draft.text).not.toContain("RE: Pricing");
      expect(draft.text.trim().endsWith("Sam")).toBe(true);
    });

    it("should fall back to a friendly greeting when the name is empty", () => {
      const s = scenario().iSend("c", 30, ["info@acme.com"]);
      expect(composeDraft(s.report("c"), s.mailbox().me, DEFAULT_SETTINGS).text).toMatch(/^Hi there,/);
    });

    it("should put the date of last contact in the are-you-ok message", () => {
      const s = scenario().iSend("c", 60).iReceive("c", 45).iSend("c", 40).iSend("c", 30).iSend("c", 20);
      const draft = composeDraft(s.report("c"), s.mailbox().me, DEFAULT_SETTINGS);
      expect(draft.technique).toBe("are-you-ok");
      expect(draft.text).toContain("since 17 April 2026");
    });

    it("should use the user's own template when there is one", () => {
      const s = scenario().iSend("c", 30);
      const settings = {
        ...DEFAULT_SETTINGS,
        templates: { nudge: { subject: "Ping", html: "<p>Yo {{firstName}}</p>", text: "Yo {{firstName}}" } },
      };
      expect(composeDraft(s.report("c"), s.mailbox().me, settings)).toMatchObject({
        subject: "Ping",
        text: "Yo Alex",
      });
    });

    it("should escape hostile names and subjects from mail in every technique (property)", () => {
      const hostile = fc.string({
        unit: fc.constantFrom("<", ">", "img", " ", "onerror=", "script", '"', "&"),
      });
      fc.assert(
        fc.property(hostile, hostile, (name, subject) => {
          const s = scenario().iSend("c", 30, [`${name.replace(/[<>]/g, "")} <x@evil.com>`], { subject });
          const report = { ...s.report("c"), prospects: [{ address: "x@evil.com", name, company: name }] };
          for (const technique of TECHNIQUES) {
            const html = composeDraft(report, s.mailbox().me, DEFAULT_SETTINGS, technique).html;
            expect(countLt(html)).toBe(countLt(BUILTIN_TEMPLATES[technique].html));
          }
        }),
        { numRuns: 50 },
      );
    });
  });
});
