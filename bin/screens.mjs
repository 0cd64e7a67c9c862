// `npm run screens`: regenerates the README's screenshots (docs/screens/list-350.png, detail-350.png,
// settings-350.png) from the demo mailbox, with the e2e harness (built pane, fake Office host, Graph emulator,
// system Chromium). `--all` also writes every main screen at 350 and 1,000 px, light and dark, to
// test-results/screens/ for a look before a release.
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const ROOT = join(import.meta.dirname, "..");
const compiled = (path) => join(ROOT, "dist/node", path);
const { buildPane, launchBrowser, newPaneContext, paneUrl, serveDirectory, LIGHT, DARK } = require(
  compiled("test/e2e/paneHarness.js"),
);
const { startGraphEmulator } = require(compiled("test/emulator/graphEmulator.js"));

const NOW = "2026-11-20T09:00:00Z";
const TOKEN = "screens-token";
const CONVERSATION = { mode: "read", itemId: "demo-5", conversationId: "conv-no-pressure" };
const all = process.argv.includes("--all");

const mailbox = JSON.parse(readFileSync(join(ROOT, "test/fixtures/demo-mailbox.json"), "utf8"));
const dir = buildPane("development", "test-results/e2e-build");
const [site, emulator, browser] = await Promise.all([
  serveDirectory(dir),
  startGraphEmulator({ mailbox, port: 0, token: TOKEN }),
  launchBrowser(),
]);

/** Opens the pane at a size and theme, optionally on a conversation, and waits for the synced list. */
async function open(width, height, theme, item = null) {
  const context = await newPaneContext(browser, { theme, item });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  await page.goto(paneUrl(site.url, emulator.url, TOKEN, NOW));
  await page.getByText(/Synced just now/).waitFor({ timeout: 60_000 });
  return { page, context };
}

const screens = {
  list: async (page) =>
    page.getByRole("listbox", { name: "Conversations" }).getByRole("option").first().waitFor(),
  detail: async (page) => page.getByTestId("conversation-detail").waitFor(),
  settings: async (page) => {
    await page.getByRole("tab", { name: "Settings" }).click();
    await page.getByRole("form", { name: "Settings" }).waitFor();
  },
  template: async (page) => {
    await page.getByRole("tab", { name: "Settings" }).click();
    await page
      .getByRole("heading", { name: "Templates" })
      .evaluate((h) => h.scrollIntoView({ block: "start" }));
  },
};

async function capture(name, width, height, theme, path) {
  const { page, context } = await open(width, height, theme, name === "detail" ? CONVERSATION : null);
  await screens[name](page);
  await page.waitForTimeout(300);
  await page.screenshot({ path });
  await context.close();
  console.log(`  ${path}`);
}

try {
  mkdirSync(join(ROOT, "docs/screens"), { recursive: true });
  console.log("README screenshots (350 × 700, light):");
  for (const name of ["list", "detail", "settings"]) {
    await capture(name, 350, 700, LIGHT, join(ROOT, "docs/screens", `${name}-350.png`));
  }
  if (all) {
    const out = join(ROOT, "test-results/screens");
    mkdirSync(out, { recursive: true });
    console.log("Every main screen:");
    for (const name of Object.keys(screens)) {
      for (const [width, height] of [
        [350, 700],
        [1000, 800],
      ]) {
        for (const [label, theme] of [
          ["light", LIGHT],
          ["dark", DARK],
        ]) {
          await capture(name, width, height, theme, join(out, `${name}-${width}-${label}.png`));
        }
      }
    }
  }
} finally {
  await browser.close();
  await site.close();
  await emulator.close();
}
