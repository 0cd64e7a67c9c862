// "Clean up pending file": every stale conversation whose suggested technique is pending-file (and any other stale
// one the user adds), each with a checkbox and a preview of its message that can be edited; "Create N drafts" makes
// one reply-all draft per checked conversation through the services' clean-up (never sent), with a progress bar,
// then lists the drafts made (in Drafts) and the failures, each with a retry. Goes through PaneServices only.
import {
  Button,
  Checkbox,
  Field,
  makeStyles,
  ProgressBar,
  Select,
  Subtitle2,
  Text,
  Textarea,
  tokens,
} from "@fluentui/react-components";
import { useEffect, useMemo, useRef, useState } from "react";
import type { ConversationReport } from "../../core/awaitingReply";
import type { DraftOutcome, PlannedDraft } from "../../core/cleanUp";
import { composeDraft, type Draft } from "../../core/draft";
import type { Me } from "../../core/message";
import { readableName } from "../../core/names";
import type { Settings } from "../../core/settings";
import { htmlToInsert } from "../state/draftBody";
import type { CleanUpService, DraftBatchProgress } from "../services";
import { counted } from "../../core/wording";

const TECHNIQUE = "pending-file";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    overflowY: "auto",
    minWidth: 0,
    // The gap spaces the view; the browser's heading and paragraph margins would add a second one.
    "& > h2, & > p": { margin: 0 },
  },
  list: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, margin: 0, padding: 0 },
  row: {
    listStyleType: "none",
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    minWidth: 0,
  },
  rowHead: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, minWidth: 0 },
  label: { overflowWrap: "anywhere", minWidth: 0 },
  preview: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    paddingLeft: tokens.spacingHorizontalXXL,
  },
  add: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "end", flexWrap: "wrap", minWidth: 0 },
  // A native select is as wide as its longest option (a long subject): held to the pane's width instead.
  addField: { flex: "1 1 12rem", minWidth: 0, maxWidth: "100%" },
  addSelect: {
    width: "100%",
    minWidth: 0,
    "& select": { width: "100%", minWidth: 0, textOverflow: "ellipsis" },
  },
  summary: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
});

const nameOf = (r: ConversationReport): string =>
  readableName(r.prospects[0]?.name ?? "") || r.prospects[0]?.address || r.subject || "(no name)";

export interface CleanUpViewProps {
  readonly reports: readonly ConversationReport[];
  readonly me: Me;
  readonly settings: Settings;
  readonly locale: string;
  readonly timeZone: string;
  readonly cleanUp: CleanUpService | undefined;
}

