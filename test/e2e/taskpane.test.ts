// Browser tests: the BUILT task pane (webpack, development mode) in real headless Chromium, with the fake Office
// host recording every Office.js call, against the Graph emulator serving the demo mailbox.
// Screenshots of every main screen at 350 and 1,000 px, light and dark, go to test-results/screens/ (git-ignored).
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { detectAwaitingReply } from "../../src/core/awaitingReply";
import { instant } from "../../src/core/message";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { EMPTY_USER_STATE } from "../../src/core/userState";
import { parseMailboxJson } from "../../src/graph/mailboxFile";
import { createGraphConnection, StaticTokenProvider } from "../../src/graph/graphClient";
import { latestAttemptsOf, ROAMING_STATE_PROPERTY } from "../../src/graph/mailboxState";
import { syncMailbox } from "../../src/graph/mailSync";
import { RoamingState } from "../../src/graph/roamingState";
import { MemoryCacheStore } from "../../src/store/memoryCacheStore";
import { stateFileRoamingLocal } from "../../src/store/userStateFile";
import demoMailbox from "../fixtures/demo-mailbox.json";
import { DEMO_NOW, priyaFiledAnswer } from "../fixtures/demoMailbox";
import { startGraphEmulator, type EmulatorMailbox, type RunningEmulator } from "../emulator/graphEmulator";
import {
  DARK,
  LIGHT,
  NARROW,
  ROOT,
  WIDE,
  buildPane,
  fakeOfficeScript,
  launchBrowser,
  newPaneContext,
  officeCalls,
  paneUrl,
  serveDirectory,
  type FakeOfficeConfig,
} from "./paneHarness";

jest.setTimeout(120_000);

const TOKEN = "e2e-token";
const SHOTS = join(ROOT, "test-results", "screens");
const AXE_SOURCE = readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

let browser: Browser;
let site: { url: string; close: () => Promise<void> };
let emulator: RunningEmulator;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const dir = buildPane("development", "test-results/e2e-build");
  [site, emulator, browser] = await Promise.all([
    serveDirectory(dir),
    startGraphEmulator({ mailbox: demoMailbox as unknown as EmulatorMailbox, port: 0, token: TOKEN }),
    launchBrowser(),
  ]);
}, 300_000);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  // Decisions roam in the mailbox: the next test's fresh profile starts from a mailbox without them.
  emulator.removeExtendedProperty(ROAMING_STATE_PROPERTY);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await emulator?.close();
});

/** Opens the pane in a fresh profile; fails the test on any dialog (a hostile name that executed would alert). */
async function openPane(
  office: FakeOfficeConfig | null = {},
  graph: RunningEmulator = emulator,
  viewport: { width: number; height: number } = WIDE,
) {
  const context = await newPaneContext(browser, office, viewport);
  contexts.push(context);
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(paneUrl(site.url, graph.url, TOKEN, DEMO_NOW, office ? undefined : "demo"));
  return { page, context, dialogs, errors };
}

const list = (page: Page) => page.getByRole("listbox", { name: "Conversations" });
const rows = (page: Page) => list(page).getByRole("option");
const detail = (page: Page) => page.getByTestId("conversation-detail");
const row = (page: Page, text: string) => rows(page).filter({ hasText: text });

async function waitForList(page: Page): Promise<void> {
  await rows(page).first().waitFor({ timeout: 30_000 });
}

async function shot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Each row's urgency badge and facts line ("Medium · 48 26 days silent · 2 attempts"). */
const rowNames = (page: Page) =>
  rows(page).evaluateAll((els) =>
    els.map(
      (e) =>
        `${e.querySelector("[data-urgency]")?.textContent} ${e.querySelector("[data-testid=row-facts]")?.textContent}`,
    ),
  );

async function axeViolations(
  page: Page,
): Promise<{ id: string; help: string; targets: string[]; html: string[] }[]> {
  // Let the sync finish and Fluent's colour transitions settle, so contrast is measured on final colours.
  await page.getByText(/Synced just now/).waitFor();
  await page.waitForTimeout(400);
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: never[] }> } }
    ).axe;
    // Tabster's focus-trap sentinels (aria-hidden, focusable by design) are Fluent internals, not our markup.
    const result = await axe.run({ exclude: [["[data-tabster-dummy]"]] }, { resultTypes: ["violations"] });
    type Violation = {
      id: string;
      help: string;
      nodes: { target: string[]; html: string; failureSummary: string }[];
    };
    return result.violations.map((v: Violation) => ({
      id: v.id,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
      html: v.nodes.map((n) => `${n.html.slice(0, 160)} — ${n.failureSummary}`),
    }));
  });
}

/** How many stale conversations the engine finds in the demo mailbox at DEMO_NOW. */
function expectedStale(): number {
  const mailbox = parseMailboxJson(demoMailbox, "demo-mailbox.json").mailbox;
  const reports = detectAwaitingReply(mailbox, {
    now: instant(Date.parse(DEMO_NOW)),
    settings: DEFAULT_SETTINGS,
    userState: EMPTY_USER_STATE,
  });
  return reports.filter((r) => r.state === "stale").length;
}

const silentDays = (text: string) => Number(/(\d+) days silent/.exec(text)?.[1]);
const score = (text: string) => Number(/· (\d+) /.exec(text)?.[1]);

