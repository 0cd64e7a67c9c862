// The message the user edits is plain text; it becomes HTML only here, escaped, so nothing typed or taken
// from mail can turn into markup. Template HTML written in the advanced mode goes through DOMPurify, keeping only a
// small set of formatting tags, both when it is saved and whenever it is rendered.
import DOMPurify from "dompurify";
import { escapeHtml } from "../../core/template";
import { htmlToText } from "../../office/htmlText";

/** The formatting a template's HTML may keep: no images, scripts, styles, forms or event attributes. */
const TEMPLATE_HTML = {
  ALLOWED_TAGS: ["p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "a", "blockquote"],
  ALLOWED_ATTR: ["href"],
  ALLOWED_URI_REGEXP: /^(?:https?|mailto):/i,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
};

/** Template HTML with only the allowed formatting left; links only to http, https or mailto. */
export function sanitizeTemplateHtml(html: string): string {
  if (!DOMPurify.isSupported) throw new Error("HTML cannot be checked here (no DOM): refusing to use it.");
  return DOMPurify.sanitize(html, TEMPLATE_HTML);
}

/** The plain text of template HTML: sanitised, then read as the compose body's plain text is. */
export function templateHtmlToText(html: string): string {
  return htmlToText(sanitizeTemplateHtml(html));
}

/** Plain text to HTML paragraphs: blank lines split paragraphs, single newlines become <br>. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
}

/**
 * The HTML to insert: the composed HTML when the user left the text as composed (sanitised again when it came from
 * the user's own template, which may predate the sanitiser), otherwise the edited text as escaped paragraphs.
 */
export function htmlToInsert(
  draft: { readonly html: string; readonly text: string },
  edited: string,
  ownTemplate = false,
): string {
  if (edited !== draft.text) return textToHtml(edited);
  return ownTemplate ? sanitizeTemplateHtml(draft.html) : draft.html;
}

/** A complete, script-free document for showing composed HTML in a sandboxed iframe. */
export function previewDocument(html: string, dark: boolean): string {
  const colors = dark ? "color:#f0f0f0;background:#292929" : "color:#242424;background:#ffffff";
  return (
    `<!doctype html><html><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
    `<style>body{font:14px/1.4 'Segoe UI',system-ui,sans-serif;margin:8px;${colors}}</style>` +
    `</head><body>${html}</body></html>`
  );
}
