// The task pane's composition root: finds out where it runs, builds PaneServices from the real adapters, and
// renders <App>. Nothing else wires adapters together: the other files of the pane export parts (the MailboxSource
// on the sync engine, the demo host, the services' interfaces), and this one puts them together.
//
// Where it runs
//  - Inside Outlook (Office.onReady reports host "Outlook"): mode "outlook". Graph through MSAL (nested app
//    authentication when Office supports NestedAppAuth 1.1, else popup, else the Office dialog), with MSAL's account
//    chosen to match the mailbox (loginHint); settings in roamingSettings; the cache in IndexedDB, one database per
//    mailbox, named after Office.context.mailbox.userProfile.emailAddress (cacheDatabaseName). The snoozes and
//    closed files of the database used before (named after the add-in partition) are carried into it.
//  - Anywhere else: a production build says to open Rekindle from Outlook. A development build runs the DEMO:
//    mode "demo" against the Graph emulator (`npm start`; http://127.0.0.1:4300/v1.0, token "emulator-token",
//    "now" = 2026-11-20T09:00:00Z to match the demo mailbox), and "insert" only previews the reply.
//
// Development-only overrides (compiled out of production builds by the __DEV__ constant; a production build always
// uses https://graph.microsoft.com/v1.0 and https://login.microsoftonline.com):
//  - query parameters on taskpane.html:  ?graph=<loopback Graph URL>&token=<bearer>&now=<ISO instant>&mode=demo|outlook
//    &officeTimeoutMs=<ms>
//  - or, before the bundle runs (e.g. playwright's page.addInitScript), a global:
//      window.__REKINDLE_DEV__ = { graphUrl, token, now, mode, officeTimeoutMs }
//    Query parameters win over the global. graph must be http(s)://127.0.0.1|localhost; anything else is ignored.
//  - e2e with a fake Office host: define window.Office (onReady → { host: "Outlook" }, context.mailbox, …) in an init
//    script (or route the office.js CDN URL to it) and open
//      http://localhost:3000/taskpane.html?graph=http://127.0.0.1:PORT/v1.0&token=TOKEN&now=2026-11-20T09:00:00Z
//    The pane then runs in "outlook" mode with the fake host and a fixed token (no MSAL).
import { StrictMode } from "react";
import { createRoot, type Root } from "react-dom/client";
import { SignInRequiredError, type TokenProvider } from "../auth/tokenProvider";
import type { OfficeLike } from "../office/officeApi";
import type { CreateReplyDraft } from "../office/outlookHost";
import { officeGlobal, openDialogForMessage, waitForOutlook } from "../office/officeRuntime";
import { App } from "./App";
import {
  readDevOverrides,
  resolveRuntimeConfig,
  type BuildConfig,
  type RuntimeConfig,
} from "./runtimeConfig";
import type { Instant, Mailbox } from "../core/message";
import type { IdbCacheStore } from "../store/idbCacheStore";
import type { MailboxStateRecord } from "../graph/mailboxState";
import type { JudgedListStore, MailHost, PaneServices, SettingsStore } from "./services";
import { startJudgeWorker } from "./startJudgeWorker";
import { WorkerCannotSync } from "./state/judging";

declare const __DEV__: boolean;
declare const __REKINDLE_CLIENT_ID__: string;
declare const __REKINDLE_GRAPH_URL__: string;
declare const __REKINDLE_LOGIN_URL__: string;
declare const __REKINDLE_EMULATOR_URL__: string;
declare const __REKINDLE_DEMO_TOKEN__: string;
declare const __REKINDLE_DEMO_NOW__: string;

const BUILD: BuildConfig = {
  dev: __DEV__,
  clientId: __REKINDLE_CLIENT_ID__,
  graphUrl: __REKINDLE_GRAPH_URL__,
  emulatorUrl: __REKINDLE_EMULATOR_URL__,
  demoToken: __REKINDLE_DEMO_TOKEN__,
  demoNow: __REKINDLE_DEMO_NOW__,
};

