const REPLY_PREFIX = /^(re|fw|fwd|aw|wg|tr|rv|sv|vs|antw|réf)\s*(\[\d+\])?\s*:\s*/i;

/** The subject without its "RE:", "FW:" and similar prefixes (in several languages), case kept. */
export function originalSubject(subject: string): string {
  let s = subject.trim();
  for (;;) {
    const next = s.replace(REPLY_PREFIX, "").trim();
    if (next === s) return s;
    s = next;
  }
}
