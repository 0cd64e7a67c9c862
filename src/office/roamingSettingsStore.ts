// Settings in Office roamingSettings (they follow the user to every device), with a local copy in localStorage
// keyed by Office.context.partitionKey. Whichever copy was saved last wins; a copy that fails validation is
// skipped, never overwritten until the user saves.
import { DEFAULT_SETTINGS, type Settings } from "../core/settings";
import { parseSettings } from "../core/settingsValidation";
import { officeAsync, type RoamingSettingsLike } from "./officeApi";

export const SETTINGS_KEY = "rekindle.settings";

/** What is stored in either place. */
interface StoredSettings {
  readonly savedAt: number;
  readonly settings: unknown;
}

/** Settings saved on this device, but Outlook could not store them in the mailbox. */
export class RoamingSaveError extends Error {
  constructor(reason: string) {
    super(
      `Your settings are saved on this computer, but Outlook could not store them in your mailbox: ${reason}`,
    );
    this.name = "RoamingSaveError";
  }
}

/** Storage key for the local copy: partitioned per add-in instance where Office provides a partitionKey. */
export function localSettingsKey(partitionKey: string | null | undefined): string {
  return partitionKey ? `${partitionKey}${SETTINGS_KEY}` : SETTINGS_KEY;
}

const asStored = (raw: unknown): StoredSettings | null => {
  if (typeof raw === "string") {
    try {
      return asStored(JSON.parse(raw));
    } catch {
      return null;
    }
  }
  if (raw === null || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  return typeof r.savedAt === "number" && "settings" in r
    ? { savedAt: r.savedAt, settings: r.settings }
    : null;
};

export class RoamingSettingsStore {
  /** Problems found in stored copies on the last load (shown to the user; nothing is deleted). */
  lastLoadProblems: string[] = [];

  constructor(
    private readonly roaming: RoamingSettingsLike | undefined,
    private readonly local: Pick<Storage, "getItem" | "setItem"> | undefined,
    private readonly localKey: string,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  async load(): Promise<Settings> {
    this.lastLoadProblems = [];
    const candidates: { copy: StoredSettings; source: string }[] = [];
    const roaming = asStored(this.readRoaming());
    if (roaming) candidates.push({ copy: roaming, source: "settings stored in your mailbox" });
    const local = asStored(this.readLocal());
    if (local) candidates.push({ copy: local, source: "settings stored on this computer" });
    candidates.sort((a, b) => b.copy.savedAt - a.copy.savedAt);
    for (const { copy, source } of candidates) {
      try {
        return parseSettings(copy.settings, source);
      } catch (error) {
        this.lastLoadProblems.push((error as Error).message);
      }
    }
    return DEFAULT_SETTINGS;
  }

  async save(settings: Settings): Promise<void> {
    // Throws SettingsError before anything is written: the old settings stay as they were.
    const valid = parseSettings(JSON.parse(JSON.stringify(settings)) as unknown, "settings");
    const stored: StoredSettings = { savedAt: this.clock(), settings: valid };
    this.local?.setItem(this.localKey, JSON.stringify(stored));
    if (!this.roaming) return;
    try {
      this.roaming.set(SETTINGS_KEY, stored);
      await officeAsync<void>((cb) => this.roaming!.saveAsync(cb));
    } catch (error) {
      throw new RoamingSaveError((error as Error).message);
    }
  }

  private readRoaming(): unknown {
    try {
      return this.roaming?.get(SETTINGS_KEY);
    } catch {
      return undefined;
    }
  }

  private readLocal(): unknown {
    try {
      return this.local?.getItem(this.localKey) ?? undefined;
    } catch {
      return undefined;
    }
  }
}
