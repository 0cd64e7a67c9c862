// The pane's view-model: loads the cache, settings and user state, syncs (retrying by itself after a problem),
// classifies the mailbox with the engine, and applies the user's actions with an undo for each. Each action on user
// state writes only its own entry (and its undo only that entry again), and entries other panes store arrive here
// and merge, so two panes never undo each other's snoozes.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { ConversationReport } from "../../core/awaitingReply";
import { normaliseAddress } from "../../core/addresses";
import type { Instant, MailMessage, Mailbox } from "../../core/message";
import { readableName } from "../../core/names";
import { singleLine } from "../../core/plainText";
import { DEFAULT_SETTINGS, type Settings } from "../../core/settings";
import type { SentPath } from "../../core/attribution";
import type { Technique } from "../../core/technique";
import type { LoggedAttempt, UserState } from "../../core/userState";
import {
  entryFor,
  entryKey,
  mergeEntries,
  resolveEntries,
  sentRecordsOf,
  undoOf,
  withEntry,
  type SentRecord,
  type StateEntry,
} from "../../core/userStateEntries";
import { SyncProblem, type PaneServices, type SyncProgress } from "../services";
import { exclusionsSelector, withExclusions } from "./engineSettings";
import { asJudgedList, shownFromJudgedList, useJudgedReports } from "./judgedReports";
import type { JudgedList } from "./reportLists";

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
  /** The messages Rekindle created or inserted, oldest first (what the Results view measures). */
  readonly sentRecords: readonly SentRecord[];
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
  /**
   * Adds an answer the last-moment check found (filed in a folder the sync does not read) to the mailbox in view,
   * so its conversation shows as replied.
   */
  noteAnswer(message: MailMessage): void;
  /** Saves settings; throws (SettingsError) and keeps the old ones on bad input. */
  saveSettings(settings: Settings, message?: string): Promise<void>;
  dismissAction(): void;
  /** Every stored user-state entry (for the export, and for an import's preview); [] where the store keeps none. */
  loadEntries(): Promise<StateEntry[]>;
  /** Stores imported entries (each one that wins its key), then reads the user state again. Throws on failure. */
  importEntries(entries: readonly StateEntry[]): Promise<void>;
  /** Records a message Rekindle just created or inserted (`id`: the draft's id, when there is one). */
  recordSent(
    report: ConversationReport,
    sent: { technique: Technique; edited: boolean; path: SentPath; id?: string },
  ): Promise<void>;
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

/** Resolves once the next frame is painted (or after 100 ms where no frame comes, as in a hidden pane). */
function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 100);
    if (typeof requestAnimationFrame !== "function") return;
    requestAnimationFrame(() => {
      clearTimeout(fallback);
      setTimeout(resolve, 0);
    });
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const NO_ENTRIES: readonly StateEntry[] = [];

/** True when `entries` holds `entry` exactly (the same key, time and decision). */
function knows(entries: readonly StateEntry[], entry: StateEntry): boolean {
  const known = entryFor(entries, entryKey(entry));
  return known !== undefined && known.at === entry.at && JSON.stringify(known) === JSON.stringify(entry);
}

