// The sync in the judging worker: both ends of judging.ts over a real MessageChannel (structured clone, as between
// the pane and its worker), the worker's side running workerSync.ts — the real sync engine and Graph client against
// the emulator over loopback HTTP — into the pane's cache, which the worker calls over the channel.
import { detectAwaitingReply } from "../../src/core/awaitingReply";
import { instant, type Mailbox } from "../../src/core/message";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { EMPTY_USER_STATE } from "../../src/core/userState";
import { applyChangeSet } from "../../src/graph/mailChanges";
import { MemoryCacheStore } from "../../src/store/memoryCacheStore";
import { SyncProblem, type SyncProgress } from "../../src/taskpane/services";
import {
  WorkerJudging,
  judgingHandler,
  type FromWorker,
  type SyncRequest,
  type ToWorker,
  type WorkerPort,
  WorkerCannotSync,
} from "../../src/taskpane/state/judging";
import { reusingToken, TOKEN_REUSE_MS, workerSyncRunner } from "../../src/taskpane/workerSync";
import type { RunningEmulator } from "../emulator/graphEmulator";
import {
  canonical,
  clock,
  expectedMessages,
  NOW,
  smallMailbox,
  startEmulator,
  sync,
} from "../graph/syncHarness";

const WHERE = { timeZone: "Europe/London", locale: "en-GB" };
const judgeHere = (mailbox: Mailbox) =>
  detectAwaitingReply(mailbox, {
    now: NOW,
    settings: DEFAULT_SETTINGS,
    userState: EMPTY_USER_STATE,
    ...WHERE,
  });

interface Rig {
  readonly judging: WorkerJudging;
  /** Every message the worker's side received. */
  readonly received: ToWorker[];
  /** The pane's cache. */
  readonly store: MemoryCacheStore;
  close(): void;
}

