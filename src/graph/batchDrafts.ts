// The batch clean-up through Graph: one reply-all draft per chosen conversation, in JSON $batch requests, saved in
// Drafts and never sent (there is no send call anywhere in Rekindle). Needs Mail.ReadWrite, which the pane asks for
// only when the user first creates drafts (DRAFT_SCOPES); the CLI's token must carry it.
//
// Per conversation, in order:
// 1. The last-moment check (lastMomentCheck.ts): a human answer newer than my last attempt, in any folder, refuses
//    the draft with who answered, when and where.
// 2. Our earlier draft: Drafts is searched for the conversation's unsent drafts (isDraft) that carry our marker, the
//    x-rekindle-technique header. One found is reused, so running the clean-up twice, or again after it was
//    interrupted, never makes two Rekindle drafts in one conversation. Its body is left as it is (the user may have
//    edited it in Outlook); only a subject that is not the technique's is set again.
// 3. createReplyAll with `comment` (our HTML, which Graph puts above the quoted thread; a PATCH of `body` would
//    replace the history) and `message` (https://learn.microsoft.com/graph/api/message-createreplyall: "Any
//    writeable properties to update in the reply-all message"; only `message.body` may not come with a comment)
//    holding the technique's subject and the marker, so a draft is marked from the moment it exists.
// 4. PATCH { subject } where the draft's subject is not the technique's (Graph: subject is "Updatable only if
//    isDraft = true", https://learn.microsoft.com/graph/api/message-update).
//
// The marker is the header as its named property in PS_INTERNET_HEADERS (TECHNIQUE_PROPERTY), not
// internetMessageHeaders: Graph takes custom headers "only when creating a message" (resources/message), i.e. on
// POST /me/messages, not on createReplyAll, and message-update does not list internetMessageHeaders among the
// properties it can change, while singleValueExtendedProperties can be set on create and update alike. Exchange
// writes each string property of PS_INTERNET_HEADERS out as a header of that name when the message is sent
// ([MS-OXCMAIL] 2.1.3.2.4 "Arbitrary MIME Headers"), and a sync reads it back the way it reads Auto-Submitted.
import type { DraftOutcome, PlannedDraft } from "../core/cleanUp";
import type { MailMessage } from "../core/message";
import type { GraphConnection } from "./graphClient";
import { type BatchAnswer, type BatchRequest, batchErrorText, noAnswer, sendBatches } from "./batchRequests";
import { conversationFilter, findNewerAnswers, type NewerAnswer } from "./lastMomentCheck";
import { TECHNIQUE_PROPERTY } from "./mapMessage";

/** Where a batch run is: which step, and how many conversations are settled of how many. */
export interface DraftProgress {
  readonly phase: "checking" | "finding" | "creating";
  readonly done: number;
  readonly total: number;
}

