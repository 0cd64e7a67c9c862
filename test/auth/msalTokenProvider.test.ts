import {
  MsalTokenProvider,
  msalConfiguration,
  type MsalAccountLike,
  type MsalClientLike,
  type MsalResultLike,
} from "../../src/auth/msalTokenProvider";
import { SignInRequiredError } from "../../src/auth/tokenProvider";

class MsalError extends Error {
  constructor(readonly errorCode: string) {
    super(`msal: ${errorCode}`);
  }
}

/** A hand-written MSAL client: scripted answers, recorded calls. */
class FakeMsal implements MsalClientLike {
  readonly calls: string[] = [];
  active: MsalAccountLike | null = null;
  accounts: MsalAccountLike[] = [];
  silent: (scopes: string[]) => Promise<MsalResultLike> = () =>
    Promise.reject(new MsalError("no_account_error"));
  popup: (scopes: string[]) => Promise<MsalResultLike> = (scopes) =>
    Promise.resolve({ accessToken: `popup:${scopes.join(",")}`, account: { homeAccountId: "acc-1" } });

  getActiveAccount() {
    return this.active;
  }
  getAllAccounts() {
    return this.accounts;
  }
  setActiveAccount(account: MsalAccountLike | null) {
    this.calls.push(`setActiveAccount:${account?.homeAccountId}`);
    this.active = account;
  }
  acquireTokenSilent(request: { scopes: string[]; account?: MsalAccountLike; loginHint?: string }) {
    this.calls.push(
      `silent:${request.scopes.join(",")}:${request.account?.homeAccountId ?? "-"}${request.loginHint ? `:hint=${request.loginHint}` : ""}`,
    );
    return this.silent(request.scopes);
  }
  acquireTokenPopup(request: { scopes: string[]; loginHint?: string }) {
    this.calls.push(
      `popup:${request.scopes.join(",")}${request.loginHint ? `:hint=${request.loginHint}` : ""}`,
    );
    return this.popup(request.scopes);
  }
}

const provider = (msal: FakeMsal, dialog: ((scopes: readonly string[]) => Promise<string>) | null = null) =>
  new MsalTokenProvider(() => Promise.resolve(msal), dialog);