describe("task pane in Chromium", () => {
  it("should show first-sync progress, then the stale list sorted by score", async () => {
    const slow = await startGraphEmulator({
      mailbox: demoMailbox as unknown as EmulatorMailbox,
      port: 0,
      token: TOKEN,
      // Small pages, each answered slowly: the first sync takes several steps, each reported.
      maxPageSize: 5,
      faults: { latencyMs: 400 },
    });
    try {
      const { page, errors } = await openPane({}, slow);
      const progress = page.getByRole("progressbar");
      await progress.waitFor({ timeout: 20_000 });
      // The first step may be a delta with nothing new ("0 of …"); wait for a page of mail.
      await page.getByText(/^[1-9]\d* of \d+ messages$/).waitFor({ timeout: 20_000 });
      await shot(page, "first-sync-light");
      // No "Never synced" under the first sync's progress.
      expect(await page.getByText("Never synced").count()).toBe(0);
      const [done, total] = (await page.getByText(/^\d+ of \d+ messages$/).textContent())!
        .match(/\d+/g)!
        .map(Number);
      expect(total).toBe(demoMailbox.sentitems.length + demoMailbox.inbox.length);
      expect(done).toBeGreaterThan(0);
      expect(Number(await progress.getAttribute("aria-valuenow"))).toBeGreaterThan(0);
      // The bar steps rather than easing its width, which would lay the pane out every frame of the sync.
      const bar = progress.locator(".fui-ProgressBar__bar");
      expect(await bar.evaluate((el) => getComputedStyle(el).transitionProperty)).toBe("none");
      await waitForList(page);
      await progress.waitFor({ state: "detached" });
      await page.getByText(/Synced just now/).waitFor();
      const texts = await rowNames(page);
      expect(texts.length).toBe(expectedStale());
      const scores = texts.map(score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      // The list was judged in the judging worker (a chunk of the build, allowed by the page's worker-src).
      const workers = page.workers();
      expect(workers.map((w) => w.url())).toEqual([expect.stringMatching(/\/rekindle-judging\./)]);
      // The worker synced too: the mail was fetched there, not on the pane's thread.
      const mailFetched = () =>
        performance.getEntriesByType("resource").filter((e) => e.name.includes("/messages")).length;
      expect(await workers[0]!.evaluate(mailFetched)).toBeGreaterThan(3);
      expect(await page.evaluate(mailFetched)).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  it("should sort by silence and attempts, and filter and search", async () => {
    const { page } = await openPane();
    await waitForList(page);
    await rows(page).first().locator("[data-urgency]").hover();
    await expect(page.getByRole("tooltip").textContent()).resolves.toMatch(
      /\d+ days? silent · \d+ unanswered attempts?/,
    );
    await page.getByLabel("Sort by").selectOption("silence");
    const days = (await rowNames(page)).map(silentDays);
    expect(days).toEqual([...days].sort((a, b) => b - a));
    expect(days[0]).toBeGreaterThan(days.at(-1)!);
    await page.getByLabel("Show").selectOption("bounced");
    await expect(rows(page).allTextContents()).resolves.toEqual([expect.stringContaining("Alpine Ski")]);
    await page.getByLabel("Show").selectOption("stale");
    await page.getByRole("searchbox").fill("wingtip");
    await expect(rows(page).allTextContents()).resolves.toEqual([expect.stringContaining("Mei Chen")]);
  });

  it("should select the open message's conversation, switch technique, and put the edited text in the reply form", async () => {
    const { page } = await openPane({
      item: { mode: "read", itemId: "demo-5", conversationId: "conv-no-pressure" },
    });
    await waitForList(page);
    await detail(page).waitFor();
    await expect(detail(page).getByRole("heading", { level: 2 }).textContent()).resolves.toBe("Mei Chen");
    await expect(row(page, "Mei Chen").getAttribute("aria-selected")).resolves.toBe("true");
    await expect(
      detail(page)
        .getByRole("heading", { name: /Technique: No pressure \(suggested\)/ })
        .count(),
    ).resolves.toBe(1);
    const body = detail(page).getByLabel("Message (edit before inserting)");
    await detail(page).getByRole("button", { name: "Technique: No pressure" }).click();
    await page.getByRole("menuitemradio", { name: "Close the file", exact: true }).click();
    await detail(page).getByRole("heading", { name: "Technique: Close the file" }).waitFor();
    expect(await body.inputValue()).toContain("close the file");

    await body.fill("Hi Mei,\n\nStill on for <b>Tuesday</b> & the plan?\nSam");
    await detail(page).getByRole("button", { name: "Insert into reply" }).click();
    await detail(page)
      .getByText(/A reply-all is open with your message/)
      .waitFor();
    const forms = (await officeCalls(page)).filter((c) => c.method === "item.displayReplyAllFormAsync");
    expect(forms).toEqual([
      {
        method: "item.displayReplyAllFormAsync",
        args: [
          {
            htmlBody: "<p>Hi Mei,</p>\n<p>Still on for &lt;b&gt;Tuesday&lt;/b&gt; &amp; the plan?<br>Sam</p>",
          },
        ],
      },
    ]);
  });

  it("should follow Outlook to another message while the pane is pinned", async () => {
    const { page } = await openPane({
      item: { mode: "read", itemId: "demo-5", conversationId: "conv-no-pressure" },
    });
    await waitForList(page);
    await detail(page).getByRole("heading", { level: 2, name: "Mei Chen" }).waitFor();
    await page.evaluate(() =>
      (
        window as unknown as { __fakeOffice: { selectItem: (item: unknown) => void } }
      ).__fakeOffice.selectItem({ itemId: "demo-1", conversationId: "conv-referral" }),
    );
    await detail(page).getByRole("heading", { level: 2, name: "Steve Okafor" }).waitFor();
    await expect(row(page, "Steve Okafor").getAttribute("aria-selected")).resolves.toBe("true");
  });

  it("should select rows with the keyboard", async () => {
    const { page } = await openPane();
    await waitForList(page);
    await list(page).focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    const second = rows(page).nth(1);
    await expect(second.getAttribute("aria-selected")).resolves.toBe("true");
    await expect(list(page).getAttribute("aria-activedescendant")).resolves.toBe(
      await second.getAttribute("id"),
    );
    const name = (await second.locator(".fui-Text").first().textContent())!.split(" · ")[0];
    await expect(detail(page).getByRole("heading", { level: 2 }).textContent()).resolves.toBe(name);
    await page.keyboard.press("End");
    await expect(rows(page).last().getAttribute("aria-selected")).resolves.toBe("true");
  });

  it("should create a reply-all draft through Graph for a conversation that is not open", async () => {
    const before = emulator.drafts().length;
    const { page } = await openPane({
      item: { mode: "read", itemId: "demo-5", conversationId: "conv-no-pressure" },
    });
    await waitForList(page);
    await row(page, "Priya Patel").click();
    await detail(page).getByRole("heading", { name: "Priya Patel" }).waitFor();
    await detail(page).getByRole("button", { name: "Insert into reply" }).click();
    await detail(page).getByText("Draft created").waitFor();
    const drafts = emulator.drafts();
    expect(drafts.length).toBe(before + 1);
    expect(JSON.stringify(drafts.at(-1))).toContain("Hi Priya,");
    const calls = (await officeCalls(page)).map((c) => c.method);
    expect(calls).not.toContain("item.displayReplyAllFormAsync");
    expect(calls).toContain("mailbox.displayMessageForm");
  });

  it("should refuse Insert when an Inbox rule filed the answer into a subfolder, then see it once the folder is picked", async () => {
    const filed = await startGraphEmulator({
      mailbox: {
        ...(demoMailbox as unknown as EmulatorMailbox),
        projects: [priyaFiledAnswer()],
      },
      port: 0,
      token: TOKEN,
    });
    try {
      const { page } = await openPane({}, filed);
      await waitForList(page);
      // The sync does not read Projects yet: Priya looks stale, but Insert looks across the whole mailbox first.
      await row(page, "Priya Patel").click();
      await detail(page).getByRole("button", { name: "Insert into reply" }).click();
      await detail(page)
        .getByText(/Priya Patel answered on (18 Nov|Nov 18) \(in Projects\)\. Nothing was inserted\./)
        .waitFor();
      expect(filed.drafts()).toHaveLength(0);
      const calls = (await officeCalls(page)).map((c) => c.method);
      expect(calls).not.toContain("item.displayReplyAllFormAsync");
      await row(page, "Priya Patel").waitFor({ state: "detached" });

      // Picked in Settings from the list of folders, Projects is read from then on, across a reload.
      await page.getByRole("tab", { name: "Settings" }).click();
      const folders = page.getByRole("group", { name: "Also look in these folders" });
      await folders.getByRole("checkbox", { name: "Inbox / Projects" }).check();
      // The emulator has Inbox, Sent Items, Drafts, Archive, Deleted Items and Projects: only Projects is offered.
      expect(await folders.getByRole("checkbox").count()).toBe(1);
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByTestId("undo-toast").getByText("Settings saved.").waitFor();
      await page.reload();
      await waitForList(page);
      await page.getByText(/Synced just now/).waitFor();
      // The synced mailbox is judged again in the worker, so the row goes a moment after the sync ends.
      await row(page, "Priya Patel").waitFor({ state: "detached", timeout: 10_000 });
    } finally {
      await filed.close();
    }
  });

  it("should insert at the cursor when a compose window is open", async () => {
    const { page } = await openPane({ item: { mode: "compose", conversationId: null } });
    await waitForList(page);
    await row(page, "Priya Patel").click();
    const body = detail(page).getByLabel("Message (edit before inserting)");
    await body.fill("Hi Priya,\n\nQuick one: still interested?");
    await detail(page).getByRole("button", { name: "Insert at cursor" }).click();
    await detail(page)
      .getByText(/Your message is in the draft at the cursor/)
      .waitFor();
    const inserted = (await officeCalls(page)).filter((c) => c.method === "item.body.setSelectedDataAsync");
    expect(inserted).toEqual([
      {
        method: "item.body.setSelectedDataAsync",
        args: ["<p>Hi Priya,</p>\n<p>Quick one: still interested?</p>", { coercionType: "html" }],
      },
    ]);
    // The message carries its technique (Mailbox 1.8 internet headers), so the sent copy is recognised anywhere.
    const marked = (await officeCalls(page)).filter((c) => c.method === "item.internetHeaders.setAsync");
    expect(marked).toEqual([
      { method: "item.internetHeaders.setAsync", args: [{ "x-rekindle-technique": "nudge" }] },
    ]);
  });

  it("should show the reply that would be created in demo mode, without Office", async () => {
    const { page, dialogs } = await openPane(null);
    await waitForList(page);
    // The demo's day, written as the pane writes every date: in the browser's language and zone here.
    const demoDay = await page.evaluate((now) => {
      const { timeZone } = Intl.DateTimeFormat().resolvedOptions();
      const format = { day: "numeric", month: "long", year: "numeric", timeZone } as const;
      return new Intl.DateTimeFormat(navigator.language, format).format(Date.parse(now));
    }, DEMO_NOW);
    expect(demoDay).toMatch(/20/);
    await page.getByText(`Demo mailbox, as of ${demoDay}`, { exact: true }).waitFor();
    await row(page, "Mallory").click();
    await detail(page).getByRole("button", { name: "Insert into reply" }).click();
    const demo = page.getByTestId("demo-reply");
    await demo.waitFor();
    await expect(demo.textContent()).resolves.toContain("mallory@evil-corp.com");
    await expect(demo.textContent()).resolves.toContain("<script>alert('subject')</script> Pricing");
    const frame = page.frameLocator('iframe[title="Reply body"]');
    await expect(frame.locator("body").textContent()).resolves.toContain("Hi Mallory,");
    expect(await frame.locator("script, img").count()).toBe(0);
    await shot(page, "demo-insert-light");
    expect(dialogs).toEqual([]);
  });

  it("should keep one cache per mailbox: a second account in the same browser profile has its own", async () => {
    const { page, context } = await openPane({ emailAddress: "Sam.Rivera@northwind-sales.com" });
    await waitForList(page);
    const staleBefore = await rows(page).count();
    await row(page, "Priya Patel").click();
    await detail(page).getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Snooze" }).click();
    await page.getByRole("menuitem", { name: "1 week" }).click();
    await page
      .getByTestId("undo-toast")
      .getByText(/Snoozed Priya Patel/)
      .waitFor();
    await expect(rows(page).count()).resolves.toBe(staleBefore - 1);

    // The same profile, Outlook open on another mailbox (served by a Graph of its own, as Sam's decisions roam
    // in Sam's mailbox): a cache of its own, without Sam's snooze.
    const kims = await startGraphEmulator({
      mailbox: demoMailbox as unknown as EmulatorMailbox,
      port: 0,
      token: TOKEN,
    });
    const other = await context.newPage();
    await other.addInitScript(fakeOfficeScript({ emailAddress: "kim@contoso.com" }));
    await other.goto(paneUrl(site.url, kims.url, TOKEN, DEMO_NOW));
    await waitForList(other);
    await other.getByText(/Synced just now/).waitFor();
    await expect(rows(other).count()).resolves.toBe(staleBefore);
    const names = await other.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).sort());
    expect(names).toEqual(
      expect.arrayContaining([
        "rekindle-cache:kim@contoso.com",
        "rekindle-cache:sam.rivera@northwind-sales.com",
      ]),
    );
    await page.reload();
    await waitForList(page);
    await page.getByText(/Synced just now/).waitFor();
    await expect(rows(page).count()).resolves.toBe(staleBefore - 1);
    await kims.close();
  });

  it("should show a decision made on another device after the next sync, and roam its own", async () => {
    const { page } = await openPane();
    await waitForList(page);
    await page.getByText(/Synced just now/).waitFor();
    const staleBefore = await rows(page).count();
    await row(page, "Steve Okafor").waitFor();

    // Another device (the rekindle command with its own cache and state file) snoozes Priya's conversation.
    const connection = createGraphConnection({
      baseUrl: emulator.url,
      authProvider: new StaticTokenProvider(TOKEN),
      retryDelaySeconds: 0,
    });
    const cache = new MemoryCacheStore();
    const laptop = stateFileRoamingLocal(join(mkdtempSync(join(tmpdir(), "rekindle-e2e-")), "state.json"));
    const now = Date.parse(DEMO_NOW);
    await syncMailbox({ connection, store: cache, now: instant(now), windowDays: 365 });
    const targets = latestAttemptsOf(await cache.loadMessages());
    const roaming = new RoamingState({
      read: connection,
      write: connection,
      local: laptop,
      targetFor: (c) => targets.get(c) ?? null,
      askWrite: () => Promise.resolve(),
      now: () => now,
    });
    await laptop.merge([
      { kind: "snooze", id: "conv-nudge", at: instant(now + 1), until: instant(now + 7 * 86_400_000) },
    ]);
    await expect(roaming.push()).resolves.toMatchObject({ pushed: 1, pending: 0 });

    // The pane shows it after its next sync.
    await page.getByRole("button", { name: "Refresh" }).click();
    await row(page, "Priya Patel").waitFor({ state: "detached", timeout: 10_000 });
    await expect(rows(page).count()).resolves.toBe(staleBefore - 1);

    // And the pane's own decision reaches the mailbox, where the other device reads it.
    await row(page, "Steve Okafor").click();
    await detail(page).getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Mark as closed" }).click();
    await page
      .getByTestId("undo-toast")
      .getByText(/Closed the file on Steve Okafor/)
      .waitFor();
    const deadline = Date.now() + 10_000;
    for (;;) {
      const result = await syncMailbox({ connection, store: cache, now: instant(now), windowDays: 365 });
      await roaming.absorb(result.state);
      const closed = (await laptop.load()).filter((e) => e.kind === "closed" && e.closed);
      if (closed.length === 1 || Date.now() > deadline) {
        expect(closed).toHaveLength(1);
        break;
      }
      await page.waitForTimeout(200);
    }
  });

  it("should keep a snooze and a closed file across a reload", async () => {
    const { page } = await openPane();
    await waitForList(page);
    const staleBefore = await rows(page).count();

    await row(page, "Priya Patel").click();
    await detail(page).getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Snooze" }).click();
    await page.getByRole("menuitem", { name: "1 week" }).click();
    await page
      .getByTestId("undo-toast")
      .getByText(/Snoozed Priya Patel for 1 week/)
      .waitFor();

    await row(page, "Steve Okafor").click();
    await detail(page).getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Mark as closed" }).click();
    await page
      .getByTestId("undo-toast")
      .getByText(/Closed the file on Steve Okafor/)
      .waitFor();
    await expect(rows(page).count()).resolves.toBe(staleBefore - 2);

    await page.reload();
    await waitForList(page);
    await expect(rows(page).count()).resolves.toBe(staleBefore - 2);
    expect(await row(page, "Priya Patel").count()).toBe(0);
    // Until the mailbox is judged again the pane shows the list as last judged, less the conversations the user
    // acted on since (their rows would be out of date): so the snoozed and closed ones appear once it is judged.
    await page.getByLabel("Show").selectOption("snoozed");
    await row(page, "Priya Patel").waitFor();
    await expect(rows(page).allTextContents()).resolves.toEqual([expect.stringContaining("Priya Patel")]);
    await page.getByLabel("Show").selectOption("closed");
    await row(page, "Steve Okafor").waitFor();
    await expect(rows(page).allTextContents()).resolves.toEqual([expect.stringContaining("Steve Okafor")]);
  });

  it("should keep a snooze in one pane and a close in another on the same profile, each showing both within a second", async () => {
    // One profile (one browser context): a pinned pane and a second window, both open before either acts.
    const { page: first, context } = await openPane();
    const second = await context.newPage();
    await second.goto(paneUrl(site.url, emulator.url, TOKEN, DEMO_NOW));
    await Promise.all([waitForList(first), waitForList(second)]);
    const staleBefore = await rows(first).count();

    await row(first, "Priya Patel").click();
    await detail(first).getByRole("button", { name: "More actions" }).click();
    await first.getByRole("menuitem", { name: "Snooze" }).click();
    // The second pane acts on what it loaded, without waiting to hear of the first's snooze.
    await row(second, "Steve Okafor").click();
    await detail(second).getByRole("button", { name: "More actions" }).click();
    await second.getByRole("menuitem", { name: "Mark as closed" }).click();
    await Promise.all([
      first.getByRole("menuitem", { name: "1 week" }).click(),
      second
        .getByTestId("undo-toast")
        .getByText(/Closed the file on Steve Okafor/)
        .waitFor(),
    ]);
    await first
      .getByTestId("undo-toast")
      .getByText(/Snoozed Priya Patel for 1 week/)
      .waitFor();

    // Each pane hears the other's change within a second.
    await Promise.all(
      [first, second].flatMap((page) => [
        row(page, "Priya Patel").waitFor({ state: "detached", timeout: 1_000 }),
        row(page, "Steve Okafor").waitFor({ state: "detached", timeout: 1_000 }),
      ]),
    );
    for (const page of [first, second]) {
      await expect(rows(page).count()).resolves.toBe(staleBefore - 2);
      await page.getByLabel("Show").selectOption("snoozed");
      await expect(rows(page).allTextContents()).resolves.toEqual([expect.stringContaining("Priya Patel")]);
      await page.getByLabel("Show").selectOption("closed");
      await expect(rows(page).allTextContents()).resolves.toEqual([expect.stringContaining("Steve Okafor")]);
    }

    // Both survive in the store, not only in the panes' memory.
    await first.reload();
    await waitForList(first);
    await first.getByLabel("Show").selectOption("snoozed");
    // The kept list leaves out what changed since it was judged, until the worker has judged the mailbox again.
    await row(first, "Priya Patel").waitFor({ timeout: 10_000 });
    await expect(rows(first).allTextContents()).resolves.toEqual([expect.stringContaining("Priya Patel")]);
    await first.getByLabel("Show").selectOption("closed");
    await row(first, "Steve Okafor").waitFor({ timeout: 10_000 });
    await expect(rows(first).allTextContents()).resolves.toEqual([expect.stringContaining("Steve Okafor")]);
  });

  it("should show a hostile name and subject as text and never run them", async () => {
    const { page, dialogs } = await openPane();
    await waitForList(page);
    const hostile = row(page, "Mallory");
    await expect(hostile.textContent()).resolves.toContain(
      `<img src=x onerror="alert(document.domain)"> Mallory`,
    );
    await expect(hostile.textContent()).resolves.toContain("<script>alert('subject')</script> Pricing");
    await hostile.click();
    await detail(page).waitFor();
    await expect(detail(page).textContent()).resolves.toContain("<script>alert('subject')</script> Pricing");
    const body = await detail(page).getByLabel("Message (edit before inserting)").inputValue();
    expect(body).toContain("Hi Mallory,");
    await detail(page).getByRole("button", { name: "Insert into reply" }).click();
    await detail(page).getByText("Draft created").waitFor();
    await page.waitForTimeout(300);
    expect(await page.locator("img[src=x], img[onerror]").count()).toBe(0);
    expect(await page.locator("#root script").count()).toBe(0);
    expect(dialogs).toEqual([]);
    const draft = emulator.drafts().at(-1) as unknown as { body: { content: string } };
    expect(draft.body.content).toContain("&lt;script&gt;alert(&#39;subject&#39;)&lt;/script&gt; Pricing");
    expect(draft.body.content).not.toMatch(/<script|<img/i);
  });

  // One test a theme, each at both widths: all six panes in one test took most of a slow machine's test time.
  it.each([
    ["light", LIGHT, false],
    ["dark", DARK, false],
    ["high-contrast", LIGHT, true],
  ] as const)(
    "should report no axe violations on list, detail, results and settings at 350 and 1,000 px, %s",
    async (name, theme, forced) => {
      const found: Record<string, unknown> = {};
      for (const viewport of [NARROW, WIDE]) {
        const { page } = await openPane({ theme }, emulator, viewport);
        if (forced) await page.emulateMedia({ forcedColors: "active" });
        await waitForList(page);
        const key = `${viewport.width}-${name}`;
        found[`${key} list`] = await axeViolations(page);
        await row(page, "Mei Chen").click();
        await detail(page).waitFor();
        found[`${key} detail`] = await axeViolations(page);
        await page.getByRole("tab", { name: "Results" }).click();
        await page.getByRole("heading", { name: "What each technique earned" }).waitFor();
        found[`${key} results`] = await axeViolations(page);
        await page.getByRole("tab", { name: "Settings" }).click();
        await page.getByRole("form", { name: "Settings" }).waitFor();
        found[`${key} settings`] = await axeViolations(page);
      }
      expect(Object.keys(found)).toHaveLength(8);
      expect(Object.entries(found).filter(([, v]) => (v as unknown[]).length > 0)).toEqual([]);
    },
  );

  it("should follow Outlook's dark theme, at start and when it changes", async () => {
    const { page } = await openPane({ theme: DARK });
    await waitForList(page);
    const background = () =>
      page.evaluate(() => getComputedStyle(document.querySelector("[data-theme]")!).backgroundColor);
    await expect(page.locator("[data-theme]").first().getAttribute("data-theme")).resolves.toBe("dark");
    const [r, g, b] = (await background()).match(/\d+/g)!.map(Number);
    expect(r! + g! + b!).toBeLessThan(3 * 80);
    await row(page, "Mei Chen").click();
    await detail(page).waitFor();

    await page.evaluate(
      (light) =>
        (window as unknown as { __fakeOffice: { setTheme: (t: unknown) => void } }).__fakeOffice.setTheme(
          light,
        ),
      LIGHT,
    );
    await page.locator('[data-theme="light"]').first().waitFor();
    const [r2, g2, b2] = (await background()).match(/\d+/g)!.map(Number);
    expect(r2! + g2! + b2!).toBeGreaterThan(3 * 200);
  });

  it("should draw the results chart at reading size in a wide pane", async () => {
    const { page } = await openPane({}, emulator, WIDE);
    await waitForList(page);
    await page.getByRole("tab", { name: "Results" }).click();
    const chart = page.getByRole("figure", { name: "How often a follow-up drew an answer" }).getByRole("img");
    expect((await chart.boundingBox())!.width).toBeLessThanOrEqual(360);
    // Its words stay about the size of the table's beside it, not three times as large.
    const label = await chart
      .locator("text")
      .first()
      .evaluate((t) => t.getBoundingClientRect().height);
    expect(label).toBeLessThan(18);
  });

  describe("in Outlook's narrow pane", () => {
    /**
     * Elements (and the page) that can scroll sideways, i.e. whose content is wider than their box, and any that
     * something (a result scrolled into view) did scroll sideways, which cuts off their left edge.
     */
    const sidewaysScrollers = (page: Page) =>
      page.evaluate(() => {
        const out: string[] = [];
        const root = document.scrollingElement!;
        if (root.scrollWidth > root.clientWidth + 1)
          out.push(`page (${root.scrollWidth} > ${root.clientWidth})`);
        for (const el of Array.from(document.querySelectorAll<HTMLElement>("body *"))) {
          const overflow = getComputedStyle(el).overflowX;
          if ((overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1) {
            out.push(
              `${el.tagName.toLowerCase()}.${el.className.split(" ")[0]} (${el.scrollWidth} > ${el.clientWidth})`,
            );
          }
          if (el.scrollLeft > 0) {
            out.push(
              `${el.tagName.toLowerCase()}.${el.className.split(" ")[0]} scrolled ${el.scrollLeft} px sideways`,
            );
          }
        }
        return out;
      });

    const SCREENS: Record<string, (page: Page) => Promise<void>> = {
      list: async (page) => {
        await waitForList(page);
      },
      detail: async (page) => {
        await waitForList(page);
        await row(page, "Mei Chen").click();
        await detail(page).waitFor();
      },
      "insert-result": async (page) => {
        await waitForList(page);
        await row(page, "Mei Chen").click();
        await detail(page).getByRole("button", { name: "Insert into reply" }).click();
        await detail(page).getByText("Draft created").waitFor();
      },
      "clean-up": async (page) => {
        await waitForList(page);
        await page.getByRole("tab", { name: "Clean up" }).click();
        await page.getByRole("tabpanel", { name: "Clean up pending file" }).waitFor();
      },
      results: async (page) => {
        await waitForList(page);
        await page.getByRole("tab", { name: "Results" }).click();
        await page.getByRole("figure", { name: "How often a follow-up drew an answer" }).waitFor();
      },
      settings: async (page) => {
        await waitForList(page);
        await page.getByRole("tab", { name: "Settings" }).click();
        await page.getByRole("form", { name: "Settings" }).waitFor();
      },
      template: async (page) => {
        await SCREENS.settings!(page);
        await page.getByRole("switch", { name: "Advanced: HTML" }).click();
        await page
          .getByRole("heading", { name: "Templates" })
          .evaluate((h) => h.scrollIntoView({ block: "start" }));
      },
    };

    // One test a screen: each opens the pane four times, which a slow machine can't do for all seven screens
    // within one test's time.
    it.each(Object.keys(SCREENS))(
      "should save the %s screen at 350 and 1,000 px, light and dark",
      async (name) => {
        const open = SCREENS[name]!;
        for (const viewport of [NARROW, WIDE]) {
          for (const [label, theme] of [
            ["light", LIGHT],
            ["dark", DARK],
          ] as const) {
            const { page } = await openPane({ theme }, emulator, viewport);
            await open(page);
            await page.getByText(/Synced just now/).waitFor();
            const png = await shot(page, `${name}-${viewport.width}-${label}`);
            expect(png.subarray(1, 4).toString()).toBe("PNG");
            await page.context().close();
          }
        }
      },
    );

    it("should never scroll sideways at 320 px", async () => {
      const found: Record<string, string[]> = {};
      for (const [name, open] of Object.entries(SCREENS)) {
        const { page } = await openPane({}, emulator, { width: 320, height: 640 });
        await open(page);
        await page.getByText(/Synced just now/).waitFor();
        found[name] = await sidewaysScrollers(page);
        // Every view's tab is wholly in the pane: none is cut off at the edge.
        const tabs = await page
          .getByRole("tablist", { name: "Views" })
          .getByRole("tab")
          .evaluateAll((els) =>
            els.map((e) => ({ name: e.textContent, right: e.getBoundingClientRect().right })),
          );
        expect(tabs).toHaveLength(4);
        for (const t of tabs) if (t.right > 320) found[name].push(`tab ${t.name} ends at ${t.right} px`);
      }
      expect(found).toEqual({
        list: [],
        detail: [],
        "insert-result": [],
        "clean-up": [],
        results: [],
        settings: [],
        template: [],
      });
    });

    it("should keep the four views' tabs on one row, wholly in the pane, from 320 to 450 px", async () => {
      const found: Record<number, string[]> = {};
      for (const width of [320, 350, 400, 439, 440, 450]) {
        const { page } = await openPane({}, emulator, { width, height: 700 });
        await waitForList(page);
        const tabList = page.getByRole("tablist", { name: "Views" });
        const tabs = await tabList.getByRole("tab").evaluateAll((els) =>
          els.map((e) => {
            const box = e.getBoundingClientRect();
            return { name: e.getAttribute("aria-label") ?? e.textContent, top: box.top, right: box.right };
          }),
        );
        const problems: string[] = [];
        for (const t of tabs) {
          if (t.top !== tabs[0]!.top) problems.push(`tab ${t.name} on another row`);
          if (t.right > width) problems.push(`tab ${t.name} ends at ${t.right} px`);
        }
        const sideways = await tabList.evaluate((el) => el.scrollWidth - el.clientWidth);
        if (sideways > 1) problems.push(`tab list scrolls ${sideways} px sideways`);
        found[width] = problems;
        // Settings is still a tab called Settings, when only its gear is shown.
        await page.getByRole("tab", { name: "Settings" }).click();
        await page.getByRole("form", { name: "Settings" }).waitFor();
        await page.context().close();
      }
      expect(found).toEqual({ 320: [], 350: [], 400: [], 439: [], 440: [], 450: [] });
    });

    it("should line the Sort by label up with its dropdown and the count at 350 px", async () => {
      const { page } = await openPane({}, emulator, NARROW);
      await waitForList(page);
      const middle = (el: Element) => {
        const box = el.getBoundingClientRect();
        return box.top + box.height / 2;
      };
      const label = await page.getByText("Sort by", { exact: true }).evaluate(middle);
      const select = await page.getByRole("combobox", { name: "Sort by" }).evaluate(middle);
      const count = await page.getByText(/^\d+ conversations$/).evaluate(middle);
      expect(Math.abs(label - select)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(count - select)).toBeLessThanOrEqual(1.5);
    });

    it("should keep Insert in view after a conversation is selected at 350 × 700", async () => {
      const { page } = await openPane({}, emulator, NARROW);
      await waitForList(page);
      // The technique badge stays readable in the narrow list: 12 px or more.
      const badgeSizes = await rows(page)
        .locator(".fui-Badge:not([data-urgency])")
        .evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)));
      expect(badgeSizes.length).toBeGreaterThan(0);
      expect(Math.min(...badgeSizes)).toBeGreaterThanOrEqual(12);
      for (const name of ["Mei Chen", "Priya Patel", "Steve Okafor"]) {
        await row(page, name).click();
        const insert = detail(page).getByRole("button", { name: "Insert into reply" });
        await insert.waitFor();
        const box = (await insert.boundingBox())!;
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.y + box.height).toBeLessThanOrEqual(NARROW.height);
        expect(box.x + box.width).toBeLessThanOrEqual(NARROW.width);
        // Scrolling the detail to its end keeps Insert where it is.
        await page.getByTestId("detail-scroll").evaluate((el) => el.scrollTo(0, el.scrollHeight));
        expect((await insert.boundingBox())!.y).toBe(box.y);
        await detail(page).getByRole("button", { name: "Back to list" }).click();
      }
    });

    it("should keep the verdict's primary action in view for declined, later and left at 350 × 700", async () => {
      const { page } = await openPane({}, emulator, NARROW);
      await waitForList(page);
      await page.getByRole("combobox", { name: "Show" }).selectOption("all");
      for (const [name, primary, shotName] of [
        ["Greta Holm", "Mark as closed", "detail-declined-350"],
        ["Ruth Adler", "Insert into reply", "detail-deferred-350"],
        ["Jonas Berg", "Write to Ana Lima", "detail-left-350"],
      ] as const) {
        await page.getByRole("searchbox", { name: "Search" }).fill(name);
        await row(page, name).click();
        const button = detail(page).getByTestId("action-bar").getByRole("button", { name: primary });
        await button.waitFor();
        await shot(page, shotName);
        const box = (await button.boundingBox())!;
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.y + box.height).toBeLessThanOrEqual(NARROW.height);
        expect(box.x + box.width).toBeLessThanOrEqual(NARROW.width);
        await detail(page).getByRole("button", { name: "Back to list" }).click();
      }
    });

    it("should show their answer in the timeline over up to three lines, not cut to one, at 350 × 700", async () => {
      const { page } = await openPane({}, emulator, NARROW);
      await waitForList(page);
      await page.getByRole("combobox", { name: "Show" }).selectOption("all");
      await page.getByRole("searchbox", { name: "Search" }).fill("Greta Holm");
      await row(page, "Greta Holm").click();
      const answer = detail(page).getByTestId("timeline-preview").last();
      await answer.waitFor();
      const box = await answer.evaluate((el) => ({
        lines: el.clientHeight / parseFloat(getComputedStyle(el).lineHeight),
        clipped: el.scrollHeight > el.clientHeight + 1,
        text: el.textContent,
      }));
      expect(box.text).toMatch(/decided to go in a different direction/);
      expect(box.lines).toBeGreaterThan(1.5);
      expect(box.clipped).toBe(false);
      // My own messages stay one line each: the story stays short.
      const mine = await detail(page)
        .getByTestId("timeline-preview")
        .first()
        .evaluate((el) => el.clientHeight / parseFloat(getComputedStyle(el).lineHeight));
      expect(mine).toBeLessThan(1.5);
    });

    it("should show the confirmation toast above the action bar, not over it, at 350 × 700", async () => {
      const { page } = await openPane({}, emulator, NARROW);
      await waitForList(page);
      await page.getByRole("combobox", { name: "Show" }).selectOption("all");
      await page.getByRole("searchbox", { name: "Search" }).fill("Greta Holm");
      await row(page, "Greta Holm").click();
      const bar = detail(page).getByTestId("action-bar");
      await bar.getByRole("button", { name: "Mark as closed" }).click();
      const toast = page.getByTestId("undo-toast");
      await toast.getByText("Closed the file on Greta Holm.").waitFor();
      // The bar now says why there is nothing to insert, over two lines: the toast stays clear of it.
      await bar.getByText(/The file is closed/).waitFor();
      await page.waitForTimeout(300); // the toast's entrance animation
      const toastBox = (await toast.boundingBox())!;
      const barBox = (await bar.boundingBox())!;
      expect(toastBox.y).toBeGreaterThanOrEqual(0);
      expect(toastBox.y + toastBox.height).toBeLessThanOrEqual(barBox.y);
      await shot(page, "closed-toast-350");
    });

    it("should take the whole path by keyboard: list, detail, Insert, Back", async () => {
      const { page } = await openPane({ item: { mode: "compose", conversationId: null } }, emulator, NARROW);
      await waitForList(page);
      await list(page).focus();
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("ArrowDown");
      const chosen = rows(page).nth(1);
      const id = await chosen.getAttribute("id");
      const name = (await chosen.locator(".fui-Text").first().textContent())!.split(" · ")[0]!;
      await page.keyboard.press("Enter");
      await detail(page).getByRole("heading", { level: 2, name }).waitFor();
      const insert = detail(page).getByRole("button", { name: "Insert at cursor" });
      let presses = 0;
      while (!(await insert.evaluate((el) => el === document.activeElement)) && presses < 40) {
        await page.keyboard.press("Tab");
        presses++;
      }
      expect(presses).toBeLessThan(40);
      await page.keyboard.press("Enter");
      await detail(page)
        .getByText(/Your message is in the draft at the cursor/)
        .waitFor();
      await page.keyboard.press("Escape");
      await list(page).waitFor();
      await expect(list(page).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      await expect(list(page).getAttribute("aria-activedescendant")).resolves.toBe(id);
      await expect(page.locator(`[id="${id}"]`).getAttribute("aria-selected")).resolves.toBe("true");
    });
  });
});
