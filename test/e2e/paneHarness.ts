// What the browser tests and bench:ui share: building the pane (once, when sources changed), serving it over
// loopback, finding the system's Chromium, and opening the pane with the fake Office host against an emulator.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/** The repository root: the nearest folder up with a package.json (this file also runs compiled, from dist/node). */
function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json")) || dir.includes(`${join("dist", "node")}`)) {
    const up = resolve(dir, "..");
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

export const ROOT = findRoot(__dirname);
const OFFICE_CDN = "https://appsforoffice.microsoft.com/**";
/** office.js's CDN as a DevTools Fetch pattern, and what it is answered with: the fake host is injected instead. */
export const OFFICE_CDN_PATTERN = "https://appsforoffice.microsoft.com/*";
export const OFFICE_JS_STAND_IN = "/* office.js: the fake host is injected */";

/** Newest modification time under a directory (recursively), in ms. */
function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Builds the pane with webpack into `outDir` unless a build there is newer than every source it depends on.
 * "development" keeps the emulator overrides; "production" is what ships (used for the size figure); "bench" keeps
 * the overrides but runs production React, minified, so timings are not those of React's development mode.
 */
export function buildPane(mode: "development" | "production" | "bench", outDir: string): string {
  const out = resolve(ROOT, outDir);
  const marker = join(out, "taskpane.html");
  const inputs = [
    "src",
    "webpack.config.js",
    "tsconfig.webpack.json",
    "package-lock.json",
    "assets",
    "manifest.xml",
  ]
    .map((p) => join(ROOT, p))
    .filter(existsSync);
  if (existsSync(marker) && statSync(marker).mtimeMs > Math.max(...inputs.map(newestMtime))) return out;
  const result = spawnSync(
    process.execPath,
    [
      join(ROOT, "node_modules/webpack-cli/bin/cli.js"),
      ...(mode === "bench"
        ? [
            "--mode",
            "development",
            "--optimization-node-env",
            "production",
            "--optimization-minimize",
            "--no-devtool",
          ]
        : ["--mode", mode]),
      "--output-path",
      out,
    ],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=4096" } },
  );
  if (result.status !== 0) {
    throw new Error(`webpack (${mode}) failed:\n${result.stdout}\n${result.stderr}`);
  }
  return out;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css",
  ".png": "image/png",
  ".json": "application/json",
  ".xml": "application/xml",
  ".map": "application/json",
};

/** Serves a directory on 127.0.0.1 on a free port. */
export async function serveDirectory(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = resolve(dir, `.${path}`);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** The system's Chromium, Chrome or Edge: CHROME_PATH first, then the usual places on Linux, macOS and Windows. */
export function findBrowser(): string {
  const candidates = [
    process.env.CHROME_PATH,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/usr/bin/microsoft-edge",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
    "C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe",
    "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
    "C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe",
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `No Chromium, Chrome or Edge found (tried ${candidates.join(", ")}). ` +
        "Install one (Debian: apt-get install chromium) or set CHROME_PATH.",
    );
  }
  return found;
}

/** The flags that work on the CI machine. */
export const BROWSER_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Headless Chromium with the flags that work on the CI machine. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: findBrowser(), headless: true, args: [...BROWSER_ARGS] });
}

const FAKE_OFFICE_SOURCE = readFileSync(join(ROOT, "test/e2e/fakeOffice.js"), "utf8");

/** The init script that installs the fake Office host with this configuration. */
export function fakeOfficeScript(office: FakeOfficeConfig): string {
  return `window.__FAKE_OFFICE__ = ${JSON.stringify(office)};\n${FAKE_OFFICE_SOURCE}`;
}

export interface FakeOfficeConfig {
  readonly item?:
    | { readonly mode: "read"; readonly itemId: string; readonly conversationId: string }
    | { readonly mode: "compose"; readonly conversationId: string | null }
    | null;
  readonly theme?: { readonly bodyBackgroundColor: string; readonly bodyForegroundColor: string };
  /** userProfile.emailAddress: the mailbox the pane is open on (default sam.rivera@northwind-sales.com). */
  readonly emailAddress?: string | null;
}

/** Outlook's narrow task pane, and a wide one (list and detail side by side). */
export const NARROW = { width: 350, height: 700 } as const;
export const WIDE = { width: 1000, height: 800 } as const;

export const LIGHT = { bodyBackgroundColor: "#ffffff", bodyForegroundColor: "#000000" };
export const DARK = { bodyBackgroundColor: "#1f1f1f", bodyForegroundColor: "#ffffff" };

/**
 * A fresh context whose pages get the fake Office host (or, with null, no Office at all: a plain browser), with
 * office.js's CDN answered locally (no network).
 */
export async function newPaneContext(
  browser: Browser,
  office: FakeOfficeConfig | null,
  viewport: { readonly width: number; readonly height: number } = WIDE,
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  if (office) {
    await context.addInitScript(fakeOfficeScript(office));
  }
  await context.route(OFFICE_CDN, (route) =>
    route.fulfill({
      status: 200,
      contentType: "text/javascript",
      body: OFFICE_JS_STAND_IN,
    }),
  );
  return context;
}

/** The pane's URL for a served build, pointed at an emulator with a fixed token and clock. */
export function paneUrl(base: string, graphUrl: string, token: string, now: string, mode?: "demo"): string {
  const q = new URLSearchParams({ graph: graphUrl, token, now, ...(mode ? { mode } : {}) });
  return `${base}/taskpane.html?${q}`;
}

/** Everything the Office fake recorded on this page. */
export function officeCalls(page: Page): Promise<{ method: string; args: unknown[] }[]> {
  return page.evaluate(
    () => (window as unknown as { __officeCalls: { method: string; args: unknown[] }[] }).__officeCalls,
  );
}
