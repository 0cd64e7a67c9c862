// The judging worker (see state/judging.ts): the engine and the sync off the pane's main thread. The list of every
// conversation is kept in the pane's cache from here too, after each judgement of them all and each re-judgement of
// a few, so copying 40,000 reports into IndexedDB never blocks the pane either; and a sync fetches, parses and maps
// its pages here, while the pane's thread (idle while this one parses) stores them.
import { IdbCacheStore } from "../store/idbCacheStore";
import { judgingHandler, type FromWorker, type KeptAfter, type ToWorker } from "./state/judging";
import type { JudgedList } from "./state/reportLists";
import { savingLatest } from "./state/savingLatest";
import { workerSyncRunner } from "./workerSync";

declare const __DEV__: boolean;
declare const __REKINDLE_GRAPH_URL__: string;

const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  addEventListener(type: "message", listener: (event: { data: ToWorker }) => void): void;
};

/** The pane's cache, where each judged list is kept (the sync stores its pages through the pane). */
let keptIn: Promise<IdbCacheStore> | null = null;

/**
 * After a re-judgement, how long the user must leave the pane alone before the list is kept: writing 40,000 reports
 * holds this thread for a moment, and the next action's re-judgement (an undo, say) must not wait behind it.
 */
const QUIET_AFTER_ACTION_MS = 1500;

/**
 * The next open paints from the newest list: one write at a time, the newest waiting. A failure only means that
 * open waits for the judgement.
 */
const saver = savingLatest(async (list: JudgedList) => {
  await (await keptIn)?.saveJudgedList(list);
});
const keep = (list: JudgedList, after: KeptAfter) =>
  saver(list, after === "rejudge" ? QUIET_AFTER_ACTION_MS : 0);

const runSync = workerSyncRunner({
  // The page's content security policy does not cover a worker: a production build talks to Graph alone here too.
  checkGraphUrl: (graphUrl) => {
    if (!__DEV__ && graphUrl !== __REKINDLE_GRAPH_URL__)
      throw new Error(`Rekindle syncs only with ${__REKINDLE_GRAPH_URL__}, not ${graphUrl}`);
  },
});

const handle = judgingHandler((message) => scope.postMessage(message), keep, undefined, runSync);

scope.addEventListener("message", (event) => {
  const message = event.data;
  if (message.t === "keepIn") keptIn = IdbCacheStore.open(message.databaseName);
  handle(message);
});
