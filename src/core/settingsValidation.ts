// Reads settings from untrusted input by walking the one table in settingsSchema.ts: one parser per kind of
// field, and every message names the field by its label, as the user sees it.
import { singleLine } from "./plainText";
import type { Settings } from "./settings";
import {
  isSettingKey,
  SETTING_FIELDS,
  SETTING_KEYS,
  type SettingField,
  type SettingKey,
  type TemplatesField,
  type TextField,
  type WholeNumberField,
} from "./settingsSchema";
import { isTechnique, TECHNIQUE_LABELS, type Technique } from "./technique";
import { compileTemplate, TemplateError, type TemplateSource } from "./template";

/** Settings that cannot be used, with every problem found (not just the first), also listed per setting. */
export class SettingsError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
    /** The same problems keyed by the setting they are about, for showing them at the field. */
    readonly fieldProblems: Readonly<Partial<Record<SettingKey, readonly string[]>>> = {},
  ) {
    super(`${source}: ${problems.join("; ")}`);
    this.name = "SettingsError";
  }
}

type Report = (message: string) => void;
/** A parser returns the tidied value, or `undefined` after reporting why it cannot. */
type Parse<F extends SettingField> = (field: F, value: unknown, report: Report) => unknown;

const ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const QUOTED_MAX = 60;

/**
 * Reads settings from untrusted JSON (a file, roamingSettings, an import). Missing keys take their defaults;
 * anything wrong is reported all at once, naming the setting by its label, and nothing is half-applied.
 */
export function parseSettings(raw: unknown, source = "settings"): Settings {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new SettingsError(source, ["expected a JSON object of settings"]);
  }
  const input = raw as Record<string, unknown>;
  const problems: string[] = [];
  const fieldProblems: Partial<Record<SettingKey, string[]>> = {};
  for (const key of Object.keys(input)) {
    if (!isSettingKey(key)) problems.push(`unknown setting ${quoted(key)}`);
  }
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const field: SettingField = SETTING_FIELDS[key];
    if (!Object.hasOwn(input, key) || input[key] === undefined) {
      out[key] = field.default;
      continue;
    }
    const report: Report = (message) => {
      problems.push(message);
      (fieldProblems[key] ??= []).push(message);
    };
    out[key] = parseField(field, input[key], report);
  }
  if (problems.length) throw new SettingsError(source, problems, fieldProblems);
  return Object.freeze(out) as unknown as Settings;
}

/** The settings as JSON, in a form `parseSettings` reads back to the same settings. */
export function serialiseSettings(settings: Settings): string {
  return JSON.stringify(settings, null, 2);
}

/**
 * Applies what a form changed to the saved settings and validates the result: keys the form did not include
 * (settings the form does not show, or does not know yet) keep their saved values. Throws SettingsError.
 */
export function mergeFormValues(saved: Settings, form: Partial<Settings>, source = "settings"): Settings {
  return parseSettings(mergedRaw(saved, form), source);
}

/** What a settings form holds for each setting: text for text boxes, booleans and day lists for choices. */
export type SettingsFormValues = {
  readonly [K in SettingKey]: (typeof SETTING_FIELDS)[K]["kind"] extends "boolean"
    ? boolean
    : (typeof SETTING_FIELDS)[K]["kind"] extends "weekdays" | "folders"
      ? readonly number[]
      : (typeof SETTING_FIELDS)[K]["kind"] extends "templates"
        ? Settings[K]
        : string;
};

/** The form's starting values for the settings: numbers as text, one address or domain per line. */
export function formValuesOf(settings: Settings): SettingsFormValues {
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) out[key] = formValueOf(SETTING_FIELDS[key], settings[key]);
  return out as SettingsFormValues;
}

/**
 * Reads what the user typed into the form (any subset of the fields) over the saved settings, keeping every
 * setting the form did not include. Throws SettingsError with the problems per field.
 */
