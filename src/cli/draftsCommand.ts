// `rekindle drafts`: the batch pending-file clean-up from the command line. One reply-all draft per chosen
// conversation, made through Graph in $batch requests and saved in Drafts; nothing is sent. One line per draft, a
// summary, and exit 0 only when every draft was made or already existed. Re-running it is safe: a draft Rekindle
// made earlier is found and reused, never doubled.
import type { ConversationReport } from "../core/awaitingReply";
import { isMyMessage, myAddressesOf } from "../core/awaitingReply";
import { detectAutomatedMail } from "../core/automatedMail";
import {
  type DraftOutcome,
  type NotDrafted,
  type PlannedDraft,
  selectForCleanUp,
  sentEntriesFor,
  summariseCleanUp,
} from "../core/cleanUp";
import { composeDraft } from "../core/draft";
import { type Instant, instant, type Me } from "../core/message";
import { singleLine } from "../core/plainText";
import type { Settings } from "../core/settings";
import { isTechnique, type Technique, TECHNIQUES } from "../core/technique";
import type { NewerAnswer } from "../graph/lastMomentCheck";
import { updateStateFile } from "../store/userStateFile";
import { type Flags, listFlag, stringFlag, UsageError } from "./args";
import { createDraftsThroughGraph } from "./graphSource";
import { conversationHandle } from "./scanOutput";
import { counted } from "../core/wording";

/** What the command needs from the CLI's composition root (main.ts). */
export interface DraftsDeps {
  readonly io: {
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly now: () => number;
    readonly locale?: string;
  };
  /** Loads the mailbox through Graph and the user state, as scan does. */
  readonly load: (flags: Flags) => Promise<{
    readonly me: Me;
    readonly settings: Settings;
    readonly timeZone: string;
    readonly reports: readonly ConversationReport[];
    readonly statePath: string | null;
  }>;
  readonly findConversation: (reports: readonly ConversationReport[], id: string) => ConversationReport;
}

/** Runs `rekindle drafts`; returns the exit code. */
export async function runDrafts(flags: Flags, deps: DraftsDeps): Promise<number> {
  const { io } = deps;
  const technique = stringFlag(flags, "technique");
  if (technique === undefined)
    throw new UsageError(`drafts needs --technique T (one of: ${TECHNIQUES.join(", ")})`);
  if (!isTechnique(technique))
    throw new UsageError(`unknown technique "${technique}"; choose one of: ${TECHNIQUES.join(", ")}`);
  const graphUrl = stringFlag(flags, "graph");
  if (!graphUrl) throw new UsageError("drafts makes drafts in your mailbox: it needs --graph [URL]");
  if ("mailbox" in flags) throw new UsageError("drafts works on your mailbox through --graph, not --mailbox");
  const limitText = stringFlag(flags, "limit");
  const limit = limitText === undefined ? undefined : Number(limitText);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 10_000)) {
    throw new UsageError(`--limit needs a whole number from 1 to 10000, got "${limitText}"`);
  }
  const dryRun = flags["dry-run"] === true;
  const conversationIds = listFlag(flags, "conversation");

  const { me, settings, timeZone, reports, statePath } = await deps.load(flags);
  const locale = io.locale ?? "en-GB";
  const { chosen, refused } = selectForCleanUp(reports, {
    technique,
    conversationIds,
    ...(limit === undefined ? {} : { limit }),
    find: deps.findConversation,
  });
  const plans = chosen.map((report) => plan(report, me, settings, technique, { locale, timeZone }));
  const mine = myAddressesOf(me, settings.myAddresses);
  const token = stringFlag(flags, "token") ?? io.env.REKINDLE_TOKEN ?? "";
  let lastLine = 0;
  const outcomes =
    plans.length === 0
      ? []
      : await createDraftsThroughGraph({
          url: graphUrl.replace(/\/+$/, ""),
          token,
          drafts: plans,
          dryRun,
          isAnswer: (m) => !isMyMessage(m, mine) && detectAutomatedMail(m) === null,
          describeAnswer: (answer) => answerWords(answer, locale, timeZone),
          onNotice: (text) => io.stderr(`rekindle: ${text}\n`),
          onProgress: (p) => {
            const at = io.now();
            if (at - lastLine < 250 && p.done < p.total) return;
            lastLine = at;
            io.stderr(`rekindle: ${PHASES[p.phase]}: ${p.done} of ${p.total} conversations done\n`);
          },
        });

  if (!dryRun && statePath) {
    const entries = sentEntriesFor(outcomes, plans, instant(io.now()));
    if (entries.length > 0) {
      await updateStateFile(statePath, entries, (message) => io.stderr(`rekindle: ${message}\n`));
    }
  }
  const subjects = new Map(plans.map((p) => [p.conversationId, p.subject]));
  for (const o of outcomes) io.stdout(outcomeLine(o, subjects.get(o.conversationId) ?? ""));
  for (const r of refused) io.stdout(refusedLine(r));
  const summary = summariseCleanUp(outcomes, refused.length);
  io.stdout(summaryLine(summary, dryRun, technique));
  return summary.allDrafted ? 0 : 1;
}

