// Lists of reports as user state changes: which conversations a change touches, and a list with some of them judged
// again, still in order. Pure (no React), so the judging worker uses it too.
import { compareReports, type ConversationReport, type Judgement } from "../../core/awaitingReply";
import type { UserState } from "../../core/userState";

/** The list as last judged, kept so the next open paints it at once, with the user state it was judged under. */
export interface JudgedList {
  readonly reports: readonly ConversationReport[];
  readonly userState: UserState;
}

/** The conversations whose entries differ between two user states. */
export function touchedConversations(before: UserState, after: UserState): Set<string> {
  const out = new Set<string>();
  const compare = (a: Readonly<Record<string, unknown>> = {}, b: Readonly<Record<string, unknown>> = {}) => {
    if (a === b) return;
    for (const k of Object.keys(a)) if (!(k in b) || a[k] !== b[k]) out.add(k);
    for (const k of Object.keys(b)) if (!(k in a)) out.add(k);
  };
  compare(before.snoozes, after.snoozes);
  compare(before.closed, after.closed);
  compare(before.deferrals, after.deferrals);
  compare(before.referrers, after.referrers);
  if (before.loggedAttempts !== after.loggedAttempts) {
    const key = (a: UserState["loggedAttempts"][number]) => `${a.id}\u0000${a.at}\u0000${a.conversationId}`;
    const was = new Set(before.loggedAttempts.map(key));
    const now = new Set(after.loggedAttempts.map(key));
    for (const a of before.loggedAttempts) if (!now.has(key(a))) out.add(a.conversationId);
    for (const a of after.loggedAttempts) if (!was.has(key(a))) out.add(a.conversationId);
  }
  return out;
}

/** The reports with the given conversations judged again under `userState`, still in compareReports order. */
export function rejudge(
  reports: readonly ConversationReport[],
  judgement: Judgement,
  conversationIds: ReadonlySet<string>,
  userState: UserState,
): ConversationReport[] {
  const fresh = new Map<string, ConversationReport | null>();
  for (const id of conversationIds) fresh.set(id, judgement.judge(id, userState));
  return withReports(reports, fresh);
}

/**
 * The reports with those of `fresh` in place of their conversations' (left out where null), still in
 * compareReports order.
 */
export function withReports(
  reports: readonly ConversationReport[],
  fresh: ReadonlyMap<string, ConversationReport | null>,
): ConversationReport[] {
  if (fresh.size === 0) return [...reports];
  const kept = reports.filter((r) => !fresh.has(r.conversationId));
  for (const report of fresh.values()) {
    if (!report) continue;
    // Binary search for its place: the list stays sorted without sorting 40,000 reports again.
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareReports(kept[mid] as ConversationReport, report) <= 0) lo = mid + 1;
      else hi = mid;
    }
    kept.splice(lo, 0, report);
  }
  return kept;
}
