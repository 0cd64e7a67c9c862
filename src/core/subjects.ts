// Reply and forward markers as mail clients write them in many languages: English, German (AW, WG), French
// (TR, Réf), Spanish/Portuguese (RV, RES, ENC), Italian (RIF, R, I), Nordic (SV, VS, VB, VL, FS), Dutch (Antw,
// Doorst), Polish (Odp, PD), Turkish (YNT, İLT), Greek, Chinese, Japanese and Korean. Each must be followed by a
// colon (ASCII or full-width), optionally with a count: "RE[2]:", "Re(3):", "RE^2:".
const REPLY_PREFIX =
  /^(?:re|fw|fwd|aw|wg|tr|rv|res|enc|rif|r|i|sv|vs|vb|vl|fs|antw|doorst|odp|pd|ynt|ilt|İlt|réf|ref|απ|σχετ|πρθ|回复|答复|转发|回覆|轉寄|転送|返信|회신|전달|답장)\.?\s*(?:\[\d+\]|\(\d+\)|\^\d+)?\s*[:：]\s*/iu;

// Warning tags mail gateways add: "[EXTERNAL]", "[EXT]", "[Extern]", "(EXTERNAL)", "*EXTERNAL*", "[External Email]".
const TAG_WORDS = String.raw`(?:ext|extern|externe|externo|external|external\s+(?:e-?mail|sender|message)|caution|warning|suspicious|spam|possible\s+spam)`;
const LEADING_TAG = new RegExp(
  String.raw`^(?:\[\s*${TAG_WORDS}\s*\]|\(\s*${TAG_WORDS}\s*\)|\*+\s*${TAG_WORDS}\s*\*+|(?:ext|extern|external)\s*(?=:))\s*:?\s*`,
  "iu",
);
const TRAILING_TAG = new RegExp(
  String.raw`\s*(?:\[\s*${TAG_WORDS}\s*\]|\(\s*${TAG_WORDS}\s*\)|\*+\s*${TAG_WORDS}\s*\*+)$`,
  "iu",
);
const EDGE_PUNCTUATION = /^[\s.,;:!?\-–—_*~>|/]+|[\s.,;:!\-–—_*~>|/]+$/gu;
const REPEATED_QUESTION = /\?{2,}$/u;
const WRAPPING_QUOTES = /^["'“”‘’«»„]([^"'“”‘’«»„]*)["'“”‘’«»„]$/u;

/** The subject without its "RE:", "FW:" and similar prefixes (in many languages), case kept. */
export function originalSubject(subject: string): string {
  let s = subject.trim();
  for (;;) {
    const next = s.replace(REPLY_PREFIX, "").trim();
    if (next === s) return s;
    s = next;
  }
}

/** What a conversation is about, to use in a sentence: no reply prefixes, gateway tags or stray punctuation. */
export function topicOf(subject: string): string {
  let s = subject.replace(/\s+/g, " ").trim();
  for (;;) {
    const next = s
      .replace(REPLY_PREFIX, "")
      .replace(LEADING_TAG, "")
      .replace(TRAILING_TAG, "")
      .replace(EDGE_PUNCTUATION, "")
      .replace(REPEATED_QUESTION, "?")
      .replace(WRAPPING_QUOTES, "$1")
      .trim();
    if (next === s) return s;
    s = next;
  }
}
