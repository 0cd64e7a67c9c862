import { stripControlCharacters } from "./plainText";
import type { Technique } from "./technique";

/** A template as the user or the built-ins write it. `voicemail` is present where the technique uses a call. */
export interface TemplateSource {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly voicemail?: string;
}

/** A rendered message ready to show or insert. `html` is safe to insert; the rest is plain text. */
export interface RenderedMessage {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly voicemail: string | null;
}

/** The values a template may use, all plain text taken from mail or settings. */
export interface TemplateValues {
  readonly firstName: string;
  readonly fullName: string;
  readonly company: string;
  readonly myFirstName: string;
  readonly myName: string;
  readonly subject: string;
  readonly lastContactDate: string;
  readonly daysSilent: string;
  readonly attempts: string;
}

/** Every placeholder a template may use, with what it stands for (shown in the template editor). */
export const PLACEHOLDERS: Readonly<Record<keyof TemplateValues, string>> = {
  firstName: "the prospect's first name",
  fullName: "the prospect's full name",
  company: "the prospect's company",
  myFirstName: "your first name",
  myName: "your full name",
  subject: "the original subject",
  lastContactDate: "the date of last contact",
  daysSilent: "how many days they have been silent",
  attempts: "how many attempts went unanswered",
};

/** A template that cannot be used, with the field and placeholder at fault. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly field: keyof TemplateSource,
    readonly placeholder?: string,
  ) {
    super(message);
    this.name = "TemplateError";
  }
}

type Segment = { readonly literal: string } | { readonly name: keyof TemplateValues };

const TOKEN = /\{\{\s*([^{}]*?)\s*\}\}/g;
const FIELDS: readonly (keyof TemplateSource)[] = ["subject", "html", "text", "voicemail"];

function parseField(source: string, field: keyof TemplateSource, label: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of source.matchAll(TOKEN)) {
    const name = match[1] ?? "";
    if (!(name in PLACEHOLDERS)) {
      throw new TemplateError(
        `Unknown placeholder {{${name}}} in the ${field} of ${label}. Known placeholders: ${Object.keys(
          PLACEHOLDERS,
        )
          .map((p) => `{{${p}}}`)
          .join(", ")}.`,
        field,
        name,
      );
    }
    segments.push({ literal: source.slice(last, match.index) }, { name: name as keyof TemplateValues });
    last = match.index + match[0].length;
  }
  const rest = source.slice(last);
  if (rest.includes("{{") || segments.some((s) => "literal" in s && s.literal.includes("{{"))) {
    throw new TemplateError(
      `Unclosed "{{" in the ${field} of ${label}: write placeholders as {{name}}.`,
      field,
    );
  }
  segments.push({ literal: rest });
  return segments;
}

/** A template checked once and ready to render many times. */
export interface CompiledTemplate {
  readonly source: TemplateSource;
  render(values: TemplateValues): RenderedMessage;
}

/** Checks a template and compiles it; throws TemplateError naming any unknown placeholder. */
export function compileTemplate(source: TemplateSource, label = "the template"): CompiledTemplate {
  for (const field of ["subject", "html", "text"] as const) {
    if (typeof source[field] !== "string")
      throw new TemplateError(`The ${field} of ${label} is missing.`, field);
  }
  if (source.voicemail !== undefined && typeof source.voicemail !== "string") {
    throw new TemplateError(`The voicemail of ${label} must be text.`, "voicemail");
  }
  if (!source.subject.trim()) throw new TemplateError(`The subject of ${label} is empty.`, "subject");
  const parsed = new Map<keyof TemplateSource, Segment[]>();
  for (const field of FIELDS) {
    const value = source[field];
    if (typeof value === "string") parsed.set(field, parseField(value, field, label));
  }
  const fill = (field: keyof TemplateSource, values: TemplateValues, escape: (s: string) => string) =>
    (parsed.get(field) ?? [])
      .map((s) => ("literal" in s ? s.literal : escape(cleanValue(values[s.name]))))
      .join("");
  return {
    source,
    render: (values) => ({
      subject: oneLine(fill("subject", values, (s) => s)),
      html: fill("html", values, escapeHtml),
      text: fill("text", values, (s) => s),
      voicemail: parsed.has("voicemail") ? fill("voicemail", values, (s) => s) : null,
    }),
  };
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function cleanValue(value: string): string {
  return stripControlCharacters(value);
}

function oneLine(value: string): string {
  return value.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/** Renders a template's techniques by name; a type helper for the built-in table. */
export type TemplateTable = Readonly<Record<Technique, TemplateSource>>;
