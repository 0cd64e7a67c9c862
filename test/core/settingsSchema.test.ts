import fc from "fast-check";
import { singleLine } from "../../src/core/plainText";
import { DEFAULT_SETTINGS, type Settings } from "../../src/core/settings";
import {
  PLAYBOOK_THRESHOLD_KEYS,
  SETTING_FIELDS,
  SETTING_GROUPS,
  SETTING_KEYS,
  SETTINGS_FORM,
  weekdayOptions,
  type SettingField,
  type SettingKey,
} from "../../src/core/settingsSchema";
import {
  formValuesOf,
  mergeFormValues,
  parseSettings,
  serialiseSettings,
  SettingsError,
  settingsFromForm,
} from "../../src/core/settingsValidation";
import { TECHNIQUES } from "../../src/core/technique";

// Listed by hand so the compiler fails here when Settings gains a key, and the runtime check below fails
// when the schema does not describe it.
const EVERY_SETTINGS_KEY = {
  myAddresses: true,
  internalDomains: true,
  excludedAddresses: true,
  excludedDomains: true,
  companyDomains: true,
  countBusinessDays: true,
  weekendDays: true,
  windowDays: true,
  followUpAfterDays: true,
  maxRecipients: true,
  pendingFileDays: true,
  areYouOkAttempts: true,
  areYouOkDays: true,
  shouldICloseAttempts: true,
  closeFileAttempts: true,
  noPressureAttempts: true,
  extraFolders: true,
  myPhone: true,
  myCompany: true,
  templates: true,
  roamDecisions: true,
} satisfies Record<keyof Settings, true>;

const problemsOf = (raw: unknown): { all: readonly string[]; byField: SettingsError["fieldProblems"] } => {
  try {
    parseSettings(raw, "my-settings.json");
  } catch (e) {
    if (e instanceof SettingsError) return { all: e.problems, byField: e.fieldProblems };
    throw e;
  }
  return { all: [], byField: {} };
};

const NUDGE = { subject: "Ping {{subject}}", html: "<p>Hi {{firstName}}</p>", text: "Hi {{firstName}}" };
const atLeastOne = (label: string) => [0, `${label} must be at least 1`] as const;
const wholeNumber = (label: string, got: unknown) =>
  [got, `${label} must be a whole number from 1 to 3650 (got ${JSON.stringify(got)})`] as const;
const WEEKDAYS_MESSAGE =
  "Weekend days must be a list of days from 0 (Sunday) to 6 (Saturday), leaving a working day";

