/** @jest-environment jsdom */
// The pane at Outlook's widths: master/detail below 640 px, side by side above; the action bar, toasts, the error
// boundary, empty-list reasons and the demo label.
import "@testing-library/jest-dom";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App, demoLabel } from "../../src/taskpane/App";
import { instant } from "../../src/core/message";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { NOW, demoMailbox, fakeServices, giveElementsAHeight } from "./fakeServices";

beforeAll(() => giveElementsAHeight());

function setWidth(width: number) {
  Object.defineProperty(window, "innerWidth", { configurable: true, writable: true, value: width });
  window.dispatchEvent(new Event("resize"));
}

afterEach(() => setWidth(1024));

const listbox = () => screen.queryByRole("listbox", { name: "Conversations" });
const options = () => within(listbox()!).queryAllByRole("option");
const optionFor = (text: string) => options().find((o) => o.textContent?.includes(text))!;

async function renderAt(width: number, services = fakeServices()) {
  setWidth(width);
  const user = userEvent.setup();
  const view = render(<App services={services} />);
  await waitFor(() => expect(listbox()).not.toBeNull());
  // The first judgement of the demo mailbox: over a second on a loaded machine (2 shared cores).
  await waitFor(() => expect(options().length).toBeGreaterThan(0), { timeout: 5_000 });
  return { user, services, view };
}

