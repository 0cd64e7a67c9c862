/** The re-engagement techniques, in the order the playbook tries them. */
export const TECHNIQUES = [
  "pending-file",
  "are-you-ok",
  "should-i-close-the-file",
  "close-the-file",
  "no-pressure",
  "nudge",
] as const;

export type Technique = (typeof TECHNIQUES)[number];

/** True when `value` names one of our techniques. */
export function isTechnique(value: unknown): value is Technique {
  return typeof value === "string" && (TECHNIQUES as readonly string[]).includes(value);
}

/** Short labels for badges and tables. */
export const TECHNIQUE_LABELS: Readonly<Record<Technique, string>> = {
  nudge: "Nudge",
  "no-pressure": "No pressure",
  "close-the-file": "Close the file",
  "should-i-close-the-file": "Should I close the file?",
  "pending-file": "Pending file",
  "are-you-ok": "Are you OK?",
};
