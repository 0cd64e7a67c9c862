// Edits one technique's template: its subject and its body. The body is written once, as plain text with
// placeholders (blank lines make paragraphs, single line breaks stay breaks); "Advanced: HTML" edits the HTML
// instead, sanitised with DOMPurify when saved and whenever it is rendered. Placeholders are checked as the user
// types, and one live preview renders the message for a real or sample conversation in a sandboxed iframe.
import {
  Button,
  Caption1,
  Field,
  Input,
  Select,
  Switch,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useMemo, useState } from "react";
import type { ConversationReport } from "../../core/awaitingReply";
import { BUILTIN_TEMPLATES } from "../../core/builtinTemplates";
import { templateValuesFor } from "../../core/draft";
import type { Me } from "../../core/message";
import { singleLine } from "../../core/plainText";
import { TECHNIQUES, TECHNIQUE_LABELS, isTechnique, type Technique } from "../../core/technique";
import {
  PLACEHOLDERS,
  TemplateError,
  compileTemplate,
  type RenderedMessage,
  type TemplateSource,
} from "../../core/template";
import { previewDocument, sanitizeTemplateHtml, templateHtmlToText, textToHtml } from "../state/draftBody";

const useStyles = makeStyles({
  editor: { display: "grid", gap: tokens.spacingVerticalS, minWidth: 0 },
  placeholders: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  code: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: "anywhere" },
  preview: {
    display: "grid",
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  frame: {
    width: "100%",
    height: "220px",
    boxSizing: "border-box",
    border: `1px solid ${tokens.colorNeutralStroke2}`,
  },
});

export interface TemplateEditorProps {
  readonly technique: Technique;
  readonly onTechniqueChange: (technique: Technique) => void;
  /** The user's own templates so far; a technique without one uses the built-in. */
  readonly templates: Partial<Record<Technique, TemplateSource>>;
  readonly onChange: (technique: Technique, source: TemplateSource | undefined) => void;
  readonly sample: ConversationReport;
  readonly me: Me;
  readonly dark: boolean;
}

type Checked = { readonly rendered: RenderedMessage } | { readonly error: TemplateError };

/** True when the template's HTML is only its text as paragraphs and line breaks: it can be edited as plain text. */
export function isPlainTemplate(source: TemplateSource): boolean {
  const onlyParagraphs = (source.html.match(/<[^>]*>/g) ?? []).every((tag) => /^<(?:\/?p|br)>$/i.test(tag));
  const words = (s: string) => s.replace(/\s+/g, " ").trim();
  return onlyParagraphs && words(templateHtmlToText(source.html)) === words(source.text);
}

/** A template problem in the editor's words: the body is "the message", whichever field held it. */
function editorMessage(error: TemplateError): string {
  return error.message.replace(/\b(?:the )?(html|text) of\b/, "the message of");
}

