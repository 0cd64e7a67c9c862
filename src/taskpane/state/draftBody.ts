// The message the user edits is plain text; it becomes HTML only here, escaped, so nothing typed or taken
// from mail can turn into markup.
import { escapeHtml } from "../../core/template";

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
 * The HTML to insert: the composed (already escaped) HTML when the user left the text as composed, otherwise
 * the edited text as escaped paragraphs.
 */
export function htmlToInsert(
  draft: { readonly html: string; readonly text: string },
  edited: string,
): string {
  return edited === draft.text ? draft.html : textToHtml(edited);
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
