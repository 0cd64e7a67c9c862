// Every threshold, internal domains, exclusions, the window and the templates; export and import as JSON. Nothing is
// saved until it all validates (parseSettings), and a bad import lists its problems and changes nothing.
import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useState, type ChangeEvent } from "react";
import type { ConversationReport } from "../../core/awaitingReply";
import type { Me } from "../../core/message";
import type { Settings } from "../../core/settings";
import { SettingsError, parseSettings } from "../../core/settingsValidation";
import type { Technique } from "../../core/technique";
import type { TemplateSource } from "../../core/template";
import { TemplateEditor, firstTemplateProblem } from "./TemplateEditor";

const useStyles = makeStyles({
  form: { display: "grid", gap: tokens.spacingVerticalM, paddingTop: tokens.spacingVerticalM },
  grid: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fill, minmax(140px, 1fr))",
    gap: tokens.spacingHorizontalM,
  },
  row: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap", alignItems: "center" },
  problems: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

type NumberKey =
  | "windowDays"
  | "followUpAfterDays"
  | "maxRecipients"
  | "pendingFileDays"
  | "areYouOkAttempts"
  | "areYouOkDays"
  | "shouldICloseAttempts"
  | "closeFileAttempts"
  | "noPressureAttempts";
type ListKey = "myAddresses" | "internalDomains" | "excludedAddresses" | "excludedDomains";

const NUMBER_FIELDS: readonly { readonly key: NumberKey; readonly label: string; readonly hint: string }[] = [
  { key: "windowDays", label: "Look back (days)", hint: "Only mail from this many days counts." },
  {
    key: "followUpAfterDays",
    label: "Follow up after (days)",
    hint: "Wait this long after your last attempt.",
  },
  { key: "maxRecipients", label: "Mass mail above (recipients)", hint: "Bigger sends are not attempts." },
  {
    key: "pendingFileDays",
    label: "Pending file after (days)",
    hint: "Silent this long: the pending-file note.",
  },
  { key: "areYouOkAttempts", label: "Are you OK? after (attempts)", hint: "For warm prospects." },
  { key: "areYouOkDays", label: "Are you OK? after (days)", hint: "For warm prospects." },
  { key: "shouldICloseAttempts", label: "Should I close? after (attempts)", hint: "Warm, proposal sent." },
  { key: "closeFileAttempts", label: "Close the file after (attempts)", hint: "Never replied." },
  { key: "noPressureAttempts", label: "No pressure after (attempts)", hint: "Warm prospects." },
];

const LIST_FIELDS: readonly { readonly key: ListKey; readonly label: string }[] = [
  { key: "myAddresses", label: "My other addresses (one per line)" },
  { key: "internalDomains", label: "Internal domains: colleagues, never prospects (one per line)" },
  { key: "excludedAddresses", label: "Not prospects: addresses (one per line)" },
  { key: "excludedDomains", label: "Not prospects: domains (one per line)" },
];

interface Form {
  readonly numbers: Record<NumberKey, string>;
  readonly lists: Record<ListKey, string>;
  readonly templates: Partial<Record<Technique, TemplateSource>>;
}

function formOf(settings: Settings): Form {
  const numbers = {} as Record<NumberKey, string>;
  for (const f of NUMBER_FIELDS) numbers[f.key] = String(settings[f.key]);
  const lists = {} as Record<ListKey, string>;
  for (const f of LIST_FIELDS) lists[f.key] = settings[f.key].join("\n");
  return { numbers, lists, templates: { ...settings.templates } };
}

