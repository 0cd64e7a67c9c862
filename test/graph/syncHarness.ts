// Builders for sync tests: a generated mailbox served by the emulator, and the real Graph client pointed at it.
import {
  createGraphConnection,
  StaticTokenProvider,
  type GraphConnection,
} from "../../src/graph/graphClient";
import {
  type MailSyncOptions,
  type MailSyncResult,
  pickedFolder,
  syncMailbox,
} from "../../src/graph/mailSync";
import { parseMailboxJson } from "../../src/graph/mailboxFile";
import { mapGraphMessages } from "../../src/graph/mapMessage";
import type { Instant, MailMessage } from "../../src/core/message";
import type { CacheStore } from "../../src/store/cacheStore";
import { generateMailbox } from "../fixtures/mailboxGenerator";
import type { MailboxJson } from "../fixtures/graphMessage";
import { type EmulatorOptions, type RunningEmulator, startGraphEmulator } from "../emulator/graphEmulator";

/** Folders every sync covers: Sent Items, Inbox and Archive. */
export const SYNCED_FOLDERS = 3;
/** A first sync's requests besides the listing pages: /me, and each folder's size and first delta request. */
export const FIRST_SYNC_FIXED = 1 + 2 * SYNCED_FOLDERS;
/** An incremental sync with nothing new: /me and one delta request per folder. */
export const IDLE_SYNC_REQUESTS = 1 + SYNCED_FOLDERS;

/** A fixed wall clock for the emulator and the sync, so runs are reproducible. */
export const CLOCK = Date.parse("2026-06-01T12:00:00Z");
export const NOW = CLOCK as Instant;
export const clock = (): number => CLOCK;

export function smallMailbox(seed = 7, sent = 60, inbox = 140): MailboxJson {
  // Everything is older than the delta seam (an hour before CLOCK).
  return generateMailbox({ seed, sent, inbox, now: new Date(CLOCK - 2 * 3600_000) });
}

export async function startEmulator(
  mailbox: MailboxJson,
  options: Partial<EmulatorOptions> = {},
): Promise<RunningEmulator> {
  return startGraphEmulator({ mailbox, clock, ...options });
}

export function connect(emulator: RunningEmulator, token = emulator.token): GraphConnection {
  return createGraphConnection({
    baseUrl: emulator.url,
    authProvider: new StaticTokenProvider(token),
    maxRetries: 10,
    retryDelaySeconds: 0,
  });
}

export function sync(
  emulator: RunningEmulator,
  store: CacheStore,
  options: Partial<MailSyncOptions> = {},
): Promise<MailSyncResult> {
  return syncMailbox({ connection: connect(emulator), store, now: NOW, windowDays: 365, clock, ...options });
}

/** Messages in a canonical order, for comparing caches. */
export function canonical(messages: readonly MailMessage[]): MailMessage[] {
  return [...messages].sort((a, b) =>
    a.folder === b.folder ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.folder < b.folder ? -1 : 1,
  );
}

/**
 * What the cache must hold: the emulator's current mailbox (Sent Items, Inbox, Archive, and Projects when picked),
 * mapped exactly as a mailbox file would be.
 */
export function expectedMessages(
  emulator: RunningEmulator,
  me: MailboxJson["me"],
  options: { projects?: boolean } = {},
): MailMessage[] {
  const file = {
    me,
    sentitems: emulator.folderMessages("sentitems"),
    inbox: emulator.folderMessages("inbox"),
  };
  const skipped = {};
  return canonical([
    ...parseMailboxJson(file, "emulator").mailbox.messages,
    ...mapGraphMessages(emulator.folderMessages("archive"), "archive", skipped),
    ...(options.projects
      ? mapGraphMessages(
          emulator.folderMessages("projects"),
          pickedFolder(emulator.folderId("projects")),
          skipped,
        )
      : []),
  ]);
}
