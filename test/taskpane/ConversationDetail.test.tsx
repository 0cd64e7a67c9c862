/** @jest-environment jsdom */
// The detail tells engine v2's story: declined, later, left, answered elsewhere, the referrer, each answer's
// intent, the contradiction warning, and dates in the user's zone; and it acts on them through the model.
import "@testing-library/jest-dom";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { detectAwaitingReply, type ConversationReport } from "../../src/core/awaitingReply";
import { instant, type Instant } from "../../src/core/message";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import type { TimelineEntry } from "../../src/core/timeline";
import { composeDraft } from "../../src/core/draft";
import { EMPTY_USER_STATE } from "../../src/core/userState";
import { ConversationDetail } from "../../src/taskpane/components/ConversationDetail";
import { ConversationTimeline } from "../../src/taskpane/components/ConversationTimeline";
import { DemoHost } from "../../src/taskpane/demoServices";
import type { PaneServices } from "../../src/taskpane/services";
import { localMorning } from "../../src/taskpane/state/paneDates";
import type { PaneModel } from "../../src/taskpane/state/usePaneModel";
import { NOW, demoMailbox, fakeServices, giveElementsAHeight, type FakeServices } from "./fakeServices";

beforeAll(() => giveElementsAHeight());

const mailbox = demoMailbox();
const reports = detectAwaitingReply(mailbox, {
  now: NOW,
  settings: DEFAULT_SETTINGS,
  userState: EMPTY_USER_STATE,
  timeZone: "UTC",
  locale: "en-GB",
});
const reportOf = (id: string): ConversationReport => {
  const found = reports.find((r) => r.conversationId === id);
  if (!found) throw new Error(`no report ${id} in the demo mailbox`);
  return found;
};

type Call = { readonly action: string; readonly args: unknown[] };

/** A pane model that records every action; the detail only reads these fields. */
function recordingModel(
  calls: Call[],
  where = { timeZone: "UTC", locale: "en-GB" },
  listed = reports,
): PaneModel {
  const record =
    (action: string) =>
    async (...args: unknown[]) => {
      calls.push({ action, args });
    };
  return {
    ready: true,
    mailbox,
    reports: listed,
    settings: DEFAULT_SETTINGS,
    userState: EMPTY_USER_STATE,
    sync: { kind: "idle" },
    lastSyncAt: null,
    lastAction: null,
    saveError: null,
    ...where,
    refresh: () => {},
    snooze: record("snooze"),
    unsnooze: record("unsnooze"),
    closeFile: record("closeFile"),
    reopen: record("reopen"),
    logAttempt: record("logAttempt"),
    defer: record("defer"),
    markReferrer: record("markReferrer"),
    excludeAddress: record("excludeAddress"),
    excludeDomain: record("excludeDomain"),
    saveSettings: record("saveSettings"),
    noteAnswer: (...args: unknown[]) => {
      calls.push({ action: "noteAnswer", args });
    },
    dismissAction: () => {},
    sentRecords: [],
    recordSent: record("recordSent"),
    loadEntries: async () => [],
    importEntries: record("importEntries"),
  };
}

function renderDetail(
  report: ConversationReport,
  options: { services?: PaneServices; model?: PaneModel; onOpen?: (id: string) => void } = {},
) {
  const calls: Call[] = [];
  const services = options.services ?? fakeServices();
  const model = options.model ?? recordingModel(calls);
  const user = userEvent.setup();
  render(
    <ConversationDetail
      report={report}
      mailbox={mailbox}
      settings={DEFAULT_SETTINGS}
      services={services}
      model={model}
      dark={false}
      onOpenConversation={options.onOpen}
    />,
  );
  return { user, calls, services };
}

const bar = () => screen.getByTestId("action-bar");

