// The sync as the judging worker runs it (judge.worker.ts): the sync engine, through a Graph client whose tokens
// come from the pane (MSAL runs on the pane's thread), into the pane's cache over the wire (the pages are stored on
// the pane's side). Every failure leaves as the SyncProblem the pane shows; a token the pane could not get fails
// the sync as that problem, not as Graph's.
import { instant } from "../core/message";
import { createGraphConnection } from "../graph/graphClient";
import { syncMailbox } from "../graph/mailSync";
import { toSyncProblem } from "./graphMailboxSource";
import type { RunWorkerSync } from "./state/judging";

export interface WorkerSyncOptions {
  /** Refuses a Graph URL before anything is sent (a production build talks to Microsoft Graph alone). */
  readonly checkGraphUrl?: (graphUrl: string) => void;
  /** The Graph client's retry delay (tests: 0). */
  readonly retryDelaySeconds?: number;
  /** The wall clock for the delta seam and lastSyncAt (default Date.now; tests: a fixed one). */
  readonly clock?: () => number;
}

export function workerSyncRunner(options: WorkerSyncOptions = {}): RunWorkerSync {
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
        store: hooks.store,
        now: instant(request.now),
        windowDays: request.windowDays,
        folders: request.folders,
        ...(options.clock ? { clock: options.clock } : {}),
        onProgress: (p) => hooks.progress({ phase: p.phase, synced: p.synced, expected: p.expected }),
      });
      return { changes: result.changes, state: result.state, cached: result.synced };
    } catch (error) {
      throw toSyncProblem(tokenProblem ?? error);
    }
  };
}