/** One row per setting: its default, a good value as typed and as read, and each bad value with its message. */
const ROWS: {
  readonly [K in keyof Settings]: {
    readonly default: Settings[K];
    readonly good: readonly [unknown, Settings[K]];
    readonly bad: readonly (readonly [unknown, string])[];
  };
} = {
  followUpAfterDays: {
    default: 3,
    good: [5, 5],
    bad: [
      atLeastOne("Follow up after (days)"),
      wholeNumber("Follow up after (days)", "x"),
      wholeNumber("Follow up after (days)", "3"),
      wholeNumber("Follow up after (days)", 2.5),
      wholeNumber("Follow up after (days)", null),
      [3651, "Follow up after (days) must be at most 3650"],
    ],
  },
  windowDays: {
    default: 365,
    good: [30, 30],
    bad: [atLeastOne("Look back (days)"), [-1, "Look back (days) must be at least 1"]],
  },
  countBusinessDays: {
    default: false,
    good: [true, true],
    bad: [
      ["yes", "Count working days only must be true or false"],
      [1, "Count working days only must be true or false"],
    ],
  },
  roamDecisions: {
    default: true,
    good: [false, false],
    bad: [["no", "Keep decisions in my mailbox must be true or false"]],
  },
  weekendDays: {
    default: [0, 6],
    good: [
      [6, 5, 5],
      [5, 6],
    ],
    bad: [
      [[0, 1, 2, 3, 4, 5, 6], WEEKDAYS_MESSAGE],
      [[7], WEEKDAYS_MESSAGE],
      [[1.5], WEEKDAYS_MESSAGE],
      ["saturday", WEEKDAYS_MESSAGE],
    ],
  },
  maxRecipients: {
    default: 10,
    good: [25, 25],
    bad: [atLeastOne("Mass mail above (recipients)"), wholeNumber("Mass mail above (recipients)", 2.5)],
  },
  pendingFileDays: { default: 90, good: [60, 60], bad: [atLeastOne("Pending file after (days)")] },
  areYouOkAttempts: { default: 3, good: [4, 4], bad: [atLeastOne("Are you OK? after (attempts)")] },
  areYouOkDays: { default: 21, good: [14, 14], bad: [atLeastOne("Are you OK? after (days)")] },
  shouldICloseAttempts: { default: 2, good: [3, 3], bad: [atLeastOne("Should I close? after (attempts)")] },
  closeFileAttempts: { default: 2, good: [1, 1], bad: [atLeastOne("Close the file after (attempts)")] },
  noPressureAttempts: { default: 2, good: [4, 4], bad: [atLeastOne("No pressure after (attempts)")] },
  myAddresses: {
    default: [],
    good: [[" Me@Alias.com ", "me@alias.com", ""], ["me@alias.com"]],
    bad: [
      ["me@alias.com", "My other addresses must be a list of text values"],
      [[42], "My other addresses must be a list of text values"],
      [["nope"], 'My other addresses has "nope", which is not an e-mail address'],
    ],
  },
  internalDomains: {
    default: [],
    good: [
      ["@Northwind.com", "northwind.com", " partner.io "],
      ["northwind.com", "partner.io"],
    ],
    bad: [
      ["acme.com", "Internal domains must be a list of text values"],
      [["not a domain"], 'Internal domains has "not a domain", which is not a domain'],
    ],
  },
  excludedAddresses: {
    default: [],
    good: [["Bot@Vendor.com"], ["bot@vendor.com"]],
    bad: [
      [
        ["not-an-address"],
        'Excluded addresses (not prospects) has "not-an-address", which is not an e-mail address',
      ],
    ],
  },
  excludedDomains: {
    default: [],
    good: [["Vendor.COM"], ["vendor.com"]],
    bad: [[["vendor"], 'Excluded domains (not prospects) has "vendor", which is not a domain']],
  },
  companyDomains: {
    default: [],
    good: [[["Acme.com", "acme-corp.co.uk"], ["solo.com"]], [["acme.com", "acme-corp.co.uk"]]],
    bad: [
      [
        ["acme.com"],
        'Companies with several domains must be a list of groups of domains, e.g. [["acme.com", "acme-corp.co.uk"]]',
      ],
      [[["acme", "acme.com"]], 'Companies with several domains has "acme", which is not a domain'],
    ],
  },
  extraFolders: {
    default: [],
    good: [
      [" AAMkAGProjects= ", "AAMkAGProjects=", "AQMk-x_y"],
      ["AAMkAGProjects=", "AQMk-x_y"],
    ],
    bad: [
      ["AAMk", "Also look in these folders must be a list of folder ids"],
      [["../inbox"], 'Also look in these folders has "../inbox", which is not a folder id'],
      [
        ["DeletedItems"],
        'Also look in these folders has "DeletedItems": Inbox, Sent Items and Archive always count, the others never',
      ],
    ],
  },
  myPhone: {
    default: "",
    good: [" +44 7700 900123 ", "+44 7700 900123"],
    bad: [
      [447700900123, "My phone number must be text (got 447700900123)"],
      [
        "+44 7700 900123\u202e",
        "My phone number must be a single line of plain text, without line breaks or control characters",
      ],
      ["1".repeat(101), "My phone number must be at most 100 characters (got 101)"],
    ],
  },
  myCompany: {
    default: "",
    good: ["Northwind Traders", "Northwind Traders"],
    bad: [
      ["Northwind\nBcc: x@evil.com", "My company name must be a single line of plain text"],
      ["Northwind\u2028Traders", "My company name must be a single line of plain text"],
      ["N".repeat(101), "My company name must be at most 100 characters (got 101)"],
    ],
  },
  templates: {
    default: {},
    good: [{ nudge: NUDGE }, { nudge: NUDGE }],
    bad: [
      [[], "Templates must be an object keyed by technique"],
      [{ wave: {} }, 'Templates has "wave", which is not a technique'],
      [{ nudge: "hi" }, "the Nudge template must be an object with subject, html and text"],
      [{ nudge: { subject: "Hi {{nmae}}", html: "", text: "" } }, "Unknown placeholder {{nmae}}"],
    ],
  },
};

