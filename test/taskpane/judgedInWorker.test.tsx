/** @jest-environment jsdom */
// useJudgedReports with the engine in a worker: a re-judgement the worker cannot make is judged in full there, and
// only a worker that cannot judge at all sends the pane to judging on its own thread.
import { renderHook, waitFor } from "@testing-library/react";
import { detectAwaitingReply, type ConversationReport } from "../../src/core/awaitingReply";
import { instant } from "../../src/core/message";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { EMPTY_USER_STATE, type UserState } from "../../src/core/userState";
import { useJudgedReports } from "../../src/taskpane/state/judgedReports";
import type { JudgeInput, Judging } from "../../src/taskpane/state/judging";
import { NOW, demoMailbox } from "./fakeServices";

const WHERE = { timeZone: "Europe/London", locale: "en-GB" };

/** A worker on this thread that counts what it is asked, and fails where told. */
function fakeWorker(fail: { rejudge?: boolean; judgeAll?: boolean }) {
  const asked: string[] = [];
  const judging: Judging = {
    keepsJudgedList: true,
    judgeAll: (input: JudgeInput, userState: UserState) => {
      asked.push("judgeAll");
      if (fail.judgeAll) return Promise.reject(new Error("the judging worker failed"));
      return Promise.resolve(detectAwaitingReply(input.mailbox, { ...input, userState }));
    },
    rejudge: () => {
      asked.push("rejudge");
      return fail.rejudge
        ? Promise.reject(new Error("nothing was judged yet"))
        : Promise.resolve(new Map<string, ConversationReport | null>());
    },
    close: () => undefined,
  };
  return { judging, asked };
}

describe("useJudgedReports with a worker", () => {
  const mailbox = demoMailbox();
  const expected = (userState: UserState) =>
    detectAwaitingReply(mailbox, { now: NOW, settings: DEFAULT_SETTINGS, userState, ...WHERE });

  it.each([
    ["cannot re-judge", { rejudge: true }, ["judgeAll", "rejudge", "judgeAll"]],
    ["cannot judge at all", { judgeAll: true }, ["judgeAll"]],
  ])("should give the right reports when the worker %s", async (_what, fail, asked) => {
    const worker = fakeWorker(fail);
    const { result, rerender } = renderHook(
      ({ userState }) =>
        useJudgedReports(mailbox, DEFAULT_SETTINGS, userState, NOW, WHERE, undefined, worker.judging),
      { initialProps: { userState: EMPTY_USER_STATE } },
    );
    await waitFor(() => expect(result.current).toEqual(expected(EMPTY_USER_STATE)));
    const stale = result.current!.find((r) => r.state === "stale")!;
    const snoozed: UserState = {
      ...EMPTY_USER_STATE,
      snoozes: { [stale.conversationId]: instant(NOW + 7 * 86_400_000) },
    };
    rerender({ userState: snoozed });
    await waitFor(() => expect(result.current).toEqual(expected(snoozed)));
    expect(worker.asked).toEqual(asked);
  });
});