export function CleanUpView(props: CleanUpViewProps) {
  const { reports, me, settings, locale, timeZone, cleanUp } = props;
  const styles = useStyles();
  const [added, setAdded] = useState<readonly string[]>([]);
  const [unchecked, setUnchecked] = useState<ReadonlySet<string>>(new Set());
  const [edits, setEdits] = useState<Readonly<Record<string, string>>>({});
  const [previewing, setPreviewing] = useState<ReadonlySet<string>>(new Set());
  const [toAdd, setToAdd] = useState("");
  const [progress, setProgress] = useState<DraftBatchProgress | null>(null);
  const [running, setRunning] = useState(false);
  const [outcomes, setOutcomes] = useState<ReadonlyMap<string, DraftOutcome>>(new Map());
  const [problem, setProblem] = useState<string | null>(null);
  // The button pressed is disabled while drafts are made, which drops focus to the page: the outcome takes it.
  const [finished, setFinished] = useState(0);
  const problemRef = useRef<HTMLParagraphElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (finished > 0) (problemRef.current ?? summaryRef.current)?.focus();
  }, [finished]);

  const stale = useMemo(
    () => reports.filter((r) => r.state === "stale" && r.lastAttemptMessageId),
    [reports],
  );
  const rows = useMemo(
    () => stale.filter((r) => r.technique === TECHNIQUE || added.includes(r.conversationId)),
    [stale, added],
  );
  const others = stale.filter((r) => !rows.includes(r));
  const drafts = useMemo(() => {
    const out = new Map<string, Draft>();
    for (const r of rows)
      out.set(r.conversationId, composeDraft(r, me, settings, TECHNIQUE, { locale, timeZone }));
    return out;
  }, [rows, me, settings, locale, timeZone]);
  const chosen = rows.filter((r) => !unchecked.has(r.conversationId));

  const planOf = (r: ConversationReport): PlannedDraft => {
    const draft = drafts.get(r.conversationId) as Draft;
    const edited = edits[r.conversationId];
    const text = edited ?? draft.text;
    return {
      conversationId: r.conversationId,
      replyToMessageId: r.lastAttemptMessageId as string,
      after: r.lastAttemptAt ?? r.firstAttemptAt ?? (0 as PlannedDraft["after"]),
      technique: TECHNIQUE,
      subject: draft.subject,
      html: htmlToInsert(draft, text, settings.templates[TECHNIQUE] !== undefined),
      edited: text !== draft.text,
    };
  };

  const run = async (targets: readonly ConversationReport[]) => {
    if (!cleanUp || targets.length === 0) return;
    setRunning(true);
    setProblem(null);
    setProgress({ done: 0, total: targets.length });
    try {
      const result = await cleanUp.createDrafts(targets.map(planOf), setProgress, { locale, timeZone });
      setOutcomes((before) => {
        const next = new Map(before);
        for (const o of result) next.set(o.conversationId, o);
        return next;
      });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setRunning(false);
      setFinished((n) => n + 1);
    }
  };

  const toggle = (set: ReadonlySet<string>, id: string): ReadonlySet<string> => {
    const next = new Set(set);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  };

  const results = rows
    .map((r) => ({ report: r, outcome: outcomes.get(r.conversationId) }))
    .filter((x) => x.outcome);
  const made = results.filter((x) => x.outcome?.status === "created" || x.outcome?.status === "existing");
  const failed = results.filter((x) => x.outcome?.status === "failed");
  const answered = results.filter((x) => x.outcome?.status === "answered");
  const n = chosen.length;

  return (
    <section className={styles.root} aria-label="Clean up pending file">
      <Subtitle2 as="h2">Clean up the pending file</Subtitle2>
      <Text as="p">
        One reply-all draft per conversation, saved in your Drafts folder with the pending-file subject and
        message above the thread. Nothing is sent: you send them from Drafts. A conversation answered
        meanwhile is skipped, and a draft made earlier is reused.
      </Text>
      {!cleanUp && <Text as="p">Drafts cannot be created here.</Text>}
      {rows.length === 0 ? (
        <Text as="p">No conversation is waiting for the pending-file clean-up.</Text>
      ) : (
        <ul className={styles.list} aria-label="Conversations to draft for">
          {rows.map((r) => {
            const id = r.conversationId;
            const draft = drafts.get(id) as Draft;
            const open = previewing.has(id);
            return (
              <li key={id} className={styles.row}>
                <div className={styles.rowHead}>
                  <Checkbox
                    checked={!unchecked.has(id)}
                    onChange={() => setUnchecked((s) => toggle(s, id))}
                    label={
                      <span className={styles.label}>{`${nameOf(r)} · ${r.subject || "(no subject)"}`}</span>
                    }
                    disabled={running}
                  />
                  <Button
                    appearance="subtle"
                    size="small"
                    aria-expanded={open}
                    aria-label={`${open ? "Hide" : "Preview"} the message to ${nameOf(r)}`}
                    onClick={() => setPreviewing((s) => toggle(s, id))}
                  >
                    {open ? "Hide" : "Preview"}
                  </Button>
                </div>
                {open && (
                  <div className={styles.preview}>
                    <Text size={200}>Subject: {draft.subject}</Text>
                    <Textarea
                      aria-label={`Message to ${nameOf(r)}`}
                      resize="vertical"
                      rows={6}
                      value={edits[id] ?? draft.text}
                      onChange={(_, data) => setEdits((e) => ({ ...e, [id]: data.value }))}
                      disabled={running}
                    />
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {others.length > 0 && (
        <div className={styles.add}>
          <Field className={styles.addField} label="Add another stale conversation">
            <Select
              className={styles.addSelect}
              value={toAdd}
              onChange={(_, data) => setToAdd(data.value)}
              disabled={running}
            >
              <option value="">Choose…</option>
              {others.map((r) => (
                <option key={r.conversationId} value={r.conversationId}>
                  {`${nameOf(r)} · ${r.subject || "(no subject)"}`}
                </option>
              ))}
            </Select>
          </Field>
          <Button
            disabled={!toAdd || running}
            onClick={() => {
              setAdded((a) => [...a, toAdd]);
              setToAdd("");
            }}
          >
            Add
          </Button>
        </div>
      )}
      <div>
        <Button
          appearance="primary"
          disabled={!cleanUp || running || n === 0}
          onClick={() => void run(chosen)}
        >
          {`Create ${counted(n, "draft")}`}
        </Button>
      </div>
      {progress && (
        <Field
          label={running ? "Creating drafts" : "Drafts created"}
          validationState="none"
          validationMessage={`${progress.done} of ${counted(progress.total, "conversation")} done`}
        >
          <ProgressBar
            aria-label={running ? "Creating drafts" : "Drafts created"}
            value={progress.total === 0 ? 1 : progress.done / progress.total}
            max={1}
          />
        </Field>
      )}
      {problem && (
        <Text role="alert" as="p" tabIndex={-1} ref={problemRef}>
          The drafts could not be created: {problem}
        </Text>
      )}
      {results.length > 0 && !running && (
        <div
          className={styles.summary}
          role="status"
          aria-label="Clean-up summary"
          tabIndex={-1}
          ref={summaryRef}
        >
          <Text weight="semibold">
            {`${counted(made.length, "draft")} in Drafts`}
            {answered.length > 0 ? `, ${answered.length} answered meanwhile` : ""}
            {failed.length > 0 ? `, ${failed.length} failed` : ""}. Nothing was sent.
          </Text>
          <ul className={styles.list} aria-label="Drafts made">
            {made.map(({ report, outcome }) => (
              <li key={report.conversationId} className={styles.row}>
                <Text>{`${nameOf(report)}: “${(outcome as { subject: string }).subject}” is in Drafts${outcome?.status === "existing" ? " (made earlier)" : ""}`}</Text>
              </li>
            ))}
          </ul>
          {answered.length > 0 && (
            <ul className={styles.list} aria-label="Answered meanwhile">
              {answered.map(({ report, outcome }) => (
                <li key={report.conversationId} className={styles.row}>
                  <Text>{`${nameOf(report)}: ${(outcome as { reason: string }).reason}; nothing drafted`}</Text>
                </li>
              ))}
            </ul>
          )}
          {failed.length > 0 && (
            <ul className={styles.list} aria-label="Failed drafts">
              {failed.map(({ report, outcome }) => (
                <li key={report.conversationId} className={styles.rowHead}>
                  <Text
                    className={styles.label}
                  >{`${nameOf(report)}: ${(outcome as { reason: string }).reason}`}</Text>
                  <Button size="small" onClick={() => void run([report])}>
                    Retry
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
