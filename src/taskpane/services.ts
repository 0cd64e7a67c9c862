// The boundary between the task pane's React UI and the adapters. The composition root (index.tsx) builds a
// PaneServices from real adapters (Graph, IndexedDB, Office.js, MSAL) or from demo ones; components only ever see
// this interface, so they never touch Office, Graph or storage directly.
import type { Instant, Mailbox } from "../core/message";
import type { Settings } from "../core/settings";
import type { UserState } from "../core/userState";

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

/** What is open in Outlook right now. */
export type OpenItem =
  | { readonly mode: "read"; readonly itemId: string; readonly conversationId: string }
  | { readonly mode: "compose"; readonly conversationId: string | null }
  | null;

/** Outlook's theme, from Office.context.officeTheme. */
export interface HostTheme {
  readonly isDark: boolean;
  readonly bodyBackgroundColor?: string;
  readonly bodyForegroundColor?: string;
}

/** The outcome of putting a message into a reply, told to the user. */
export type InsertOutcome =
  | { readonly kind: "reply-form-opened" }
  | { readonly kind: "inserted-at-cursor" }
  | {
      readonly kind: "draft-created";
      readonly draftId: string;
      readonly opened: boolean;
      readonly where: string;
    }
  | {
      readonly kind: "demo";
      readonly to: readonly string[];
      readonly subject: string;
      readonly html: string;
    };

/** The Outlook host; the only place Office.js is touched (src/office), or a fake in tests and demo mode. */
export interface MailHost {
  openItem(): OpenItem;
  theme(): HostTheme;
  onThemeChanged(listener: (theme: HostTheme) => void): () => void;
  /** Places html into a reply for the conversation, never overwriting the user's text, never sending. */
  insertReply(request: {
    readonly conversationId: string;
    readonly replyToMessageId: string;
    readonly html: string;
  }): Promise<InsertOutcome>;
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
}
