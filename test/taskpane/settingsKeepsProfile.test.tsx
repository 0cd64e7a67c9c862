/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { App } from "../../src/taskpane/App";
import { fakeServices, giveElementsAHeight } from "./fakeServices";

beforeAll(() => giveElementsAHeight());

describe("SettingsPanel.tsx", () => {
  it("should keep my phone and company when other settings are saved", async () => {
    const services = fakeServices({
      settings: { ...DEFAULT_SETTINGS, myPhone: "+44 7700 900123", myCompany: "Northwind" },
    });
    const user = userEvent.setup();
    render(<App services={services} />);
    await screen.findByRole("listbox", { name: "Conversations" });
    await user.click(screen.getByRole("tab", { name: "Settings" }));
    const form = screen.getByRole("form", { name: "Settings" });
    const follow = within(form).getByLabelText("Follow up after (days)");
    await user.clear(follow);
    await user.type(follow, "10");
    await user.click(within(form).getByRole("button", { name: "Save settings" }));
    await waitFor(() => expect(services.saved.settings).toHaveLength(1));
    expect(services.saved.settings[0]).toMatchObject({
      followUpAfterDays: 10,
      myPhone: "+44 7700 900123",
      myCompany: "Northwind",
    });
  });
});