describe("ConversationDetail.tsx", () => {
  describe("declined", () => {
    it("should say who declined, quoting their sentence, and offer Mark as closed as the one-click primary action", async () => {
      const report = reportOf("conv-declined");
      const { user, calls } = renderDetail(report);
      expect(screen.getByTestId("verdict-declined")).toHaveTextContent(
        "Greta Holm declined — “We've decided to go in a different direction this year, so please close the file on our side.”",
      );
      expect(within(bar()).queryByRole("button", { name: /Insert/ })).toBeNull();
      expect(screen.getByTestId("no-insert-reason")).toHaveTextContent(/never closes the file by itself/);
      expect(calls).toEqual([]); // nothing closes by itself
      await user.click(within(bar()).getByRole("button", { name: "Mark as closed" }));
      expect(calls).toEqual([{ action: "closeFile", args: [report] }]);
    });
  });

  describe("the action bar", () => {
    const closed: ConversationReport = { ...reportOf("conv-nudge"), state: "closed", technique: null };
    it.each<[string, ConversationReport, RegExp]>([
      ["declined", reportOf("conv-declined"), /They said no/],
      ["deferred", reportOf("conv-deferred"), /hear from you later/],
      ["left", reportOf("conv-left"), /write to who took over/],
      ["bounced", reportOf("conv-bounced"), /^Your last message bounced: check the address/],
      ["replied", reportOf("conv-replied"), /^They have answered/],
      ["closed", closed, /^The file is closed: reopen it from More actions/],
      ["excluded", reportOf("conv-internal"), /^Marked not a prospect/],
    ])("should say why a %s conversation has no Insert, and offer no technique to pick", (_, report, why) => {
      renderDetail(report);
      expect(screen.getByTestId("no-insert-reason")).toHaveTextContent(why);
      expect(within(bar()).queryByRole("button", { name: /^Technique/ })).toBeNull();
      expect(within(bar()).getByRole("button", { name: "More actions" })).toBeEnabled();
    });

    it("should give focus to the name when the new state takes away the button the user was on", async () => {
      const declined = reportOf("conv-declined");
      const props = {
        mailbox,
        settings: DEFAULT_SETTINGS,
        services: fakeServices(),
        model: recordingModel([]),
        dark: false,
      };
      const user = userEvent.setup();
      const view = render(<ConversationDetail report={declined} {...props} />);
      await user.click(within(bar()).getByRole("button", { name: "Mark as closed" }));
      view.rerender(
        <ConversationDetail report={{ ...declined, state: "closed", technique: null }} {...props} />,
      );
      expect(screen.getByRole("heading", { level: 2, name: "Greta Holm" })).toHaveFocus();
    });

    it.each(["conv-nudge", "conv-waiting"])("should offer Insert and the technique for %s", (id) => {
      renderDetail(reportOf(id));
      expect(screen.queryByTestId("no-insert-reason")).toBeNull();
      expect(within(bar()).getByRole("button", { name: "Insert into reply" })).toBeEnabled();
      expect(within(bar()).getByRole("button", { name: /^Technique: / })).toBeEnabled();
    });
  });

  describe("deferred", () => {
    it("should show the later date, with its year as every date in the pane, and their sentence", () => {
      renderDetail(reportOf("conv-deferred"));
      expect(screen.getByTestId("verdict-deferred")).toHaveTextContent(
        "Later: until 2 January 2027 — “Please get back to me after the new year and we can look at numbers then.”",
      );
    });

    it("should change the date (8:00 that day in the user's zone) and clear it", async () => {
      const report = reportOf("conv-deferred");
      const calls: Call[] = [];
      const { user } = renderDetail(report, {
        model: recordingModel(calls, { timeZone: "Europe/Berlin", locale: "en-GB" }),
      });
      const verdict = screen.getByTestId("verdict-deferred");
      await user.type(within(verdict).getByLabelText("Change the date"), "2027-01-15");
      await user.click(within(verdict).getByRole("button", { name: "Set date" }));
      await user.click(within(verdict).getByRole("button", { name: "Clear the date" }));
      expect(calls).toEqual([
        { action: "defer", args: [report, Date.UTC(2027, 0, 15, 7), "until 15 January 2027"] },
        { action: "defer", args: [report, null, ""] },
      ]);
    });

    it("should refuse a date in the past with a clear message and save nothing", async () => {
      const { user, calls } = renderDetail(reportOf("conv-deferred"));
      const verdict = screen.getByTestId("verdict-deferred");
      await user.type(within(verdict).getByLabelText("Change the date"), "2020-01-01");
      await user.click(within(verdict).getByRole("button", { name: "Set date" }));
      expect(verdict).toHaveTextContent("Pick a date in the future.");
      expect(calls).toEqual([]);
    });
  });

  describe("left", () => {
    it("should say who left and who took over, and open an introduction to the successor", async () => {
      const services: FakeServices = fakeServices();
      const { user } = renderDetail(reportOf("conv-left"), { services });
      expect(screen.getByTestId("verdict-left")).toHaveTextContent("Jonas Berg has left; Ana Lima took over");
      expect(within(bar()).queryByRole("button", { name: /Insert/ })).toBeNull();
      await user.click(within(bar()).getByRole("button", { name: "Write to Ana Lima" }));
      expect(services.newMessages).toHaveLength(1);
      const sent = services.newMessages[0]!;
      expect(sent.to).toEqual([{ address: "ana.lima@relecloud.com", name: "Ana Lima" }]);
      expect(sent.subject).toMatch(/^Introducing myself/);
      expect(sent.html).toContain("Hi Ana");
      expect(sent.html).toContain("Jonas Berg");
      expect(services.inserts).toEqual([]);
      expect(await screen.findByText(/A new message is open/)).toBeInTheDocument();
    });

    it("should show the draft it would create in demo mode", async () => {
      const services = { ...fakeServices(), host: new DemoHost(() => mailbox) };
      const { user } = renderDetail(reportOf("conv-left"), { services });
      await user.click(within(bar()).getByRole("button", { name: "Write to Ana Lima" }));
      const demo = await screen.findByTestId("demo-reply");
      expect(demo).toHaveTextContent("To: ana.lima@relecloud.com");
      expect(demo).toHaveTextContent("Subject: Introducing myself");
    });
  });

  describe("replied elsewhere", () => {
    const report = reportOf("conv-other-thread");
    it("should name who wrote and where, and say when that conversation is not in the list", async () => {
      const opened: string[] = [];
      const { user } = renderDetail(report, { onOpen: (id) => opened.push(id) });
      const verdict = screen.getByTestId("verdict-elsewhere");
      expect(verdict).toHaveTextContent(
        "Sofia Rossi (Graphic Design) wrote on 9 November 2026 in another conversation: “Quick question about licences”",
      );
      await user.click(within(verdict).getByRole("button", { name: "Open that conversation" }));
      expect(opened).toEqual([]);
      expect(within(verdict).getByRole("status")).toHaveTextContent(/not in the list/);
    });

    it("should select that conversation when it is listed", async () => {
      const opened: string[] = [];
      const listed = [...reports, { ...reportOf("conv-replied"), conversationId: "conv-sofia-new" }];
      const { user } = renderDetail(report, {
        model: recordingModel([], undefined, listed),
        onOpen: (id) => opened.push(id),
      });
      await user.click(screen.getByRole("button", { name: "Open that conversation" }));
      expect(opened).toEqual(["conv-sofia-new"]);
    });
  });

  describe("referrer", () => {
    it("should show who introduced us under the prospect", () => {
      renderDetail(reportOf("conv-referral"));
      expect(screen.getByTestId("verdict-referrer")).toHaveTextContent(
        "Introduced by Cliff Murphy (cliff@treyresearch.net)",
      );
    });

    it("should mark a Cc'd person as the one who introduced us", async () => {
      const report = { ...reportOf("conv-referral"), referrer: null };
      const { user, calls } = renderDetail(report);
      await user.click(screen.getByRole("button", { name: "Who introduced you?" }));
      await user.click(
        await screen.findByRole("menuitem", { name: "Mark Cliff Murphy as the person who introduced you" }),
      );
      expect(calls).toEqual([{ action: "markReferrer", args: [report, "cliff@treyresearch.net"] }]);
    });
  });

  describe("contradiction warning", () => {
    it("should warn with core's rule when the picked technique contradicts the thread", async () => {
      const report = reportOf("conv-referral"); // never answered
      const { user } = renderDetail(report);
      expect(screen.queryByTestId("technique-warning")).toBeNull();
      await user.click(within(bar()).getByRole("button", { name: /^Technique:/ }));
      await user.click(await screen.findByRole("menuitemradio", { name: /^No pressure/ }));
      expect(screen.getByTestId("technique-warning")).toHaveTextContent(
        "They have never answered: this technique assumes they engaged before.",
      );
    });
  });
});

