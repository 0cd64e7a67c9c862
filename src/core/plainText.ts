// Control and bidi-override characters from mail data could rewrite a terminal, a header or the reading order
// of a name; they never belong in anything we show or send.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Removes control characters (keeping tabs and newlines) from text taken from mail. */
export function stripControlCharacters(value: string): string {
  return value.replace(CONTROL, "");
}

/** Turns every control character, newlines included, into a space: for one-line values such as names. */
export function singleLine(value: string): string {
  return value.replace(CONTROL_OR_NEWLINE, " ");
}
