// The engine's reports for the pane, kept up to date cheaply: a new mailbox, new settings or another day means a
// new judgement of every conversation, but a change of user state (snooze, close, a logged call, undo) re-judges
// only the conversations it touches, and search or selection never judge at all.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { JudgeInput, Judging } from "./judging";
import { prepareJudgement, type ConversationReport, type Judgement } from "../../core/awaitingReply";
import type { Instant, Mailbox } from "../../core/message";
import type { Settings } from "../../core/settings";
import type { UserState } from "../../core/userState";
import { rejudge, touchedConversations, withReports, type JudgedList } from "./reportLists";

/** User Timing measures that bench:ui reads; nothing where the host lacks the API (e.g. jsdom). */
function measure(name: string, start: number): void {
  if (typeof performance !== "undefined" && typeof performance.measure === "function") {
    performance.measure(name, { start, end: performance.now() });
  }
}
const clock = (): number => (typeof performance !== "undefined" ? performance.now() : 0);

/** Called after each judgement of every conversation (not after a re-judgement of a few), to keep the list. */
type OnJudgedAll = (reports: readonly ConversationReport[], userState: UserState) => void;

/**
 * The reports of `mailbox` under the settings and user state, re-judging only what a user-state change touches;
 * null until the mailbox is first judged. With `judging` (the engine in a worker) the judging never blocks the
 * pane: until an answer comes, the reports last judged are shown, less any conversation whose user state changed
 * since. Should the worker fail, the pane judges on its own thread.
 */
export function useJudgedReports(
  mailbox: Mailbox | null,
  settings: Settings,
  userState: UserState,
  now: Instant,
  where: { readonly timeZone: string; readonly locale: string },
  onJudgedAll?: OnJudgedAll,
  judging?: Judging | null,
): readonly ConversationReport[] | null {
  const input = useMemo<JudgeInput | null>(
    () => (mailbox ? { mailbox, settings, now, timeZone: where.timeZone, locale: where.locale } : null),
    [mailbox, settings, now, where],
  );
  const [workerFailed, setWorkerFailed] = useState(false);
  const worker = judging && !workerFailed ? judging : null;
  const inThread = useJudgedInThread(worker ? null : input, userState, onJudgedAll);
  const inWorker = useJudgedInWorker(worker, input, userState, onJudgedAll, () => setWorkerFailed(true));
  return worker ? inWorker : inThread;
}

/** Judging on the pane's own thread, during render (React's pattern for state derived from props). */
function useJudgedInThread(
  input: JudgeInput | null,
  userState: UserState,
  onJudgedAll: OnJudgedAll | undefined,
): readonly ConversationReport[] | null {
  const judgement = useMemo(() => {
    if (!input) return null;
    const start = clock();
    const out = prepareJudgement(input.mailbox, {
      now: input.now,
      settings: input.settings,
      timeZone: input.timeZone,
      locale: input.locale,
    });
    measure("rekindle:prepare", start);
    return out;
  }, [input]);
  // The previous reports are what a user-state change re-judges from.
  const [held, setHeld] = useState<{
    readonly judgement: Judgement | null;
    readonly userState: UserState;
    readonly reports: readonly ConversationReport[];
    readonly full: boolean;
  }>({ judgement: null, userState, reports: [], full: false });
  useEffect(() => {
    if (held.full && held.judgement) onJudgedAll?.(held.reports, held.userState);
  }, [held]); // eslint-disable-line react-hooks/exhaustive-deps -- once per judgement, whoever the callback is
  if (!judgement) return null;
  if (held.judgement === judgement && held.userState === userState) return held.reports;
  const start = clock();
  let reports: readonly ConversationReport[];
  let full = false;
  if (held.judgement === judgement) {
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

interface HeldInWorker {
  readonly input: JudgeInput | null;
  readonly userState: UserState;
  readonly reports: readonly ConversationReport[] | null;
}

/** Judging in the worker: one request at a time, each answer asking for the next when the inputs moved on. */
function useJudgedInWorker(
  judging: Judging | null,
  input: JudgeInput | null,
  userState: UserState,
  onJudgedAll: OnJudgedAll | undefined,
  onFail: () => void,
): readonly ConversationReport[] | null {
  const [held, setHeld] = useState<HeldInWorker>({ input: null, userState, reports: null });
  const [answers, setAnswers] = useState(0);
  const busy = useRef(false);
  const latest = useRef(input);
  const callbacks = useRef({ onJudgedAll, onFail });
  useLayoutEffect(() => {
    latest.current = input;
    callbacks.current = { onJudgedAll, onFail };
  });
  useEffect(() => {
    if (!judging || !input || busy.current) return;
    if (held.input === input && held.userState === userState) return;
    busy.current = true;
    const base = held;
    const under = userState;
    const all = () =>
      judging.judgeAll(input, under).then((reports) => ({ input, userState: under, reports, full: true }));
    const work: Promise<HeldInWorker & { full: boolean }> =
      base.input === input && base.reports
        ? judging
            .rejudge([...touchedConversations(base.userState, under)], under)
            .then((fresh) => ({
              input,
              userState: under,
              reports: withReports(base.reports ?? [], fresh),
              full: false,
            }))
            // A worker that cannot re-judge (it holds no judgement of this mailbox) judges everything instead;
            // only a worker that cannot judge at all sends the pane to judging on its own thread.
            .catch(all)
        : all();
    work.then(
      (next) => {
        busy.current = false;
        // A mailbox, settings or day that moved on meanwhile: this answer is for nothing shown, ask again.
        if (latest.current !== next.input) {
          setAnswers((n) => n + 1);
          return;
        }
        setHeld(next);
        if (next.full && !judging.keepsJudgedList) callbacks.current.onJudgedAll?.(next.reports ?? [], under);
      },
      () => {
        busy.current = false;
        callbacks.current.onFail();
      },
    );
  }, [judging, input, userState, held, answers]);
  // Until the answer for these inputs comes: the reports last judged, less what the user changed since.
  return useMemo(() => {
    if (!judging || !held.reports) return null;
    if (held.userState === userState) return held.reports;
    const touched = touchedConversations(held.userState, userState);
    return touched.size ? held.reports.filter((r) => !touched.has(r.conversationId)) : held.reports;
  }, [judging, held, userState]);
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
