// Judging off the main thread: the engine (prepareJudgement, judgeAll, judge) runs in a Web Worker, so judging 40,000
// conversations after the first paint never blocks a click. The sync runs there too: fetching, parsing and mapping
// 100,000 messages would otherwise keep the pane's thread busy for seconds. This file holds both ends of the
// conversation with the worker, over any MessagePort-like pair (a Worker and its global scope, or a MessageChannel
// in the tests):
//  - WorkerJudging, the pane's side: it posts the mailbox in slices (each slice's copy is a short task of its own)
//    and gets the reports back in slices too; it asks for syncs, answers the worker's requests for a token, and
//    runs the sync's calls on the pane's cache (so each page is stored here, a short task, while the worker parses
//    the next), then gets the sync's change set by key;
//  - judgingHandler, the worker's side: it keeps the mailbox and the prepared judgement, so a change of user state
//    re-judges only the conversations it touches, and a sync's change set is applied to the mailbox it holds
//    rather than the whole mailbox being posted to it again.
// Each mailbox the worker holds has a number (0: the empty one it starts with). The pane numbers each Mailbox it
// posts or builds from a sync, and a judgement names the mailbox it is for: a worker holding another one answers
// "stale", and the pane posts the mailbox and asks again. So the two ends can never judge different mail.
import { prepareJudgement, type ConversationReport, type Judgement } from "../../core/awaitingReply";
import type { Folder, Instant, MailMessage, Mailbox, Me } from "../../core/message";
import type { Settings } from "../../core/settings";
import type { UserState } from "../../core/userState";
import type { MailboxStateRecord } from "../../graph/mailboxState";
import { applyChangeSet, type MailChangeSet } from "../../graph/mailChanges";
import type { CacheStore, MessageKey } from "../../store/cacheStore";
import { SyncProblem, type SyncProblemKind, type SyncProgress } from "../services";
import { withReports, type JudgedList } from "./reportLists";

/** What a judgement of every conversation reads besides the user state. */
export interface JudgeInput {
  readonly mailbox: Mailbox;
  readonly settings: Settings;
  readonly now: Instant;
  readonly timeZone: string;
  readonly locale: string;
}

/** The engine, wherever it runs. */
export interface Judging {
  /** True when this judging keeps each judgement of every conversation for the next open itself. */
  readonly keepsJudgedList: boolean;
  /** Reads `input` for judging and judges every conversation under `userState`: all reports, in compareReports order. */
  judgeAll(input: JudgeInput, userState: UserState): Promise<ConversationReport[]>;
  /**
   * The given conversations judged again under `userState`, with the last judgeAll's input: each one's new
   * report, or null where it is no longer one worth judging.
   */
  rejudge(
    conversationIds: readonly string[],
    userState: UserState,
  ): Promise<Map<string, ConversationReport | null>>;
  /** Stops the worker; later calls fail. */
  close(): void;
}

/** How many messages or reports go in one message to or from the worker. */
export const SLICE = 2000;

/** A sync for the worker to run into the pane's cache, with the settings of the moment. */
export interface SyncRequest {
  readonly graphUrl: string;
  readonly now: Instant;
  readonly windowDays: number;
  /** Graph ids of the folders picked beside Inbox, Sent Items and Archive. */
  readonly folders: readonly string[];
}

/** What a sync in the worker tells the pane. */
export interface WorkerSyncResult {
  /** What the sync changed in the cache. */
  readonly changes: MailChangeSet;
  /** The roaming user state on the messages the sync saw. */
  readonly state: readonly MailboxStateRecord[];
  /** Messages in the cache after the sync. */
  readonly cached: number;
}

/**
 * Runs a sync in the worker (the worker entry's: the sync engine): `store` is the pane's cache, over the wire;
 * `token` asks the pane for an access token; a failure is thrown as the SyncProblem the pane shows.
 */
export type RunWorkerSync = (
  request: SyncRequest,
  hooks: { progress(progress: SyncProgress): void; token(): Promise<string>; store: CacheStore },
) => Promise<WorkerSyncResult>;

