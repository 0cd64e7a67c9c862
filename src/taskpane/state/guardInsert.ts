// The pane's last-moment check before Insert: the conversation is looked up across the whole mailbox, and a human
// answer newer than my last attempt (one an Inbox rule filed elsewhere, or one archived before the sync) refuses
// the insert with who answered, when and where. The answer is handed back so the pane can show it as replied.
import type { ConversationReport } from "../../core/awaitingReply";
import { singleLine } from "../../core/plainText";
import type { AnswerElsewhere, PaneServices } from "../services";

export type InsertGuard =
  | { readonly ok: true }
  | { readonly ok: false; readonly message: string; readonly answer: AnswerElsewhere | null };

/** "Jane Doe answered on 3 Nov (in Projects)", in the user's zone and language. */
export function answeredElsewhere(
  answer: AnswerElsewhere,
  where: { readonly timeZone: string; readonly locale: string },
): string {
  const from = answer.message.from;
  const who = singleLine(from?.name || from?.address || "Someone");
  const day = new Intl.DateTimeFormat(where.locale, {
    day: "numeric",
    month: "short",
    timeZone: where.timeZone,
  }).format(new Date(answer.message.receivedAt));
  return `${who} answered on ${day} (in ${singleLine(answer.folderName)})`;
}

/** Looks for a newer answer before inserting into `report`'s conversation; ok when there is none (or no Graph). */
export async function guardInsert(
  check: PaneServices["lastMomentCheck"],
  report: ConversationReport,
  where: { readonly timeZone: string; readonly locale: string },
): Promise<InsertGuard> {
  if (!check || report.lastAttemptAt === null) return { ok: true };
  let answer: AnswerElsewhere | null;
  try {
    answer = await check(report.conversationId, report.lastAttemptAt);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      answer: null,
      message: `Nothing was inserted: Rekindle could not check for a newer answer first (${singleLine(why)}). Try again.`,
    };
  }
  if (!answer) return { ok: true };
  return {
    ok: false,
    answer,
    message: `${answeredElsewhere(answer, where)}. Nothing was inserted. To have Rekindle read that folder, pick it in Settings under "Also look in these folders".`,
  };
}
