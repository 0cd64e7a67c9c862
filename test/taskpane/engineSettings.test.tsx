/** @jest-environment jsdom */
import { act, renderHook, waitFor } from "@testing-library/react";
import fc from "fast-check";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { EMPTY_USER_STATE } from "../../src/core/userState";
import { instant } from "../../src/core/message";
import type { ResolvedUserState, StateEntry } from "../../src/core/userStateEntries";
import { exclusionsSelector, withExclusions } from "../../src/taskpane/state/engineSettings";
import { usePaneModel } from "../../src/taskpane/state/usePaneModel";
import { NOW, fakeServices } from "./fakeServices";

const resolved = (excludedAddresses: string[], excludedDomains: string[] = []): ResolvedUserState => ({
  userState: { ...EMPTY_USER_STATE, snoozes: { [`c${excludedAddresses.length}`]: instant(1) } },
  excludedAddresses,
  excludedDomains,
});

describe("engineSettings.ts", () => {
  describe("exclusionsSelector", () => {
    it("should answer with the same object while the addresses and domains are the same", () => {
      const select = exclusionsSelector();
      const first = select(resolved(["a@x.com", "b@x.com"], ["y.com"]));
      expect(select(resolved(["a@x.com", "b@x.com"], ["y.com"]))).toBe(first);
      expect(select(resolved(["b@x.com", "a@x.com"], ["y.com"]))).toBe(first);
    });

    it.each<[string, string[], string[]]>([
      ["an address added", ["a@x.com", "b@x.com", "c@x.com"], ["y.com"]],
      ["an address taken back", ["a@x.com"], ["y.com"]],
      ["an address swapped", ["a@x.com", "z@x.com"], ["y.com"]],
      ["a domain added", ["a@x.com", "b@x.com"], ["y.com", "z.com"]],
      ["the domains cleared", ["a@x.com", "b@x.com"], []],
    ])("should answer anew after %s", (_, addresses, domains) => {
      const select = exclusionsSelector();
      const first = select(resolved(["a@x.com", "b@x.com"], ["y.com"]));
      const next = select(resolved(addresses, domains));
      expect(next).not.toBe(first);
      expect(next).toEqual({ addresses, domains });
    });

    it("should answer with the same object exactly when the content is the same (any lists)", () => {
      const list = fc.uniqueArray(fc.constantFrom("a", "b", "c", "d"), { maxLength: 4 });
      fc.assert(
        fc.property(list, list, list, list, (a1, d1, a2, d2) => {
          const select = exclusionsSelector();
          const first = select(resolved(a1, d1));
          const same = (x: string[], y: string[]) => [...x].sort().join() === [...y].sort().join();
          expect(select(resolved(a2, d2)) === first).toBe(same(a1, a2) && same(d1, d2));
        }),
      );
    });
  });

  describe("withExclusions", () => {
    it("should keep the settings themselves when nothing is excluded", () => {
      expect(withExclusions(DEFAULT_SETTINGS, { addresses: [], domains: [] })).toBe(DEFAULT_SETTINGS);
    });

    it("should add the exclusions to the user's own, once each", () => {
      const settings = { ...DEFAULT_SETTINGS, excludedAddresses: ["a@x.com"], excludedDomains: ["y.com"] };
      const out = withExclusions(settings, { addresses: ["a@x.com", "b@x.com"], domains: ["z.com"] });
      expect(out.excludedAddresses).toEqual(["a@x.com", "b@x.com"]);
      expect(out.excludedDomains).toEqual(["y.com", "z.com"]);
    });
  });

  describe("usePaneModel", () => {
    // Each judgement of every conversation keeps the list once (keptLists); a re-judgement of a few does not.
    // Someone already marked not a prospect: the engine's settings are then the user's with that address added.
    const marked: StateEntry = {
      kind: "not-a-prospect",
      id: "newsletter@contoso.com",
      at: instant(NOW - 86_400_000),
      excluded: true,
    };
    async function syncedModel() {
      const services = fakeServices({ kept: null, entries: [marked] });
      const hook = renderHook(() => usePaneModel(services));
      await waitFor(() => expect(services.keptLists).toHaveLength(1), { timeout: 10_000 });
      return { services, hook };
    }

    it("should not judge every conversation again after a change that leaves the exclusions as they were", async () => {
      const { services, hook } = await syncedModel();
      const report = hook.result.current.reports.find((r) => r.state === "stale")!;
      await act(() => hook.result.current.snooze(report, instant(NOW + 86_400_000), "until tomorrow"));
      // The snoozed conversation alone was judged again: the list says so, and nothing more was kept.
      const after = hook.result.current.reports.find((r) => r.conversationId === report.conversationId);
      expect(after?.state).toBe("snoozed");
      // Another pane announcing what this pane already holds changes nothing at all.
      act(() => services.fromAnotherPane([...services.saved.entries]));
      await new Promise((done) => setTimeout(done, 50));
      expect(services.keptLists).toHaveLength(1);
    });

    it("should judge every conversation again when someone is marked not a prospect", async () => {
      const { services, hook } = await syncedModel();
      const report = hook.result.current.reports.find((r) => r.state === "stale")!;
      await act(() => hook.result.current.excludeAddress(report.prospects[0]!.address));
      await waitFor(() => expect(services.keptLists).toHaveLength(2), { timeout: 10_000 });
      const after = hook.result.current.reports.find((r) => r.conversationId === report.conversationId);
      expect(after?.state).toBe("excluded");
    });
  });
});
