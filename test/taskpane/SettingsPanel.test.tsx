/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "../../src/taskpane/App";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { instant } from "../../src/core/message";
import { parseStateDocument, stateDocument } from "../../src/core/stateDocument";
import type { StateEntry } from "../../src/core/userStateEntries";
import { NOW, fakeServices, giveElementsAHeight } from "./fakeServices";

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

const saveProblems = () => screen.getByTestId("save-problems");

describe("SettingsPanel.tsx", () => {
  describe("layout", () => {
    it("should group the settings as Rules, Who counts, Templates and Your data", async () => {
      const { form } = await openSettings();
      expect(
        within(form)
          .getAllByRole("heading", { level: 2 })
          .map((h) => h.textContent),
      ).toEqual(["Rules", "Who counts", "Templates", "Your data"]);
    });

    it("should give every number field a minimum of 1", async () => {
      const { form } = await openSettings();
      for (const label of ["Look back (days)", "Follow up after (days)", "Close the file after (attempts)"]) {
        const input = within(form).getByLabelText(label);
        expect(input).toHaveAttribute("type", "number");
        expect(input).toHaveAttribute("min", "1");
      }
    });
  });

  describe("thresholds and lists", () => {
    it("should save every change through the settings store, say so once, and re-classify", async () => {
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
      expect(await screen.findByTestId("undo-toast")).toHaveTextContent("Settings saved.");
      expect(within(form).queryByText("Settings saved.")).toBeNull();
      await user.click(screen.getByRole("tab", { name: "Conversations" }));
      // Priya's attempt was 6 days ago: with a 10-day follow-up she is waiting, no longer stale.
      await user.selectOptions(screen.getByLabelText("Show"), "waiting");
      expect(
        within(screen.getByRole("listbox", { name: "Conversations" })).getByText(/Priya Patel/),
      ).toBeInTheDocument();
    });

    it("should show each problem at its field and beside Save, in the field's words, and save nothing", async () => {
      const { user, services, form } = await openSettings();
      setValue(within(form).getByLabelText("Follow up after (days)"), "0");
      setValue(within(form).getByLabelText("Excluded domains (not prospects)"), "not a domain");
      await user.click(within(form).getByRole("button", { name: "Save settings" }));
      const follow = within(form).getByLabelText("Follow up after (days)");
      expect(follow).toHaveAttribute("aria-invalid", "true");
      expect(follow).toHaveAccessibleDescription(/Follow up after \(days\) must be at least 1/);
      expect(within(form).getByLabelText("Excluded domains (not prospects)")).toHaveAccessibleDescription(
        /Excluded domains \(not prospects\) has "not a domain", which is not a domain/,
      );
      expect(saveProblems()).toHaveTextContent("Not saved: fix the 2 fields marked above.");
      expect(form).not.toHaveTextContent(/followUpAfterDays|excludedDomains/);
      expect(services.saved.settings).toHaveLength(0);
      // Fixed, the messages go as the user types.
      setValue(within(form).getByLabelText("Follow up after (days)"), "2");
      setValue(within(form).getByLabelText("Excluded domains (not prospects)"), "");
      expect(saveProblems()).toHaveTextContent("");
    });

    it.each([
      ["", "Look back (days) is empty: enter a whole number from 1 to 3650"],
      ["2.5", "Look back (days) must be a whole number from 1 to 3650 (got 2.5)"],
      ["-1", "Look back (days) must be at least 1"],
      ["4000", "Look back (days) must be at most 3650"],
    ])("should explain %j in Look back (days)", async (value, message) => {
      const { user, form } = await openSettings();
      setValue(within(form).getByLabelText("Look back (days)"), value);
      await user.click(within(form).getByRole("button", { name: "Save settings" }));
      expect(saveProblems()).toHaveTextContent(message);
    });
  });

  describe("folders", () => {
    const FOLDERS = [
      { id: "AAMkProjects", name: "Projects", path: "Inbox / Projects" },
      { id: "AAMkClients", name: "Clients", path: "Inbox / Projects / Clients" },
    ];

    it("should list my folders by path, save the ones I pick, and keep one picked before that is gone", async () => {
      const { user, services, form } = await openSettings(
        fakeServices({
          settings: { ...DEFAULT_SETTINGS, extraFolders: ["AAMkGone"] },
          mailFolders: async () => FOLDERS,
        }),
      );
      const group = within(form).getByRole("group", { name: "Also look in these folders" });
      expect(await within(group).findByRole("checkbox", { name: "Inbox / Projects" })).not.toBeChecked();
      expect(within(group).getByRole("checkbox", { name: "Inbox / Projects / Clients" })).not.toBeChecked();
      expect(
        within(group).getByRole("checkbox", { name: "A folder no longer in your mailbox" }),
      ).toBeChecked();
      await user.click(within(group).getByRole("checkbox", { name: "Inbox / Projects / Clients" }));
      await user.click(within(form).getByRole("button", { name: "Save settings" }));
      await waitFor(() => expect(services.saved.settings).toHaveLength(1));
      expect(services.saved.settings[0]!.extraFolders).toEqual(["AAMkGone", "AAMkClients"]);
    });

    it("should keep what was picked when the folders cannot be listed, and say why", async () => {
      const { user, services, form } = await openSettings(
        fakeServices({
          settings: { ...DEFAULT_SETTINGS, extraFolders: ["AAMkProjects"] },
          mailFolders: async () => {
            throw new Error("offline");
          },
        }),
      );
      expect(await within(form).findByText(/Could not list your folders \(offline\)/)).toBeInTheDocument();
      expect(within(form).getByRole("checkbox", { name: "A folder you picked before" })).toBeChecked();
      await user.click(within(form).getByRole("button", { name: "Save settings" }));
      await waitFor(() => expect(services.saved.settings).toHaveLength(1));
      expect(services.saved.settings[0]!.extraFolders).toEqual(["AAMkProjects"]);
    });
  });

  describe("template editor", () => {
    it("should explain the sections the built-in wording uses, beside the placeholders", async () => {
      const { user, form } = await openSettings();
      await user.selectOptions(within(form).getByLabelText("Template for"), "nudge");
      // The built-in Nudge body has both kinds of section...
      const body = (within(form).getByLabelText("Message") as HTMLTextAreaElement).value;
      expect(body).toContain("{{#calls}}");
      expect(body).toContain("{{^subject}}");
      // ...and the list of placeholders says what they do.
      await user.click(within(form).getByText("Placeholders you can use"));
      expect(within(form).getByTestId("placeholder-sections")).toHaveTextContent(
        "{{#calls}}…{{/calls}} keeps the words between only when there is a value (here, logged calls); {{^subject}}…{{/subject}} keeps them only when there is none.",
      );
    });

    it("should name an unknown placeholder inline and refuse to save it", async () => {
      const { user, services, form } = await openSettings();
      await user.selectOptions(within(form).getByLabelText("Template for"), "nudge");
      setValue(within(form).getByLabelText("Message"), "Hi {{frstName}}, any news?");
      expect(
        within(form).getByText(/Unknown placeholder \{\{frstName\}\} in the message of the Nudge template/),
      ).toBeInTheDocument();
      expect(within(form).queryByRole("region", { name: "Template preview" })).toBeNull();
      await user.click(within(form).getByRole("button", { name: "Save settings" }));
      expect(saveProblems()).toHaveTextContent(/Not saved: Unknown placeholder \{\{frstName\}\}/);
      expect(services.saved.settings).toHaveLength(0);
    });

    it("should edit the subject every insert path uses, preview it, name its problem at the field, and save it", async () => {
      const { user, services, form } = await openSettings();
      const subject = within(form).getByLabelText("Subject");
      expect(subject).toHaveValue("Following up{{#subject}}: {{subject}}{{/subject}}");
      setValue(subject, "Still on {{topik}}?");
      expect(
        within(form).getByText(/Unknown placeholder \{\{topik\}\} in the subject of the Nudge template/),
      ).toBeInTheDocument();
      setValue(subject, "Still on {{subject}}?");
      const preview = within(form).getByRole("region", { name: "Template preview" });
      expect(within(preview).getByText(/^Subject: Still on .+\?$/)).toBeInTheDocument();
      await user.click(within(form).getByRole("button", { name: "Save settings" }));
      await waitFor(() => expect(services.saved.settings).toHaveLength(1));
      expect(services.saved.settings[0]!.templates.nudge).toMatchObject({ subject: "Still on {{subject}}?" });
    });

    it("should write one plain-text body, preview it once, and save it as paragraphs", async () => {
      const { user, services, form } = await openSettings();
      setValue(within(form).getByLabelText("Message"), "Hello {{firstName}} at {{company}} & co\n\nBye\nSam");
      const preview = within(form).getByRole("region", { name: "Template preview" });
      expect(within(preview).getAllByTitle("Message preview")).toHaveLength(1);
      const frame = within(preview).getByTitle("Message preview");
      expect(frame).toHaveAttribute("sandbox", "");
      expect(frame.getAttribute("srcdoc")).toMatch(/<p>Hello \w+ at [^<]+ &amp; co<\/p>\n<p>Bye<br>Sam<\/p>/);
      await user.click(within(form).getByRole("button", { name: "Save settings" }));
      await waitFor(() => expect(services.saved.settings).toHaveLength(1));
      expect(services.saved.settings[0]!.templates.nudge).toMatchObject({
        text: "Hello {{firstName}} at {{company}} & co\n\nBye\nSam",
        html: "<p>Hello {{firstName}} at {{company}} &amp; co</p>\n<p>Bye<br>Sam</p>",
      });
    });

    it("should sanitise advanced HTML when previewing and saving", async () => {
      const { user, services, form } = await openSettings();
      await user.click(within(form).getByRole("switch", { name: "Advanced: HTML" }));
      setValue(
        within(form).getByLabelText("Message (HTML)"),
        '<p onclick="x()">Hi <b>{{firstName}}</b> <img src="https://t.example/p.gif"><a href="javascript:alert(1)">bad</a> <a href="https://ok.example">ok</a></p><script>alert(1)</script><style>p{}</style>',
      );
      const srcdoc = within(form).getByTitle("Message preview").getAttribute("srcdoc")!;
      expect(srcdoc).not.toMatch(/<img|<script|onclick|javascript:|p\{\}/);
      expect(srcdoc).toContain('<a href="https://ok.example">ok</a>');
      await user.click(within(form).getByRole("button", { name: "Save settings" }));
      await waitFor(() => expect(services.saved.settings).toHaveLength(1));
      const saved = services.saved.settings[0]!.templates.nudge!;
      expect(saved.html).toBe(
        '<p>Hi <b>{{firstName}}</b> <a>bad</a> <a href="https://ok.example">ok</a></p>',
      );
      expect(saved.text).toBe("Hi {{firstName}} bad ok");
    });
  });

  describe("export and import", () => {
    it("should export the settings as JSON", async () => {
      const { user, form } = await openSettings();
      await user.click(within(form).getByRole("button", { name: "Export settings only" }));
      const exported = within(form).getByLabelText("Exported settings (JSON)") as HTMLTextAreaElement;
      expect(JSON.parse(exported.value)).toEqual(JSON.parse(JSON.stringify(DEFAULT_SETTINGS)));
    });

    it("should tell the pane user what the file holds and that importing loses nothing, the command only as an aside", async () => {
      const { form } = await openSettings();
      const yourData = within(form).getByRole("region", { name: "Your data" });
      for (const words of [
        /settings, your templates/,
        /snoozes, closed files, logged calls/,
        /adds what the file holds to what is here, and loses nothing/,
        /the newer one is kept/,
      ]) {
        expect(yourData).toHaveTextContent(words);
      }
      // The command is a hint at the end, in plain words: no flags, no file formats.
      expect(yourData).not.toHaveTextContent(/--state|JSON file|state file/);
      expect(within(yourData).getByTestId("command-hint")).toHaveTextContent(/rekindle command/);
      expect(yourData.textContent!.indexOf("rekindle command")).toBeGreaterThan(
        yourData.textContent!.indexOf("loses nothing"),
      );
    });

    it("should open the file chooser from a themed button, show the chosen file's name, and preview its import", async () => {
      const { user, services, form } = await openSettings();
      const input = within(form).getByTestId("import-file-input") as HTMLInputElement;
      // The native control stays out of sight and out of the tab order; the button is what users reach.
      expect(input).not.toBeVisible();
      expect(input).toHaveAttribute("tabindex", "-1");
      const choose = within(form).getByRole("button", { name: "Choose a file to import" });
      expect(choose).toHaveAccessibleDescription("No file chosen");
      const opened = jest.spyOn(input, "click");
      choose.focus();
      await user.keyboard("{Enter}");
      expect(opened).toHaveBeenCalledTimes(1);

      const file = new File([JSON.stringify({ followUpAfterDays: 6 })], "team-settings.json", {
        type: "application/json",
      });
      await user.upload(input, file);
      expect(await within(form).findByTestId("import-preview")).toHaveTextContent(
        "Follow up after (days): 3 → 6",
      );
      expect(choose).toHaveAccessibleDescription("Chosen: team-settings.json");
      expect(services.saved.settings).toHaveLength(0);
      await user.click(within(form).getByRole("button", { name: "Apply import" }));
      await waitFor(() => expect(services.saved.settings).toHaveLength(1));
      expect(choose).toHaveAccessibleDescription("No file chosen");
      expect(choose).toHaveFocus();
    });

    it("should refuse bad JSON, naming settings as labelled, without changing anything", async () => {
      const { user, services, form } = await openSettings();
      const paste = within(form).getByLabelText("Or paste the text of a file");
      setValue(paste, JSON.stringify({ windowDays: -3, excludedAddresses: ["nope"], colour: "blue" }));
      await user.click(within(form).getByRole("button", { name: "Check pasted text" }));
      expect(await within(form).findByText(/This import cannot be used/)).toBeInTheDocument();
      expect(form).toHaveTextContent('Unknown setting "colour"');
      expect(form).toHaveTextContent("Look back (days) must be at least 1");
      expect(form).toHaveTextContent(
        'Excluded addresses (not prospects) has "nope", which is not an e-mail address',
      );
      expect(services.saved.settings).toHaveLength(0);

      setValue(paste, "{ not json");
      await user.click(within(form).getByRole("button", { name: "Check pasted text" }));
      expect(
        await within(form).findByText(
          /^This is not a file Rekindle exported, or it is damaged \(not valid JSON: /,
        ),
      ).toBeInTheDocument();
      expect(services.saved.settings).toHaveLength(0);
    });

    it("should show what an import changes and apply it only when asked", async () => {
      const { user, services, form } = await openSettings();
      const paste = within(form).getByLabelText("Or paste the text of a file");
      setValue(paste, JSON.stringify({ followUpAfterDays: 5, excludedDomains: ["spam.example"] }));
      await user.click(within(form).getByRole("button", { name: "Check pasted text" }));
      const preview = await within(form).findByTestId("import-preview");
      expect(preview).toHaveTextContent("Follow up after (days): 3 → 5");
      expect(preview).toHaveTextContent("Excluded domains (not prospects): adds spam.example");
      expect(services.saved.settings).toHaveLength(0);
      await user.click(within(preview).getByRole("button", { name: "Cancel" }));
      expect(services.saved.settings).toHaveLength(0);
      // The preview and its buttons are gone: focus is back where an import starts.
      expect(within(form).getByRole("button", { name: "Choose a file to import" })).toHaveFocus();

      await user.click(within(form).getByRole("button", { name: "Check pasted text" }));
      await user.click(
        within(await within(form).findByTestId("import-preview")).getByRole("button", {
          name: "Apply import",
        }),
      );
      await waitFor(() => expect(services.saved.settings).toHaveLength(1));
      expect(services.saved.settings[0]!.followUpAfterDays).toBe(5);
      expect((within(form).getByLabelText("Follow up after (days)") as HTMLInputElement).value).toBe("5");
    });
  });
  describe("settings and decisions in one file", () => {
    const t = (n: number) => instant(NOW - 10_000 + n);
    const stored: StateEntry[] = [
      { kind: "snooze", id: "conv-nudge", at: t(5), until: instant(NOW + 7 * 86_400_000) },
      {
        kind: "sent",
        id: "reply-form:conv-mei:1",
        at: t(1),
        conversationId: "conv-mei",
        technique: "no-pressure",
        edited: true,
        path: "reply-form",
      },
    ];

    it("should export the decisions with the settings, in the CLI's state-file format", async () => {
      const { user, form } = await openSettings(fakeServices({ entries: stored }));
      await user.click(within(form).getByRole("button", { name: "Export settings and decisions" }));
      const text = (
        within(form).getByLabelText("Exported settings and decisions (JSON)") as HTMLTextAreaElement
      ).value;
      const raw = JSON.parse(text) as { format: string; version: number };
      expect([raw.format, raw.version]).toEqual(["rekindle-user-state", 1]);
      expect(parseStateDocument(raw)).toEqual({
        entries: [stored[1], stored[0]],
        settings: JSON.parse(JSON.stringify(DEFAULT_SETTINGS)),
      });

      // Importing the export back changes nothing.
      setValue(within(form).getByLabelText("Or paste the text of a file"), text);
      await user.click(within(form).getByRole("button", { name: "Check pasted text" }));
      expect(await within(form).findByTestId("import-preview")).toHaveTextContent(
        "Importing would change nothing.",
      );
    });

    it("should show what a CLI state file would change, merge it per entry when asked, and never lose one", async () => {
      const services = fakeServices({ entries: stored });
      const { user, form } = await openSettings(services);
      const cli: StateEntry[] = [
        { kind: "snooze", id: "conv-nudge", at: t(2), until: null }, // older than the pane's: changes nothing
        { kind: "closed", id: "conv-are-you-ok", at: t(3), closed: true },
        { kind: "not-a-prospect", id: "@spam.example", at: t(4), excluded: true },
      ];
      setValue(
        within(form).getByLabelText("Or paste the text of a file"),
        JSON.stringify(stateDocument(cli)),
      );
      await user.click(within(form).getByRole("button", { name: "Check pasted text" }));
      const preview = await within(form).findByTestId("import-preview");
      expect(preview).toHaveTextContent("Add 1 closed file");
      expect(preview).toHaveTextContent('Add 1 "not a prospect" mark');
      expect(preview).not.toHaveTextContent("snooze");
      expect(services.saved.entries).toEqual([]);
      expect(services.saved.settings).toEqual([]);

      await user.click(within(preview).getByRole("button", { name: "Apply import" }));
      await waitFor(() => expect(services.saved.entries).toEqual([cli[1], cli[2]]));
      // "Not a prospect" is an entry like the others: the settings are left alone.
      expect(services.saved.settings).toEqual([]);
      // Everything the pane had is still there, and the CLI's decisions joined it.
      const after = await services.userState.load();
      expect(after.map((e) => `${e.kind}:${e.id}`).sort()).toEqual([
        "closed:conv-are-you-ok",
        "not-a-prospect:@spam.example",
        "sent:reply-form:conv-mei:1",
        "snooze:conv-nudge",
      ]);
      expect(after.find((e) => e.kind === "snooze")).toEqual(stored[0]);
    });

    it("should refuse a damaged data file, naming the entry, and change nothing", async () => {
      const services = fakeServices({ entries: stored });
      const { user, form } = await openSettings(services);
      const bad = {
        format: "rekindle-user-state",
        version: 1,
        entries: [{ kind: "closed", id: "c", at: 1 }],
      };
      setValue(within(form).getByLabelText("Or paste the text of a file"), JSON.stringify(bad));
      await user.click(within(form).getByRole("button", { name: "Check pasted text" }));
      expect(await within(form).findByText(/This import cannot be used/)).toBeInTheDocument();
      expect(form).toHaveTextContent(
        'The data file cannot be used: entry 1: closed entry "c" needs "closed" true or false',
      );
      expect(services.saved.entries).toEqual([]);
    });
  });
});
