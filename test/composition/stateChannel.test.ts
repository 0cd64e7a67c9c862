// The channel panes use to hear each other's user-state entries: BroadcastChannel (Node has it), or storage
// events where there is none; what arrives is checked entry by entry.
import { instant } from "../../src/core/message";
import type { StateEntry } from "../../src/core/userStateEntries";
import { entriesInMessage, openStateChannel, type ChannelGlobals } from "../../src/taskpane/stateChannel";

const SNOOZE: StateEntry = { kind: "snooze", id: "c1", at: instant(10), until: instant(99) };

function nextDelivery(channel: ReturnType<typeof openStateChannel>): Promise<readonly StateEntry[]> {
  return new Promise((resolve) => {
    const stop = channel.subscribe((entries) => {
      stop();
      resolve(entries);
    });
  });
}

/** Two pages of one origin sharing a localStorage: a set in one raises a storage event in the other. */
function twoPagesWithStorageOnly(): [ChannelGlobals, ChannelGlobals] {
  const values = new Map<string, string>();
  const listeners: Set<(event: StorageEvent) => void>[] = [new Set(), new Set()];
  const page = (me: number): ChannelGlobals => ({
    localStorage: {
      getItem: (k: string) => values.get(k) ?? null,
      setItem: (k: string, v: string) => {
        values.set(k, v);
        for (const l of listeners[1 - me]!) l({ key: k, newValue: v } as StorageEvent);
      },
    } as unknown as Storage,
    addEventListener: (_type, l) => listeners[me]!.add(l),
    removeEventListener: (_type, l) => listeners[me]!.delete(l),
  });
  return [page(0), page(1)];
}

describe("stateChannel.ts", () => {
  describe("entriesInMessage", () => {
    it.each([
      ["no object", null, []],
      ["no entries", { other: 1 }, []],
      ["entries not a list", { entries: "x" }, []],
      ["a bad entry dropped, a good one kept", { entries: [{ kind: "snooze", id: "" }, SNOOZE] }, [SNOOZE]],
      ["an unknown kind dropped", { entries: [{ kind: "wipe", id: "all", at: 1 }] }, []],
    ])("should read %s", (_name, data, expected) => {
      expect(entriesInMessage(data)).toEqual(expected);
    });
  });

  it("should carry entries between two channels of one name over BroadcastChannel, and not to another name", async () => {
    const a = openStateChannel("rekindle-state:test-a");
    const b = openStateChannel("rekindle-state:test-a");
    const other = openStateChannel("rekindle-state:test-b");
    const heardByOther: (readonly StateEntry[])[] = [];
    other.subscribe((e) => heardByOther.push(e));
    const delivered = nextDelivery(b);
    a.post([SNOOZE]);
    expect(await delivered).toEqual([SNOOZE]);
    await new Promise((r) => setTimeout(r, 20));
    expect(heardByOther).toEqual([]);
    for (const c of [a, b, other]) c.close();
  });

  it("should fall back to storage events when there is no BroadcastChannel, each post arriving", async () => {
    const [one, two] = twoPagesWithStorageOnly();
    const a = openStateChannel("rekindle-state:x", one);
    const b = openStateChannel("rekindle-state:x", two);
    const heard: (readonly StateEntry[])[] = [];
    b.subscribe((e) => heard.push(e));
    a.post([SNOOZE]);
    a.post([SNOOZE]);
    expect(heard).toEqual([[SNOOZE], [SNOOZE]]);
    b.close();
    a.post([SNOOZE]);
    expect(heard).toHaveLength(2);
    a.close();
  });

  it("should do nothing, quietly, with neither", () => {
    const channel = openStateChannel("rekindle-state:none", {});
    expect(() => channel.post([SNOOZE])).not.toThrow();
    channel.subscribe(() => {
      throw new Error("never called");
    })();
    channel.close();
  });
});
