// The settings form as the user sees it, read from the one description of the settings (core/settingsSchema.ts):
// the form holds every setting the table describes, a save goes through settingsFromForm over the saved settings
// (so nothing the form does not show is reset), problems are kept per field in the field's own words, and an
// import says what it would change before it is applied.
import type { Settings } from "../../core/settings";
import {
  SETTING_FIELDS,
  SETTING_KEYS,
  weekdayOptions,
  type SettingField,
  type SettingKey,
} from "../../core/settingsSchema";
import { SettingsError, settingsFromForm, type SettingsFormValues } from "../../core/settingsValidation";
import { TECHNIQUES, TECHNIQUE_LABELS, type Technique } from "../../core/technique";
import type { TemplateSource } from "../../core/template";
import { sanitizeTemplateHtml } from "./draftBody";

/** What the form holds: one value per setting, as the user edits it (numbers and lists as text). */
export type SettingsForm = SettingsFormValues;

export { formValuesOf as formOf } from "../../core/settingsValidation";

/** The outcome of checking a form: the settings it stands for, or its problems by field and the others. */
export type FormCheck =
  | { readonly ok: true; readonly settings: Settings }
  | {
      readonly ok: false;
      readonly fieldProblems: Readonly<Partial<Record<SettingKey, string>>>;
      readonly otherProblems: readonly string[];
    };

/**
 * Reads the form over the saved settings (a setting the form does not include keeps its saved value, never its
 * default), with the templates' HTML sanitised as it is saved.
 */
export function checkForm(form: Partial<SettingsForm>, saved: Settings): FormCheck {
  const values = form.templates ? { ...form, templates: sanitizedTemplates(form.templates) } : form;
  try {
    return { ok: true, settings: settingsFromForm(saved, values) };
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    const fieldProblems: Partial<Record<SettingKey, string>> = {};
    const attributed = new Set<string>();
    for (const key of SETTING_KEYS) {
      const problems = error.fieldProblems[key];
      if (!problems?.length) continue;
      fieldProblems[key] = problems.map(humaniseSettingsProblem).join(" ");
      for (const p of problems) attributed.add(p);
    }
    const otherProblems = error.problems.filter((p) => !attributed.has(p)).map(humaniseSettingsProblem);
    return { ok: false, fieldProblems, otherProblems };
  }
}

/** The settings a valid form stands for, over the saved ones; throws SettingsError otherwise. */
export function settingsOf(form: Partial<SettingsForm>, saved: Settings): Settings {
  const check = checkForm(form, saved);
  if (check.ok) return check.settings;
  throw new SettingsError("settings", [...Object.values(check.fieldProblems), ...check.otherProblems]);
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

/** A problem from the settings parser as shown: it already names the setting by its label; it starts a sentence. */
export function humaniseSettingsProblem(problem: string): string {
  return problem.charAt(0).toUpperCase() + problem.slice(1);
}

function addedAndRemoved(before: readonly string[], after: readonly string[]): string {
  const added = after.filter((v) => !before.includes(v));
  const removed = before.filter((v) => !after.includes(v));
  const parts = [
    ...(added.length ? [`adds ${added.join("; ")}`] : []),
    ...(removed.length ? [`removes ${removed.join("; ")}`] : []),
  ];
  return parts.join("; ") || "reordered";
}

function dayNames(days: readonly number[]): string {
  const names = weekdayOptions();
  return days.map((d) => names[d]?.label ?? String(d)).join(", ") || "none";
}

/** One line saying how one setting changes, or null when it does not. */
function describeChange(field: SettingField, before: unknown, after: unknown): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  switch (field.kind) {
    case "wholeNumber":
      return [`${field.label}: ${String(before)} → ${String(after)}`];
    case "text":
      return [`${field.label}: ${String(before) || "none"} → ${String(after) || "none"}`];
    case "boolean":
      return [`${field.label}: ${before ? "on" : "off"} → ${after ? "on" : "off"}`];
    case "folders":
      return [`${field.label}: ${addedAndRemoved(before as string[], after as string[])}`];
    case "weekdays":
      return [`${field.label}: ${dayNames(before as number[])} → ${dayNames(after as number[])}`];
    case "addresses":
    case "domains":
      return [`${field.label}: ${addedAndRemoved(before as string[], after as string[])}`];
    case "domainGroups": {
      const lines = (groups: unknown) => (groups as string[][]).map((g) => g.join(", "));
      return [`${field.label}: ${addedAndRemoved(lines(before), lines(after))}`];
    }
    case "templates": {
      const out: string[] = [];
      const was = before as Partial<Record<Technique, TemplateSource>>;
      const will = after as Partial<Record<Technique, TemplateSource>>;
      for (const t of TECHNIQUES) {
        if (JSON.stringify(was[t]) === JSON.stringify(will[t])) continue;
        const label = `${TECHNIQUE_LABELS[t]} template`;
        out.push(
          !will[t]
            ? `${label}: back to the built-in wording (yours is removed)`
            : !was[t]
              ? `${label}: replaces the built-in wording`
              : `${label}: replaces yours`,
        );
      }
      return out;
    }
  }
}

/** What applying `next` over `current` would change, one line per setting (per template), in the user's words. */
export function describeChanges(current: Settings, next: Settings): string[] {
  return SETTING_KEYS.flatMap((key) => describeChange(SETTING_FIELDS[key], current[key], next[key]));
}
