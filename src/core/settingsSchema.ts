// The one description of every setting: its kind, default, range, label, help and panel group. Defaults,
// validation, the settings panel and the playbook's thresholds all read from this table.
import type { Settings } from "./settings";
import type { Technique } from "./technique";
import type { TemplateSource } from "./template";

/** The panel's groups, in the order they appear. */
export const SETTING_GROUPS = [
  { id: "rules", title: "Rules" },
  { id: "who-counts", title: "Who counts" },
  { id: "templates", title: "Templates" },
  { id: "your-data", title: "Your data" },
] as const;

export type SettingGroup = (typeof SETTING_GROUPS)[number]["id"];

interface FieldBase<Kind extends string, Value> {
  readonly kind: Kind;
  /** Shown in the panel and in every error message about this setting. */
  readonly label: string;
  readonly help: string;
  readonly group: SettingGroup;
  readonly default: Value;
}

export interface WholeNumberField extends FieldBase<"wholeNumber", number> {
  readonly min: number;
  readonly max: number;
  /** True for the thresholds the playbook uses to choose a technique. */
  readonly playbook?: boolean;
}
export type BooleanField = FieldBase<"boolean", boolean>;
export type AddressListField = FieldBase<"addresses", readonly string[]>;
export type DomainListField = FieldBase<"domains", readonly string[]>;
export type DomainGroupsField = FieldBase<"domainGroups", readonly (readonly string[])[]>;
export type WeekdaysField = FieldBase<"weekdays", readonly number[]>;
/** Graph ids of mail folders, picked from a list of the user's folders. */
export type FoldersField = FieldBase<"folders", readonly string[]>;
export interface TextField extends FieldBase<"text", string> {
  readonly maxLength: number;
}
export type TemplatesField = FieldBase<"templates", Partial<Record<Technique, TemplateSource>>>;

/** What one setting is, whatever its kind. */
export type SettingField =
  | WholeNumberField
  | BooleanField
  | AddressListField
  | DomainListField
  | DomainGroupsField
  | WeekdaysField
  | FoldersField
  | TextField
  | TemplatesField;

/** The descriptor kinds that can describe a value of type T (so a field's kind always matches Settings). */
type FieldFor<T> = T extends number
  ? WholeNumberField
  : T extends boolean
    ? BooleanField
    : T extends string
      ? TextField
      : T extends readonly (readonly string[])[]
        ? DomainGroupsField
        : T extends readonly string[]
          ? AddressListField | DomainListField | FoldersField
          : T extends readonly number[]
            ? WeekdaysField
            : TemplatesField;

// Ten years of days; counts share the bound so settings saved under the old rules stay valid.
const MAX_WHOLE_NUMBER = 3650;
const MAX_TEXT = 100;

