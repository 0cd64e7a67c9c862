// The settings form as the user sees it: each field with its label, its own check and a message that names the
// field as labelled (never an internal key), and what an import would change before it is applied.
import type { Settings } from "../../core/settings";
import { SettingsError, parseSettings } from "../../core/settingsValidation";
import { TECHNIQUES, TECHNIQUE_LABELS, type Technique } from "../../core/technique";
import type { TemplateSource } from "../../core/template";
import { sanitizeTemplateHtml } from "./draftBody";

export type NumberKey =
  | "windowDays"
  | "followUpAfterDays"
  | "maxRecipients"
  | "pendingFileDays"
  | "areYouOkAttempts"
  | "areYouOkDays"
  | "shouldICloseAttempts"
  | "closeFileAttempts"
  | "noPressureAttempts";
export type ListKey = "myAddresses" | "internalDomains" | "excludedAddresses" | "excludedDomains";

export interface NumberField {
  readonly key: NumberKey;
  readonly label: string;
  readonly hint: string;
  readonly min: number;
  readonly max: number;
}

const MAX = 3650;

export const NUMBER_FIELDS: readonly NumberField[] = [
  {
    key: "windowDays",
    label: "Look back (days)",
    hint: "Only mail from this many days counts.",
    min: 1,
    max: MAX,
  },
  {
    key: "followUpAfterDays",
    label: "Follow up after (days)",
    hint: "Wait this long after your last attempt.",
    min: 1,
    max: MAX,
  },
  {
    key: "maxRecipients",
    label: "Mass mail above (recipients)",
    hint: "Bigger sends are not attempts.",
    min: 1,
    max: MAX,
  },
  {
    key: "pendingFileDays",
    label: "Pending file after (days)",
    hint: "Silent this long: the pending-file note.",
    min: 1,
    max: MAX,
  },
  {
    key: "areYouOkAttempts",
    label: "Are you OK? after (attempts)",
    hint: "For warm prospects.",
    min: 1,
    max: MAX,
  },
  { key: "areYouOkDays", label: "Are you OK? after (days)", hint: "For warm prospects.", min: 1, max: MAX },
  {
    key: "shouldICloseAttempts",
    label: "Should I close? after (attempts)",
    hint: "Warm, proposal sent.",
    min: 1,
    max: MAX,
  },
  {
    key: "closeFileAttempts",
    label: "Close the file after (attempts)",
    hint: "Never replied.",
    min: 1,
    max: MAX,
  },
  {
    key: "noPressureAttempts",
    label: "No pressure after (attempts)",
    hint: "Warm prospects.",
    min: 1,
    max: MAX,
  },
];

export interface ListField {
  readonly key: ListKey;
  readonly label: string;
  readonly kind: "address" | "domain";
}

export const LIST_FIELDS: readonly ListField[] = [
  { key: "myAddresses", label: "My other addresses (one per line)", kind: "address" },
  {
    key: "internalDomains",
    label: "Internal domains: colleagues, never prospects (one per line)",
    kind: "domain",
  },
  { key: "excludedAddresses", label: "Not prospects: addresses (one per line)", kind: "address" },
  { key: "excludedDomains", label: "Not prospects: domains (one per line)", kind: "domain" },
];

/** The short name of each setting, for messages ("Follow up after (days)"). */
const SETTING_NAMES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(NUMBER_FIELDS.map((f) => [f.key, f.label])),
  myAddresses: "My other addresses",
  internalDomains: "Internal domains",
  excludedAddresses: "Not prospects: addresses",
  excludedDomains: "Not prospects: domains",
  templates: "Templates",
};

export interface SettingsForm {
  readonly numbers: Readonly<Record<NumberKey, string>>;
  readonly lists: Readonly<Record<ListKey, string>>;
  readonly templates: Readonly<Partial<Record<Technique, TemplateSource>>>;
}

/** The form showing `settings`. */
export function formOf(settings: Settings): SettingsForm {
  const numbers = {} as Record<NumberKey, string>;
  for (const f of NUMBER_FIELDS) numbers[f.key] = String(settings[f.key]);
  const lists = {} as Record<ListKey, string>;
  for (const f of LIST_FIELDS) lists[f.key] = settings[f.key].join("\n");
  return { numbers, lists, templates: { ...settings.templates } };
}

