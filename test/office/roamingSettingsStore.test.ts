import { DEFAULT_SETTINGS, type Settings } from "../../src/core/settings";
import { SettingsError } from "../../src/core/settingsValidation";
import {
  localSettingsKey,
  RoamingSaveError,
  RoamingSettingsStore,
  SETTINGS_KEY,
} from "../../src/office/roamingSettingsStore";
import { fakeOffice } from "./fakeOffice";

class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
}

const withWindow = (settings: Partial<Settings>): Settings => ({ ...DEFAULT_SETTINGS, ...settings });

function setup(clockStart = 1000) {
  const office = fakeOffice({ partitionKey: "pk-1/" });
  const local = new MemoryStorage();
  let clock = clockStart;
  const store = new RoamingSettingsStore(
    office.context.roamingSettings,
    local,
    localSettingsKey("pk-1/"),
    () => clock++,
  );
  return { office, local, store };
}

describe("roamingSettingsStore.ts", () => {
  describe("localSettingsKey", () => {
    it("should prefix the key with Office's partition key when there is one", () => {
      expect(localSettingsKey("abc/")).toBe(`abc/${SETTINGS_KEY}`);
      expect(localSettingsKey(null)).toBe(SETTINGS_KEY);
    });
  });

  describe("load", () => {
    it("should give the defaults when nothing is stored", async () => {
      expect(await setup().store.load()).toEqual(DEFAULT_SETTINGS);
    });

    it("should round-trip saved settings through roamingSettings and the local copy", async () => {
      const { office, local, store } = setup();
      await store.save(withWindow({ windowDays: 120, internalDomains: ["acme.com"] }));
      expect(office.calls.map((c) => c.method)).toEqual(["roamingSettings.set", "roamingSettings.saveAsync"]);
      expect(local.data.has(`pk-1/${SETTINGS_KEY}`)).toBe(true);
      const loaded = await store.load();
      expect(loaded.windowDays).toBe(120);
      expect(loaded.internalDomains).toEqual(["acme.com"]);
    });

    it("should prefer the newer copy and skip one that fails validation, reporting it", async () => {
      const { office, local, store } = setup();
      await store.save(withWindow({ windowDays: 200 }));
      office.roamingData.set(SETTINGS_KEY, { savedAt: 999_999, settings: { windowDays: -4 } });
      const loaded = await store.load();
      expect(loaded.windowDays).toBe(200);
      expect(store.lastLoadProblems.join()).toMatch(/Look back \(days\) must be at least 1/);
      // The broken roaming copy is left alone until the user saves.
      expect(office.roamingData.get(SETTINGS_KEY)).toEqual({
        savedAt: 999_999,
        settings: { windowDays: -4 },
      });
      expect(local.data.size).toBe(1);
    });
  });

  describe("save", () => {
    it("should refuse invalid settings with a SettingsError and keep the old ones everywhere", async () => {
      const { office, store } = setup();
      await store.save(withWindow({ followUpAfterDays: 5 }));
      const before = office.calls.length;
      await expect(store.save(withWindow({ followUpAfterDays: 1.5 }))).rejects.toThrow(SettingsError);
      expect(office.calls.length).toBe(before);
      expect((await store.load()).followUpAfterDays).toBe(5);
    });

    it("should leave no copy newer than the mailbox's and say so when roamingSettings cannot be saved", async () => {
      const { office, local, store } = setup();
      await store.save(withWindow({ windowDays: 30 }));
      const localBefore = local.data.get(`pk-1/${SETTINGS_KEY}`);
      office.roamingSaveFails = "quota exceeded";
      await expect(store.save(withWindow({ windowDays: 31 }))).rejects.toThrow(RoamingSaveError);
      await expect(store.save(withWindow({ windowDays: 32 }))).rejects.toThrow(/not saved.*quota exceeded/);
      // All or nothing: the local copy and the in-memory roaming copy are as they were before the failed saves.
      expect(local.data.get(`pk-1/${SETTINGS_KEY}`)).toBe(localBefore);
      expect((office.roamingData.get(SETTINGS_KEY) as { settings: Settings }).settings.windowDays).toBe(30);
      expect((await store.load()).windowDays).toBe(30);
      office.roamingSaveFails = null;
      await store.save(withWindow({ windowDays: 33 }));
      expect((await store.load()).windowDays).toBe(33);
    });

    it("should report a roaming copy that cannot be read instead of quietly using the local one", async () => {
      const { office, store } = setup();
      await store.save(withWindow({ windowDays: 45 }));
      office.roamingData.set(SETTINGS_KEY, "{not json");
      expect((await store.load()).windowDays).toBe(45);
      expect(store.lastLoadProblems.join()).toMatch(/mailbox are damaged/);
      expect(office.roamingData.get(SETTINGS_KEY)).toBe("{not json");
    });

    it("should report a roaming read that throws rather than fall back to defaults silently", async () => {
      const local = new MemoryStorage();
      const roaming = {
        get: () => {
          throw new Error("mailbox unavailable");
        },
        set: () => undefined,
        saveAsync: () => undefined,
      };
      const store = new RoamingSettingsStore(roaming, local, "k");
      expect(await store.load()).toEqual(DEFAULT_SETTINGS);
      expect(store.lastLoadProblems).toEqual([
        "The settings stored in your mailbox could not be read: mailbox unavailable",
      ]);
    });

    it("should work without roamingSettings (demo mode), locally only", async () => {
      const local = new MemoryStorage();
      const store = new RoamingSettingsStore(undefined, local, "demo");
      await store.save(withWindow({ maxRecipients: 4 }));
      expect((await store.load()).maxRecipients).toBe(4);
    });
  });
});
