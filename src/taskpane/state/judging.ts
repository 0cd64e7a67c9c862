// Judging off the main thread: the engine (prepareJudgement, judgeAll, judge) runs in a Web Worker, so judging 40,000
// conversations after the first paint never blocks a click. This file holds both ends of the conversation with the
// worker, over any MessagePort-like pair (a Worker and its global scope, or a MessageChannel in the tests):
//  - WorkerJudging, the pane's side: it posts the mailbox in slices (each slice's copy is a short task of its own)
//    and gets the reports back in slices too;
//  - judgingHandler, the worker's side: it keeps the mailbox and the prepared judgement, so a change of user state
//    re-judges only the conversations it touches.
import { prepareJudgement, type ConversationReport, type Judgement } from "../../core/awaitingReply";
import type { Instant, MailMessage, Mailbox, Me } from "../../core/message";
import type { Settings } from "../../core/settings";
import type { UserState } from "../../core/userState";

/** What a judgement of every conversation reads besides the user state. */
export interface JudgeInput {
  readonly mailbox: Mailbox;
  readonly settings: Settings;
  readonly now: Instant;
  readonly timeZone: string;
  readonly locale: string;
}

/** The engine, wherever it runs. */
export interface Judging {
  /** True when this judging keeps each judgement of every conversation for the next open itself. */
  readonly keepsJudgedList: boolean;
  /** Reads `input` for judging and judges every conversation under `userState`: all reports, in compareReports order. */
  judgeAll(input: JudgeInput, userState: UserState): Promise<ConversationReport[]>;
  /**
   * The given conversations judged again under `userState`, with the last judgeAll's input: each one's new
   * report, or null where it is no longer one worth judging.
   */
  rejudge(
    conversationIds: readonly string[],
    userState: UserState,
  ): Promise<Map<string, ConversationReport | null>>;
  /** Stops the worker; later calls fail. */
  close(): void;
}

/** How many messages or reports go in one message to or from the worker. */
export const SLICE = 2000;

/** What the pane posts to the worker. */
export type ToWorker =
  /** Where the worker keeps each judgement of every conversation (the pane's cache); the entry file reads it. */
  | { readonly t: "keepIn"; readonly databaseName: string }
  | {
      readonly t: "messages";
      readonly first: boolean;
      readonly me: Me;
      readonly part: readonly MailMessage[];
    }
  | {
      readonly t: "judgeAll";
      readonly req: number;
      readonly settings: Settings;
      readonly now: Instant;
      readonly timeZone: string;
      readonly locale: string;
      readonly userState: UserState;
    }
  | {
      readonly t: "rejudge";
      readonly req: number;
      readonly ids: readonly string[];
      readonly userState: UserState;
    };

/** What the worker posts back. */
export type FromWorker =
  | {
      readonly t: "reports";
      readonly req: number;
      readonly part: ConversationReport[];
      readonly done: boolean;
    }
  | {
      readonly t: "rejudged";
      readonly req: number;
      readonly reports: readonly (readonly [string, ConversationReport | null])[];
    }
  | { readonly t: "error"; readonly req: number; readonly message: string };

