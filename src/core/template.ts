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

/** The values a template may use, all plain text taken from mail or settings; "" means "not known". */
export interface TemplateValues {
  readonly firstName: string;
  readonly greetingName: string;
  readonly fullName: string;
  readonly company: string;
  readonly myFirstName: string;
  readonly myName: string;
  readonly myPhone: string;
  readonly myCompany: string;
  readonly subject: string;
  readonly lastContactDate: string;
  readonly daysSilent: string;
  readonly attempts: string;
  readonly calls: string;
  readonly referrerName: string;
  readonly referrerFirstName: string;
  readonly predecessorName: string;
}

/** Every placeholder a template may use, with what it stands for (shown in the template editor). */
export const PLACEHOLDERS: Readonly<Record<keyof TemplateValues, string>> = Object.freeze({
  firstName: 'how to greet the prospect: first name, "Mr Smith" for titled names, "there" for departments',
  greetingName: "the same as {{firstName}}",
  fullName: "the prospect's full name",
  company: "the prospect's company",
  myFirstName: "your first name",
  myName: "your full name",
  myPhone: "your phone number (settings, else your mobile, else your business phone)",
  myCompany: "your company (settings, else your profile)",
  subject: "the topic of the conversation (its subject without RE:, FW: or [EXTERNAL])",
  lastContactDate: "the date of last contact",
  daysSilent: "how many days they have been silent",
  attempts: "how many attempts went unanswered",
  calls: 'the calls you logged, such as "tried your phone twice"; empty when none were logged',
  referrerName: "who introduced you, when someone did",
  referrerFirstName: "the first name of who introduced you",
  predecessorName: "the person who left, in an introduction to their successor",
});

/** How sections work, in words for the template editor. */
export const SECTION_HELP =
  "Wrap text in {{#name}}…{{/name}} to keep it only when that placeholder has a value, or in {{^name}}…{{/name}} to keep it only when it has none.";

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

/** A piece of a parsed template: text as written, a value, or a section shown when a value is (not) empty. */
type Segment =
  | { readonly literal: string }
  | { readonly name: keyof TemplateValues }
  | { readonly section: keyof TemplateValues; readonly inverted: boolean; readonly body: readonly Segment[] };

const TOKEN = /\{\{\s*([#^/]?)\s*([^{}]*?)\s*\}\}/g;
const FIELDS: readonly (keyof TemplateSource)[] = ["subject", "html", "text", "voicemail"];

/** True for a name in the placeholder table itself; "constructor", "__proto__" and "toString" are not. */
function isPlaceholder(name: string): name is keyof TemplateValues {
  return Object.hasOwn(PLACEHOLDERS, name);
}

function parseField(source: string, field: keyof TemplateSource, label: string): Segment[] {
  const where = `in the ${field} of ${label}`;
  const root: Segment[] = [];
  const open: { name: keyof TemplateValues; inverted: boolean; body: Segment[] }[] = [];
  const current = () => open.at(-1)?.body ?? root;
  const unclosed = (text: string) => {
    if (text.includes("{{")) {
      throw new TemplateError(`Unclosed "{{" ${where}: write placeholders as {{name}}.`, field);
    }
  };
  let last = 0;
  for (const match of source.matchAll(TOKEN)) {
    const sigil = match[1] ?? "";
    const name = match[2] ?? "";
    const tag = `{{${sigil}${name}}}`;
    if (!isPlaceholder(name)) {
      throw new TemplateError(
        `Unknown placeholder {{${name}}}${sigil ? ` in ${tag}` : ""} ${where}. Known placeholders: ${Object.keys(
          PLACEHOLDERS,
        )
          .map((p) => `{{${p}}}`)
          .join(", ")}.`,
        field,
        name,
      );
    }
    const literal = source.slice(last, match.index);
    unclosed(literal);
    current().push({ literal });
    last = match.index + match[0].length;
    if (sigil === "") {
      current().push({ name });
    } else if (sigil === "/") {
      const section = open.pop();
      if (!section) {
        throw new TemplateError(`${tag} ${where} closes a section that was never opened.`, field, name);
      }
      if (section.name !== name) {
        const opener = `{{${section.inverted ? "^" : "#"}${section.name}}}`;
        throw new TemplateError(
          `${opener} ${where} is closed by ${tag}; close it with {{/${section.name}}}.`,
          field,
          name,
        );
      }
      current().push({ section: section.name, inverted: section.inverted, body: section.body });
    } else {
      open.push({ name, inverted: sigil === "^", body: [] });
    }
  }
  const rest = source.slice(last);
  unclosed(rest);
  const dangling = open.at(-1);
  if (dangling) {
    throw new TemplateError(
      `{{${dangling.inverted ? "^" : "#"}${dangling.name}}} ${where} is never closed: add {{/${dangling.name}}}.`,
      field,
      dangling.name,
    );
  }
  root.push({ literal: rest });
  return root;
}

/** A value as it may appear in a message: its own property only, control characters removed. */
function valueOf(values: TemplateValues, name: keyof TemplateValues): string {
  const value: unknown = Object.hasOwn(values, name) ? values[name] : "";
  return typeof value === "string" ? cleanValue(value) : "";
}

function fill(segments: readonly Segment[], values: TemplateValues, escape: (s: string) => string): string {
  let out = "";
  for (const s of segments) {
    if ("literal" in s) out += s.literal;
    else if ("name" in s) out += escape(valueOf(values, s.name));
    else if ((valueOf(values, s.section).trim() !== "") !== s.inverted) out += fill(s.body, values, escape);
  }
  return out;
}

/** A template checked once and ready to render many times. */
export interface CompiledTemplate {
  readonly source: TemplateSource;
  render(values: TemplateValues): RenderedMessage;
}

/**
 * Checks a template and compiles it; throws TemplateError naming any unknown placeholder or unbalanced section.
 * `{{name}}` inserts a value; `{{#name}}…{{/name}}` keeps its content only when the value is not empty, and
 * `{{^name}}…{{/name}}` only when it is.
 */
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
  const plain = (s: string) => s;
  const part = (field: keyof TemplateSource, values: TemplateValues, escape: (s: string) => string) =>
    fill(parsed.get(field) ?? [], values, escape);
  return {
    source,
    render: (values) => ({
      subject: oneLine(part("subject", values, plain)),
      html: part("html", values, escapeHtml),
      text: part("text", values, plain),
      voicemail: parsed.has("voicemail") ? part("voicemail", values, plain) : null,
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
