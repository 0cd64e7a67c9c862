// auth.html: the popup's redirect URI for the standard (non-NAA) MSAL client. It hands the sign-in
// response back to the task pane that opened the popup.
import { broadcastResponseToMainFrame } from "@azure/msal-browser/redirect-bridge";

broadcastResponseToMainFrame().catch(() => {
  document.body.textContent = "Sign-in could not finish. Close this window and try again from Rekindle.";
});
