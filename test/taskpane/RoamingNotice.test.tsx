/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "../../src/taskpane/App";
import type { RoamingService, RoamingStatusView } from "../../src/taskpane/services";
import { fakeServices, giveElementsAHeight } from "./fakeServices";

beforeAll(() => giveElementsAHeight());

/** Roaming as the pane sees it: a status that changes, and an enable the test can watch. */
function fakeRoaming(initial: RoamingStatusView): RoamingService & {
  set(status: RoamingStatusView): void;
  enabled: number;
} {
  let status = initial;
  const listeners = new Set<(s: RoamingStatusView) => void>();
  const fake = {
    enabled: 0,
    status: () => status,
    subscribe: (listener: (s: RoamingStatusView) => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    set(next: RoamingStatusView) {
      status = next;
      for (const l of listeners) l(next);
    },
    enable: async () => {
      fake.enabled++;
      fake.set({ mode: "on", pending: 0, problems: [] });
    },
  };
  return fake;
}

describe("where decisions are kept, in the pane", () => {
  it("should say nothing while decisions roam", async () => {
    const roaming = fakeRoaming({ mode: "on", pending: 0, problems: [] });
    render(<App services={{ ...fakeServices(), roaming }} />);
    await screen.findByRole("listbox", { name: "Conversations" });
    expect(screen.queryByText("Decisions are kept on this device only")).not.toBeInTheDocument();
  });

  it("should say once that decisions stay on this device when Mail.ReadWrite was refused, and turn roaming on", async () => {
    const user = userEvent.setup();
    const roaming = fakeRoaming({ mode: "on", pending: 0, problems: [] });
    render(<App services={{ ...fakeServices(), roaming }} />);
    await screen.findByRole("listbox", { name: "Conversations" });
    act(() => roaming.set({ mode: "local-only", pending: 2, problems: [] }));
    expect(screen.getAllByText("Decisions are kept on this device only")).toHaveLength(1);
    expect(screen.getByText(/\(2 waiting\)/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Keep them in my mailbox" }));
    expect(roaming.enabled).toBe(1);
    await waitFor(() =>
      expect(screen.queryByText("Decisions are kept on this device only")).not.toBeInTheDocument(),
    );
  });

  it("should name a copy in the mailbox that could not be read", async () => {
    const problem =
      "The Rekindle state on a message could not be read (it is not valid JSON); it was left as it is.";
    const roaming = fakeRoaming({ mode: "on", pending: 1, problems: [problem] });
    render(<App services={{ ...fakeServices(), roaming }} />);
    expect(await screen.findByText("Some saved decisions could not be read")).toBeInTheDocument();
    expect(screen.getByText(problem)).toBeInTheDocument();
  });
});
