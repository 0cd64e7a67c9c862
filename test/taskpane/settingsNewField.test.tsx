/** @jest-environment jsdom */
// A setting added to the one table (core/settingsSchema.ts) appears in the panel by itself, is saved from it, and
// is never reset by a save of other fields. The table is extended here as a new threshold would be.
import "@testing-library/jest-dom";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

jest.mock("../../src/core/settingsSchema", () => {
  const actual = jest.requireActual<typeof import("../../src/core/settingsSchema")>(
    "../../src/core/settingsSchema",
  );
  const SETTING_FIELDS = {
    ...actual.SETTING_FIELDS,
    reviveAfterDays: {
      kind: "wholeNumber",
      label: "Revive after (days)",
      help: "A test threshold that only this table knows about.",
      group: "rules",
      default: 120,
      min: 7,
      max: 400,
    },
  } as const;
  return {
    ...actual,
    SETTING_FIELDS,
    SETTING_KEYS: Object.freeze(Object.keys(SETTING_FIELDS)),
    SETTINGS_FORM: actual.formGroupsOf(SETTING_FIELDS),
    isSettingKey: (key: string) => Object.hasOwn(SETTING_FIELDS, key),
    settingField: (key: keyof typeof SETTING_FIELDS) => ({ ...SETTING_FIELDS[key], key }),
    defaultSettings: () => actual.defaultsOf(SETTING_FIELDS),
  };
});

// imported after the mock, so every module sees the extended table
import { DEFAULT_SETTINGS, type Settings } from "../../src/core/settings";
import { App } from "../../src/taskpane/App";
import { fakeServices, giveElementsAHeight } from "./fakeServices";

beforeAll(() => giveElementsAHeight());

type WithRevive = Settings & { readonly reviveAfterDays: number };

async function openSettings(settings: WithRevive) {
  const services = fakeServices({ settings });
  const user = userEvent.setup();
  render(<App services={services} />);
  await screen.findByRole("listbox", { name: "Conversations" });
  await user.click(screen.getByRole("tab", { name: "Settings" }));
  return { user, services, form: screen.getByRole("form", { name: "Settings" }) };
}

describe("SettingsPanel.tsx with a setting the panel was never told about", () => {
  it("should take the new setting's default from the table", () => {
    expect((DEFAULT_SETTINGS as WithRevive).reviveAfterDays).toBe(120);
  });

  it("should show it in its group with its label, hint and range, and keep it through another field's save", async () => {
    const { user, services, form } = await openSettings({
      ...DEFAULT_SETTINGS,
      reviveAfterDays: 30,
    } as WithRevive);
    const rules = within(form).getByRole("region", { name: "Rules" });
    const revive = within(rules).getByLabelText("Revive after (days)");
    expect(revive).toHaveValue(30);
    expect(revive).toHaveAttribute("min", "7");
    expect(revive).toHaveAccessibleDescription(/only this table knows about/);

    const follow = within(form).getByLabelText("Follow up after (days)");
    await user.clear(follow);
    await user.type(follow, "9");
    await user.click(within(form).getByRole("button", { name: "Save settings" }));
    await waitFor(() => expect(services.saved.settings).toHaveLength(1));
    expect(services.saved.settings[0]).toMatchObject({ followUpAfterDays: 9, reviveAfterDays: 30 });
  });

  it("should check it at its field, in its label's words, and save it when fixed", async () => {
    const { user, services, form } = await openSettings({
      ...DEFAULT_SETTINGS,
      reviveAfterDays: 30,
    } as WithRevive);
    const revive = within(form).getByLabelText("Revive after (days)");
    await user.clear(revive);
    await user.type(revive, "3");
    await user.click(within(form).getByRole("button", { name: "Save settings" }));
    expect(revive).toHaveAttribute("aria-invalid", "true");
    expect(revive).toHaveAccessibleDescription(/Revive after \(days\) must be at least 7/);
    expect(screen.getByTestId("save-problems")).toHaveTextContent(
      "Not saved: Revive after (days) must be at least 7",
    );
    expect(services.saved.settings).toHaveLength(0);

    await user.clear(revive);
    await user.type(revive, "45");
    await user.click(within(form).getByRole("button", { name: "Save settings" }));
    await waitFor(() => expect(services.saved.settings).toHaveLength(1));
    expect(services.saved.settings[0]).toMatchObject({ reviveAfterDays: 45 });
  });
});
