// How `rekindle stats` prints the results: a table per technique and the follow-up curve, or JSON. Every rate is
// shown with the counts behind it; below MIN_SENT sent the rate reads "not enough data".
import { formatHours, type FollowUpStep, type Results, type TechniqueResult } from "../core/results";
import { TECHNIQUE_LABELS } from "../core/technique";

const percent = (share: number | null): string => (share === null ? "-" : `${Math.round(share * 100)}%`);

const pad = (text: string, width: number): string => text + " ".repeat(Math.max(0, width - [...text].length));
const padLeft = (text: string, width: number): string =>
  " ".repeat(Math.max(0, width - [...text].length)) + text;

function row(cells: readonly [string, number, "l" | "r"][]): string {
  return cells
    .map(([text, width, align]) => (align === "l" ? pad(text, width) : padLeft(text, width)))
    .join("  ")
    .trimEnd();
}

const NOT_ENOUGH = (min: number) => `not enough data (fewer than ${min} sent)`;

function techniqueRow(t: TechniqueResult, min: number): string {
  const head: [string, number, "l" | "r"][] = [
    [TECHNIQUE_LABELS[t.technique], 24, "l"],
    [String(t.sent), 4, "r"],
    [String(t.answered), 8, "r"],
  ];
  if (!t.enoughData) return row([...head, [NOT_ENOUGH(min), 0, "l"]]);
  return row([
    ...head,
    [percent(t.answerRate), 5, "r"],
    [formatHours(t.medianHoursToAnswer), 9, "r"],
    [`${t.within48h} (${percent(t.share48h)})`, 9, "r"],
    [`${t.within72h} (${percent(t.share72h)})`, 9, "r"],
    [`${t.said.declined}/${t.said.later}/${t.said.positive}/${t.said.left}`, 13, "r"],
    [String(t.wentDarkAgain), 6, "r"],
  ]);
}

function stepRow(s: FollowUpStep, min: number): string {
  const head: [string, number, "l" | "r"][] = [
    [s.label, 9, "l"],
    [String(s.sent), 5, "r"],
    [String(s.answered), 8, "r"],
  ];
  if (!s.enoughData) return row([...head, [NOT_ENOUGH(min), 0, "l"]]);
  return row([...head, [percent(s.answerRate), 5, "r"], [formatHours(s.medianHoursToAnswer), 11, "r"]]);
}

/** The table `rekindle stats` prints. */
export function formatStatsTable(results: Results): string {
  const min = results.minSent;
  const lines: string[] = [];
  lines.push("What each technique earned (messages Rekindle made, found sent in your mailbox)");
  lines.push(
    row([
      ["Technique", 24, "l"],
      ["Sent", 4, "r"],
      ["Answered", 8, "r"],
      ["Rate", 5, "r"],
      ["Median", 9, "r"],
      ["≤ 48 h", 9, "r"],
      ["≤ 72 h", 9, "r"],
      ["No/Later/Yes/Left", 13, "r"],
      ["Dark again", 6, "r"],
    ]),
  );
  for (const t of results.techniques) {
    lines.push(techniqueRow(t, min));
    if (t.claim) {
      const ours = t.claim.withinHours === 48 ? t.share48h : t.share72h;
      lines.push(
        `    claimed: ${percent(t.claim.share)} within ${t.claim.withinHours} h (${t.claim.source}); yours: ${
          t.enoughData ? percent(ours) : "not enough data"
        }`,
      );
    }
    if (t.waiting > 0) lines.push(`    ${t.waiting} more sent in the last 72 h, still waiting`);
  }
  const waiting = results.followUps.reduce((n, s) => n + s.waiting, 0);
  lines.push("");
  lines.push("Your follow-up curve (every conversation in the window, mail from before Rekindle included)");
  lines.push(
    row([
      ["Follow-up", 9, "l"],
      ["Sent", 5, "r"],
      ["Answered", 8, "r"],
      ["Rate", 5, "r"],
      ["Median time", 11, "r"],
    ]),
  );
  for (const s of results.followUps) lines.push(stepRow(s, min));
  if (waiting > 0)
    lines.push(`    ${waiting} follow-ups sent in the last 72 h are still waiting and not counted`);
  lines.push("");
  lines.push(
    "Sent counts a message once it was answered or is 72 h old. No/Later/Yes/Left: what the answers said " +
      "(declined, asked for later, positive or neutral, has left).",
  );
  return lines.join("\n") + "\n";
}

/** The JSON `rekindle stats --json` prints; the shape is a public contract (see README). */
export function statsToJson(results: Results) {
  return {
    now: new Date(results.now).toISOString(),
    minSent: results.minSent,
    messagesJudged: results.messagesJudged,
    techniques: results.techniques.map((t) => ({
      technique: t.technique,
      label: TECHNIQUE_LABELS[t.technique],
      recorded: t.recorded,
      sent: t.sent,
      waiting: t.waiting,
      edited: t.edited,
      answered: t.answered,
      enoughData: t.enoughData,
      answerRate: t.answerRate,
      medianHoursToAnswer: t.medianHoursToAnswer,
      within48h: t.within48h,
      within72h: t.within72h,
      share48h: t.share48h,
      share72h: t.share72h,
      said: t.said,
      wentDarkAgain: t.wentDarkAgain,
      claim: t.claim,
    })),
    followUps: results.followUps.map((s) => ({ ...s })),
  };
}
