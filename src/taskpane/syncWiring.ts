// The pane's cache and sync engine: which CacheStore implementation backs the pane, and how a sync runs.
import type { Instant } from "../core/message";
import type { GraphConnection } from "../graph/graphClient";
import { syncMailbox } from "../graph/mailSync";
import type { CacheStore } from "../store/cacheStore";
import { IdbCacheStore } from "../store/idbCacheStore";
import type { RunSync } from "./graphMailboxSource";

/** Opens the pane's local cache: IndexedDB, one database per add-in partition (and a separate one for the demo). */
export function openCacheStore(databaseName: string): Promise<CacheStore> {
  return IdbCacheStore.open(databaseName);
}

/** A RunSync on the sync engine: the window comes from the settings at the time of each sync. */
export function createSync(
  connection: GraphConnection,
  store: CacheStore,
  now: () => Instant,
  windowDays: () => Promise<number>,
): RunSync {
  return async (onProgress) => {
    const result = await syncMailbox({
      connection,
      store,
      now: now(),
      windowDays: await windowDays(),
      onProgress: (p) => onProgress({ phase: p.phase, synced: p.synced, expected: p.expected }),
    });
    return result.changes;
  };
}
