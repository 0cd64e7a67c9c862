import type { Mailbox } from "../core/message";
import { AddressBook, mapGraphMessages, mapGraphUser, type SkipCounts } from "./mapMessage";

/** A mailbox file that cannot be read at all, naming the file and the problem. */
export class MailboxFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "MailboxFileError";
  }
}

/** A parsed mailbox file, with the messages that had to be skipped. */
export interface LoadedMailbox {
  readonly mailbox: Mailbox;
  readonly skipped: SkipCounts;
  readonly skippedTotal: number;
}

/**
 * Reads `{ me, sentitems: [...], inbox: [...] }` where every message is a Graph message resource. A broken
 * shape fails the whole file; a broken message is skipped and counted.
 */
export function parseMailboxJson(raw: unknown, file: string): LoadedMailbox {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new MailboxFileError(file, 'expected a JSON object with "me", "sentitems" and "inbox"');
  }
  const root = raw as Record<string, unknown>;
  if (root.me === undefined) throw new MailboxFileError(file, '"me" is missing');
  for (const folder of ["sentitems", "inbox"] as const) {
    if (!Array.isArray(root[folder])) {
      throw new MailboxFileError(file, `"${folder}" must be a list of Graph messages`);
    }
  }
  let me;
  try {
    me = mapGraphUser(root.me);
  } catch (error) {
    throw new MailboxFileError(file, (error as Error).message);
  }
  const skipped: SkipCounts = {};
  // One book for both folders, as a sync has: my messages and their answers share addresses and conversation ids.
  const book = new AddressBook();
  const messages = [
    ...mapGraphMessages(root.sentitems as unknown[], "sentitems", skipped, book),
    ...mapGraphMessages(root.inbox as unknown[], "inbox", skipped, book),
  ];
  const skippedTotal = Object.values(skipped).reduce((a, b) => a + b, 0);
  return { mailbox: { me, messages }, skipped, skippedTotal };
}
