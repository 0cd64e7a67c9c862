// The judging worker (see state/judging.ts): the engine off the pane's main thread. Each judgement of every
// conversation is kept in the pane's cache from here too, so copying 40,000 reports into IndexedDB never blocks
// the pane either.
import type { ConversationReport } from "../core/awaitingReply";
import type { UserState } from "../core/userState";
import { IdbCacheStore } from "../store/idbCacheStore";
import { judgingHandler, type FromWorker, type ToWorker } from "./state/judging";

const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  addEventListener(type: "message", listener: (event: { data: ToWorker }) => void): void;
};

let store: Promise<IdbCacheStore> | null = null;

function keep(list: { reports: readonly ConversationReport[]; userState: UserState }): void {
  // The next open paints from it; a failure only means that open waits for the judgement.
  void store?.then((s) => s.saveJudgedList(list)).catch(() => undefined);
}

const handle = judgingHandler((message) => scope.postMessage(message), keep);

scope.addEventListener("message", (event) => {
  const message = event.data;
  if (message.t === "keepIn") store = IdbCacheStore.open(message.databaseName);
  handle(message);
});