/** The worker's side: give it each message from the pane; it answers through `post`. */
export function judgingHandler(
  post: (message: FromWorker) => void,
  /** Called with each judgement of every conversation, after its reports are posted (to keep it for the next open). */
  keep?: (list: { reports: readonly ConversationReport[]; userState: UserState }) => void,
  slice = SLICE,
): (message: ToWorker) => void {
  let me: Me = { displayName: "" };
  let messages: MailMessage[] = [];
  let judgement: Judgement | null = null;
  return (message) => {
    switch (message.t) {
      case "keepIn":
        return;
      case "messages":
        if (message.first) messages = [];
        me = message.me;
        for (const m of message.part) messages.push(m);
        judgement = null;
        return;
      case "judgeAll":
        try {
          judgement = prepareJudgement(
            { me, messages },
            {
              now: message.now,
              settings: message.settings,
              timeZone: message.timeZone,
              locale: message.locale,
            },
          );
          const reports = judgement.judgeAll(message.userState);
          for (let at = 0; at < reports.length || at === 0; at += slice) {
            const done = at + slice >= reports.length;
            post({ t: "reports", req: message.req, part: reports.slice(at, at + slice), done });
          }
          keep?.({ reports, userState: message.userState });
        } catch (error) {
          post({ t: "error", req: message.req, message: describe(error) });
        }
        return;
      case "rejudge": {
        if (!judgement) {
          post({ t: "error", req: message.req, message: "nothing was judged yet" });
          return;
        }
        const j = judgement;
        try {
          post({
            t: "rejudged",
            req: message.req,
            reports: message.ids.map((id) => [id, j.judge(id, message.userState)] as const),
          });
        } catch (error) {
          post({ t: "error", req: message.req, message: describe(error) });
        }
        return;
      }
    }
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The pane's end of a worker: what a Worker (or a MessagePort) offers. */
export interface WorkerPort {
  postMessage(message: ToWorker): void;
  addEventListener(type: "message", listener: (event: { data: FromWorker }) => void): void;
  addEventListener(type: "error", listener: (event: { message?: string }) => void): void;
  terminate?(): void;
  close?(): void;
}

/** Lets the browser paint and handle input between two slices. */
function breathe(): Promise<void> {
  const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (s?.yield) return s.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** User Timing measures that bench:ui reads; nothing where the host lacks the API. */
function measure(name: string, start: number): void {
  if (typeof performance !== "undefined" && typeof performance.measure === "function") {
    performance.measure(name, { start, end: performance.now() });
  }
}
const clock = (): number => (typeof performance !== "undefined" ? performance.now() : 0);

/** The engine in a worker, seen from the pane. Requests run one after another, in the order asked. */
export class WorkerJudging implements Judging {
  private requests = 0;
  private readonly pending = new Map<
    number,
    { parts: ConversationReport[][]; resolve: (m: FromWorker) => void; reject: (e: Error) => void }
  >();
  private queue: Promise<unknown> = Promise.resolve();
  /** The mailbox the worker holds (posted once, however many judgements read it). */
  private posted: Mailbox | null = null;
  private failed: Error | null = null;

  constructor(
    private readonly port: WorkerPort,
    readonly keepsJudgedList: boolean,
    private readonly slice = SLICE,
  ) {
    port.addEventListener("message", (event: { data: FromWorker }) => this.receive(event.data));
    port.addEventListener("error", (event: { message?: string }) =>
      this.fail(new Error(`the judging worker failed${event.message ? `: ${event.message}` : ""}`)),
    );
  }

  judgeAll(input: JudgeInput, userState: UserState): Promise<ConversationReport[]> {
    return this.serially(async () => {
      if (this.posted !== input.mailbox) {
        const start = clock();
        this.posted = null;
        const all = input.mailbox.messages;
        for (let at = 0; at < all.length || at === 0; at += this.slice) {
          const part = all.slice(at, at + this.slice);
          this.post({ t: "messages", first: at === 0, me: input.mailbox.me, part });
          if (at + this.slice < all.length) await breathe();
        }
        this.posted = input.mailbox;
        measure("rekindle:prepare", start);
      }
      const start = clock();
      const reply = await this.ask((req) => ({
        t: "judgeAll",
        req,
        settings: input.settings,
        now: input.now,
        timeZone: input.timeZone,
        locale: input.locale,
        userState,
      }));
      measure("rekindle:classify", start);
      return reply as ConversationReport[];
    });
  }

  rejudge(
    conversationIds: readonly string[],
    userState: UserState,
  ): Promise<Map<string, ConversationReport | null>> {
    return this.serially(async () => {
      const reply = await this.ask((req) => ({ t: "rejudge", req, ids: [...conversationIds], userState }));
      return new Map(reply as [string, ConversationReport | null][]);
    });
  }

  close(): void {
    this.fail(new Error("the judging worker was stopped"));
    this.port.terminate?.();
    this.port.close?.();
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private post(message: ToWorker): void {
    if (this.failed) throw this.failed;
    this.port.postMessage(message);
  }

  /** Posts a request and resolves to its answer: the reports put together, or the re-judged pairs. */
  private ask(request: (req: number) => ToWorker): Promise<unknown> {
    if (this.failed) return Promise.reject(this.failed);
    const req = ++this.requests;
    return new Promise((resolve, reject) => {
      this.pending.set(req, {
        parts: [],
        reject,
        resolve: (m) => {
          if (m.t === "rejudged") resolve(m.reports);
          else resolve(this.pending.get(req)?.parts.flat() ?? []);
        },
      });
      try {
        this.port.postMessage(request(req));
      } catch (error) {
        this.pending.delete(req);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private receive(message: FromWorker): void {
    const waiting = this.pending.get(message.req);
    if (!waiting) return;
    if (message.t === "error") {
      this.pending.delete(message.req);
      waiting.reject(new Error(message.message));
      return;
    }
    if (message.t === "reports") {
      waiting.parts.push(message.part);
      if (!message.done) return;
    }
    waiting.resolve(message);
    this.pending.delete(message.req);
  }

  private fail(error: Error): void {
    if (!this.failed) this.failed = error;
    this.posted = null;
    for (const [req, waiting] of this.pending) {
      this.pending.delete(req);
      waiting.reject(error);
    }
  }
}
