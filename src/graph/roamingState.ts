// Roaming user state: the local store (IndexedDB in the pane, the state file in the CLI) stays the one the UI
// reads and writes at once; the mailbox (mailboxState.ts) is the copy that follows the user. After each sync, what
// the sync brought from the mailbox is merged into the local store entry by entry (the newer wins; nothing local is
// lost), and every local entry the mailbox does not have yet is pushed up. A ledger of what the mailbox is known to
// hold (key → the `at` it holds) tells what is still pending, so a decision made offline, or before roaming was
// turned on, roams at the next chance. Writing needs Mail.ReadWrite, asked for at the first write; if the user
// refuses it, decisions stay on this device and the status says so until roaming is turned on again.
import { entryKey, mergeEntries, type StateEntry } from "../core/userStateEntries";
import type { GraphConnection } from "./graphClient";
import { GraphSyncError } from "./graphErrors";
import {
  addToStateHome,
  conversationOfEntry,
  DamagedStateError,
  MAILBOX_HOME_FOLDER,
  type MailboxStateRecord,
  readStateHome,
  type StateHome,
} from "./mailboxState";

/** The local copy as roaming sees it. */
export interface RoamingLocal {
  load(): Promise<readonly StateEntry[]>;
  /** Merges entries from the mailbox (newer wins, nothing bumped); returns those that changed the local copy. */
  merge(entries: readonly StateEntry[]): Promise<StateEntry[]>;
  /** What the mailbox is known to hold: entry key → the `at` it holds. */
  loadLedger(): Promise<Record<string, number>>;
  saveLedger(ledger: Readonly<Record<string, number>>): Promise<void>;
  /** Whether the user refused Mail.ReadWrite (kept across restarts, so the pane does not ask at every open). */
  loadRefused?(): Promise<boolean>;
  saveRefused?(refused: boolean): Promise<void>;
}

/**
 * "on": decisions are written to the mailbox; "local-only": Mail.ReadWrite was refused, decisions stay on this
 * device; "off": the user turned roaming off in the settings.
 */
export type RoamingMode = "on" | "local-only" | "off";

export interface RoamingStatus {
  readonly mode: RoamingMode;
  /** Local entries the mailbox does not hold yet. */
  readonly pending: number;
  /** Values in the mailbox that could not be read (reported, never overwritten). */
  readonly problems: readonly string[];
  /** Why the last push did not finish (offline, say), or null. */
  readonly lastError: string | null;
}

export interface RoamingOptions {
  /** Reads the mailbox's own value after a sync (Mail.Read). */
  readonly read: GraphConnection;
  /** Writes (Mail.ReadWrite): every request of a push goes through it. */
  readonly write: GraphConnection;
  readonly local: RoamingLocal;
  /** My newest message in a conversation (my latest attempt), by the cache, or null when there is none. */
  readonly targetFor: (conversationId: string) => string | null;
  /** The wall clock (ms), for how long the mailbox's own value keeps recent decisions. */
  readonly now: () => number;
  /**
   * Asks for Mail.ReadWrite (incremental consent); rejects when the user refuses. With `interactive` false (a push
   * after a sync, no user action behind it), only a token already allowed may be had: nothing is shown.
   */
  readonly askWrite: (interactive: boolean) => Promise<void>;
  /** Whether a failure of askWrite is the user's refusal (default: any failure is). Others are retried later. */
  readonly isRefusal?: (error: unknown) => boolean;
  /** Whether roaming is on in the settings (default: always). */
  readonly enabled?: () => Promise<boolean>;
  /** Homes written per push at most (a first push of years of entries is spread over syncs). Default 50. */
  readonly maxHomesPerPush?: number;
}

/** What absorbing a sync's records did. */
export interface AbsorbResult {
  /** Entries that changed the local copy (another device's decisions). */
  readonly changed: readonly StateEntry[];
  /** Damaged values found. */
  readonly problems: readonly string[];
}

/** What a push did. */
export interface PushResult {
  readonly pushed: number;
  readonly pending: number;
  readonly requests: number;
}

const ROOT = "root";
const homeKey = (home: StateHome): string => ("messageId" in home ? `m:${home.messageId}` : ROOT);
/** How long the mailbox's own value keeps a conversation's decision (well over the weekly listing). */
export const JOURNAL_MS = 30 * 24 * 3600_000;

export class RoamingState {
  private mode: RoamingMode | "unasked" = "unasked";
  private problems = new Map<string, string>();
  private lastError: string | null = null;
  private pendingCount = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(status: RoamingStatus) => void>();

