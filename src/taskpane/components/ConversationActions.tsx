// The compact menus of the detail's action bar: the technique, and "More actions" (snooze, mark as closed, log a
// call, not a prospect). Each action is reported to the model, which persists it and offers undo.
import {
  Button,
  Field,
  Input,
  Menu,
  MenuButton,
  MenuDivider,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { MoreHorizontalRegular } from "@fluentui/react-icons";
import { useState } from "react";
import { domainOf } from "../../core/addresses";
import type { ConversationReport } from "../../core/awaitingReply";
import { DAY_MS, type Instant } from "../../core/message";
import { singleLine } from "../../core/plainText";
import { TECHNIQUES, TECHNIQUE_LABELS, isTechnique, type Technique } from "../../core/technique";
import type { LoggedAttempt } from "../../core/userState";
import { formatPaneDate, localMorning, type PaneWhere } from "../state/paneDates";

const useStyles = makeStyles({
  date: {
    display: "flex",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalS,
    alignItems: "flex-end",
    paddingBottom: tokens.spacingVerticalS,
  },
});

export interface TechniqueMenuProps {
  readonly technique: Technique;
  readonly suggested: Technique | null;
  readonly onChange: (technique: Technique) => void;
  readonly disabled?: boolean;
}

/** Picks the technique; the suggested one is marked. */
export function TechniqueMenu(props: TechniqueMenuProps) {
  return (
    <Menu
      checkedValues={{ technique: [props.technique] }}
      onCheckedValueChange={(_, data) => {
        const picked = data.checkedItems[0];
        if (isTechnique(picked)) props.onChange(picked);
      }}
    >
      <MenuTrigger disableButtonEnhancement>
        <MenuButton disabled={props.disabled} aria-label={`Technique: ${TECHNIQUE_LABELS[props.technique]}`}>
          Technique
        </MenuButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {TECHNIQUES.map((t) => (
            <MenuItemRadio key={t} name="technique" value={t}>
              {`${TECHNIQUE_LABELS[t]}${t === props.suggested ? " (suggested)" : ""}`}
            </MenuItemRadio>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}

export interface ConversationActionsProps {
  readonly report: ConversationReport;
  readonly now: () => Instant;
  readonly onSnooze: (until: Instant, label: string) => void;
  readonly onUnsnooze: () => void;
  readonly onClose: () => void;
  readonly onReopen: () => void;
  readonly onExcludeAddress: (address: string) => void;
  readonly onExcludeDomain: (domain: string) => void;
  readonly onLog: (kind: LoggedAttempt["kind"]) => void;
  /** Asks for a date in the action bar (the date form is rendered by SnoozeDateForm). */
  readonly onPickDate: () => void;
}

const SNOOZES: readonly { readonly days: number; readonly label: string }[] = [
  { days: 3, label: "for 3 days" },
  { days: 7, label: "for 1 week" },
  { days: 14, label: "for 2 weeks" },
];

/** Snooze, mark as closed, log a call, not a prospect: one compact menu. */
export function ConversationActions(props: ConversationActionsProps) {
  const { report } = props;
  const domains = [...new Set(report.prospects.map((p) => domainOf(p.address)))];
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <Button icon={<MoreHorizontalRegular />} aria-label="More actions" title="More actions" />
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {report.state === "snoozed" ? (
            <MenuItem onClick={props.onUnsnooze}>Wake up now</MenuItem>
          ) : (
            <Menu>
              <MenuTrigger disableButtonEnhancement>
                <MenuItem>Snooze</MenuItem>
              </MenuTrigger>
              <MenuPopover>
                <MenuList>
                  {SNOOZES.map((s) => (
                    <MenuItem
                      key={s.days}
                      onClick={() => props.onSnooze((props.now() + s.days * DAY_MS) as Instant, s.label)}
                    >
                      {s.label.replace(/^for /, "")}
                    </MenuItem>
                  ))}
                  <MenuItem onClick={props.onPickDate}>Pick a date…</MenuItem>
                </MenuList>
              </MenuPopover>
            </Menu>
          )}
          {report.state === "closed" ? (
            <MenuItem onClick={props.onReopen}>Reopen</MenuItem>
          ) : (
            <MenuItem onClick={props.onClose}>Mark as closed</MenuItem>
          )}
          <Menu>
            <MenuTrigger disableButtonEnhancement>
              <MenuItem>Log a call</MenuItem>
            </MenuTrigger>
            <MenuPopover>
              <MenuList>
                <MenuItem onClick={() => props.onLog("call")}>I called</MenuItem>
                <MenuItem onClick={() => props.onLog("voicemail")}>I left a voicemail</MenuItem>
              </MenuList>
            </MenuPopover>
          </Menu>
          <MenuDivider />
          <Menu>
            <MenuTrigger disableButtonEnhancement>
              <MenuItem>Not a prospect</MenuItem>
            </MenuTrigger>
            <MenuPopover>
              <MenuList>
                <MenuGroup>
                  <MenuGroupHeader>Ignore this address</MenuGroupHeader>
                  {report.prospects.map((p) => (
                    <MenuItem key={p.address} onClick={() => props.onExcludeAddress(p.address)}>
                      {singleLine(p.address)}
                    </MenuItem>
                  ))}
                </MenuGroup>
                <MenuDivider />
                <MenuGroup>
                  <MenuGroupHeader>Ignore everyone at</MenuGroupHeader>
                  {domains.map((d) => (
                    <MenuItem key={d} onClick={() => props.onExcludeDomain(d)}>
                      {singleLine(d)}
                    </MenuItem>
                  ))}
                </MenuGroup>
              </MenuList>
            </MenuPopover>
          </Menu>
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}

/** "Snooze until" a chosen date, shown in the action bar where the user asked for it. */
export function SnoozeDateForm(props: {
  readonly now: () => Instant;
  /** The user's zone and locale: 8:00 that day where they are, named as every date in the pane. */
  readonly where: PaneWhere;
  readonly onSnooze: (until: Instant, label: string) => void;
  readonly onCancel: () => void;
}) {
  const styles = useStyles();
  const [date, setDate] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    const until = localMorning(date, props.where.timeZone);
    if (until === null) return setError("Pick a date.");
    if (until <= props.now()) return setError("Pick a date in the future.");
    setError(null);
    props.onSnooze(until, `until ${formatPaneDate(until, props.where)}`);
  };
  return (
    <div className={styles.date}>
      <Field label="Snooze until" validationMessage={error ?? undefined}>
        <Input type="date" value={date} onChange={(_, data) => setDate(data.value)} />
      </Field>
      <Button appearance="primary" onClick={submit}>
        Snooze
      </Button>
      <Button onClick={props.onCancel}>Cancel</Button>
    </div>
  );
}
