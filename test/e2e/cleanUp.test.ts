// Browser test of the pending-file clean-up: the BUILT pane in headless Chromium, in demo mode against the Graph
// emulator, creates 25 drafts in one go (one conversation of 26 was answered meanwhile, into Projects), with the
// progress bar and the summary; a second click makes none.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { TECHNIQUE_PROPERTY } from "../../src/graph/mapMessage";
import { type RunningEmulator, startGraphEmulator } from "../emulator/graphEmulator";
import { graphMessage } from "../fixtures/graphMessage";
import {
  buildPane,
  launchBrowser,
  NARROW,
  newPaneContext,
  paneUrl,
  ROOT,
  serveDirectory,
  WIDE,
} from "./paneHarness";

jest.setTimeout(120_000);

const TOKEN = "e2e-cleanup-token";
const NOW = "2026-11-20T09:00:00Z";
const CLOCK = Date.parse(NOW);
const DAY = 86_400_000;
const ME = "sam.rivera@northwind-sales.com";
const PENDING = 26;

let browser: Browser;
let site: { url: string; close: () => Promise<void> };
let emulator: RunningEmulator;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const dir = buildPane("development", "test-results/e2e-build");
  [site, emulator, browser] = await Promise.all([
    serveDirectory(dir),
    startGraphEmulator({
      port: 0,
      token: TOKEN,
      clock: () => CLOCK,
      faults: { latencyMs: 40, retryAfterSeconds: 0 },
      mailbox: {
        me: { displayName: "Sam Rivera", givenName: "Sam", mail: ME, userPrincipalName: ME },
        sentitems: [
          ...Array.from({ length: PENDING }, (_, i) =>
            graphMessage({
              id: `sent-${i}`,
              conversationId: `conv-${i}`,
              subject: `Proposal ${i}`,
              from: `Sam Rivera <${ME}>`,
              to: [`Prospect${String.fromCharCode(65 + i)} Lee <p${i}@acme-${i}.com>`],
              at: new Date(CLOCK - (140 + i) * DAY),
            }),
          ),
          graphMessage({
            id: "sent-recent",
            conversationId: "conv-recent",
            subject: "Quote",
            from: `Sam Rivera <${ME}>`,
            to: ["Robin Fox <robin@fabrikam.io>"],
            at: new Date(CLOCK - 12 * DAY),
          }),
        ],
        inbox: [],
        projects: [
          graphMessage({
            id: "answer-0",
            conversationId: "conv-0",
            subject: "RE: Proposal 0",
            from: "ProspectA Lee <p0@acme-0.com>",
            to: [ME],
            at: new Date(CLOCK - 2 * DAY),
          }),
        ],
      },
    }),
    launchBrowser(),
  ]);
}, 300_000);

afterAll(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await browser?.close();
  await site?.close();
  await emulator?.close();
});

const AXE_SOURCE = readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

const ourDrafts = () =>
  emulator
    .drafts()
    .filter((d) =>
      ((d.singleValueExtendedProperties ?? []) as { id: string }[]).some((p) => p.id === TECHNIQUE_PROPERTY),
    );

