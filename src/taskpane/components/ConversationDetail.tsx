// One conversation as a story: who and where it stands, the suggested technique and why it fits (with a warning
// when the picked one contradicts the thread), the message to edit, the voicemail script, and the timeline. Insert
// and the other actions sit in a bar at the bottom that never scrolls away.
import {
  Badge,
  Button,
  Caption1,
  Checkbox,
  Field,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle2,
  Text,
  Textarea,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { ArrowLeftRegular } from "@fluentui/react-icons";
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { SentPath } from "../../core/attribution";
import type { ConversationReport, Person } from "../../core/awaitingReply";
import { composeDraft, composeIntroduction, type Draft } from "../../core/draft";
import { readableName } from "../../core/names";
import type { Mailbox } from "../../core/message";
import { singleLine } from "../../core/plainText";
import { TECHNIQUE_RATIONALE, techniqueContradiction } from "../../core/playbook";
import type { Settings } from "../../core/settings";
import { TECHNIQUE_LABELS, type Technique } from "../../core/technique";
import { conversationTimeline } from "../../core/timeline";
import type { InsertOutcome, PaneServices } from "../services";
import { stateLabel } from "../state/conversationQuery";
import { htmlToInsert } from "../state/draftBody";
import { guardInsert } from "../state/guardInsert";
import { formatPaneDate, type PaneWhere } from "../state/paneDates";
import type { PaneModel } from "../state/usePaneModel";
import { ConversationActions, SnoozeDateForm, TechniqueMenu } from "./ConversationActions";
import { ConversationTimeline } from "./ConversationTimeline";
import { ConversationVerdict } from "./ConversationVerdict";
import { CopyButton } from "./CopyButton";
import { InsertResult } from "./InsertOutcomeView";

const useStyles = makeStyles({
  panel: { display: "flex", flexDirection: "column", flexGrow: 1, minHeight: 0 },
  topBar: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalXS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  scroll: {
    flexGrow: 1,
    minHeight: 0,
    overflowY: "auto",
    // Clip, not hidden: a hidden overflow still scrolls sideways when a result is scrolled into view.
    overflowX: "clip",
    display: "grid",
    alignContent: "start",
    gap: tokens.spacingVerticalL,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
  },
  header: { display: "grid", gap: tokens.spacingVerticalXXS, minWidth: 0 },
  name: {
    margin: 0,
    fontSize: tokens.fontSizeBase400,
    lineHeight: tokens.lineHeightBase400,
    fontWeight: tokens.fontWeightSemibold,
    overflowWrap: "anywhere",
    ":focus": { outline: "none" },
  },
  wrap: { overflowWrap: "anywhere" },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  voicemail: {
    whiteSpace: "pre-wrap",
    padding: tokens.spacingHorizontalS,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
  },
  secondary: { color: tokens.colorNeutralForeground2 },
  bar: {
    flexShrink: 0,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  buttons: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
  insert: { flexGrow: 1, minWidth: 0, maxWidth: "280px" },
});

/** How an insert left Rekindle, for its "sent" record; null for a demo preview, which sends nothing. */
function sentPathOf(outcome: InsertOutcome): SentPath | null {
  switch (outcome.kind) {
    case "inserted-at-cursor":
      return "compose";
    case "reply-form-opened":
      return "reply-form";
    case "draft-created":
      return "graph-draft";
    default:
      return null;
  }
}

const DRAFTABLE = new Set(["stale", "waiting", "snoozed"]);

/** Why the bar offers no Insert, in the user's words; null where it does. */
function noInsertReasonOf(state: string, hasSuccessor: boolean): string | null {
  switch (state) {
    case "declined":
      return "They said no: nothing to insert. Rekindle never closes the file by itself.";
    case "left":
      return hasSuccessor
        ? "They have left: write to who took over instead of replying."
        : "They have left and no successor was named: nothing to insert.";
    case "deferred":
      return "They asked to hear from you later: nothing to insert until then.";
    case "bounced":
      return "Your last message bounced: check the address before you write again.";
    case "replied":
      return "They have answered: nothing to follow up.";
    case "closed":
      return "The file is closed: reopen it from More actions (⋯) to write again.";
    case "excluded":
      return "Marked not a prospect: nothing to insert.";
    default:
      return null;
  }
}
/** States whose reason the verdict below the header tells in full. */
const TOLD_BY_VERDICT = new Set(["declined", "deferred", "left"]);

export interface ConversationDetailProps {
  readonly report: ConversationReport;
  readonly mailbox: Mailbox;
  readonly settings: Settings;
  readonly services: PaneServices;
  readonly model: PaneModel;
  readonly dark: boolean;
  /** Present when the detail is its own view (a narrow pane): a Back button, and Escape, call it. */
  readonly onBack?: () => void;
  /** Selects another conversation of the list (for "Open that conversation"). */
  readonly onOpenConversation?: (conversationId: string) => void;
}

export function ConversationDetail(props: ConversationDetailProps) {
  const { report, mailbox, settings, services, model, onBack } = props;
  const styles = useStyles();
  const suggested = report.technique;
  // Null follows the suggestion, which moves when a logged call changes the story.
  const [picked, setPicked] = useState<Technique | null>(null);
  const technique: Technique = picked ?? suggested ?? "nudge";
  const [edits, setEdits] = useState<Partial<Record<Technique, string>>>({});
  const [inserting, setInserting] = useState(false);
  const [outcome, setOutcome] = useState<InsertOutcome | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pickingDate, setPickingDate] = useState(false);
  const [useSubject, setUseSubject] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);

  // As its own view, the detail takes focus so a screen reader starts at the name.
  useEffect(() => {
    if (onBack) headingRef.current?.focus();
  }, [onBack]);

  // A new state can take away the control the user was on (Mark as closed, say): the name and its new badge
  // take focus then, rather than nobody.
  const shownState = useRef(report.state);
  useEffect(() => {
    if (shownState.current === report.state) return;
    shownState.current = report.state;
    const active = document.activeElement;
    if (!active || active === document.body || active.matches(":disabled")) headingRef.current?.focus();
  }, [report.state]);

  useEffect(() => {
    if ((outcome || problem) && typeof outcomeRef.current?.scrollIntoView === "function") {
      outcomeRef.current.scrollIntoView({ block: "nearest" });
    }
  }, [outcome, problem]);

  const where: PaneWhere = useMemo(
    () => ({ locale: model.locale, timeZone: model.timeZone }),
    [model.locale, model.timeZone],
  );
  const timeline = useMemo(
    () => conversationTimeline(mailbox, report.conversationId, settings.myAddresses),
    [mailbox, report.conversationId, settings.myAddresses],
  );
  const logged = useMemo(
    () => model.userState.loggedAttempts.filter((a) => a.conversationId === report.conversationId),
    [model.userState.loggedAttempts, report.conversationId],
  );
  const draft: Draft | string = useMemo(() => {
    try {
      return composeDraft(report, mailbox.me, settings, technique, where);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }, [report, mailbox.me, settings, technique, where]);

  const prospect = report.prospects[0];
  const canDraft = DRAFTABLE.has(report.state) && typeof draft !== "string";
  const body = typeof draft === "string" ? "" : (edits[technique] ?? draft.text);
  const warning = canDraft ? techniqueContradiction(report, technique, settings) : null;
  const successor = report.state === "left" ? report.successor : null;
  const noInsertReason = noInsertReasonOf(report.state, successor !== null);
  const openItem = services.host.openItem();
  const compose = openItem?.mode === "compose";
  // Insert opens a reply form on the conversation open in Outlook; Office.js cannot set a reply form's subject.
  const replyForm = openItem?.mode === "read" && openItem.conversationId === report.conversationId;
  const subject = typeof draft === "string" ? "" : singleLine(draft.subject);

  /** Runs an Insert-bar action: the button spins meanwhile, and what it came to (or `failure`: why) shows. */
  const attempt = async (failure: string, work: () => Promise<void>) => {
    setInserting(true);
    setProblem(null);
    setOutcome(null);
    try {
      await work();
    } catch (error) {
      setProblem(`${failure}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setInserting(false);
    }
  };

  const insert = () => {
    const replyToMessageId = report.lastAttemptMessageId;
    if (typeof draft === "string" || !replyToMessageId) return;
    void attempt("Could not insert the message", async () => {
      // The last-moment check: an answer filed elsewhere or archived since the sync refuses the insert.
      const guard = await guardInsert(services.lastMomentCheck, report, where);
      if (!guard.ok) {
        setProblem(guard.message);
        if (guard.answer) model.noteAnswer(guard.answer.message);
        return;
      }
      const done = await services.host.insertReply({
        conversationId: report.conversationId,
        replyToMessageId,
        html: htmlToInsert(draft, body, settings.templates[technique] !== undefined),
        technique,
        ...(compose && useSubject && subject ? { subject } : {}),
        ...(subject ? { draftSubject: subject } : {}),
      });
      setOutcome(done);
      const path = sentPathOf(done);
      if (path) {
        const edited = edits[technique] !== undefined && edits[technique] !== draft.text;
        void model.recordSent(report, {
          technique,
          edited,
          path,
          ...(done.kind === "draft-created" ? { id: done.draftId } : {}),
        });
      }
    });
  };

  const writeToSuccessor = (successor: Person) =>
    void attempt("Could not open the message", async () => {
      const intro = composeIntroduction(
        { ...report, successor, predecessorName: prospect?.name || prospect?.address || "" },
        mailbox.me,
        settings,
        where,
      );
      setOutcome(
        await services.host.openNewMessage({
          to: [successor],
          subject: intro.subject || singleLine(report.subject),
          html: intro.html,
        }),
      );
    });

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === "Escape" && onBack && !event.defaultPrevented) {
      event.preventDefault();
      onBack();
    }
  };

  const name = prospect ? singleLine(readableName(prospect.name) || prospect.address) : "(no prospect)";

  return (
    <section
      className={styles.panel}
      aria-label="Conversation details"
      data-testid="conversation-detail"
      onKeyDown={onKeyDown}
    >
      {onBack && (
        <div className={styles.topBar}>
          <Button appearance="subtle" icon={<ArrowLeftRegular />} onClick={onBack}>
            Back to list
          </Button>
        </div>
      )}
      <div className={styles.scroll} data-testid="detail-scroll">
        <div className={styles.header}>
          <h2 ref={headingRef} tabIndex={-1} className={styles.name}>
            {name}
          </h2>
          {prospect && (
            <Caption1 className={mergeClasses(styles.secondary, styles.wrap)}>
              {singleLine(`${prospect.company ? `${prospect.company} · ` : ""}${prospect.address}`)}
            </Caption1>
          )}
          <Text className={styles.wrap}>{singleLine(report.subject) || "(no subject)"}</Text>
          <div className={styles.row}>
            <Badge appearance="outline">{stateLabel(report.state)}</Badge>
            <Text size={200}>
              {report.state === "snoozed" && report.snoozedUntil !== null
                ? `Snoozed until ${formatPaneDate(report.snoozedUntil, where)}`
                : report.reason === report.why
                  ? "needs a follow-up"
                  : TOLD_BY_VERDICT.has(report.state)
                    ? ""
                    : singleLine(report.reason)}
            </Text>
          </div>
          <Text
            size={200}
            className={styles.secondary}
          >{`Score ${report.score}: ${singleLine(report.why)}`}</Text>
        </div>

        <ConversationVerdict
          report={report}
          mailbox={mailbox}
          where={where}
          now={services.now}
          listed={(id) => model.reports.some((r) => r.conversationId === id)}
          onOpenConversation={props.onOpenConversation}
          onDefer={(until, label) => void model.defer(report, until, label)}
          onMarkReferrer={(address) => void model.markReferrer(report, address)}
        />

        {!canDraft && (outcome || problem) && (
          <InsertResult outcome={outcome} problem={problem} dark={props.dark} ref={outcomeRef} />
        )}

        {canDraft && typeof draft !== "string" && (
          <section aria-labelledby="technique-heading" className={styles.header}>
            <Subtitle2 as="h3" id="technique-heading">
              {`Technique: ${TECHNIQUE_LABELS[technique]}${technique === suggested ? " (suggested)" : ""}`}
            </Subtitle2>
            <Text>{TECHNIQUE_RATIONALE[technique]}</Text>
            {technique !== suggested && suggested && (
              <Text size={200} className={styles.secondary}>
                {`Suggested for this thread: ${TECHNIQUE_LABELS[suggested]}.`}
              </Text>
            )}
            {warning && (
              <MessageBar intent="warning" layout="multiline" data-testid="technique-warning">
                <MessageBarBody>{warning}</MessageBarBody>
              </MessageBar>
            )}
          </section>
        )}

        {canDraft && typeof draft !== "string" && (
          <section aria-label="Message" className={styles.header}>
            <Field label="Message (edit before inserting)">
              <Textarea
                resize="vertical"
                rows={9}
                value={body}
                onChange={(_, data) => setEdits({ ...edits, [technique]: data.value })}
              />
            </Field>
            {edits[technique] !== undefined && edits[technique] !== draft.text && (
              <div>
                <Button
                  size="small"
                  onClick={() => {
                    const rest = { ...edits };
                    delete rest[technique];
                    setEdits(rest);
                  }}
                >
                  Undo my edits
                </Button>
              </div>
            )}
            {subject && replyForm && (
              <div className={styles.header} data-testid="subject-note">
                <Text size={200} className={styles.wrap}>{`Subject: ${subject}`}</Text>
                <Text size={200} className={styles.secondary}>
                  Outlook keeps the thread&apos;s subject here. To use this one, copy it into the reply.
                </Text>
                <CopyButton
                  size="small"
                  text={subject}
                  label="Copy subject"
                  copiedNote="Subject copied."
                  what="the subject"
                />
              </div>
            )}
            {subject && compose && (
              <Checkbox
                checked={useSubject}
                onChange={(_, data) => setUseSubject(data.checked === true)}
                label={`Also set the subject to “${subject}”`}
              />
            )}
            <InsertResult outcome={outcome} problem={problem} dark={props.dark} ref={outcomeRef} />
          </section>
        )}

        {canDraft && typeof draft !== "string" && draft.voicemail && (
          <section aria-labelledby="voicemail-heading" className={styles.header}>
            <Subtitle2 as="h3" id="voicemail-heading">
              Voicemail script
            </Subtitle2>
            <Text className={styles.voicemail}>{draft.voicemail}</Text>
            <CopyButton
              text={draft.voicemail}
              label="Copy voicemail script"
              copiedNote="Voicemail script copied."
              what="the script"
            />
          </section>
        )}

        {typeof draft === "string" && (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>{`This template cannot be used: ${draft} Fix it under Settings › Templates.`}</MessageBarBody>
          </MessageBar>
        )}

        <section aria-labelledby="timeline-heading" className={styles.header}>
          <Subtitle2 as="h3" id="timeline-heading">
            Timeline
          </Subtitle2>
          <ConversationTimeline entries={timeline} logged={logged} where={where} />
        </section>
      </div>

      <div className={styles.bar} role="toolbar" aria-label="Actions" data-testid="action-bar">
        {pickingDate && (
          <SnoozeDateForm
            now={services.now}
            where={where}
            onCancel={() => setPickingDate(false)}
            onSnooze={(until, label) => {
              setPickingDate(false);
              void model.snooze(report, until, label);
            }}
          />
        )}
        {noInsertReason && (
          <Caption1 className={styles.secondary} data-testid="no-insert-reason">
            {noInsertReason}
          </Caption1>
        )}
        <div className={styles.buttons}>
          {report.state === "declined" ? (
            <Button
              appearance="primary"
              className={styles.insert}
              onClick={() => void model.closeFile(report)}
            >
              Mark as closed
            </Button>
          ) : successor ? (
            <Button
              appearance="primary"
              className={styles.insert}
              icon={inserting ? <Spinner size="tiny" aria-label="Opening" /> : undefined}
              disabledFocusable={inserting}
              onClick={() => writeToSuccessor(successor)}
            >
              {`Write to ${singleLine(successor.name || successor.address)}`}
            </Button>
          ) : (
            <Button
              appearance="primary"
              className={styles.insert}
              icon={inserting ? <Spinner size="tiny" aria-label="Inserting" /> : undefined}
              disabled={!canDraft || !report.lastAttemptMessageId}
              // Focus stays on the button while it works, so Escape and Tab go on from there.
              disabledFocusable={inserting}
              onClick={insert}
            >
              {compose ? "Insert at cursor" : "Insert into reply"}
            </Button>
          )}
          {/* Only where there is a message to write: elsewhere it would be one more control that does nothing. */}
          {DRAFTABLE.has(report.state) && (
            <TechniqueMenu
              technique={technique}
              suggested={suggested}
              disabled={!canDraft}
              onChange={(t) => setPicked(t === suggested ? null : t)}
            />
          )}
          <ConversationActions
            report={report}
            now={services.now}
            onSnooze={(until, label) => void model.snooze(report, until, label)}
            onUnsnooze={() => void model.unsnooze(report)}
            onClose={() => void model.closeFile(report)}
            onReopen={() => void model.reopen(report)}
            onExcludeAddress={(a) => void model.excludeAddress(a)}
            onExcludeDomain={(d) => void model.excludeDomain(d)}
            onLog={(kind) => {
              // The logged call changes the story: follow the new suggestion.
              setPicked(null);
              void model.logAttempt(report, kind);
            }}
            onPickDate={() => setPickingDate(true)}
          />
        </div>
      </div>
    </section>
  );
}
