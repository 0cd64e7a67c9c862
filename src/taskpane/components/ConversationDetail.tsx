// One conversation: who and why, the thread, the suggested technique (others one click away), the message to edit,
// the voicemail script, insert into reply, and the actions.
import {
  Badge,
  Button,
  Caption1,
  Field,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle2,
  Text,
  Textarea,
  ToggleButton,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useMemo, useState } from "react";
import type { ConversationReport } from "../../core/awaitingReply";
import { composeDraft, formatDate, type Draft } from "../../core/draft";
import type { Mailbox } from "../../core/message";
import { TECHNIQUE_RATIONALE } from "../../core/playbook";
import type { Settings } from "../../core/settings";
import { TECHNIQUES, TECHNIQUE_LABELS, type Technique } from "../../core/technique";
import { conversationTimeline } from "../../core/timeline";
import type { InsertOutcome, PaneServices } from "../services";
import { htmlToInsert } from "../state/draftBody";
import type { PaneModel } from "../state/usePaneModel";
import { ConversationActions } from "./ConversationActions";
import { ConversationTimeline } from "./ConversationTimeline";
import { InsertOutcomeView } from "./InsertOutcomeView";

const useStyles = makeStyles({
  panel: { display: "grid", gap: tokens.spacingVerticalM, paddingTop: tokens.spacingVerticalM },
  header: { display: "grid", gap: tokens.spacingVerticalXXS },
  techniques: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalXS },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  voicemail: {
    whiteSpace: "pre-wrap",
    padding: tokens.spacingHorizontalS,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
  },
  secondary: { color: tokens.colorNeutralForeground2 },
});

const DRAFTABLE = new Set(["stale", "waiting", "snoozed"]);

export interface ConversationDetailProps {
  readonly report: ConversationReport;
  readonly mailbox: Mailbox;
  readonly settings: Settings;
  readonly services: PaneServices;
  readonly model: PaneModel;
  readonly dark: boolean;
}

