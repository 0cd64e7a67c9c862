// Cached messages ordered by receivedAt (a min-heap), so the mail that left the sync window is found without
// reading the whole cache. Entries go stale when a message changes or goes; the caller checks each one it pops.

/** One message's place in the index. */
export interface ReceivedAtEntry {
  readonly at: number;
  readonly folder: string;
  readonly id: string;
}

export class ReceivedAtIndex {
  private readonly heap: ReceivedAtEntry[] = [];

  get size(): number {
    return this.heap.length;
  }

  add(entry: ReceivedAtEntry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as ReceivedAtEntry).at <= entry.at) break;
      heap[i] = heap[parent] as ReceivedAtEntry;
      i = parent;
    }
    heap[i] = entry;
  }

  /** Removes and returns every entry older than `before`, oldest first (stale ones included). */
  takeBefore(before: number): ReceivedAtEntry[] {
    const taken: ReceivedAtEntry[] = [];
    while (this.heap.length > 0 && (this.heap[0] as ReceivedAtEntry).at < before) taken.push(this.pop());
    return taken;
  }

  private pop(): ReceivedAtEntry {
    const heap = this.heap;
    const top = heap[0] as ReceivedAtEntry;
    const last = heap.pop() as ReceivedAtEntry;
    if (heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && (heap[right] as ReceivedAtEntry).at < (heap[left] as ReceivedAtEntry).at
          ? right
          : left;
      if ((heap[child] as ReceivedAtEntry).at >= last.at) break;
      heap[i] = heap[child] as ReceivedAtEntry;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}