export function settingsFromForm(
  saved: Settings,
  form: Partial<SettingsFormValues>,
  source = "settings",
): Settings {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(form)) {
    raw[key] = isSettingKey(key) && value !== undefined ? rawOfFormValue(SETTING_FIELDS[key], value) : value;
  }
  return parseSettings(mergedRaw(saved, raw), source);
}

function mergedRaw(saved: Settings, changes: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...saved };
  for (const [key, value] of Object.entries(changes)) if (value !== undefined) merged[key] = value;
  return merged;
}

function formValueOf(field: SettingField, value: unknown): unknown {
  switch (field.kind) {
    case "wholeNumber":
      return String(value);
    case "addresses":
    case "domains":
      return (value as readonly string[]).join("\n");
    case "domainGroups":
      return (value as readonly (readonly string[])[]).map((group) => group.join(", ")).join("\n");
    default:
      return value;
  }
}

function rawOfFormValue(field: SettingField, value: unknown): unknown {
  if (typeof value !== "string") return value;
  switch (field.kind) {
    case "wholeNumber": {
      // A number the user typed is read as one, so "2.5" says "whole number" and "x" says "(got "x")".
      const text = value.trim();
      return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    }
    case "addresses":
    case "domains":
      return value
        .split(/[\n,;]/)
        .map((s) => s.trim())
        .filter(Boolean);
    case "domainGroups":
      return value
        .split("\n")
        .map((line) => line.split(/[,;\s]+/).filter(Boolean))
        .filter((group) => group.length > 0);
    default:
      return value;
  }
}

function parseField(field: SettingField, value: unknown, report: Report): unknown {
  switch (field.kind) {
    case "wholeNumber":
      return parseWholeNumber(field, value, report);
    case "boolean":
      if (typeof value === "boolean") return value;
      report(`${field.label} must be true or false`);
      return undefined;
    case "addresses":
    case "domains":
      return parseList(field, value, report);
    case "domainGroups":
      return parseDomainGroups(field, value, report);
    case "weekdays":
      return parseWeekdays(field, value, report);
    case "folders":
      return parseFolders(field, value, report);
    case "text":
      return parseText(field, value, report);
    case "templates":
      return parseTemplates(field, value, report);
  }
}

const parseWholeNumber: Parse<WholeNumberField> = (field, value, report) => {
  if (typeof value === "string" && value.trim() === "") {
    report(`${field.label} is empty: enter a whole number from ${field.min} to ${field.max}`);
  } else if (typeof value !== "number" || !Number.isInteger(value)) {
    report(`${field.label} must be a whole number from ${field.min} to ${field.max} (got ${quoted(value)})`);
  } else if (value < field.min) {
    report(`${field.label} must be at least ${field.min}`);
  } else if (value > field.max) {
    report(`${field.label} must be at most ${field.max}`);
  } else {
    return value;
  }
  return undefined;
};

function tidyDomainOrAddress(value: string): string {
  return value.trim().toLowerCase().replace(/^@/, "");
}

function parseList(
  field: Extract<SettingField, { kind: "addresses" | "domains" }>,
  value: unknown,
  report: Report,
): string[] | undefined {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    report(`${field.label} must be a list of text values`);
    return undefined;
  }
  const cleaned = [...new Set((value as string[]).map(tidyDomainOrAddress).filter(Boolean))];
  const isAddress = field.kind === "addresses";
  for (const v of cleaned) {
    if (!(isAddress ? ADDRESS : DOMAIN).test(v)) {
      report(`${field.label} has ${quoted(v)}, which is not ${isAddress ? "an e-mail address" : "a domain"}`);
    }
  }
  return cleaned;
}

