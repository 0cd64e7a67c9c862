import { counted } from "./wording";

/** The figures a score is computed from. */
export interface ScoreInput {
  readonly darkDays: number;
  readonly attempts: number;
  readonly warm: boolean;
  readonly proposalSent: boolean;
}

/** A 0–100 urgency with its human explanation. */
export interface Score {
  readonly score: number;
  readonly why: string;
}

/** How the score treats silence. */
export interface ScoreOptions {
  /** Silence beyond this many days (the pending-file threshold) adds nothing more. */
  readonly silenceCapDays: number;
}

// The money at risk comes first: a proposal out and a prospect who engaged weigh more than the length of the
// silence, so a warm conversation with a proposal out ranks above a long-dead cold one. Silence saturates over
// about two months and stops counting at the pending-file threshold; persistence saturates at 6 attempts.
const PROPOSAL_LIFT = 25;
const WARM_LIFT = 20;
const SILENCE_WEIGHT = 35;
const SILENCE_SCALE_DAYS = 45;
const ATTEMPT_WEIGHT = 20;
const ATTEMPT_CAP = 6;

/**
 * Scores how urgently a conversation needs attention. Every term is non-decreasing in darkDays and attempts,
 * and warmth only adds, so more silence or more attempts never lower the score and warm never ranks below cold.
 */
export function scoreConversation(input: ScoreInput, options: ScoreOptions = { silenceCapDays: 90 }): Score {
  return { score: scoreOf(input, options), why: explainScore(input) };
}

/** The score alone, without its explanation (see scoreConversation). */
export function scoreOf(input: ScoreInput, options: ScoreOptions): number {
  const days = Math.min(Math.max(0, input.darkDays), Math.max(0, options.silenceCapDays));
  const attempts = Math.max(0, input.attempts);
  const raw =
    SILENCE_WEIGHT * (1 - Math.exp(-days / SILENCE_SCALE_DAYS)) +
    (ATTEMPT_WEIGHT * Math.min(attempts, ATTEMPT_CAP)) / ATTEMPT_CAP +
    (input.warm ? WARM_LIFT : 0) +
    (input.proposalSent ? PROPOSAL_LIFT : 0);
  return Math.min(100, Math.max(0, Math.round(raw)));
}

/**
 * "45 days silent · 3 unanswered attempts · they replied before · proposal sent", then the `more` notes (no
 * attempts part when none went unanswered).
 * The parts are joined, not added up with `+`: every report keeps its why, and a string built with `+` is kept as
 * a tree of its pieces, several times the size of the one flat string `join` makes.
 */
export function explainScore(input: ScoreInput, more: readonly string[] = []): string {
  const parts = [`${counted(input.darkDays, "day")} silent`];
  // None unanswered: they answered my last message (a "no", a "later"), which the reason says.
  if (input.attempts > 0) parts.push(counted(input.attempts, "unanswered attempt"));
  parts.push(input.warm ? "they replied before" : "never replied");
  if (input.proposalSent) parts.push("proposal sent");
  for (const note of more) parts.push(note);
  return parts.join(" · ");
}
