import type { ConversationReport } from "../core/awaitingReply";
import type { Instant } from "../core/message";
import { singleLine } from "../core/plainText";
import { TECHNIQUE_LABELS } from "../core/technique";

const iso = (t: Instant | null): string | null => (t === null ? null : new Date(t).toISOString());

/** The JSON the CLI prints for one conversation; the shape is a public contract (see README). */
export function reportToJson(r: ConversationReport) {
  return {
    conversationId: r.conversationId,
    subject: r.subject,
    state: r.state,
    reason: r.reason,
    prospects: r.prospects.map((p) => ({ address: p.address, name: p.name })),
    attempts: r.attempts,
    darkDays: r.darkDays,
    sinceLastAttemptDays: r.sinceLastAttemptDays,
    warm: r.warm,
    proposalSent: r.proposalSent,
    score: r.score,
    why: r.why,
    technique: r.technique,
    lastAttemptAt: iso(r.lastAttemptAt),
    lastHeardAt: iso(r.lastHeardAt),
  };
}

// Mail text goes to a terminal: strip control characters so a subject cannot move the cursor or recolour it.
const cell = (value: string, width: number): string => {
  const clean = singleLine(value).replace(/\s+/g, " ").trim();
  const chars = [...clean];
  const cut = chars.length > width ? chars.slice(0, width - 1).join("") + "…" : clean;
  return cut + " ".repeat(Math.max(0, width - [...cut].length));
};

function prospectLabel(r: ConversationReport): string {
  const p = r.prospects[0];
  if (!p) return "—";
  const who = p.name || p.address;
  const more = r.prospects.length > 1 ? ` +${r.prospects.length - 1}` : "";
  return (p.company ? `${who} (${p.company})` : who) + more;
}

/** A readable table: score, prospect, subject, silent days, attempts, technique (and state with --all). */
export function formatTable(reports: readonly ConversationReport[], withState: boolean): string {
  if (reports.length === 0) return withState ? "No conversations found.\n" : "No stale conversations. 🎉\n";
  const header =
    cell("SCORE", 5) +
    "  " +
    cell("PROSPECT", 32) +
    "  " +
    cell("SUBJECT", 36) +
    "  " +
    cell("SILENT", 6) +
    "  " +
    cell("TRIES", 5) +
    "  " +
    (withState ? cell("STATE", 8) + "  " : "") +
    "TECHNIQUE";
  const lines = reports.map(
    (r) =>
      cell(String(r.score).padStart(5), 5) +
      "  " +
      cell(prospectLabel(r), 32) +
      "  " +
      cell(r.subject || "(no subject)", 36) +
      "  " +
      cell(`${r.darkDays}d`.padStart(6), 6) +
      "  " +
      cell(String(r.attempts).padStart(5), 5) +
      "  " +
      (withState ? cell(r.state, 8) + "  " : "") +
      (r.technique ? TECHNIQUE_LABELS[r.technique] : "—"),
  );
  return [header.trimEnd(), ...lines.map((l) => l.trimEnd())].join("\n") + "\n";
}
