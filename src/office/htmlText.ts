// HTML to plain text through the browser's own parser (DOMParser, which runs no script and loads nothing). One
// reader for the pane: the plain-text compose body (OutlookHost) and the plain text of template HTML (draftBody).
const BLOCKS = new Set([
  "P",
  "DIV",
  "LI",
  "UL",
  "OL",
  "BLOCKQUOTE",
  "TR",
  "TABLE",
  "H1",
  "H2",
  "H3",
  "H4",
  "H5",
  "H6",
]);
const NO_TEXT = new Set(["SCRIPT", "STYLE", "TEMPLATE", "HEAD", "TITLE", "NOSCRIPT"]);

/**
 * Plain text for a plain-text compose body, read by the browser's own HTML parser (DOMParser, which runs no script
 * and loads nothing): paragraphs and list items on their own lines, <br> as a line break, entities decoded once,
 * and nothing of scripts or styles.
 */
export function htmlToText(html: string): string {
  if (typeof DOMParser !== "function") throw new Error("HTML cannot be read here (no DOMParser).");
  const doc = new DOMParser().parseFromString(html, "text/html");
  const out: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === 3) {
      out.push((node.textContent ?? "").replace(/[ \t\r\n]+/g, " "));
      return;
    }
    if (node.nodeType !== 1 || NO_TEXT.has(node.nodeName)) return;
    if (node.nodeName === "BR") {
      out.push("\n");
      return;
    }
    const block = BLOCKS.has(node.nodeName);
    if (block) out.push("\n\n");
    if (node.nodeName === "LI") out.push("- ");
    node.childNodes.forEach(walk);
    if (block) out.push("\n\n");
  };
  doc.body.childNodes.forEach(walk);
  return out
    .join("")
    .replace(/[ \t]*\n[ \t]*/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
