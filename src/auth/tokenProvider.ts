// Sign-in behind one small interface, so the Graph client, the sync and the tests never see MSAL.
import type { AuthenticationProvider } from "@microsoft/microsoft-graph-client";

/** Reading mail: /me (User.Read) and the Sent Items and Inbox (Mail.Read). */
export const READ_SCOPES: readonly string[] = ["User.Read", "Mail.Read"];
/** Creating a reply draft (createReplyAll): asked for only when the user makes one. */
export const DRAFT_SCOPES: readonly string[] = ["Mail.ReadWrite"];

/** Gets access tokens for Microsoft Graph. Implementations never log tokens. */
export interface TokenProvider {
  getToken(scopes: readonly string[]): Promise<string>;
  /**
   * A token only if it can be had without showing anything (consent already given); else SignInRequiredError.
   * Absent: getToken never shows anything either (fixed tokens).
   */
  getTokenSilently?(scopes: readonly string[]): Promise<string>;
}

/** The build has no Azure app (client) ID: only configuration can fix it. */
export class AuthNotConfiguredError extends Error {
  constructor() {
    super(
      "Rekindle has no Azure app registration configured. Build it with REKINDLE_CLIENT_ID=<application (client) ID> " +
        "(npm run build), after registering a single-page app with the redirect URI brk-multihub://<your add-in origin> " +
        "and the delegated Graph permissions User.Read, Mail.Read and Mail.ReadWrite. The README walks through it.",
    );
    this.name = "AuthNotConfiguredError";
  }
}

/** Sign-in needs the user (cancelled, popup blocked, consent missing); retrying later may succeed. */
export class SignInRequiredError extends Error {
  constructor(reason: string) {
    super(`Sign in to Microsoft 365 to continue: ${reason}`);
    this.name = "SignInRequiredError";
  }
}

/** The Graph client's AuthenticationProvider, bound to the scopes one connection needs. */
export class ScopedAuthenticationProvider implements AuthenticationProvider {
  constructor(
    private readonly tokens: TokenProvider,
    private readonly scopes: readonly string[],
  ) {}

  getAccessToken(): Promise<string> {
    return this.tokens.getToken(this.scopes);
  }
}

/** A fixed token: development builds against the emulator, and tests. */
export class FixedTokenProvider implements TokenProvider {
  constructor(private readonly token: string) {}
  getToken(): Promise<string> {
    return Promise.resolve(this.token);
  }
}

/** Stands in when no client ID was configured: every request fails with the configuration message. */
export class UnconfiguredTokenProvider implements TokenProvider {
  getToken(): Promise<string> {
    return Promise.reject(new AuthNotConfiguredError());
  }
}
