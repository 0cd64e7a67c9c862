import { singleLine } from "./plainText";
import { DEFAULT_SETTINGS, type Settings } from "./settings";
import { isTechnique, TECHNIQUE_LABELS, type Technique } from "./technique";
import { compileTemplate, TemplateError, type TemplateSource } from "./template";

/** Settings that cannot be used, with every problem found (not just the first). */
export class SettingsError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: ${problems.join("; ")}`);
    this.name = "SettingsError";
  }
}

type NumberKey = {
  [K in keyof Settings]: Settings[K] extends number ? K : never;
}[keyof Settings];
type ListKey = {
  [K in keyof Settings]: Settings[K] extends readonly string[] ? K : never;
}[keyof Settings];

const NUMBER_KEYS: readonly NumberKey[] = [
  "windowDays",
  "followUpAfterDays",
  "maxRecipients",
  "pendingFileDays",
  "areYouOkAttempts",
  "areYouOkDays",
  "shouldICloseAttempts",
  "closeFileAttempts",
  "noPressureAttempts",
];
const LIST_KEYS: readonly ListKey[] = [
  "myAddresses",
  "internalDomains",
  "excludedAddresses",
  "excludedDomains",
];
const TEXT_KEYS = ["myPhone", "myCompany"] as const;
const MAX_DAYS = 3650;
const MAX_TEXT = 100;

/**
 * Reads settings from untrusted JSON (a file, roamingSettings, an import). Missing keys take their defaults;
 * anything wrong is reported all at once, naming the key, and nothing is half-applied.
 */
export function parseSettings(raw: unknown, source = "settings"): Settings {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new SettingsError(source, ["expected a JSON object of settings"]);
  }
  const input = raw as Record<string, unknown>;
  const problems: string[] = [];
  const known = new Set<string>([
    ...NUMBER_KEYS,
    ...LIST_KEYS,
    ...TEXT_KEYS,
    "templates",
    "companyDomains",
    "countBusinessDays",
    "weekendDays",
  ]);
  for (const key of Object.keys(input)) {
    if (!known.has(key)) problems.push(`unknown setting "${key}"`);
  }
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of NUMBER_KEYS) {
    const value = input[key];
    if (value === undefined) continue;
    const min = key === "maxRecipients" || key.endsWith("Attempts") || key === "windowDays" ? 1 : 0;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > MAX_DAYS) {
      problems.push(
        `"${key}" must be a whole number from ${min} to ${MAX_DAYS} (got ${JSON.stringify(value)})`,
      );
    } else {
      out[key] = value;
    }
  }
  for (const key of LIST_KEYS) {
    const value = input[key];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
      problems.push(`"${key}" must be a list of text values`);
      continue;
    }
    const isAddress = key.endsWith("Addresses");
    const cleaned = [
      ...new Set(value.map((v: string) => v.trim().toLowerCase().replace(/^@/, "")).filter(Boolean)),
    ];
    for (const v of cleaned) {
      const ok = isAddress ? /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v) : /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(v);
      if (!ok)
        problems.push(`"${key}" has "${v}", which is not ${isAddress ? "an e-mail address" : "a domain"}`);
    }
    out[key] = cleaned;
  }
  for (const key of TEXT_KEYS) {
    const value = input[key];
    if (value === undefined) continue;
    if (typeof value !== "string") {
      problems.push(`"${key}" must be text (got ${JSON.stringify(value)})`);
    } else if (singleLine(value) !== value || /[\u2028\u2029]/.test(value)) {
      problems.push(
        `"${key}" must be a single line of plain text, without line breaks or control characters`,
      );
    } else if (value.trim().length > MAX_TEXT) {
      problems.push(`"${key}" must be at most ${MAX_TEXT} characters (got ${value.trim().length})`);
    } else {
      out[key] = value.trim();
    }
  }
  if (input.templates !== undefined) {
    out.templates = parseTemplates(input.templates, problems);
  }
  if (input.companyDomains !== undefined) {
    out.companyDomains = parseCompanyDomains(input.companyDomains, problems);
  }
  if (input.countBusinessDays !== undefined) {
    if (typeof input.countBusinessDays === "boolean") out.countBusinessDays = input.countBusinessDays;
    else problems.push(`"countBusinessDays" must be true or false`);
  }
  if (input.weekendDays !== undefined) {
    const days = input.weekendDays;
    if (
      !Array.isArray(days) ||
      days.some((d) => !Number.isInteger(d) || d < 0 || d > 6) ||
      new Set(days).size === 7
    ) {
      problems.push(
        `"weekendDays" must be a list of days from 0 (Sunday) to 6 (Saturday), leaving a working day`,
      );
    } else {
      out.weekendDays = [...new Set(days as number[])].sort();
    }
  }
  if (problems.length) throw new SettingsError(source, problems);
  return Object.freeze(out) as unknown as Settings;
}

const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

function parseCompanyDomains(raw: unknown, problems: string[]): string[][] {
  const groups: string[][] = [];
  if (!Array.isArray(raw) || raw.some((g) => !Array.isArray(g) || g.some((d) => typeof d !== "string"))) {
    problems.push(
      `"companyDomains" must be a list of groups of domains, e.g. [["acme.com", "acme-corp.co.uk"]]`,
    );
    return groups;
  }
  for (const group of raw as string[][]) {
    const cleaned = [...new Set(group.map((d) => d.trim().toLowerCase().replace(/^@/, "")).filter(Boolean))];
    const bad = cleaned.filter((d) => !DOMAIN.test(d));
    for (const d of bad) problems.push(`"companyDomains" has "${d}", which is not a domain`);
    if (cleaned.length >= 2 && bad.length === 0) groups.push(cleaned);
  }
  return groups;
}

function parseTemplates(raw: unknown, problems: string[]): Partial<Record<Technique, TemplateSource>> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    problems.push(`"templates" must be an object keyed by technique`);
    return {};
  }
  const out: Partial<Record<Technique, TemplateSource>> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!isTechnique(key)) {
      problems.push(`"templates" has "${key}", which is not a technique`);
      continue;
    }
    if (value === null || typeof value !== "object") {
      problems.push(`the ${TECHNIQUE_LABELS[key]} template must be an object with subject, html and text`);
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
      problems.push(error.message);
    }
  }
  return out;
}