/** A sync the worker ran, seen from the pane. */
export interface WorkerSync extends Omit<WorkerSyncResult, "changes"> {
  /** What the sync changed in the cache; null when it cannot be told (the cache is then read). */
  readonly changes: MailChangeSet | null;
  /**
   * Says which mailbox the pane built from the change set, and from which: the worker applies the same change set
   * to the mailbox it holds when that is `before`, so judging `after` needs nothing posted. Call it once per sync,
   * with `after` null when the pane read the cache instead (the worker then forgets the change set).
   */
  settle(before: Mailbox | null, after: Mailbox | null): void;
}

/** What the pane posts to the worker. */
export type ToWorker =
  /** Where the worker keeps each judgement of every conversation (the pane's cache); the entry file reads it. */
  | { readonly t: "keepIn"; readonly databaseName: string }
  | {
      readonly t: "messages";
      /** The number of the mailbox these messages are part of (it is held once the last part is in). */
      readonly mailbox: number;
      readonly first: boolean;
      readonly last: boolean;
      readonly me: Me;
      readonly part: readonly MailMessage[];
    }
  | {
      readonly t: "judgeAll";
      readonly req: number;
      /** The mailbox to judge: a worker holding another one answers "stale". */
      readonly mailbox: number;
      readonly settings: Settings;
      readonly now: Instant;
      readonly timeZone: string;
      readonly locale: string;
      readonly userState: UserState;
    }
  | {
      readonly t: "rejudge";
      readonly req: number;
      readonly ids: readonly string[];
      readonly userState: UserState;
    }
  | { readonly t: "sync"; readonly req: number; readonly request: SyncRequest }
  /** The pane's answer to "store": what the cache's method gave, or why it failed. */
  | {
      readonly t: "stored";
      readonly id: number;
      readonly ok: boolean;
      readonly value: unknown;
      readonly message: string;
    }
  /** The pane's answer to "needToken": a token, or why there is none. */
  | {
      readonly t: "token";
      readonly id: number;
      readonly token: string | null;
      readonly problem: WireProblem | null;
    }
  /** After sync `req`: the mailbox numbered `from` became `to` (with `me`); `to` null: forget the change set. */
  | {
      readonly t: "settle";
      readonly req: number;
      readonly from: number;
      readonly to: number | null;
      readonly me: Me | null;
    };

/** A SyncProblem on the wire (an Error does not keep its class across postMessage). */
export interface WireProblem {
  readonly kind: SyncProblemKind;
  readonly message: string;
  readonly retryAfterMs: number | null;
}

/** What the worker posts back. */
export type FromWorker =
  | {
      readonly t: "reports";
      readonly req: number;
      readonly part: ConversationReport[];
      readonly done: boolean;
    }
  | {
      readonly t: "rejudged";
      readonly req: number;
      readonly reports: readonly (readonly [string, ConversationReport | null])[];
    }
  | {
      readonly t: "error";
      readonly req: number;
      readonly message: string;
      /** True when the worker holds another mailbox than the one asked for. */
      readonly stale?: boolean;
    }
  | { readonly t: "progress"; readonly req: number; readonly progress: SyncProgress }
  /** Sync `req`'s Graph client needs an access token (read scopes). */
  | { readonly t: "needToken"; readonly req: number; readonly id: number }
  /** Sync `req` calls a method of the pane's cache (the pages are stored on the pane's side). */
  | {
      readonly t: "store";
      readonly req: number;
      readonly id: number;
      readonly method: SyncStoreMethod;
      readonly args: readonly unknown[];
    }
  /** Sync `req` is done: its change set by key (the pane has each message from the pages it stored). */
  | {
      readonly t: "synced";
      readonly req: number;
      readonly added: PackedKeys;
      readonly changed: PackedKeys;
      readonly removed: readonly MessageKey[];
      readonly state: readonly MailboxStateRecord[];
      readonly cached: number;
    }
  | {
      readonly t: "syncFailed";
      readonly req: number;
      readonly problem: WireProblem;
      /** True when this worker cannot sync at all (it has no sync): the pane syncs on its own thread. */
      readonly unable: boolean;
    };

/** The cache's methods a sync calls, the only ones the worker may call on the pane's cache. */
const SYNC_STORE_METHODS = [
  "loadMessages",
  "countMessages",
  "getMessages",
  "dropReceivedBefore",
  "syncedFolders",
  "loadMe",
  "saveMe",
  "loadSyncState",
  "applyPage",
  "resetFolder",
  "lastSyncAt",
  "setLastSyncAt",
] as const satisfies readonly (keyof CacheStore)[];
export type SyncStoreMethod = (typeof SYNC_STORE_METHODS)[number];