export function TemplateEditor(props: TemplateEditorProps) {
  const styles = useStyles();
  const { technique } = props;
  const own = props.templates[technique];
  const source = own ?? BUILTIN_TEMPLATES[technique];
  const label = `the ${TECHNIQUE_LABELS[technique]} template`;
  // Per technique: true for HTML editing. Unset follows the template (HTML that plain text cannot say).
  const [advanced, setAdvanced] = useState<Partial<Record<Technique, boolean>>>({});
  const htmlMode = advanced[technique] ?? !isPlainTemplate(source);

  const checked: Checked = useMemo(() => {
    try {
      return { rendered: compileTemplate(source, label).render(templateValuesFor(props.sample, props.me)) };
    } catch (error) {
      if (error instanceof TemplateError) return { error };
      throw error;
    }
  }, [source, label, props.sample, props.me]);

  const errorFor = (fields: readonly (keyof TemplateSource)[]) =>
    "error" in checked && fields.includes(checked.error.field) ? editorMessage(checked.error) : undefined;

  const update = (change: Partial<TemplateSource>) => {
    const next: TemplateSource = { ...source, ...change };
    if (next.voicemail === "") delete (next as { voicemail?: string }).voicemail;
    props.onChange(technique, next);
  };

  // One body, edited as HTML or as plain text: each edit keeps the other form in step.
  const body = htmlMode
    ? {
        label: "Message (HTML)",
        hint: "Kept: paragraphs, line breaks, bold, italic, underline, lists, quotes and http, https or mailto links. Images, scripts and styles are removed.",
        value: source.html,
        change: (html: string) => ({ html, text: templateHtmlToText(html) }),
      }
    : {
        label: "Message",
        hint: "Plain text. A blank line starts a new paragraph.",
        value: source.text,
        change: (text: string) => ({ text, html: textToHtml(text) }),
      };

  return (
    <div className={styles.editor}>
      <Field label="Template for">
        <Select
          value={technique}
          onChange={(_, data) => isTechnique(data.value) && props.onTechniqueChange(data.value)}
        >
          {TECHNIQUES.map((t) => (
            <option key={t} value={t}>
              {`${TECHNIQUE_LABELS[t]}${props.templates[t] ? " (yours)" : ""}`}
            </option>
          ))}
        </Select>
      </Field>
      <details>
        <summary>
          <Text size={200}>Placeholders you can use</Text>
        </summary>
        <ul className={styles.placeholders}>
          {Object.entries(PLACEHOLDERS).map(([name, meaning]) => (
            <li key={name}>
              <Caption1>
                <span className={styles.code}>{`{{${name}}}`}</span>
                {` ${meaning}`}
              </Caption1>
            </li>
          ))}
        </ul>
        {/* The built-in wording uses sections; without this line they read as code. */}
        <Caption1 data-testid="placeholder-sections">
          <span className={styles.code}>{"{{#calls}}…{{/calls}}"}</span>
          {" keeps the words between only when there is a value (here, logged calls); "}
          <span className={styles.code}>{"{{^subject}}…{{/subject}}"}</span>
          {" keeps them only when there is none."}
        </Caption1>
      </details>
      <Field
        label="Subject"
        hint="Used for new drafts and for a message you are writing. Outlook's reply form keeps the thread's subject; the pane then offers to copy this one."
        validationMessage={errorFor(["subject"])}
      >
        <Input value={source.subject} onChange={(_, d) => update({ subject: d.value })} />
      </Field>
      <Switch
        label="Advanced: HTML"
        checked={htmlMode}
        onChange={(_, data) => {
          setAdvanced({ ...advanced, [technique]: data.checked });
          // Back to plain text: the text becomes the body again, and formatting goes.
          if (!data.checked) update({ html: textToHtml(source.text) });
        }}
      />
      <Field
        key={body.label}
        label={body.label}
        hint={body.hint}
        validationMessage={errorFor(["html", "text"])}
      >
        <Textarea
          rows={8}
          resize="vertical"
          value={body.value}
          onChange={(_, d) => update(body.change(d.value))}
        />
      </Field>
      <Field label="Voicemail script (optional)" validationMessage={errorFor(["voicemail"])}>
        <Textarea
          rows={3}
          resize="vertical"
          value={source.voicemail ?? ""}
          onChange={(_, d) => update({ voicemail: d.value })}
        />
      </Field>
      {own && (
        <div>
          <Button onClick={() => props.onChange(technique, undefined)}>Use the built-in wording</Button>
        </div>
      )}
      {"rendered" in checked && (
        <section className={styles.preview} aria-label="Template preview">
          <Text weight="semibold">{`Preview for ${singleLine(props.sample.prospects[0]?.name ?? "") || "a sample prospect"}`}</Text>
          <Text size={200}>{`Subject: ${singleLine(checked.rendered.subject)}`}</Text>
          <iframe
            className={styles.frame}
            title="Message preview"
            sandbox=""
            srcDoc={previewDocument(sanitizeTemplateHtml(checked.rendered.html), props.dark)}
          />
        </section>
      )}
    </div>
  );
}

/** The first template problem among the user's templates, or null when all compile. */
export function firstTemplateProblem(templates: Partial<Record<Technique, TemplateSource>>): string | null {
  for (const t of TECHNIQUES) {
    const source = templates[t];
    if (!source) continue;
    try {
      compileTemplate(source, `the ${TECHNIQUE_LABELS[t]} template`);
    } catch (error) {
      if (error instanceof TemplateError) return editorMessage(error);
      throw error;
    }
  }
  return null;
}
