/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { detectAwaitingReply } from "../../src/core/awaitingReply";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { EMPTY_USER_STATE } from "../../src/core/userState";
import { DAY_MS, instant, type MailMessage } from "../../src/core/message";
import { App } from "../../src/taskpane/App";
import { SyncProblem, type SyncProgress } from "../../src/taskpane/services";
import type { JudgedList } from "../../src/taskpane/state/reportLists";
import { NOW, demoMailbox, fakeServices, giveElementsAHeight, judgingOverChannel } from "./fakeServices";

beforeAll(() => giveElementsAHeight());

/** For waits on a re-classification, which a loaded machine (2 shared cores) can take longer than 1 s to show. */
const SLOW = { timeout: 5_000 };

const staleReports = () =>
  detectAwaitingReply(demoMailbox(), {
    now: NOW,
    settings: DEFAULT_SETTINGS,
    userState: EMPTY_USER_STATE,
  }).filter((r) => r.state === "stale");

const DEMO_OUTCOME = { kind: "demo", to: ["priya@contoso.com"], subject: "RE: x", html: "<p>x</p>" } as const;

async function renderApp(services = fakeServices()) {
  const user = userEvent.setup();
  const view = render(<App services={services} />);
  await screen.findByRole("listbox", { name: "Conversations" });
  // The first judgement of the demo mailbox: over a second on a loaded machine (2 shared cores).
  await waitFor(() => expect(options().length).toBeGreaterThan(0), SLOW);
  return { user, services, view };
}

const listbox = () => screen.getByRole("listbox", { name: "Conversations" });
const options = () => within(listbox()).queryAllByRole("option");
const optionFor = (text: string) => options().find((o) => o.textContent?.includes(text))!;
const toasts = () => screen.getAllByTestId("undo-toast");

/** Opens "More actions" in the detail's action bar and picks an item, through a submenu when given. */
async function moreActions(user: ReturnType<typeof userEvent.setup>, item: string, submenuItem?: string) {
  const detail = await screen.findByTestId("conversation-detail");
  await user.click(within(detail).getByRole("button", { name: "More actions" }));
  await user.click(await screen.findByRole("menuitem", { name: item }));
  if (submenuItem) await user.click(await screen.findByRole("menuitem", { name: submenuItem }));
}