/**
 * The pane's cache as the worker's sync sees it: each call goes to the pane, which runs it on its own store. So
 * the pages are stored (copied into IndexedDB) on the pane's thread, which is idle while the worker parses, and the
 * pane has every message the sync brought without a second copy of the change set.
 */
class RemoteStore implements CacheStore {
  constructor(private readonly call: (method: SyncStoreMethod, args: unknown[]) => Promise<unknown>) {}
  private ask<M extends SyncStoreMethod>(method: M, ...args: Parameters<CacheStore[M]>) {
    return this.call(method, args) as ReturnType<CacheStore[M]>;
  }
  loadMessages = () => this.ask("loadMessages");
  countMessages = () => this.ask("countMessages");
  getMessages = (...a: Parameters<CacheStore["getMessages"]>) => this.ask("getMessages", ...a);
  dropReceivedBefore = (...a: Parameters<CacheStore["dropReceivedBefore"]>) =>
    this.ask("dropReceivedBefore", ...a);
  syncedFolders = () => this.ask("syncedFolders");
  loadMe = () => this.ask("loadMe");
  saveMe = (...a: Parameters<CacheStore["saveMe"]>) => this.ask("saveMe", ...a);
  loadSyncState = (...a: Parameters<CacheStore["loadSyncState"]>) => this.ask("loadSyncState", ...a);
  applyPage = (...a: Parameters<CacheStore["applyPage"]>) => this.ask("applyPage", ...a);
  resetFolder = (...a: Parameters<CacheStore["resetFolder"]>) => this.ask("resetFolder", ...a);
  lastSyncAt = () => this.ask("lastSyncAt");
  setLastSyncAt = (...a: Parameters<CacheStore["setLastSyncAt"]>) => this.ask("setLastSyncAt", ...a);
  // User state never goes through a sync.
  loadUserState = () => Promise.reject(new Error("user state is not read by a sync"));
  saveUserState = () => Promise.reject(new Error("user state is not written by a sync"));
  loadStateEntries = () => Promise.reject(new Error("user state is not read by a sync"));
  putStateEntry = () => Promise.reject(new Error("user state is not written by a sync"));
  close = () => Promise.resolve();
}

/** The worker cannot sync at all (it was started without a sync): the pane then syncs on its own thread. */
export class WorkerCannotSync extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkerCannotSync";
  }
}

const ERROR_RETRY_MS = 120_000;

/**
 * Message keys as they cross to the pane: the ids, and for each the index of its folder among `folders`. A first
 * sync's change set is 100,000 keys; as objects their copy and lookup were a 220 ms task on the pane's thread (a
 * third of it garbage collection), where strings and one typed array are a fraction of that.
 */
export interface PackedKeys {
  readonly folders: readonly Folder[];
  readonly at: Uint32Array;
  readonly ids: readonly string[];
}

/** Keys packed for the wire, in their order. */
export function packKeys(messages: readonly { readonly folder: Folder; readonly id: string }[]): PackedKeys {
  const index = new Map<Folder, number>();
  const folders: Folder[] = [];
  const at = new Uint32Array(messages.length);
  const ids = new Array<string>(messages.length);
  messages.forEach((m, i) => {
    let f = index.get(m.folder);
    if (f === undefined) index.set(m.folder, (f = folders.push(m.folder) - 1));
    at[i] = f;
    ids[i] = m.id;
  });
  return { folders, at, ids };
}

/** The messages `keys` name, in their order, from `stored` (folder → id → message); null if one is not there. */
export function unpackFrom(
  keys: PackedKeys,
  stored: ReadonlyMap<string, ReadonlyMap<string, MailMessage>>,
): MailMessage[] | null {
  if (keys.at.length !== keys.ids.length) return null;
  const maps = keys.folders.map((folder) => stored.get(folder));
  const out = new Array<MailMessage>(keys.ids.length);
  for (let i = 0; i < keys.ids.length; i++) {
    const m = maps[keys.at[i] as number]?.get(keys.ids[i] as string);
    if (m === undefined) return null;
    out[i] = m;
  }
  return out;
}

