// The boundary between the task pane's React UI and the adapters. The composition root (index.tsx) builds a
// PaneServices from real adapters (Graph, IndexedDB, Office.js, MSAL) or from demo ones; components only ever see
// this interface, so they never touch Office, Graph or storage directly.
import type { DraftOutcome, PlannedDraft } from "../core/cleanUp";
import type { Instant, MailMessage, Mailbox } from "../core/message";
import type { Settings } from "../core/settings";
import type { UserState } from "../core/userState";
import type { StateEntry } from "../core/userStateEntries";
import type { MailHost } from "../office/mailHost";
import type { Judging } from "./state/judging";

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

/**
 * Snoozes, closed files, logged calls, exclusions, referrers and "later" dates, one entry each: persisted, never
 * lost. Each action writes only its own entry, so a pane that is behind can never undo another pane's change.
 */
export interface UserStateStore {
  /** Every stored entry, tombstones included. */
  load(): Promise<readonly StateEntry[]>;
  /** Stores one entry (a read-modify-write of its key alone) and returns the entry as stored. */
  put(entry: StateEntry): Promise<StateEntry>;
  /** Calls `listener` with entries another pane stored; returns the unsubscribe. */
  subscribe(listener: (entries: readonly StateEntry[]) => void): () => void;
}

/** Where decisions are kept beyond this device: "on" in the mailbox too; "local-only" after Mail.ReadWrite was refused. */
export interface RoamingStatusView {
  readonly mode: "on" | "local-only" | "off";
  /** Decisions not in the mailbox yet (made offline, say). */
  readonly pending: number;
  /** Copies in the mailbox that could not be read (left as they are). */
  readonly problems: readonly string[];
}

/** Decisions kept in the mailbox as well, so they follow the user to another device (src/graph/roamingState.ts). */
export interface RoamingService {
  status(): RoamingStatusView;
  subscribe(listener: (status: RoamingStatusView) => void): () => void;
  /** Turns roaming on again after a refusal: asks for Mail.ReadWrite once more and pushes what is pending. */
  enable(): Promise<void>;
}

/** Settings (thresholds, exclusions, templates), kept in roamingSettings with a local copy. */
export interface SettingsStore {
  load(): Promise<Settings>;
  /** Validates (parseSettings) before saving; throws SettingsError and keeps the old settings on bad input. */
  save(settings: Settings): Promise<void>;
}

/** Where a batch of drafts is, for the progress bar: conversations settled of the total. */
export interface DraftBatchProgress {
  readonly done: number;
  readonly total: number;
}

/**
 * The pending-file clean-up: one reply-all draft per conversation, through Graph, saved in Drafts and never sent;
 * each is checked for a newer answer first, and one made earlier is reused. Asks for Mail.ReadWrite at this moment.
 * Each draft made or reused is recorded in the user state as "sent" (path graph-draft).
 */
export interface CleanUpService {
  createDrafts(
    drafts: readonly PlannedDraft[],
    onProgress: (progress: DraftBatchProgress) => void,
    /** For the words of a refusal ("Jane answered on 3 Nov"): the user's locale and time zone. */
    where?: { readonly locale: string; readonly timeZone: string },
  ): Promise<DraftOutcome[]>;
}

/** A mail folder the user can pick for Rekindle to read too. */
export interface MailFolderChoice {
  /** Graph's id, as the extraFolders setting holds it. */
  readonly id: string;
  readonly name: string;
  /** From the top of the mailbox, e.g. "Inbox / Projects". */
  readonly path: string;
}

/** A human answer the last-moment check found, wherever it is filed. */
export interface AnswerElsewhere {
  readonly message: MailMessage;
  /** The folder it is in, e.g. "Projects" or "Archive". */
  readonly folderName: string;
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
  /** The user's folders Rekindle could also read (Deleted Items left out); absent where there is no Graph. */
  readonly mailFolders?: () => Promise<readonly MailFolderChoice[]>;
  /**
   * The last-moment check before Insert: the newest human answer in the conversation after `after`, anywhere in the
   * mailbox (an Inbox rule's folder, the archive), or null. Absent where there is no Graph.
   */
  readonly lastMomentCheck?: (conversationId: string, after: Instant) => Promise<AnswerElsewhere | null>;
  /** "demo" when running in a plain browser against the emulator. */
  readonly mode: "outlook" | "demo";
  /** The batch clean-up; absent where drafts cannot be made through Graph. */
  readonly cleanUp?: CleanUpService;
  /** Where the last judged list is kept; without it the pane paints once the mailbox is judged. */
  readonly judgedList?: JudgedListStore;
  /** Decisions kept in the mailbox too; absent where there is no Graph. */
  readonly roaming?: RoamingService;
  /** The engine off the main thread (a Web Worker); without it the pane judges on its own thread. */
  readonly judging?: Judging;
}
