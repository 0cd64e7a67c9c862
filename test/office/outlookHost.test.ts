import { OutlookHost, ReplyTooLongError, themeFrom } from "../../src/office/outlookHost";
import { fakeOffice } from "./fakeOffice";

const draftsCreated: { id: string; html: string }[] = [];
const marksGiven: object[] = [];
const createReplyDraft = async (id: string, html: string, marks: object) => {
  draftsCreated.push({ id, html });
  marksGiven.push(marks);
  return { id: `draft-of-${id}` };
};
const request = (conversationId: string, html = "<p>Hi Dana</p>") => ({
  conversationId,
  replyToMessageId: "graph-msg-7",
  html,
});

beforeEach(() => {
  draftsCreated.splice(0);
  marksGiven.splice(0);
});

describe("outlookHost.ts", () => {
  describe("openItem", () => {
    it("should report a read item with its REST id and conversation", () => {
      const office = fakeOffice({ mode: "read", conversationId: "conv-9" });
      expect(new OutlookHost(office, createReplyDraft).openItem()).toEqual({
        mode: "read",
        itemId: "REST(EWS-ID-1)",
        conversationId: "conv-9",
      });
    });

    it("should report compose mode, with a null conversation for a new message", () => {
      const office = fakeOffice({ mode: "compose" });
      expect(new OutlookHost(office, createReplyDraft).openItem()).toEqual({
        mode: "compose",
        conversationId: null,
      });
    });

    it("should report nothing when no item is open", () => {
      expect(new OutlookHost(fakeOffice({ mode: "none" }), createReplyDraft).openItem()).toBeNull();
    });
  });

  describe("insertReply", () => {
    it("should open a reply-all form with the HTML for the conversation open in read mode (Mailbox 1.9)", async () => {
      const office = fakeOffice({ mode: "read", conversationId: "conv-open" });
      const outcome = await new OutlookHost(office, createReplyDraft).insertReply(request("conv-open"));
      expect(outcome).toEqual({ kind: "reply-form-opened" });
      expect(office.calls.filter((c) => c.method.startsWith("displayReplyAll"))).toEqual([
        { method: "displayReplyAllFormAsync", args: [{ htmlBody: "<p>Hi Dana</p>" }] },
      ]);
      expect(draftsCreated).toEqual([]);
    });

    it("should fall back to displayReplyAllForm below Mailbox 1.9", async () => {
      const office = fakeOffice({ mode: "read", sets: { Mailbox: "1.8" } });
      await new OutlookHost(office, createReplyDraft).insertReply(request("conv-open"));
      expect(office.calls.map((c) => c.method)).toContain("displayReplyAllForm");
      expect(office.calls.map((c) => c.method)).not.toContain("displayReplyAllFormAsync");
    });

    it("should refuse HTML over 32 KB with a clear error and open nothing", async () => {
      const office = fakeOffice({ mode: "read" });
      const big = `<p>${"x".repeat(33 * 1024)}</p>`;
      await expect(
        new OutlookHost(office, createReplyDraft).insertReply(request("conv-open", big)),
      ).rejects.toThrow(ReplyTooLongError);
      await expect(
        new OutlookHost(office, createReplyDraft).insertReply(request("conv-open", big)),
      ).rejects.toThrow(/at most 32 KB/);
      expect(office.calls.filter((c) => c.method.startsWith("displayReplyAll"))).toEqual([]);
    });

    it("should insert at the cursor in compose mode, never replacing the body", async () => {
      const office = fakeOffice({ mode: "compose" });
      const outcome = await new OutlookHost(office, createReplyDraft).insertReply(request("conv-any"));
      expect(outcome).toEqual({ kind: "inserted-at-cursor", marked: false, subjectSet: false });
      expect(office.calls).toEqual([
        { method: "setSelectedDataAsync", args: ["<p>Hi Dana</p>", { coercionType: "html" }] },
      ]);
    });

    it("should mark the composed message with the technique header where Mailbox 1.8 is supported", async () => {
      const office = fakeOffice({ mode: "compose" });
      const outcome = await new OutlookHost(office, createReplyDraft).insertReply({
        ...request("conv-any"),
        technique: "are-you-ok",
      });
      expect(outcome).toEqual({ kind: "inserted-at-cursor", marked: true, subjectSet: false });
      expect(office.compose.headers).toEqual({ "x-rekindle-technique": "are-you-ok" });
    });

    it.each([
      ["Mailbox 1.7 only", { sets: { Mailbox: "1.7" } }],
      ["setAsync failing", { headersFailWith: "Header quota exhausted" }],
    ])("should still insert, unmarked, with %s", async (_, extra) => {
      const office = fakeOffice({ mode: "compose", ...extra });
      const outcome = await new OutlookHost(office, createReplyDraft).insertReply({
        ...request("conv-any"),
        technique: "nudge",
      });
      expect(outcome).toMatchObject({ kind: "inserted-at-cursor", marked: false });
      expect(office.compose.headers).toEqual({});
      expect(office.calls[0]?.method).toBe("setSelectedDataAsync");
    });

    it("should set the subject in compose mode only when asked, keeping Outlook's RE: prefix", async () => {
      const office = fakeOffice({ mode: "compose", subject: "RE: Proposal" });
      const host = new OutlookHost(office, createReplyDraft);
      await host.insertReply(request("conv-any"));
      expect(office.compose.subject).toBe("RE: Proposal");
      const outcome = await host.insertReply({ ...request("conv-any"), subject: "Should I close the file?" });
      expect(outcome).toMatchObject({ subjectSet: true });
      expect(office.compose.subject).toBe("RE: Should I close the file?");
    });

    it("should never mark or retitle a reply form opened in read mode", async () => {
      const office = fakeOffice({ mode: "read", conversationId: "conv-open" });
      const outcome = await new OutlookHost(office, createReplyDraft).insertReply({
        ...request("conv-open"),
        technique: "nudge",
        subject: "Nudge",
      });
      expect(outcome).toEqual({ kind: "reply-form-opened" });
      expect(office.calls.map((c) => c.method)).toEqual(["convertToRestId", "displayReplyAllFormAsync"]);
    });

    it("should pass on Outlook's failure when the insert fails", async () => {
      const office = fakeOffice({ mode: "compose", failWith: "The item is read-only" });
      await expect(new OutlookHost(office, createReplyDraft).insertReply(request("c"))).rejects.toThrow(
        "The item is read-only",
      );
    });

    it("should give a Graph draft the template's subject and the technique's mark, which a reply form cannot carry", async () => {
      const office = fakeOffice({ mode: "read", conversationId: "conv-open" });
      const host = new OutlookHost(office, createReplyDraft);
      await host.insertReply({
        ...request("conv-other"),
        technique: "should-i-close-the-file",
        draftSubject: "SHOULD I CLOSE THE FILE???",
      });
      expect(marksGiven).toEqual([
        { subject: "SHOULD I CLOSE THE FILE???", technique: "should-i-close-the-file" },
      ]);
      // The open conversation's reply form keeps the thread's subject: nothing there takes one.
      await host.insertReply({ ...request("conv-open"), draftSubject: "Ignored here" });
      expect(marksGiven).toHaveLength(1);
    });

    it("should create a Graph draft for another conversation and open it by its EWS id", async () => {
      const office = fakeOffice({ mode: "read", conversationId: "conv-open" });
      const outcome = await new OutlookHost(office, createReplyDraft).insertReply(request("conv-other"));
      expect(draftsCreated).toEqual([{ id: "graph-msg-7", html: "<p>Hi Dana</p>" }]);
      expect(outcome).toEqual({
        kind: "draft-created",
        draftId: "draft-of-graph-msg-7",
        opened: true,
        where: "Drafts folder",
      });
      expect(office.calls.filter((c) => c.method !== "convertToRestId")).toEqual([
        { method: "convertToEwsId", args: ["draft-of-graph-msg-7", "v2.0"] },
        { method: "displayMessageForm", args: ["EWS(draft-of-graph-msg-7)"] },
      ]);
    });

    it("should say where the draft is when the client cannot open it", async () => {
      const office = fakeOffice({ mode: "none", sets: { Mailbox: "1.1" } });
      const outcome = await new OutlookHost(office, createReplyDraft).insertReply(request("conv-other"));
      expect(outcome).toEqual({
        kind: "draft-created",
        draftId: "draft-of-graph-msg-7",
        opened: false,
        where: "Drafts folder",
      });
      expect(office.calls.map((c) => c.method)).not.toContain("displayMessageForm");
    });
  });

  describe("theme", () => {
    it.each([
      ["#000000", true],
      ["#262626", true],
      ["#FFFFFF", false],
      ["#f3f2f1", false],
      [undefined, false],
      ["not a colour", false],
    ])("should read body background %s as dark=%s", (bodyBackgroundColor, isDark) => {
      expect(themeFrom(bodyBackgroundColor === undefined ? undefined : { bodyBackgroundColor }).isDark).toBe(
        isDark,
      );
    });

    it("should follow OfficeThemeChanged (Mailbox 1.14) and stop when unsubscribed", () => {
      const office = fakeOffice({ theme: { bodyBackgroundColor: "#ffffff" } });
      const host = new OutlookHost(office, createReplyDraft);
      expect(host.theme().isDark).toBe(false);
      const seen: boolean[] = [];
      const stop = host.onThemeChanged((t) => seen.push(t.isDark));
      office.emitTheme({ bodyBackgroundColor: "#1f1f1f", bodyForegroundColor: "#ffffff" });
      stop();
      office.emitTheme({ bodyBackgroundColor: "#ffffff" });
      expect(seen).toEqual([true]);
      expect(office.calls.map((c) => c.method)).toEqual(["addHandlerAsync", "removeHandlerAsync"]);
    });

    it("should not subscribe where the event is not supported", () => {
      const office = fakeOffice({ sets: { Mailbox: "1.9" } });
      new OutlookHost(office, createReplyDraft).onThemeChanged(() => {})();
      expect(office.calls).toEqual([]);
    });
  });

  describe("onItemChanged", () => {
    it("should tell the pinned pane when Outlook selects another message (ItemChanged, Mailbox 1.5)", () => {
      const office = fakeOffice({ mode: "read", conversationId: "conv-first", sets: { Mailbox: "1.5" } });
      const host = new OutlookHost(office, createReplyDraft);
      const seen: (string | null)[] = [];
      const stop = host.onItemChanged(() => {
        const item = host.openItem();
        seen.push(item?.mode === "read" ? item.conversationId : null);
      });
      office.selectItem("conv-second");
      stop();
      office.selectItem("conv-third");
      expect(seen).toEqual(["conv-second"]);
      expect(office.calls.map((c) => [c.method, c.args[0]])).toEqual([
        ["addHandlerAsync", "olkItemSelectedChanged"],
        ["convertToRestId", "EWS-conv-second"],
        ["removeHandlerAsync", "olkItemSelectedChanged"],
      ]);
    });

    it("should not subscribe where pinning is not supported", () => {
      const office = fakeOffice({ sets: { Mailbox: "1.4" } });
      new OutlookHost(office, createReplyDraft).onItemChanged(() => {})();
      expect(office.calls).toEqual([]);
    });
  });

  describe("where the user is", () => {
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    it.each([
      ["W. Europe Standard Time", "Europe/Berlin"],
      ["Eastern Standard Time", "America/New_York"],
      ["GMT Standard Time", "Europe/London"],
      ["Tokyo Standard Time", "Asia/Tokyo"],
      ["Europe/Paris", "Europe/Paris"],
      ["Not A Real Zone", browserZone],
      ["", browserZone],
      [undefined, browserZone],
    ])("should read Outlook's zone %j as %j", (outlookZone, iana) => {
      const office = fakeOffice(outlookZone === undefined ? {} : { userTimeZone: outlookZone });
      expect(new OutlookHost(office, createReplyDraft).timeZone()).toBe(iana);
    });

    it("should take the locale from Office's display language, else the browser's", () => {
      expect(new OutlookHost(fakeOffice({ displayLanguage: "de-DE" }), createReplyDraft).locale()).toBe(
        "de-DE",
      );
      const fallback = new OutlookHost(fakeOffice(), createReplyDraft).locale();
      expect(Intl.DateTimeFormat.supportedLocalesOf([fallback])).toHaveLength(1);
    });
  });

  describe("openNewMessage", () => {
    const message = {
      to: [{ address: "sam@acme.example", name: "Sam <b>Lee</b>" }],
      subject: "Introduction",
      html: "<p>Hello Sam</p>",
    };
    it("should open a new message form addressed to the successor, never sending", async () => {
      const office = fakeOffice();
      const outcome = await new OutlookHost(office, createReplyDraft).openNewMessage(message);
      expect(outcome).toEqual({ kind: "new-message-opened" });
      expect(office.calls.filter((c) => c.method === "displayNewMessageForm")).toEqual([
        {
          method: "displayNewMessageForm",
          args: [
            {
              toRecipients: [{ emailAddress: "sam@acme.example", displayName: "Sam <b>Lee</b>" }],
              subject: "Introduction",
              htmlBody: "<p>Hello Sam</p>",
            },
          ],
        },
      ]);
    });

    it("should say so when Outlook cannot open a new message", async () => {
      const host = new OutlookHost(fakeOffice({ withoutNewMessageForm: true }), createReplyDraft);
      await expect(host.openNewMessage(message)).rejects.toThrow(/cannot open a new message/);
    });

    it("should refuse a body over 32 KB", async () => {
      const office = fakeOffice();
      const host = new OutlookHost(office, createReplyDraft);
      await expect(host.openNewMessage({ ...message, html: "x".repeat(40_000) })).rejects.toThrow(
        ReplyTooLongError,
      );
      expect(office.calls.some((c) => c.method === "displayNewMessageForm")).toBe(false);
    });
  });

  describe("htmlToText", () => {
    it("should use the converter the composition root gives", async () => {
      const office = fakeOffice({ mode: "compose", bodyType: "text" });
      await new OutlookHost(office, createReplyDraft, (html) => `[${html.length}]`).insertReply(
        request("c", "<p>Hi</p>"),
      );
      expect(office.calls[0]!.args[0]).toBe("[9]");
    });
  });
});