describe("msalTokenProvider.ts", () => {
  describe("getTokenSilently", () => {
    it("should return a token consent already allows, and never open a popup for one it does not", async () => {
      const msal = new FakeMsal();
      msal.silent = () => Promise.resolve({ accessToken: "rw", account: { homeAccountId: "acc-1" } });
      expect(await provider(msal).getTokenSilently(["Mail.ReadWrite"])).toBe("rw");

      const unconsented = new FakeMsal();
      await expect(provider(unconsented).getTokenSilently(["Mail.ReadWrite"])).rejects.toBeInstanceOf(
        SignInRequiredError,
      );
      expect(unconsented.calls).toEqual(["silent:Mail.ReadWrite:-"]);
    });
  });

  describe("getToken", () => {
    it("should return the silent token without any interaction when MSAL has one", async () => {
      const msal = new FakeMsal();
      msal.active = { homeAccountId: "acc-1" };
      msal.silent = () =>
        Promise.resolve({ accessToken: "silent-token", account: { homeAccountId: "acc-1" } });
      expect(await provider(msal).getToken(["Mail.Read"])).toBe("silent-token");
      expect(msal.calls.filter((c) => !c.startsWith("setActive"))).toEqual(["silent:Mail.Read:acc-1"]);
    });

    it("should pick the account signed in as the mailbox's address, and ask a sign-in for that address", async () => {
      const msal = new FakeMsal();
      const other = { homeAccountId: "other", username: "kim@contoso.com" };
      const sam = { homeAccountId: "sam", username: "Sam.Rivera@northwind-sales.com" };
      msal.active = other;
      msal.accounts = [other, sam];
      msal.silent = () => Promise.resolve({ accessToken: "t", account: sam });
      const hinted = new MsalTokenProvider(
        () => Promise.resolve(msal),
        null,
        "sam.rivera@northwind-sales.com",
      );
      await hinted.getToken(["Mail.Read"]);
      expect(msal.calls[0]).toBe("silent:Mail.Read:sam");

      const empty = new FakeMsal();
      empty.active = other;
      empty.accounts = [other];
      const fresh = new MsalTokenProvider(
        () => Promise.resolve(empty),
        null,
        "sam.rivera@northwind-sales.com",
      );
      await fresh.getToken(["Mail.Read"]);
      expect(empty.calls.slice(0, 2)).toEqual([
        "silent:Mail.Read:-:hint=sam.rivera@northwind-sales.com",
        "popup:Mail.Read:hint=sam.rivera@northwind-sales.com",
      ]);
    });

    it("should open the popup only after the silent attempt fails, then remember the account", async () => {
      const msal = new FakeMsal();
      expect(await provider(msal).getToken(["Mail.ReadWrite"])).toBe("popup:Mail.ReadWrite");
      expect(msal.calls).toEqual([
        "silent:Mail.ReadWrite:-",
        "popup:Mail.ReadWrite",
        "setActiveAccount:acc-1",
      ]);
    });

    it("should not open a popup when the network is down", async () => {
      const msal = new FakeMsal();
      msal.silent = () => Promise.reject(new MsalError("no_network_connectivity"));
      await expect(provider(msal).getToken(["Mail.Read"])).rejects.toThrow(/no_network_connectivity/);
      expect(msal.calls).toEqual(["silent:Mail.Read:-"]);
    });

    it("should fall back to the Office dialog when the popup is blocked", async () => {
      const msal = new FakeMsal();
      msal.popup = () => Promise.reject(new MsalError("popup_window_error"));
      const dialogScopes: string[][] = [];
      const token = await provider(msal, async (scopes) => {
        dialogScopes.push([...scopes]);
        return "dialog-token";
      }).getToken(["User.Read", "Mail.Read"]);
      expect(token).toBe("dialog-token");
      expect(dialogScopes).toEqual([["User.Read", "Mail.Read"]]);
    });

    it("should turn a closed sign-in window into SignInRequiredError", async () => {
      const msal = new FakeMsal();
      msal.popup = () => Promise.reject(new MsalError("user_cancelled"));
      await expect(provider(msal).getToken(["Mail.Read"])).rejects.toThrow(SignInRequiredError);
    });

    it("should run one interactive sign-in at a time", async () => {
      const msal = new FakeMsal();
      let open = 0;
      let maxOpen = 0;
      msal.popup = async (scopes) => {
        open++;
        maxOpen = Math.max(maxOpen, open);
        await new Promise((r) => setTimeout(r, 5));
        open--;
        return { accessToken: `t:${scopes.join()}`, account: null };
      };
      const p = provider(msal);
      const tokens = await Promise.all([p.getToken(["A"]), p.getToken(["B"])]);
      expect(tokens).toEqual(["t:A", "t:B"]);
      expect(maxOpen).toBe(1);
    });

    it("should never put the token in an error message", async () => {
      const msal = new FakeMsal();
      msal.silent = () => Promise.resolve({ accessToken: "SECRET", account: null });
      const logged: string[] = [];
      const spy = jest.spyOn(console, "log").mockImplementation((...a) => void logged.push(a.join(" ")));
      await provider(msal).getToken(["Mail.Read"]);
      spy.mockRestore();
      expect(logged.join()).not.toContain("SECRET");
    });
  });

  describe("msalConfiguration", () => {
    it("should use the common authority on the configured login host", () => {
      expect(
        msalConfiguration({
          clientId: "cid",
          loginUrl: "https://login.microsoftonline.com",
          redirectUri: "https://x/r",
        }),
      ).toEqual({
        auth: {
          clientId: "cid",
          authority: "https://login.microsoftonline.com/common",
          redirectUri: "https://x/r",
        },
        cache: { cacheLocation: "localStorage" },
      });
    });
  });
});
