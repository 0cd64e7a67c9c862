// The CLI's way into Microsoft Graph: one Graph client with a fixed token, the sync engine, and a memory cache or
// (with --cache FILE) a file cache that makes the next scan incremental.
import type { DraftOutcome, PlannedDraft } from "../core/cleanUp";
import type { Instant, MailMessage } from "../core/message";
import { createDraftsInBatches, type DraftProgress } from "../graph/batchDrafts";
import {
  assertBearerToken,
  createGraphConnection,
  type GraphConnection,
  StaticTokenProvider,
} from "../graph/graphClient";
import { GraphSyncError } from "../graph/graphErrors";
import type { LoadedMailbox } from "../graph/mailboxFile";
import { findNewerAnswers, type NewerAnswer } from "../graph/lastMomentCheck";
import { listMailFolders, resolveFolderNames } from "../graph/mailFolders";
import { loadCachedMailbox, syncMailbox } from "../graph/mailSync";
import { latestAttemptsOf } from "../graph/mailboxState";
import { RoamingState } from "../graph/roamingState";
import { stateFileRoamingLocal } from "../store/userStateFile";
import type { CacheStore } from "../store/cacheStore";
import { FileCacheStore } from "../store/fileCacheStore";
import { MemoryCacheStore } from "../store/memoryCacheStore";

/** Progress of a Graph sync, reported on stderr by the CLI. */
export interface CliSyncProgress {
  readonly phase: "first-sync" | "incremental";
  readonly synced: number;
  readonly expected: number | null;
}

/** Options for reading a mailbox through Microsoft Graph. */
export interface GraphSourceOptions {
  readonly url: string;
  readonly token: string;
  readonly cachePath?: string;
  /** Delete the cache file first and sync afresh (--reset-cache). */
  readonly resetCache?: boolean;
  readonly now: Instant;
  readonly windowDays: number;
  /** Graph ids of further folders to read (the settings' extraFolders). */
  readonly folderIds?: readonly string[];
  /** Further folders by name or path (--folders), looked up in the user's folder list. */
  readonly folderNames?: readonly string[];
  readonly onProgress?: (progress: CliSyncProgress) => void;
  /** One line for the user while the scan waits: for another process on the cache, or because Graph asked. */
  readonly onNotice?: (text: string) => void;
  /**
   * The state file: decisions kept in the mailbox are merged into it after the sync, and its decisions the mailbox
   * does not hold yet are saved there (roaming); null or absent: no roaming.
   */
  readonly statePath?: string | null;
  /** Whether decisions are saved in the mailbox (the settings' roamDecisions); reading them is always done. */
  readonly roam?: boolean;
  /** The wall clock, for how long the mailbox keeps recent decisions in its own value (default Date.now). */
  readonly clock?: () => number;
}

const HINTS: Record<GraphSyncError["kind"], string> = {
  offline:
    "check the URL and your network, then run the scan again (a --cache scan resumes where it stopped)",
  throttled: "Graph is busy; wait a minute and run the scan again (a --cache scan resumes where it stopped)",
  unauthorized: "get a fresh token, e.g. `az account get-access-token --resource-type ms-graph`",
  "sync-state-lost": "run the scan again",
  graph: "run the scan again; if it persists, quote the request id to your admin",
};

/** Syncs the mailbox through Graph and returns it in the same shape as a mailbox file. */
export async function loadMailboxFromGraph(options: GraphSourceOptions): Promise<LoadedMailbox> {
  const { token } = options;
  assertBearerToken(token);
  try {
    return await syncFromGraph(options);
  } catch (error) {
    // Defence in depth: whatever a failure says (an SDK error can echo what it was sent), never the token.
    if (error instanceof Error && token.length >= 4 && error.message.includes(token)) {
      throw new Error(error.message.split(token).join("[token]"));
    }
    throw error;
  }
}

async function syncFromGraph(options: GraphSourceOptions): Promise<LoadedMailbox> {
  const connection = createGraphConnection({
    baseUrl: options.url,
    authProvider: new StaticTokenProvider(options.token),
    ...(options.onNotice
      ? { onWait: (notice: { message: string }) => options.onNotice?.(notice.message) }
      : {}),
  });
  const store: CacheStore = options.cachePath
    ? await FileCacheStore.open(options.cachePath, {
        reset: options.resetCache === true,
        ...(options.onNotice ? { onWait: options.onNotice } : {}),
      })
    : new MemoryCacheStore();
  try {
    const folders = [...(options.folderIds ?? [])];
    if (options.folderNames?.length) {
      const { ids, problems } = resolveFolderNames(options.folderNames, await listMailFolders(connection));
      if (problems.length) throw new Error(`--folders: ${problems.join("; ")}`);
      folders.push(...ids);
    }
    const result = await syncMailbox({
      connection,
      store,
      now: options.now,
      windowDays: options.windowDays,
      folders: [...new Set(folders)],
      onProgress: (p) => options.onProgress?.({ phase: p.phase, synced: p.synced, expected: p.expected }),
    });
    const loaded = await loadCachedMailbox(store);
    if (!loaded)
      throw new Error("the sync finished without storing who you are (Graph /me); run the scan again");
    if (options.statePath) await roamState(options, options.statePath, connection, loaded, result.state);
    return loaded;
  } catch (error) {
    if (error instanceof GraphSyncError) throw new Error(`${error.message}. ${HINTS[error.kind]}.`);
    throw error;
  } finally {
    await store.close();
  }
}

