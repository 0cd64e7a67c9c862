import type { ConversationReport } from "../core/awaitingReply";
import type { Instant } from "../core/message";
import { readableName } from "../core/names";
import { singleLine } from "../core/plainText";
import { TECHNIQUE_LABELS } from "../core/technique";

const iso = (t: Instant | null): string | null => (t === null ? null : new Date(t).toISOString());
const person = (p: { address: string; name: string } | null) =>
  p === null ? null : { address: p.address, name: singleLine(p.name) };

/**
 * A short, stable handle for a conversation (8 base-36 characters of a 52-bit FNV-1a hash): Graph's conversation
 * ids are long and share their first characters across a mailbox, so a prefix would not do.
 */
export function conversationHandle(conversationId: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < conversationId.length; i++) {
    const c = conversationId.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 2) >>> 0;
  }
  const n = (b & 0xfffff) * 2 ** 32 + a;
  return n.toString(36).padStart(8, "0").slice(-8);
}

/** The JSON the CLI prints for one conversation; the shape is a public contract (see README). */
export function reportToJson(r: ConversationReport) {
  return {
    conversationId: r.conversationId,
    id: conversationHandle(r.conversationId),
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
    deferredUntil: iso(r.deferredUntil),
    successor: person(r.successor),
    referrer: person(r.referrer),
    evidence: r.evidence,
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
  const who = readableName(p.name) || p.address;
  const more = r.prospects.length > 1 ? ` +${r.prospects.length - 1}` : "";
  return (p.company ? `${who} (${p.company})` : who) + more;
}

/** A readable table: score, prospect, subject, silent days, attempts, technique (and state with --all). */
export function formatTable(reports: readonly ConversationReport[], withState: boolean): string {
  if (reports.length === 0) return withState ? "No conversations found.\n" : "No stale conversations. 🎉\n";
  const header =
    cell("ID", 8) +
    "  " +
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
      cell(conversationHandle(r.conversationId), 8) +
      "  " +
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