/** The problem with one number field's text, in the field's own words, or null when it is fine. */
export function numberProblem(field: NumberField, text: string): string | null {
  const value = text.trim();
  if (!value) return `${field.label} is empty: enter a whole number.`;
  if (!/^-?\d+$/.test(value)) return `${field.label} must be a whole number (not "${value}").`;
  const n = Number(value);
  if (n < field.min) return `${field.label} must be at least ${field.min}.`;
  if (n > field.max) return `${field.label} must be at most ${field.max}.`;
  return null;
}

function listItems(text: string): string[] {
  return text
    .split(/[\n,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The problem with one list field (the first entry that is not an address or domain), or null. */
export function listProblem(field: ListField, text: string): string | null {
  for (const item of listItems(text)) {
    const v = item.toLowerCase().replace(/^@/, "");
    const ok =
      field.kind === "address" ? /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v) : /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(v);
    if (!ok) {
      const name = SETTING_NAMES[field.key];
      return `${name}: "${item}" is not ${field.kind === "address" ? "an e-mail address" : "a domain such as example.com"}.`;
    }
  }
  return null;
}

/** Every field's problem, keyed by field; empty when the form can be saved. */
export function formProblems(form: SettingsForm): Partial<Record<NumberKey | ListKey, string>> {
  const out: Partial<Record<NumberKey | ListKey, string>> = {};
  for (const f of NUMBER_FIELDS) {
    const p = numberProblem(f, form.numbers[f.key]);
    if (p) out[f.key] = p;
  }
  for (const f of LIST_FIELDS) {
    const p = listProblem(f, form.lists[f.key]);
    if (p) out[f.key] = p;
  }
  return out;
}

/**
 * The settings a valid form stands for, on top of the saved ones (so a setting the form does not show is kept,
 * never reset to its default); throws SettingsError (with user-facing problems) otherwise.
 */
export function settingsOf(form: SettingsForm, saved?: Settings): Settings {
  const raw: Record<string, unknown> = { ...saved, templates: sanitizedTemplates(form.templates) };
  for (const f of NUMBER_FIELDS) raw[f.key] = Number(form.numbers[f.key].trim());
  for (const f of LIST_FIELDS) raw[f.key] = listItems(form.lists[f.key]);
  try {
    return parseSettings(raw, "settings");
  } catch (error) {
    if (error instanceof SettingsError) {
      throw new SettingsError(error.source, error.problems.map(humaniseSettingsProblem));
    }
    throw error;
  }
}

/** The templates with their HTML sanitised, as they are saved (an import goes through this too). */
export function sanitizedTemplates(
  templates: Readonly<Partial<Record<Technique, TemplateSource>>>,
): Partial<Record<Technique, TemplateSource>> {
  const out: Partial<Record<Technique, TemplateSource>> = {};
  for (const t of TECHNIQUES) {
    const source = templates[t];
    if (source)
      out[t] =
        typeof source.html === "string" ? { ...source, html: sanitizeTemplateHtml(source.html) } : source;
  }
  return out;
}

/** A problem from parseSettings with each internal key replaced by the setting's name. */
export function humaniseSettingsProblem(problem: string): string {
  const named = problem.replace(/"([A-Za-z]+)"/g, (whole, key: string) => {
    const name = SETTING_NAMES[key];
    return name ? name : whole;
  });
  return named.charAt(0).toUpperCase() + named.slice(1);
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** What applying `next` over `current` would change, one line per setting, in the user's words. */
export function describeChanges(current: Settings, next: Settings): string[] {
  const out: string[] = [];
  for (const f of NUMBER_FIELDS) {
    if (current[f.key] !== next[f.key]) out.push(`${f.label}: ${current[f.key]} → ${next[f.key]}`);
  }
  for (const f of LIST_FIELDS) {
    const before = current[f.key];
    const after = next[f.key];
    if (same(before, after)) continue;
    const added = after.filter((v) => !before.includes(v));
    const removed = before.filter((v) => !after.includes(v));
    const parts = [
      ...(added.length ? [`adds ${added.join(", ")}`] : []),
      ...(removed.length ? [`removes ${removed.join(", ")}`] : []),
    ];
    out.push(`${SETTING_NAMES[f.key]}: ${parts.join("; ") || "reordered"}`);
  }
  for (const t of TECHNIQUES) {
    const before = current.templates[t];
    const after = next.templates[t];
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    const label = `${TECHNIQUE_LABELS[t]} template`;
    out.push(
      !after
        ? `${label}: back to the built-in wording (yours is removed)`
        : !before
          ? `${label}: replaces the built-in wording`
          : `${label}: replaces yours`,
    );
  }
  return out;
}