function rawOf(form: Form): Record<string, unknown> {
  const raw: Record<string, unknown> = { templates: form.templates };
  for (const f of NUMBER_FIELDS) {
    const text = form.numbers[f.key].trim();
    raw[f.key] = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  }
  for (const f of LIST_FIELDS) {
    raw[f.key] = form.lists[f.key]
      .split(/[\n,;]/)
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return raw;
}

export interface SettingsPanelProps {
  readonly settings: Settings;
  readonly onSave: (settings: Settings, message?: string) => Promise<void>;
  readonly sample: ConversationReport;
  readonly me: Me;
  readonly dark: boolean;
}

export function SettingsPanel(props: SettingsPanelProps) {
  const styles = useStyles();
  const [form, setForm] = useState<Form>(() => formOf(props.settings));
  const [technique, setTechnique] = useState<Technique>("nudge");
  const [problems, setProblems] = useState<readonly string[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [importText, setImportText] = useState("");

  const fail = (error: unknown) => {
    setNotice(null);
    if (error instanceof SettingsError) setProblems(error.problems);
    else if (error instanceof SyntaxError) setProblems([`The file is not valid JSON: ${error.message}`]);
    else setProblems([error instanceof Error ? error.message : String(error)]);
  };

  const save = async () => {
    try {
      const templateProblem = firstTemplateProblem(form.templates);
      if (templateProblem) throw new SettingsError("settings", [templateProblem]);
      // The form has no fields for my phone and company yet: keep them rather than reset them to the defaults.
      const kept = { myPhone: props.settings.myPhone, myCompany: props.settings.myCompany };
      const parsed = parseSettings({ ...kept, ...rawOf(form) }, "settings");
      await props.onSave(parsed);
      setForm(formOf(parsed));
      setProblems([]);
      setNotice("Settings saved.");
    } catch (error) {
      fail(error);
    }
  };

  const importJson = async (text: string) => {
    try {
      const parsed = parseSettings(JSON.parse(text), "the imported settings");
      await props.onSave(parsed, "Settings imported.");
      setForm(formOf(parsed));
      setProblems([]);
      setNotice("Settings imported.");
    } catch (error) {
      fail(error);
    }
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) await importJson(await file.text());
    event.target.value = "";
  };

  const exportJson = () => {
    const json = JSON.stringify(props.settings, null, 2);
    setExported(json);
    if (typeof URL.createObjectURL === "function") {
      const url = URL.createObjectURL(new Blob([json], { type: "application/json" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = "rekindle-settings.json";
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    }
  };

  return (
    <form
      className={styles.form}
      aria-label="Settings"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div aria-live="polite">
        {problems.length > 0 && (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Nothing was changed</MessageBarTitle>
              <ul className={styles.problems}>
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </MessageBarBody>
          </MessageBar>
        )}
        {notice && (
          <MessageBar intent="success">
            <MessageBarBody>{notice}</MessageBarBody>
          </MessageBar>
        )}
      </div>
      <Subtitle2 as="h2">Rules</Subtitle2>
      <div className={styles.grid}>
        {NUMBER_FIELDS.map((f) => (
          <Field key={f.key} label={f.label} hint={f.hint}>
            <Input
              inputMode="numeric"
              value={form.numbers[f.key]}
              onChange={(_, d) => setForm({ ...form, numbers: { ...form.numbers, [f.key]: d.value } })}
            />
          </Field>
        ))}
      </div>
      <Subtitle2 as="h2">Who counts</Subtitle2>
      {LIST_FIELDS.map((f) => (
        <Field key={f.key} label={f.label}>
          <Textarea
            rows={3}
            resize="vertical"
            value={form.lists[f.key]}
            onChange={(_, d) => setForm({ ...form, lists: { ...form.lists, [f.key]: d.value } })}
          />
        </Field>
      ))}
      <Subtitle2 as="h2">Templates</Subtitle2>
      <TemplateEditor
        technique={technique}
        onTechniqueChange={setTechnique}
        templates={form.templates}
        onChange={(t, source) => {
          const templates = { ...form.templates };
          if (source) templates[t] = source;
          else delete templates[t];
          setForm({ ...form, templates });
        }}
        sample={props.sample}
        me={props.me}
        dark={props.dark}
      />
      <div className={styles.row}>
        <Button appearance="primary" type="submit">
          Save settings
        </Button>
        <Button onClick={() => setForm(formOf(props.settings))}>Discard changes</Button>
      </div>
      <Subtitle2 as="h2">Export and import</Subtitle2>
      <div className={styles.row}>
        <Button onClick={exportJson}>Export settings</Button>
      </div>
      {exported !== null && (
        <Field label="Exported settings (JSON)">
          <Textarea readOnly rows={6} value={exported} />
        </Field>
      )}
      <Field label="Import settings from a JSON file">
        {/* Field labels Fluent controls only; the native file input is labelled explicitly. */}
        <input
          type="file"
          accept="application/json,.json"
          aria-label="Import settings from a JSON file"
          onChange={(e) => void onFile(e)}
        />
      </Field>
      <Field label="Or paste settings JSON">
        <Textarea rows={4} value={importText} onChange={(_, d) => setImportText(d.value)} />
      </Field>
      <div className={styles.row}>
        <Button disabled={!importText.trim()} onClick={() => void importJson(importText)}>
          Import pasted settings
        </Button>
      </div>
    </form>
  );
}
