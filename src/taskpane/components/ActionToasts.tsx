// Confirmations appear as toasts in the viewport, where the user just acted, each with Undo; a failed save is an
// error toast. Fluent's Toaster announces them through its live region.
import {
  Button,
  Toast,
  ToastBody,
  ToastTitle,
  ToastTrigger,
  Toaster,
  useId,
  useToastController,
} from "@fluentui/react-components";
import { useEffect, useState } from "react";
import type { UndoableAction } from "../state/usePaneModel";

/** Long enough to reach Undo; hovering or leaving the window pauses it. */
const UNDO_TIMEOUT_MS = 10_000;

function UndoToast(props: { readonly action: UndoableAction; readonly onUndone: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Toast data-testid="undo-toast">
      <ToastTitle
        action={
          <Button
            size="small"
            appearance="transparent"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              setError(null);
              props.action
                .undo()
                .then(props.onUndone)
                .catch((e: unknown) =>
                  setError(`Could not undo: ${e instanceof Error ? e.message : String(e)}`),
                )
                .finally(() => setBusy(false));
            }}
          >
            Undo
          </Button>
        }
      >
        {props.action.message}
      </ToastTitle>
      {error && <ToastBody>{error}</ToastBody>}
    </Toast>
  );
}

export interface ActionToastsProps {
  readonly action: UndoableAction | null;
  readonly error: string | null;
  readonly onDismiss: () => void;
}

export function ActionToasts(props: ActionToastsProps) {
  const toasterId = useId("rekindle-toaster");
  const { dispatchToast, dismissToast } = useToastController(toasterId);
  const { action, error, onDismiss } = props;

  useEffect(() => {
    if (!action) return;
    const toastId = `action-${action.id}`;
    // Where the user acted: Undo takes them back there, instead of leaving focus on a toast that goes away.
    const actedFrom = document.activeElement;
    dispatchToast(
      <UndoToast
        action={action}
        onUndone={() => {
          dismissToast(toastId);
          onDismiss();
          if (actedFrom instanceof HTMLElement && actedFrom !== document.body && actedFrom.isConnected) {
            actedFrom.focus();
          }
        }}
      />,
      { toastId, intent: "success", timeout: UNDO_TIMEOUT_MS, pauseOnHover: true, pauseOnWindowBlur: true },
    );
    return () => dismissToast(toastId);
  }, [action, dispatchToast, dismissToast, onDismiss]);

  useEffect(() => {
    if (!error) return;
    const toastId = `error-${error}`;
    dispatchToast(
      <Toast data-testid="error-toast">
        <ToastTitle
          action={
            <ToastTrigger>
              <Button size="small" appearance="transparent">
                Dismiss
              </Button>
            </ToastTrigger>
          }
        >
          {error}
        </ToastTitle>
      </Toast>,
      { toastId, intent: "error", timeout: -1 },
    );
    return () => dismissToast(toastId);
  }, [error, dispatchToast, dismissToast]);

  // Above the detail's action bar, so a toast never covers Insert, nor the two lines saying why there is none
  // ("The file is closed: reopen it from More actions…"), which appear as the toast does.
  return <Toaster toasterId={toasterId} position="bottom" offset={{ vertical: 104 }} limit={3} />;
}