describe("App.tsx", () => {
  describe("the list", () => {
    it("should show every stale conversation by score, with prospect, company, subject, silence, attempts and technique", async () => {
      await renderApp();
      const expected = staleReports().sort((a, b) => b.score - a.score || b.darkDays - a.darkDays);
      expect(options()).toHaveLength(expected.length);
      const first = options()[0]!;
      const top = expected[0]!;
      expect(first).toHaveTextContent(top.prospects[0]!.name);
      expect(first).toHaveTextContent(top.prospects[0]!.company);
      expect(first).toHaveTextContent(top.subject);
      expect(first).toHaveTextContent(`${top.darkDays} days silent`);
      expect(first).toHaveTextContent(`· ${top.score}`);
      expect(first).toHaveAccessibleName(expect.stringContaining(`score ${top.score}`));
      expect(screen.getByText(`${expected.length} conversations`)).toBeInTheDocument();
    });

    it("should paint the list as last judged before the mailbox is read, without a conversation whose user state changed since", async () => {
      const reports = staleReports();
      const snoozedSince = reports[0]!;
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const services = fakeServices({
        cached: demoMailbox(),
        cachedAfter: held,
        kept: { reports, userState: EMPTY_USER_STATE },
        userState: {
          ...EMPTY_USER_STATE,
          snoozes: { [snoozedSince.conversationId]: instant(NOW + 7 * DAY_MS) },
        },
      });
      render(<App services={services} />);
      await screen.findByRole("listbox", { name: "Conversations" });
      await waitFor(() => expect(options()).toHaveLength(reports.length - 1));
      expect(
        options().some((o) => o.getAttribute("data-conversation-id") === snoozedSince.conversationId),
      ).toBe(false);
      expect(services.syncCalls.count).toBe(0);
      // Then the mailbox is read and judged again, and that judgement is kept for the next open.
      act(() => release());
      await waitFor(() => expect(services.keptLists.length).toBeGreaterThan(0), SLOW);
      const kept = services.keptLists[services.keptLists.length - 1] as {
        reports: { conversationId: string }[];
      };
      expect(kept.reports.length).toBeGreaterThan(0);
      expect(options()).toHaveLength(reports.length - 1);
    });

    it("should judge in the worker when there is one: the same list, a snooze re-judged there alone, and the worker keeping the list", async () => {
      const worker = judgingOverChannel();
      // The sync finds the cached mailbox as it is: one judgement of every conversation, then only re-judgements.
      const mailbox = demoMailbox();
      const { user, services } = await renderApp(
        fakeServices({ cached: mailbox, mailbox, kept: null, judging: worker.judging }),
      );
      const expected = staleReports();
      await waitFor(() => expect(options()).toHaveLength(expected.length), SLOW);
      // The worker judged everything and kept it; the pane's own store was not asked to.
      await waitFor(() => expect(worker.kept.length).toBeGreaterThan(0), SLOW);
      expect(services.keptLists).toHaveLength(0);
      const top = optionFor(expected[0]!.prospects[0]!.name);
      await user.click(top);
      await moreActions(user, "Snooze", "1 week");
      await waitFor(() => expect(options()).toHaveLength(expected.length - 1), SLOW);
      // The list drops the snoozed row at once; the worker's re-judgement is asked for over the channel, so it may
      // arrive a moment later.
      await waitFor(() => expect(worker.received.some((m) => m.t === "rejudge")).toBe(true), SLOW);
      const rejudged = worker.received.filter((m) => m.t === "rejudge");
      expect(rejudged[rejudged.length - 1]).toMatchObject({ ids: [expected[0]!.conversationId] });
      // …and kept the list with the snooze in it, so the next open shows it at once.
      await waitFor(() => {
        const last = worker.kept[worker.kept.length - 1] as JudgedList;
        expect(last.reports.find((r) => r.conversationId === expected[0]!.conversationId)?.state).toBe(
          "snoozed",
        );
      }, SLOW);
      await user.click(within(toasts()[0]!).getByRole("button", { name: "Undo" }));
      await waitFor(() => expect(options()).toHaveLength(expected.length), SLOW);
      // Only ever one judgement of every conversation: the actions were re-judged alone.
      expect(worker.received.filter((m) => m.t === "judgeAll")).toHaveLength(1);
      worker.judging.close();
    });

    it("should judge on its own thread when the worker fails", async () => {
      const worker = judgingOverChannel();
      worker.judging.close();
      await renderApp(fakeServices({ cached: demoMailbox(), judging: worker.judging }));
      expect(options()).toHaveLength(staleReports().length);
    });

    it("should ignore a kept list it cannot read and paint once the mailbox is judged", async () => {
      await renderApp(fakeServices({ cached: demoMailbox(), kept: { reports: "nonsense" } }));
      expect(options()).toHaveLength(staleReports().length);
    });

    it("should sort by days silent and by attempts", async () => {
      const { user } = await renderApp();
      await user.selectOptions(screen.getByLabelText("Sort by"), "silence");
      const bySilence = staleReports()
        .map((r) => r.darkDays)
        .sort((a, b) => b - a);
      expect(
        options().map((o) =>
          Number(/(\d+) days silent/.exec(o.querySelector("[data-testid=row-facts]")?.textContent ?? "")![1]),
        ),
      ).toEqual(bySilence);
      await user.selectOptions(screen.getByLabelText("Sort by"), "attempts");
      const shown = options().map((o) =>
        Number(/(\d+) attempts?/.exec(o.querySelector("[data-testid=row-facts]")?.textContent ?? "")![1]),
      );
      expect(shown).toEqual([...shown].sort((a, b) => b - a));
    });

    it("should filter by state and technique, and search names, companies and subjects", async () => {
      const { user } = await renderApp();
      await user.selectOptions(screen.getByLabelText("Show"), "bounced");
      expect(options()).toHaveLength(1);
      expect(options()[0]).toHaveTextContent("Alpine Ski");
      await user.selectOptions(screen.getByLabelText("Show"), "stale");
      await user.selectOptions(screen.getByLabelText("Technique"), "are-you-ok");
      expect(options().length).toBeGreaterThan(0);
      for (const o of options()) expect(o).toHaveTextContent("Are you OK?");
      await user.selectOptions(screen.getByLabelText("Technique"), "all");
      await user.type(screen.getByRole("searchbox"), "proseware");
      expect(options()).toHaveLength(1);
      expect(options()[0]).toHaveTextContent("Lukas Schmidt");
      await user.clear(screen.getByRole("searchbox"));
      await user.type(screen.getByRole("searchbox"), "no such prospect");
      expect(options()).toHaveLength(0);
      expect(screen.getByText("0 conversations")).toBeInTheDocument();
    });

    it("should keep only a window of rows in the DOM when there are thousands", async () => {
      const base = demoMailbox();
      const template = base.messages.find((m) => m.conversationId === "conv-nudge")!;
      const messages = Array.from({ length: 3000 }, (_, i) => ({
        ...template,
        id: `bulk-${i}`,
        conversationId: `bulk-conv-${i}`,
        to: [{ address: `p${i}@company${i}.com`, name: `Prospect ${i}` }],
        sentAt: (NOW - (10 + (i % 50)) * DAY_MS) as typeof template.sentAt,
        receivedAt: (NOW - (10 + (i % 50)) * DAY_MS) as typeof template.sentAt,
      }));
      await renderApp(fakeServices({ mailbox: { me: base.me, messages } }));
      expect(screen.getByText("3000 conversations")).toBeInTheDocument();
      expect(options().length).toBeGreaterThan(5);
      expect(options().length).toBeLessThanOrEqual(60);
      expect(options()[0]).toHaveAttribute("aria-setsize", "3000");
    });

    it("should move the selection with the arrow keys", async () => {
      const { user } = await renderApp();
      const list = screen.getByRole("listbox", { name: "Conversations" });
      list.focus();
      await user.keyboard("{ArrowDown}");
      expect(options()[0]).toHaveAttribute("aria-selected", "true");
      expect(list).toHaveAttribute("aria-activedescendant", options()[0]!.id);
      await user.keyboard("{ArrowDown}");
      expect(options()[1]).toHaveAttribute("aria-selected", "true");
      await user.keyboard("{Home}");
      expect(options()[0]).toHaveAttribute("aria-selected", "true");
    });

    it("should select the conversation open in Outlook first", async () => {
      await renderApp(
        fakeServices({ openItem: { mode: "read", itemId: "demo-8", conversationId: "conv-proposal" } }),
      );
      const detail = await screen.findByTestId("conversation-detail");
      expect(within(detail).getByRole("heading", { name: "Lukas Schmidt" })).toBeInTheDocument();
      expect(optionFor("Lukas Schmidt")).toHaveAttribute("aria-selected", "true");
    });

    it("should follow Outlook to another message while the pane is pinned", async () => {
      const services = fakeServices({
        openItem: { mode: "read", itemId: "demo-8", conversationId: "conv-proposal" },
      });
      await renderApp(services);
      const detail = await screen.findByTestId("conversation-detail");
      expect(within(detail).getByRole("heading", { name: "Lukas Schmidt" })).toBeInTheDocument();
      act(() => services.selectItem({ mode: "read", itemId: "demo-1", conversationId: "conv-referral" }));
      await waitFor(() => expect(optionFor("Steve Okafor")).toHaveAttribute("aria-selected", "true"));
      expect(
        within(await screen.findByTestId("conversation-detail")).getByRole("heading", {
          name: "Steve Okafor",
        }),
      ).toBeInTheDocument();
      // A message Rekindle has nothing on leaves the current choice as it is.
      act(() => services.selectItem({ mode: "read", itemId: "x", conversationId: "conv-not-stale" }));
      await waitFor(() => expect(optionFor("Steve Okafor")).toHaveAttribute("aria-selected", "true"));
    });
  });

  describe("hostile mail", () => {
    it("should show names and subjects with markup as text, never as elements", async () => {
      const { user, view } = await renderApp();
      const row = optionFor("Mallory");
      expect(row).toHaveTextContent(`<img src=x onerror="alert(document.domain)"> Mallory`);
      expect(row).toHaveTextContent("<script>alert('subject')</script> Pricing");
      // The whole name and subject on hover (a long one is cut at 350 px), as text in an attribute.
      expect(
        within(row).getByTitle(/^<img src=x onerror="alert\(document\.domain\)"> Mallory/),
      ).toBeInTheDocument();
      expect(within(row).getByTitle("<script>alert('subject')</script> Pricing")).toBeInTheDocument();
      await user.click(row);
      const detail = await screen.findByTestId("conversation-detail");
      expect(detail).toHaveTextContent("<script>alert('subject')</script> Pricing");
      expect(view.container.querySelector("img, script")).toBeNull();
      expect(document.querySelector("img[src=x], script")).toBeNull();
    });
  });

  describe("the detail panel", () => {
    it("should show the timeline, the suggested technique with its rationale, and switch technique in one click", async () => {
      const { user } = await renderApp();
      await user.click(optionFor("Mei Chen"));
      const detail = await screen.findByTestId("conversation-detail");
      const timeline = within(detail).getByRole("list", { name: "Timeline" });
      expect(within(timeline).getAllByRole("listitem")).toHaveLength(4);
      expect(timeline).toHaveTextContent("Mei Chen answered");
      expect(timeline).toHaveTextContent("Let me talk to the team");
      expect(
        within(detail).getByRole("heading", { name: /Technique: No pressure \(suggested\)/ }),
      ).toBeInTheDocument();
      expect(detail).toHaveTextContent("They engaged before and then went quiet");
      const body = within(detail).getByLabelText("Message (edit before inserting)") as HTMLTextAreaElement;
      expect(body.value).toContain("Hi Mei,");
      expect(body.value).toContain("now isn't the moment");
      await user.click(within(detail).getByRole("button", { name: "Technique: No pressure" }));
      await user.click(await screen.findByRole("menuitemradio", { name: "Close the file" }));
      expect(within(detail).getByRole("heading", { name: "Technique: Close the file" })).toBeInTheDocument();
      expect(body.value).toContain("close the file");
      expect(detail).toHaveTextContent("They have never answered");
      // Mei answered, so closing the file contradicts the thread.
      expect(within(detail).getByTestId("technique-warning")).toHaveTextContent(/Mei Chen did answer before/);
    });

    it("should insert the edited message as escaped HTML into the reply to my last attempt", async () => {
      const { user, services } = await renderApp();
      await user.click(optionFor("Priya Patel"));
      const detail = await screen.findByTestId("conversation-detail");
      const body = within(detail).getByLabelText("Message (edit before inserting)");
      await user.clear(body);
      await user.type(body, "Hi Priya,{Enter}{Enter}Still keen? <b>5 minutes</b> & done.{Enter}Sam");
      await user.click(within(detail).getByRole("button", { name: "Insert into reply" }));
      await waitFor(() => expect(services.inserts).toHaveLength(1));
      expect(services.inserts[0]).toEqual({
        conversationId: "conv-nudge",
        replyToMessageId: "demo-1",
        html: "<p>Hi Priya,</p>\n<p>Still keen? &lt;b&gt;5 minutes&lt;/b&gt; &amp; done.<br>Sam</p>",
        technique: "nudge",
        // Used only where the reply is a Graph draft; a reply form keeps the thread's subject.
        draftSubject: expect.stringMatching(/\S/),
      });
      expect(await within(detail).findByText(/A reply-all is open with your message/)).toBeInTheDocument();
      // The reply form cannot carry a header: the pane records it, edited, for the next message sent.
      await waitFor(() => expect(services.saved.entries).toHaveLength(1));
      expect(services.saved.entries[0]).toEqual({
        kind: "sent",
        id: `reply-form:conv-nudge:${NOW}`,
        at: NOW,
        conversationId: "conv-nudge",
        technique: "nudge",
        edited: true,
        path: "reply-form",
      });
    });

    it.each([
      [{ kind: "inserted-at-cursor", marked: true } as const, "compose", `compose:conv-nudge:${NOW}`],
      [
        { kind: "draft-created", draftId: "draft-77", opened: true, where: "Drafts folder" } as const,
        "graph-draft",
        "draft-77",
      ],
    ])("should record an unedited insert that ended as %j on the %s path", async (outcome, path, id) => {
      const { user, services } = await renderApp(fakeServices({ insertOutcome: outcome }));
      await user.click(optionFor("Priya Patel"));
      const detail = await screen.findByTestId("conversation-detail");
      await user.click(within(detail).getByRole("button", { name: "Insert into reply" }));
      await waitFor(() => expect(services.saved.entries).toHaveLength(1));
      expect(services.saved.entries[0]).toMatchObject({ id, path, edited: false, technique: "nudge" });
    });

    it("should record nothing for a demo preview, which sends nothing", async () => {
      const { user, services } = await renderApp(fakeServices({ mode: "demo", insertOutcome: DEMO_OUTCOME }));
      await user.click(optionFor("Priya Patel"));
      const detail = await screen.findByTestId("conversation-detail");
      await user.click(within(detail).getByRole("button", { name: "Insert into reply" }));
      await screen.findByTestId("demo-reply");
      expect(services.saved.entries).toEqual([]);
    });

    it("should refuse Insert when the last-moment check finds an answer filed elsewhere, and show it as replied", async () => {
      const asked: [string, number][] = [];
      const services = fakeServices({
        lastMomentCheck: async (conversationId, after) => {
          asked.push([conversationId, after]);
          return {
            folderName: "Projects",
            message: {
              id: "filed-answer",
              conversationId: "conv-nudge",
              folder: "folder:AAMkProjects",
              from: { name: "Priya Patel", address: "priya.patel@fabrikam.io" },
              to: [{ name: "Sam Rivera", address: "sam.rivera@northwind-sales.com" }],
              cc: [],
              bcc: [],
              subject: "RE: Fleet tracking pilot for Fabrikam",
              receivedAt: instant(Date.parse("2026-11-18T10:00:00Z")),
              preview: "Thanks Sam, let's go ahead with the pilot.",
              headers: {},
            } as unknown as MailMessage,
          };
        },
      });
      const { user } = await renderApp(services);
      await user.click(optionFor("Priya Patel"));
      const detail = await screen.findByTestId("conversation-detail");
      await user.click(within(detail).getByRole("button", { name: "Insert into reply" }));
      expect(
        await screen.findByText(/Priya Patel answered on 18 Nov \(in Projects\)\. Nothing was inserted\./),
      ).toBeInTheDocument();
      expect(asked).toEqual([["conv-nudge", expect.any(Number)]]);
      expect(services.inserts).toHaveLength(0);
      // The conversation now counts as replied: it leaves the stale list, and the detail says so.
      await waitFor(() => expect(optionFor("Priya Patel")).toBeUndefined(), SLOW);
      const shown = screen.getByTestId("conversation-detail");
      expect(shown).toHaveTextContent(/Replied/);
      expect(shown).toHaveTextContent(/Priya Patel answered on 18 Nov \(in Projects\)/);
      expect(within(shown).getByRole("button", { name: "Insert into reply" })).toBeDisabled();
    });

    it("should insert when the last-moment check finds no newer answer", async () => {
      const services = fakeServices({ lastMomentCheck: async () => null });
      const { user } = await renderApp(services);
      await user.click(optionFor("Priya Patel"));
      const detail = await screen.findByTestId("conversation-detail");
      await user.click(within(detail).getByRole("button", { name: "Insert into reply" }));
      await waitFor(() => expect(services.inserts).toHaveLength(1));
    });

    it("should insert the composed HTML unchanged when the text was not edited", async () => {
      const { user, services } = await renderApp(
        fakeServices({
          mode: "demo",
          insertOutcome: {
            kind: "demo",
            to: ["mallory@evil-corp.com"],
            subject: "RE: <script>x</script>",
            html: "<p>ok</p>",
          },
        }),
      );
      await user.click(optionFor("Priya Patel"));
      const detail = await screen.findByTestId("conversation-detail");
      await user.click(within(detail).getByRole("button", { name: "Insert into reply" }));
      await waitFor(() => expect(services.inserts).toHaveLength(1));
      expect(services.inserts[0]!.html).toContain("<p>Hi Priya,</p>");
      const demo = await screen.findByTestId("demo-reply");
      expect(demo).toHaveTextContent("To: mallory@evil-corp.com");
      expect(demo).toHaveTextContent("Subject: RE: <script>x</script>");
      const frame = within(demo).getByTitle("Reply body");
      expect(frame).toHaveAttribute("sandbox", "");
      expect(demo.querySelector("script")).toBeNull();
    });

    it("should show the voicemail script and copy it to the clipboard", async () => {
      const { user } = await renderApp();
      await user.click(optionFor("Steve Okafor"));
      const detail = await screen.findByTestId("conversation-detail");
      expect(within(detail).getByRole("heading", { name: "Voicemail script" })).toBeInTheDocument();
      await user.click(within(detail).getByRole("button", { name: "Copy voicemail script" }));
      const copied = await navigator.clipboard.readText();
      // the script gives my name, company and number (from /me), and names the referrer
      expect(copied).toContain("Hi Steve, this is Sam Rivera from Northwind Sales. Cliff suggested");
      expect(copied).toContain("+44 20 7946 0321");
      expect(within(detail).getByText("Voicemail script copied.")).toBeInTheDocument();
    });
  });

  describe("actions", () => {
    it("should write the snooze date in the list as the detail does, in the host's locale", async () => {
      const { user } = await renderApp(fakeServices({ locale: "en-US" }));
      await user.click(optionFor("Priya Patel"));
      await screen.findByTestId("conversation-detail");
      await moreActions(user, "Snooze", "1 week");
      await waitFor(() =>
        expect(screen.getByTestId("conversation-detail")).toHaveTextContent(
          "Snoozed until November 27, 2026",
        ),
      );
      await user.selectOptions(screen.getByLabelText("Show"), "snoozed");
      expect(options()[0]).toHaveTextContent("1 attempt · snoozed until November 27, 2026");
    });

    it("should snooze for a week, persist it, drop it from the stale list, and undo", async () => {
      const { user, services } = await renderApp();
      const before = options().length;
      await user.click(optionFor("Priya Patel"));
      const detail = await screen.findByTestId("conversation-detail");
      expect(detail).toBeInTheDocument();
      await moreActions(user, "Snooze", "1 week");
      await waitFor(() => expect(services.saved.userState).toHaveLength(1));
      expect(services.saved.userState[0]!.snoozes["conv-nudge"]).toBe(NOW + 7 * DAY_MS);
      await waitFor(() => expect(options()).toHaveLength(before - 1));
      expect(await screen.findByText(/Snoozed Priya Patel for 1 week/)).toBeInTheDocument();
      expect(toasts()).toHaveLength(1);
      // Where the user was when the toast came: Undo brings focus back there (the Show filter takes it meanwhile).
      const actedFrom = document.activeElement as HTMLElement;
      expect(actedFrom).toHaveAccessibleName("More actions");
      expect(screen.getByTestId("conversation-detail")).toHaveTextContent("Snoozed until 27 November 2026");
      await user.selectOptions(screen.getByLabelText("Show"), "snoozed");
      expect(options()).toHaveLength(1);
      expect(options()[0]).toHaveTextContent("1 attempt · snoozed until 27 November 2026");
      await user.selectOptions(screen.getByLabelText("Show"), "stale");
      await user.click(screen.getByRole("button", { name: "Undo" }));
      await waitFor(() => expect(options()).toHaveLength(before));
      expect(services.saved.userState.at(-1)!.snoozes).toEqual({});
      expect(actedFrom).toHaveFocus();
    });

    it("should snooze until 8:00 on a chosen date in the user's zone, name it as the pane does, and refuse a past one", async () => {
      const { user, services } = await renderApp(fakeServices({ timeZone: "America/New_York" }));
      await user.click(optionFor("Priya Patel"));
      const detail = await screen.findByTestId("conversation-detail");
      await moreActions(user, "Snooze", "Pick a date…");
      const date = within(detail).getByLabelText("Snooze until");
      await user.type(date, "2020-01-01");
      await user.click(within(detail).getAllByRole("button", { name: "Snooze" }).at(-1)!);
      expect(within(detail).getByText("Pick a date in the future.")).toBeInTheDocument();
      expect(services.saved.userState).toHaveLength(0);
      await user.clear(date);
      await user.type(date, "2027-01-15");
      await user.click(within(detail).getAllByRole("button", { name: "Snooze" }).at(-1)!);
      await waitFor(() => expect(services.saved.userState).toHaveLength(1));
      // 8:00 in New York (UTC-5 in January), whatever zone the browser is in.
      expect(services.saved.userState[0]!.snoozes["conv-nudge"]).toBe(Date.UTC(2027, 0, 15, 13));
      expect(await screen.findByText(/Snoozed Priya Patel until 15 January 2027/)).toBeInTheDocument();
    });

    it("should close the file, show it under Closed, and reopen it with undo", async () => {
      const { user, services } = await renderApp();
      await user.click(optionFor("Steve Okafor"));
      const detail = await screen.findByTestId("conversation-detail");
      expect(detail).toBeInTheDocument();
      await moreActions(user, "Mark as closed");
      await waitFor(() => expect(services.saved.userState).toHaveLength(1));
      expect(services.saved.userState[0]!.closed["conv-referral"]).toBe(NOW);
      await user.selectOptions(screen.getByLabelText("Show"), "closed");
      expect(options()).toHaveLength(1);
      expect(options()[0]).toHaveTextContent("Steve Okafor");
      await user.click(screen.getByRole("button", { name: "Undo" }));
      await waitFor(() => expect(options()).toHaveLength(0));
      expect(services.saved.userState.at(-1)!.closed).toEqual({});
    });

    it("should mark a domain as not a prospect as one entry of its own, and undo it with a tombstone", async () => {
      const { user, services } = await renderApp();
      await user.click(optionFor("Priya Patel"));
      const detail = await screen.findByTestId("conversation-detail");
      expect(detail).toBeInTheDocument();
      await moreActions(user, "Not a prospect", "fabrikam.io");
      await waitFor(() => expect(services.saved.entries).toHaveLength(1), SLOW);
      expect(services.saved.entries[0]).toEqual({
        kind: "not-a-prospect",
        id: "@fabrikam.io",
        at: NOW,
        excluded: true,
      });
      expect(services.saved.settings).toHaveLength(0);
      await waitFor(() => expect(optionFor("Priya Patel")).toBeUndefined(), SLOW);
      await user.click(screen.getByRole("button", { name: "Undo" }));
      await waitFor(() => expect(optionFor("Priya Patel")).toBeDefined(), SLOW);
      expect(services.saved.entries.at(-1)).toMatchObject({ id: "@fabrikam.io", excluded: false });
    });

    it("should write only the entry an action is about, so a pane that is behind undoes nothing of another's", async () => {
      const { user, services } = await renderApp();
      // Another pane closes Steve's file; this pane has not heard of it yet when it snoozes Priya.
      await services.userState.put({ kind: "closed", id: "conv-referral", at: NOW, closed: true });
      await user.click(optionFor("Priya Patel"));
      await screen.findByTestId("conversation-detail");
      await moreActions(user, "Snooze", "1 week");
      await waitFor(() => expect(services.saved.entries).toHaveLength(2), SLOW);
      expect(services.saved.entries[1]).toMatchObject({ kind: "snooze", id: "conv-nudge" });
      expect(services.saved.userState.at(-1)!.closed).toEqual({ "conv-referral": NOW });
      await user.click(screen.getByRole("button", { name: "Undo" }));
      await waitFor(() => expect(services.saved.entries).toHaveLength(3), SLOW);
      expect(services.saved.entries[2]).toMatchObject({ kind: "snooze", id: "conv-nudge", until: null });
      expect(services.saved.userState.at(-1)!.closed).toEqual({ "conv-referral": NOW });
    });

    it("should show another pane's change as soon as it is announced", async () => {
      const { user, services } = await renderApp();
      expect(optionFor("Steve Okafor")).toBeDefined();
      act(() => services.fromAnotherPane([{ kind: "closed", id: "conv-referral", at: NOW, closed: true }]));
      await waitFor(() => expect(optionFor("Steve Okafor")).toBeUndefined(), SLOW);
      await user.selectOptions(screen.getByLabelText("Show"), "closed");
      expect(options()[0]).toHaveTextContent("Steve Okafor");
    });

    it("should never overwrite user state it could not read", async () => {
      const services = fakeServices();
      const failing = {
        ...services,
        userState: {
          load: async () => {
            throw new Error("IndexedDB is unavailable");
          },
          put: services.userState.put,
          subscribe: services.userState.subscribe,
        },
      };
      const { user } = await renderApp(failing);
      expect(await screen.findByTestId("error-toast")).toHaveTextContent(
        /Could not read your snoozes and closed files \(IndexedDB is unavailable\)/,
      );
      await user.click(optionFor("Priya Patel"));
      const detail = await screen.findByTestId("conversation-detail");
      expect(detail).toBeInTheDocument();
      await moreActions(user, "Mark as closed");
      await waitFor(() =>
        expect(screen.getByTestId("error-toast")).toHaveTextContent(
          /Could not save: your saved snoozes and closed files could not be read/,
        ),
      );
      expect(services.saved.userState).toHaveLength(0);
      expect(optionFor("Priya Patel")).toBeDefined();
    });

    it("should log a call as an attempt", async () => {
      const { user, services } = await renderApp();
      const before = optionFor("Priya Patel").textContent!;
      expect(before).toContain("1 attempt");
      await user.click(optionFor("Priya Patel"));
      const detail = await screen.findByTestId("conversation-detail");
      expect(detail).toBeInTheDocument();
      await moreActions(user, "Log a call", "I called");
      await waitFor(() => expect(services.saved.userState).toHaveLength(1));
      expect(services.saved.userState[0]!.loggedAttempts).toEqual([
        expect.objectContaining({ conversationId: "conv-nudge", kind: "call", at: NOW }),
      ]);
    });
  });

  describe("sync", () => {
    it("should show first-sync progress with counts, then the list", async () => {
      let report: (p: SyncProgress) => void = () => {};
      let finish: () => void = () => {};
      const mailbox = demoMailbox();
      const services = fakeServices({
        sync: (onProgress) =>
          new Promise((resolve) => {
            report = onProgress;
            finish = () => resolve(mailbox);
          }),
      });
      render(<App services={services} />);
      await waitFor(() => expect(services.syncCalls.count).toBe(1));
      act(() => report({ phase: "first-sync", synced: 20, expected: 47 }));
      expect(await screen.findByText("20 of 47 messages")).toBeInTheDocument();
      expect(screen.getByRole("progressbar")).toBeInTheDocument();
      await act(async () => finish());
      expect(await screen.findByRole("listbox", { name: "Conversations" })).toBeInTheDocument();
      expect(screen.queryByRole("progressbar")).toBeNull();
      expect(screen.getByText("Synced just now")).toBeInTheDocument();
    });

    it("should paint from the cache at once, then refresh", async () => {
      const cached = demoMailbox();
      let finish: () => void = () => {};
      const services = fakeServices({
        cached,
        sync: () => new Promise((resolve) => (finish = () => resolve(cached))),
      });
      render(<App services={services} />);
      await waitFor(() => expect(options().length).toBeGreaterThan(0));
      expect(screen.getByText("Refreshing…")).toBeInTheDocument();
      expect(screen.queryByRole("progressbar")).toBeNull();
      await act(async () => finish());
      expect(await screen.findByText("Synced just now")).toBeInTheDocument();
    });

    it("should say when offline and retry by itself", async () => {
      jest.useFakeTimers({ advanceTimers: true });
      try {
        const mailbox = demoMailbox();
        const services = fakeServices({
          sync: async (_, call) => {
            if (call === 1) throw new SyncProblem("offline", "No connection to Microsoft 365.", 5000);
            return mailbox;
          },
        });
        render(<App services={services} />);
        expect(await screen.findByText("You're offline")).toBeInTheDocument();
        expect(screen.getByText(/No connection to Microsoft 365\./)).toBeInTheDocument();
        await act(async () => {
          jest.advanceTimersByTime(5100);
        });
        await waitFor(() => expect(services.syncCalls.count).toBe(2));
        expect(await screen.findByRole("listbox", { name: "Conversations" })).toBeInTheDocument();
        expect(screen.queryByText("You're offline")).toBeNull();
      } finally {
        jest.useRealTimers();
      }
    });

    it.each([
      ["throttled", "Outlook asked us to slow down"],
      ["signed-out", "Your sign-in has expired"],
      ["error", "Sync failed"],
    ] as const)("should explain a %s problem and retry at once on request", async (kind, title) => {
      const mailbox = demoMailbox();
      const services = fakeServices({
        sync: async (_, call) => {
          if (call === 1) throw new SyncProblem(kind, `Problem of kind ${kind}.`, 600_000);
          return mailbox;
        },
      });
      const user = userEvent.setup();
      render(<App services={services} />);
      expect(await screen.findByText(title)).toBeInTheDocument();
      expect(screen.getByText(/Problem of kind/)).toHaveTextContent(
        `Problem of kind ${kind}. Rekindle will try again by itself.`,
      );
      await user.click(screen.getByRole("button", { name: "Retry now" }));
      expect(await screen.findByRole("listbox", { name: "Conversations" })).toBeInTheDocument();
      expect(services.syncCalls.count).toBe(2);
      expect(screen.queryByText(title)).toBeNull();
    });

    it("should show the not-configured message and not retry", async () => {
      const services = fakeServices({
        sync: async () => {
          throw new SyncProblem("not-configured", "Set REKINDLE_CLIENT_ID to your app's client ID.", null);
        },
      });
      render(<App services={services} />);
      expect(await screen.findByText("Rekindle isn't configured yet")).toBeInTheDocument();
      expect(screen.getByText(/Set REKINDLE_CLIENT_ID/)).toBeInTheDocument();
      expect(screen.queryByRole("button", { name: "Retry now" })).toBeNull();
    });
  });

  describe("theme", () => {
    it("should follow the host's theme, including changes while open", async () => {
      const { services, view } = await renderApp();
      const provider = () => view.container.querySelector("[data-theme]")!;
      expect(provider()).toHaveAttribute("data-theme", "light");
      act(() => services.setTheme({ isDark: true }));
      expect(provider()).toHaveAttribute("data-theme", "dark");
    });
  });
});
