// Sorting, filtering and searching the conversation list: pure functions of the engine's reports.
import type { ConversationReport, ConversationState } from "../../core/awaitingReply";
import type { Technique } from "../../core/technique";

export type SortKey = "score" | "silence" | "attempts";

/** The states the list can show; excluded and replied conversations need no action. */
export type StateFilter = Extract<
  ConversationState,
  "stale" | "waiting" | "deferred" | "declined" | "left" | "bounced" | "snoozed" | "closed"
>;
export const STATE_FILTERS: readonly StateFilter[] = [
  "stale",
  "waiting",
  "deferred",
  "declined",
  "left",
  "bounced",
  "snoozed",
  "closed",
];

export const STATE_LABELS: Readonly<Record<StateFilter, string>> = {
  stale: "Stale",
  waiting: "Waiting",
  deferred: "Later",
  declined: "Declined",
  left: "Left the company",
  bounced: "Bounced",
  snoozed: "Snoozed",
  closed: "Closed",
};

/** Labels for every state the engine reports, including ones the list has no filter for. */
const ALL_STATE_LABELS: Readonly<Record<string, string>> = {
  ...STATE_LABELS,
  excluded: "Not a prospect",
  replied: "Replied",
};

/** A state's label; a state this build does not know yet reads as its own words ("on-hold" → "On hold"). */
export function stateLabel(state: string): string {
  const known = ALL_STATE_LABELS[state];
  if (known) return known;
  const words = state.replace(/[-_]+/g, " ").trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : "Unknown";
}

export const SORT_LABELS: Readonly<Record<SortKey, string>> = {
  score: "Score",
  silence: "Days silent",
  attempts: "Attempts",
};

export interface ConversationQuery {
  readonly sort: SortKey;
  readonly state: StateFilter | "all";
  readonly technique: Technique | "all";
  readonly search: string;
}

export const DEFAULT_QUERY: ConversationQuery = {
  sort: "score",
  state: "stale",
  technique: "all",
  search: "",
};

const byId = (a: ConversationReport, b: ConversationReport) =>
  a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0;

const COMPARATORS: Readonly<Record<SortKey, (a: ConversationReport, b: ConversationReport) => number>> = {
  score: (a, b) => b.score - a.score || b.darkDays - a.darkDays || byId(a, b),
  silence: (a, b) => b.darkDays - a.darkDays || b.score - a.score || byId(a, b),
  attempts: (a, b) => b.attempts - a.attempts || b.score - a.score || byId(a, b),
};

/** True when the report is one the list can show under the "all" state filter. */
export function isListed(report: ConversationReport): boolean {
  return (STATE_FILTERS as readonly string[]).includes(report.state);
}

/**
 * Text as a search compares it: lower case, without accents and with one apostrophe, so "jose" finds "José",
 * "muller" "Müller" and "o'neil" "O’Neil".
 */
function folded(text: string): string {
  const lower = text.toLowerCase();
  // Most text is ASCII: only the rest pays for normalising.
  return /[^ -~\s]/.test(lower)
    ? lower
        .normalize("NFD")
        .replace(/\p{M}+/gu, "")
        .replace(/[‘’ʼ]/g, "'")
    : lower;
}

/** The text a search looks in: prospects' names, addresses and companies, and the subject. */
function haystack(report: ConversationReport): string {
  let text = haystacks.get(report);
  if (text === undefined) {
    text = folded(
      [report.subject, ...report.prospects.flatMap((p) => [p.name, p.address, p.company])].join("\n"),
    );
    haystacks.set(report, text);
  }
  return text;
}
/** Each report's search text, made once: a keystroke searches 40,000 reports without building their text again. */
const haystacks = new WeakMap<ConversationReport, string>();

/** The reports the list shows for a query, in order. */
export function queryConversations(
  reports: readonly ConversationReport[],
  query: ConversationQuery,
): ConversationReport[] {
  // Words in any order, and commas or quotes typed with them left out: "amara kim" and "kim, amara" both find
  // "Kim, Amara".
  const words = folded(query.search)
    .split(/[\s,;:"()<>«»“”]+/)
    .filter(Boolean);
  const out = reports.filter(
    (r) =>
      (query.state === "all" ? isListed(r) : r.state === query.state) &&
      (query.technique === "all" || r.technique === query.technique) &&
      (words.length === 0 || words.every((w) => haystack(r).includes(w))),
  );
  return out.sort(COMPARATORS[query.sort]);
}

/** How many listed reports are in each state, for the filter's labels. */
export function countByState(reports: readonly ConversationReport[]): Record<StateFilter, number> {
  const counts = Object.fromEntries(STATE_FILTERS.map((s) => [s, 0])) as Record<StateFilter, number>;
  for (const r of reports) if (isListed(r)) counts[r.state as StateFilter]++;
  return counts;
}
