// Edits one technique's template: placeholders are checked as the user types (the error names the placeholder)
// and a live preview renders it for a real or sample conversation. The HTML preview is a sandboxed iframe.
import {
  Button,
  Caption1,
  Field,
  Input,
  Select,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useMemo } from "react";
import type { ConversationReport } from "../../core/awaitingReply";
import { BUILTIN_TEMPLATES } from "../../core/builtinTemplates";
import { templateValuesFor } from "../../core/draft";
import type { Me } from "../../core/message";
import { TECHNIQUES, TECHNIQUE_LABELS, isTechnique, type Technique } from "../../core/technique";
import {
  PLACEHOLDERS,
  TemplateError,
  compileTemplate,
  type RenderedMessage,
  type TemplateSource,
} from "../../core/template";
import { previewDocument } from "../state/draftBody";

const useStyles = makeStyles({
  editor: { display: "grid", gap: tokens.spacingVerticalS },
  preview: {
    display: "grid",
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  pre: { whiteSpace: "pre-wrap" },
  frame: { width: "100%", height: "200px", border: `1px solid ${tokens.colorNeutralStroke2}` },
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

export function TemplateEditor(props: TemplateEditorProps) {
  const styles = useStyles();
  const { technique } = props;
  const own = props.templates[technique];
  const source = own ?? BUILTIN_TEMPLATES[technique];
  const label = `the ${TECHNIQUE_LABELS[technique]} template`;

  const checked: Checked = useMemo(() => {
    try {
      return { rendered: compileTemplate(source, label).render(templateValuesFor(props.sample, props.me)) };
    } catch (error) {
      if (error instanceof TemplateError) return { error };
      throw error;
    }
  }, [source, label, props.sample, props.me]);

  const errorFor = (field: keyof TemplateSource) =>
    "error" in checked && checked.error.field === field ? checked.error.message : undefined;

  const set = (field: keyof TemplateSource, value: string) => {
    const next: TemplateSource = { ...source, [field]: value };
    if (field === "voicemail" && value === "") delete (next as { voicemail?: string }).voicemail;
    props.onChange(technique, next);
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
      <Caption1>
        {`Placeholders: ${Object.entries(PLACEHOLDERS)
          .map(([name, meaning]) => `{{${name}}} ${meaning}`)
          .join("; ")}.`}
      </Caption1>
      <Field label="Subject" validationMessage={errorFor("subject")}>
        <Input value={source.subject} onChange={(_, d) => set("subject", d.value)} />
      </Field>
      <Field label="HTML body" validationMessage={errorFor("html")}>
        <Textarea rows={6} resize="vertical" value={source.html} onChange={(_, d) => set("html", d.value)} />
      </Field>
      <Field label="Text body" validationMessage={errorFor("text")}>
        <Textarea rows={6} resize="vertical" value={source.text} onChange={(_, d) => set("text", d.value)} />
      </Field>
      <Field label="Voicemail script (optional)" validationMessage={errorFor("voicemail")}>
        <Textarea
          rows={3}
          resize="vertical"
          value={source.voicemail ?? ""}
          onChange={(_, d) => set("voicemail", d.value)}
        />
      </Field>
      {own && (
        <div>
          <Button onClick={() => props.onChange(technique, undefined)}>Use the built-in wording</Button>
        </div>
      )}
      {"rendered" in checked && (
        <section className={styles.preview} aria-label="Template preview">
          <Text weight="semibold">{`Preview · Subject: ${checked.rendered.subject}`}</Text>
          <iframe
            className={styles.frame}
            title="HTML preview"
            sandbox=""
            srcDoc={previewDocument(checked.rendered.html, props.dark)}
          />
          <Text className={styles.pre}>{checked.rendered.text}</Text>
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
      if (error instanceof TemplateError) return error.message;
      throw error;
    }
  }
  return null;
}