const PHASES = {
  checking: "checking for newer answers",
  finding: "looking for drafts made earlier",
  creating: "creating drafts",
} as const;

function plan(
  report: ConversationReport,
  me: Me,
  settings: Settings,
  technique: Technique,
  context: { locale: string; timeZone: string },
): PlannedDraft {
  const message = composeDraft(report, me, settings, technique, context);
  return {
    conversationId: report.conversationId,
    replyToMessageId: report.lastAttemptMessageId as string,
    after: report.lastAttemptAt as Instant,
    technique,
    subject: message.subject,
    html: message.html,
    edited: false,
  };
}

/** "Jane Doe answered on 3 Nov (in Projects)", as `rekindle draft` says it. */
export function answerWords(answer: NewerAnswer, locale: string, timeZone: string): string {
  const who = singleLine(answer.from?.name || answer.from?.address || "someone");
  const when = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone }).format(
    new Date(answer.receivedAt),
  );
  return `${who} answered on ${when} (in ${singleLine(answer.folderName)})`;
}

const column = (word: string) => word.padEnd(13);
const handleOf = (id: string) => conversationHandle(id);

function outcomeLine(o: DraftOutcome, subject: string): string {
  const h = handleOf(o.conversationId);
  switch (o.status) {
    case "created":
      return `${column("created")}${h}  "${singleLine(o.subject)}" in Drafts\n`;
    case "existing":
      return `${column("in Drafts")}${h}  "${singleLine(o.subject)}" (made earlier; left as it is)\n`;
    case "answered":
      return `${column("answered")}${h}  ${singleLine(o.reason)}; nothing drafted\n`;
    case "failed":
      return `${column("failed")}${h}  ${singleLine(o.reason)}${o.retryable ? " (run it again to retry)" : ""}\n`;
    case "would-create":
      return `${column("would create")}${h}  "${singleLine(subject)}"\n`;
    case "would-reuse":
      return `${column("would reuse")}${h}  the draft made earlier\n`;
  }
}

function refusedLine(r: NotDrafted): string {
  return `${column("skipped")}${handleOf(r.conversationId)}  ${singleLine(r.reason)}\n`;
}

function summaryLine(s: ReturnType<typeof summariseCleanUp>, dryRun: boolean, technique: Technique): string {
  const parts = dryRun
    ? [`${counted(s.planned, "draft")} to make or reuse`]
    : [`${counted(s.created, "draft")} created`, `${s.existing} already in Drafts`];
  if (s.answered > 0) parts.push(`${s.answered} answered meanwhile`);
  if (s.failed > 0) parts.push(`${s.failed} not drafted`);
  const total = s.created + s.existing + s.answered + s.failed + s.planned;
  if (total === 0) return `No conversation to draft for with ${technique}.\n`;
  const tail = dryRun
    ? "Dry run: nothing was created."
    : "Nothing was sent: review the drafts in your Drafts folder and send them from there.";
  return `${parts.join(", ")}. ${tail}\n`;
}