/** A token from the Office dialog fallback, reused while it is fresh (an access token lives about an hour). */
function dialogSignIn(office: OfficeLike): (scopes: readonly string[]) => Promise<string> {
  const cache = new Map<string, { token: string; at: number }>();
  return async (scopes) => {
    const key = [...scopes].sort().join(" ");
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < 45 * 60_000) return hit.token;
    const url = `${new URL("auth-dialog.html", window.location.href).href}?scopes=${encodeURIComponent(key)}`;
    const reply = JSON.parse(await openDialogForMessage(office, url)) as {
      accessToken?: string;
      error?: string;
    };
    if (!reply.accessToken)
      throw new SignInRequiredError(reply.error ?? "the sign-in dialog returned no token.");
    cache.set(key, { token: reply.accessToken, at: Date.now() });
    return reply.accessToken;
  };
}

async function tokenProviderFor(
  office: OfficeLike,
  config: RuntimeConfig,
  loginHint: string | null,
): Promise<TokenProvider> {
  const auth = await import("../auth/tokenProvider");
  if (config.staticToken) return new auth.FixedTokenProvider(config.staticToken);
  if (!BUILD.clientId) return new auth.UnconfiguredTokenProvider();
  const { createMsalTokenProvider } = await import("../auth/msalTokenProvider");
  const { supportsNestedAppAuth } = await import("../office/officeRuntime");
  return createMsalTokenProvider({
    clientId: BUILD.clientId,
    loginUrl: __REKINDLE_LOGIN_URL__,
    nestedAppAuth: supportsNestedAppAuth(office),
    redirectUri: new URL("auth.html", window.location.href).href,
    dialogSignIn: dialogSignIn(office),
    loginHint,
  });
}

/** What differs between Outlook and the demo; the rest of the wiring is the same. */
interface Wiring {
  readonly mode: PaneServices["mode"];
  readonly config: RuntimeConfig;
  readonly tokens: TokenProvider;
  readonly store: IdbCacheStore;
  /** The cache's name: panes on one cache hear each other's user-state entries on a channel of that name. */
  readonly databaseName: string;
  readonly judgedList?: JudgedListStore;
  readonly settings: SettingsStore;
  readonly host: (dependencies: {
    /** Creates a reply-all draft through Graph (asks for Mail.ReadWrite at that moment). */
    readonly createReplyDraft: CreateReplyDraft;
    /** The mailbox as last loaded or synced. */
    readonly currentMailbox: () => Mailbox | null;
  }) => MailHost;
}

/**
 * Graph connections (read scopes for sync, draft scopes only for createReplyAll), the sync engine behind the
 * MailboxSource (the window from the settings at the time of each sync; its change sets applied in memory), and
 * user state on the same cache.
 */
/** The modules every wiring needs. */
function loadParts() {
  return Promise.all([
    import("../auth/tokenProvider"),
    import("../core/message"),
    import("../graph/graphClient"),
    import("../graph/mailSync"),
    import("../graph/replyDraft"),
    import("./graphMailboxSource"),
    import("../store/idbCacheStore"),
    import("../core/awaitingReply"),
    import("../core/automatedMail"),
    import("../core/cleanUp"),
    import("../core/plainText"),
    import("../graph/batchDrafts"),
    import("../graph/lastMomentCheck"),
    import("../graph/mailFolders"),
    import("./stateChannel"),
    import("../graph/roamingState"),
    import("../graph/mailboxState"),
  ]);
}
let partsLoading: ReturnType<typeof loadParts> | undefined;
/** Loaded once: main starts loading them while Office is still starting. */
const wiringParts = () => (partsLoading ??= loadParts());