describe("ConversationTimeline.tsx", () => {
  const theirs = (preview: string, at = Date.UTC(2026, 10, 3, 10)): TimelineEntry => ({
    messageId: `m-${preview.length}`,
    at: instant(at),
    direction: "theirs",
    who: "Dana <script>",
    subject: "Re: licences",
    preview,
    automated: null,
  });

  it.each([
    ["Thanks, but we have decided to go in a different direction.", "Declined"],
    ["Please get back to me after the new year.", "Later"],
    ["Dana is no longer with the company.", "Left"],
    ["Sounds good, send me the contract.", null],
  ])("should badge the answer %j as %j, in words", (preview, badge) => {
    render(<ConversationTimeline entries={[theirs(preview)]} where={{ timeZone: "UTC", locale: "en-GB" }} />);
    const badges = screen.queryAllByTestId("intent-badge");
    if (badge === null) expect(badges).toHaveLength(0);
    else expect(badges.map((b) => b.textContent)).toEqual([badge]);
    expect(screen.getByText(/Dana <script> answered/)).toBeInTheDocument(); // untrusted name shown as text
  });

  it.each([
    ["UTC", "en-GB", "3 November 2026"],
    ["Asia/Tokyo", "en-GB", "4 November 2026"],
    ["America/Los_Angeles", "en-GB", "3 November 2026"],
    ["Europe/Berlin", "de-DE", "4. November 2026"],
  ])("should write dates in the user's zone %s and locale %s", (timeZone, locale, shown) => {
    render(
      <ConversationTimeline
        entries={[theirs("ok", Date.UTC(2026, 10, 3, 23, 30))]}
        where={{ timeZone, locale }}
      />,
    );
    expect(screen.getByText(new RegExp(`^${shown} ·`))).toBeInTheDocument();
  });
});

