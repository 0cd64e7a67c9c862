import type { ConversationReport } from "./awaitingReply";
import type { Settings } from "./settings";
import type { PlaybookThresholds } from "./settingsSchema";
import type { Technique } from "./technique";

/** The figures the playbook looks at. */
export interface PlaybookInput {
  readonly warm: boolean;
  readonly attempts: number;
  readonly darkDays: number;
  readonly proposalSent: boolean;
}

/**
 * Picks the re-engagement technique for a stale conversation; the first rule that matches wins. The thresholds
 * are the settings marked `playbook` in settingsSchema.ts.
 */
export function chooseTechnique(input: PlaybookInput, t: PlaybookThresholds): Technique {
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

/** What the rationale must say when the chosen technique contradicts the thread, or null when it fits. */
export function techniqueContradiction(
  report: Pick<ConversationReport, "state" | "warm" | "proposalSent" | "attempts" | "darkDays" | "lastHeard">,
  technique: Technique,
  t: Pick<Settings, "pendingFileDays">,
): string | null {
  const answered = report.lastHeard
    ? `${report.lastHeard.from.name || report.lastHeard.from.address} did answer`
    : "They did answer";
  if (report.state === "replied") return `${answered} your last message: there is nothing to follow up yet.`;
  if (report.state === "declined") return "They have said no: consider marking the file closed instead.";
  if (report.state === "left") return "They have left the company: write to their successor instead.";
  if (report.state === "bounced") return "Your last message bounced: check the address first.";
  if (technique === "close-the-file" && report.warm) {
    return `${answered} before: close the file is meant for someone who never answered.`;
  }
  if ((technique === "no-pressure" || technique === "are-you-ok") && !report.warm) {
    return "They have never answered: this technique assumes they engaged before.";
  }
  if (technique === "should-i-close-the-file" && !report.proposalSent) {
    return "No proposal went out in this conversation: should I close the file follows a proposal.";
  }
  if (technique === "pending-file" && report.darkDays < t.pendingFileDays) {
    return `Only ${report.darkDays} days of silence: the pending-file clean-up is for ${t.pendingFileDays} days or more.`;
  }
  return null;
}
