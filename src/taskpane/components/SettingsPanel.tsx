// Settings in four groups (Rules, Who counts, Templates, Your data), one column in a narrow pane. Each field shows
// its own problem under its label, and Save says beside it what stops it; nothing is saved until all of it is
// valid. An import shows what it would change and applies only when the user says so.
import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useState, type ChangeEvent } from "react";
import type { ConversationReport } from "../../core/awaitingReply";
import type { Me } from "../../core/message";
import { singleLine } from "../../core/plainText";
import type { Settings } from "../../core/settings";
import { SettingsError, parseSettings } from "../../core/settingsValidation";
import type { Technique } from "../../core/technique";
import {
  entryChanges,
  isStateDocument,
  parseStateDocument,
  stateDocument,
  StateDocumentError,
} from "../../core/stateDocument";
import type { StateEntry } from "../../core/userStateEntries";
import {
  LIST_FIELDS,
  NUMBER_FIELDS,
  describeChanges,
  formOf,
  formProblems,
  humaniseSettingsProblem,
  sanitizedTemplates,
  settingsOf,
  type SettingsForm,
} from "../state/settingsForm";
import { TemplateEditor, firstTemplateProblem } from "./TemplateEditor";

const useStyles = makeStyles({
  form: {
    display: "grid",
    gap: tokens.spacingVerticalL,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM} 0`,
    minWidth: 0,
  },
  group: {
    display: "grid",
    gap: tokens.spacingVerticalM,
    minWidth: 0,
    margin: 0,
    padding: 0,
    border: "none",
  },
  numbers: {
    display: "grid",
    gridTemplateColumns: "minmax(0, 1fr)",
    gap: tokens.spacingVerticalM,
    "@media (min-width: 500px)": {
      gridTemplateColumns: "repeat(2, minmax(0, 1fr))",
      columnGap: tokens.spacingHorizontalL,
    },
  },
  row: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap", alignItems: "center" },
  problems: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  footer: {
    position: "sticky",
    bottom: 0,
    display: "grid",
    gap: tokens.spacingVerticalXS,
    margin: `0 calc(-1 * ${tokens.spacingHorizontalM})`,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    zIndex: 1,
  },
  error: { color: tokens.colorPaletteRedForeground1 },
  fileInput: { maxWidth: "100%" },
});

export interface SettingsPanelProps {
  readonly settings: Settings;
  readonly onSave: (settings: Settings, message?: string) => Promise<void>;
  readonly sample: ConversationReport;
  readonly me: Me;
  readonly dark: boolean;
  /** The stored decisions (snoozes, closed files, calls…): with it, the export carries them and an import merges them. */
  readonly loadEntries?: () => Promise<readonly StateEntry[]>;
  readonly onImportEntries?: (entries: readonly StateEntry[]) => Promise<void>;
}

interface PendingImport {
  /** The settings to save; null when the import leaves them as they are. */
  readonly settings: Settings | null;
  /** Imported decisions that win their key (new, or newer than the stored one). */
  readonly entries: readonly StateEntry[];
  readonly changes: readonly string[];
}

/** Settings with the imported "not a prospect" decisions applied (the pane keeps exclusions in the settings). */
function withExclusions(settings: Settings, entries: readonly StateEntry[]): Settings {
  let addresses = [...settings.excludedAddresses];
  let domains = [...settings.excludedDomains];
  for (const e of entries) {
    if (e.kind !== "not-a-prospect") continue;
    const isDomain = e.id.startsWith("@");
    const value = isDomain ? e.id.slice(1) : e.id;
    const list = isDomain ? domains : addresses;
    const next = e.excluded
      ? list.includes(value)
        ? list
        : [...list, value]
      : list.filter((v) => v !== value);
    if (isDomain) domains = next;
    else addresses = next;
  }
  return { ...settings, excludedAddresses: addresses, excludedDomains: domains };
}

function messageOf(error: unknown): readonly string[] {
  if (error instanceof SettingsError) return error.problems.map(humaniseSettingsProblem);
  if (error instanceof SyntaxError) return [`The file is not valid JSON: ${error.message}`];
  if (error instanceof StateDocumentError) return [`The data file cannot be used: ${error.message}`];
  return [error instanceof Error ? error.message : String(error)];
}

export function SettingsPanel(props: SettingsPanelProps) {
  const styles = useStyles();
  const [form, setForm] = useState<SettingsForm>(() => formOf(props.settings));
  const [technique, setTechnique] = useState<Technique>("nudge");
  // Field problems show once the user tried to save, then follow each keystroke.
  const [checking, setChecking] = useState(false);
  const [saveProblems, setSaveProblems] = useState<readonly string[]>([]);
  const [exported, setExported] = useState<string | null>(null);
  const [exportedData, setExportedData] = useState<string | null>(null);
  const [importText, setImportText] = useState("");
  const [importProblems, setImportProblems] = useState<readonly string[]>([]);
  const [pending, setPending] = useState<PendingImport | null>(null);

  const fieldProblems = checking ? formProblems(form) : {};
  const templateProblem = checking ? firstTemplateProblem(form.templates) : null;
  const stopping = [...Object.values(fieldProblems), ...(templateProblem ? [templateProblem] : [])];

  const save = async () => {
    setChecking(true);
    const problems = formProblems(form);
    const template = firstTemplateProblem(form.templates);
    if (Object.keys(problems).length > 0 || template) {
      setSaveProblems([]);
      return;
    }
    try {
      // settings the form has no field for (phone, company, domain groups…) are kept, not reset
      const parsed = settingsOf(form, props.settings);
      await props.onSave(parsed);
      setForm(formOf(parsed));
      setSaveProblems([]);
      setChecking(false);
    } catch (error) {
      setSaveProblems(messageOf(error));
    }
  };

  const readImport = async (text: string) => {
    setPending(null);
    try {
      const raw: unknown = JSON.parse(text);
      if (isStateDocument(raw)) {
        // A data file (the pane's export, or the CLI's state file): its decisions merge, and its settings apply.
        const doc = parseStateDocument(raw);
        if (doc.entries.length > 0 && !props.onImportEntries) {
          throw new Error("this pane cannot keep imported decisions");
        }
        const { winners, lines } = entryChanges(
          props.loadEntries ? await props.loadEntries() : [],
          doc.entries,
        );
        const base = doc.settings
          ? ({ ...doc.settings, templates: sanitizedTemplates(doc.settings.templates) } as Settings)
          : props.settings;
        const next = withExclusions(base, winners);
        const settingsChanges = describeChanges(props.settings, next);
        setImportProblems([]);
        setPending({
          settings: settingsChanges.length ? next : null,
          entries: winners,
          changes: [...settingsChanges, ...lines],
        });
        return;
      }
      const parsed = parseSettings(raw, "the imported settings");
      const clean = { ...parsed, templates: sanitizedTemplates(parsed.templates) } as Settings;
      setImportProblems([]);
      setPending({ settings: clean, entries: [], changes: describeChanges(props.settings, clean) });
    } catch (error) {
      setImportProblems(messageOf(error));
    }
  };

  const applyImport = async (next: PendingImport) => {
    try {
      if (next.entries.length > 0) await props.onImportEntries?.(next.entries);
      if (next.settings) await props.onSave(next.settings, "Settings imported.");
      setForm(formOf(next.settings ?? props.settings));
      setPending(null);
      setImportText("");
    } catch (error) {
      setImportProblems(messageOf(error));
    }
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) await readImport(await file.text());
    event.target.value = "";
  };

  const download = (json: string, name: string) => {
    if (typeof URL.createObjectURL === "function") {
      const url = URL.createObjectURL(new Blob([json], { type: "application/json" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    }
  };

  const exportJson = () => {
    const json = JSON.stringify(props.settings, null, 2);
    setExportedData(null);
    setExported(json);
    download(json, "rekindle-settings.json");
  };

  const exportData = async () => {
    try {
      const entries = props.loadEntries ? await props.loadEntries() : [];
      const json = JSON.stringify(stateDocument(entries, props.settings), null, 1);
      setExported(null);
      setExportedData(json);
      download(json, "rekindle-data.json");
    } catch (error) {
      setImportProblems([`Could not export your decisions: ${messageOf(error).join(" ")}`]);
    }
  };

  return (
    <form
      className={styles.form}
      aria-label="Settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <section className={styles.group} aria-labelledby="rules-heading">
        <Subtitle2 as="h2" id="rules-heading">
          Rules
        </Subtitle2>
        <div className={styles.numbers}>
          {NUMBER_FIELDS.map((f) => (
            <Field
              key={f.key}
              label={f.label}
              hint={f.hint}
              validationMessage={fieldProblems[f.key]}
              validationState={fieldProblems[f.key] ? "error" : "none"}
            >
              <Input
                type="number"
                inputMode="numeric"
                min={f.min}
                max={f.max}
                step={1}
                value={form.numbers[f.key]}
                onChange={(_, d) => setForm({ ...form, numbers: { ...form.numbers, [f.key]: d.value } })}
              />
            </Field>
          ))}
        </div>
      </section>

      <section className={styles.group} aria-labelledby="who-heading">
        <Subtitle2 as="h2" id="who-heading">
          Who counts
        </Subtitle2>
        {LIST_FIELDS.map((f) => (
          <Field
            key={f.key}
            label={f.label}
            validationMessage={fieldProblems[f.key]}
            validationState={fieldProblems[f.key] ? "error" : "none"}
          >
            <Textarea
              rows={3}
              resize="vertical"
              value={form.lists[f.key]}
              onChange={(_, d) => setForm({ ...form, lists: { ...form.lists, [f.key]: d.value } })}
            />
          </Field>
        ))}
      </section>

      <section className={styles.group} aria-labelledby="templates-heading">
        <Subtitle2 as="h2" id="templates-heading">
          Templates
        </Subtitle2>
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
      </section>

      <section className={styles.group} aria-labelledby="data-heading">
        <Subtitle2 as="h2" id="data-heading">
          Your data
        </Subtitle2>
        <div className={styles.row}>
          <Button onClick={exportJson}>Export settings</Button>
          {props.loadEntries && (
            <Button onClick={() => void exportData()}>Export settings and decisions</Button>
          )}
        </div>
        {props.loadEntries && (
          <Text size={200}>
            Settings and decisions (snoozes, closed files, calls, sent messages) go in one file, which the
            rekindle command reads as its state file (--state rekindle-data.json), and which imports here from
            the command too. An import merges decisions one by one, the newer winning; it never removes any.
          </Text>
        )}
        {exported !== null && (
          <Field label="Exported settings (JSON)">
            <Textarea readOnly rows={6} value={exported} />
          </Field>
        )}
        {exportedData !== null && (
          <Field label="Exported settings and decisions (JSON)">
            <Textarea readOnly rows={6} value={exportedData} />
          </Field>
        )}
        <Field label="Import settings from a JSON file">
          {/* Field labels Fluent controls only; the native file input is labelled explicitly. */}
          <input
            className={styles.fileInput}
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
          <Button disabled={!importText.trim()} onClick={() => void readImport(importText)}>
            Check pasted settings
          </Button>
        </div>
        <div aria-live="polite">
          {importProblems.length > 0 && (
            <MessageBar intent="error" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>This import cannot be used; nothing was changed</MessageBarTitle>
                <ul className={styles.problems}>
                  {importProblems.map((p) => (
                    <li key={p}>{singleLine(p)}</li>
                  ))}
                </ul>
              </MessageBarBody>
            </MessageBar>
          )}
          {pending && (
            <MessageBar intent="info" layout="multiline" data-testid="import-preview">
              <MessageBarBody>
                <MessageBarTitle>
                  {pending.changes.length ? "Importing would change:" : "Importing would change nothing."}
                </MessageBarTitle>
                <ul className={styles.problems}>
                  {pending.changes.map((c) => (
                    <li key={c}>{singleLine(c)}</li>
                  ))}
                </ul>
                <div className={styles.row}>
                  <Button appearance="primary" onClick={() => void applyImport(pending)}>
                    Apply import
                  </Button>
                  <Button onClick={() => setPending(null)}>Cancel</Button>
                </div>
              </MessageBarBody>
            </MessageBar>
          )}
        </div>
      </section>

      <div className={styles.footer}>
        <div className={styles.row}>
          <Button appearance="primary" type="submit">
            Save settings
          </Button>
          <Button
            onClick={() => {
              setForm(formOf(props.settings));
              setChecking(false);
              setSaveProblems([]);
            }}
          >
            Discard changes
          </Button>
        </div>
        <div aria-live="polite" data-testid="save-problems">
          {(stopping.length > 0 || saveProblems.length > 0) && (
            <Text size={200} className={styles.error}>
              {stopping.length > 0
                ? `Not saved: ${stopping.length === 1 ? stopping[0] : `fix the ${stopping.length} fields marked above. ${stopping[0]}`}`
                : `Not saved: ${saveProblems.join(" ")}`}
            </Text>
          )}
        </div>
      </div>
    </form>
  );
}