  constructor(private readonly options: RoamingOptions) {}

  status(): RoamingStatus {
    return {
      mode: this.mode === "unasked" ? "on" : this.mode,
      pending: this.pendingCount,
      problems: [...this.problems.values()],
      lastError: this.lastError,
    };
  }

  subscribe(listener: (status: RoamingStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }

  private refusalRead = false;

  /** A refusal remembered from an earlier session makes this one local-only until roaming is turned on again. */
  private async recallRefusal(): Promise<void> {
    if (this.refusalRead) return;
    this.refusalRead = true;
    if (this.mode === "unasked" && (await this.options.local.loadRefused?.())) this.mode = "local-only";
  }

  /** One at a time: a push and an absorb never interleave their ledger writes. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private homeOf(entry: StateEntry): StateHome {
    const conversation = conversationOfEntry(entry);
    const messageId = conversation === null ? null : this.options.targetFor(conversation);
    return messageId ? { messageId } : { folder: MAILBOX_HOME_FOLDER };
  }

  /**
   * Merges what a sync brought (the state on the messages it listed or that changed) and the mailbox's own value
   * (one request) into the local copy. A damaged value is reported, and what could be read of it is still merged.
   */
  absorb(records: readonly MailboxStateRecord[], readHome = true): Promise<AbsorbResult> {
    return this.serial(async () => {
      await this.recallRefusal();
      const all: { home: StateHome; entries: readonly StateEntry[]; problem: string | null }[] = records.map(
        (r) => ({ home: { messageId: r.messageId }, entries: r.entries, problem: r.problem }),
      );
      if (readHome) {
        const home: StateHome = { folder: MAILBOX_HOME_FOLDER };
        const value = await readStateHome(this.options.read, home);
        all.push({ home, ...value });
      }
      const found: string[] = [];
      for (const r of all) {
        const key = homeKey(r.home);
        if (r.problem === null) this.problems.delete(key);
        else {
          const where = "messageId" in r.home ? "on a message" : "of the mailbox";
          const text = `The Rekindle state ${where} could not be read (${r.problem}); it was left as it is.`;
          this.problems.set(key, text);
          found.push(text);
        }
      }
      const changed = await this.options.local.merge(all.flatMap((r) => r.entries));
      const ledger = { ...(await this.options.local.loadLedger()) };
      for (const r of all)
        for (const e of r.entries) {
          const k = entryKey(e);
          if ((ledger[k] ?? -1) < e.at) ledger[k] = e.at;
        }
      // A value that is the current home of its entries must hold all of them: one that lost an entry to a write
      // racing ours (Graph has no If-Match for messages) makes that entry pending again.
      const local = await this.options.local.load();
      // So does a tie: another device's decision at the very instant of ours, which ours won (mergeEntries' order)
      // while the mailbox holds theirs. The ledger keeps only instants, so it would count ours as there already,
      // and the two devices would never agree.
      const read = new Map(
        mergeEntries(all.filter((r) => r.problem === null).flatMap((r) => r.entries)).map((e) => [
          entryKey(e),
          e,
        ]),
      );
      for (const e of local) {
        const k = entryKey(e);
        const theirs = read.get(k);
        if (
          theirs &&
          theirs.at === e.at &&
          ledger[k] === e.at &&
          JSON.stringify(theirs) !== JSON.stringify(e)
        )
          delete ledger[k];
      }
      const byHome = new Map<string, StateEntry[]>();
      for (const e of local) {
        const key = homeKey(this.homeOf(e));
        const list = byHome.get(key);
        if (list) list.push(e);
        else byHome.set(key, [e]);
      }
      // Only the last value of each home counts (a sync may see one message twice, as it changed meanwhile).
      const latest = new Map(all.map((r) => [homeKey(r.home), r]));
      for (const r of latest.values()) {
        if (r.problem !== null) continue;
        const held = new Map(r.entries.map((e) => [entryKey(e), e.at]));
        for (const e of byHome.get(homeKey(r.home)) ?? []) {
          const k = entryKey(e);
          if ((ledger[k] ?? -1) >= e.at && (held.get(k) ?? -1) < e.at) delete ledger[k];
        }
      }
      await this.options.local.saveLedger(ledger);
      this.pendingCount = local.filter((e) => e.at > (ledger[entryKey(e)] ?? -1)).length;
      this.notify();
      return { changed, problems: found };
    });
  }

  /** Turns roaming on again after a refusal: the next push asks for Mail.ReadWrite once more. */
  enable(): Promise<PushResult> {
    return this.serial(async () => {
      await this.recallRefusal();
      if (this.mode === "local-only") this.mode = "unasked";
    }).then(() => this.push({ interactive: true }));
  }

  /**
   * Writes every pending entry to its home: for each home touched, all local entries that live there (so my
   * latest attempt carries the whole conversation). Never throws for Graph's sake: a failure leaves the entries
   * pending (the status says why) for the next push. Without `interactive` (after a sync), Mail.ReadWrite is not
   * asked for when it is not granted already: the entries wait for a decision the user makes.
   */
  push(options: { readonly interactive?: boolean } = {}): Promise<PushResult> {
    const interactive = options.interactive ?? true;
    return this.serial(async () => {
      await this.recallRefusal();
      const { local } = this.options;
      const enabled = (await this.options.enabled?.()) ?? true;
      if (!enabled) {
        this.mode = "off";
      } else if (this.mode === "off") this.mode = "unasked";
      const entries = await local.load();
      const ledger = { ...(await local.loadLedger()) };
      const isPending = (e: StateEntry): boolean => e.at > (ledger[entryKey(e)] ?? -1);
      const pending = entries.filter(isPending);
      this.pendingCount = pending.length;
      if (pending.length === 0 || this.mode === "off" || this.mode === "local-only") {
        this.notify();
        return { pushed: 0, pending: pending.length, requests: 0 };
      }
      if (this.mode === "unasked") {
        try {
          await this.options.askWrite(interactive);
          this.mode = "on";
          await local.saveRefused?.(false);
        } catch (error) {
          if (interactive && (this.options.isRefusal?.(error) ?? true)) {
            this.mode = "local-only";
            await local.saveRefused?.(true);
          } else this.lastError = error instanceof Error ? error.message : String(error);
          this.notify();
          return { pushed: 0, pending: pending.length, requests: 0 };
        }
      }
      const byHome = new Map<string, { home: StateHome; entries: StateEntry[]; pending: boolean }>();
      for (const e of entries) {
        const home = this.homeOf(e);
        const key = homeKey(home);
        const group = byHome.get(key) ?? { home, entries: [], pending: false };
        group.entries.push(e);
        group.pending ||= isPending(e);
        byHome.set(key, group);
      }
      let pushed = 0;
      let requests = 0;
      let homes = 0;
      this.lastError = null;
      // The mailbox's own value also carries recent decisions of conversations (a journal): the delta sync follows
      // only mail received after its seam, so a change to an older message reaches another device through this
      // one value, read at every sync, until the weekly listing of the window brings it from the message itself.
      const journal: StateEntry[] = [];
      const root = byHome.get(ROOT) ?? { home: { folder: MAILBOX_HOME_FOLDER }, entries: [], pending: false };
      const settle = async (group: { entries: readonly StateEntry[] }): Promise<void> => {
        for (const e of group.entries) {
          if (isPending(e)) pushed++;
          ledger[entryKey(e)] = Math.max(ledger[entryKey(e)] ?? -1, e.at);
        }
        await local.saveLedger(ledger);
      };
      const failed = (key: string, error: unknown): boolean => {
        if (error instanceof DamagedStateError) {
          this.problems.set(key, error.message);
          return false;
        }
        this.lastError = error instanceof Error ? error.message : String(error);
        if (error instanceof GraphSyncError && error.kind === "unauthorized") this.mode = "local-only";
        return true;
      };
      let stopped = false;
      for (const [key, group] of byHome) {
        if (key === ROOT || !group.pending || this.problems.has(key)) continue;
        if (homes++ >= (this.options.maxHomesPerPush ?? 50)) break;
        try {
          requests += await addToStateHome(this.options.write, group.home, group.entries);
        } catch (error) {
          if (failed(key, error)) {
            stopped = true;
            break;
          }
          continue;
        }
        journal.push(...group.entries.filter(isPending));
        await settle(group);
      }
      if (!stopped && (root.pending || journal.length > 0) && !this.problems.has(ROOT)) {
        const cutoff = this.options.now() - JOURNAL_MS;
        const keep = (e: StateEntry): boolean => {
          const conversation = conversationOfEntry(e);
          return conversation === null || e.at >= cutoff || this.options.targetFor(conversation) === null;
        };
        try {
          requests += await addToStateHome(
            this.options.write,
            root.home,
            [...root.entries, ...journal],
            keep,
          );
          await settle(root);
        } catch (error) {
          failed(ROOT, error);
        }
      }
      this.pendingCount = entries.filter(isPending).length;
      this.notify();
      return { pushed, pending: this.pendingCount, requests };
    });
  }
}
