// MSAL behind TokenProvider. Inside Outlook with nested app authentication (NAA) the host signs the user in; where
// NAA is missing (older builds, Outlook.com/Gmail accounts) a standard MSAL popup is used, and when the popup cannot
// open, the Office dialog API. Silent first; interactive only when MSAL says it is needed. Tokens are never logged.
import { SignInRequiredError, type TokenProvider } from "./tokenProvider";

export interface MsalAccountLike {
  readonly homeAccountId: string;
  readonly username?: string;
}
export interface MsalResultLike {
  readonly accessToken: string;
  readonly account: MsalAccountLike | null;
}
/** The part of IPublicClientApplication we use (NAA and standard clients both have it). */
export interface MsalClientLike {
  getActiveAccount(): MsalAccountLike | null;
  getAllAccounts(): MsalAccountLike[];
  setActiveAccount(account: MsalAccountLike | null): void;
  acquireTokenSilent(request: {
    scopes: string[];
    account?: MsalAccountLike;
    loginHint?: string;
  }): Promise<MsalResultLike>;
  acquireTokenPopup(request: { scopes: string[]; loginHint?: string }): Promise<MsalResultLike>;
}

/** Signs in through the Office dialog API and returns a token (the last resort). */
export type DialogSignIn = (scopes: readonly string[]) => Promise<string>;

const errorCode = (error: unknown): string =>
  error && typeof error === "object" && "errorCode" in error
    ? String((error as { errorCode: unknown }).errorCode)
    : "";

/** Failures where no popup or dialog would help: the network is down. */
const NETWORK_CODES = new Set(["no_network_connectivity", "post_request_failed", "get_request_failed"]);
/** The popup could not open or was blocked: try the Office dialog instead. */
const POPUP_BLOCKED_CODES = new Set([
  "popup_window_error",
  "empty_window_error",
  "block_nested_popups",
  "popup_timeout",
]);

export class MsalTokenProvider implements TokenProvider {
  private interactive: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: () => Promise<MsalClientLike>,
    private readonly dialogSignIn: DialogSignIn | null,
    /**
     * The mailbox the pane is open on (Office's userProfile.emailAddress): the account MSAL uses is the one signed
     * in as that address, and a sign-in asks for it, so the token never belongs to another account in the profile.
     */
    private readonly loginHint: string | null = null,
  ) {}

  private accountFor(client: MsalClientLike): MsalAccountLike | undefined {
    const hint = this.loginHint?.trim().toLowerCase();
    if (!hint) return client.getActiveAccount() ?? client.getAllAccounts()[0];
    const matches = (a: MsalAccountLike | null | undefined) => a?.username?.trim().toLowerCase() === hint;
    const active = client.getActiveAccount();
    return matches(active) ? (active as MsalAccountLike) : client.getAllAccounts().find(matches);
  }

  private get hint(): { loginHint?: string } {
    return this.loginHint ? { loginHint: this.loginHint } : {};
  }

  async getToken(scopes: readonly string[]): Promise<string> {
    const client = await this.client();
    const silent = await this.silently(client, scopes);
    if (silent !== null) return silent;
    // One interactive sign-in at a time: MSAL refuses a second one while the first is open.
    const next = this.interactive.catch(() => undefined).then(() => this.signInInteractively(client, scopes));
    this.interactive = next;
    return next;
  }

  async getTokenSilently(scopes: readonly string[]): Promise<string> {
    const silent = await this.silently(await this.client(), scopes);
    if (silent === null) throw new SignInRequiredError("Rekindle needs your permission first.");
    return silent;
  }

  /** A token without showing anything, or null where MSAL needs the user; network failures are thrown as they are. */
  private async silently(client: MsalClientLike, scopes: readonly string[]): Promise<string | null> {
    const account = this.accountFor(client);
    try {
      const result = await client.acquireTokenSilent({
        scopes: [...scopes],
        ...(account ? { account } : this.hint),
      });
      this.remember(client, result);
      return result.accessToken;
    } catch (error) {
      if (NETWORK_CODES.has(errorCode(error))) throw error;
      return null;
    }
  }

  private async signInInteractively(client: MsalClientLike, scopes: readonly string[]): Promise<string> {
    try {
      const result = await client.acquireTokenPopup({ scopes: [...scopes], ...this.hint });
      this.remember(client, result);
      return result.accessToken;
    } catch (error) {
      const code = errorCode(error);
      if (POPUP_BLOCKED_CODES.has(code) && this.dialogSignIn) return this.dialogSignIn(scopes);
      if (code === "user_cancelled") throw new SignInRequiredError("the sign-in window was closed.");
      throw new SignInRequiredError(error instanceof Error ? error.message : String(error));
    }
  }

  private remember(client: MsalClientLike, result: MsalResultLike): void {
    if (result.account) client.setActiveAccount(result.account);
  }
}

export interface MsalOptions {
  readonly clientId: string;
  /** https://login.microsoftonline.com (a build constant). */
  readonly loginUrl: string;
  /** NAA available (Office.context.requirements.isSetSupported("NestedAppAuth", "1.1")). */
  readonly nestedAppAuth: boolean;
  /** For the standard (non-NAA) client: the page that relays the popup's response (auth.html). */
  readonly redirectUri: string;
  readonly dialogSignIn: DialogSignIn | null;
  /** The mailbox's address (userProfile.emailAddress): MSAL's account is chosen to match it. */
  readonly loginHint?: string | null;
}

/** MSAL configuration shared by the pane and the sign-in dialog. */
export function msalConfiguration(options: Pick<MsalOptions, "clientId" | "loginUrl" | "redirectUri">) {
  return {
    auth: {
      clientId: options.clientId,
      authority: `${options.loginUrl}/common`,
      redirectUri: options.redirectUri,
    },
    cache: { cacheLocation: "localStorage" as const },
  };
}

/** Builds the provider; MSAL itself is loaded on the first token request (a separate chunk). */
export function createMsalTokenProvider(options: MsalOptions): MsalTokenProvider {
  let client: Promise<MsalClientLike> | undefined;
  const load = (): Promise<MsalClientLike> => {
    client ??= import(/* webpackChunkName: "msal" */ "@azure/msal-browser").then(async (msal) => {
      const config = msalConfiguration(options);
      const pca = options.nestedAppAuth
        ? await msal.createNestablePublicClientApplication(config)
        : await msal.createStandardPublicClientApplication(config);
      return pca as unknown as MsalClientLike;
    });
    return client;
  };
  return new MsalTokenProvider(load, options.dialogSignIn, options.loginHint ?? null);
}