/**
 * Merges the decisions kept in the mailbox into the state file and saves there those it does not hold yet. Never
 * fails the scan: what could not be done is said on stderr, and the next scan tries again.
 */
async function roamState(
  options: GraphSourceOptions,
  statePath: string,
  connection: GraphConnection,
  loaded: LoadedMailbox,
  records: Parameters<RoamingState["absorb"]>[0],
): Promise<void> {
  const say = (text: string): void => options.onNotice?.(text);
  const targets = latestAttemptsOf(loaded.mailbox.messages);
  const roaming = new RoamingState({
    read: connection,
    write: connection,
    local: stateFileRoamingLocal(statePath, say),
    targetFor: (conversationId) => targets.get(conversationId) ?? null,
    // The token is what it is: a token without Mail.ReadWrite is refused by Graph (403) at the first write.
    askWrite: () => Promise.resolve(),
    enabled: () => Promise.resolve(options.roam ?? true),
    now: options.clock ?? Date.now,
  });
  try {
    const { problems } = await roaming.absorb(records);
    for (const problem of problems) say(`warning: ${problem}`);
  } catch (error) {
    say(`warning: could not read the decisions kept in the mailbox (${(error as Error).message})`);
    return;
  }
  const pushed = await roaming.push();
  const status = roaming.status();
  if (status.mode === "local-only") {
    say(
      `decisions are kept in ${statePath} only: Graph did not let Rekindle save them in the mailbox ` +
        "(the token needs Mail.ReadWrite)",
    );
  } else if (status.lastError) {
    say(
      `warning: ${pushed.pending} decisions are not in the mailbox yet (${status.lastError}); the next scan tries again`,
    );
  }
}

/** What the last-moment check needs: where Graph is, and which human answer to look for after when. */
export interface NewerAnswerQuery {
  readonly url: string;
  readonly token: string;
  readonly conversationId: string;
  readonly after: Instant;
  readonly isAnswer: (message: MailMessage) => boolean;
}

/**
 * The last-moment check: looks the conversation up across the whole mailbox (any folder, an Inbox rule's or the
 * archive) for a human answer newer than `after`; the newest one, or null.
 */
export async function findNewerAnswer(query: NewerAnswerQuery): Promise<NewerAnswer | null> {
  assertBearerToken(query.token);
  const connection = createGraphConnection({
    baseUrl: query.url,
    authProvider: new StaticTokenProvider(query.token),
  });
  try {
    const found = await findNewerAnswers({
      connection,
      conversations: [{ conversationId: query.conversationId, after: query.after }],
      isAnswer: query.isAnswer,
    });
    return found.get(query.conversationId)?.[0] ?? null;
  } catch (error) {
    if (error instanceof GraphSyncError) throw new Error(`${error.message}. ${HINTS[error.kind]}.`);
    throw error;
  }
}

/** What `rekindle drafts` hands to Graph: the planned drafts and the engine's rules for the last-moment check. */
export interface GraphDraftsRequest {
  readonly url: string;
  readonly token: string;
  readonly drafts: readonly PlannedDraft[];
  readonly isAnswer: (message: MailMessage) => boolean;
  readonly describeAnswer: (answer: NewerAnswer) => string;
  readonly dryRun: boolean;
  readonly onProgress?: (progress: DraftProgress) => void;
  readonly onNotice?: (text: string) => void;
}

/**
 * The batch clean-up through Graph (batchDrafts.ts): one reply-all draft per conversation, saved in Drafts, never
 * sent. Every failure of one draft is in its outcome; what would fail them all (a bad token) throws.
 */
export async function createDraftsThroughGraph(request: GraphDraftsRequest): Promise<DraftOutcome[]> {
  const { token } = request;
  assertBearerToken(token);
  const connection = createGraphConnection({
    baseUrl: request.url,
    authProvider: new StaticTokenProvider(token),
    ...(request.onNotice
      ? { onWait: (notice: { message: string }) => request.onNotice?.(notice.message) }
      : {}),
  });
  const outcomes = await createDraftsInBatches({
    connection,
    drafts: request.drafts,
    isAnswer: request.isAnswer,
    describeAnswer: request.describeAnswer,
    dryRun: request.dryRun,
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  });
  // Defence in depth, as for the sync: whatever Graph's errors say, never the token.
  const clean = (text: string) => (token.length >= 4 ? text.split(token).join("[token]") : text);
  return outcomes.map((o) => ("reason" in o ? { ...o, reason: clean(o.reason) } : o));
}
