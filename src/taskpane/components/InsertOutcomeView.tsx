// Tells the user what "Insert into reply" did. In demo mode it shows the reply that would be created; the body is
// shown in a sandboxed, script-free iframe.
import {
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { Ref } from "react";
import { singleLine } from "../../core/plainText";
import type { InsertOutcome } from "../services";
import { previewDocument } from "../state/draftBody";

const useStyles = makeStyles({
  demo: {
    display: "grid",
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  frame: { width: "100%", height: "220px", border: `1px solid ${tokens.colorNeutralStroke2}` },
});

export function InsertOutcomeView(props: { readonly outcome: InsertOutcome; readonly dark: boolean }) {
  const styles = useStyles();
  const { outcome } = props;
  switch (outcome.kind) {
    case "reply-form-opened":
      return (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            A reply-all is open with your message. Review it and send it yourself.
          </MessageBarBody>
        </MessageBar>
      );
    case "new-message-opened":
      return (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>A new message is open. Review it and send it yourself.</MessageBarBody>
        </MessageBar>
      );
    case "inserted-at-cursor":
      return (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            Your message is in the draft at the cursor.
            {outcome.subjectSet ? " The subject is set too." : ""} Review it and send it yourself.
          </MessageBarBody>
        </MessageBar>
      );
    case "draft-created":
      return (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Draft created</MessageBarTitle>
            {outcome.opened
              ? "The draft is open for you to review and send."
              : `You'll find it in ${outcome.where}.`}
          </MessageBarBody>
        </MessageBar>
      );
    case "demo":
      return (
        <section className={styles.demo} aria-label="Reply that would be created" data-testid="demo-reply">
          <Text weight="semibold">Demo: this draft would be created (nothing is sent)</Text>
          <Text>{`To: ${outcome.to.map(singleLine).join(", ")}`}</Text>
          <Text>{`Subject: ${singleLine(outcome.subject)}`}</Text>
          <iframe
            className={styles.frame}
            title="Reply body"
            sandbox=""
            srcDoc={previewDocument(outcome.html, props.dark)}
          />
        </section>
      );
  }
}

/**
 * What an action on the message came to: its outcome, or the problem that stopped it. Announced politely as it
 * changes; `ref` lets the detail scroll it into view.
 */
export function InsertResult({
  outcome,
  problem,
  dark,
  ref,
}: {
  readonly outcome: InsertOutcome | null;
  readonly problem: string | null;
  readonly dark: boolean;
  readonly ref?: Ref<HTMLDivElement>;
}) {
  return (
    <div aria-live="polite" ref={ref}>
      {outcome && <InsertOutcomeView outcome={outcome} dark={dark} />}
      {problem && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}