/** Every setting, in panel order within its group. */
export const SETTING_FIELDS = {
  followUpAfterDays: {
    kind: "wholeNumber",
    label: "Follow up after (days)",
    help: "Wait this long after your last attempt before a conversation counts as stale.",
    group: "rules",
    default: 3,
    min: 1,
    max: MAX_WHOLE_NUMBER,
  },
  windowDays: {
    kind: "wholeNumber",
    label: "Look back (days)",
    help: "Only mail from this many days counts.",
    group: "rules",
    default: 365,
    min: 1,
    max: MAX_WHOLE_NUMBER,
  },
  countBusinessDays: {
    kind: "boolean",
    label: "Count working days only",
    help: "Leave weekend days out of every threshold in days.",
    group: "rules",
    default: false,
  },
  weekendDays: {
    kind: "weekdays",
    label: "Weekend days",
    help: "The days that are not working days, when counting working days only.",
    group: "rules",
    default: [0, 6],
  },
  maxRecipients: {
    kind: "wholeNumber",
    label: "Mass mail above (recipients)",
    help: "A message of yours to more people than this (To, Cc and Bcc) is a mailing, not an attempt.",
    group: "rules",
    default: 10,
    min: 1,
    max: MAX_WHOLE_NUMBER,
  },
  pendingFileDays: {
    kind: "wholeNumber",
    label: "Pending file after (days)",
    help: "Silent this long: suggest the pending-file clean-up note, whatever else.",
    group: "rules",
    default: 90,
    min: 1,
    max: MAX_WHOLE_NUMBER,
    playbook: true,
  },
  areYouOkAttempts: {
    kind: "wholeNumber",
    label: "Are you OK? after (attempts)",
    help: "For prospects who answered before: this many unanswered attempts…",
    group: "rules",
    default: 3,
    min: 1,
    max: MAX_WHOLE_NUMBER,
    playbook: true,
  },
  areYouOkDays: {
    kind: "wholeNumber",
    label: "Are you OK? after (days)",
    help: "…and this many days of silence suggest a note of concern.",
    group: "rules",
    default: 21,
    min: 1,
    max: MAX_WHOLE_NUMBER,
    playbook: true,
  },
  shouldICloseAttempts: {
    kind: "wholeNumber",
    label: "Should I close? after (attempts)",
    help: "For prospects who answered before and received a proposal.",
    group: "rules",
    default: 2,
    min: 1,
    max: MAX_WHOLE_NUMBER,
    playbook: true,
  },
  closeFileAttempts: {
    kind: "wholeNumber",
    label: "Close the file after (attempts)",
    help: "For prospects who never answered.",
    group: "rules",
    default: 2,
    min: 1,
    max: MAX_WHOLE_NUMBER,
    playbook: true,
  },
  noPressureAttempts: {
    kind: "wholeNumber",
    label: "No pressure after (attempts)",
    help: "For prospects who answered before.",
    group: "rules",
    default: 2,
    min: 1,
    max: MAX_WHOLE_NUMBER,
    playbook: true,
  },
  myAddresses: {
    kind: "addresses",
    label: "My other addresses",
    help: "Aliases that are also you, one per line.",
    group: "who-counts",
    default: [],
  },
  internalDomains: {
    kind: "domains",
    label: "Internal domains",
    help: "Your colleagues' domains, never prospects; one per line.",
    group: "who-counts",
    default: [],
  },
  excludedAddresses: {
    kind: "addresses",
    label: "Excluded addresses (not prospects)",
    help: "People who are not prospects, one address per line.",
    group: "who-counts",
    default: [],
  },
  excludedDomains: {
    kind: "domains",
    label: "Excluded domains (not prospects)",
    help: "Whole organisations that are not prospects, one domain per line.",
    group: "who-counts",
    default: [],
  },
  companyDomains: {
    kind: "domainGroups",
    label: "Companies with several domains",
    help: "One company per line, its domains separated by commas, e.g. acme.com, acme-corp.co.uk.",
    group: "who-counts",
    default: [],
  },
  extraFolders: {
    kind: "folders",
    label: "Also look in these folders",
    help: "Answers an Inbox rule files elsewhere are found only in folders Rekindle reads. Inbox, Sent Items and Archive always count; Deleted Items never does.",
    group: "who-counts",
    default: [],
  },
  myPhone: {
    kind: "text",
    label: "My phone number",
    help: "For templates and voicemail scripts; leave empty to use the one on your profile.",
    group: "templates",
    default: "",
    maxLength: MAX_TEXT,
  },
  myCompany: {
    kind: "text",
    label: "My company name",
    help: "For templates and voicemail scripts; leave empty to use the one on your profile.",
    group: "templates",
    default: "",
    maxLength: MAX_TEXT,
  },
  templates: {
    kind: "templates",
    label: "Templates",
    help: "Your own wording for each technique; techniques you leave alone use the built-in wording.",
    group: "templates",
    default: {},
  },
  roamDecisions: {
    kind: "boolean",
    label: "Keep decisions in my mailbox",
    help: "Snoozes, closed files, calls and people marked not a prospect are saved in your mailbox as well as here, so they follow you to other devices and survive a reinstall. For this, Microsoft asks you once to let Rekindle read and write your mail.",
    group: "your-data",
    default: true,
  },
} as const satisfies { readonly [K in keyof Settings]: FieldFor<Settings[K]> };