function parseDomainGroups(field: SettingField, value: unknown, report: Report): string[][] | undefined {
  if (
    !Array.isArray(value) ||
    value.some((g) => !Array.isArray(g) || g.some((d: unknown) => typeof d !== "string"))
  ) {
    report(`${field.label} must be a list of groups of domains, e.g. [["acme.com", "acme-corp.co.uk"]]`);
    return undefined;
  }
  const groups: string[][] = [];
  for (const group of value as string[][]) {
    const cleaned = [...new Set(group.map(tidyDomainOrAddress).filter(Boolean))];
    const bad = cleaned.filter((d) => !DOMAIN.test(d));
    for (const d of bad) report(`${field.label} has ${quoted(d)}, which is not a domain`);
    // A "group" of one domain says nothing: it is dropped.
    if (cleaned.length >= 2 && bad.length === 0) groups.push(cleaned);
  }
  return groups;
}

function parseWeekdays(field: SettingField, value: unknown, report: Report): number[] | undefined {
  if (
    !Array.isArray(value) ||
    value.some((d) => !Number.isInteger(d) || d < 0 || d > 6) ||
    new Set(value).size === 7
  ) {
    report(`${field.label} must be a list of days from 0 (Sunday) to 6 (Saturday), leaving a working day`);
    return undefined;
  }
  return [...new Set(value as number[])].sort((a, b) => a - b);
}

// A Graph folder id is URL-safe base64 in practice; the well-known names are synced always (or never).
const FOLDER_ID = /^[A-Za-z0-9=_+-]{1,512}$/;
const NOT_PICKABLE =
  /^(inbox|sentitems|archive|deleteditems|recoverableitemsdeletions|junkemail|drafts|outbox)$/i;

function parseFolders(field: SettingField, value: unknown, report: Report): string[] | undefined {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    report(`${field.label} must be a list of folder ids`);
    return undefined;
  }
  const ids = [...new Set((value as string[]).map((v) => v.trim()).filter(Boolean))];
  for (const id of ids) {
    if (!FOLDER_ID.test(id)) report(`${field.label} has ${quoted(id)}, which is not a folder id`);
    else if (NOT_PICKABLE.test(id))
      report(
        `${field.label} has ${quoted(id)}: Inbox, Sent Items and Archive always count, the others never`,
      );
  }
  return ids;
}

const parseText: Parse<TextField> = (field, value, report) => {
  if (typeof value !== "string") {
    report(`${field.label} must be text (got ${quoted(value)})`);
  } else if (singleLine(value) !== value || /[\u2028\u2029]/.test(value)) {
    report(`${field.label} must be a single line of plain text, without line breaks or control characters`);
  } else if (value.trim().length > field.maxLength) {
    report(`${field.label} must be at most ${field.maxLength} characters (got ${value.trim().length})`);
  } else {
    return value.trim();
  }
  return undefined;
};

function parseTemplates(
  field: TemplatesField,
  raw: unknown,
  report: Report,
): Partial<Record<Technique, TemplateSource>> | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    report(`${field.label} must be an object keyed by technique`);
    return undefined;
  }
  const out: Partial<Record<Technique, TemplateSource>> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!isTechnique(key)) {
      report(`${field.label} has ${quoted(key)}, which is not a technique`);
      continue;
    }
    if (value === null || typeof value !== "object") {
      report(`the ${TECHNIQUE_LABELS[key]} template must be an object with subject, html and text`);
      continue;
    }
    const t = value as Record<string, unknown>;
    const source: TemplateSource = {
      subject: t.subject as string,
      html: t.html as string,
      text: t.text as string,
      ...(t.voicemail === undefined ? {} : { voicemail: t.voicemail as string }),
    };
    try {
      compileTemplate(source, `the ${TECHNIQUE_LABELS[key]} template`);
      out[key] = source;
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      report(error.message);
    }
  }
  return out;
}

/** A value as it appears in a message: JSON-quoted, on one line, and cut short if long. */
function quoted(value: unknown): string {
  let text: string;
  try {
    text = typeof value === "bigint" ? String(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  text = singleLine(text);
  return text.length > QUOTED_MAX ? `${text.slice(0, QUOTED_MAX - 1)}…` : text;
}
