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

// Weights: silence saturates over ~2 months, persistence over 6 attempts; warmth and a proposal add a fixed lift.
const SILENCE_WEIGHT = 45;
const SILENCE_SCALE_DAYS = 45;
const ATTEMPT_WEIGHT = 25;
const ATTEMPT_CAP = 6;
const WARM_LIFT = 20;
const PROPOSAL_LIFT = 10;

/**
 * Scores how urgently a conversation needs attention. Every term is non-decreasing in darkDays and attempts,
 * and warmth only adds, so more silence or more attempts never lower the score and warm never ranks below cold.
 */
export function scoreConversation(input: ScoreInput): Score {
  const days = Math.max(0, input.darkDays);
  const attempts = Math.max(0, input.attempts);
  const raw =
    SILENCE_WEIGHT * (1 - Math.exp(-days / SILENCE_SCALE_DAYS)) +
    (ATTEMPT_WEIGHT * Math.min(attempts, ATTEMPT_CAP)) / ATTEMPT_CAP +
    (input.warm ? WARM_LIFT : 0) +
    (input.proposalSent ? PROPOSAL_LIFT : 0);
  const score = Math.min(100, Math.max(0, Math.round(raw)));
  return { score, why: explainScore(input) };
}

/** "45 days silent · 3 unanswered attempts · they replied before · proposal sent". */
export function explainScore(input: ScoreInput): string {
  const parts = [
    `${input.darkDays} ${input.darkDays === 1 ? "day" : "days"} silent`,
    `${input.attempts} unanswered ${input.attempts === 1 ? "attempt" : "attempts"}`,
    input.warm ? "they replied before" : "never replied",
  ];
  if (input.proposalSent) parts.push("proposal sent");
  return parts.join(" · ");
}