async function wire(w: Wiring): Promise<PaneServices> {
  const [
    { DRAFT_SCOPES, READ_SCOPES, ScopedAuthenticationProvider, SignInRequiredError: SignInRefused },
    { instant },
    { createGraphConnection },
    { syncMailbox },
    { createReplyAllDraft },
    { GraphMailboxSource, toSyncProblem, userStateStoreOn },
    ,
    // (skipped above: idbCacheStore, loaded early with these for outlookServices and demoServices)
    { isMyMessage, myAddressesOf },
    { detectAutomatedMail },
    { sentEntriesFor },
    { singleLine },
    { createDraftsInBatches },
    { findNewerAnswers },
    { listMailFolders },
    { openStateChannel },
    { RoamingState },
    { latestAttemptsOf },
  ] = await wiringParts();
  const { config, tokens, store } = w;
  const read = createGraphConnection({
    baseUrl: config.graphUrl,
    authProvider: new ScopedAuthenticationProvider(tokens, READ_SCOPES),
  });
  const drafts = createGraphConnection({
    baseUrl: config.graphUrl,
    authProvider: new ScopedAuthenticationProvider(tokens, DRAFT_SCOPES),
  });
  const now = (): Instant => instant(config.fixedNow ?? Date.now());
  // Decisions roam in the mailbox: written after the local write (the UI never waits), read by every sync.
  let targets: {
    messages: readonly Mailbox["messages"][number][];
    byConversation: Map<string, string>;
  } | null = null;
  const roaming = new RoamingState({
    read,
    write: drafts,
    local: store.roamingLocal(),
    targetFor: (conversationId) => {
      const messages = mailbox.current()?.messages;
      if (!messages) return null;
      if (targets?.messages !== messages) targets = { messages, byConversation: latestAttemptsOf(messages) };
      return targets.byConversation.get(conversationId) ?? null;
    },
    // Mail.ReadWrite is asked for at the first roaming write; a refusal keeps decisions on this device.
    askWrite: async (interactive) =>
      void (await (interactive || !tokens.getTokenSilently
        ? tokens.getToken(DRAFT_SCOPES)
        : tokens.getTokenSilently(DRAFT_SCOPES))),
    isRefusal: (error) => error instanceof SignInRefused,
    enabled: async () => (await w.settings.load()).roamDecisions,
    now,
  });
  /** After a decision (the user's action: Mail.ReadWrite may be asked for), or after a sync (nothing is shown). */
  const pushDecisions = (interactive: boolean): void =>
    void roaming.push({ interactive }).catch(() => undefined);
  // Panes on one cache hear each other's user-state entries (a pinned pane and a second window).
  const userState = userStateStoreOn(store, openStateChannel(`rekindle-state:${w.databaseName}`), () =>
    pushDecisions(true),
  );
  let stateRecords: MailboxStateRecord[] = [];
  // The engine in a worker, keeping each judged list in this cache itself (absent without Worker: judged in-thread).
  const judging = startJudgeWorker(w.judgedList ? w.databaseName : null);
  let syncHere = false;
  const mailbox = new GraphMailboxSource(
    store,
    async (onProgress) => {
      // The window and the folders picked beside Inbox, Sent Items and Archive, as the settings say at each sync.
      const settings = await w.settings.load();
      if (judging && !judging.broken && !syncHere) {
        // In the worker, which fetches, parses and maps; the pages come here to be stored in this cache.
        const result = await judging
          .sync(
            {
              graphUrl: config.graphUrl,
              now: now(),
              windowDays: settings.windowDays,
              folders: settings.extraFolders,
            },
            onProgress,
            // A sign-in problem goes to the worker as the problem the pane shows.
            () =>
              tokens.getToken(READ_SCOPES).catch((error: unknown) => {
                throw toSyncProblem(error);
              }),
            store,
          )
          .catch((error: unknown) => {
            if (!(error instanceof WorkerCannotSync)) throw error;
            syncHere = true; // this worker cannot sync: this and every later sync run here
            return null;
          });
        if (result) {
          stateRecords.push(...result.state);
          return result;
        }
      }
      const result = await syncMailbox({
        connection: read,
        store,
        now: now(),
        windowDays: settings.windowDays,
        folders: settings.extraFolders,
        onProgress: (p) => onProgress({ phase: p.phase, synced: p.synced, expected: p.expected }),
      });
      stateRecords.push(...result.state);
      return result.changes;
    },
    () => tokens.getToken(READ_SCOPES),
    () => {
      // Another device's decisions, as the sync brought them, reach the model (and the other panes) from here.
      const records = stateRecords;
      stateRecords = [];
      roaming
        .absorb(records)
        .then(({ changed }) => {
          userState.announce(changed);
          pushDecisions(false);
        })
        .catch(() => {
          stateRecords = [...records, ...stateRecords]; // merged at the next sync instead
        });
    },
  );
  const isAnswerFor = async () => {
    const mine = myAddressesOf(
      mailbox.current()?.me ?? { displayName: "" },
      (await w.settings.load()).myAddresses,
    );
    return (m: Parameters<typeof isMyMessage>[0]) => !isMyMessage(m, mine) && detectAutomatedMail(m) === null;
  };
  return {
    mode: w.mode,
    now,
    mailbox,
    userState,
    settings: w.settings,
    cleanUp: {
      createDrafts: async (plans, onProgress, where) => {
        // Mail.ReadWrite is asked for at this moment, as for a single draft.
        await tokens.getToken(DRAFT_SCOPES);
        const when = new Intl.DateTimeFormat(where?.locale, {
          day: "numeric",
          month: "short",
          ...(where ? { timeZone: where.timeZone } : {}),
        });
        const outcomes = await createDraftsInBatches({
          connection: drafts,
          drafts: plans,
          isAnswer: await isAnswerFor(),
          describeAnswer: (a) =>
            `${singleLine(a.from?.name || a.from?.address || "Someone")} answered on ${when.format(new Date(a.receivedAt))} (in ${singleLine(a.folderName)})`,
          onProgress: (p) => onProgress({ done: p.done, total: p.total }),
        });
        // Recorded entry by entry (a read-modify-write each), so another pane's changes are never undone.
        for (const entry of sentEntriesFor(outcomes, plans, now())) await userState.put(entry);
        return outcomes;
      },
    },
    mailFolders: () => listMailFolders(read),
    lastMomentCheck: async (conversationId, after) => {
      if (!mailbox.current()?.me) return null; // nothing synced yet: there is no draft to guard either
      const found = await findNewerAnswers({
        connection: read,
        conversations: [{ conversationId, after }],
        isAnswer: await isAnswerFor(),
      });
      const newest = found.get(conversationId)?.[0];
      return newest ? { message: newest.message, folderName: newest.folderName } : null;
    },
    ...(w.judgedList ? { judgedList: w.judgedList } : {}),
    roaming: {
      status: () => roaming.status(),
      subscribe: (listener) => roaming.subscribe(listener),
      enable: async () => void (await roaming.enable()),
    },
    ...(judging ? { judging } : {}),
    host: w.host({
      // Mail.ReadWrite is asked for here, at the moment of drafting (incremental consent); sign-in errors surface as such.
      createReplyDraft: async (id, html, marks) => {
        await tokens.getToken(DRAFT_SCOPES);
        // The draft carries the template's subject and the x-rekindle-technique mark, as the clean-up's do.
        return createReplyAllDraft(drafts, id, html, marks);
      },
      currentMailbox: () => mailbox.current(),
    }),
  };
}