describe("pending-file clean-up in Chromium", () => {
  /** The demo pane at `size`, its list synced, on the Clean up tab; page errors are collected. */
  async function openCleanUp(size: { readonly width: number; readonly height: number }) {
    const context = await newPaneContext(browser, null, size);
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(paneUrl(site.url, emulator.url, TOKEN, NOW, "demo"));
    await page
      .getByRole("listbox", { name: "Conversations" })
      .getByRole("option")
      .first()
      .waitFor({ timeout: 30_000 });
    await page.getByRole("tab", { name: "Clean up" }).click();
    return { page, panel: page.getByRole("tabpanel", { name: "Clean up pending file" }), errors };
  }

  it("should create 25 drafts from the pane with a progress bar and a summary, and none on a second run", async () => {
    const { page, panel, errors } = await openCleanUp(WIDE);

    const items = panel.getByRole("list", { name: "Conversations to draft for" }).getByRole("listitem");
    await expect(items.count()).resolves.toBe(PENDING);
    // The recent conversation is not pending-file: it can be added, but is not there by default.
    await expect(
      panel.getByLabel("Add another stale conversation").locator("option", { hasText: "Robin Fox" }).count(),
    ).resolves.toBe(1);

    // A preview, edited: that draft carries the edit.
    await panel.getByRole("button", { name: "Preview the message to ProspectB Lee" }).click();
    const box = panel.getByRole("textbox", { name: "Message to ProspectB Lee" });
    await box.fill("Hi ProspectB, shall I file this away? <b>not bold</b>");

    // Record every value the progress bar takes.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __progress: string[] }).__progress = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[role="progressbar"]');
        const now = bar?.getAttribute("aria-valuenow");
        if (now && seen.at(-1) !== now) seen.push(now);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await panel.getByRole("button", { name: `Create ${PENDING} drafts` }).click();
    const summary = panel.getByRole("status", { name: "Clean-up summary" });
    await summary.waitFor({ timeout: 30_000 });
    await expect(summary.textContent()).resolves.toContain(
      "25 drafts in Drafts, 1 answered meanwhile. Nothing was sent.",
    );
    await expect(summary.getByRole("list", { name: "Answered meanwhile" }).textContent()).resolves.toMatch(
      /ProspectA Lee: ProspectA Lee answered on .* \(in Projects\); nothing drafted/,
    );
    await expect(
      summary.getByRole("list", { name: "Drafts made" }).getByRole("listitem").count(),
    ).resolves.toBe(25);
    await expect(panel.getByText(`${PENDING} of ${PENDING} conversations done`).count()).resolves.toBe(1);
    const values = (
      await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress)
    ).map(Number);
    expect(values.at(-1)).toBe(1);
    expect(values.some((v) => v > 0 && v < 1)).toBe(true);

    const drafts = ourDrafts();
    expect(drafts).toHaveLength(25);
    expect(new Set(drafts.map((d) => d.conversationId)).size).toBe(25);
    expect(drafts.some((d) => d.conversationId === "conv-0")).toBe(false);
    const edited = drafts.find((d) => d.conversationId === "conv-1")!;
    const content = (edited.body as { content: string }).content;
    expect(content).toContain("shall I file this away? &lt;b&gt;not bold&lt;/b&gt;");
    expect(emulator.folderMessages("sentitems")).toHaveLength(PENDING + 1);

    // Again: every draft is found and reused, none is doubled.
    await panel.getByRole("button", { name: `Create ${PENDING} drafts` }).click();
    await panel.getByText("(made earlier)").first().waitFor({ timeout: 30_000 });
    await expect(summary.textContent()).resolves.toContain("25 drafts in Drafts, 1 answered meanwhile.");
    expect(ourDrafts()).toHaveLength(25);

    // Each draft was recorded as a "sent" message of the pending-file technique: Results counts it at once.
    await page.getByRole("tab", { name: "Results" }).click();
    const results = page.getByTestId("results-view");
    await results.waitFor({ timeout: 30_000 });
    await expect(results.textContent()).resolves.toContain("Pending file");
    await expect(results.textContent()).resolves.not.toMatch(/Not used yet:[^.]*Pending file/);
    expect(errors).toEqual([]);
  });

  it("should fit Outlook's narrow pane without scrolling sideways and report no axe violations", async () => {
    const { page, panel } = await openCleanUp(NARROW);
    await panel.getByRole("button", { name: "Preview the message to ProspectC Lee" }).click();
    await page.waitForTimeout(300);
    const wide = await page.evaluate(
      () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
    );
    expect(wide).toBe(false);
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run: (
              c: unknown,
              o: unknown,
            ) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>;
          };
        }
      ).axe;
      const result = await axe.run({ exclude: [["[data-tabster-dummy]"]] }, { resultTypes: ["violations"] });
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    });
    expect(violations).toEqual([]);
  });
});
