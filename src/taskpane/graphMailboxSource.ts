// MailboxSource on the sync engine (src/graph) and the local cache (src/store): the cache paints at once, sync
// refreshes it, and every failure becomes a SyncProblem the pane can explain and retry.
import type { Instant, Mailbox } from "../core/message";
import { AuthNotConfiguredError, SignInRequiredError } from "../auth/tokenProvider";
import { GraphSyncError } from "../graph/graphErrors";
import { applyChangeSet, isEmptyChangeSet, type MailChangeSet } from "../graph/mailChanges";
import type { StateEntry } from "../core/userStateEntries";
import type { CacheStore } from "../store/cacheStore";
import { SyncProblem, type MailboxSource, type SyncProgress, type UserStateStore } from "./services";
import type { StateChannel } from "./stateChannel";

/** A sync run elsewhere (the worker) into the same store: its change set, and whom to tell what became of it. */
export interface SyncedElsewhere {
  /** Null when the change set cannot be told: the cache is then read. */
  readonly changes: MailChangeSet | null;
  /** Messages in the store after the sync (so the store need not be read to count them). */
  readonly cached: number;
  /** Told which mailbox was built from the change set, from which (after: null when the cache was read instead). */
  settle(before: Mailbox | null, after: Mailbox | null): void;
}

/**
 * Runs one sync (first or incremental) into the store, reporting progress; resolves to what it changed in the
 * cache (the sync engine's change set, or a sync's in the worker), or to nothing when that is not known (then the
 * cache is read again).
 */
export type RunSync = (
  onProgress: (progress: SyncProgress) => void,
) => Promise<MailChangeSet | SyncedElsewhere | void>;

const OFFLINE_RETRY_MS = 30_000;
const THROTTLED_RETRY_MS = 60_000;
const SIGNED_OUT_RETRY_MS = 60_000;
const ERROR_RETRY_MS = 120_000;