describe("the pane's layout", () => {
  describe("below 640 px", () => {
    it("should open a conversation as its own view and go back with the Back button", async () => {
      const { user } = await renderAt(350);
      expect(screen.queryByTestId("conversation-detail")).toBeNull();
      await user.click(optionFor("Mei Chen"));
      const detail = await screen.findByTestId("conversation-detail");
      expect(listbox()).toBeNull();
      expect(within(detail).getByRole("heading", { level: 2, name: "Mei Chen" })).toHaveFocus();
      await user.click(within(detail).getByRole("button", { name: "Back to list" }));
      expect(screen.queryByTestId("conversation-detail")).toBeNull();
      await waitFor(() => expect(listbox()).toHaveFocus());
      expect(optionFor("Mei Chen")).toHaveAttribute("aria-selected", "true");
      expect(listbox()).toHaveAttribute("aria-activedescendant", optionFor("Mei Chen").id);
    });

    it("should go back with Escape and open with Enter, all from the keyboard", async () => {
      const { user } = await renderAt(350);
      listbox()!.focus();
      await user.keyboard("{ArrowDown}{ArrowDown}");
      expect(screen.queryByTestId("conversation-detail")).toBeNull();
      const second = options()[1]!;
      expect(second).toHaveAttribute("aria-selected", "true");
      await user.keyboard("{Enter}");
      const detail = await screen.findByTestId("conversation-detail");
      expect(within(detail).getByRole("button", { name: "Insert into reply" })).toBeEnabled();
      // Escape from anywhere in the detail (the Tab path to Insert is checked in Chromium: test/e2e).
      within(detail).getByRole("button", { name: "Insert into reply" }).focus();
      await user.keyboard("{Enter}");
      await within(detail).findByText(/A reply-all is open/);
      await user.keyboard("{Escape}");
      expect(screen.queryByTestId("conversation-detail")).toBeNull();
      await waitFor(() => expect(listbox()).toHaveFocus());
      expect(options()[1]).toHaveAttribute("aria-selected", "true");
    });

    it("should open the conversation of the message open in Outlook", async () => {
      setWidth(350);
      render(
        <App
          services={fakeServices({
            openItem: { mode: "read", itemId: "demo-8", conversationId: "conv-proposal" },
          })}
        />,
      );
      const detail = await screen.findByTestId("conversation-detail");
      expect(within(detail).getByRole("heading", { level: 2, name: "Lukas Schmidt" })).toBeInTheDocument();
    });
  });

  describe("from 640 px", () => {
    it("should show list and detail side by side, with no Back button", async () => {
      const { user } = await renderAt(1000);
      await user.click(optionFor("Mei Chen"));
      const detail = await screen.findByTestId("conversation-detail");
      expect(listbox()).toBeInTheDocument();
      expect(within(detail).queryByRole("button", { name: "Back to list" })).toBeNull();
      // Arrow keys move the detail along with the selection.
      listbox()!.focus();
      await user.keyboard("{Home}");
      expect(
        within(screen.getByTestId("conversation-detail")).getByRole("heading", { level: 2 }),
      ).toHaveTextContent(options()[0]!.textContent!.split(" · ")[0]!);
    });

    it("should switch to master/detail when the pane gets narrow", async () => {
      const { user } = await renderAt(1000);
      await user.click(optionFor("Mei Chen"));
      act(() => setWidth(400));
      expect(await screen.findByRole("button", { name: "Back to list" })).toBeInTheDocument();
      expect(listbox()).toBeNull();
    });
  });

  describe("the action bar", () => {
    it("should hold Insert, the technique menu and the other actions in one toolbar", async () => {
      const { user } = await renderAt(350);
      await user.click(optionFor("Priya Patel"));
      const bar = await screen.findByTestId("action-bar");
      expect(bar).toHaveAttribute("role", "toolbar");
      expect(within(bar).getByRole("button", { name: "Insert into reply" })).toBeEnabled();
      expect(within(bar).getByRole("button", { name: "Technique: Nudge" })).toBeInTheDocument();
      await user.click(within(bar).getByRole("button", { name: "More actions" }));
      const items = (await screen.findAllByRole("menuitem")).map((m) => m.textContent);
      expect(items).toEqual(["Snooze", "Mark as closed", "Log a call", "Not a prospect"]);
    });

    it("should update timeline, suggestion and technique together when a call is logged", async () => {
      const { user } = await renderAt(350);
      await user.click(optionFor("Priya Patel"));
      const detail = await screen.findByTestId("conversation-detail");
      const timeline = () => within(detail).getByRole("list", { name: "Timeline" });
      const before = within(timeline()).getAllByRole("listitem").length;
      await user.click(within(detail).getByRole("button", { name: "More actions" }));
      await user.click(await screen.findByRole("menuitem", { name: "Log a call" }));
      await user.click(await screen.findByRole("menuitem", { name: "I left a voicemail" }));
      await waitFor(() => expect(within(timeline()).getAllByRole("listitem")).toHaveLength(before + 1));
      expect(timeline()).toHaveTextContent("You left a voicemail");
      // The report now counts two attempts; the detail follows its suggestion, whatever it now is.
      const heading = within(detail).getByRole("heading", { name: /^Technique: / });
      expect(heading).toHaveTextContent("(suggested)");
      expect(detail).toHaveTextContent(/2 unanswered attempts/);
    });

    it("should warn when the picked technique contradicts the thread", async () => {
      const { user } = await renderAt(350);
      await user.click(optionFor("Priya Patel"));
      const detail = await screen.findByTestId("conversation-detail");
      expect(within(detail).queryByTestId("technique-warning")).toBeNull();
      await user.click(within(detail).getByRole("button", { name: "Technique: Nudge" }));
      await user.click(await screen.findByRole("menuitemradio", { name: "Are you OK?" }));
      expect(within(detail).getByTestId("technique-warning")).toHaveTextContent(
        "They have never answered: this technique assumes they engaged before.",
      );
      expect(detail).toHaveTextContent("Suggested for this thread: Nudge.");
    });
  });

  describe("feedback", () => {
    it("should confirm an action in a toast whose Undo takes it back", async () => {
      const { user, services } = await renderAt(350);
      await user.click(optionFor("Priya Patel"));
      const detail = await screen.findByTestId("conversation-detail");
      await user.click(within(detail).getByRole("button", { name: "More actions" }));
      await user.click(await screen.findByRole("menuitem", { name: "Log a call" }));
      await user.click(await screen.findByRole("menuitem", { name: "I called" }));
      const toast = await screen.findByTestId("undo-toast");
      expect(toast).toHaveTextContent("Logged a call with Priya Patel.");
      await user.click(within(toast).getByRole("button", { name: "Undo" }));
      await waitFor(() => expect(services.saved.userState.at(-1)!.loggedAttempts).toEqual([]));
      await waitFor(() => expect(screen.queryByTestId("undo-toast")).toBeNull());
    });
  });

  describe("the list", () => {
    it("should say the first sync is still running when there is nothing yet", async () => {
      setWidth(350);
      const services = fakeServices({ sync: () => new Promise(() => {}) });
      render(<App services={services} />);
      expect(await screen.findByTestId("empty-list")).toHaveTextContent(
        "Your first sync is still reading your mail.",
      );
      expect(screen.queryByText("Never synced")).toBeNull();
    });

    it("should say nothing has gone quiet yet when no conversation is stale", async () => {
      setWidth(350);
      const mailbox = demoMailbox();
      render(<App services={fakeServices({ mailbox: { me: mailbox.me, messages: [] } })} />);
      await waitFor(() =>
        expect(screen.getByTestId("empty-list")).toHaveTextContent("Nothing has gone quiet yet."),
      );
    });

    it("should say the search matches nothing, and clear it on request", async () => {
      const { user } = await renderAt(350);
      const count = options().length;
      await user.type(screen.getByRole("searchbox"), "zebra");
      expect(screen.getByTestId("empty-list")).toHaveTextContent("No conversation matches “zebra”.");
      await user.click(screen.getByRole("button", { name: "Clear search and filters" }));
      expect(options()).toHaveLength(count);
    });

    it("should show urgency as a word and an icon, and announce each row's content and state", async () => {
      await renderAt(350);
      for (const option of options()) {
        const badge = option.querySelector("[data-urgency]")!;
        expect(badge.textContent).toMatch(/^(High|Medium|Low) · \d+$/);
        expect(badge.querySelector("svg")).not.toBeNull();
        expect(option).toHaveAccessibleName(
          /\d+ days silent · \d+ attempts? .*(High|Medium|Low) urgency, score \d+\. Stale\./,
        );
      }
    });
  });

  describe("resilience", () => {
    it("should show a message with a way back when a view fails to render, never a blank pane", async () => {
      // A template that is not a string makes the preview throw while rendering Settings.
      const broken = {
        ...DEFAULT_SETTINGS,
        templates: { nudge: { subject: "x", html: 42, text: "x" } },
      } as unknown as typeof DEFAULT_SETTINGS;
      const error = jest.spyOn(console, "error").mockImplementation(() => {});
      try {
        const { user } = await renderAt(350, fakeServices({ settings: broken }));
        await user.click(screen.getByRole("tab", { name: "Settings" }));
        const alert = await screen.findByRole("alert");
        expect(alert).toHaveTextContent("Something went wrong showing this view");
        expect(alert).toHaveTextContent("Your settings, templates and snoozes are unchanged.");
        await user.click(within(alert).getByRole("button", { name: "Back to conversations" }));
        expect(await screen.findByRole("listbox", { name: "Conversations" })).toBeInTheDocument();
      } finally {
        error.mockRestore();
      }
    });
  });

  describe("demo mode", () => {
    it("should say which day the demo mailbox shows", async () => {
      await renderAt(350, fakeServices({ mode: "demo" }));
      expect(screen.getByText("Demo mailbox, as of 20 November 2026")).toBeInTheDocument();
      // The day where the user is, written as the pane writes dates.
      const lateOn2January = instant(Date.UTC(2026, 0, 2, 23));
      expect(demoLabel(lateOn2January, { locale: "en-GB", timeZone: "UTC" })).toBe(
        "Demo mailbox, as of 2 January 2026",
      );
      expect(demoLabel(lateOn2January, { locale: "en-US", timeZone: "Asia/Tokyo" })).toBe(
        "Demo mailbox, as of January 3, 2026",
      );
      expect(NOW).toBe(Date.parse("2026-11-20T09:00:00Z"));
    });
  });
});
