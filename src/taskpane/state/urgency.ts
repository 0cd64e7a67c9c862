// The urgency a row shows for its score: a word and an icon as well as a colour, so it never relies on colour alone.

export type UrgencyBand = "high" | "medium" | "low";

export const URGENCY_LABELS: Readonly<Record<UrgencyBand, string>> = {
  high: "High",
  medium: "Medium",
  low: "Low",
};

/** The band of a 0–100 score: 70 and above is high, 40 and above medium, below that low. */
export function urgencyOf(score: number): UrgencyBand {
  if (score >= 70) return "high";
  if (score >= 40) return "medium";
  return "low";
}
