// Settings in four groups (Rules, Who counts, Templates, Your data), one column in a narrow pane. Each field shows
// its own problem under its label, and Save says beside it what stops it; nothing is saved until all of it is
// valid. An import shows what it would change and applies only when the user says so.
import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
  Switch,
  Text,
  Textarea,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { DocumentArrowUpRegular } from "@fluentui/react-icons";
import { useId, useRef, useState, type ChangeEvent, type ReactNode } from "react";
import type { ConversationReport } from "../../core/awaitingReply";
import type { Me } from "../../core/message";
import { singleLine } from "../../core/plainText";
import type { Settings } from "../../core/settings";
import {
  SETTINGS_FORM,
  weekdayOptions,
  type KeyedSettingField,
  type SettingKey,
} from "../../core/settingsSchema";
import { SettingsError, parseSettings } from "../../core/settingsValidation";
import type { Technique } from "../../core/technique";
import type { TemplateSource } from "../../core/template";
import {
  entryChanges,
  isStateDocument,
  parseStateDocument,
  stateDocument,
  StateDocumentError,
} from "../../core/stateDocument";
import type { StateEntry } from "../../core/userStateEntries";
import {
  checkForm,
  describeChanges,
  formOf,
  humaniseSettingsProblem,
  sanitizedTemplates,
  type SettingsForm,
} from "../state/settingsForm";
import type { MailFolderChoice } from "../services";
import { ChoiceGroup } from "./ChoiceGroup";
import { FolderPicker } from "./FolderPicker";
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
    // Side by side, a field beside a taller one (a hint on two lines) keeps its input level with its neighbour's.
    alignItems: "start",
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
  aside: { color: tokens.colorNeutralForeground2 },
  // A long file name wraps rather than pushing the pane sideways.
  fileName: { minWidth: 0, overflowWrap: "anywhere" },
  dayList: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalS },
});

export interface SettingsPanelProps {
  readonly settings: Settings;
  readonly onSave: (settings: Settings, message?: string) => Promise<void>;
  readonly sample: ConversationReport;
  readonly me: Me;
  readonly dark: boolean;
  /** The user's mail folders, for "Also look in these folders"; absent where there is no Graph. */
  readonly listFolders?: () => Promise<readonly MailFolderChoice[]>;
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

function messageOf(error: unknown): readonly string[] {
  if (error instanceof SettingsError) return error.problems.map(humaniseSettingsProblem);
  if (error instanceof SyntaxError) {
    return [`This is not a file Rekindle exported, or it is damaged (not valid JSON: ${error.message})`];
  }
  if (error instanceof StateDocumentError) return [`The data file cannot be used: ${error.message}`];
  return [error instanceof Error ? error.message : String(error)];
}

/** A chosen file's text. FileReader rather than Blob.text(), which older Outlook web views lack. */
function textOf(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("the file could not be read"));
    reader.readAsText(file);
  });
}