export function ConversationDetail(props: ConversationDetailProps) {
  const { report, mailbox, settings, services, model } = props;
  const styles = useStyles();
  const suggested = report.technique;
  const [technique, setTechnique] = useState<Technique>(suggested ?? "nudge");
  const [edits, setEdits] = useState<Partial<Record<Technique, string>>>({});
  const [inserting, setInserting] = useState(false);
  const [outcome, setOutcome] = useState<InsertOutcome | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);

  const timeline = useMemo(
    () => conversationTimeline(mailbox, report.conversationId, settings.myAddresses),
    [mailbox, report.conversationId, settings.myAddresses],
  );
  const draft: Draft | string = useMemo(() => {
    try {
      return composeDraft(report, mailbox.me, settings, technique);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }, [report, mailbox.me, settings, technique]);

  const prospect = report.prospects[0];
  const canDraft = DRAFTABLE.has(report.state) && typeof draft !== "string";
  const body = typeof draft === "string" ? "" : (edits[technique] ?? draft.text);

  const insert = async () => {
    if (typeof draft === "string" || !report.lastAttemptMessageId) return;
    setInserting(true);
    setProblem(null);
    setOutcome(null);
    try {
      setOutcome(
        await services.host.insertReply({
          conversationId: report.conversationId,
          replyToMessageId: report.lastAttemptMessageId,
          html: htmlToInsert(draft, body),
        }),
      );
    } catch (error) {
      setProblem(`Could not insert the message: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setInserting(false);
    }
  };

  const copyVoicemail = async (script: string) => {
    try {
      await navigator.clipboard.writeText(script);
      setCopied("Voicemail script copied.");
    } catch {
      setCopied("Could not copy: select the script and copy it yourself.");
    }
  };

  return (
    <section className={styles.panel} aria-label="Conversation details" data-testid="conversation-detail">
      <div className={styles.header}>
        <Subtitle2 as="h2">{prospect ? prospect.name || prospect.address : "(no prospect)"}</Subtitle2>
        {prospect && (
          <Caption1 className={styles.secondary}>
            {`${prospect.company ? `${prospect.company} · ` : ""}${prospect.address}`}
          </Caption1>
        )}
        <Text>{report.subject || "(no subject)"}</Text>
        <div className={styles.row}>
          <Badge appearance="outline">{report.state}</Badge>
          <Text size={200}>
            {report.state === "snoozed" && report.snoozedUntil !== null
              ? `Snoozed until ${formatDate(report.snoozedUntil)}`
              : report.reason === report.why
                ? "needs a follow-up"
                : report.reason}
          </Text>
        </div>
        <Text size={200} className={styles.secondary}>{`Score ${report.score}: ${report.why}`}</Text>
      </div>

      <ConversationActions
        report={report}
        now={services.now}
        onSnooze={(until, label) => void model.snooze(report, until, label)}
        onUnsnooze={() => void model.unsnooze(report)}
        onClose={() => void model.closeFile(report)}
        onReopen={() => void model.reopen(report)}
        onExcludeAddress={(a) => void model.excludeAddress(a)}
        onExcludeDomain={(d) => void model.excludeDomain(d)}
        onLog={(kind) => void model.logAttempt(report, kind)}
      />

      <section aria-labelledby="timeline-heading">
        <Subtitle2 as="h3" id="timeline-heading">
          Timeline
        </Subtitle2>
        <ConversationTimeline entries={timeline} />
      </section>

      {canDraft && typeof draft !== "string" && (
        <section aria-labelledby="technique-heading" className={styles.header}>
          <Subtitle2 as="h3" id="technique-heading">
            {`Technique: ${TECHNIQUE_LABELS[technique]}${technique === suggested ? " (suggested)" : ""}`}
          </Subtitle2>
          <Text>{TECHNIQUE_RATIONALE[technique]}</Text>
          <div className={styles.techniques} role="group" aria-label="Techniques">
            {TECHNIQUES.map((t) => (
              <ToggleButton
                key={t}
                size="small"
                checked={t === technique}
                appearance={t === technique ? "primary" : "secondary"}
                onClick={() => setTechnique(t)}
              >
                {`${TECHNIQUE_LABELS[t]}${t === suggested ? " ★" : ""}`}
              </ToggleButton>
            ))}
          </div>
          <Field label="Message (edit before inserting)">
            <Textarea
              resize="vertical"
              rows={10}
              value={body}
              onChange={(_, data) => setEdits({ ...edits, [technique]: data.value })}
            />
          </Field>
          <div className={styles.row}>
            <Button
              appearance="primary"
              disabled={inserting || !report.lastAttemptMessageId}
              onClick={() => void insert()}
            >
              {services.host.openItem()?.mode === "compose" ? "Insert at cursor" : "Insert into reply"}
            </Button>
            {edits[technique] !== undefined && edits[technique] !== draft.text && (
              <Button
                onClick={() => {
                  const rest = { ...edits };
                  delete rest[technique];
                  setEdits(rest);
                }}
              >
                Undo my edits
              </Button>
            )}
            {inserting && <Spinner size="tiny" label="Inserting…" />}
          </div>
          <div aria-live="polite">
            {outcome && <InsertOutcomeView outcome={outcome} dark={props.dark} />}
            {problem && (
              <MessageBar intent="error">
                <MessageBarBody>{problem}</MessageBarBody>
              </MessageBar>
            )}
          </div>
          {draft.voicemail && (
            <section aria-labelledby="voicemail-heading" className={styles.header}>
              <Subtitle2 as="h3" id="voicemail-heading">
                Voicemail script
              </Subtitle2>
              <Text className={styles.voicemail}>{draft.voicemail}</Text>
              <div className={styles.row}>
                <Button onClick={() => void copyVoicemail(draft.voicemail!)}>Copy voicemail script</Button>
                <Text size={200} aria-live="polite">
                  {copied ?? ""}
                </Text>
              </div>
            </section>
          )}
        </section>
      )}
      {typeof draft === "string" && (
        <MessageBar intent="error">
          <MessageBarBody>{draft}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
