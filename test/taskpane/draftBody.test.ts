import fc from "fast-check";
import { htmlToInsert, previewDocument, textToHtml } from "../../src/taskpane/state/draftBody";

describe("draftBody.ts", () => {
  describe("textToHtml", () => {
    it.each([
      ["Hi Dana,\n\nThanks.", "<p>Hi Dana,</p>\n<p>Thanks.</p>"],
      ["one\ntwo", "<p>one<br>two</p>"],
      ["a\r\n\r\n\r\nb", "<p>a</p>\n<p>b</p>"],
      ["<img src=x onerror=alert(1)> & 'q'", "<p>&lt;img src=x onerror=alert(1)&gt; &amp; &#39;q&#39;</p>"],
      ["   \n\n  ", ""],
    ])("should turn %j into %j", (text, html) => {
      expect(textToHtml(text)).toBe(html);
    });

    it("should never let typed text become markup", () => {
      fc.assert(
        fc.property(fc.string(), (text) => {
          const stripped = textToHtml(text).replace(/<\/?p>|<br>/g, "");
          expect(stripped).not.toMatch(/[<>"]/);
        }),
      );
    });
  });

  describe("htmlToInsert", () => {
    it("should keep the composed HTML when the text is unchanged and escape it otherwise", () => {
      const draft = { html: "<p>Hi <b>Dana</b></p>", text: "Hi Dana" };
      expect(htmlToInsert(draft, "Hi Dana")).toBe("<p>Hi <b>Dana</b></p>");
      expect(htmlToInsert(draft, "Hi <b>Dana</b>")).toBe("<p>Hi &lt;b&gt;Dana&lt;/b&gt;</p>");
    });
  });

  describe("previewDocument", () => {
    it("should forbid scripts with a CSP in the document", () => {
      expect(previewDocument("<p>x</p>", false)).toContain(
        `content="default-src 'none'; style-src 'unsafe-inline'"`,
      );
    });
  });
});
