// Finding the Office.js host at start-up and the few runtime facts other layers need (NAA support, partition key,
// the dialog API for the sign-in fallback). The only module that reads the `Office` global.
import { isSetSupported, type DialogLike, type OfficeLike } from "./officeApi";

/** The Office global when office.js loaded (or a test injected a fake), else null (plain browser, CDN blocked). */
export function officeGlobal(): OfficeLike | null {
  return typeof Office === "undefined" ? null : (Office as unknown as OfficeLike);
}

/**
 * Waits for Office.onReady. Resolves true inside Outlook, false when there is no Office host (office.js missing,
 * or loaded in an ordinary browser tab, where onReady reports host null) or it did not answer in time.
 */
export async function waitForOutlook(office: OfficeLike | null, timeoutMs = 5000): Promise<boolean> {
  if (!office) return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const info = await Promise.race([office.onReady(), timeout]);
    return info?.host === "Outlook" && Boolean(office.context?.mailbox);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Nested app authentication is detected at run time; no manifest setting declares it. */
export function supportsNestedAppAuth(office: OfficeLike): boolean {
  return isSetSupported(office, "NestedAppAuth", "1.1");
}

/** Office's storage partition for this add-in instance (null where the host does not partition). */
export function partitionKeyOf(office: OfficeLike): string | null {
  return office.context.partitionKey ?? null;
}

/** The address of the mailbox the pane is open on (userProfile.emailAddress), or null when Office has none. */
export function mailboxAddressOf(office: OfficeLike): string | null {
  const address = office.context.mailbox?.userProfile?.emailAddress;
  return typeof address === "string" && address.trim() ? address.trim() : null;
}

/** Opens an Office dialog on `url` and resolves with the first message it sends to the parent. */
export function openDialogForMessage(office: OfficeLike, url: string): Promise<string> {
  const ui = office.context.ui;
  if (!ui) return Promise.reject(new Error("This Outlook cannot open a sign-in dialog."));
  return new Promise<string>((resolve, reject) => {
    ui.displayDialogAsync(url, { height: 60, width: 30, promptBeforeOpen: false }, (result) => {
      if (result.status !== "succeeded") {
        reject(new Error(result.error?.message ?? "Outlook could not open the sign-in dialog."));
        return;
      }
      const dialog: DialogLike = result.value;
      dialog.addEventHandler("dialogMessageReceived", (args) => {
        dialog.close();
        resolve(args.message ?? "");
      });
      dialog.addEventHandler("dialogEventReceived", (args) => {
        // 12006: the user closed the dialog.
        reject(
          new Error(
            args.error === 12006 ? "Sign-in was cancelled." : `Sign-in dialog failed (${args.error}).`,
          ),
        );
      });
    });
  });
}

/** From inside an Office dialog: hands a message to the task pane that opened it (after Office.onReady). */
export async function messageParent(message: string): Promise<boolean> {
  const office = officeGlobal() as
    (OfficeLike & { context: { ui?: { messageParent?(m: string): void } } }) | null;
  if (!office) return false;
  await waitForOutlook(office, 5000);
  const send = office.context?.ui?.messageParent;
  if (!send) return false;
  send.call(office.context.ui, message);
  return true;
}