describe("the subject the prospect sees", () => {
  const report = reportOf("conv-nudge");
  const subjectOf = () =>
    composeDraft(report, mailbox.me, DEFAULT_SETTINGS, "nudge", { timeZone: "UTC", locale: "en-GB" }).subject;

  it("should say the open conversation keeps the thread's subject, and copy the template's", async () => {
    const services = fakeServices({ openItem: { mode: "read", itemId: "x", conversationId: "conv-nudge" } });
    const { user } = renderDetail(report, { services });
    const note = screen.getByTestId("subject-note");
    expect(note).toHaveTextContent("Outlook keeps the thread's subject here");
    expect(note).toHaveTextContent(`Subject: ${subjectOf()}`);
    await user.click(within(note).getByRole("button", { name: "Copy subject" }));
    expect(await navigator.clipboard.readText()).toBe(subjectOf());
    expect(within(note).getByText("Subject copied.")).toBeInTheDocument();
    expect(screen.queryByRole("checkbox")).toBeNull();
  });

  it("should set the subject in compose mode only when the user ticks the box", async () => {
    const services = fakeServices({
      openItem: { mode: "compose", conversationId: "conv-nudge" },
      insertOutcome: { kind: "inserted-at-cursor", marked: true, subjectSet: true },
    });
    const { user } = renderDetail(report, { services });
    expect(screen.queryByTestId("subject-note")).toBeNull();
    await user.click(within(bar()).getByRole("button", { name: "Insert at cursor" }));
    expect(services.inserts[0]).not.toHaveProperty("subject");
    await user.click(screen.getByRole("checkbox", { name: `Also set the subject to “${subjectOf()}”` }));
    await user.click(within(bar()).getByRole("button", { name: "Insert at cursor" }));
    expect(services.inserts[1]).toMatchObject({ subject: subjectOf(), technique: "nudge" });
    expect(await screen.findByText(/The subject is set too\./)).toBeInTheDocument();
  });

  it("should offer neither for another conversation (a Graph draft)", () => {
    renderDetail(report, {
      services: fakeServices({ openItem: { mode: "read", itemId: "x", conversationId: "conv-other" } }),
    });
    expect(screen.queryByTestId("subject-note")).toBeNull();
    expect(screen.queryByRole("checkbox")).toBeNull();
  });
});

describe("localMorning", () => {
  it.each<[string, string, Instant | null]>([
    ["2027-01-15", "UTC", instant(Date.UTC(2027, 0, 15, 8))],
    ["2027-01-15", "Europe/Berlin", instant(Date.UTC(2027, 0, 15, 7))],
    ["2027-07-15", "Europe/Berlin", instant(Date.UTC(2027, 6, 15, 6))],
    ["2027-02-30", "UTC", null],
    ["15/01/2027", "UTC", null],
    ["", "UTC", null],
  ])("should read %j in %s as 8:00 local", (value, zone, expected) => {
    expect(localMorning(value, zone)).toBe(expected);
  });
});
