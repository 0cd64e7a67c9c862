import { DEFAULT_SETTINGS } from "../../src/core/settings";
import {
  formValuesOf,
  mergeFormValues,
  parseSettings,
  SettingsError,
  settingsFromForm,
} from "../../src/core/settingsValidation";

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

    // One row per field lives in settingsSchema.test.ts; these are the cases that are not about one field.
    it.each([
      [[], "expected a JSON object of settings"],
      [null, "expected a JSON object of settings"],
      [{ followUpDays: 3 }, 'unknown setting "followUpDays"'],
      [JSON.parse('{"__proto__": {"windowDays": 1}}'), 'unknown setting "__proto__"'],
      [{ "evil\nkey\u202e": 1 }, 'unknown setting "evil\\nkey "'],
      [{ maxRecipients: 10n }, "Mass mail above (recipients) must be a whole number from 1 to 3650 (got 10)"],
      [{ myPhone: "x".repeat(200) }, "My phone number must be at most 100 characters (got 200)"],
      [{ myCompany: ["x".repeat(200)] }, `My company name must be text (got ["${"x".repeat(57)}…)`],
    ])("should reject %j, saying %s", (raw, problem) => {
      expect(problemsOf(raw).join("\n")).toContain(problem);
    });

    it("should read only the object's own keys", () => {
      expect(parseSettings(Object.create({ windowDays: 0 }))).toEqual(DEFAULT_SETTINGS);
    });

    it("should report every problem at once and name the source", () => {
      expect(() => parseSettings({ windowDays: -1, maxRecipients: "x" }, "my-settings.json")).toThrow(
        /^my-settings\.json: Look back \(days\) must be at least 1; Mass mail above \(recipients\) must be a whole number/,
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

    it("should list the problems per setting as well as all together", () => {
      try {
        parseSettings({ windowDays: 0, excludedDomains: ["x", "y"], colour: "blue" });
        throw new Error("expected a SettingsError");
      } catch (e) {
        if (!(e instanceof SettingsError)) throw e;
        expect(e.problems).toHaveLength(4);
        expect(e.fieldProblems).toEqual({
          windowDays: ["Look back (days) must be at least 1"],
          excludedDomains: [
            'Excluded domains (not prospects) has "x", which is not a domain',
            'Excluded domains (not prospects) has "y", which is not a domain',
          ],
        });
      }
    });
  });

  describe("mergeFormValues", () => {
    const saved = parseSettings({
      myPhone: "+44 7700 900123",
      pendingFileDays: 60,
      excludedDomains: ["a.com"],
    });

    it("should keep every setting the form did not show", () => {
      const merged = mergeFormValues(saved, { followUpAfterDays: 7 });
      expect(merged).toEqual({ ...saved, followUpAfterDays: 7 });
    });

    it("should treat a field left undefined as not shown", () => {
      expect(mergeFormValues(saved, { myPhone: undefined })).toEqual(saved);
    });

    it("should refuse a bad value by its label and change nothing", () => {
      expect(() => mergeFormValues(saved, { followUpAfterDays: 0 })).toThrow(
        "settings: Follow up after (days) must be at least 1",
      );
    });
  });

  describe("settingsFromForm", () => {
    const saved = parseSettings({ myPhone: "+44 7700 900123", companyDomains: [["acme.com", "acme.co.uk"]] });

    it("should read the form's text: numbers, one entry per line, companies as comma-separated lines", () => {
      const s = settingsFromForm(saved, {
        followUpAfterDays: " 5 ",
        internalDomains: "Northwind.com\n\npartner.io, other.io",
        companyDomains: "globex.com, globex.de\ninitech.com initech.co.uk",
        weekendDays: [5, 6],
        countBusinessDays: true,
      });
      expect(s).toMatchObject({
        followUpAfterDays: 5,
        internalDomains: ["northwind.com", "partner.io", "other.io"],
        companyDomains: [
          ["globex.com", "globex.de"],
          ["initech.com", "initech.co.uk"],
        ],
        weekendDays: [5, 6],
        countBusinessDays: true,
        myPhone: "+44 7700 900123",
      });
    });

    it("should give the form its starting text from the settings", () => {
      expect(formValuesOf(saved)).toMatchObject({
        followUpAfterDays: "3",
        companyDomains: "acme.com, acme.co.uk",
        myPhone: "+44 7700 900123",
        weekendDays: [0, 6],
        countBusinessDays: false,
      });
    });

    it.each([
      ["x", 'Follow up after (days) must be a whole number from 1 to 3650 (got "x")'],
      ["", "Follow up after (days) is empty: enter a whole number from 1 to 3650"],
      ["2.5", "Follow up after (days) must be a whole number from 1 to 3650 (got 2.5)"],
      ["0", "Follow up after (days) must be at least 1"],
    ])("should refuse %j typed as the follow-up, at that field, by its label", (typed, message) => {
      try {
        settingsFromForm(saved, { followUpAfterDays: typed });
        throw new Error("expected a SettingsError");
      } catch (e) {
        if (!(e instanceof SettingsError)) throw e;
        expect(e.fieldProblems).toEqual({ followUpAfterDays: [message] });
        expect(e.message).toBe(`settings: ${message}`);
      }
    });
  });
});
