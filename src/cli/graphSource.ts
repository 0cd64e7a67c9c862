import type { Instant } from "../core/message";
import type { LoadedMailbox } from "../graph/mailboxFile";

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
  readonly now: Instant;
  readonly windowDays: number;
  readonly onProgress?: (progress: CliSyncProgress) => void;
}

/** Syncs the mailbox through Graph (placeholder until the sync engine lands). */
export async function loadMailboxFromGraph(_options: GraphSourceOptions): Promise<LoadedMailbox> {
  throw new Error("Reading from Microsoft Graph is not available in this build yet.");
}
