// The toast after each action, with Undo. It stays until dismissed or replaced, so nobody has to race a timer.
import { Button, MessageBar, MessageBarActions, MessageBarBody } from "@fluentui/react-components";
import { DismissRegular } from "@fluentui/react-icons";
import { useState } from "react";
import type { UndoableAction } from "../state/usePaneModel";

export function UndoBar(props: { readonly action: UndoableAction | null; readonly onDismiss: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const { action } = props;
  return (
    <div aria-live="polite" data-testid="undo-bar">
      {action && (
        <MessageBar key={action.id} intent="info">
          <MessageBarBody>{error ?? action.message}</MessageBarBody>
          <MessageBarActions
            containerAction={
              <Button
                appearance="transparent"
                aria-label="Dismiss"
                icon={<DismissRegular />}
                onClick={props.onDismiss}
              />
            }
          >
            <Button
              onClick={() => {
                setError(null);
                action
                  .undo()
                  .catch((e: unknown) =>
                    setError(`Could not undo: ${e instanceof Error ? e.message : String(e)}`),
                  );
              }}
            >
              Undo
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
    </div>
  );
}
