// Hand-written fakes of PaneServices for component tests: in-memory stores that record every save, a host that
// records every insert, and a mailbox source whose sync the test controls.
import demoJson from "../fixtures/demo-mailbox.json";
import { DEMO_NOW } from "../fixtures/demoMailbox";
import { parseMailboxJson } from "../../src/graph/mailboxFile";
import { instant, type Instant, type Mailbox } from "../../src/core/message";
import { DEFAULT_SETTINGS, type Settings } from "../../src/core/settings";
import { parseSettings } from "../../src/core/settingsValidation";
import { EMPTY_USER_STATE, type UserState } from "../../src/core/userState";
import { entriesFromUserState, entryKey, type StateEntry } from "../../src/core/userStateEntries";
import { supersede, userStateOf } from "../../src/store/userStateRecords";
import { MessageChannel as NodeMessageChannel } from "node:worker_threads";
import type { NewMessageRequest } from "../../src/office/mailHost";
import {
  WorkerJudging,
  judgingHandler,
  type FromWorker,
  type Judging,
  type ToWorker,
  type WorkerPort,
} from "../../src/taskpane/state/judging";
import type {
  HostTheme,
  InsertOutcome,
  MailHost,
  OpenItem,
  PaneServices,
  SyncProgress,
} from "../../src/taskpane/services";

export const NOW: Instant = instant(Date.parse(DEMO_NOW));

/** The demo mailbox as the engine sees it. */
export function demoMailbox(): Mailbox {
  return parseMailboxJson(demoJson, "demo-mailbox.json").mailbox;
}

export type InsertRequest = Parameters<MailHost["insertReply"]>[0];

export interface FakeServices extends PaneServices {
  /** After each entry stored: the whole user state it left (userState), and the entry itself (entries). */
  readonly saved: { userState: UserState[]; entries: StateEntry[]; settings: Settings[] };
  /** Another pane stored these entries: they are stored here too, and announced to the pane. */
  fromAnotherPane(entries: readonly StateEntry[]): void;
  readonly inserts: InsertRequest[];
  readonly newMessages: NewMessageRequest[];
  readonly syncCalls: { count: number };
  /** Every judged list the pane kept. */
  readonly keptLists: unknown[];
  setTheme(theme: HostTheme): void;
  /** Outlook selects another item under the pinned pane. */
  selectItem(item: OpenItem): void;
}

export interface FakeOptions {
  readonly mailbox?: Mailbox;
  readonly cached?: Mailbox | null;
  readonly settings?: Settings;
  readonly userState?: UserState;
  /** Entries already stored (the "sent" records among them). */
  readonly entries?: readonly StateEntry[];
  readonly openItem?: OpenItem;
  /** Replaces the default sync (which reports progress once and returns the mailbox). */
  readonly sync?: (onProgress: (p: SyncProgress) => void, call: number) => Promise<Mailbox>;
  readonly insertOutcome?: InsertOutcome;
  readonly mode?: "outlook" | "demo";
  /** The list as last judged, kept by a previous open (then the pane has a judgedList store). */
  readonly kept?: unknown;
  /** Holds the cached mailbox back until this settles. */
  readonly cachedAfter?: Promise<unknown>;
  /** The host's IANA zone and locale (UTC, en-GB by default). */
  readonly timeZone?: string;
  readonly locale?: string;
  /** The last-moment check before Insert (none by default, as where there is no Graph). */
  readonly lastMomentCheck?: PaneServices["lastMomentCheck"];
  /** The user's folders for the folder picker (none by default, as where there is no Graph). */
  readonly mailFolders?: PaneServices["mailFolders"];
  /** Judging in a "worker": the worker's side of the protocol behind a real MessageChannel. */
  readonly judging?: Judging;
}

/**
 * The judging worker's two ends over a Node MessageChannel (structured clone, answers in later tasks, as a Worker
 * gives them): every request the worker side receives is recorded, and each judged list it keeps.
 */
