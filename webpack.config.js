/* eslint-disable */
// Builds the Outlook task pane (dist/). `--mode production` is the shipped build: Graph and login are hard-coded
// to Microsoft, the demo/dev code paths are compiled out (__DEV__ = false), and the manifest's
// https://localhost:3000 URLs are rewritten to REKINDLE_BASE_URL. `--mode development` (build:dev, dev-server)
// keeps the demo mode and the dev overrides documented in src/taskpane/index.tsx.
//
// Build configuration (environment variables read at build time):
//   REKINDLE_CLIENT_ID        Azure app (client) ID for MSAL; without it the pane says what to configure.
//   REKINDLE_BASE_URL         production only: https origin (and path) where dist/ is hosted.
//   REKINDLE_EMULATOR_URL     development only: Graph emulator URL for demo mode (default http://127.0.0.1:4300/v1.0).
//   REKINDLE_DEMO_TOKEN       development only: bearer token the emulator accepts (default "emulator-token", the emulator's default).
//   REKINDLE_DEMO_NOW         development only: "now" of the demo mailbox (default 2026-11-20T09:00:00Z).
//   REKINDLE_HTTPS=1          dev-server over https with office-addin-dev-certs (needed to sideload into Outlook).
const path = require("node:path");
const webpack = require("webpack");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const CopyWebpackPlugin = require("copy-webpack-plugin");

const DEV_BASE_URL = "https://localhost:3000";
const GRAPH_URL = "https://graph.microsoft.com/v1.0";
const LOGIN_URL = "https://login.microsoftonline.com";
const OFFICE_CDN = "https://appsforoffice.microsoft.com";

/** Replaces the manifest's development URLs with the production base URL (like the yo office template). */
function rewriteManifestUrls(xml, baseUrl) {
  let url;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(
      `REKINDLE_BASE_URL must be an https URL such as https://rekindle.example.com (got "${baseUrl}")`,
    );
  }
  if (url.protocol !== "https:" || url.search || url.hash) {
    throw new Error(`REKINDLE_BASE_URL must be an https URL without query or fragment (got "${baseUrl}")`);
  }
  const base = baseUrl.replace(/\/+$/, "");
  return xml.split(DEV_BASE_URL).join(base);
}

/** Whether webpack's clean keeps an asset (a path relative to dist/): the CLI's dist/node is never its to delete. */
function keepCliBuild(asset) {
  return /^node([\\/]|$)/.test(asset);
}