/** `drop`: messages the worker never gets (as if it could not act on them); `syncs`: false for a worker without a sync. */
function rig(drop: (m: ToWorker) => boolean = () => false, syncs = true): Rig {
  const channel = new MessageChannel();
  const received: ToWorker[] = [];
  const store = new MemoryCacheStore();
  const handle = judgingHandler(
    (m: FromWorker) => channel.port2.postMessage(m),
    undefined,
    25,
    syncs ? workerSyncRunner({ retryDelaySeconds: 0, clock }) : undefined,
  );
  channel.port2.addEventListener("message", (e: MessageEvent<ToWorker>) => {
    if (drop(e.data)) return;
    received.push(e.data);
    handle(e.data);
  });
  channel.port2.start();
  const port: WorkerPort = {
    postMessage: (m) => channel.port1.postMessage(m),
    addEventListener: ((type: string, listener: (e: never) => void) => {
      if (type === "message")
        channel.port1.addEventListener("message", listener as (e: MessageEvent) => void);
    }) as WorkerPort["addEventListener"],
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
  channel.port1.start();
  const judging = new WorkerJudging(port, false, 25);
  return { judging, received, store, close: () => judging.close() };
}

const requestFor = (emulator: RunningEmulator): SyncRequest => ({
  graphUrl: emulator.url,
  now: NOW,
  windowDays: 365,
  folders: [],
});

describe("the sync in the judging worker (workerSync.ts, judging.ts)", () => {
  let emulator: RunningEmulator | undefined;
  const rigs: Rig[] = [];
  const make = (...args: Parameters<typeof rig>) => {
    const r = rig(...args);
    rigs.push(r);
    return r;
  };
  afterEach(async () => {
    rigs.splice(0).forEach((r) => r.close());
    await emulator?.close();
    emulator = undefined;
  });

  it("should store the pages in the pane's cache and give the change set a sync on the pane's thread gives", async () => {
    const mailbox = smallMailbox();
    emulator = await startEmulator(mailbox);
    const { judging, store, received } = make();
    const progress: SyncProgress[] = [];
    let tokens = 0;
    const result = await judging.sync(
      requestFor(emulator),
      (p) => progress.push(p),
      () => {
        tokens++;
        return Promise.resolve(emulator!.token);
      },
      store,
    );
    const expected = expectedMessages(emulator, mailbox.me);
    const changes = result.changes!;
    // The pages were stored in the pane's cache; the change set names them, and the pane has each message.
    expect(canonical(await store.loadMessages())).toEqual(expected);
    expect(canonical(changes.added)).toEqual(expected);
    expect(changes.removed).toEqual([]);
    expect(result.cached).toBe(expected.length);
    expect((await store.loadMe())?.mail).toBe(mailbox.me.mail);
    expect(received.filter((m) => m.t === "stored").length).toBeGreaterThan(expected.length / 25);
    // The pane's thread answered the token the worker's Graph client needed (once: the sync reuses it), and heard
    // the progress.
    expect(tokens).toBe(1);
    expect(progress.at(-1)).toMatchObject({ phase: "first-sync", synced: expected.length });
    // As the same sync on this thread, into a cache of its own.
    const here = await sync(emulator, new MemoryCacheStore());
    expect(canonical(changes.added)).toEqual(canonical(here.changes.added));
    expect(result.state).toEqual(here.state);
  });

  it("should judge the synced mailbox without it being posted to the worker, first sync and incremental", async () => {
    const mailbox = smallMailbox();
    emulator = await startEmulator(mailbox);
    const { judging, received, store } = make();
    const token = () => Promise.resolve(emulator!.token);
    const first = await judging.sync(requestFor(emulator), () => undefined, token, store);
    const me = mailbox.me as unknown as Mailbox["me"];
    const synced: Mailbox = { me, messages: applyChangeSet([], first.changes!) };
    first.settle(null, synced);
    const input = { mailbox: synced, settings: DEFAULT_SETTINGS, now: NOW, ...WHERE };
    expect(await judging.judgeAll(input, EMPTY_USER_STATE)).toEqual(judgeHere(synced));
    expect(received.filter((m) => m.t === "messages")).toEqual([]);

    // New mail: the incremental sync's change set is applied on both sides.
    const [sent] = emulator.folderMessages("sentitems");
    emulator.addMessage("inbox", {
      subject: "Re: your proposal",
      conversationId: sent!.conversationId,
      from: { emailAddress: { name: "Prospect", address: "someone@prospect.example" } },
      toRecipients: [{ emailAddress: { address: String(mailbox.me.mail) } }],
      bodyPreview: "Thanks, this looks good.",
    });
    const next = await judging.sync(requestFor(emulator), () => undefined, token, store);
    expect(next.changes!.added).toHaveLength(1);
    const later: Mailbox = { me, messages: applyChangeSet(synced.messages, next.changes!) };
    next.settle(synced, later);
    expect(await judging.judgeAll({ ...input, mailbox: later }, EMPTY_USER_STATE)).toEqual(judgeHere(later));
    expect(received.filter((m) => m.t === "messages")).toEqual([]);
  });

  it("should keep the worker's judgement across a sync that changed nothing, so a snooze is still re-judged there", async () => {
    const mailbox = smallMailbox();
    emulator = await startEmulator(mailbox);
    const { judging, received, store } = make();
    const token = () => Promise.resolve(emulator!.token);
    const first = await judging.sync(requestFor(emulator), () => undefined, token, store);
    const synced: Mailbox = {
      me: mailbox.me as unknown as Mailbox["me"],
      messages: applyChangeSet([], first.changes!),
    };
    first.settle(null, synced);
    const input = { mailbox: synced, settings: DEFAULT_SETTINGS, now: NOW, ...WHERE };
    const reports = await judging.judgeAll(input, EMPTY_USER_STATE);
    const stale = reports.find((r) => r.state === "stale")!;
    // Nothing new: the pane keeps the very mailbox.
    const idle = await judging.sync(requestFor(emulator), () => undefined, token, store);
    expect(idle.changes).toEqual({ added: [], changed: [], removed: [] });
    idle.settle(synced, synced);
    const snoozed = {
      ...EMPTY_USER_STATE,
      snoozes: { [stale.conversationId]: instant(NOW + 7 * 86_400_000) },
    };
    const fresh = await judging.rejudge([stale.conversationId], snoozed);
    expect(fresh.get(stale.conversationId)?.state).toBe("snoozed");
    expect(received.filter((m) => m.t === "messages")).toEqual([]);
  });

  it("should post the mailbox after all when the worker did not apply the change set, and judge it right", async () => {
    const mailbox = smallMailbox();
    emulator = await startEmulator(mailbox);
    // A worker that never hears which mailbox the pane built: it still holds the empty one.
    const { judging, received, store } = make((m) => m.t === "settle");
    const result = await judging.sync(
      requestFor(emulator),
      () => undefined,
      () => Promise.resolve(emulator!.token),
      store,
    );
    const synced: Mailbox = {
      me: mailbox.me as unknown as Mailbox["me"],
      messages: applyChangeSet([], result.changes!),
    };
    result.settle(null, synced);
    const input = { mailbox: synced, settings: DEFAULT_SETTINGS, now: NOW, ...WHERE };
    expect(await judging.judgeAll(input, EMPTY_USER_STATE)).toEqual(judgeHere(synced));
    // Asked, told "stale", then posted and asked again.
    expect(received.filter((m) => m.t === "judgeAll")).toHaveLength(2);
    expect(received.filter((m) => m.t === "messages").flatMap((m) => m.part)).toEqual(synced.messages);
  });

  it.each([
    [
      "Graph refuses the token",
      (e: RunningEmulator) => Promise.resolve(`${e.token}-wrong`),
      "signed-out",
      /sign-in has expired/,
    ],
    [
      "the pane could not get a token",
      () =>
        Promise.reject(new SyncProblem("signed-out", "Sign in to Microsoft 365 to continue: closed", 60_000)),
      "signed-out",
      /Sign in to Microsoft 365 to continue: closed/,
    ],
  ])("should fail with the problem the pane shows when %s", async (_what, token, kind, message) => {
    emulator = await startEmulator(smallMailbox());
    const { judging, store } = make();
    const running = judging.sync(
      requestFor(emulator),
      () => undefined,
      () => token(emulator!),
      store,
    );
    await expect(running).rejects.toBeInstanceOf(SyncProblem);
    await expect(running).rejects.toMatchObject({ kind, message: expect.stringMatching(message) });
    expect(await store.countMessages()).toBe(0);
  });

  it("should refuse a sync in a worker that cannot sync, so the pane syncs on its own thread", async () => {
    const { judging, store } = make(undefined, false);
    await expect(
      judging.sync(
        { graphUrl: "http://127.0.0.1:1/v1.0", now: NOW, windowDays: 30, folders: [] },
        () => undefined,
        () => Promise.resolve("t"),
        store,
      ),
    ).rejects.toBeInstanceOf(WorkerCannotSync);
  });

  it("should reject a sync that is running once the worker fails", async () => {
    emulator = await startEmulator(smallMailbox());
    emulator.setFaults({ latencyMs: 200 });
    const { judging, store } = make();
    const running = judging.sync(
      requestFor(emulator),
      () => undefined,
      () => Promise.resolve(emulator!.token),
      store,
    );
    judging.close();
    await expect(running).rejects.toMatchObject({ kind: "error", message: expect.stringMatching(/stopped/) });
    expect(judging.broken).toBe(true);
  });
});

describe("reusingToken (workerSync.ts)", () => {
  it.each([
    ["at once", 0, 1],
    ["just under a minute later", TOKEN_REUSE_MS - 1, 1],
    ["a minute later", TOKEN_REUSE_MS, 2],
  ])(
    "should ask the pane for a token once and, asked again %s, ask %d time(s) in all",
    async (_when, later, asks) => {
      let now = 1_000;
      let asked = 0;
      const token = reusingToken(
        () => Promise.resolve(`t${++asked}`),
        () => now,
      );
      expect(await token()).toBe("t1");
      now += later;
      expect(await token()).toBe(`t${asks}`);
      expect(asked).toBe(asks);
    },
  );

  it("should not keep a failure: the next request asks the pane again", async () => {
    let asked = 0;
    const token = reusingToken(
      () => (++asked === 1 ? Promise.reject(new Error("popup closed")) : Promise.resolve("t2")),
      () => 1_000,
    );
    await expect(token()).rejects.toThrow("popup closed");
    expect(await token()).toBe("t2");
    expect(asked).toBe(2);
  });

  it("should give requests made while the pane is still answering the same token, asked for once", async () => {
    let asked = 0;
    let answer: (token: string) => void = () => undefined;
    const token = reusingToken(
      () => {
        asked++;
        return new Promise<string>((resolve) => (answer = resolve));
      },
      () => 1_000,
    );
    const both = Promise.all([token(), token()]);
    answer("t1");
    expect(await both).toEqual(["t1", "t1"]);
    expect(asked).toBe(1);
  });
});
