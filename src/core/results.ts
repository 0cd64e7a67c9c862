// What each technique earns, measured from the user's own mailbox: how many messages of each technique were sent,
// how many drew a human answer (under the engine's rules), how fast, what the answers said, and how many went dark
// again; and the user's own follow-up curve over the whole window, mail sent before Rekindle included. Pure: the
// caller passes `now`. Every rate comes with the counts behind it, and below MIN_SENT it is "not enough data".
import { attributeMessages, type Attribution, type MyMessage } from "./attribution";
import {
  conversationHistories,
  type ConversationHistory,
  type DetectOptions,
  type HistoryAnswer,
} from "./awaitingReply";
import type { Instant, Mailbox } from "./message";
import { TECHNIQUES, type Technique } from "./technique";
import type { SentRecord } from "./userStateEntries";

/** Below this many sent messages a rate says nothing: the pane and the CLI show "not enough data". */
export const MIN_SENT = 5;
const HOUR_MS = 3_600_000;
/** An unanswered message younger than this is still waiting, not counted as sent-and-unanswered (yet). */
export const SETTLE_MS = 72 * HOUR_MS;

/** What a seed article claims for a technique, to show beside the user's own figure. */
export interface SeedClaim {
  readonly withinHours: number;
  /** The share claimed to answer within that time (0–1). */
  readonly share: number;
  /** Where the claim comes from, in our words. */
  readonly source: string;
}

/** The seeds' claims: the pending-file e-mail (seed 002) and "Are you OK?" (seed 004). */
export const SEED_CLAIMS: Readonly<Partial<Record<Technique, SeedClaim>>> = {
  "pending-file": { withinHours: 72, share: 0.8, source: "Seed article 002: 80% answer within 72 hours" },
  "are-you-ok": { withinHours: 48, share: 1, source: "Seed article 004: every answer within 48 hours" },
};

/** What the answers said, by the engine's intent classifier. */
export interface AnswerKinds {
  readonly declined: number;
  /** "Later": they asked to hear from you again at a later date. */
  readonly later: number;
  /** A plain answer: positive or neutral. */
  readonly positive: number;
  readonly left: number;
}

export interface TechniqueResult {
  readonly technique: Technique;
  /** "Sent" records the pane or CLI made for it (inserted or drafted; maybe never sent). */
  readonly recorded: number;
  /** Messages of this technique found sent and settled (answered, or older than 72 h). */
  readonly sent: number;
  /** Sent less than 72 h ago and not answered yet: not counted in `sent`. */
  readonly waiting: number;
  /** Of those sent, how many the user edited before sending (as far as the records tell). */
  readonly edited: number;
  readonly answered: number;
  /** answered ÷ sent; null when nothing was sent. */
  readonly answerRate: number | null;
  /** False below MIN_SENT: show "not enough data" instead of the rates. */
  readonly enoughData: boolean;
  /** Median hours from the message to its answer; null with no answer. */
  readonly medianHoursToAnswer: number | null;
  readonly within48h: number;
  readonly within72h: number;
  /** within48h ÷ sent and within72h ÷ sent; null when nothing was sent. */
  readonly share48h: number | null;
  readonly share72h: number | null;
  readonly said: AnswerKinds;
  /** Answered, and the conversation has gone quiet again since (the engine calls it stale now). */
  readonly wentDarkAgain: number;
  readonly claim: SeedClaim | null;
}

/** One step of the follow-up curve: the user's k-th follow-up in a row without an answer. */
export interface FollowUpStep {
  /** 1, 2, 3, or 4 for "4th and later". */
  readonly step: 1 | 2 | 3 | 4;
  readonly label: "1st" | "2nd" | "3rd" | "4th+";
  readonly sent: number;
  readonly waiting: number;
  readonly answered: number;
  readonly answerRate: number | null;
  readonly enoughData: boolean;
  readonly medianHoursToAnswer: number | null;
}

export interface Results {
  readonly now: Instant;
  readonly techniques: readonly TechniqueResult[];
  readonly followUps: readonly FollowUpStep[];
  /** Settled messages of mine in the window, whatever their technique (the curve's base). */
  readonly messagesJudged: number;
  readonly minSent: number;
}

/** The answer one attempt drew: the first human answer after it and before my next attempt. */
interface Outcome {
  readonly at: Instant;
  readonly answer: HistoryAnswer | null;
  /** Settled: answered, or older than SETTLE_MS. */
  readonly settled: boolean;
}

function outcomesOf(history: ConversationHistory, now: Instant): Outcome[] {
  const { attempts, answers } = history;
  return attempts.map((a, i) => {
    const next = attempts[i + 1]?.at ?? Infinity;
    const answer = answers.find((x) => x.at > a.at && x.at < next) ?? null;
    return { at: a.at, answer, settled: answer !== null || now - a.at >= SETTLE_MS };
  });
}

/** Hours as a person reads them: "5 h" below two days, "2.1 days" from there; "-" for none. */
export function formatHours(hours: number | null): string {
  if (hours === null) return "-";
  if (hours < 48) return `${Math.round(hours)} h`;
  return `${Math.round((hours / 24) * 10) / 10} days`;
}

