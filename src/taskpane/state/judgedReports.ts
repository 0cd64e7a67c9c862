// The engine's reports for the pane, kept up to date cheaply: a new mailbox, new settings or another day means a
// new judgement of every conversation, but a change of user state (snooze, close, a logged call, undo) re-judges
// only the conversations it touches, and search or selection never judge at all.
import { useEffect, useMemo, useState } from "react";
import {
  compareReports,
  prepareJudgement,
  type ConversationReport,
  type Judgement,
} from "../../core/awaitingReply";
import type { Instant, Mailbox } from "../../core/message";
import type { Settings } from "../../core/settings";
import type { UserState } from "../../core/userState";

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
  if (conversationIds.size === 0) return [...reports];
  const kept = reports.filter((r) => !conversationIds.has(r.conversationId));
  for (const id of conversationIds) {
    const report = judgement.judge(id, userState);
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

/** User Timing measures that bench:ui reads; nothing where the host lacks the API (e.g. jsdom). */
function measure(name: string, start: number): void {
  if (typeof performance !== "undefined" && typeof performance.measure === "function") {
    performance.measure(name, { start, end: performance.now() });
  }
}
const clock = (): number => (typeof performance !== "undefined" ? performance.now() : 0);

/** The reports of `mailbox` under the settings and user state, re-judging only what a user-state change touches. */
export function useJudgedReports(
  mailbox: Mailbox | null,
  settings: Settings,
  userState: UserState,
  now: Instant,
  where: { readonly timeZone: string; readonly locale: string },
  /** Called after each judgement of every conversation (not after a re-judgement of a few), to keep the list. */
  onJudgedAll?: (reports: readonly ConversationReport[], userState: UserState) => void,
): readonly ConversationReport[] {
  const judgement = useMemo(() => {
    if (!mailbox) return null;
    const start = clock();
    const out = prepareJudgement(mailbox, { now, settings, ...where });
    measure("rekindle:prepare", start);
    return out;
  }, [mailbox, settings, now, where]);
  // Derived during render (React's pattern for state from props): the previous reports are what a user-state
  // change re-judges from.
  const [held, setHeld] = useState<{
    readonly judgement: Judgement | null;
    readonly userState: UserState;
    readonly reports: readonly ConversationReport[];
    readonly full: boolean;
  }>({ judgement: null, userState, reports: [], full: false });
  useEffect(() => {
    if (held.full && held.judgement) onJudgedAll?.(held.reports, held.userState);
  }, [held]); // eslint-disable-line react-hooks/exhaustive-deps -- once per judgement, whoever the callback is
  if (held.judgement === judgement && held.userState === userState) return held.reports;
  const start = clock();
  let reports: readonly ConversationReport[];
  let full = false;
  if (!judgement) reports = [];
  else if (held.judgement === judgement) {
    reports = rejudge(held.reports, judgement, touchedConversations(held.userState, userState), userState);
    measure("rekindle:rejudge", start);
  } else {
    reports = judgement.judgeAll(userState);
    full = true;
    measure("rekindle:classify", start);
  }
  setHeld({ judgement, userState, reports, full });
  return reports;
}

/** The list as last judged, kept so the next open paints it at once, with the user state it was judged under. */
export interface JudgedList {
  readonly reports: readonly ConversationReport[];
  readonly userState: UserState;
}

/**
 * The kept list as it may be shown before the mailbox is judged again: conversations whose user state changed
 * since (a snooze in another pane, say) are left out until then, so the list never shows a stale verdict.
 */
export function shownFromJudgedList(list: JudgedList, userState: UserState): ConversationReport[] {
  const touched = touchedConversations(list.userState, userState);
  return list.reports.filter((r) => !touched.has(r.conversationId));
}

/** A kept list read back, or null when it is not one (another version wrote it, or it is damaged). */
export function asJudgedList(value: unknown): JudgedList | null {
  if (!value || typeof value !== "object") return null;
  const v = value as { reports?: unknown; userState?: unknown };
  if (!Array.isArray(v.reports) || !v.userState || typeof v.userState !== "object") return null;
  const u = v.userState as Partial<UserState>;
  if (!u.snoozes || !u.closed || !Array.isArray(u.loggedAttempts)) return null;
  const ok = v.reports.every(
    (r: unknown) =>
      !!r &&
      typeof r === "object" &&
      typeof (r as ConversationReport).conversationId === "string" &&
      typeof (r as ConversationReport).state === "string" &&
      Array.isArray((r as ConversationReport).prospects),
  );
  return ok ? (value as JudgedList) : null;
}
