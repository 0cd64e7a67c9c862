import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { parseSettings, SettingsError } from "../../src/core/settingsValidation";

const problemsOf = (raw: unknown): readonly string[] => {
  try {
    parseSettings(raw, "my-settings.json");
  } catch (e) {
    if (e instanceof SettingsError) return e.problems;
    throw e;
  }
  return [];
};

describe("settingsValidation.ts", () => {
  describe("parseSettings", () => {
    it("should give the defaults for an empty object", () => {
      expect(parseSettings({})).toEqual(DEFAULT_SETTINGS);
    });

    it("should take valid values and tidy lists", () => {
      const s = parseSettings({
        followUpAfterDays: 5,
        internalDomains: ["@Northwind.com", "northwind.com", " partner.io "],
        excludedAddresses: ["Bot@Vendor.com"],
      });
      expect(s.followUpAfterDays).toBe(5);
      expect(s.internalDomains).toEqual(["northwind.com", "partner.io"]);
      expect(s.excludedAddresses).toEqual(["bot@vendor.com"]);
    });

    it.each([
      [[], "expected a JSON object of settings"],
      [{ followUpDays: 3 }, 'unknown setting "followUpDays"'],
      [{ windowDays: 0 }, '"windowDays" must be a whole number from 1 to 3650 (got 0)'],
      [{ maxRecipients: 2.5 }, '"maxRecipients" must be a whole number'],
      [{ followUpAfterDays: "3" }, '"followUpAfterDays" must be a whole number'],
      [{ internalDomains: "acme.com" }, '"internalDomains" must be a list of text values'],
      [
        { excludedAddresses: ["not-an-address"] },
        '"excludedAddresses" has "not-an-address", which is not an e-mail address',
      ],
      [{ myPhone: 447700900123 }, '"myPhone" must be text (got 447700900123)'],
      [{ myCompany: "Northwind\nBcc: x@evil.com" }, '"myCompany" must be a single line of plain text'],
      [{ myPhone: "+44 7700 900123\u202e" }, '"myPhone" must be a single line of plain text'],
      [{ myCompany: "N".repeat(101) }, '"myCompany" must be at most 100 characters (got 101)'],
      [{ templates: { wave: {} } }, '"templates" has "wave", which is not a technique'],
      [
        { templates: { nudge: { subject: "Hi {{nmae}}", html: "", text: "" } } },
        "Unknown placeholder {{nmae}}",
      ],
    ])("should reject %j, saying %s", (raw, problem) => {
      expect(problemsOf(raw).join("\n")).toContain(problem);
    });

    it("should report every problem at once and name the source", () => {
      expect(() => parseSettings({ windowDays: -1, maxRecipients: "x" }, "my-settings.json")).toThrow(
        /^my-settings\.json: .*windowDays.*; .*maxRecipients/,
      );
    });

    it("should default my phone and company to empty and keep them trimmed", () => {
      expect(parseSettings({})).toMatchObject({ myPhone: "", myCompany: "" });
      expect(parseSettings({ myPhone: " +44 7700 900123 ", myCompany: "Northwind Traders" })).toMatchObject({
        myPhone: "+44 7700 900123",
        myCompany: "Northwind Traders",
      });
    });

    it("should keep a valid custom template", () => {
      const nudge = {
        subject: "Ping {{subject}}",
        html: "<p>Hi {{firstName}}</p>",
        text: "Hi {{firstName}}",
      };
      expect(parseSettings({ templates: { nudge } }).templates.nudge).toEqual(nudge);
    });
  });
});
