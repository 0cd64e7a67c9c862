// A warning when the technique the user picks contradicts the thread. A simple local rule for now: it reads only
// whether the prospect ever answered (auto-replies, receipts and bounces are not answers).
import { formatDate } from "../../core/draft";
import { TECHNIQUE_LABELS, type Technique } from "../../core/technique";
import type { TimelineEntry } from "../../core/timeline";

/** Techniques that assume the prospect engaged before going quiet. */
const FOR_ENGAGED: ReadonlySet<Technique> = new Set(["no-pressure", "are-you-ok", "should-i-close-the-file"]);

/** Why `technique` does not fit this thread, or null when nothing in the thread speaks against it. */
export function techniqueWarning(technique: Technique, entries: readonly TimelineEntry[]): string | null {
  const answers = entries.filter((e) => e.direction === "theirs" && e.automated === null);
  const label = TECHNIQUE_LABELS[technique];
  if (technique === "close-the-file" && answers.length > 0) {
    const last = answers[answers.length - 1]!;
    return `They did answer (last on ${formatDate(last.at)}). "${label}" is for prospects who never replied; "${TECHNIQUE_LABELS["should-i-close-the-file"]}" fits better.`;
  }
  if (FOR_ENGAGED.has(technique) && answers.length === 0) {
    return `They have never answered. "${label}" assumes they engaged before going quiet; "${TECHNIQUE_LABELS.nudge}" or "${TECHNIQUE_LABELS["close-the-file"]}" fits better.`;
  }
  return null;
}
