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

/**
 * How long one sync reuses a token the pane gave it. MSAL hands out a cached token only while it has more than 5
 * minutes left, so a token a minute old is still good; and asking the pane's thread for one before every request
 * made each of them wait for that thread's turn (it is busy storing pages all through a first sync).
 */
export const TOKEN_REUSE_MS = 60_000;

/** `ask`, answered from the last token for TOKEN_REUSE_MS after it was asked for; a failure is not kept. */
export function reusingToken(ask: () => Promise<string>, clock: () => number): () => Promise<string> {
  let held: { readonly token: Promise<string>; readonly at: number } | null = null;
  return () => {
    const now = clock();
    if (held && now - held.at < TOKEN_REUSE_MS) return held.token;
    const entry = { token: ask(), at: now };
    held = entry;
    entry.token.catch(() => {
      if (held === entry) held = null;
    });
    return entry.token;
  };
}

export function workerSyncRunner(options: WorkerSyncOptions = {}): RunWorkerSync {
  return async (request, hooks) => {
    let tokenProblem: unknown = null;
    const token = reusingToken(hooks.token, options.clock ?? Date.now);
    try {
      options.checkGraphUrl?.(request.graphUrl);
      const result = await syncMailbox({
        connection: createGraphConnection({
          baseUrl: request.graphUrl,
          authProvider: {
            getAccessToken: () =>
              token().catch((error: unknown) => {
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
