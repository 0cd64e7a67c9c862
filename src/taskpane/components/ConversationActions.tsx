// Snooze, close the file, not a prospect, log a call: each reported to the model, which persists it and offers undo.
import {
  Button,
  Field,
  Input,
  Menu,
  MenuDivider,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Toolbar,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { domainOf } from "../../core/addresses";
import type { ConversationReport } from "../../core/awaitingReply";
import { DAY_MS, type Instant } from "../../core/message";
import type { LoggedAttempt } from "../../core/userState";

const useStyles = makeStyles({
  toolbar: { flexWrap: "wrap", gap: tokens.spacingHorizontalXS, paddingLeft: 0 },
  date: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "flex-end" },
  error: { color: tokens.colorPaletteRedForeground1 },
});

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
}

const SNOOZES: readonly { readonly days: number; readonly label: string }[] = [
  { days: 3, label: "for 3 days" },
  { days: 7, label: "for 1 week" },
  { days: 14, label: "for 2 weeks" },
];

/** A yyyy-mm-dd from a date input, as 8:00 local time that day. */
function parseDateInput(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 8, 0, 0);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function ConversationActions(props: ConversationActionsProps) {
  const { report } = props;
  const styles = useStyles();
  const [pickingDate, setPickingDate] = useState(false);
  const [date, setDate] = useState("");
  const [dateError, setDateError] = useState<string | null>(null);
  const domains = [...new Set(report.prospects.map((p) => domainOf(p.address)))];

  const snoozeUntilDate = () => {
    const d = parseDateInput(date);
    if (!d) return setDateError("Pick a date.");
    if (d.getTime() <= props.now()) return setDateError("Pick a date in the future.");
    setDateError(null);
    setPickingDate(false);
    props.onSnooze(d.getTime() as Instant, `until ${d.toLocaleDateString()}`);
  };

  return (
    <div>
      <Toolbar aria-label="Actions" className={styles.toolbar}>
        {report.state === "snoozed" ? (
          <Button onClick={props.onUnsnooze}>Wake up now</Button>
        ) : (
          <Menu>
            <MenuTrigger disableButtonEnhancement>
              <Button>Snooze</Button>
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
                <MenuItem onClick={() => setPickingDate(true)}>Pick a date…</MenuItem>
              </MenuList>
            </MenuPopover>
          </Menu>
        )}
        {report.state === "closed" ? (
          <Button onClick={props.onReopen}>Reopen</Button>
        ) : (
          <Button onClick={props.onClose}>Mark as closed</Button>
        )}
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button>Not a prospect</Button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuGroup>
                <MenuGroupHeader>Ignore this address</MenuGroupHeader>
                {report.prospects.map((p) => (
                  <MenuItem key={p.address} onClick={() => props.onExcludeAddress(p.address)}>
                    {p.address}
                  </MenuItem>
                ))}
              </MenuGroup>
              <MenuDivider />
              <MenuGroup>
                <MenuGroupHeader>Ignore everyone at</MenuGroupHeader>
                {domains.map((d) => (
                  <MenuItem key={d} onClick={() => props.onExcludeDomain(d)}>
                    {d}
                  </MenuItem>
                ))}
              </MenuGroup>
            </MenuList>
          </MenuPopover>
        </Menu>
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button>Log a call</Button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem onClick={() => props.onLog("call")}>I called</MenuItem>
              <MenuItem onClick={() => props.onLog("voicemail")}>I left a voicemail</MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
      </Toolbar>
      {pickingDate && (
        <div className={styles.date}>
          <Field label="Snooze until" validationMessage={dateError ?? undefined}>
            <Input type="date" value={date} onChange={(_, data) => setDate(data.value)} />
          </Field>
          <Button appearance="primary" onClick={snoozeUntilDate}>
            Snooze
          </Button>
          <Button onClick={() => setPickingDate(false)}>Cancel</Button>
        </div>
      )}
    </div>
  );
}