export interface BatchDraftOptions {
  readonly connection: GraphConnection;
  readonly drafts: readonly PlannedDraft[];
  /** Whether a message counts as a human answer (the engine's rules), for the last-moment check. */
  readonly isAnswer: (message: MailMessage) => boolean;
  /** Words for a refusal, e.g. "Jane Doe answered on 3 Nov (in Projects)". */
  readonly describeAnswer: (answer: NewerAnswer) => string;
  /** Look everything up, create nothing: each outcome is would-create or would-reuse. */
  readonly dryRun?: boolean;
  readonly onProgress?: (progress: DraftProgress) => void;
  /** Stops sending further batches; what was not done is reported as a retryable failure. */
  readonly signal?: AbortSignal;
  /** Batches in flight (default 4) and rounds of retries (default 8); the sleep between rounds. */
  readonly maxInFlight?: number;
  readonly maxRounds?: number;
  readonly wait?: (ms: number) => Promise<void>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const IMMUTABLE_IDS = { Prefer: 'IdType="ImmutableId"' } as const;
const DRAFT_SELECT = "id,subject,isDraft,conversationId,webLink";
const MARKER_EXPAND = `singleValueExtendedProperties($filter=id eq '${TECHNIQUE_PROPERTY}')`;

interface FoundDraft {
  readonly id: string;
  readonly subject: string;
  readonly webLink: string | null;
}

/** Makes (or finds) one reply-all draft per planned conversation; returns one outcome per plan, in plan order. */
export async function createDraftsInBatches(options: BatchDraftOptions): Promise<DraftOutcome[]> {
  const plans = dedupe(options.drafts);
  const total = plans.length;
  const outcomes = new Map<string, DraftOutcome>();
  const progress = (phase: DraftProgress["phase"]) =>
    options.onProgress?.({ phase, done: outcomes.size, total });
  const settle = (outcome: DraftOutcome, phase: DraftProgress["phase"]) => {
    outcomes.set(outcome.conversationId, outcome);
    progress(phase);
  };
  const run = {
    ...(options.maxInFlight === undefined ? {} : { maxInFlight: options.maxInFlight }),
    ...(options.maxRounds === undefined ? {} : { maxRounds: options.maxRounds }),
    ...(options.wait ? { wait: options.wait } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const ordered = () =>
    plans.map(
      (p) =>
        outcomes.get(p.conversationId) ??
        ({
          status: "failed",
          conversationId: p.conversationId,
          reason: "stopped before this draft was made; run the clean-up again to finish",
          retryable: true,
        } as const),
    );
  if (total === 0) return [];
  progress("checking");

  // 1. The last-moment check, in the same sequential batches.
  let answers: Map<string, NewerAnswer[]>;
  try {
    answers = await findNewerAnswers({
      connection: options.connection,
      conversations: plans.map((p) => ({ conversationId: p.conversationId, after: p.after })),
      isAnswer: options.isAnswer,
      sendBatches: async (requests) => {
        const got = await sendBatches(options.connection, requests, { ...run, what: "checking for answers" });
        // No answer is not "no messages": it fails the check, as an error status does.
        return new Map([...got].map(([id, a]) => [id, a.status === 0 ? { ...a, status: 503 } : a] as const));
      },
    });
  } catch (error) {
    const reason = `could not check for newer answers: ${(error as Error).message}`;
    for (const p of plans)
      settle({ status: "failed", conversationId: p.conversationId, reason, retryable: true }, "checking");
    return ordered();
  }
  for (const p of plans) {
    const newest = answers.get(p.conversationId)?.[0];
    if (newest) {
      settle(
        {
          status: "answered",
          conversationId: p.conversationId,
          reason: options.describeAnswer(newest),
          answeredAt: newest.receivedAt,
        },
        "checking",
      );
    }
  }

  // 2–4, in rounds: a creation whose answer never came may have run, so its conversation is looked up again.
  let pending = plans.filter((p) => !outcomes.has(p.conversationId));
  for (let round = 1; pending.length > 0 && round <= 3 && !options.signal?.aborted; round++) {
    progress("finding");
    const found = await findOurDrafts(options.connection, pending, run);
    const toCreate: PlannedDraft[] = [];
    const toRetitle: { plan: PlannedDraft; draft: FoundDraft; status: "created" | "existing" }[] = [];
    for (const plan of pending) {
      const result = found.get(plan.conversationId);
      if (!result || "error" in result) {
        settle(
          {
            status: "failed",
            conversationId: plan.conversationId,
            reason: `could not look for an earlier draft: ${result?.error ?? "no answer from Graph"}`,
            retryable: true,
          },
          "finding",
        );
      } else if (result.draft) {
        if (options.dryRun) {
          settle(
            { status: "would-reuse", conversationId: plan.conversationId, subject: plan.subject },
            "finding",
          );
        } else if (result.draft.subject !== plan.subject) {
          toRetitle.push({ plan, draft: result.draft, status: "existing" });
        } else settle(done(plan, result.draft, "existing"), "finding");
      } else if (options.dryRun) {
        settle(
          { status: "would-create", conversationId: plan.conversationId, subject: plan.subject },
          "finding",
        );
      } else toCreate.push(plan);
    }

    const unknown: PlannedDraft[] = [];
    if (toCreate.length > 0) {
      progress("creating");
      const created = await sendBatches(
        options.connection,
        toCreate.map((plan, i) => ({
          id: `d${i}`,
          method: "POST",
          url: `/me/messages/${encodeURIComponent(plan.replyToMessageId)}/createReplyAll`,
          headers: IMMUTABLE_IDS,
          body: {
            comment: plan.html,
            message: {
              subject: plan.subject,
              singleValueExtendedProperties: [{ id: TECHNIQUE_PROPERTY, value: plan.technique }],
            },
          },
        })),
        { ...run, what: "creating drafts", notTwice: true },
      );
      toCreate.forEach((plan, i) => {
        const answer = created.get(`d${i}`) ?? noAnswer("NoAnswer", "no answer from Graph");
        const draft = answer.status >= 200 && answer.status < 300 ? draftOf(answer.body) : null;
        if (draft) {
          if (draft.subject !== plan.subject) toRetitle.push({ plan, draft, status: "created" });
          else settle(done(plan, draft, "created"), "creating");
        } else if (answer.status === 0 || answer.status === 503 || answer.status === 504) {
          // It may have run: look the conversation up again rather than create a second draft.
          unknown.push(plan);
        } else {
          settle(
            {
              status: "failed",
              conversationId: plan.conversationId,
              reason: `could not create the draft: ${batchErrorText(answer)}`,
              retryable: answer.status >= 500 || answer.status === 429,
            },
            "creating",
          );
        }
      });
    }

    if (toRetitle.length > 0) {
      const patched = await sendBatches(
        options.connection,
        toRetitle.map(({ plan, draft }, i) => ({
          id: `s${i}`,
          method: "PATCH",
          url: `/me/messages/${encodeURIComponent(draft.id)}`,
          headers: IMMUTABLE_IDS,
          body: { subject: plan.subject },
        })),
        { ...run, what: "setting the drafts' subjects" },
      );
      toRetitle.forEach(({ plan, draft, status }, i) => {
        const answer = patched.get(`s${i}`) ?? noAnswer("NoAnswer", "no answer from Graph");
        if (answer.status >= 200 && answer.status < 300) {
          settle(done(plan, { ...draft, subject: plan.subject }, status), "creating");
        } else {
          settle(
            {
              status: "failed",
              conversationId: plan.conversationId,
              reason: `the draft is in Drafts, but its subject could not be set: ${batchErrorText(answer)}`,
              retryable: true,
            },
            "creating",
          );
        }
      });
    }
    pending = unknown;
    if (pending.length > 0 && !options.signal?.aborted) await (options.wait ?? pause)(1000 * round);
  }
  return ordered();
}

function done(plan: PlannedDraft, draft: FoundDraft, status: "created" | "existing"): DraftOutcome {
  return {
    status,
    conversationId: plan.conversationId,
    draftId: draft.id,
    webLink: draft.webLink,
    folder: "Drafts",
    subject: draft.subject,
  };
}

function draftOf(body: unknown): FoundDraft | null {
  const b = (body ?? {}) as { id?: unknown; subject?: unknown; webLink?: unknown };
  if (typeof b.id !== "string" || b.id === "") return null;
  return {
    id: b.id,
    subject: typeof b.subject === "string" ? b.subject : "",
    webLink: typeof b.webLink === "string" && /^https:\/\//.test(b.webLink) ? b.webLink : null,
  };
}

/** One conversation once per run (the first plan wins). */
function dedupe(plans: readonly PlannedDraft[]): PlannedDraft[] {
  const seen = new Set<string>();
  return plans.filter((p) => {
    if (!p.conversationId || seen.has(p.conversationId)) return false;
    seen.add(p.conversationId);
    return true;
  });
}

/** Per conversation: our unsent draft in Drafts (or null), or why the lookup failed. */
async function findOurDrafts(
  connection: GraphConnection,
  plans: readonly PlannedDraft[],
  run: Omit<Parameters<typeof sendBatches>[2], "what">,
): Promise<Map<string, { draft: FoundDraft | null } | { error: string }>> {
  const requests: BatchRequest[] = plans.map((plan, i) => ({
    id: `f${i}`,
    method: "GET",
    url:
      `/me/mailFolders/drafts/messages?$filter=${encodeURIComponent(conversationFilter(plan.conversationId))}` +
      `&$select=${DRAFT_SELECT}&$expand=${encodeURIComponent(MARKER_EXPAND)}&$top=50`,
    headers: IMMUTABLE_IDS,
  }));
  const answers = await sendBatches(connection, requests, { ...run, what: "looking for earlier drafts" });
  const out = new Map<string, { draft: FoundDraft | null } | { error: string }>();
  plans.forEach((plan, i) => {
    const answer: BatchAnswer = answers.get(`f${i}`) ?? noAnswer("NoAnswer", "no answer from Graph");
    if (answer.status < 200 || answer.status >= 300) {
      out.set(plan.conversationId, { error: batchErrorText(answer) });
      return;
    }
    const value = (answer.body as { value?: unknown } | null)?.value;
    const ours = (Array.isArray(value) ? value : []).find((raw: unknown) =>
      isOurDraft(raw, plan.conversationId),
    );
    out.set(plan.conversationId, { draft: ours ? draftOf(ours) : null });
  });
  return out;
}

/** An unsent draft of the conversation that carries our marker (any technique: one Rekindle draft per conversation). */
function isOurDraft(raw: unknown, conversationId: string): boolean {
  if (raw === null || typeof raw !== "object") return false;
  const m = raw as { isDraft?: unknown; conversationId?: unknown; singleValueExtendedProperties?: unknown };
  if (m.isDraft !== true || m.conversationId !== conversationId) return false;
  const props = Array.isArray(m.singleValueExtendedProperties) ? m.singleValueExtendedProperties : [];
  return props.some((p: unknown) => {
    const { id, value } = (p ?? {}) as { id?: unknown; value?: unknown };
    return (
      typeof id === "string" &&
      id.toLowerCase() === TECHNIQUE_PROPERTY.toLowerCase() &&
      typeof value === "string" &&
      value !== ""
    );
  });
}