/** Median of a list of numbers; null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);
const hoursBetween = (a: Instant, b: Instant): number => (b - a) / HOUR_MS;

interface Tally {
  recorded: number;
  sent: number;
  waiting: number;
  edited: number;
  answered: number;
  hours: number[];
  within48h: number;
  within72h: number;
  said: { declined: number; later: number; positive: number; left: number };
  wentDarkAgain: number;
}

const emptyTally = (): Tally => ({
  recorded: 0,
  sent: 0,
  waiting: 0,
  edited: 0,
  answered: 0,
  hours: [],
  within48h: 0,
  within72h: 0,
  said: { declined: 0, later: 0, positive: 0, left: 0 },
  wentDarkAgain: 0,
});

function count(tally: Tally, outcome: Outcome, stale: boolean): void {
  if (!outcome.settled) {
    tally.waiting++;
    return;
  }
  tally.sent++;
  const answer = outcome.answer;
  if (!answer) return;
  tally.answered++;
  const hours = hoursBetween(outcome.at, answer.at);
  tally.hours.push(hours);
  if (hours <= 48) tally.within48h++;
  if (hours <= 72) tally.within72h++;
  if (answer.intent === "declined") tally.said.declined++;
  else if (answer.intent === "deferred") tally.said.later++;
  else if (answer.intent === "left") tally.said.left++;
  else tally.said.positive++;
  if (stale) tally.wentDarkAgain++;
}

/** The results from the engine's histories, the attributions of my messages and the sent records. */
export function computeResults(input: {
  readonly histories: readonly ConversationHistory[];
  readonly attributions: ReadonlyMap<string, Attribution>;
  readonly records: readonly SentRecord[];
  readonly now: Instant;
}): Results {
  const { histories, attributions, records, now } = input;
  const byTechnique = new Map<Technique, Tally>(TECHNIQUES.map((t) => [t, emptyTally()]));
  for (const r of records) byTechnique.get(r.technique)!.recorded++;
  const steps = [1, 2, 3, 4].map(() => ({ sent: 0, waiting: 0, answered: 0, hours: [] as number[] }));
  let judged = 0;

  for (const history of histories) {
    const outcomes = outcomesOf(history, now);
    const stale = history.state === "stale";
    let run = 0; // my messages in a row without an answer before this one
    history.attempts.forEach((attempt, i) => {
      const outcome = outcomes[i]!;
      const attribution = attributions.get(attempt.messageId);
      if (attribution) {
        const tally = byTechnique.get(attribution.technique)!;
        count(tally, outcome, stale);
        if (outcome.settled && attribution.record?.edited) tally.edited++;
      }
      if (outcome.settled) judged++;
      if (run > 0) {
        const step = steps[Math.min(run, 4) - 1]!;
        if (!outcome.settled) step.waiting++;
        else {
          step.sent++;
          if (outcome.answer) {
            step.answered++;
            step.hours.push(hoursBetween(outcome.at, outcome.answer.at));
          }
        }
      }
      run = outcome.answer ? 0 : run + 1;
    });
  }

  const techniques: TechniqueResult[] = TECHNIQUES.map((technique) => {
    const t = byTechnique.get(technique)!;
    return {
      technique,
      recorded: t.recorded,
      sent: t.sent,
      waiting: t.waiting,
      edited: t.edited,
      answered: t.answered,
      answerRate: rate(t.answered, t.sent),
      enoughData: t.sent >= MIN_SENT,
      medianHoursToAnswer: median(t.hours),
      within48h: t.within48h,
      within72h: t.within72h,
      share48h: rate(t.within48h, t.sent),
      share72h: rate(t.within72h, t.sent),
      said: { ...t.said },
      wentDarkAgain: t.wentDarkAgain,
      claim: SEED_CLAIMS[technique] ?? null,
    };
  });
  const labels = ["1st", "2nd", "3rd", "4th+"] as const;
  const followUps: FollowUpStep[] = steps.map((s, i) => ({
    step: (i + 1) as FollowUpStep["step"],
    label: labels[i]!,
    sent: s.sent,
    waiting: s.waiting,
    answered: s.answered,
    answerRate: rate(s.answered, s.sent),
    enoughData: s.sent >= MIN_SENT,
    medianHoursToAnswer: median(s.hours),
  }));
  return { now, techniques, followUps, messagesJudged: judged, minSent: MIN_SENT };
}

/** The results for a mailbox: the engine's histories, my messages attributed, then computeResults. */
export function resultsOf(mailbox: Mailbox, records: readonly SentRecord[], options: DetectOptions): Results {
  const { histories } = conversationHistories(mailbox, options);
  const mine: MyMessage[] = [];
  for (const h of histories) {
    for (const a of h.attempts) {
      mine.push({
        id: a.messageId,
        conversationId: h.conversationId,
        sentAt: a.at,
        ...(a.technique !== undefined ? { technique: a.technique } : {}),
      });
    }
  }
  return computeResults({
    histories,
    attributions: attributeMessages(mine, records),
    records,
    now: options.now,
  });
}
