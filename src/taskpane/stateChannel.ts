// Tells the other panes on this browser profile (a pinned pane and a second window, say) about each user-state
// entry this one stored, so each shows the other's change within a second. BroadcastChannel where there is one,
// storage events otherwise. What arrives is checked entry by entry (parseStateEntry); anything else is ignored.
import { parseStateEntry, type StateEntry } from "../core/userStateEntries";

export interface StateChannel {
  /** Announces entries just stored (after their transaction committed). */
  post(entries: readonly StateEntry[]): void;
  /** Calls `listener` with the entries another pane announced; returns the unsubscribe. */
  subscribe(listener: (entries: readonly StateEntry[]) => void): () => void;
  close(): void;
}

/** The browser parts a channel can use; the page's own globals by default. */
export interface ChannelGlobals {
  readonly BroadcastChannel?: typeof BroadcastChannel;
  readonly localStorage?: Storage;
  readonly addEventListener?: (type: "storage", listener: (event: StorageEvent) => void) => void;
  readonly removeEventListener?: (type: "storage", listener: (event: StorageEvent) => void) => void;
}

/** The entries in a message from another pane; what is not a valid entry is dropped. */
export function entriesInMessage(data: unknown): StateEntry[] {
  if (data === null || typeof data !== "object" || !Array.isArray((data as { entries?: unknown }).entries)) {
    return [];
  }
  const out: StateEntry[] = [];
  for (const raw of (data as { entries: unknown[] }).entries) {
    try {
      out.push(parseStateEntry(raw));
    } catch {
      // another version's entry, or not ours: skipped rather than trusted
    }
  }
  return out;
}

function globalsOfPage(): ChannelGlobals {
  const page = globalThis as unknown as ChannelGlobals & { localStorage?: Storage };
  let storage: Storage | undefined;
  try {
    storage = page.localStorage;
  } catch {
    storage = undefined; // storage can be blocked (private mode, policies)
  }
  return {
    ...(typeof page.BroadcastChannel === "function" ? { BroadcastChannel: page.BroadcastChannel } : {}),
    ...(storage ? { localStorage: storage } : {}),
    ...(typeof page.addEventListener === "function"
      ? {
          addEventListener: page.addEventListener.bind(globalThis),
          removeEventListener: page.removeEventListener!.bind(globalThis),
        }
      : {}),
  };
}

/** A channel named `name` (one per cache, so two mailboxes never hear each other). */
export function openStateChannel(name: string, page: ChannelGlobals = globalsOfPage()): StateChannel {
  const listeners = new Set<(entries: readonly StateEntry[]) => void>();
  const deliver = (data: unknown) => {
    const entries = entriesInMessage(data);
    if (entries.length) for (const listener of listeners) listener(entries);
  };

  if (page.BroadcastChannel) {
    const channel = new page.BroadcastChannel(name);
    channel.onmessage = (event: MessageEvent) => deliver(event.data);
    return {
      post: (entries) => channel.postMessage({ entries }),
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: () => channel.close(),
    };
  }

  const storage = page.localStorage;
  if (storage && page.addEventListener && page.removeEventListener) {
    // A storage event reaches every other page of the origin when the value changes; a counter makes each post a change.
    let sent = 0;
    const onStorage = (event: StorageEvent) => {
      if (event.key !== name || !event.newValue) return;
      try {
        deliver(JSON.parse(event.newValue));
      } catch {
        // not JSON: ignored
      }
    };
    page.addEventListener("storage", onStorage);
    return {
      post: (entries) => {
        sent += 1;
        try {
          storage.setItem(name, JSON.stringify({ entries, sent, from: Math.random() }));
        } catch {
          // storage full or blocked: the other pane sees the change when it next loads
        }
      },
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: () => page.removeEventListener!("storage", onStorage),
    };
  }

  return { post: () => {}, subscribe: () => () => {}, close: () => {} };
}
