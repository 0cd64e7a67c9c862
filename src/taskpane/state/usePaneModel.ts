// The pane's view-model: loads the cache, settings and user state, syncs (retrying by itself after a problem),
// classifies the mailbox with the engine, and applies the user's actions with an undo for each.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { ConversationReport } from "../../core/awaitingReply";
import type { Instant, Mailbox } from "../../core/message";
import { singleLine } from "../../core/plainText";
import { DEFAULT_SETTINGS, type Settings } from "../../core/settings";
import { EMPTY_USER_STATE, type LoggedAttempt, type UserState } from "../../core/userState";
import { SyncProblem, type PaneServices, type SyncProgress } from "../services";
import { asJudgedList, shownFromJudgedList, useJudgedReports, type JudgedList } from "./judgedReports";

export type SyncStatus =
  | { readonly kind: "loading" }
  | { readonly kind: "syncing"; readonly progress: SyncProgress | null }
  | { readonly kind: "idle" }
  | { readonly kind: "problem"; readonly problem: SyncProblem; readonly retryAt: Instant | null };

/** An action the user can take back; `undo` restores what was there before. */
export interface UndoableAction {
  readonly id: number;
  readonly message: string;
  readonly undo: () => Promise<void>;
}

export interface PaneModel {
  readonly ready: boolean;
  readonly mailbox: Mailbox | null;
  readonly reports: readonly ConversationReport[];
  readonly settings: Settings;
  readonly userState: UserState;
  readonly sync: SyncStatus;
  readonly lastSyncAt: Instant | null;
  readonly lastAction: UndoableAction | null;
  /** An error from saving (the previous state is kept); null when all is well. */
  readonly saveError: string | null;
  /** Where the user is (from the host): the engine's days and every date shown use them. */
  readonly timeZone: string;
  readonly locale: string;
  refresh(): void;
  snooze(report: ConversationReport, until: Instant, label: string): Promise<void>;
  unsnooze(report: ConversationReport): Promise<void>;
  closeFile(report: ConversationReport): Promise<void>;
  reopen(report: ConversationReport): Promise<void>;
  logAttempt(report: ConversationReport, kind: LoggedAttempt["kind"]): Promise<void>;
  /** Sets the "later" date of a deferred conversation, or clears it (null). */
  defer(report: ConversationReport, until: Instant | null, label: string): Promise<void>;
  /** Marks who introduced the user to the prospect. */
  markReferrer(report: ConversationReport, address: string): Promise<void>;
  excludeAddress(address: string): Promise<void>;
  excludeDomain(domain: string): Promise<void>;
  /** Saves settings; throws (SettingsError) and keeps the old ones on bad input. */
  saveSettings(settings: Settings, message?: string): Promise<void>;
  dismissAction(): void;
}

/** User Timing marks that bench:ui reads; nothing where the host lacks the API (e.g. jsdom). */
const timing = {
  now: (): number => (typeof performance !== "undefined" ? performance.now() : 0),
  mark(name: string): void {
    if (typeof performance !== "undefined" && typeof performance.mark === "function") performance.mark(name);
  },
  measure(name: string, start: number): void {
    if (typeof performance !== "undefined" && typeof performance.measure === "function") {
      performance.measure(name, { start, end: performance.now() });
    }
  },
};

/** The least time between two progress updates shown. */
const PROGRESS_EVERY_MS = 200;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withoutKey<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

