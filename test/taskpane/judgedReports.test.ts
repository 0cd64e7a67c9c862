import { detectAwaitingReply, prepareJudgement } from "../../src/core/awaitingReply";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { instant } from "../../src/core/message";
import { EMPTY_USER_STATE, type UserState } from "../../src/core/userState";
import { asJudgedList, shownFromJudgedList } from "../../src/taskpane/state/judgedReports";
import { rejudge, touchedConversations } from "../../src/taskpane/state/reportLists";
import { NOW, demoMailbox } from "./fakeServices";

const base: UserState = {
  snoozes: { a: instant(1) },
  closed: { b: instant(2) },
  loggedAttempts: [{ id: "l1", conversationId: "c", at: instant(3), kind: "call" }],
  deferrals: { d: null },
  referrers: { e: "x@example.com" },
};

describe("judgedReports.ts", () => {
  describe("touchedConversations", () => {
    it.each<[string, UserState, string[]]>([
      ["nothing changed", base, []],
      ["a new snooze", { ...base, snoozes: { a: instant(1), f: instant(9) } }, ["f"]],
      ["a snooze moved", { ...base, snoozes: { a: instant(5) } }, ["a"]],
      ["a snooze undone", { ...base, snoozes: {} }, ["a"]],
      ["a file closed", { ...base, closed: { b: instant(2), g: instant(4) } }, ["g"]],
      ["a file reopened", { ...base, closed: {} }, ["b"]],
      [
        "a call logged",
        {
          ...base,
          loggedAttempts: [
            ...base.loggedAttempts,
            { id: "l2", conversationId: "h", at: instant(5), kind: "call" },
          ],
        },
        ["h"],
      ],
      ["a call taken back", { ...base, loggedAttempts: [] }, ["c"]],
      ["a later date cleared", { ...base, deferrals: {} }, ["d"]],
      ["a referrer marked", { ...base, referrers: { e: "x@example.com", i: "y@example.com" } }, ["i"]],
    ])("should find %s", (_name, after, expected) => {
      expect([...touchedConversations(base, after)].sort()).toEqual(expected);
    });
  });

  describe("rejudge", () => {
    it("should give what judging everything gives, in the same order, after a snooze and a close", () => {
      const mailbox = demoMailbox();
      const options = { now: NOW, settings: DEFAULT_SETTINGS };
      const judgement = prepareJudgement(mailbox, options);
      const before = judgement.judgeAll(EMPTY_USER_STATE);
      const [first, second] = before.filter((r) => r.state === "stale");
      const after: UserState = {
        ...EMPTY_USER_STATE,
        snoozes: { [first!.conversationId]: instant(NOW + 86_400_000) },
        closed: { [second!.conversationId]: NOW },
      };
      const got = rejudge(before, judgement, touchedConversations(EMPTY_USER_STATE, after), after);
      expect(got).toEqual(detectAwaitingReply(mailbox, { ...options, userState: after }));
      expect(got.find((r) => r.conversationId === first!.conversationId)?.state).toBe("snoozed");
    });
  });

  describe("the kept list", () => {
    it("should refuse what is not a judged list", () => {
      for (const bad of [null, 3, "x", { reports: [] }, { reports: [{}], userState: EMPTY_USER_STATE }])
        expect(asJudgedList(bad)).toBeNull();
      const ok = { reports: [], userState: EMPTY_USER_STATE };
      expect(asJudgedList(ok)).toBe(ok);
    });

    it("should leave out what the user state changed since it was kept", () => {
      const reports = detectAwaitingReply(demoMailbox(), {
        now: NOW,
        settings: DEFAULT_SETTINGS,
        userState: EMPTY_USER_STATE,
      });
      const gone = reports[0]!.conversationId;
      const shown = shownFromJudgedList(
        { reports, userState: EMPTY_USER_STATE },
        { ...EMPTY_USER_STATE, closed: { [gone]: NOW } },
      );
      expect(shown).toHaveLength(reports.length - 1);
      expect(shown.some((r) => r.conversationId === gone)).toBe(false);
    });
  });
});
