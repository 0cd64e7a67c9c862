// auth-dialog.html: the last sign-in fallback, opened with the Office dialog API when NAA is missing and the MSAL
// popup cannot open. It signs in by redirect inside the dialog and hands the token to the task pane
// (Office.context.ui.messageParent). Query: ?scopes=User.Read%20Mail.Read (the client ID is a build constant). Register this page as an SPA redirect URI.
import { messageParent } from "../office/officeRuntime";
import { msalConfiguration } from "./msalTokenProvider";

declare const __REKINDLE_CLIENT_ID__: string;
declare const __REKINDLE_LOGIN_URL__: string;

const SCOPES_KEY = "rekindle.dialog.scopes";

async function run(): Promise<void> {
  const query = new URLSearchParams(window.location.search);
  const fromQuery = query.get("scopes");
  if (fromQuery) sessionStorage.setItem(SCOPES_KEY, fromQuery);
  const scopes = (fromQuery ?? sessionStorage.getItem(SCOPES_KEY) ?? "").split(" ").filter(Boolean);
  const msal = await import(/* webpackChunkName: "msal" */ "@azure/msal-browser");
  const pca = await msal.createStandardPublicClientApplication(
    msalConfiguration({
      clientId: __REKINDLE_CLIENT_ID__,
      loginUrl: __REKINDLE_LOGIN_URL__,
      redirectUri: `${window.location.origin}${window.location.pathname}`,
    }),
  );
  const result = await pca.handleRedirectPromise();
  if (result) {
    await messageParent(JSON.stringify({ accessToken: result.accessToken }));
    return;
  }
  await pca.acquireTokenRedirect({ scopes });
}

run().catch(async (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  if (!(await messageParent(JSON.stringify({ error: message })))) {
    document.body.textContent = `Sign-in failed: ${message}`;
  }
});
