/** @jest-environment jsdom */
// The clean-up view: which conversations it lists, checkboxes and edits, and the summary with a retry per failure.
import "@testing-library/jest-dom";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { detectAwaitingReply } from "../../src/core/awaitingReply";
import type { DraftOutcome, PlannedDraft } from "../../src/core/cleanUp";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { EMPTY_USER_STATE } from "../../src/core/userState";
import { CleanUpView } from "../../src/taskpane/components/CleanUpView";
import type { CleanUpService } from "../../src/taskpane/services";
import { NOW, demoMailbox } from "./fakeServices";

const mailbox = demoMailbox();
const reports = detectAwaitingReply(mailbox, {
  now: NOW,
  settings: DEFAULT_SETTINGS,
  userState: EMPTY_USER_STATE,
  timeZone: "UTC",
  locale: "en-GB",
});
const pending = reports.filter((r) => r.state === "stale" && r.technique === "pending-file");
const other = reports.find((r) => r.state === "stale" && r.technique !== "pending-file")!;

/** A clean-up service whose outcome per conversation the test decides; it records every batch asked for. */
function fakeCleanUp(decide: (plan: PlannedDraft, call: number) => DraftOutcome) {
  const calls: PlannedDraft[][] = [];
  const service: CleanUpService = {
    createDrafts: async (plans, onProgress) => {
      calls.push([...plans]);
      onProgress({ done: 0, total: plans.length });
      const outcomes = plans.map((p) => decide(p, calls.length));
      onProgress({ done: plans.length, total: plans.length });
      return outcomes;
    },
  };
  return { service, calls };
}

const made = (p: PlannedDraft): DraftOutcome => ({
  status: "created",
  conversationId: p.conversationId,
  draftId: `d-${p.conversationId}`,
  webLink: null,
  folder: "Drafts",
  subject: p.subject,
});

function renderView(service: CleanUpService | undefined) {
  return render(
    <CleanUpView
      reports={reports}
      me={mailbox.me}
      settings={DEFAULT_SETTINGS}
      locale="en-GB"
      timeZone="UTC"
      cleanUp={service}
    />,
  );
}

describe("CleanUpView", () => {
  it("should list the pending-file conversations, add another stale one, and draft only the checked ones with the edits", async () => {
    expect(pending.length).toBeGreaterThan(0);
    const { service, calls } = fakeCleanUp(made);
    renderView(service);
    const list = screen.getByRole("list", { name: "Conversations to draft for" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(pending.length);
    await userEvent.selectOptions(
      screen.getByLabelText("Add another stale conversation"),
      other.conversationId,
    );
    await userEvent.click(screen.getByRole("button", { name: "Add" }));
    expect(within(list).getAllByRole("listitem")).toHaveLength(pending.length + 1);
    const name = (r: (typeof reports)[number]) => r.prospects[0]!.name || r.prospects[0]!.address;
    await userEvent.click(
      within(list).getByRole("checkbox", { name: new RegExp(`^${name(pending[0]!)} · `) }),
    );
    const n = pending.length;
    const button = screen.getByRole("button", { name: `Create ${n} ${n === 1 ? "draft" : "drafts"}` });
    // Edit the added conversation's message: <b> stays text.
    await userEvent.click(
      within(list).getByRole("button", { name: `Preview the message to ${name(other)}` }),
    );
    const box = screen.getByRole("textbox", { name: `Message to ${name(other)}` });
    await userEvent.clear(box);
    await userEvent.type(box, "Still on? <b>x</b>");
    await userEvent.click(button);
    expect(calls).toHaveLength(1);
    const asked = calls[0]!;
    expect(asked.map((p) => p.conversationId)).not.toContain(pending[0]!.conversationId);
    expect(asked.map((p) => p.conversationId)).toContain(other.conversationId);
    const edited = asked.find((p) => p.conversationId === other.conversationId)!;
    expect(edited).toMatchObject({
      technique: "pending-file",
      edited: true,
      html: "<p>Still on? &lt;b&gt;x&lt;/b&gt;</p>",
    });
    expect(asked.every((p) => p.subject.length > 0 && p.replyToMessageId)).toBe(true);
    const summary = await screen.findByRole("status", { name: "Clean-up summary" });
    expect(summary).toHaveTextContent(`${n} ${n === 1 ? "draft" : "drafts"} in Drafts. Nothing was sent.`);
    // The pressed button was disabled meanwhile: focus is on the outcome, not lost to the page.
    await waitFor(() => expect(summary).toHaveFocus());
    expect(summary).toHaveTextContent(`“${asked[0]!.subject}” is in Drafts`);
    expect(screen.getByRole("progressbar", { name: "Drafts created" })).toHaveAttribute("aria-valuenow", "1");
    expect(
      screen.getByText(`${n} of ${n} ${n === 1 ? "conversation" : "conversations"} done`),
    ).toBeInTheDocument();
  });

  it("should list a failure with a retry that asks again for that conversation only", async () => {
    const first = pending[0]!.conversationId;
    const { service, calls } = fakeCleanUp((p, call) =>
      p.conversationId === first && call === 1
        ? {
            status: "failed",
            conversationId: p.conversationId,
            reason: "Graph answered HTTP 500",
            retryable: true,
          }
        : made(p),
    );
    renderView(service);
    await userEvent.click(screen.getByRole("button", { name: /^Create \d+ drafts?$/ }));
    const failures = await screen.findByRole("list", { name: "Failed drafts" });
    expect(failures).toHaveTextContent("Graph answered HTTP 500");
    await userEvent.click(within(failures).getByRole("button", { name: "Retry" }));
    expect(calls[1]!.map((p) => p.conversationId)).toEqual([first]);
    expect(await screen.findByRole("status", { name: "Clean-up summary" })).toHaveTextContent(
      `${pending.length} ${pending.length === 1 ? "draft" : "drafts"} in Drafts. Nothing was sent.`,
    );
    expect(screen.queryByRole("list", { name: "Failed drafts" })).toBeNull();
  });

  it("should say so, and offer no button that works, where drafts cannot be made", () => {
    renderView(undefined);
    expect(screen.getByText("Drafts cannot be created here.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /^Create \d+ drafts?$/ })).toBeDisabled();
  });
});
