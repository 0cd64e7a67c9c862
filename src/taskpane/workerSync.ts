// The sync as the judging worker runs it (judge.worker.ts): the sync engine into a cache the worker opens itself,
// through a Graph client whose tokens come from the pane (MSAL runs on the pane's thread). Every failure leaves as
// the SyncProblem the pane shows; a token the pane could not get fails the sync as that problem, not as Graph's.
import { instant } from "../core/message";
import { createGraphConnection } from "../graph/graphClient";
import { syncMailbox } from "../graph/mailSync";
import type { CacheStore } from "../store/cacheStore";
import { toSyncProblem } from "./graphMailboxSource";
import { WorkerCannotSync, type RunWorkerSync } from "./state/judging";

export interface WorkerSyncOptions {
  /** The cache of a given name (the worker opens the pane's IndexedDB database). */
  readonly storeNamed: (databaseName: string) => Promise<CacheStore>;
  /** Refuses a Graph URL before anything is sent (a production build talks to Microsoft Graph alone). */
  readonly checkGraphUrl?: (graphUrl: string) => void;
  /** The Graph client's retry delay (tests: 0). */
  readonly retryDelaySeconds?: number;
  /** The wall clock for the delta seam and lastSyncAt (default Date.now; tests: a fixed one). */
  readonly clock?: () => number;
}

export function workerSyncRunner(options: WorkerSyncOptions): RunWorkerSync {
  return async (request, hooks) => {
    let tokenProblem: unknown = null;
    try {
      options.checkGraphUrl?.(request.graphUrl);
      const result = await syncMailbox({
        connection: createGraphConnection({
          baseUrl: request.graphUrl,
          authProvider: {
            getAccessToken: () =>
              hooks.token().catch((error: unknown) => {
                tokenProblem = error;
                throw error;
              }),
          },
          ...(options.retryDelaySeconds !== undefined
            ? { retryDelaySeconds: options.retryDelaySeconds }
            : {}),
        }),
        store: await options.storeNamed(request.databaseName).catch((error: unknown) => {
          throw new WorkerCannotSync(
            `the worker cannot sync here: the cache could not be opened (${error instanceof Error ? error.message : String(error)})`,
          );
        }),
        now: instant(request.now),
        windowDays: request.windowDays,
        folders: request.folders,
        ...(options.clock ? { clock: options.clock } : {}),
        onProgress: (p) => hooks.progress({ phase: p.phase, synced: p.synced, expected: p.expected }),
      });
      return { changes: result.changes, state: result.state, cached: result.synced };
    } catch (error) {
      if (error instanceof WorkerCannotSync) throw error;
      throw toSyncProblem(tokenProblem ?? error);
    }
  };
}
