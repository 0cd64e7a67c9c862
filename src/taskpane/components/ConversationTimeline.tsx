// The thread as a story, oldest first: my attempts, their answers, automatic replies (marked), and the calls and
// voicemails the user logged. Each answer shows what it says (declined, later, left…) as a badge with text.
// Everything is text.
import { Badge, Caption1, Text, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { useMemo } from "react";
import { classifyAnswer, type IntentKind } from "../../core/answerIntent";
import { singleLine } from "../../core/plainText";
import type { TimelineEntry } from "../../core/timeline";
import type { LoggedAttempt } from "../../core/userState";
import { formatPaneDate, type PaneWhere } from "../state/paneDates";

const useStyles = makeStyles({
  list: { listStyleType: "none", margin: 0, padding: 0, display: "grid", gap: tokens.spacingVerticalXS },
  item: {
    display: "grid",
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderLeft: `3px solid ${tokens.colorNeutralStroke1}`,
  },
  mine: { borderLeftColor: tokens.colorBrandStroke1 },
  theirs: { borderLeftColor: tokens.colorPaletteGreenBorder2 },
  automated: { borderLeftStyle: "dashed" },
  logged: { borderLeftColor: tokens.colorPaletteBerryBorder2 },
  intent: { justifySelf: "start" },
  preview: {
    overflow: "hidden",
    textOverflow: "ellipsis",
    whiteSpace: "nowrap",
    color: tokens.colorNeutralForeground2,
  },
  // What they wrote is the point of the story: up to three lines of it, not one cut at 350 px.
  answer: {
    display: "-webkit-box",
    WebkitBoxOrient: "vertical",
    WebkitLineClamp: 3,
    whiteSpace: "normal",
    overflowWrap: "anywhere",
  },
});

const AUTOMATED_LABELS = {
  "auto-reply": "Automatic reply",
  receipt: "Read receipt",
  bounce: "Bounce",
  delay: "Delay notice",
  acknowledgement: "Ticket acknowledgement",
} as const;

/** Badge text for what an answer says; a plain answer has none. */
export const INTENT_LABELS: Readonly<Record<Exclude<IntentKind, "answer">, string>> = {
  declined: "Declined",
  deferred: "Later",
  left: "Left",
  "out-of-office": "Out of office",
  acknowledgement: "Ticket",
  delay: "Delay",
};

type Story =
  | { readonly kind: "mail"; readonly at: number; readonly entry: TimelineEntry }
  | { readonly kind: "logged"; readonly at: number; readonly attempt: LoggedAttempt };

export interface ConversationTimelineProps {
  readonly entries: readonly TimelineEntry[];
  readonly logged?: readonly LoggedAttempt[];
  readonly where: PaneWhere;
}

export function ConversationTimeline(props: ConversationTimelineProps) {
  const styles = useStyles();
  const { where, entries } = props;
  // What each of their messages says, read once per timeline.
  const intents = useMemo(() => {
    const out = new Map<string, IntentKind>();
    for (const e of entries) {
      if (e.direction !== "theirs") continue;
      const kind = classifyAnswer({
        subject: e.subject,
        text: e.preview,
        sentAt: e.at,
        automated: e.automated !== null,
        timeZone: where.timeZone,
      }).kind;
      if (kind !== "answer") out.set(e.messageId, kind);
    }
    return out;
  }, [entries, where.timeZone]);
  const story: Story[] = [
    ...props.entries.map((entry) => ({ kind: "mail" as const, at: entry.at, entry })),
    ...(props.logged ?? []).map((attempt) => ({ kind: "logged" as const, at: attempt.at, attempt })),
  ].sort((a, b) => a.at - b.at);
  if (story.length === 0) return <Text>No messages in the sync window.</Text>;
  return (
    <ol className={styles.list} aria-label="Timeline">
      {story.map((s) => {
        if (s.kind === "logged") {
          return (
            <li key={s.attempt.id} className={mergeClasses(styles.item, styles.logged)}>
              <Caption1>{`${formatPaneDate(s.attempt.at, where)} · ${
                s.attempt.kind === "call" ? "You called" : "You left a voicemail"
              }`}</Caption1>
              {s.attempt.note && (
                <Text size={200} className={styles.preview}>
                  {singleLine(s.attempt.note)}
                </Text>
              )}
            </li>
          );
        }
        const e = s.entry;
        const intent = intents.get(e.messageId);
        return (
          <li
            key={e.messageId}
            className={mergeClasses(
              styles.item,
              e.direction === "mine" ? styles.mine : styles.theirs,
              e.automated !== null && styles.automated,
            )}
          >
            <Caption1>
              {`${formatPaneDate(e.at, where)} · ${
                e.direction === "mine"
                  ? "You wrote"
                  : e.automated
                    ? `${AUTOMATED_LABELS[e.automated]} from ${singleLine(e.who)}`
                    : `${singleLine(e.who)} answered`
              }`}
            </Caption1>
            {intent && intent !== "answer" && (
              <Badge appearance="tint" size="small" className={styles.intent} data-testid="intent-badge">
                {INTENT_LABELS[intent]}
              </Badge>
            )}
            <Text
              size={200}
              className={mergeClasses(styles.preview, e.direction !== "mine" && styles.answer)}
              data-testid="timeline-preview"
            >
              {singleLine(e.preview || e.subject)}
            </Text>
          </li>
        );
      })}
    </ol>
  );
}
