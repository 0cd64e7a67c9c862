// The build's security-relevant settings, read from webpack.config.js without running webpack.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const makeConfig = require("../../webpack.config.js") as ((env: object, argv: object) => WebpackConfig) & {
  contentSecurityPolicy: (dev: boolean) => string;
};

interface WebpackConfig {
  mode: string;
  devtool: string | false;
  entry: Record<string, string>;
  plugins: { definitions?: Record<string, string>; constructor: { name: string } }[];
  output: { path: string; clean: boolean | { keep?: (asset: string) => boolean } };
}

const definitions = (mode: "production" | "development"): Record<string, string> => {
  const plugin = makeConfig({}, { mode }).plugins.find((p) => p.constructor.name === "DefinePlugin");
  return plugin!.definitions!;
};

describe("webpack.config.js", () => {
  const env = { ...process.env };
  beforeEach(() => {
    process.env.REKINDLE_EMULATOR_URL = "http://127.0.0.1:9999/v1.0";
    process.env.REKINDLE_DEMO_TOKEN = "secret-demo";
  });
  afterEach(() => {
    process.env = { ...env };
  });

  describe("production", () => {
    it("should hard-code Microsoft Graph and login, and compile the demo and dev overrides out", () => {
      const d = definitions("production");
      expect(JSON.parse(d.__DEV__!)).toBe(false);
      expect(JSON.parse(d.__REKINDLE_GRAPH_URL__!)).toBe("https://graph.microsoft.com/v1.0");
      expect(JSON.parse(d.__REKINDLE_LOGIN_URL__!)).toBe("https://login.microsoftonline.com");
      expect(JSON.parse(d.__REKINDLE_EMULATOR_URL__!)).toBe("");
      expect(JSON.parse(d.__REKINDLE_DEMO_TOKEN__!)).toBe("");
    });

    it("should allow connections to Microsoft Graph and login only, and no eval", () => {
      const csp = makeConfig.contentSecurityPolicy(false);
      const connect = /connect-src ([^;]*)/.exec(csp)![1]!.split(" ");
      expect(connect.sort()).toEqual([
        "'self'",
        "https://graph.microsoft.com",
        "https://login.microsoftonline.com",
      ]);
      expect(csp).not.toMatch(/unsafe-eval|localhost|127\.0\.0\.1/);
      expect(/script-src ([^;]*)/.exec(csp)![1]).toBe("'self' https://appsforoffice.microsoft.com");
      // The judging worker comes from the pane's own origin, never from a blob or another host.
      expect(/worker-src ([^;]*)/.exec(csp)![1]).toBe("'self'");
      expect(makeConfig({}, { mode: "production" }).devtool).toBe("source-map");
    });
  });

  describe("development", () => {
    it("should point the demo at the configured emulator and let the page reach loopback", () => {
      const d = definitions("development");
      expect(JSON.parse(d.__DEV__!)).toBe(true);
      expect(JSON.parse(d.__REKINDLE_EMULATOR_URL__!)).toBe("http://127.0.0.1:9999/v1.0");
      expect(JSON.parse(d.__REKINDLE_DEMO_TOKEN__!)).toBe("secret-demo");
      expect(makeConfig.contentSecurityPolicy(true)).toMatch(/connect-src [^;]*http:\/\/127\.0\.0\.1:\*/);
      // No eval-based source maps: the CSP forbids eval in every build.
      expect(String(makeConfig({}, { mode: "development" }).devtool)).not.toMatch(/eval/);
    });

    it.each(["production", "development"])(
      "should clean dist/ before a %s build but keep the CLI's build in dist/node",
      (mode) => {
        const { output } = makeConfig({}, { mode });
        expect(output.path).toMatch(/[\\/]dist$/);
        expect(typeof output.clean).toBe("object");
        const keep = (output.clean as { keep: (asset: string) => boolean }).keep;
        expect(keep("node/src/cli/main.js")).toBe(true);
        expect(keep("node")).toBe(true);
        expect(keep("node\\bench\\syncBench.js")).toBe(true);
        expect(keep("taskpane.js")).toBe(false);
        expect(keep("nodes/old.js")).toBe(false);
        expect(keep("assets/node/icon.png")).toBe(false);
      },
    );

    it("should build the task pane and the two sign-in pages", () => {
      expect(Object.keys(makeConfig({}, { mode: "development" }).entry).sort()).toEqual([
        "auth-dialog",
        "auth-redirect",
        "taskpane",
      ]);
    });
  });
});

jest.mock("office-addin-dev-certs", () => ({
  getHttpsServerOptions: async () => ({ key: "KEY", cert: "CERT", ca: "CA" }),
}));

describe("webpack.config.js dev server", () => {
  it("should serve plain http by default (the demo needs no certificate)", () => {
    const config = makeConfig({}, { mode: "development" }) as unknown as {
      devServer: { server: unknown; port: number };
    };
    expect(config.devServer.server).toBe("http");
    expect(config.devServer.port).toBe(3000);
  });

  it("should serve https with office-addin-dev-certs when asked (--env https, for sideloading)", async () => {
    const config = (await makeConfig({ https: true }, { mode: "development" })) as unknown as {
      devServer: { server: unknown };
    };
    expect(config.devServer.server).toEqual({
      type: "https",
      options: { key: "KEY", cert: "CERT", ca: "CA" },
    });
  });
});