/** Sends what a sync failed with across: a SyncProblem as it is, anything else as an error to retry later. */
function wireProblemOf(error: unknown): WireProblem {
  if (error instanceof SyncProblem)
    return { kind: error.kind, message: error.message, retryAfterMs: error.retryAfterMs };
  return { kind: "error", message: describe(error), retryAfterMs: ERROR_RETRY_MS };
}

/** What a list the worker keeps came from: a judgement of every conversation, or a re-judgement of a few. */
export type KeptAfter = "judgeAll" | "rejudge";

/** The worker's side: give it each message from the pane; it answers through `post`. */
export function judgingHandler(
  post: (message: FromWorker) => void,
  /**
   * Called with the list of every conversation after each judgement of them all, and again after each
   * re-judgement of a few (merged into it), once the answer is posted: what the next open paints at once.
   */
  keep?: (list: JudgedList, after: KeptAfter) => void,
  slice = SLICE,
  /** Runs a sync (the worker entry's); absent: a sync request fails, and the pane syncs on its own thread. */
  runSync?: RunWorkerSync,
): (message: ToWorker) => void {
  let me: Me = { displayName: "" };
  let messages: MailMessage[] = [];
  /** The number of the mailbox held; -1 while one is being posted (or after a failure). */
  let held = 0;
  let judgement: Judgement | null = null;
  /** The list `judgement` last gave of every conversation, re-judgements merged in, with its user state. */
  let kept: JudgedList | null = null;
  /** Each finished sync's change set, until the pane settles it. */
  const unsettled = new Map<number, MailChangeSet>();
  const tokens = new Map<number, { resolve: (token: string) => void; reject: (error: Error) => void }>();
  let tokenIds = 0;

  const askToken = (req: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const id = ++tokenIds;
      tokens.set(id, { resolve, reject });
      post({ t: "needToken", req, id });
    });

  const storeCalls = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let storeCallIds = 0;
  const storeOf = (req: number): CacheStore =>
    new RemoteStore(
      (method, args) =>
        new Promise((resolve, reject) => {
          const id = ++storeCallIds;
          storeCalls.set(id, { resolve, reject });
          post({ t: "store", req, id, method, args });
        }),
    );

  const sync = async (req: number, request: SyncRequest): Promise<void> => {
    if (!runSync) {
      const error = new WorkerCannotSync("the worker cannot sync here: it has no sync");
      post({ t: "syncFailed", req, problem: wireProblemOf(error), unable: true });
      return;
    }
    let result: WorkerSyncResult;
    try {
      result = await runSync(request, {
        progress: (progress) => post({ t: "progress", req, progress }),
        token: () => askToken(req),
        store: storeOf(req),
      });
    } catch (error) {
      post({
        t: "syncFailed",
        req,
        problem: wireProblemOf(error),
        unable: error instanceof WorkerCannotSync,
      });
      return;
    }
    unsettled.set(req, result.changes);
    post({
      t: "synced",
      req,
      added: packKeys(result.changes.added),
      changed: packKeys(result.changes.changed),
      removed: result.changes.removed,
      state: result.state,
      cached: result.cached,
    });
  };

  return (message) => {
    switch (message.t) {
      case "keepIn":
        return;
      case "messages":
        if (message.first) messages = [];
        me = message.me;
        for (const m of message.part) messages.push(m);
        held = message.last ? message.mailbox : -1;
        judgement = null;
        kept = null;
        return;
      case "judgeAll":
        if (message.mailbox !== held) {
          post({ t: "error", req: message.req, message: "the worker holds another mailbox", stale: true });
          return;
        }
        try {
          kept = null;
          judgement = prepareJudgement(
            { me, messages },
            {
              now: message.now,
              settings: message.settings,
              timeZone: message.timeZone,
              locale: message.locale,
            },
          );
          const reports = judgement.judgeAll(message.userState);
          for (let at = 0; at < reports.length || at === 0; at += slice) {
            const done = at + slice >= reports.length;
            post({ t: "reports", req: message.req, part: reports.slice(at, at + slice), done });
          }
          kept = { reports, userState: message.userState };
          keep?.(kept, "judgeAll");
        } catch (error) {
          post({ t: "error", req: message.req, message: describe(error) });
        }
        return;
      case "rejudge": {
        if (!judgement) {
          post({ t: "error", req: message.req, message: "nothing was judged yet" });
          return;
        }
        const j = judgement;
        let reports: (readonly [string, ConversationReport | null])[];
        try {
          reports = message.ids.map((id) => [id, j.judge(id, message.userState)] as const);
        } catch (error) {
          post({ t: "error", req: message.req, message: describe(error) });
          return;
        }
        post({ t: "rejudged", req: message.req, reports });
        // The pane asks for the conversations its user state changed since the last answer (touchedConversations),
        // so the rest of the list holds under the new state too: the next open paints a snooze at once.
        if (kept && keep) {
          kept = { reports: withReports(kept.reports, new Map(reports)), userState: message.userState };
          keep(kept, "rejudge");
        }
        return;
      }
      case "sync":
        void sync(message.req, message.request);
        return;
      case "stored": {
        const waiting = storeCalls.get(message.id);
        storeCalls.delete(message.id);
        if (message.ok) waiting?.resolve(message.value);
        else waiting?.reject(new Error(message.message));
        return;
      }
      case "token": {
        const waiting = tokens.get(message.id);
        tokens.delete(message.id);
        if (!waiting) return;
        if (message.token !== null) waiting.resolve(message.token);
        else {
          const p = message.problem ?? { kind: "error", message: "no token", retryAfterMs: null };
          waiting.reject(new SyncProblem(p.kind, p.message, p.retryAfterMs));
        }
        return;
      }
      case "settle": {
        const changes = unsettled.get(message.req);
        unsettled.delete(message.req);
        if (!changes || message.to === null || message.from !== held) return;
        // The pane kept the very mailbox (a sync that changed nothing): so does the worker, and its judgement
        // stands, so the next snooze is re-judged here rather than failing for want of a judgement.
        if (message.to === message.from) return;
        // The pane built its mailbox from the one this worker holds, with the same change set: so does the worker.
        messages = applyChangeSet(messages, changes);
        if (message.me) me = message.me;
        held = message.to;
        judgement = null;
        kept = null;
        return;
      }
    }
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The pane's end of a worker: what a Worker (or a MessagePort) offers. */
export interface WorkerPort {
  postMessage(message: ToWorker): void;
  addEventListener(type: "message", listener: (event: { data: FromWorker }) => void): void;
  addEventListener(type: "error", listener: (event: { message?: string }) => void): void;
  terminate?(): void;
  close?(): void;
}

/** Lets the browser paint and handle input between two slices. */
function breathe(): Promise<void> {
  const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (s?.yield) return s.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** User Timing measures that bench:ui reads; nothing where the host lacks the API. */
function measure(name: string, start: number): void {
  if (typeof performance !== "undefined" && typeof performance.measure === "function") {
    performance.measure(name, { start, end: performance.now() });
  }
}
const clock = (): number => (typeof performance !== "undefined" ? performance.now() : 0);

/** The worker holds another mailbox than the one a judgement was asked for. */
class StaleMailbox extends Error {}

/** A sync in progress, seen from the pane. */
interface SyncWaiting {
  readonly onProgress: (progress: SyncProgress) => void;
  readonly token: () => Promise<string>;
  readonly store: CacheStore;
  /** Every message the sync's pages stored, by folder and id (the latest of each). */
  readonly stored: Map<string, Map<string, MailMessage>>;
  readonly resolve: (result: Omit<WorkerSync, "settle">) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The engine in a worker, seen from the pane. Judgements run one after another, in the order asked; a sync runs
 * beside them (it mostly waits for Graph).
 */
export class WorkerJudging implements Judging {
  private requests = 0;
  private readonly pending = new Map<
    number,
    { parts: ConversationReport[][]; resolve: (m: FromWorker) => void; reject: (e: Error) => void }
  >();
  private readonly syncs = new Map<number, SyncWaiting>();
  private queue: Promise<unknown> = Promise.resolve();
  /** Each mailbox's number, as posted to the worker or built from a sync's change set. */
  private readonly numbers = new WeakMap<Mailbox, number>();
  private numbered = 0;
  /** The number of the mailbox the pane believes the worker holds (0: the empty one it starts with). */
  private held = 0;
  private failed: Error | null = null;

  constructor(
    private readonly port: WorkerPort,
    readonly keepsJudgedList: boolean,
    private readonly slice = SLICE,
  ) {
    port.addEventListener("message", (event: { data: FromWorker }) => this.receive(event.data));
    port.addEventListener("error", (event: { message?: string }) =>
      this.fail(new Error(`the judging worker failed${event.message ? `: ${event.message}` : ""}`)),
    );
  }

  /** True once the worker has failed or was stopped: nothing more can be asked of it. */
  get broken(): boolean {
    return this.failed !== null;
  }

  judgeAll(input: JudgeInput, userState: UserState): Promise<ConversationReport[]> {
    return this.serially(async () => {
      const ask = () =>
        this.ask((req) => ({
          t: "judgeAll",
          req,
          mailbox: this.numbers.get(input.mailbox) ?? -1,
          settings: input.settings,
          now: input.now,
          timeZone: input.timeZone,
          locale: input.locale,
          userState,
        }));
      const known = this.numbers.get(input.mailbox);
      if (known === undefined || known !== this.held) await this.upload(input.mailbox);
      const start = clock();
      let reply: unknown;
      try {
        reply = await ask();
      } catch (error) {
        if (!(error instanceof StaleMailbox)) throw error;
        // The worker holds another mailbox than the pane thought (a sync's change set it could not apply).
        await this.upload(input.mailbox);
        reply = await ask();
      }
      measure("rekindle:classify", start);
      return reply as ConversationReport[];
    });
  }

  rejudge(
    conversationIds: readonly string[],
    userState: UserState,
  ): Promise<Map<string, ConversationReport | null>> {
    return this.serially(async () => {
      const reply = await this.ask((req) => ({ t: "rejudge", req, ids: [...conversationIds], userState }));
      return new Map(reply as [string, ConversationReport | null][]);
    });
  }

  /**
   * Runs a sync in the worker, into `store` (the pane's cache: the worker calls it over the wire): progress as it
   * goes, `token` whenever the worker's Graph client needs one; resolves to the sync's change set and the roaming
   * state it saw, or rejects with a SyncProblem (WorkerCannotSync where the worker has no sync).
   */
  sync(
    request: SyncRequest,
    onProgress: (progress: SyncProgress) => void,
    token: () => Promise<string>,
    store: CacheStore,
  ): Promise<WorkerSync> {
    if (this.failed) return Promise.reject(this.failed);
    const req = ++this.requests;
    return new Promise<Omit<WorkerSync, "settle">>((resolve, reject) => {
      this.syncs.set(req, { onProgress, token, store, stored: new Map(), resolve, reject });
      this.post({ t: "sync", req, request });
    }).then((result) => ({
      ...result,
      settle: (before, after) => {
        const from = before === null ? 0 : (this.numbers.get(before) ?? -1);
        const to = after === null ? null : this.number(after);
        if (this.failed) return;
        this.port.postMessage({ t: "settle", req, from, to, me: after?.me ?? null });
        if (to !== null && from === this.held) this.held = to;
      },
    }));
  }

  close(): void {
    this.fail(new Error("the judging worker was stopped"));
    this.port.terminate?.();
    this.port.close?.();
  }

  private number(mailbox: Mailbox): number {
    let n = this.numbers.get(mailbox);
    if (n === undefined) this.numbers.set(mailbox, (n = ++this.numbered));
    return n;
  }

  /** Posts `mailbox` to the worker in slices, each a short task of its own. */
  private async upload(mailbox: Mailbox): Promise<void> {
    const start = clock();
    const n = this.number(mailbox);
    this.held = -1;
    const all = mailbox.messages;
    for (let at = 0; at < all.length || at === 0; at += this.slice) {
      const part = all.slice(at, at + this.slice);
      const last = at + this.slice >= all.length;
      this.post({ t: "messages", mailbox: n, first: at === 0, last, me: mailbox.me, part });
      if (!last) await breathe();
    }
    this.held = n;
    measure("rekindle:prepare", start);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private post(message: ToWorker): void {
    if (this.failed) throw this.failed;
    this.port.postMessage(message);
  }

  /** Posts a request and resolves to its answer: the reports put together, or the re-judged pairs. */
  private ask(request: (req: number) => ToWorker): Promise<unknown> {
    if (this.failed) return Promise.reject(this.failed);
    const req = ++this.requests;
    return new Promise((resolve, reject) => {
      this.pending.set(req, {
        parts: [],
        reject,
        resolve: (m) => {
          if (m.t === "rejudged") resolve(m.reports);
          else resolve(this.pending.get(req)?.parts.flat() ?? []);
        },
      });
      try {
        this.port.postMessage(request(req));
      } catch (error) {
        this.pending.delete(req);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private receive(message: FromWorker): void {
    const syncing = this.syncs.get(message.req);
    if (message.t === "needToken") {
      void this.answerToken(message.id, syncing);
      return;
    }
    if (syncing) {
      this.receiveSync(message.req, syncing, message);
      return;
    }
    const waiting = this.pending.get(message.req);
    if (!waiting) return;
    if (message.t === "error") {
      this.pending.delete(message.req);
      waiting.reject(message.stale ? new StaleMailbox(message.message) : new Error(message.message));
      return;
    }
    if (message.t === "reports") {
      waiting.parts.push(message.part);
      if (!message.done) return;
    }
    waiting.resolve(message);
    this.pending.delete(message.req);
  }

  private receiveSync(req: number, syncing: SyncWaiting, message: FromWorker): void {
    switch (message.t) {
      case "progress":
        syncing.onProgress(message.progress);
        return;
      case "store":
        void this.runStore(syncing, message.id, message.method, message.args);
        return;
      case "synced": {
        this.syncs.delete(req);
        // The messages come from the pages this side stored; one it does not have means the cache must be read.
        const added = unpackFrom(message.added, syncing.stored);
        const changed = added && unpackFrom(message.changed, syncing.stored);
        syncing.resolve({
          changes: added && changed ? { added, changed, removed: message.removed } : null,
          state: message.state,
          cached: message.cached,
        });
        return;
      }
      case "syncFailed":
        this.syncs.delete(req);
        syncing.reject(
          message.unable
            ? new WorkerCannotSync(message.problem.message)
            : new SyncProblem(message.problem.kind, message.problem.message, message.problem.retryAfterMs),
        );
        return;
      default:
        return;
    }
  }

  /** Runs a cache method the worker's sync called, on the pane's cache, and answers with what it gave. */
  private async runStore(
    syncing: SyncWaiting,
    id: number,
    method: SyncStoreMethod,
    args: readonly unknown[],
  ): Promise<void> {
    let reply: ToWorker;
    try {
      if (!(SYNC_STORE_METHODS as readonly string[]).includes(method))
        throw new Error(`a sync does not call ${String(method)}`);
      const call = syncing.store[method] as (...a: unknown[]) => Promise<unknown>;
      const value = await call.apply(syncing.store, [...args]);
      if (method === "applyPage") {
        const change = args[0] as Parameters<CacheStore["applyPage"]>[0];
        let byId = syncing.stored.get(change.folder);
        if (!byId) syncing.stored.set(change.folder, (byId = new Map()));
        for (const m of change.upserts) byId.set(m.id, m);
      }
      reply = { t: "stored", id, ok: true, value, message: "" };
    } catch (error) {
      reply = { t: "stored", id, ok: false, value: null, message: describe(error) };
    }
    if (!this.failed) this.port.postMessage(reply);
  }

  /** A sync's Graph client asked for a token: one from that sync's sign-in. */
  private async answerToken(id: number, syncing: SyncWaiting | undefined): Promise<void> {
    let reply: ToWorker;
    try {
      if (!syncing) throw new SyncProblem("error", "that sync is no longer running", ERROR_RETRY_MS);
      reply = { t: "token", id, token: await syncing.token(), problem: null };
    } catch (error) {
      reply = { t: "token", id, token: null, problem: wireProblemOf(error) };
    }
    if (!this.failed) this.port.postMessage(reply);
  }

  private fail(error: Error): void {
    if (!this.failed) this.failed = error;
    this.held = -1;
    for (const [req, waiting] of this.pending) {
      this.pending.delete(req);
      waiting.reject(error);
    }
    for (const [req, syncing] of this.syncs) {
      this.syncs.delete(req);
      syncing.reject(new SyncProblem("error", `the sync stopped: ${error.message}`, ERROR_RETRY_MS));
    }
  }
}
