/** @jest-environment jsdom */
// Plain text for a plain-text compose body, read with the browser's HTML parser (jsdom's DOMParser here).
import { htmlToText, OutlookHost } from "../../src/office/outlookHost";
import { fakeOffice } from "./fakeOffice";

const createReplyDraft = async () => ({ id: "draft-1" });
const request = (conversationId: string, html: string) => ({ conversationId, replyToMessageId: "m1", html });

describe("outlookHost.ts htmlToText", () => {
  it.each([
    ["<p>A &amp;lt; B</p><br/>C", "A &lt; B\n\nC"],
    ["<p>Hi &lt;Dana&gt;</p><p>Bye</p>", "Hi <Dana>\n\nBye"],
    ["<p>one<br>two</p>", "one\ntwo"],
    ["<ul><li>a</li><li><b>b</b></li></ul>", "- a\n\n- b"],
    ["<p>x</p><script>alert(1)</script><style>p{}</style>", "x"],
    ["<p>  lots   of\n space </p>", "lots of space"],
    ["a &nbsp;&quot;b&quot; &#39;c&#x27; &eacute;", "a \u00a0\"b\" 'c' é"],
    ['<p title="<b>no</b>">t</p><!-- <p>hidden</p> -->', "t"],
  ])("should read %j as %j", (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
  it("should insert plain text into a plain-text compose body", async () => {
    const office = fakeOffice({ mode: "compose", bodyType: "text" });
    await new OutlookHost(office, createReplyDraft).insertReply(
      request("c", "<p>Hi &lt;Dana&gt;</p><p>Bye</p>"),
    );
    expect(office.calls[0]).toEqual({
      method: "setSelectedDataAsync",
      args: ["Hi <Dana>\n\nBye", { coercionType: "text" }],
    });
  });
});
