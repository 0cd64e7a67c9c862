// The folder picker's list and the CLI's folder names, against the emulator: an answer an Inbox rule filed into
// "Projects" is missed until that folder is picked from the list, then found by the same sync.
import { detectAwaitingReply } from "../../src/core/awaitingReply";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { EMPTY_USER_STATE } from "../../src/core/userState";
import { loadCachedMailbox } from "../../src/graph/mailSync";
import { listMailFolders, resolveFolderNames, type MailFolderChoice } from "../../src/graph/mailFolders";
import { MemoryCacheStore } from "../../src/store/memoryCacheStore";
import type { RunningEmulator } from "../emulator/graphEmulator";
import { graphMessage } from "../fixtures/graphMessage";
import { CLOCK, NOW, connect, smallMailbox, startEmulator, sync } from "./syncHarness";

const ME = "sam.rivera@northwind-sales.com";
const DAY = 86_400_000;

describe("mailFolders.ts", () => {
  let emulator: RunningEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  async function start(): Promise<RunningEmulator> {
    const base = smallMailbox(5, 5, 5);
    const mailbox = {
      ...base,
      sentitems: [
        ...base.sentitems,
        graphMessage({
          id: "m-jane",
          conversationId: "c-jane",
          from: ME,
          to: ["jane@fabrikam.io"],
          at: new Date(CLOCK - 20 * DAY),
          subject: "Proposal for Fabrikam",
        }),
      ],
      projects: [
        graphMessage({
          id: "a-jane",
          conversationId: "c-jane",
          from: "Jane Doe <jane@fabrikam.io>",
          to: [ME],
          at: new Date(CLOCK - 10 * DAY),
          subject: "RE: Proposal for Fabrikam",
        }),
      ],
    };
    emulator = await startEmulator(mailbox);
    return emulator;
  }

  describe("listMailFolders", () => {
    it("should list the folders with their children by path, leaving out Deleted Items and the ones always read", async () => {
      const graph = await start();
      const folders = await listMailFolders(connect(graph));
      expect(folders).toEqual([
        { id: graph.folderId("projects"), name: "Projects", path: "Inbox / Projects" },
      ]);
      expect(folders.map((f) => f.id)).not.toContain(graph.folderId("deleteditems"));
    });
  });

  it("should find an answer filed into a subfolder only once that folder is picked", async () => {
    const graph = await start();
    const stale = async (folders: readonly string[]) => {
      const store = new MemoryCacheStore();
      await sync(graph, store, { pageSize: 25, folders });
      const loaded = (await loadCachedMailbox(store))!;
      const report = detectAwaitingReply(loaded.mailbox, {
        now: NOW,
        settings: DEFAULT_SETTINGS,
        userState: EMPTY_USER_STATE,
        timeZone: "UTC",
      }).find((r) => r.conversationId === "c-jane");
      return report?.state;
    };
    expect(await stale([])).toBe("stale");
    const picked = (await listMailFolders(connect(graph))).find((f) => f.path === "Inbox / Projects")!;
    expect(await stale([picked.id])).not.toBe("stale");
  });

  describe("resolveFolderNames", () => {
    const folders: MailFolderChoice[] = [
      { id: "AAMk1", name: "Projects", path: "Inbox / Projects" },
      { id: "AAMk2", name: "Clients", path: "Inbox / Projects / Clients" },
      { id: "AAMk3", name: "Clients", path: "Clients" },
    ];
    it.each([
      [["Projects"], ["AAMk1"], []],
      [["inbox/projects"], ["AAMk1"], []],
      [["Inbox / Projects / Clients", "projects"], ["AAMk2", "AAMk1"], []],
      [
        ["Clients"],
        [],
        ['"Clients" is several folders (Inbox / Projects / Clients, Clients): give its path'],
      ],
      [
        ["Nope"],
        [],
        ['no folder "Nope" to read (yours: Inbox / Projects, Inbox / Projects / Clients, Clients)'],
      ],
    ])("should read %j as %j", (names, ids, problems) => {
      expect(resolveFolderNames(names, folders)).toEqual({ ids, problems });
    });
  });
});
