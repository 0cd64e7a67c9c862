import {
  AuthNotConfiguredError,
  DRAFT_SCOPES,
  FixedTokenProvider,
  READ_SCOPES,
  ScopedAuthenticationProvider,
  UnconfiguredTokenProvider,
  type TokenProvider,
} from "../../src/auth/tokenProvider";

describe("tokenProvider.ts", () => {
  describe("scopes", () => {
    it("should read with Mail.Read only and ask for Mail.ReadWrite just for drafts", () => {
      expect(READ_SCOPES).toEqual(["User.Read", "Mail.Read"]);
      expect(DRAFT_SCOPES).toEqual(["Mail.ReadWrite"]);
      expect(READ_SCOPES).not.toContain("Mail.ReadWrite");
      expect([...READ_SCOPES, ...DRAFT_SCOPES]).not.toContain("Mail.Send");
    });
  });

  describe("ScopedAuthenticationProvider", () => {
    it("should ask the token provider for its own scopes", async () => {
      const asked: (readonly string[])[] = [];
      const tokens: TokenProvider = { getToken: async (scopes) => (asked.push(scopes), "t") };
      await new ScopedAuthenticationProvider(tokens, DRAFT_SCOPES).getAccessToken();
      expect(asked).toEqual([DRAFT_SCOPES]);
    });
  });

  describe("UnconfiguredTokenProvider", () => {
    it("should fail with a message that says exactly what to configure", async () => {
      const error = await new UnconfiguredTokenProvider().getToken().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthNotConfiguredError);
      expect((error as Error).message).toMatch(/REKINDLE_CLIENT_ID/);
      expect((error as Error).message).toMatch(/brk-multihub:\/\//);
      expect((error as Error).message).toMatch(/Mail\.Read/);
    });
  });

  describe("FixedTokenProvider", () => {
    it("should give its token for any scopes", async () => {
      expect(await new FixedTokenProvider("abc").getToken()).toBe("abc");
    });
  });
});
