// How Rekindle words counts in what it shows and prints: "1 day", "3 days".

/** A count with its noun, singular for exactly one and the noun + "s" otherwise: "1 attempt", "0 drafts". */
export function counted(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}
