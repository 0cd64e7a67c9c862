// The thread at a glance: my attempts and their messages, oldest first, as text.
import { Caption1, Text, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { formatDate } from "../../core/draft";
import type { TimelineEntry } from "../../core/timeline";

const useStyles = makeStyles({
  list: { listStyleType: "none", margin: 0, padding: 0, display: "grid", gap: tokens.spacingVerticalXS },
  item: {
    display: "grid",
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderLeft: `3px solid ${tokens.colorNeutralStroke1}`,
  },
  mine: { borderLeftColor: tokens.colorBrandStroke1 },
  theirs: { borderLeftColor: tokens.colorPaletteGreenBorder2 },
  preview: {
    overflow: "hidden",
    textOverflow: "ellipsis",
    whiteSpace: "nowrap",
    color: tokens.colorNeutralForeground2,
  },
});

const AUTOMATED_LABELS = {
  "auto-reply": "auto-reply",
  receipt: "receipt",
  bounce: "bounce",
  delay: "delay notice",
  acknowledgement: "ticket acknowledgement",
} as const;

export function ConversationTimeline(props: { readonly entries: readonly TimelineEntry[] }) {
  const styles = useStyles();
  if (props.entries.length === 0) return <Text>No messages in the sync window.</Text>;
  return (
    <ol className={styles.list} aria-label="Timeline">
      {props.entries.map((e) => (
        <li
          key={e.messageId}
          className={mergeClasses(styles.item, e.direction === "mine" ? styles.mine : styles.theirs)}
        >
          <Caption1>
            {`${formatDate(e.at)} · ${e.direction === "mine" ? "You wrote" : `${e.who} wrote`}${
              e.automated ? ` (${AUTOMATED_LABELS[e.automated]})` : ""
            }`}
          </Caption1>
          <Text size={200} className={styles.preview}>
            {e.preview || e.subject}
          </Text>
        </li>
      ))}
    </ol>
  );
}
