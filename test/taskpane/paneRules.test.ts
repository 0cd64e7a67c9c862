/** @jest-environment jsdom */
// The pane's small rules: urgency bands, state labels, settings messages and diffs,
// and the template HTML sanitiser.
import fc from "fast-check";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { isPlainTemplate } from "../../src/taskpane/components/TemplateEditor";
import { DEFAULT_QUERY, queryConversations, stateLabel } from "../../src/taskpane/state/conversationQuery";
import { sanitizeTemplateHtml, templateHtmlToText, textToHtml } from "../../src/taskpane/state/draftBody";
import { SETTING_FIELDS, SETTING_KEYS, type SettingField } from "../../src/core/settingsSchema";
import { checkForm, describeChanges, humaniseSettingsProblem } from "../../src/taskpane/state/settingsForm";
import { urgencyOf } from "../../src/taskpane/state/urgency";
import { prospectLabel, rowFacts } from "../../src/taskpane/components/ConversationList";
import { scenario } from "../fixtures/scenario";

describe("pane rules", () => {
  describe("a row's prospect and facts", () => {
    const where = { locale: "en-GB", timeZone: "Europe/London" };
    const KIM = "Kim, Amara <amara.kim@acme.com>";

    it("should show a directory name (Last, First) as the person says it", () => {
      const report = scenario().iSend("c", 10, [KIM]).report("c");
      expect(prospectLabel(report)).toMatch(/^Amara Kim( · |$)/);
      expect(rowFacts(report, where)).toBe("10 days silent · 1 attempt");
    });

    it("should say 1 day, not 1 days", () => {
      const report = scenario().iSend("c", 1, [KIM]).report("c");
      expect(rowFacts(report, where)).toMatch(/^1 day silent · /);
    });

    it("should leave out zero attempts where they answered my last message", () => {
      const report = scenario()
        .iSend("c", 20, [KIM])
        .iReceive("c", 15, KIM, { preview: "Thanks, but we're not interested at this time." })
        .report("c");
      expect(report.state).toBe("declined");
      expect(rowFacts(report, where)).toMatch(/^15 days silent · Amara declined on /);
    });
  });

  describe("searching the list", () => {
    const reports = scenario()
      .iSend("kim", 10, ["Kim, Amara <amara.kim@acme.com>"])
      .iSend("jose", 10, ["José Müller <jm@initech.de>"], { subject: "Angebot für Q3" })
      .iSend("obrien", 10, ["Siobhán O'Brien <sob@globex.ie>"])
      .iSend("oneil", 10, ["Dara O’Neil <dara@oneil.ie>"])
      .classify();
    const found = (search: string) =>
      queryConversations(reports, { ...DEFAULT_QUERY, search })
        .map((r) => r.conversationId)
        .sort();

    it.each([
      ["", ["jose", "kim", "obrien", "oneil"]],
      ["amara kim", ["kim"]],
      ["Kim, Amara", ["kim"]],
      ['"kim"', ["kim"]],
      ["AMARA", ["kim"]],
      ["jose", ["jose"]],
      ["muller", ["jose"]],
      ["Müller", ["jose"]],
      ["angebot fur", ["jose"]],
      ["siobhan", ["obrien"]],
      ["o'brien", ["obrien"]],
      ["O’Brien", ["obrien"]],
      ["o'neil", ["oneil"]],
      ["initech.de", ["jose"]],
      ["acme globex", []],
      ["kimberly", []],
    ])("searching %j should list %j", (search, expected) => {
      expect(found(search)).toEqual(expected);
    });
  });

  describe("urgencyOf", () => {
    it.each([
      [100, "high"],
      [70, "high"],
      [69, "medium"],
      [40, "medium"],
      [39, "low"],
      [0, "low"],
    ] as const)("should put score %d in the %s band", (score, band) => {
      expect(urgencyOf(score)).toBe(band);
    });

    it("should never rank a higher score in a lower band", () => {
      const rank = { low: 0, medium: 1, high: 2 };
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(rank[urgencyOf(lo)]).toBeLessThanOrEqual(rank[urgencyOf(hi)]);
        }),
      );
    });
  });

  describe("stateLabel", () => {
    it.each([
      ["stale", "Stale"],
      ["excluded", "Not a prospect"],
      // The same word as the list's filter and the timeline's mark.
      ["deferred", "Later"],
      ["left", "Left the company"],
      ["on-hold", "On hold"],
      ["", "Unknown"],
    ])("should label %j as %j", (state, label) => {
      expect(stateLabel(state)).toBe(label);
    });
  });

  describe("settings messages", () => {
    it("should accept exactly the whole numbers in a number field's range, and name only that field", () => {
      for (const key of SETTING_KEYS) {
        const field: SettingField = SETTING_FIELDS[key];
        if (field.kind !== "wholeNumber") continue;
        fc.assert(
          fc.property(fc.integer({ min: -10, max: 5000 }), (n) => {
            const check = checkForm({ [key]: String(n) }, DEFAULT_SETTINGS);
            expect(check.ok).toBe(n >= field.min && n <= field.max);
            if (check.ok) expect(check.settings[key]).toBe(n);
            else {
              expect(Object.keys(check.fieldProblems)).toEqual([key]);
              expect(check.fieldProblems[key]!.startsWith(field.label)).toBe(true);
              expect(check.otherProblems).toEqual([]);
            }
          }),
          { numRuns: 50 },
        );
      }
    });

    it.each([
      ['unknown setting "colour"', 'Unknown setting "colour"'],
      [
        'the Nudge template has an unknown placeholder "{{x}}"',
        'The Nudge template has an unknown placeholder "{{x}}"',
      ],
    ])("should show a parser problem as a sentence: %j", (problem, shown) => {
      expect(humaniseSettingsProblem(problem)).toBe(shown);
    });

    it("should describe what an import changes", () => {
      const next = {
        ...DEFAULT_SETTINGS,
        followUpAfterDays: 7,
        excludedDomains: ["a.example"],
        templates: { nudge: { subject: "s", html: "<p>x</p>", text: "x" } },
      };
      expect(describeChanges(DEFAULT_SETTINGS, next)).toEqual([
        "Follow up after (days): 3 → 7",
        "Excluded domains (not prospects): adds a.example",
        "Nudge template: replaces the built-in wording",
      ]);
      expect(describeChanges(next, DEFAULT_SETTINGS)).toContain(
        "Nudge template: back to the built-in wording (yours is removed)",
      );
      expect(describeChanges(DEFAULT_SETTINGS, DEFAULT_SETTINGS)).toEqual([]);
      expect(
        describeChanges(DEFAULT_SETTINGS, {
          ...DEFAULT_SETTINGS,
          countBusinessDays: true,
          weekendDays: [5, 6],
          myPhone: "+44 1",
          companyDomains: [["acme.com", "acme.co.uk"]],
        }),
      ).toEqual([
        "Count working days only: off → on",
        "Weekend days: Sunday, Saturday → Friday, Saturday",
        "Companies with several domains: adds acme.com, acme.co.uk",
        "My phone number: none → +44 1",
      ]);
    });
  });

  describe("template HTML", () => {
    it.each([
      ['<p onclick="x()">Hi</p>', "<p>Hi</p>"],
      ['<img src="https://t.example/p.gif">', ""],
      ["<script>alert(1)</script><p>ok</p>", "<p>ok</p>"],
      ["<style>p{color:red}</style><p style='color:red'>ok</p>", "<p>ok</p>"],
      ['<a href="javascript:alert(1)">x</a>', "<a>x</a>"],
      ['<a href="mailto:a@b.example">m</a>', '<a href="mailto:a@b.example">m</a>'],
      ['<a href="https://x.example" target="_blank">l</a>', '<a href="https://x.example">l</a>'],
      [
        "<ul><li><strong>a</strong></li></ul><blockquote><em>q</em></blockquote>",
        "<ul><li><strong>a</strong></li></ul><blockquote><em>q</em></blockquote>",
      ],
      ["<div><span>kept text</span></div>", "kept text"],
    ])("should sanitise %j to %j", (html, clean) => {
      expect(sanitizeTemplateHtml(html)).toBe(clean);
    });

    it("should keep no event attribute, script or image whatever the input", () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.constantFrom(
              "<p>",
              "</p>",
              "<img src=x onerror=alert(1)>",
              "<script>",
              "x",
              '" onload="',
              "<a href='javascript:1'>",
              "<svg onload=1>",
            ),
            { maxLength: 12 },
          ),
          (parts) => {
            const doc = new DOMParser().parseFromString(sanitizeTemplateHtml(parts.join("")), "text/html");
            for (const el of Array.from(doc.body.querySelectorAll("*"))) {
              expect([
                "P",
                "BR",
                "B",
                "STRONG",
                "I",
                "EM",
                "U",
                "UL",
                "OL",
                "LI",
                "A",
                "BLOCKQUOTE",
              ]).toContain(el.tagName);
              for (const attr of Array.from(el.attributes)) {
                expect(attr.name).toBe("href");
                expect(attr.value).toMatch(/^(https?|mailto):/i);
              }
            }
          },
        ),
      );
    });

    it("should read the text of template HTML, and know when it is plain text", () => {
      expect(templateHtmlToText("<p>Hi {{firstName}},</p>\n<p>One<br>Two</p><ul><li>a</li></ul>")).toBe(
        "Hi {{firstName}},\n\nOne\nTwo\n\n- a",
      );
      const text = "Hi {{firstName}},\n\nIt's me & you.\nSam";
      expect(isPlainTemplate({ subject: "s", text, html: textToHtml(text) })).toBe(true);
      expect(isPlainTemplate({ subject: "s", text, html: "<p><b>Hi</b></p>" })).toBe(false);
      expect(isPlainTemplate({ subject: "s", text: "other words", html: "<p>Hi</p>" })).toBe(false);
    });
  });
});
