// What the engine read in the thread, told as a story: who declined (and the phrase), the "later" date (which the
// user can change or clear), who left and who took over, an answer written in another conversation, and who
// introduced us. All names and phrases come from mail: rendered as text only.
import {
  Button,
  Field,
  Input,
  Link,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import type { ConversationReport, Person } from "../../core/awaitingReply";
import type { Instant, Mailbox } from "../../core/message";
import { readableName } from "../../core/names";
import { singleLine } from "../../core/plainText";
import { formatPaneDate, localMorning, type PaneWhere } from "../state/paneDates";

const useStyles = makeStyles({
  // Nothing to tell (most stale threads): no box, so no second gap under the header.
  story: { display: "grid", gap: tokens.spacingVerticalXS, minWidth: 0, ":empty": { display: "none" } },
  wrap: { overflowWrap: "anywhere" },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
});

const nameOf = (p: Person | null | undefined): string =>
  p ? singleLine(readableName(p.name) || p.address) : "";
const quoted = (evidence: string | null): string => (evidence ? ` — “${singleLine(evidence)}”` : "");

export interface ConversationVerdictProps {
  readonly report: ConversationReport;
  readonly mailbox: Mailbox;
  readonly where: PaneWhere;
  readonly now: () => Instant;
  /** Conversations in the list: "Open that conversation" selects one of them. */
  readonly listed: (conversationId: string) => boolean;
  readonly onOpenConversation?: (conversationId: string) => void;
  readonly onDefer: (until: Instant | null, label: string) => void;
  readonly onMarkReferrer: (address: string) => void;
}

/** The verdict's details under the header. */
export function ConversationVerdict(props: ConversationVerdictProps) {
  const { report, where } = props;
  const styles = useStyles();
  const [outside, setOutside] = useState(false);
  const heard = report.lastHeard;
  const cc = copiedPeople(report, props.mailbox);
  return (
    <div className={styles.story} data-testid="verdict">
      {report.state === "declined" && (
        <Text className={styles.wrap} data-testid="verdict-declined">
          {`${nameOf(heard?.from) || nameOf(report.prospects[0]) || "They"} declined${quoted(report.evidence)}`}
        </Text>
      )}
      {report.state === "deferred" && <DeferredDate {...props} />}
      {report.state === "left" && (
        <Text className={styles.wrap} data-testid="verdict-left">
          {`${nameOf(report.prospects[0]) || nameOf(heard?.from) || "They"} has left${
            report.successor ? `; ${nameOf(report.successor)} took over` : ""
          }${quoted(report.evidence)}`}
        </Text>
      )}
      {heard?.elsewhere && (
        <div className={styles.story} data-testid="verdict-elsewhere">
          <Text className={styles.wrap}>
            {`${nameOf(heard.from)}${heard.company ? ` (${singleLine(heard.company)})` : ""} wrote on ${formatPaneDate(heard.at, where)} in another conversation: “${singleLine(heard.subject) || "(no subject)"}”`}
          </Text>
          <div>
            <Link
              as="button"
              onClick={() => {
                if (props.listed(heard.conversationId) && props.onOpenConversation) {
                  props.onOpenConversation(heard.conversationId);
                } else setOutside(true);
              }}
            >
              Open that conversation
            </Link>
          </div>
          {outside && (
            <Text size={200} role="status">
              That conversation is not in the list (it has no message of yours in the sync window, or it is
              filtered out).
            </Text>
          )}
        </div>
      )}
      {report.referrer && (
        <Text size={200} className={styles.wrap} data-testid="verdict-referrer">
          {`Introduced by ${nameOf(report.referrer)} (${singleLine(report.referrer.address)})`}
        </Text>
      )}
      {cc.length > 0 && (
        <div className={styles.row}>
          <Text size={200} className={styles.wrap}>{`Cc: ${cc.map(nameOf).join(", ")}`}</Text>
          <Menu>
            <MenuTrigger disableButtonEnhancement>
              <Button size="small" appearance="subtle">
                Who introduced you?
              </Button>
            </MenuTrigger>
            <MenuPopover>
              <MenuList>
                {cc.map((p) => (
                  <MenuItem key={p.address} onClick={() => props.onMarkReferrer(p.address)}>
                    {`Mark ${nameOf(p)} as the person who introduced you`}
                  </MenuItem>
                ))}
              </MenuList>
            </MenuPopover>
          </Menu>
        </div>
      )}
    </div>
  );
}

/** People copied on the conversation's messages who are not prospects, me nor the known referrer: who may have introduced us. */
export function copiedPeople(report: ConversationReport, mailbox: Mailbox): Person[] {
  const skip = new Set([
    ...report.prospects.map((p) => p.address),
    report.referrer?.address ?? "",
    mailbox.me.mail?.toLowerCase() ?? "",
    mailbox.me.userPrincipalName?.toLowerCase() ?? "",
  ]);
  const out: Person[] = [];
  for (const m of mailbox.messages) {
    if (m.conversationId !== report.conversationId) continue;
    for (const p of m.cc) {
      if (!skip.has(p.address) && !out.some((o) => o.address === p.address)) out.push(p);
    }
  }
  return out;
}

function DeferredDate(props: ConversationVerdictProps) {
  const { report, where } = props;
  const styles = useStyles();
  const [date, setDate] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    const until = localMorning(date, where.timeZone);
    if (until === null) return setError("Pick a date.");
    if (until <= props.now()) return setError("Pick a date in the future.");
    setError(null);
    props.onDefer(until, `until ${formatPaneDate(until, where)}`);
  };
  return (
    <div className={styles.story} data-testid="verdict-deferred">
      <Text className={styles.wrap}>
        {report.deferredUntil !== null
          ? `Later: until ${formatPaneDate(report.deferredUntil, where)}${quoted(report.evidence)}`
          : `Later${quoted(report.evidence)}`}
      </Text>
      <div className={styles.row}>
        <Field label="Change the date" validationMessage={error ?? undefined}>
          <Input type="date" value={date} onChange={(_, data) => setDate(data.value)} />
        </Field>
        <Button onClick={submit}>Set date</Button>
        <Button onClick={() => props.onDefer(null, "")}>Clear the date</Button>
      </div>
    </div>
  );
}
