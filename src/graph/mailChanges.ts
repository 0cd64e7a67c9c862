// Change sets: what a sync did to the cache, so the CLI and the pane apply it instead of reading the cache again.
import type { MailMessage } from "../core/message";
import type { MessageKey } from "../store/cacheStore";

/**
 * What one stored page (or a whole sync) did to the cache, in the order it was applied: messages new to the
 * cache, messages whose content changed, and messages that left it (deleted, moved out of a synced folder, out of
 * the window, or no longer usable). A message moved between two synced folders is removed from one and added to
 * the other, under the same id.
 */
export interface MailChangeSet {
  readonly added: readonly MailMessage[];
  readonly changed: readonly MailMessage[];
  readonly removed: readonly MessageKey[];
}

/** Whether a change set changes nothing. */
export function isEmptyChangeSet(changes: MailChangeSet): boolean {
  return changes.added.length === 0 && changes.changed.length === 0 && changes.removed.length === 0;
}

const keyOf = (folder: string, id: string): string => `${folder}\u0000${id}`;

type Net =
  | { readonly kind: "added" | "changed"; readonly message: MailMessage }
  | { readonly kind: "removed"; readonly key: MessageKey };

/** Folds the change sets of a sync's pages, in order, into the net change of the whole sync. */
export class ChangeSetAccumulator {
  /** By folder, then id (no key strings built per message: a first sync touches every message). */
  private readonly net = new Map<string, Map<string, Net>>();

  private folder(folder: string): Map<string, Net> {
    let byId = this.net.get(folder);
    if (!byId) {
      byId = new Map();
      this.net.set(folder, byId);
    }
    return byId;
  }

  add(changes: MailChangeSet): void {
    for (const key of changes.removed) {
      const byId = this.folder(key.folder);
      // Added during this sync and gone again: the cache is as it was.
      if (byId.get(key.id)?.kind === "added") byId.delete(key.id);
      else byId.set(key.id, { kind: "removed", key });
    }
    for (const message of changes.added) {
      const byId = this.folder(message.folder);
      // Removed earlier in this sync (a folder listed afresh) and back: a change, at most.
      byId.set(message.id, { kind: byId.get(message.id)?.kind === "removed" ? "changed" : "added", message });
    }
    for (const message of changes.changed) {
      const byId = this.folder(message.folder);
      byId.set(message.id, { kind: byId.get(message.id)?.kind === "added" ? "added" : "changed", message });
    }
  }

  /** The net change so far, folder by folder, in the order each message was first touched. */
  result(): MailChangeSet {
    const added: MailMessage[] = [];
    const changed: MailMessage[] = [];
    const removed: MessageKey[] = [];
    for (const byId of this.net.values())
      for (const entry of byId.values()) {
        if (entry.kind === "removed") removed.push(entry.key);
        else if (entry.kind === "added") added.push(entry.message);
        else changed.push(entry.message);
      }
    return { added, changed, removed };
  }
}

/** Applies a change set to a list of messages (what a caller holding the mailbox in memory does). */
export function applyChangeSet(messages: readonly MailMessage[], changes: MailChangeSet): MailMessage[] {
  // A first sync into an empty cache: a sync's change set names each message once, so it is the mailbox as it is
  // (no key built for each of 100,000 messages).
  if (messages.length === 0 && changes.removed.length === 0 && isUnique(changes)) {
    return [...changes.added, ...changes.changed];
  }
  const byKey = new Map(messages.map((m) => [keyOf(m.folder, m.id), m]));
  for (const key of changes.removed) byKey.delete(keyOf(key.folder, key.id));
  for (const m of [...changes.added, ...changes.changed]) byKey.set(keyOf(m.folder, m.id), m);
  return [...byKey.values()];
}

/** True when no message appears twice in `changes` (by folder and id). */
function isUnique(changes: MailChangeSet): boolean {
  const seen = new Map<string, Set<string>>();
  for (const m of [changes.added, changes.changed].flat()) {
    let ids = seen.get(m.folder);
    if (!ids) seen.set(m.folder, (ids = new Set()));
    if (ids.has(m.id)) return false;
    ids.add(m.id);
  }
  return true;
}
