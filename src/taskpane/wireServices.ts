// The wiring shared by Outlook and demo mode: Graph connections (read scopes for sync, draft scopes only for
// createReplyAll), the IndexedDB cache, the sync engine behind MailboxSource, and user state on the same cache.
import {
  DRAFT_SCOPES,
  READ_SCOPES,
  ScopedAuthenticationProvider,
  type TokenProvider,
} from "../auth/tokenProvider";
import { isMyMessage, myAddressesOf } from "../core/awaitingReply";
import { detectAutomatedMail } from "../core/automatedMail";
import { sentEntriesFor } from "../core/cleanUp";
import { instant, type Mailbox } from "../core/message";
import { singleLine } from "../core/plainText";
import { createDraftsInBatches } from "../graph/batchDrafts";
import { createGraphConnection } from "../graph/graphClient";
import { findNewerAnswers } from "../graph/lastMomentCheck";
import { listMailFolders } from "../graph/mailFolders";
import { createReplyAllDraft } from "../graph/replyDraft";
import { GraphMailboxSource, userStateStoreOn } from "./graphMailboxSource";
import { openStateChannel } from "./stateChannel";
import { createSync, openCacheStore } from "./syncWiring";
import type { RuntimeConfig } from "./runtimeConfig";
import type { MailHost, PaneServices, SettingsStore } from "./services";

export interface HostDependencies {
  /** Creates a reply-all draft through Graph (asks for Mail.ReadWrite at that moment). */
  readonly createReplyDraft: (replyToMessageId: string, html: string) => Promise<{ readonly id: string }>;
  /** The mailbox as last loaded or synced. */
  readonly currentMailbox: () => Mailbox | null;
}

export interface WireOptions {
  readonly mode: PaneServices["mode"];
  readonly config: RuntimeConfig;
  readonly tokens: TokenProvider;
  readonly databaseName: string;
  readonly settings: SettingsStore;
  readonly host: (dependencies: HostDependencies) => MailHost;
}

export async function wireServices(options: WireOptions): Promise<PaneServices> {
  const { config, tokens } = options;
  const read = createGraphConnection({
    baseUrl: config.graphUrl,
    authProvider: new ScopedAuthenticationProvider(tokens, READ_SCOPES),
  });
  const drafts = createGraphConnection({
    baseUrl: config.graphUrl,
    authProvider: new ScopedAuthenticationProvider(tokens, DRAFT_SCOPES),
  });
  const store = await openCacheStore(options.databaseName);
  const now = config.fixedNow === null ? () => instant(Date.now()) : () => instant(config.fixedNow!);
  const windowDays = () => options.settings.load().then((s) => s.windowDays);
  const folders = () => options.settings.load().then((s) => s.extraFolders);
  const mailbox = new GraphMailboxSource(store, createSync(read, store, now, windowDays, folders), () =>
    tokens.getToken(READ_SCOPES),
  );
  // Panes on one cache hear each other's user-state entries (a pinned pane and a second window).
  const userState = userStateStoreOn(store, openStateChannel(`rekindle-state:${options.databaseName}`));
  return {
    mode: options.mode,
    now,
    mailbox,
    userState,
    settings: options.settings,
    cleanUp: {
      createDrafts: async (plans, onProgress, where) => {
        // Mail.ReadWrite is asked for at this moment, as for a single draft.
        await tokens.getToken(DRAFT_SCOPES);
        const current = mailbox.current();
        const settings = await options.settings.load();
        const mine = myAddressesOf(current?.me ?? { displayName: "" }, settings.myAddresses);
        const when = new Intl.DateTimeFormat(where?.locale, {
          day: "numeric",
          month: "short",
          ...(where ? { timeZone: where.timeZone } : {}),
        });
        const outcomes = await createDraftsInBatches({
          connection: drafts,
          drafts: plans,
          isAnswer: (m) => !isMyMessage(m, mine) && detectAutomatedMail(m) === null,
          describeAnswer: (a) =>
            `${singleLine(a.from?.name || a.from?.address || "Someone")} answered on ${when.format(new Date(a.receivedAt))} (in ${singleLine(a.folderName)})`,
          onProgress: (p) => onProgress({ done: p.done, total: p.total }),
        });
        // Recorded entry by entry (a read-modify-write each), so another pane's changes are never undone.
        for (const entry of sentEntriesFor(outcomes, plans, now())) await userState.put(entry);
        return outcomes;
      },
    },
    mailFolders: () => listMailFolders(read),
    lastMomentCheck: async (conversationId, after) => {
      const me = mailbox.current()?.me;
      if (!me) return null; // nothing synced yet: there is no draft to guard either
      const mine = myAddressesOf(me, (await options.settings.load()).myAddresses);
      const found = await findNewerAnswers({
        connection: read,
        conversations: [{ conversationId, after }],
        isAnswer: (m) => !isMyMessage(m, mine) && detectAutomatedMail(m) === null,
      });
      const newest = found.get(conversationId)?.[0];
      return newest ? { message: newest.message, folderName: newest.folderName } : null;
    },
    host: options.host({
      // Mail.ReadWrite is asked for here, at the moment of drafting (incremental consent); sign-in errors surface as such.
      createReplyDraft: async (id, html) => {
        await tokens.getToken(DRAFT_SCOPES);
        return createReplyAllDraft(drafts, id, html);
      },
      currentMailbox: () => mailbox.current(),
    }),
  };
}
