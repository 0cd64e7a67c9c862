// The batch clean-up of the pending file, the pure part: which conversations to draft for, what the outcome of each
// draft means, and what to record in the user state. No I/O: src/graph/batchDrafts.ts does the Graph requests.
import type { ConversationReport, ConversationState } from "./awaitingReply";
import type { Instant } from "./message";
import type { Technique } from "./technique";
import type { StateEntry } from "./userStateEntries";

/** One reply-all draft to make: the conversation, my message it answers, and the rendered text. */
export interface PlannedDraft {
  readonly conversationId: string;
  /** My latest e-mail in the conversation (the report's lastAttemptMessageId): the draft replies to all of it. */
  readonly replyToMessageId: string;
  /** Answers received after this (my last attempt) make the last-moment check refuse the draft. */
  readonly after: Instant;
  readonly technique: Technique;
  /** The technique's subject, e.g. "SHOULD I CLOSE THE FILE???": the subject the prospect sees. */
  readonly subject: string;
  /** The message, HTML, put above the quoted thread. */
  readonly html: string;
  /** True when the user changed the template's text. */
  readonly edited: boolean;
}

/** What happened to one planned draft. */
export type DraftOutcome =
  | {
      /** made now, or found from an earlier run (an unsent draft carrying our header) and reused */
      readonly status: "created" | "existing";
      readonly conversationId: string;
      readonly draftId: string;
      readonly webLink: string | null;
      /** Always Drafts: nothing is ever sent. */
      readonly folder: "Drafts";
      readonly subject: string;
    }
  | {
      /** the last-moment check found a human answer newer than my last attempt */
      readonly status: "answered";
      readonly conversationId: string;
      /** e.g. "Jane Doe answered on 3 Nov (in Projects)" */
      readonly reason: string;
      readonly answeredAt: Instant;
    }
  | {
      readonly status: "failed";
      readonly conversationId: string;
      readonly reason: string;
      /** Running the clean-up again may succeed (it is idempotent: a draft made meanwhile is found, not doubled). */
      readonly retryable: boolean;
    }
  | {
      /** --dry-run: what a real run would do */
      readonly status: "would-create" | "would-reuse";
      readonly conversationId: string;
      readonly subject: string;
    };

export type DraftStatus = DraftOutcome["status"];

/** A conversation that was asked for but cannot be drafted, and why. */
export interface NotDrafted {
  readonly conversationId: string;
  readonly reason: string;
}

export interface CleanUpSelection {
  readonly chosen: readonly ConversationReport[];
  readonly refused: readonly NotDrafted[];
}

// States where nothing should be sent.
const NOTHING_TO_SEND: ReadonlySet<ConversationState> = new Set(["replied", "bounced", "declined", "left"]);

/**
 * The conversations to draft for. Without ids: every stale conversation whose suggested technique is `technique`,
 * most urgent first (the reports' order). With ids: those conversations (found by `find`), whatever their
 * suggested technique, except those where nothing should be sent. `limit` keeps the first N.
 */
export function selectForCleanUp(
  reports: readonly ConversationReport[],
  options: {
    readonly technique: Technique;
    readonly conversationIds?: readonly string[];
    readonly limit?: number;
    /** Finds a report by the id the user gave (full id or short handle); throws when there is none. */
    readonly find?: (reports: readonly ConversationReport[], id: string) => ConversationReport;
  },
): CleanUpSelection {
  const refused: NotDrafted[] = [];
  let chosen: ConversationReport[] = [];
  const ids = options.conversationIds ?? [];
  if (ids.length === 0) {
    chosen = reports.filter((r) => r.state === "stale" && r.technique === options.technique);
  } else {
    const seen = new Set<string>();
    for (const id of ids) {
      let report: ConversationReport;
      try {
        report = options.find
          ? options.find(reports, id)
          : (reports.find((r) => r.conversationId === id) ??
            (() => {
              throw new Error(`no conversation "${id}" with a message of yours`);
            })());
      } catch (error) {
        refused.push({ conversationId: id, reason: (error as Error).message });
        continue;
      }
      if (seen.has(report.conversationId)) continue;
      seen.add(report.conversationId);
      if (NOTHING_TO_SEND.has(report.state)) {
        refused.push({
          conversationId: report.conversationId,
          reason: `it is ${report.state}: ${report.reason}`,
        });
      } else chosen.push(report);
    }
  }
  const drafted: ConversationReport[] = [];
  for (const report of chosen) {
    if (report.prospects.length === 0) {
      refused.push({ conversationId: report.conversationId, reason: "no prospect to write to" });
    } else if (!report.lastAttemptMessageId || report.lastAttemptAt === null) {
      refused.push({ conversationId: report.conversationId, reason: "no message of yours to reply to" });
    } else drafted.push(report);
  }
  const limit = options.limit;
  return { chosen: limit === undefined ? drafted : drafted.slice(0, Math.max(0, limit)), refused };
}

/** Counts per outcome, and whether every draft was made or already existed (the CLI's exit 0). */
export interface CleanUpSummary {
  readonly created: number;
  readonly existing: number;
  readonly answered: number;
  readonly failed: number;
  readonly planned: number;
  readonly allDrafted: boolean;
}

export function summariseCleanUp(outcomes: readonly DraftOutcome[], refused = 0): CleanUpSummary {
  const count = (...statuses: DraftStatus[]) => outcomes.filter((o) => statuses.includes(o.status)).length;
  const created = count("created");
  const existing = count("existing");
  const answered = count("answered");
  const failed = count("failed") + refused;
  const planned = count("would-create", "would-reuse");
  return {
    created,
    existing,
    answered,
    failed,
    planned,
    allDrafted: answered === 0 && failed === 0,
  };
}

/**
 * The "sent" user-state entries for the drafts made or reused: one per draft, keyed by the draft's id, so
 * recording a reused draft again changes nothing.
 */
export function sentEntriesFor(
  outcomes: readonly DraftOutcome[],
  plans: readonly PlannedDraft[],
  at: Instant,
): StateEntry[] {
  const byConversation = new Map(plans.map((p) => [p.conversationId, p]));
  const entries: StateEntry[] = [];
  for (const o of outcomes) {
    if (o.status !== "created" && o.status !== "existing") continue;
    const plan = byConversation.get(o.conversationId);
    if (!plan) continue;
    entries.push({
      kind: "sent",
      id: o.draftId,
      at,
      conversationId: o.conversationId,
      technique: plan.technique,
      edited: plan.edited,
      path: "graph-draft",
    });
  }
  return entries;
}
