// Where decisions are kept, said once in the pane's header when it matters: after Mail.ReadWrite was refused they
// stay on this device only (with a way to turn roaming on), and a copy in the mailbox that could not be read is
// named, never silently replaced.
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from "@fluentui/react-components";
import { useState } from "react";
import type { RoamingStatusView } from "../services";

export interface RoamingNoticeProps {
  readonly status: RoamingStatusView;
  /** Asks for the permission again and saves the decisions made meanwhile. */
  readonly onEnable: () => Promise<void>;
}

export function RoamingNotice({ status, onEnable }: RoamingNoticeProps) {
  const [busy, setBusy] = useState(false);
  return (
    <>
      {status.mode === "local-only" && (
        <MessageBar intent="warning" role="status">
          <MessageBarBody>
            <MessageBarTitle>Decisions are kept on this device only</MessageBarTitle>
            Rekindle may not save your snoozes, closed files and calls in your mailbox, so they do not follow
            you to another device{status.pending > 0 ? ` (${status.pending} waiting)` : ""}.
          </MessageBarBody>
          <MessageBarActions>
            <Button
              size="small"
              disabled={busy}
              onClick={() => {
                setBusy(true);
                void onEnable().finally(() => setBusy(false));
              }}
            >
              Keep them in my mailbox
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {status.problems.length > 0 && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>
            <MessageBarTitle>Some saved decisions could not be read</MessageBarTitle>
            {status.problems.join(" ")}
          </MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