const EMPTY_PROBLEMS: Readonly<Partial<Record<SettingKey, string>>> = {};

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
  const [fileName, setFileName] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  // Apply and Cancel go with the preview: focus returns to where an import starts, not to the page.
  const chooseFile = useRef<HTMLButtonElement>(null);
  const fileNameId = useId();
  const [importProblems, setImportProblems] = useState<readonly string[]>([]);
  const [pending, setPending] = useState<PendingImport | null>(null);

  const check = checking ? checkForm(form, props.settings) : null;
  const templateProblem = checking ? firstTemplateProblem(form.templates) : null;
  // The template editor words its problems for the editor; the parser's words for the same field are not repeated.
  const fieldProblems: Partial<Record<SettingKey, string>> = {
    ...(check && !check.ok ? check.fieldProblems : EMPTY_PROBLEMS),
  };
  if (templateProblem) fieldProblems.templates = templateProblem;
  const stopping = [...Object.values(fieldProblems), ...(check && !check.ok ? check.otherProblems : [])];

  const setValue = <K extends SettingKey>(key: K, value: SettingsForm[K]) =>
    setForm((before) => ({ ...before, [key]: value }));

  const save = async () => {
    setChecking(true);
    const result = checkForm(form, props.settings);
    if (!result.ok || firstTemplateProblem(form.templates)) {
      setSaveProblems([]);
      return;
    }
    try {
      // every setting the table describes is in the form; one it does not (yet) is kept as saved
      await props.onSave(result.settings);
      setForm(formOf(result.settings));
      setSaveProblems([]);
      setChecking(false);
    } catch (error) {
      setSaveProblems(messageOf(error));
    }
  };

  const controlOf = (field: KeyedSettingField): ReactNode => {
    const problem = fieldProblems[field.key];
    const validation = {
      validationMessage: problem,
      validationState: problem ? ("error" as const) : ("none" as const),
    };
    const key = field.key;
    // The usual wrapping: the label, the help and the field's own problem, read with the control.
    const labelled = (control: ReactNode) => (
      <Field key={key} label={field.label} hint={field.help} {...validation}>
        {control}
      </Field>
    );
    switch (field.kind) {
      case "wholeNumber":
        return labelled(
          <Input
            type="number"
            inputMode="numeric"
            min={field.min}
            max={field.max}
            step={1}
            value={form[key] as string}
            onChange={(_, d) => setValue(key, d.value as SettingsForm[typeof key])}
          />,
        );
      case "text":
        return labelled(
          <Input
            maxLength={field.maxLength}
            value={form[key] as string}
            onChange={(_, d) => setValue(key, d.value as SettingsForm[typeof key])}
          />,
        );
      case "boolean":
        return labelled(
          <Switch
            checked={form[key] as boolean}
            onChange={(_, d) => setValue(key, d.checked as SettingsForm[typeof key])}
          />,
        );
      case "weekdays":
        return (
          <WeekdaysControl
            key={key}
            field={field}
            days={form[key] as readonly number[]}
            problem={problem}
            onChange={(days) => setValue(key, days as SettingsForm[typeof key])}
          />
        );
      case "addresses":
      case "domains":
      case "domainGroups":
        return labelled(
          <Textarea
            rows={3}
            resize="vertical"
            value={form[key] as string}
            onChange={(_, d) => setValue(key, d.value as SettingsForm[typeof key])}
          />,
        );
      case "folders":
        return (
          <FolderPicker
            key={key}
            field={field}
            picked={form[key] as readonly string[]}
            problem={problem}
            onChange={(picked) => setValue(key, picked as SettingsForm[typeof key])}
            {...(props.listFolders ? { listFolders: props.listFolders } : {})}
          />
        );
      case "templates":
        return (
          <TemplateEditor
            key={key}
            technique={technique}
            onTechniqueChange={setTechnique}
            templates={form.templates}
            onChange={(t, source) => {
              const templates: Partial<Record<Technique, TemplateSource>> = { ...form.templates };
              if (source) templates[t] = source;
              else delete templates[t];
              setValue("templates", templates);
            }}
            sample={props.sample}
            me={props.me}
            dark={props.dark}
          />
        );
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
        const next = doc.settings
          ? ({ ...doc.settings, templates: sanitizedTemplates(doc.settings.templates) } as Settings)
          : props.settings;
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
      setFileName(null);
      chooseFile.current?.focus();
    } catch (error) {
      setImportProblems(messageOf(error));
    }
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Cleared, so choosing the same file again (after fixing it) reads it again.
    event.target.value = "";
    if (!file) return;
    setFileName(file.name);
    try {
      await readImport(await textOf(file));
    } catch (error) {
      setImportProblems([`Could not read ${file.name}: ${messageOf(error).join(" ")}`]);
    }
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

  const dataTools = (
    <>
      <Text size={300}>
        {props.loadEntries
          ? "Keep a copy of your Rekindle data, or take it to another computer. The file holds your settings, your templates and every decision you made: snoozes, closed files, logged calls, people marked not a prospect and the messages you sent."
          : "Keep a copy of your settings and templates, or take them to another computer."}
      </Text>
      <div className={styles.row}>
        {props.loadEntries && (
          <Button onClick={() => void exportData()}>Export settings and decisions</Button>
        )}
        <Button onClick={exportJson}>{props.loadEntries ? "Export settings only" : "Export settings"}</Button>
      </div>
      {props.loadEntries && (
        <Text size={200} className={styles.aside}>
          Settings only leaves your decisions out: handy for sharing your rules and templates with a
          colleague.
        </Text>
      )}
      {exported !== null && (
        <Field
          label="Exported settings (JSON)"
          hint="Saved to your downloads as rekindle-settings.json. If nothing was downloaded, copy this text into a file of that name."
        >
          <Textarea readOnly rows={6} value={exported} />
        </Field>
      )}
      {exportedData !== null && (
        <Field
          label="Exported settings and decisions (JSON)"
          hint="Saved to your downloads as rekindle-data.json. If nothing was downloaded, copy this text into a file of that name."
        >
          <Textarea readOnly rows={6} value={exportedData} />
        </Field>
      )}
      <Subtitle2 as="h3">Import</Subtitle2>
      <Text size={300}>
        Importing adds what the file holds to what is here, and loses nothing: where both have a decision
        about the same conversation, the newer one is kept. You see what would change before anything does.
      </Text>
      <div className={styles.row}>
        {/* The native file input is unthemed; a Fluent button opens it, and the chosen file's name is shown. */}
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          hidden
          tabIndex={-1}
          aria-hidden="true"
          data-testid="import-file-input"
          onChange={(e) => void onFile(e)}
        />
        <Button
          ref={chooseFile}
          icon={<DocumentArrowUpRegular />}
          aria-describedby={fileNameId}
          onClick={() => fileInput.current?.click()}
        >
          Choose a file to import
        </Button>
        <Text id={fileNameId} size={200} className={mergeClasses(styles.aside, styles.fileName)}>
          {fileName ? `Chosen: ${singleLine(fileName)}` : "No file chosen"}
        </Text>
      </div>
      <Field label="Or paste the text of a file">
        <Textarea rows={4} value={importText} onChange={(_, d) => setImportText(d.value)} />
      </Field>
      <div className={styles.row}>
        <Button disabled={!importText.trim()} onClick={() => void readImport(importText)}>
          Check pasted text
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
                <Button
                  onClick={() => {
                    setPending(null);
                    setFileName(null);
                    chooseFile.current?.focus();
                  }}
                >
                  Cancel
                </Button>
              </div>
            </MessageBarBody>
          </MessageBar>
        )}
      </div>
      {props.loadEntries && (
        <Text size={200} className={styles.aside} data-testid="command-hint">
          Also use the rekindle command on your computer? It works from this same file, so an export from here
          can be given to it, and a file it saves can be imported here.
        </Text>
      )}
    </>
  );

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
      {SETTINGS_FORM.map((group) => (
        <section key={group.id} className={styles.group} aria-labelledby={`${group.id}-heading`}>
          <Subtitle2 as="h2" id={`${group.id}-heading`}>
            {group.title}
          </Subtitle2>
          {group.id === "rules" ? (
            <div className={styles.numbers}>{group.fields.map(controlOf)}</div>
          ) : (
            group.fields.map(controlOf)
          )}
          {group.id === "your-data" && dataTools}
        </section>
      ))}

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

interface WeekdaysControlProps {
  readonly field: KeyedSettingField;
  readonly days: readonly number[];
  readonly problem: string | undefined;
  readonly onChange: (days: readonly number[]) => void;
}

/** A day-of-week list as one checkbox per day, in a group labelled like any other field. */
function WeekdaysControl({ field, days, problem, onChange }: WeekdaysControlProps) {
  const styles = useStyles();
  return (
    <ChoiceGroup label={field.label} help={field.help} problem={problem}>
      <div className={styles.dayList}>
        {weekdayOptions().map((day) => (
          <Checkbox
            key={day.value}
            label={day.label}
            checked={days.includes(day.value)}
            onChange={(_, d) =>
              onChange(
                d.checked === true
                  ? [...days, day.value].sort((x, y) => x - y)
                  : days.filter((v) => v !== day.value),
              )
            }
          />
        ))}
      </div>
    </ChoiceGroup>
  );
}