async function outlookServices(office: OfficeLike, config: RuntimeConfig): Promise<PaneServices> {
  const [
    { OutlookHost },
    { RoamingSettingsStore, localSettingsKey },
    { partitionKeyOf, mailboxAddressOf },
    { IdbCacheStore, cacheDatabaseName, carryUserState },
  ] = await Promise.all([
    import("../office/outlookHost"),
    import("../office/roamingSettingsStore"),
    import("../office/officeRuntime"),
    import("../store/idbCacheStore"),
  ]);
  const partitionKey = partitionKeyOf(office);
  const address = mailboxAddressOf(office);
  if (!address) throw new Error("Outlook did not say which mailbox this is (userProfile.emailAddress).");
  // One cache per mailbox: two accounts in one Outlook never share one.
  const databaseName = cacheDatabaseName(address);
  const store = await IdbCacheStore.open(databaseName);
  // Snoozes and closed files made before caches were per mailbox are never lost: the old database is only read,
  // so a failure here leaves it for the next open to carry.
  await carryUserState(partitionKey ? `rekindle-${partitionKey}` : "rekindle", store).catch(() => 0);
  return wire({
    mode: "outlook",
    config,
    tokens: await tokenProviderFor(office, config, address),
    store,
    databaseName,
    judgedList: { load: () => store.loadJudgedList(), save: (list) => store.saveJudgedList(list) },
    settings: new RoamingSettingsStore(
      office.context.roamingSettings,
      window.localStorage,
      localSettingsKey(partitionKey),
    ),
    host: ({ createReplyDraft }) => new OutlookHost(office, createReplyDraft),
  });
}