const ROW_LIST = Object.entries(ROWS) as [SettingKey, (typeof ROWS)[SettingKey]][];

describe("settingsSchema.ts", () => {
  describe("SETTING_FIELDS", () => {
    it("should describe every key of Settings and nothing else", () => {
      expect([...SETTING_KEYS].sort()).toEqual(Object.keys(EVERY_SETTINGS_KEY).sort());
      expect(Object.keys(DEFAULT_SETTINGS).sort()).toEqual([...SETTING_KEYS].sort());
    });

    it("should give every setting a distinct label, some help and a known group", () => {
      const fields: SettingField[] = Object.values(SETTING_FIELDS);
      expect(new Set(fields.map((f) => f.label)).size).toBe(fields.length);
      for (const f of fields) {
        expect(f.help.length).toBeGreaterThan(10);
        expect(SETTING_GROUPS.map((g) => g.id)).toContain(f.group);
      }
    });

    it("should keep every number's default within its own range, with a minimum of at least 1", () => {
      for (const f of Object.values(SETTING_FIELDS) as SettingField[]) {
        if (f.kind !== "wholeNumber") continue;
        expect(f.min).toBeGreaterThanOrEqual(1);
        expect(f.default).toBeGreaterThanOrEqual(f.min);
        expect(f.default).toBeLessThanOrEqual(f.max);
      }
    });
  });

  describe("SETTINGS_FORM", () => {
    it("should list the groups in panel order", () => {
      expect(SETTINGS_FORM.map((g) => g.title)).toEqual(["Rules", "Who counts", "Templates", "Your data"]);
    });

    it("should show every setting exactly once, in table order, so a new one appears by itself", () => {
      const shown = SETTINGS_FORM.flatMap((g) => g.fields.map((f) => f.key));
      expect(shown.slice().sort()).toEqual([...SETTING_KEYS].sort());
      for (const group of SETTINGS_FORM) {
        const keys = group.fields.map((f) => f.key);
        expect(keys).toEqual(SETTING_KEYS.filter((k) => SETTING_FIELDS[k].group === group.id));
        for (const f of group.fields) expect(f.label).toBe(SETTING_FIELDS[f.key].label);
      }
    });

    it("should start the rules with the follow-up threshold, labelled as the user sees it", () => {
      expect(SETTINGS_FORM[0]!.fields[0]).toMatchObject({
        key: "followUpAfterDays",
        label: "Follow up after (days)",
        kind: "wholeNumber",
        min: 1,
        max: 3650,
      });
    });
  });

  describe("PLAYBOOK_THRESHOLD_KEYS", () => {
    it("should be the rules marked for the playbook", () => {
      expect(PLAYBOOK_THRESHOLD_KEYS).toEqual([
        "pendingFileDays",
        "areYouOkAttempts",
        "areYouOkDays",
        "shouldICloseAttempts",
        "closeFileAttempts",
        "noPressureAttempts",
      ]);
      for (const key of PLAYBOOK_THRESHOLD_KEYS) expect(SETTING_FIELDS[key].group).toBe("rules");
    });
  });

  describe("weekdayOptions", () => {
    it.each([
      ["en-GB", ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]],
      ["de-DE", ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"]],
    ])("should name the days 0 to 6 in %s", (locale, names) => {
      expect(weekdayOptions(locale)).toEqual(names.map((label, value) => ({ value, label })));
    });
  });

  describe("each setting (one row per field)", () => {
    it("should have a row for every setting", () => {
      expect(ROW_LIST.map(([key]) => key).sort()).toEqual([...SETTING_KEYS].sort());
    });

    it.each(ROW_LIST)("%s: should default as described", (key, row) => {
      expect(DEFAULT_SETTINGS[key]).toEqual(row.default);
      expect(SETTING_FIELDS[key].default).toEqual(row.default);
      expect(parseSettings({})[key]).toEqual(row.default);
    });

    it.each(ROW_LIST)("%s: should take a good value, tidied", (key, row) => {
      const parsed = parseSettings({ [key]: row.good[0] });
      expect(parsed[key]).toEqual(row.good[1]);
      const { [key]: _changed, ...rest } = parsed;
      const { [key]: _default, ...defaults } = DEFAULT_SETTINGS;
      expect(rest).toEqual(defaults);
    });

    const badRows = ROW_LIST.flatMap(([key, row]) =>
      row.bad.map(([value, message]) => [key, value, message]),
    );
    it.each(badRows)("%s: should refuse %j, saying %s", (key, value, message) => {
      const { all, byField } = problemsOf({ [key as SettingKey]: value });
      expect(all).toHaveLength(1);
      expect(all[0]).toContain(message);
      expect(byField[key as SettingKey]).toEqual(all);
      expect(all[0]).not.toContain(`"${key}"`);
    });
  });

  describe("properties", () => {
    const safeText = fc
      .string({ unit: "grapheme", maxLength: 40 })
      .filter((s) => singleLine(s) === s && !/[\u2028\u2029{}]/.test(s) && s.trim().length <= 100);
    const messy = (value: fc.Arbitrary<string>) =>
      fc
        .tuple(value, fc.boolean(), fc.boolean())
        .map(
          ([v, upper, padded]) => `${padded ? " " : ""}${upper ? v.toUpperCase() : v}${padded ? " " : ""}`,
        );
    const template = fc.record({
      subject: safeText.map((s) => `Hi {{firstName}} ${s}`),
      html: safeText.map((s) => `<p>${s}</p>`),
      text: safeText,
    });
    const arbitraryOf = (field: SettingField): fc.Arbitrary<unknown> => {
      switch (field.kind) {
        case "wholeNumber":
          return fc.integer({ min: field.min, max: field.max });
        case "boolean":
          return fc.boolean();
        case "addresses":
          return fc.array(messy(fc.emailAddress()), { maxLength: 4 });
        case "domains":
          return fc.array(messy(fc.domain()), { maxLength: 4 });
        case "domainGroups":
          return fc.array(fc.array(messy(fc.domain()), { maxLength: 3 }), { maxLength: 3 });
        case "weekdays":
          return fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { maxLength: 6 });
        case "folders":
          return fc.array(fc.stringMatching(/^AAMk[A-Za-z0-9_-]{1,20}=?$/), { maxLength: 3 });
        case "text":
          return messy(safeText);
        case "templates":
          return fc.dictionary(fc.constantFrom(...TECHNIQUES), template, { maxKeys: 3 });
      }
    };
    const model = Object.fromEntries(SETTING_KEYS.map((k) => [k, arbitraryOf(SETTING_FIELDS[k])]));
    // Any subset of the settings, as a user might write them.
    const rawSettings = fc.record(model, { requiredKeys: [] });
    const validSettings = rawSettings.map((raw) => parseSettings(raw));

    it("should read back serialised settings exactly (parseSettings ∘ serialise is the identity)", () => {
      fc.assert(
        fc.property(validSettings, (settings) => {
          expect(parseSettings(JSON.parse(serialiseSettings(settings)))).toEqual(settings);
        }),
      );
    });

    it("should never drop or change a key the form did not include when merging", () => {
      fc.assert(
        fc.property(validSettings, rawSettings, (saved, formRaw) => {
          const parsedForm = parseSettings(formRaw);
          const form: Partial<Settings> = Object.fromEntries(
            Object.keys(formRaw).map((k) => [k, parsedForm[k as SettingKey]]),
          );
          const merged = mergeFormValues(saved, form);
          for (const key of SETTING_KEYS) {
            expect(merged[key]).toEqual(key in form ? form[key] : saved[key]);
          }
        }),
      );
    });

    it("should read the form's own text back to the same settings, keeping every field it did not show", () => {
      fc.assert(
        fc.property(validSettings, validSettings, fc.subarray([...SETTING_KEYS]), (saved, typed, shown) => {
          const all = formValuesOf(typed);
          const form = Object.fromEntries(shown.map((k) => [k, all[k]]));
          const result = settingsFromForm(saved, form);
          for (const key of SETTING_KEYS) {
            expect(result[key]).toEqual(shown.includes(key) ? typed[key] : saved[key]);
          }
        }),
      );
    });
  });
});
