import type { Settings } from "./settings";
import type { Technique } from "./technique";

/** The figures the playbook looks at. */
export interface PlaybookInput {
  readonly warm: boolean;
  readonly attempts: number;
  readonly darkDays: number;
  readonly proposalSent: boolean;
}

type Thresholds = Pick<
  Settings,
  | "pendingFileDays"
  | "areYouOkAttempts"
  | "areYouOkDays"
  | "shouldICloseAttempts"
  | "closeFileAttempts"
  | "noPressureAttempts"
>;

/** Picks the re-engagement technique for a stale conversation; the first rule that matches wins. */
export function chooseTechnique(input: PlaybookInput, t: Thresholds): Technique {
  const { warm, attempts, darkDays, proposalSent } = input;
  if (darkDays >= t.pendingFileDays) return "pending-file";
  if (warm && attempts >= t.areYouOkAttempts && darkDays >= t.areYouOkDays) return "are-you-ok";
  if (warm && attempts >= t.shouldICloseAttempts && proposalSent) return "should-i-close-the-file";
  if (!warm && attempts >= t.closeFileAttempts) return "close-the-file";
  if (warm && attempts >= t.noPressureAttempts) return "no-pressure";
  return "nudge";
}

/** Plain-language reason a technique fits, for the detail panel. */
export const TECHNIQUE_RATIONALE: Readonly<Record<Technique, string>> = {
  nudge: "One polite reminder is usually all it takes: people get busy and an e-mail slips down the pile.",
  "no-pressure":
    "They engaged before and then went quiet. Take the pressure off by assuming the answer is no, so they can tell you where things stand without losing face.",
  "close-the-file":
    "They have never answered, despite several tries. Offer to close the file: a clear, friendly last message often draws a reply either way.",
  "should-i-close-the-file":
    "They saw your proposal and went quiet. Ask directly whether to close the file, and make it easy to pick a time if they still want to go ahead.",
  "pending-file":
    "This has sat in your pending file for months. A short clean-up note asks them to say whether it is still alive.",
  "are-you-ok":
    "They were keen, and several gentle attempts over weeks have met silence. A brief note of concern cuts through without pushing.",
};
