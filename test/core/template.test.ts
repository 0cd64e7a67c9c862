import fc from "fast-check";
import { BUILTIN_TEMPLATES } from "../../src/core/builtinTemplates";
import { TECHNIQUES } from "../../src/core/technique";
import {
  compileTemplate,
  PLACEHOLDERS,
  SECTION_HELP,
  TemplateError,
  type TemplateValues,
} from "../../src/core/template";

const countLt = (s: string) => s.split("<").length - 1;

const values = (over: Partial<TemplateValues> = {}): TemplateValues => ({
  firstName: "Alex",
  greetingName: "Alex",
  fullName: "Alex Kim",
  company: "Acme",
  myFirstName: "Sam",
  myName: "Sam Rivera",
  myPhone: "+44 20 7946 0000",
  myCompany: "Northwind",
  subject: "Proposal",
  lastContactDate: "3 March 2026",
  daysSilent: "12",
  attempts: "2",
  calls: "",
  referrerName: "",
  referrerFirstName: "",
  predecessorName: "",
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

    it.each([
      ["a value that is there", "{{#company}}at {{company}}{{/company}}", {}, "at Acme"],
      ["a value that is empty", "{{#company}}at {{company}}{{/company}}", { company: "" }, ""],
      ["a value that is only spaces", "{{#company}}at {{company}}{{/company}}", { company: "  " }, ""],
      ["an inverted section, value there", "{{^calls}}no calls{{/calls}}", { calls: "called you once" }, ""],
      ["an inverted section, value empty", "{{^calls}}no calls{{/calls}}", {}, "no calls"],
      ["both branches", "{{#calls}}{{calls}}{{/calls}}{{^calls}}wrote{{/calls}}", {}, "wrote"],
      [
        "nested sections",
        "{{#company}}at {{company}}{{#myPhone}} ({{myPhone}}){{/myPhone}}{{/company}}",
        { myPhone: "" },
        "at Acme",
      ],
      ["the same name nested", "{{#company}}{{#company}}{{company}}{{/company}}{{/company}}", {}, "Acme"],
      ["spaces inside tags", "{{ # company }}x{{ / company }}", {}, "x"],
      ["text around a section", "a{{#calls}}b{{/calls}}c", {}, "ac"],
    ] as const)("should render a section for %s", (_case, text, over, expected) => {
      const t = compileTemplate({ subject: "S", html: "", text });
      expect(t.render(values(over)).text).toBe(expected);
    });

    it.each([
      ["an unclosed section", "{{#calls}}x", "{{#calls}} in the text of the Nudge template is never closed"],
      ["an unopened close", "x{{/calls}}", "{{/calls}} in the text of the Nudge template closes a section"],
      [
        "crossed sections",
        "{{#calls}}{{#company}}{{/calls}}{{/company}}",
        "{{#company}} in the text of the Nudge template is closed by {{/calls}}",
      ],
      [
        "an inner section left open",
        "{{#calls}}{{^company}}{{/calls}}",
        "{{^company}} in the text of the Nudge template is closed by {{/calls}}",
      ],
      ["an unknown section", "{{#phone}}x{{/phone}}", "Unknown placeholder {{phone}} in {{#phone}}"],
      ["an unknown inverted section", "{{^phone}}x{{/phone}}", "Unknown placeholder {{phone}} in {{^phone}}"],
      ["an empty name", "{{}}", "Unknown placeholder {{}}"],
      ["constructor", "{{constructor}}", "Unknown placeholder {{constructor}}"],
      ["__proto__", "{{__proto__}}", "Unknown placeholder {{__proto__}}"],
      ["toString", "{{toString}}", "Unknown placeholder {{toString}}"],
      ["hasOwnProperty", "{{hasOwnProperty}}", "Unknown placeholder {{hasOwnProperty}}"],
      [
        "a section on constructor",
        "{{#constructor}}x{{/constructor}}",
        "Unknown placeholder {{constructor}}",
      ],
      ["valueOf", "{{valueOf}}", "Unknown placeholder {{valueOf}}"],
    ])("should reject %s, naming it", (_case, text, message) => {
      expect(() => compileTemplate({ subject: "S", html: "", text }, "the Nudge template")).toThrow(message);
    });

    it("should only read the values' own properties", () => {
      const t = compileTemplate({ subject: "S", html: "", text: "[{{company}}]{{#calls}}called{{/calls}}" });
      const inherited = Object.create({ company: "Evil", calls: "yes" }) as TemplateValues;
      expect(t.render(inherited).text).toBe("[]");
    });

    it("should escape values inside sections of the html body", () => {
      const t = compileTemplate({
        subject: "{{#company}}{{company}}{{/company}}",
        html: "<p>{{#company}}at <b>{{company}}</b>{{/company}}{{^referrerName}} & {{fullName}}{{/referrerName}}</p>",
        text: "{{#company}}{{company}}{{/company}}",
      });
      const out = t.render(values({ company: `<img src=x onerror="a()">`, fullName: "<script>" }));
      expect(out.html).toBe("<p>at <b>&lt;img src=x onerror=&quot;a()&quot;&gt;</b> & &lt;script&gt;</p>");
      expect(out.text).toBe(`<img src=x onerror="a()">`);
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

    it("should explain sections with examples that compile", () => {
      const examples = SECTION_HELP.match(/\{\{[#^]name\}\}…\{\{\/name\}\}/g) ?? [];
      expect(examples).toHaveLength(2);
      for (const example of examples) {
        const text = example.replace(/name/g, "company").replace("…", "x");
        expect(compileTemplate({ subject: "S", html: "", text }).render(values()).text).toBe(
          example.startsWith("{{#") ? "x" : "",
        );
      }
    });
  });
});