/** Loads, syncs and classifies, and exposes the user's actions. */
export function usePaneModel(services: PaneServices): PaneModel {
  const [ready, setReady] = useState(false);
  const [mailbox, setMailbox] = useState<Mailbox | null>(null);
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [userState, setUserState] = useState<UserState>(EMPTY_USER_STATE);
  const [sync, setSync] = useState<SyncStatus>({ kind: "loading" });
  const [lastSyncAt, setLastSyncAt] = useState<Instant | null>(null);
  const [lastAction, setLastAction] = useState<UndoableAction | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [syncRun, setSyncRun] = useState(0);
  // The list as last judged, shown until the mailbox is read and judged again.
  const [judgedList, setJudgedList] = useState<JudgedList | null>(null);
  const actionIds = useRef(0);
  const loadFailed = useRef({ settings: false, userState: false });
  const userStateRef = useRef(userState);
  const settingsRef = useRef(settings);
  // Actions read the latest values without re-creating every callback.
  useLayoutEffect(() => {
    userStateRef.current = userState;
    settingsRef.current = settings;
  }, [userState, settings]);

  // First paint: settings, user state and the cached mailbox, all at once.
  useEffect(() => {
    let live = true;
    void (async () => {
      const unreadable: string[] = [];
      // The mailbox takes longest to read: the list as last judged paints before it, when there is one.
      const loadingMailbox = services.mailbox.loadCached().catch(() => null);
      const [loadedSettings, loadedState, last, kept] = await Promise.all([
        services.settings.load().catch((error: unknown) => {
          unreadable.push(`your settings (${describe(error)})`);
          return null;
        }),
        services.userState.load().catch((error: unknown) => {
          unreadable.push(`your snoozes and closed files (${describe(error)})`);
          return null;
        }),
        services.mailbox.lastSyncAt().catch(() => null),
        services.judgedList ? services.judgedList.load().then(asJudgedList, () => null) : null,
      ]);
      if (!live) return;
      if (kept) {
        setJudgedList(kept);
        setUserState(loadedState ?? EMPTY_USER_STATE);
        setSettings(loadedSettings ?? DEFAULT_SETTINGS);
        setLastSyncAt(last);
        setReady(true);
        timing.mark("rekindle:painted-from-judged");
      }
      const cached = await loadingMailbox;
      if (!live) return;
      timing.mark("rekindle:cache-loaded");
      // What could not be read is never overwritten: saving stays blocked until the pane is reopened.
      loadFailed.current = { settings: loadedSettings === null, userState: loadedState === null };
      if (unreadable.length) {
        setSaveError(
          `Could not read ${unreadable.join(" or ")}. Changes are not saved; reopen the pane to retry.`,
        );
      }
      setSettings(loadedSettings ?? DEFAULT_SETTINGS);
      setUserState(loadedState ?? EMPTY_USER_STATE);
      if (cached) setMailbox(cached);
      setLastSyncAt(last);
      setReady(true);
      setSync({ kind: "syncing", progress: null });
      setSyncRun((n) => n + 1);
    })();
    return () => {
      live = false;
    };
  }, [services]);

  // Each sync run; a problem with a retry time schedules the next run by itself.
  useEffect(() => {
    if (syncRun === 0) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A first sync reports after each of about a hundred pages: the bar moves at most five times a second, so the
    // pane does not re-render for every page while the sync works on the same thread.
    let shownAt = -Infinity;
    services.mailbox
      .sync((progress) => {
        const at = Date.now();
        if (!live || at - shownAt < PROGRESS_EVERY_MS) return;
        shownAt = at;
        setSync({ kind: "syncing", progress });
      })
      .then(async (fresh) => {
        const last = await services.mailbox.lastSyncAt().catch(() => null);
        if (!live) return;
        setMailbox(fresh);
        setLastSyncAt(last ?? services.now());
        setSync({ kind: "idle" });
      })
      .catch((error: unknown) => {
        if (!live) return;
        const problem =
          error instanceof SyncProblem ? error : new SyncProblem("error", describe(error), 60_000);
        const retryAt =
          problem.retryAfterMs === null ? null : ((services.now() + problem.retryAfterMs) as Instant);
        setSync({ kind: "problem", problem, retryAt });
        if (problem.retryAfterMs !== null) {
          timer = setTimeout(() => {
            setSync({ kind: "syncing", progress: null });
            setSyncRun((n) => n + 1);
          }, problem.retryAfterMs);
        }
      });
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [services, syncRun]);

  const where = useMemo(
    () => ({ timeZone: services.host.timeZone(), locale: services.host.locale() }),
    [services],
  );

  // After each judgement of every conversation, kept for the next open (when the main thread is idle).
  const keepJudgedList = useCallback(
    (kept: readonly ConversationReport[], underState: UserState) => {
      const store = services.judgedList;
      if (!store) return;
      const save = () => void store.save({ reports: kept, userState: underState }).catch(() => undefined);
      if (typeof requestIdleCallback === "function") requestIdleCallback(save, { timeout: 5000 });
      else setTimeout(save, 0);
    },
    [services],
  );
  // The clock is read once per mailbox and settings: a new "now" means judging every conversation again.
  const now = useMemo(() => services.now(), [services, mailbox, settings]); // eslint-disable-line react-hooks/exhaustive-deps
  const judged = useJudgedReports(mailbox, settings, userState, now, where, keepJudgedList);
  const shownBeforeMailbox = useMemo(
    () => (judgedList ? shownFromJudgedList(judgedList, userState) : []),
    [judgedList, userState],
  );
  const reports = mailbox ? judged : shownBeforeMailbox;

  const offerUndo = useCallback((message: string, undo: () => Promise<void>) => {
    actionIds.current += 1;
    setLastAction({ id: actionIds.current, message, undo });
  }, []);

  const putUserState = useCallback(
    async (next: UserState) => {
      if (loadFailed.current.userState)
        throw new Error("your saved snoozes and closed files could not be read");
      await services.userState.save(next);
      setUserState(next);
    },
    [services],
  );

  const changeUserState = useCallback(
    async (change: (state: UserState) => UserState, message: string) => {
      const before = userStateRef.current;
      try {
        await putUserState(change(before));
        setSaveError(null);
        offerUndo(message, async () => {
          await putUserState(before);
          setLastAction(null);
        });
      } catch (error) {
        setSaveError(`Could not save: ${describe(error)}. Nothing was changed.`);
      }
    },
    [putUserState, offerUndo],
  );

  const putSettings = useCallback(
    async (next: Settings) => {
      if (loadFailed.current.settings) throw new Error("your saved settings could not be read");
      await services.settings.save(next);
      setSettings(next);
    },
    [services],
  );

  const saveSettings = useCallback(
    async (next: Settings, message = "Settings saved.") => {
      const before = settingsRef.current;
      await putSettings(next); // throws SettingsError: the caller shows the problems
      setSaveError(null);
      offerUndo(message, async () => {
        await putSettings(before);
        setLastAction(null);
      });
    },
    [putSettings, offerUndo],
  );

  const excludeWith = useCallback(
    async (key: "excludedAddresses" | "excludedDomains", value: string, message: string) => {
      const current = settingsRef.current;
      if (current[key].includes(value)) return;
      try {
        await saveSettings({ ...current, [key]: [...current[key], value] }, message);
      } catch (error) {
        setSaveError(`Could not save: ${describe(error)}. Nothing was changed.`);
      }
    },
    [saveSettings],
  );

  const dismissAction = useCallback(() => setLastAction(null), []);

  const nameOf = (report: ConversationReport) =>
    singleLine(report.prospects[0]?.name || report.prospects[0]?.address || report.subject);

  return {
    ready,
    mailbox,
    reports,
    settings,
    userState,
    sync,
    lastSyncAt,
    lastAction,
    saveError,
    timeZone: where.timeZone,
    locale: where.locale,
    refresh: () => {
      setSync({ kind: "syncing", progress: null });
      setSyncRun((n) => n + 1);
    },
    snooze: (report, until, label) =>
      changeUserState(
        (s) => ({ ...s, snoozes: { ...s.snoozes, [report.conversationId]: until } }),
        `Snoozed ${nameOf(report)} ${label}.`,
      ),
    unsnooze: (report) =>
      changeUserState(
        (s) => ({ ...s, snoozes: withoutKey(s.snoozes, report.conversationId) }),
        `Woke up ${nameOf(report)}.`,
      ),
    closeFile: (report) =>
      changeUserState(
        (s) => ({ ...s, closed: { ...s.closed, [report.conversationId]: services.now() } }),
        `Closed the file on ${nameOf(report)}.`,
      ),
    reopen: (report) =>
      changeUserState(
        (s) => ({ ...s, closed: withoutKey(s.closed, report.conversationId) }),
        `Reopened the file on ${nameOf(report)}.`,
      ),
    logAttempt: (report, kind) => {
      const at = services.now();
      const attempt: LoggedAttempt = {
        id: `${kind}-${report.conversationId}-${at}`,
        conversationId: report.conversationId,
        at,
        kind,
      };
      return changeUserState(
        (s) => ({ ...s, loggedAttempts: [...s.loggedAttempts, attempt] }),
        `Logged a ${kind === "call" ? "call" : "voicemail"} with ${nameOf(report)}.`,
      );
    },
    defer: (report, until, label) =>
      changeUserState(
        (s) => ({ ...s, deferrals: { ...s.deferrals, [report.conversationId]: until } }),
        until === null
          ? `Cleared the later date for ${nameOf(report)}.`
          : `${nameOf(report)}: later ${label}.`,
      ),
    markReferrer: (report, address) =>
      changeUserState(
        (s) => ({ ...s, referrers: { ...s.referrers, [report.conversationId]: address } }),
        `${singleLine(address)} introduced you to ${nameOf(report)}.`,
      ),
    excludeAddress: (address) =>
      excludeWith("excludedAddresses", address, `${singleLine(address)} is no longer treated as a prospect.`),
    excludeDomain: (domain) =>
      excludeWith(
        "excludedDomains",
        domain,
        `Everyone at ${singleLine(domain)} is no longer treated as a prospect.`,
      ),
    saveSettings,
    dismissAction,
  };
}
