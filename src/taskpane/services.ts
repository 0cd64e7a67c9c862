// The boundary between the task pane's React UI and the adapters. The composition root (index.tsx) builds a
// PaneServices from real adapters (Graph, IndexedDB, Office.js, MSAL) or from demo ones; components only ever see
// this interface, so they never touch Office, Graph or storage directly.
import type { Instant, Mailbox } from "../core/message";
import type { Settings } from "../core/settings";
import type { UserState } from "../core/userState";
import type { MailHost } from "../office/mailHost";

/** Progress of a sync, for the progress bar. */
export interface SyncProgress {
  readonly phase: "first-sync" | "incremental";
  readonly synced: number;
  /** Expected total from the folders' totalItemCount; null while unknown. */
  readonly expected: number | null;
}

/** Why a sync could not finish; each has its own message and the pane retries by itself. */
export type SyncProblemKind = "offline" | "throttled" | "signed-out" | "not-configured" | "error";

export class SyncProblem extends Error {
  constructor(
    readonly kind: SyncProblemKind,
    message: string,
    /** When to retry, in ms; null when only the user can fix it (e.g. configuration). */
    readonly retryAfterMs: number | null,
  ) {
    super(message);
    this.name = "SyncProblem";
  }
}

/** The user's mail, cached locally and kept fresh through Graph. */
export interface MailboxSource {
  /** The cached mailbox, at once, or null on the very first open. */
  loadCached(): Promise<Mailbox | null>;
  /** Syncs (first or incremental) and returns the fresh mailbox; throws SyncProblem. */
  sync(onProgress: (progress: SyncProgress) => void): Promise<Mailbox>;
  /** When the last sync finished, or null if never. */
  lastSyncAt(): Promise<Instant | null>;
}

/** Snoozes, closed files and logged calls: persisted, never lost. */
export interface UserStateStore {
  load(): Promise<UserState>;
  save(state: UserState): Promise<void>;
}

/** Settings (thresholds, exclusions, templates), kept in roamingSettings with a local copy. */
export interface SettingsStore {
  load(): Promise<Settings>;
  /** Validates (parseSettings) before saving; throws SettingsError and keeps the old settings on bad input. */
  save(settings: Settings): Promise<void>;
}

// The host boundary lives beside its Office.js implementation (adapters may not import the pane).
export type { HostTheme, InsertOutcome, MailHost, OpenItem } from "../office/mailHost";

/** The last judged list (the pane's own store of it), so the next open paints it before the mailbox is read. */
export interface JudgedListStore {
  /** What was saved, unchecked (the pane checks it), or null. */
  load(): Promise<unknown>;
  save(list: { readonly reports: readonly unknown[]; readonly userState: UserState }): Promise<void>;
}

/** Everything the pane needs, wired by the composition root. */
export interface PaneServices {
  readonly mailbox: MailboxSource;
  readonly userState: UserStateStore;
  readonly settings: SettingsStore;
  readonly host: MailHost;
  readonly now: () => Instant;
  /** "demo" when running in a plain browser against the emulator. */
  readonly mode: "outlook" | "demo";
  /** Where the last judged list is kept; without it the pane paints once the mailbox is judged. */
  readonly judgedList?: JudgedListStore;
}
