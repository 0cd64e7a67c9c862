// Where the sync stands: first-sync progress with counts, the last sync time with a refresh button, and problems
// (offline, throttled, signed out, not configured) with when the pane will retry by itself.
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Field,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowSyncRegular } from "@fluentui/react-icons";
import { useEffect, useState, type ReactNode } from "react";
import type { Instant } from "../../core/message";
import type { SyncProblemKind } from "../services";
import { formatPaneDate, type PaneWhere } from "../state/paneDates";
import type { SyncStatus } from "../state/usePaneModel";

const useStyles = makeStyles({
  root: { display: "grid", gap: tokens.spacingVerticalXS, minWidth: 0 },
  // Fluent eases the bar's width over 0.3 s; with a step every 0.2 s that is a layout and paint every frame of a
  // first sync, on the thread that stores its pages (and the compositor's): the bar steps instead.
  progress: { transitionProperty: "none" },
  bar: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalS,
    justifyContent: "space-between",
    minWidth: 0,
  },
  line: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXS, marginLeft: "auto" },
  secondary: { color: tokens.colorNeutralForeground2 },
});

const PROBLEM_TITLES: Readonly<Record<SyncProblemKind, string>> = {
  offline: "You're offline",
  throttled: "Outlook asked us to slow down",
  "signed-out": "Your sign-in has expired",
  "not-configured": "Rekindle isn't configured yet",
  error: "Sync failed",
};

/** "just now", "5 min ago", "at 14:05", or the day and time for older syncs: in the user's zone and locale. */
export function describeLastSync(at: Instant | null, now: Instant, where: PaneWhere): string {
  if (at === null) return "Never synced";
  const minutes = Math.floor((now - at) / 60_000);
  if (minutes < 1) return "Synced just now";
  if (minutes < 60) return `Synced ${minutes} min ago`;
  const time = new Intl.DateTimeFormat(where.locale, {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: where.timeZone,
  }).format(at);
  const day = formatPaneDate(at, where);
  return day === formatPaneDate(now, where) ? `Last synced at ${time}` : `Last synced ${day} at ${time}`;
}

function useSecondsUntil(at: Instant | null, now: () => Instant): number | null {
  const [, tick] = useState(0);
  useEffect(() => {
    if (at === null) return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now()) / 1000));
}

export interface SyncStatusBarProps {
  readonly status: SyncStatus;
  readonly lastSyncAt: Instant | null;
  readonly hasMailbox: boolean;
  readonly now: () => Instant;
  /** The user's zone and locale, for the time of the last sync. */
  readonly where: PaneWhere;
  readonly onRefresh: () => void;
  /** Shown at the start of the status line (the pane's title), so both share one row. */
  readonly title?: ReactNode;
}

export function SyncStatusBar(props: SyncStatusBarProps) {
  const { status } = props;
  const styles = useStyles();
  const retryIn = useSecondsUntil(status.kind === "problem" ? status.retryAt : null, props.now);
  const syncing = status.kind === "syncing" || status.kind === "loading";
  const firstSync = status.kind === "syncing" && !props.hasMailbox;

  return (
    <div data-testid="sync-status" className={styles.root}>
      <div className={styles.bar}>
        {props.title}
        <span className={styles.line}>
          {/* Under the first sync's progress bar there is no "last synced" to tell yet. */}
          <Text size={200} className={styles.secondary} role="status">
            {firstSync
              ? ""
              : status.kind === "syncing"
                ? "Refreshing…"
                : status.kind === "loading"
                  ? "Opening your saved conversations…"
                  : describeLastSync(props.lastSyncAt, props.now(), props.where)}
          </Text>
          <Button
            appearance="subtle"
            size="small"
            icon={<ArrowSyncRegular />}
            disabled={syncing}
            onClick={props.onRefresh}
          >
            Refresh
          </Button>
        </span>
      </div>
      <div aria-live="polite">
        {firstSync && (
          <Field
            label="Reading your Sent Items and Inbox…"
            hint={
              status.progress
                ? status.progress.expected !== null
                  ? `${status.progress.synced} of ${status.progress.expected} messages`
                  : `${status.progress.synced} messages`
                : "Starting…"
            }
          >
            <ProgressBar
              bar={{ className: styles.progress }}
              value={
                status.progress && status.progress.expected
                  ? Math.min(1, status.progress.synced / status.progress.expected)
                  : undefined
              }
            />
          </Field>
        )}
        {status.kind === "problem" && (
          <MessageBar
            layout="multiline"
            intent={
              status.problem.kind === "throttled" || status.problem.kind === "offline" ? "warning" : "error"
            }
          >
            <MessageBarBody>
              <MessageBarTitle>{PROBLEM_TITLES[status.problem.kind]}</MessageBarTitle>
              {status.problem.message}
              {status.problem.retryAfterMs !== null ? " Rekindle will try again by itself." : ""}
              {retryIn !== null && <span aria-hidden="true">{` (in ${retryIn} s)`}</span>}
            </MessageBarBody>
            {status.problem.retryAfterMs !== null && (
              <MessageBarActions>
                <Button onClick={props.onRefresh}>Retry now</Button>
              </MessageBarActions>
            )}
          </MessageBar>
        )}
      </div>
    </div>
  );
}
