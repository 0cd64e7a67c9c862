/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "../../src/taskpane/App";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { fakeServices, giveElementsAHeight } from "./fakeServices";

beforeAll(() => giveElementsAHeight());

async function openSettings(services = fakeServices()) {
  const user = userEvent.setup();
  render(<App services={services} />);
  await screen.findByRole("listbox", { name: "Conversations" });
  await user.click(screen.getByRole("tab", { name: "Settings" }));
  const form = screen.getByRole("form", { name: "Settings" });
  return { user, services, form };
}

/** Sets a field's value in one go (user.type treats "{{" as a key descriptor). */
function setValue(element: HTMLElement, value: string) {
  fireEvent.change(element, { target: { value } });
}

describe("SettingsPanel.tsx", () => {
  describe("thresholds and lists", () => {
    it("should save every change through the settings store and re-classify", async () => {
      const { user, services, form } = await openSettings();
      const follow = within(form).getByLabelText("Follow up after (days)");
      await user.clear(follow);
      await user.type(follow, "10");
      setValue(within(form).getByLabelText(/Internal domains/), "partner.example\n@Colleagues.example");
      await user.click(within(form).getByRole("button", { name: "Save settings" }));
      await waitFor(() => expect(services.saved.settings).toHaveLength(1));
      expect(services.saved.settings[0]).toMatchObject({
        followUpAfterDays: 10,
        internalDomains: ["partner.example", "colleagues.example"],
      });
      expect(within(form).getByText("Settings saved.")).toBeInTheDocument();
      await user.click(screen.getByRole("tab", { name: "Conversations" }));
      // Priya's attempt was 6 days ago: with a 10-day follow-up she is waiting, no longer stale.
      await user.selectOptions(screen.getByLabelText("Show"), "waiting");
      expect(
        within(screen.getByRole("listbox", { name: "Conversations" })).getByText(/Priya Patel/),
      ).toBeInTheDocument();
    });

    it("should list every problem and save nothing when a value is wrong", async () => {
      const { user, services, form } = await openSettings();
      const window = within(form).getByLabelText("Look back (days)");
      await user.clear(window);
      await user.type(window, "0");
      setValue(within(form).getByLabelText(/Not prospects: domains/), "not a domain");
      await user.click(within(form).getByRole("button", { name: "Save settings" }));
      expect(await within(form).findByText("Nothing was changed")).toBeInTheDocument();
      expect(form).toHaveTextContent("Look back (days) must be at least 1");
      expect(form).toHaveTextContent(
        'Excluded domains (not prospects) has "not a domain", which is not a domain',
      );
      expect(services.saved.settings).toHaveLength(0);
    });
  });

  describe("template editor", () => {
    it("should name an unknown placeholder inline and refuse to save it", async () => {
      const { user, services, form } = await openSettings();
      await user.selectOptions(within(form).getByLabelText("Template for"), "nudge");
      setValue(within(form).getByLabelText("Text body"), "Hi {{frstName}}, any news?");
      expect(
        within(form).getByText(/Unknown placeholder \{\{frstName\}\} in the text of the Nudge template/),
      ).toBeInTheDocument();
      expect(within(form).queryByRole("region", { name: "Template preview" })).toBeNull();
      await user.click(within(form).getByRole("button", { name: "Save settings" }));
      expect(await within(form).findByText("Nothing was changed")).toBeInTheDocument();
      expect(services.saved.settings).toHaveLength(0);
    });

    it("should preview the template live for a real conversation and save it", async () => {
      const { user, services, form } = await openSettings();
      setValue(within(form).getByLabelText("Subject"), "Checking in, {{firstName}}");
      setValue(within(form).getByLabelText("Text body"), "Hello {{firstName}} at {{company}}");
      const preview = within(form).getByRole("region", { name: "Template preview" });
      expect(preview).toHaveTextContent(/Preview · Subject: Checking in, \w+/);
      expect(preview).toHaveTextContent(/Hello \w+ at \w+/);
      expect(within(preview).getByTitle("HTML preview")).toHaveAttribute("sandbox", "");
      await user.click(within(form).getByRole("button", { name: "Save settings" }));
      await waitFor(() => expect(services.saved.settings).toHaveLength(1));
      expect(services.saved.settings[0]!.templates.nudge).toMatchObject({
        subject: "Checking in, {{firstName}}",
        text: "Hello {{firstName}} at {{company}}",
      });
    });
  });

  describe("export and import", () => {
    it("should export the settings as JSON", async () => {
      const { user, form } = await openSettings();
      await user.click(within(form).getByRole("button", { name: "Export settings" }));
      const exported = within(form).getByLabelText("Exported settings (JSON)") as HTMLTextAreaElement;
      expect(JSON.parse(exported.value)).toEqual(JSON.parse(JSON.stringify(DEFAULT_SETTINGS)));
    });

    it("should import good JSON and refuse bad JSON without changing anything", async () => {
      const { user, services, form } = await openSettings();
      const paste = within(form).getByLabelText("Or paste settings JSON");
      setValue(paste, JSON.stringify({ windowDays: -3, excludedAddresses: ["nope"], colour: "blue" }));
      await user.click(within(form).getByRole("button", { name: "Import pasted settings" }));
      expect(await within(form).findByText("Nothing was changed")).toBeInTheDocument();
      expect(form).toHaveTextContent('unknown setting "colour"');
      expect(form).toHaveTextContent("Look back (days) must be at least 1");
      expect(form).toHaveTextContent(
        'Excluded addresses (not prospects) has "nope", which is not an e-mail address',
      );
      expect(services.saved.settings).toHaveLength(0);

      setValue(paste, "{ not json");
      await user.click(within(form).getByRole("button", { name: "Import pasted settings" }));
      expect(await within(form).findByText(/not valid JSON/)).toBeInTheDocument();
      expect(services.saved.settings).toHaveLength(0);

      setValue(paste, JSON.stringify({ followUpAfterDays: 5 }));
      await user.click(within(form).getByRole("button", { name: "Import pasted settings" }));
      await waitFor(() => expect(services.saved.settings).toHaveLength(1));
      expect(services.saved.settings[0]!.followUpAfterDays).toBe(5);
      expect((within(form).getByLabelText("Follow up after (days)") as HTMLInputElement).value).toBe("5");
    });
  });
});
