import "fake-indexeddb/auto";
import { instant } from "../../src/core/message";
import { IdbCacheStore } from "../../src/store/idbCacheStore";
import {
  canonical,
  expectedMessages,
  IDLE_SYNC_REQUESTS,
  SYNCED_FOLDERS,
  smallMailbox,
  startEmulator,
  sync,
} from "../graph/syncHarness";

describe("IdbCacheStore.ts", () => {
  describe("as the sync engine's cache", () => {
    it("should hold a first sync, stay put on an empty incremental, and survive a 410 resync with the user state", async () => {
      const mailbox = smallMailbox(31, 40, 90);
      const emulator = await startEmulator(mailbox);
      try {
        const store = await IdbCacheStore.open("idb-sync");
        await sync(emulator, store, { pageSize: 20 });
        expect(canonical(await store.loadMessages())).toEqual(expectedMessages(emulator, mailbox.me));
        const userState = { snoozes: { x: instant(1) }, closed: {}, loggedAttempts: [] };
        await store.saveUserState(userState);
        await store.close();

        const reopened = await IdbCacheStore.open("idb-sync");
        emulator.resetStats();
        await sync(emulator, reopened, { pageSize: 20 });
        expect(emulator.stats.requests).toBe(IDLE_SYNC_REQUESTS);
        emulator.expireDeltaTokens();
        const result = await sync(emulator, reopened, { pageSize: 20 });
        expect(result.resyncedFolders).toHaveLength(SYNCED_FOLDERS);
        expect(canonical(await reopened.loadMessages())).toEqual(expectedMessages(emulator, mailbox.me));
        expect(await reopened.loadUserState()).toEqual(userState);
        await reopened.close();
      } finally {
        await emulator.close();
      }
    });
  });
});