/** Maps whatever a sync threw to the problem the pane shows. */
export function toSyncProblem(error: unknown): SyncProblem {
  if (error instanceof SyncProblem) return error;
  if (error instanceof AuthNotConfiguredError) return new SyncProblem("not-configured", error.message, null);
  if (error instanceof SignInRequiredError)
    return new SyncProblem("signed-out", error.message, SIGNED_OUT_RETRY_MS);
  if (error instanceof GraphSyncError) {
    switch (error.kind) {
      case "offline":
        return new SyncProblem(
          "offline",
          "You seem to be offline; Rekindle will try again.",
          OFFLINE_RETRY_MS,
        );
      case "throttled":
        return new SyncProblem(
          "throttled",
          "Microsoft Graph asked Rekindle to slow down; it will continue shortly.",
          error.retryAfterMs ?? THROTTLED_RETRY_MS,
        );
      case "unauthorized":
        return new SyncProblem(
          "signed-out",
          "Your sign-in has expired; Rekindle will sign you in again.",
          SIGNED_OUT_RETRY_MS,
        );
      default:
        return new SyncProblem("error", error.message, ERROR_RETRY_MS);
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError && /fetch|network/i.test(message)) {
    return new SyncProblem("offline", "You seem to be offline; Rekindle will try again.", OFFLINE_RETRY_MS);
  }
  return new SyncProblem("error", message, ERROR_RETRY_MS);
}

export class GraphMailboxSource implements MailboxSource {
  private latest: Mailbox | null = null;
  /** True once the cache was read and held nothing at all: a first sync's change set is then the whole mailbox. */
  private cacheWasEmpty = false;

  constructor(
    private readonly store: CacheStore,
    private readonly runSync: RunSync,
    /** Gets a token before syncing, so sign-in and configuration problems surface as themselves. */
    private readonly signIn: () => Promise<unknown> = () => Promise.resolve(),
    /** Called once a sync's mailbox is in place (roaming then merges and pushes; nothing waits for it). */
    private readonly afterSync: () => void = () => undefined,
  ) {}

  /** The mailbox last loaded or synced (for the demo host's reply preview). */
  current(): Mailbox | null {
    return this.latest;
  }

  async loadCached(): Promise<Mailbox | null> {
    const [me, messages] = await Promise.all([this.store.loadMe(), this.store.loadMessages()]);
    this.cacheWasEmpty = !me && messages.length === 0;
    if (!me) return null;
    this.latest = { me, messages };
    return this.latest;
  }

  async sync(onProgress: (progress: SyncProgress) => void): Promise<Mailbox> {
    const mailbox = await this.syncOnce(onProgress);
    this.afterSync();
    return mailbox;
  }

  private async syncOnce(onProgress: (progress: SyncProgress) => void): Promise<Mailbox> {
    let outcome: MailChangeSet | SyncedElsewhere | void;
    try {
      await this.signIn();
      outcome = await this.runSync(onProgress);
    } catch (error) {
      throw toSyncProblem(error);
    }
    const elsewhere = outcome && "settle" in outcome ? outcome : null;
    const changes: MailChangeSet | undefined = elsewhere
      ? (elsewhere.changes ?? undefined)
      : (outcome as MailChangeSet | void) || undefined;
    const held = this.latest;
    if (changes && held) {
      // The sync's change set applied to the mailbox in memory: the cache is not read again, and a sync that
      // changed nothing gives the very same mailbox (so nothing is judged again).
      const me = (await this.store.loadMe()) ?? held.me;
      if (isEmptyChangeSet(changes) && JSON.stringify(me) === JSON.stringify(held.me)) {
        elsewhere?.settle(held, held);
        return held;
      }
      this.latest = {
        me,
        messages: isEmptyChangeSet(changes) ? held.messages : applyChangeSet(held.messages, changes),
      };
      elsewhere?.settle(held, this.latest);
      return this.latest;
    }
    const me = changes && !held && this.cacheWasEmpty ? await this.store.loadMe() : null;
    if (
      changes &&
      me &&
      changes.removed.length === 0 &&
      (elsewhere ? elsewhere.cached : await this.store.countMessages()) ===
        changes.added.length + changes.changed.length
    ) {
      // A first sync into an empty cache: what it added is the mailbox, so the 100,000 messages it just stored are
      // not read back from IndexedDB. (Unless another pane on the same cache stored mail meanwhile: then the count
      // differs and the cache is read.)
      this.cacheWasEmpty = false;
      this.latest = { me, messages: applyChangeSet([], changes) };
      elsewhere?.settle(null, this.latest);
      return this.latest;
    }
    elsewhere?.settle(held, null);
    const mailbox = await this.loadCached();
    if (!mailbox)
      throw new SyncProblem("error", "The sync finished but the local cache has no mailbox.", ERROR_RETRY_MS);
    return mailbox;
  }

  lastSyncAt(): Promise<Instant | null> {
    return this.store.lastSyncAt();
  }
}

/** The pane's UserStateStore, which can also tell the pane (and the other panes) of entries from elsewhere. */
export interface PaneUserStateStore extends UserStateStore {
  /** Entries that reached the local store from elsewhere (the mailbox): told to every pane, this one too. */
  announce(entries: readonly StateEntry[]): void;
}

/**
 * UserStateStore on the same cache (IndexedDB in the pane): user state survives any resync. Each entry stored is
 * announced on `channel`, and what other panes announce is passed on to the subscriber. `afterPut` hears each
 * stored entry after the local write (roaming writes it to the mailbox then; the UI never waits for it).
 */
export function userStateStoreOn(
  store: CacheStore,
  channel?: StateChannel,
  afterPut: (entry: StateEntry) => void = () => undefined,
): PaneUserStateStore {
  // This pane's own listeners hear each stored entry too (a channel never echoes to its sender): the clean-up's
  // "sent" records, put outside the view-model, then reach the Results view at once. Merging is idempotent, so the
  // view-model hearing its own entries again changes nothing.
  const local = new Set<(entries: readonly StateEntry[]) => void>();
  const announce = (entries: readonly StateEntry[]): void => {
    if (entries.length === 0) return;
    channel?.post(entries);
    for (const listener of local) listener(entries);
  };
  return {
    load: () => store.loadStateEntries(),
    put: async (entry) => {
      const stored = await store.putStateEntry(entry);
      announce([stored]);
      afterPut(stored);
      return stored;
    },
    announce,
    subscribe: (listener) => {
      local.add(listener);
      const off = channel?.subscribe(listener);
      return () => {
        local.delete(listener);
        off?.();
      };
    },
  };
}