export type SettingKey = keyof typeof SETTING_FIELDS;

/** Every setting's key, in table order. */
export const SETTING_KEYS = Object.freeze(Object.keys(SETTING_FIELDS) as SettingKey[]);

/** A descriptor together with the key it describes, as the panel lists them. */
export type KeyedSettingField = SettingField & { readonly key: SettingKey };

/** The thresholds the playbook reads, as marked in the table. */
export type PlaybookThresholdKey = {
  [K in SettingKey]: (typeof SETTING_FIELDS)[K] extends { readonly playbook: true } ? K : never;
}[SettingKey];

/** The settings the playbook needs to choose a technique. */
export type PlaybookThresholds = Pick<Settings, PlaybookThresholdKey>;

/** The playbook's threshold keys, in table order. */
export const PLAYBOOK_THRESHOLD_KEYS: readonly PlaybookThresholdKey[] = Object.freeze(
  SETTING_KEYS.filter((key): key is PlaybookThresholdKey => {
    const field: SettingField = SETTING_FIELDS[key];
    return field.kind === "wholeNumber" && field.playbook === true;
  }),
);

/** The descriptor of one setting, with its key. */
export function settingField(key: SettingKey): KeyedSettingField {
  return { ...SETTING_FIELDS[key], key };
}

/** True when `key` names a setting (own keys only, so "constructor" or "__proto__" never match). */
export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTING_FIELDS, key);
}

/** One group of the settings form: its heading and its fields, in table order. */
export interface SettingsFormGroup {
  readonly id: SettingGroup;
  readonly title: string;
  readonly fields: readonly KeyedSettingField[];
}

/** The form's groups for a table of fields (the panel's layout is derived, never written out by hand). */
export function formGroupsOf(fields: { readonly [key: string]: SettingField }): readonly SettingsFormGroup[] {
  const keyed = Object.keys(fields).map((key) => ({ ...fields[key]!, key }) as KeyedSettingField);
  return Object.freeze(
    SETTING_GROUPS.map((group) =>
      Object.freeze({ ...group, fields: Object.freeze(keyed.filter((field) => field.group === group.id)) }),
    ),
  );
}

/** The panel's groups, each with its fields in order; a new setting appears here by being in the table. */
export const SETTINGS_FORM: readonly SettingsFormGroup[] = formGroupsOf(SETTING_FIELDS);

/** Every field of a table at its default. */
export function defaultsOf(fields: {
  readonly [key: string]: SettingField;
}): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) out[key] = cloneDefault(fields[key]!.default);
  return Object.freeze(out);
}

/** Every setting at its default, built from the table. */
export function defaultSettings(): Settings {
  return defaultsOf(SETTING_FIELDS) as unknown as Settings;
}

function cloneDefault(value: unknown): unknown {
  if (Array.isArray(value)) return Object.freeze(value.map(cloneDefault));
  if (value !== null && typeof value === "object") return Object.freeze({ ...value });
  return value;
}

// 4 January 2026 was a Sunday: day d of the week is 4 + d January.
const SUNDAY_UTC = Date.UTC(2026, 0, 4);
const DAY_MS = 86_400_000;

/** The days of the week, 0 = Sunday … 6 = Saturday, named in the user's language for the weekend-days field. */
export function weekdayOptions(
  locale = "en-GB",
): readonly { readonly value: number; readonly label: string }[] {
  const format = new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" });
  return [0, 1, 2, 3, 4, 5, 6].map((value) => ({
    value,
    label: format.format(new Date(SUNDAY_UTC + value * DAY_MS)),
  }));
}