export function judgingOverChannel(): {
  judging: Judging;
  received: ToWorker[];
  kept: unknown[];
} {
  const channel = new NodeMessageChannel();
  const received: ToWorker[] = [];
  const kept: unknown[] = [];
  const handle = judgingHandler(
    (m) => channel.port2.postMessage(m),
    (list) => kept.push(list),
    7,
  );
  channel.port2.on("message", (m: ToWorker) => {
    received.push(m);
    handle(m);
  });
  const port: WorkerPort = {
    postMessage: (m) => channel.port1.postMessage(m),
    addEventListener: ((type: string, listener: (e: { data: FromWorker }) => void) => {
      if (type === "message") channel.port1.on("message", (data: FromWorker) => listener({ data }));
    }) as WorkerPort["addEventListener"],
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
  const judging = new WorkerJudging(port, true, 7);
  // Listening refs a port: unreferenced, an unclosed channel never keeps the test process alive.
  channel.port1.unref();
  channel.port2.unref();
  return { judging, received, kept };
}

export function fakeServices(options: FakeOptions = {}): FakeServices {
  const mailbox = options.mailbox ?? demoMailbox();
  let settings = options.settings ?? DEFAULT_SETTINGS;
  const stored = new Map<string, StateEntry>(
    [
      ...entriesFromUserState(options.userState ?? EMPTY_USER_STATE, instant(NOW - 86_400_000)),
      ...(options.entries ?? []),
    ].map((e) => [entryKey(e), e]),
  );
  const stateListeners = new Set<(entries: readonly StateEntry[]) => void>();
  let theme: HostTheme = { isDark: false };
  const themeListeners = new Set<(t: HostTheme) => void>();
  const itemListeners = new Set<() => void>();
  let openItem: OpenItem = options.openItem ?? null;
  const saved = { userState: [] as UserState[], entries: [] as StateEntry[], settings: [] as Settings[] };
  const inserts: InsertRequest[] = [];
  const newMessages: NewMessageRequest[] = [];
  const syncCalls = { count: 0 };
  const keptLists: unknown[] = [];
  let lastSync: Instant | null = options.cached ? instant(NOW - 3_600_000) : null;

  return {
    mode: options.mode ?? "outlook",
    ...(options.lastMomentCheck ? { lastMomentCheck: options.lastMomentCheck } : {}),
    ...(options.mailFolders ? { mailFolders: options.mailFolders } : {}),
    ...(options.judging ? { judging: options.judging } : {}),
    now: () => NOW,
    saved,
    inserts,
    newMessages,
    syncCalls,
    keptLists,
    ...(options.kept !== undefined
      ? {
          judgedList: {
            load: async () => options.kept,
            save: async (list: unknown) => void keptLists.push(list),
          },
        }
      : {}),
    mailbox: {
      loadCached: async () => {
        await options.cachedAfter;
        return options.cached ?? null;
      },
      lastSyncAt: async () => lastSync,
      sync: async (onProgress) => {
        syncCalls.count++;
        const result = options.sync
          ? await options.sync(onProgress, syncCalls.count)
          : (onProgress({
              phase: "first-sync",
              synced: mailbox.messages.length,
              expected: mailbox.messages.length,
            }),
            mailbox);
        lastSync = NOW;
        return result;
      },
    },
    fromAnotherPane(entries) {
      for (const e of entries) stored.set(entryKey(e), supersede(stored.get(entryKey(e)), e));
      for (const listener of stateListeners) listener(entries);
    },
    userState: {
      load: async () => [...stored.values()],
      put: async (entry) => {
        const winner = supersede(stored.get(entryKey(entry)), entry);
        stored.set(entryKey(winner), winner);
        saved.entries.push(winner);
        saved.userState.push(userStateOf([...stored.values()]));
        return winner;
      },
      subscribe: (listener) => {
        stateListeners.add(listener);
        return () => stateListeners.delete(listener);
      },
    },
    settings: {
      load: async () => settings,
      save: async (next) => {
        const checked = parseSettings(JSON.parse(JSON.stringify(next)));
        saved.settings.push(checked);
        settings = checked;
      },
    },
    host: {
      openItem: () => openItem,
      theme: () => theme,
      timeZone: () => options.timeZone ?? "UTC",
      locale: () => options.locale ?? "en-GB",
      openNewMessage: async (request) => {
        newMessages.push(request);
        return { kind: "new-message-opened" };
      },
      onThemeChanged: (listener) => {
        themeListeners.add(listener);
        return () => themeListeners.delete(listener);
      },
      onItemChanged: (listener) => {
        itemListeners.add(listener);
        return () => itemListeners.delete(listener);
      },
      insertReply: async (request) => {
        inserts.push(request);
        return options.insertOutcome ?? { kind: "reply-form-opened" };
      },
    },
    setTheme: (next) => {
      theme = next;
      themeListeners.forEach((l) => l(next));
    },
    selectItem: (next) => {
      openItem = next;
      itemListeners.forEach((l) => l());
    },
  };
}

/** jsdom has no layout: give scroll containers a height so the virtualizer renders a window of rows. */
export function giveElementsAHeight(height = 640): void {
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => height });
  Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 360 });
  Object.defineProperty(HTMLElement.prototype, "offsetHeight", { configurable: true, get: () => 64 });
  // Fluent's MessageBar watches its size; jsdom has no ResizeObserver.
  window.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
