// Both ends of the judging worker's protocol over a real MessageChannel (structured clone, as between the pane
// and its worker), against the engine judging on this thread.
import { detectAwaitingReply, type ConversationReport } from "../../src/core/awaitingReply";
import { instant, type Folder, type MailMessage, type Mailbox } from "../../src/core/message";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { EMPTY_USER_STATE, type UserState } from "../../src/core/userState";
import { touchedConversations, withReports } from "../../src/taskpane/state/reportLists";
import fc from "fast-check";
import {
  WorkerJudging,
  judgingHandler,
  packKeys,
  unpackFrom,
  type FromWorker,
  type JudgeInput,
  type ToWorker,
  type WorkerPort,
} from "../../src/taskpane/state/judging";
import { NOW, demoMailbox } from "./fakeServices";

const WHERE = { timeZone: "Europe/London", locale: "en-GB" };

interface Rig {
  readonly judging: WorkerJudging;
  /** Every message the worker's side received. */
  readonly received: ToWorker[];
  readonly kept: { reports: readonly ConversationReport[]; userState: UserState }[];
  /** Makes the worker fail as a Worker's "error" event does. */
  crash(): void;
  close(): void;
}

function rig(slice: number, options: { keeps?: boolean; handler?: (m: ToWorker) => void } = {}): Rig {
  const channel = new MessageChannel();
  const received: ToWorker[] = [];
  const kept: Rig["kept"] = [];
  const handle =
    options.handler ??
    judgingHandler(
      (m: FromWorker) => channel.port2.postMessage(m),
      (list) => kept.push(list),
      slice,
    );
  channel.port2.addEventListener("message", (e: MessageEvent<ToWorker>) => {
    received.push(e.data);
    handle(e.data);
  });
  channel.port2.start();
  const errorListeners: ((e: { message?: string }) => void)[] = [];
  const port: WorkerPort = {
    postMessage: (m) => channel.port1.postMessage(m),
    addEventListener: ((type: string, listener: (e: never) => void) => {
      if (type === "error") errorListeners.push(listener as (e: { message?: string }) => void);
      else channel.port1.addEventListener("message", listener as (e: MessageEvent) => void);
    }) as WorkerPort["addEventListener"],
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
  channel.port1.start();
  const judging = new WorkerJudging(port, options.keeps ?? false, slice);
  return {
    judging,
    received,
    kept,
    crash: () => errorListeners.forEach((l) => l({ message: "boom" })),
    close: () => judging.close(),
  };
}

const inputFor = (mailbox: Mailbox): JudgeInput => ({
  mailbox,
  settings: DEFAULT_SETTINGS,
  now: NOW,
  ...WHERE,
});
const inThread = (mailbox: Mailbox, userState: UserState) =>
  detectAwaitingReply(mailbox, { now: NOW, settings: DEFAULT_SETTINGS, userState, ...WHERE });

describe("judging.ts (the engine in a worker)", () => {
  const rigs: Rig[] = [];
  const make = (...args: Parameters<typeof rig>) => {
    const r = rig(...args);
    rigs.push(r);
    return r;
  };
  afterEach(() => rigs.splice(0).forEach((r) => r.close()));

  it.each([1, 3, 2000])(
    "should judge every conversation as the engine does on this thread (slices of %i)",
    async (slice) => {
      const mailbox = demoMailbox();
      const { judging, received, kept } = make(slice, { keeps: true });
      const got = await judging.judgeAll(inputFor(mailbox), EMPTY_USER_STATE);
      const expected = inThread(mailbox, EMPTY_USER_STATE);
      expect(got).toEqual(expected);
      // The mailbox went over in slices, every message once.
      const parts = received.filter((m) => m.t === "messages");
      expect(parts).toHaveLength(Math.ceil(mailbox.messages.length / slice));
      expect(parts.flatMap((m) => m.part)).toEqual(mailbox.messages);
      expect(kept).toEqual([{ reports: expected, userState: EMPTY_USER_STATE }]);
    },
  );

  it("should post a mailbox once however many judgements read it, and again once it changes", async () => {
    const mailbox = demoMailbox();
    const { judging, received } = make(5);
    const closedAll: UserState = {
      ...EMPTY_USER_STATE,
      closed: Object.fromEntries(mailbox.messages.map((m) => [m.conversationId, NOW])),
    };
    await judging.judgeAll(inputFor(mailbox), EMPTY_USER_STATE);
    const later = { ...inputFor(mailbox), now: instant(NOW + 86_400_000) };
    expect(await judging.judgeAll(later, closedAll)).toEqual(
      detectAwaitingReply(mailbox, { ...later, userState: closedAll }),
    );
    const firstParts = received.filter((m) => m.t === "messages" && m.first);
    expect(firstParts).toHaveLength(1);
    const fewer: Mailbox = { ...mailbox, messages: mailbox.messages.slice(0, 10) };
    expect(await judging.judgeAll(inputFor(fewer), EMPTY_USER_STATE)).toEqual(
      inThread(fewer, EMPTY_USER_STATE),
    );
    expect(received.filter((m) => m.t === "messages" && m.first)).toHaveLength(2);
  });

  it("should re-judge the conversations a snooze, a close and a logged call touch, as judging everything would", async () => {
    const mailbox = demoMailbox();
    const { judging } = make(4);
    const before = await judging.judgeAll(inputFor(mailbox), EMPTY_USER_STATE);
    const [a, b, c] = before.filter((r) => r.state === "stale");
    const after: UserState = {
      ...EMPTY_USER_STATE,
      snoozes: { [a!.conversationId]: instant(NOW + 7 * 86_400_000) },
      closed: { [b!.conversationId]: NOW },
      loggedAttempts: [{ id: "l1", conversationId: c!.conversationId, at: NOW, kind: "call" }],
    };
    const touched = touchedConversations(EMPTY_USER_STATE, after);
    expect(touched.size).toBe(3);
    const fresh = await judging.rejudge([...touched], after);
    expect([...fresh.keys()].sort()).toEqual([...touched].sort());
    expect(withReports(before, fresh)).toEqual(inThread(mailbox, after));
    expect(fresh.get(a!.conversationId)?.state).toBe("snoozed");
  });

  it("should keep the list again after a re-judgement, as judging everything under the new state would", async () => {
    const mailbox = demoMailbox();
    const { judging, kept } = make(4, { keeps: true });
    const before = await judging.judgeAll(inputFor(mailbox), EMPTY_USER_STATE);
    const [a, b] = before.filter((r) => r.state === "stale");
    const snoozed: UserState = {
      ...EMPTY_USER_STATE,
      snoozes: { [a!.conversationId]: instant(NOW + 86_400_000) },
    };
    await judging.rejudge([a!.conversationId], snoozed);
    const closedToo: UserState = { ...snoozed, closed: { [b!.conversationId]: NOW } };
    await judging.rejudge([b!.conversationId], closedToo);
    // The handler keeps once the answer is posted: wait for the third list.
    await new Promise((r) => setTimeout(r, 20));
    expect(kept).toEqual([
      { reports: before, userState: EMPTY_USER_STATE },
      { reports: inThread(mailbox, snoozed), userState: snoozed },
      { reports: inThread(mailbox, closedToo), userState: closedToo },
    ]);
  });

  it("should keep nothing for a re-judgement it refused", async () => {
    const { judging, kept } = make(4, { keeps: true });
    await expect(judging.rejudge(["x"], EMPTY_USER_STATE)).rejects.toThrow(/nothing was judged yet/);
    expect(kept).toEqual([]);
  });

  it("should answer requests in the order asked, even when they are asked together", async () => {
    const mailbox = demoMailbox();
    const { judging } = make(3);
    const stale = inThread(mailbox, EMPTY_USER_STATE).find((r) => r.state === "stale")!;
    const closed: UserState = { ...EMPTY_USER_STATE, closed: { [stale.conversationId]: NOW } };
    const [all, fresh] = await Promise.all([
      judging.judgeAll(inputFor(mailbox), EMPTY_USER_STATE),
      judging.rejudge([stale.conversationId], closed),
    ]);
    expect(all).toEqual(inThread(mailbox, EMPTY_USER_STATE));
    expect(fresh.get(stale.conversationId)?.state).toBe("closed");
  });

  it("should refuse a re-judgement before anything was judged, and say why", async () => {
    const { judging } = make(10);
    await expect(judging.rejudge(["x"], EMPTY_USER_STATE)).rejects.toThrow(/nothing was judged yet/);
  });

  it("should reject what is waiting, and every later request, once the worker fails", async () => {
    // A worker that never answers: the failure is what settles the request.
    const { judging, crash } = make(10, { handler: () => undefined });
    const waiting = judging.judgeAll(inputFor(demoMailbox()), EMPTY_USER_STATE);
    await new Promise((r) => setTimeout(r, 20));
    crash();
    await expect(waiting).rejects.toThrow(/the judging worker failed: boom/);
    await expect(judging.rejudge(["x"], EMPTY_USER_STATE)).rejects.toThrow(/failed: boom/);
    await expect(judging.judgeAll(inputFor(demoMailbox()), EMPTY_USER_STATE)).rejects.toThrow(/boom/);
  });

  it("should pass the engine's error back to the pane instead of answering nothing", async () => {
    const { judging } = make(10);
    const broken = { ...inputFor(demoMailbox()), timeZone: "Not/AZone" };
    await expect(judging.judgeAll(broken, EMPTY_USER_STATE)).rejects.toThrow(/./);
  });
});

describe("packKeys and unpackFrom (a sync's change set on the wire)", () => {
  const folder = fc.constantFrom<Folder>("inbox", "sentitems", "archive", "folder:a", "folder:b");
  const keys = fc.array(fc.record({ folder, id: fc.string({ minLength: 1 }) }), { maxLength: 60 });
  const storedOf = (list: readonly { folder: Folder; id: string }[]) => {
    const stored = new Map<string, Map<string, MailMessage>>();
    for (const k of list) {
      let byId = stored.get(k.folder);
      if (!byId) stored.set(k.folder, (byId = new Map()));
      byId.set(k.id, { folder: k.folder, id: k.id } as MailMessage);
    }
    return stored;
  };

  it("should give back the very messages named, in their order, after a structured clone", () => {
    fc.assert(
      fc.property(keys, (list) => {
        const wire = structuredClone(packKeys(list));
        const got = unpackFrom(wire, storedOf(list));
        expect(got?.map((m) => ({ folder: m.folder, id: m.id }))).toEqual(list);
      }),
    );
  });

  it("should name each folder once, with each key's folder by index", () => {
    const packed = packKeys([
      { folder: "inbox", id: "1" },
      { folder: "sentitems", id: "2" },
      { folder: "inbox", id: "3" },
    ]);
    expect(packed.folders).toEqual(["inbox", "sentitems"]);
    expect([...packed.at]).toEqual([0, 1, 0]);
    expect(packed.ids).toEqual(["1", "2", "3"]);
  });

  it.each<[string, readonly { folder: Folder; id: string }[]]>([
    ["an id this side never stored", [{ folder: "inbox", id: "missing" }]],
    ["a folder this side never stored", [{ folder: "archive", id: "1" }]],
    ["the same id in another folder", [{ folder: "sentitems", id: "1" }]],
  ])("should give null for %s (the cache is read instead)", (_case, named) => {
    const stored = storedOf([{ folder: "inbox", id: "1" }]);
    expect(unpackFrom(packKeys(named), stored)).toBeNull();
  });

  it("should give null when the ids and their folders do not match up", () => {
    const stored = storedOf([{ folder: "inbox", id: "1" }]);
    expect(unpackFrom({ folders: ["inbox"], at: new Uint32Array(2), ids: ["1"] }, stored)).toBeNull();
  });
});