/** The page's Content-Security-Policy: production talks to Microsoft Graph and login only. */
function contentSecurityPolicy(dev) {
  const local = dev
    ? " http://localhost:* http://127.0.0.1:* https://localhost:* ws://localhost:* wss://localhost:*"
    : "";
  return [
    "default-src 'self'",
    `script-src 'self' ${OFFICE_CDN}`,
    // The judging worker (src/taskpane/judge.worker.ts) is a chunk of this build, from the page's own origin.
    "worker-src 'self'",
    // Fluent UI (Griffel) inserts its CSS at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' https://graph.microsoft.com ${LOGIN_URL}${local}`,
    `frame-src ${LOGIN_URL}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
  ].join("; ");
}

module.exports = (env = {}, argv = {}) => {
  const dev = argv.mode !== "production";
  const baseUrl = process.env.REKINDLE_BASE_URL;
  if (!dev && !baseUrl) {
    console.warn("REKINDLE_BASE_URL is not set: dist/manifest.xml keeps https://localhost:3000.");
  }
  const https = process.env.REKINDLE_HTTPS === "1" || env.https === true || env.https === "true";
  const config = {
    mode: dev ? "development" : "production",
    // No eval-based source maps: the CSP forbids eval.
    devtool: dev ? "cheap-module-source-map" : "source-map",
    entry: {
      taskpane: "./src/taskpane/index.tsx",
      // Sign-in pages for clients without NAA: the MSAL popup's redirect URI, and the Office dialog fallback.
      "auth-redirect": "./src/auth/authRedirect.ts",
      "auth-dialog": "./src/auth/authDialog.ts",
    },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: dev ? "[name].js" : "[name].[contenthash:8].js",
      chunkFilename: dev ? "[name].chunk.js" : "[name].[contenthash:8].chunk.js",
      publicPath: "auto",
      // dist/node is the CLI's build (tsc -p tsconfig.cli.json): a pane build must not delete it.
      clean: { keep: keepCliBuild },
    },
    resolve: { extensions: [".tsx", ".ts", ".js"] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: { loader: "ts-loader", options: { configFile: "tsconfig.webpack.json", transpileOnly: true } },
        },
      ],
    },
    plugins: [
      new webpack.DefinePlugin({
        __DEV__: JSON.stringify(dev),
        __REKINDLE_CLIENT_ID__: JSON.stringify(process.env.REKINDLE_CLIENT_ID ?? ""),
        __REKINDLE_GRAPH_URL__: JSON.stringify(GRAPH_URL),
        __REKINDLE_LOGIN_URL__: JSON.stringify(LOGIN_URL),
        __REKINDLE_EMULATOR_URL__: JSON.stringify(
          dev ? (process.env.REKINDLE_EMULATOR_URL ?? "http://127.0.0.1:4300/v1.0") : "",
        ),
        __REKINDLE_DEMO_TOKEN__: JSON.stringify(
          dev ? (process.env.REKINDLE_DEMO_TOKEN ?? "emulator-token") : "",
        ),
        // The demo mailbox is dated around this instant (DEMO_NOW in test/fixtures/demoMailbox.ts).
        __REKINDLE_DEMO_NOW__: JSON.stringify(
          dev ? (process.env.REKINDLE_DEMO_NOW ?? "2026-11-20T09:00:00Z") : "",
        ),
      }),
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: "./src/taskpane/taskpane.html",
        chunks: ["taskpane"],
        scriptLoading: "defer",
        templateParameters: {
          csp: contentSecurityPolicy(dev),
          officeJs: `${OFFICE_CDN}/lib/1/hosted/office.js`,
        },
      }),
      new HtmlWebpackPlugin({
        filename: "auth.html",
        template: "./src/auth/authPage.html",
        chunks: ["auth-redirect"],
        scriptLoading: "defer",
        templateParameters: { csp: contentSecurityPolicy(dev), officeJs: "" },
      }),
      new HtmlWebpackPlugin({
        filename: "auth-dialog.html",
        template: "./src/auth/authPage.html",
        chunks: ["auth-dialog"],
        scriptLoading: "defer",
        templateParameters: {
          csp: contentSecurityPolicy(dev),
          officeJs: `${OFFICE_CDN}/lib/1/hosted/office.js`,
        },
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: "assets/*.png", to: "assets/[name][ext]" },
          { from: "assets/support.html", to: "support.html" },
          {
            from: "manifest.xml",
            to: "manifest.xml",
            transform: (content) =>
              !dev && baseUrl ? rewriteManifestUrls(content.toString(), baseUrl) : content,
          },
        ],
      }),
    ],
    optimization: {
      splitChunks: {
        cacheGroups: {
          // What the pane loads while Office starts (the Graph client, the sync, the cache, the Outlook host: the
          // modules index.tsx imports lazily) comes as one chunk, not twenty requests one after another before the
          // first paint. MSAL (only for sign-in) and the judging worker keep chunks of their own.
          wiring: {
            name: "wiring",
            chunks: (chunk) => !chunk.canBeInitial() && !["msal", "rekindle-judging"].includes(chunk.name),
            test: (module) => !/[\\/](auth[\\/]msal|@azure)/.test(module.resource ?? ""),
            minSize: 0,
            enforce: true,
            priority: 10,
          },
        },
      },
    },
    performance: { hints: false },
    devServer: {
      port: Number(process.env.PORT ?? 3000),
      host: "localhost",
      hot: false,
      liveReload: true,
      historyApiFallback: false,
      headers: { "Access-Control-Allow-Origin": "*" },
      static: false,
      server: "http",
      client: { overlay: { warnings: false, errors: true } },
    },
  };
  if (!https) return config;
  // https for sideloading: webpack-cli waits for the promise; the certificate comes from office-addin-dev-certs.
  return devCertsOptions().then((options) => ({
    ...config,
    devServer: { ...config.devServer, server: { type: "https", options } },
  }));
};

/** https options from office-addin-dev-certs (installs a trusted localhost certificate on first use). */
async function devCertsOptions() {
  const devCerts = require("office-addin-dev-certs");
  return devCerts.getHttpsServerOptions();
}

module.exports.rewriteManifestUrls = rewriteManifestUrls;
module.exports.contentSecurityPolicy = contentSecurityPolicy;
module.exports.keepCliBuild = keepCliBuild;