async function demoServices(config: RuntimeConfig): Promise<PaneServices> {
  // The branch is dead in production (__DEV__ = false), so webpack leaves the demo modules out of that build.
  if (__DEV__) {
    const [{ DemoHost }, { RoamingSettingsStore }, { FixedTokenProvider }, { IdbCacheStore }] =
      await Promise.all([
        import("./demoServices"),
        import("../office/roamingSettingsStore"),
        import("../auth/tokenProvider"),
        import("../store/idbCacheStore"),
      ]);
    const store = await IdbCacheStore.open("rekindle-demo");
    return wire({
      mode: "demo",
      config,
      tokens: new FixedTokenProvider(config.staticToken ?? ""),
      store,
      databaseName: "rekindle-demo",
      judgedList: { load: () => store.loadJudgedList(), save: (list) => store.saveJudgedList(list) },
      settings: new RoamingSettingsStore(undefined, window.localStorage, "rekindle-demo.settings"),
      host: ({ currentMailbox }) => new DemoHost(currentMailbox),
    });
  }
  throw new Error("Demo mode is only in development builds.");
}

function renderMessage(root: Root, text: string): void {
  root.render(
    <main style={{ fontFamily: "Segoe UI, system-ui, sans-serif", padding: 16 }}>
      <h1 style={{ fontSize: 18 }}>Rekindle</h1>
      <p role="alert">{text}</p>
    </main>,
  );
}

async function main(): Promise<void> {
  const root = createRoot(document.getElementById("root")!);
  const office = officeGlobal();
  const overrides = __DEV__
    ? readDevOverrides(
        (window as unknown as { __REKINDLE_DEV__?: unknown }).__REKINDLE_DEV__,
        window.location.search,
      )
    : {};
  const probe = resolveRuntimeConfig(BUILD, overrides, false);
  void wiringParts().catch(() => undefined); // in parallel with Office starting; a failure shows when wiring

  const inOutlook = probe.forcedMode === "demo" ? false : await waitForOutlook(office, probe.officeTimeoutMs);
  if (!inOutlook && (!__DEV__ || probe.forcedMode === "outlook")) {
    renderMessage(root, "Open Rekindle from Outlook: select a message and choose Rekindle on the ribbon.");
    return;
  }
  let services: PaneServices;
  try {
    services = inOutlook
      ? await outlookServices(office!, probe)
      : __DEV__
        ? await demoServices(resolveRuntimeConfig(BUILD, overrides, true))
        : (undefined as never);
  } catch (error) {
    renderMessage(
      root,
      `Rekindle could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    return;
  }
  root.render(
    <StrictMode>
      <App services={services} />
    </StrictMode>,
  );
}

void main();