/** Loads, syncs and classifies, and exposes the user's actions. */
export function usePaneModel(services: PaneServices): PaneModel {
  const [ready, setReady] = useState(false);
  const [mailbox, setMailbox] = useState<Mailbox | null>(null);
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [entries, setEntries] = useState<readonly StateEntry[]>(NO_ENTRIES);
  const [sync, setSync] = useState<SyncStatus>({ kind: "loading" });
  const [lastSyncAt, setLastSyncAt] = useState<Instant | null>(null);
  const [lastAction, setLastAction] = useState<UndoableAction | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [syncRun, setSyncRun] = useState(0);
  // The list as last judged, shown until the mailbox is read and judged again.
  const [judgedList, setJudgedList] = useState<JudgedList | null>(null);
  const actionIds = useRef(0);
  const loadFailed = useRef({ settings: false, userState: false });
  const entriesRef = useRef(entries);
  const settingsRef = useRef(settings);
  // Actions read the latest values without re-creating every callback.
  useLayoutEffect(() => {
    entriesRef.current = entries;
    settingsRef.current = settings;
  }, [entries, settings]);

  // What the entries mean: the engine's user state, and the people and domains marked not a prospect.
  const resolved = useMemo(() => resolveEntries(entries), [entries]);
  const userState: UserState = resolved.userState;
  const sentRecords = useMemo(() => sentRecordsOf(entries), [entries]);
  // Settings with the "not a prospect" entries added. The selector keeps the exclusions the same object while their
  // content is, so a snooze (a new resolved state) keeps the same settings and re-judges only its own conversation.
  const [selectExclusions] = useState(exclusionsSelector);
  const exclusions = useMemo(() => selectExclusions(resolved), [selectExclusions, resolved]);
  const engineSettings = useMemo(() => withExclusions(settings, exclusions), [settings, exclusions]);

  // Another pane's entries (a pinned pane and a second window): merged entry by entry, the newer winning.
  useEffect(
    () =>
      services.userState.subscribe((incoming) =>
        // Entries already known as they are (this pane's own, heard again) leave the state as it is.
        setEntries((known) =>
          incoming.every((e) => knows(known, e)) ? known : mergeEntries(known, incoming),
        ),
      ),
    [services],
  );

  // First paint: settings, user state and the cached mailbox, all at once.
  useEffect(() => {
    let live = true;
    void (async () => {
      const unreadable: string[] = [];
      // The mailbox takes longest to read: the list as last judged paints before it, when there is one (reading
      // the mailbox then waits for that paint, so copying its pages out of IndexedDB does not hold the paint back).
      const readMailbox = () => services.mailbox.loadCached().catch(() => null);
      const early = services.judgedList ? null : readMailbox();
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
        if (loadedState) setEntries((known) => mergeEntries(known, loadedState));
        setSettings(loadedSettings ?? DEFAULT_SETTINGS);
        setLastSyncAt(last);
        setReady(true);
        timing.mark("rekindle:painted-from-judged");
        await afterNextPaint();
        if (!live) return;
      }
      const cached = await (early ?? readMailbox());
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
      if (loadedState) setEntries((known) => mergeEntries(known, loadedState));
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
        timing.mark("rekindle:synced");
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
  const now = useMemo(() => services.now(), [services, mailbox, engineSettings]); // eslint-disable-line react-hooks/exhaustive-deps
  const judged = useJudgedReports(
    mailbox,
    engineSettings,
    userState,
    now,
    where,
    keepJudgedList,
    services.judging,
  );
  const shownBeforeJudged = useMemo(
    () => (judgedList ? shownFromJudgedList(judgedList, userState) : []),
    [judgedList, userState],
  );
  // Until the mailbox is first judged (read from the cache, or judged in the worker): the list as last judged.
  const reports = judged ?? shownBeforeJudged;

  const offerUndo = useCallback((message: string, undo: () => Promise<void>) => {
    actionIds.current += 1;
    setLastAction({ id: actionIds.current, message, undo });
  }, []);

  // One entry, read-modify-written alone by the store; the model then holds what was stored.
  const putEntry = useCallback(
    async (entry: StateEntry) => {
      if (loadFailed.current.userState)
        throw new Error("your saved snoozes and closed files could not be read");
      const stored = await services.userState.put(entry);
      setEntries((known) => withEntry(known, stored));
    },
    [services],
  );

  const changeEntry = useCallback(
    async (entry: StateEntry, message: string) => {
      const previous = entryFor(entriesRef.current, entryKey(entry));
      try {
        await putEntry(entry);
        setSaveError(null);
        offerUndo(message, async () => {
          // the undo writes this entry's key again (what it said before, or a tombstone), nothing else
          await putEntry(undoOf(entry, previous, services.now()));
          setLastAction(null);
        });
      } catch (error) {
        setSaveError(`Could not save: ${describe(error)}. Nothing was changed.`);
      }
    },
    [putEntry, offerUndo, services],
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

  const exclude = useCallback(
    async (id: string, already: boolean, message: string) => {
      const marked = entryFor(entriesRef.current, entryKey({ kind: "not-a-prospect", id }));
      if (already || (marked?.kind === "not-a-prospect" && marked.excluded)) return;
      await changeEntry({ kind: "not-a-prospect", id, at: services.now(), excluded: true }, message);
    },
    [changeEntry, services],
  );

  const dismissAction = useCallback(() => setLastAction(null), []);

  const nameOf = (report: ConversationReport) =>
    singleLine(
      readableName(report.prospects[0]?.name ?? "") || report.prospects[0]?.address || report.subject,
    );

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
      changeEntry(
        { kind: "snooze", id: report.conversationId, at: services.now(), until },
        `Snoozed ${nameOf(report)} ${label}.`,
      ),
    unsnooze: (report) =>
      changeEntry(
        { kind: "snooze", id: report.conversationId, at: services.now(), until: null },
        `Woke up ${nameOf(report)}.`,
      ),
    closeFile: (report) =>
      changeEntry(
        { kind: "closed", id: report.conversationId, at: services.now(), closed: true },
        `Closed the file on ${nameOf(report)}.`,
      ),
    reopen: (report) =>
      changeEntry(
        { kind: "closed", id: report.conversationId, at: services.now(), closed: false },
        `Reopened the file on ${nameOf(report)}.`,
      ),
    logAttempt: (report, kind) => {
      const at = services.now();
      return changeEntry(
        {
          kind: "call",
          id: `${kind}-${report.conversationId}-${at}`,
          at,
          conversationId: report.conversationId,
          calledAt: at,
          voicemail: kind === "voicemail",
          note: "",
          deleted: false,
        },
        `Logged a ${kind === "call" ? "call" : "voicemail"} with ${nameOf(report)}.`,
      );
    },
    defer: (report, until, label) =>
      changeEntry(
        { kind: "deferral", id: report.conversationId, at: services.now(), until: until ?? "none" },
        until === null
          ? `Cleared the later date for ${nameOf(report)}.`
          : `${nameOf(report)}: later ${label}.`,
      ),
    markReferrer: (report, address) =>
      changeEntry(
        {
          kind: "referrer",
          id: report.conversationId,
          at: services.now(),
          address: normaliseAddress(address),
        },
        `${singleLine(address)} introduced you to ${nameOf(report)}.`,
      ),
    excludeAddress: (address) => {
      const id = normaliseAddress(address);
      return exclude(
        id,
        settings.excludedAddresses.includes(id),
        `${singleLine(address)} is no longer treated as a prospect.`,
      );
    },
    excludeDomain: (domain) => {
      const bare = domain.trim().toLowerCase().replace(/^@/, "");
      return exclude(
        `@${bare}`,
        settings.excludedDomains.includes(bare),
        `Everyone at ${singleLine(domain)} is no longer treated as a prospect.`,
      );
    },
    noteAnswer: (message) =>
      setMailbox((known) =>
        known && !known.messages.some((m) => m.id === message.id)
          ? { ...known, messages: [...known.messages, message] }
          : known,
      ),
    saveSettings,
    dismissAction,
    sentRecords,
    loadEntries: async () => [...(await services.userState.load())],
    importEntries: async (incoming) => {
      if (loadFailed.current.userState)
        throw new Error("your saved snoozes and closed files could not be read");
      // Entry by entry, each a read-modify-write of its own key: an import never undoes a newer decision.
      for (const entry of incoming) await putEntry(entry);
      setSaveError(null);
    },
    recordSent: async (report, sent) => {
      const at = services.now();
      try {
        await putEntry({
          kind: "sent",
          id: sent.id ?? `${sent.path}:${report.conversationId}:${at}`,
          at,
          conversationId: report.conversationId,
          technique: sent.technique,
          edited: sent.edited,
          path: sent.path,
        });
      } catch (error) {
        setSaveError(`Could not note the message for Results: ${describe(error)}.`);
      }
    },
  };
}
