import { readDevOverrides, resolveRuntimeConfig, type BuildConfig } from "../../src/taskpane/runtimeConfig";

const PROD: BuildConfig = {
  dev: false,
  clientId: "",
  graphUrl: "https://graph.microsoft.com/v1.0",
  emulatorUrl: "",
  demoToken: "",
  demoNow: "",
};
const DEV: BuildConfig = {
  ...PROD,
  dev: true,
  emulatorUrl: "http://127.0.0.1:4300/v1.0",
  demoToken: "emulator-token",
  demoNow: "2026-11-20T09:00:00Z",
};

describe("runtimeConfig.ts", () => {
  describe("readDevOverrides", () => {
    it("should read the query string, which wins over the global", () => {
      expect(
        readDevOverrides(
          { graphUrl: "http://127.0.0.1:1/v1.0", token: "g", mode: "demo" },
          "?graph=http://127.0.0.1:2/v1.0&now=2026-01-01T00:00:00Z",
        ),
      ).toEqual({
        graphUrl: "http://127.0.0.1:2/v1.0",
        token: "g",
        now: "2026-01-01T00:00:00Z",
        mode: "demo",
      });
    });

    it("should drop values of the wrong kind", () => {
      expect(readDevOverrides({ token: 42, mode: "admin", officeTimeoutMs: -1 }, "")).toEqual({});
    });
  });

  describe("resolveRuntimeConfig", () => {
    it("should ignore every override in a production build", () => {
      const config = resolveRuntimeConfig(
        PROD,
        { graphUrl: "http://127.0.0.1:9/v1.0", token: "t", now: "2020-01-01T00:00:00Z", mode: "demo" },
        true,
      );
      expect(config).toEqual({
        graphUrl: "https://graph.microsoft.com/v1.0",
        staticToken: null,
        fixedNow: null,
        forcedMode: null,
        officeTimeoutMs: 5000,
      });
    });

    it("should point demo mode at the emulator with its token and the demo mailbox's now", () => {
      expect(resolveRuntimeConfig(DEV, {}, true)).toMatchObject({
        graphUrl: "http://127.0.0.1:4300/v1.0",
        staticToken: "emulator-token",
        fixedNow: Date.parse("2026-11-20T09:00:00Z"),
      });
    });

    it("should use Microsoft Graph and MSAL in a dev build inside Outlook without overrides", () => {
      expect(resolveRuntimeConfig(DEV, {}, false)).toMatchObject({
        graphUrl: "https://graph.microsoft.com/v1.0",
        staticToken: null,
        fixedNow: null,
      });
    });

    it.each(["https://evil.example.com/v1.0", "http://10.0.0.5:4300/v1.0", "javascript:alert(1)"])(
      "should never send a dev token to a non-loopback Graph URL (%s)",
      (graphUrl) => {
        expect(resolveRuntimeConfig(DEV, { graphUrl, token: "t" }, false).graphUrl).toBe(
          "https://graph.microsoft.com/v1.0",
        );
      },
    );

    it("should accept the e2e overrides for the emulator", () => {
      expect(
        resolveRuntimeConfig(
          DEV,
          { graphUrl: "http://127.0.0.1:5555/v1.0/", token: "e2e", mode: "outlook" },
          false,
        ),
      ).toMatchObject({ graphUrl: "http://127.0.0.1:5555/v1.0", staticToken: "e2e", forcedMode: "outlook" });
    });
  });
});
