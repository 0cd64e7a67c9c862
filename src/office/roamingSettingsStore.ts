// Settings in Office roamingSettings (they follow the user to every device), with a local copy in localStorage
// keyed by Office.context.partitionKey. Whichever copy was saved last wins; a copy that fails validation or cannot
// be read is reported and skipped, never overwritten until the user saves. A save is all or nothing: the local
// copy is written only once the mailbox has stored the roaming one, so it is never left newer than the mailbox's.
import { DEFAULT_SETTINGS, type Settings } from "../core/settings";
import { parseSettings } from "../core/settingsValidation";
import { officeAsync, type RoamingSettingsLike } from "./officeApi";

export const SETTINGS_KEY = "rekindle.settings";

/** What is stored in either place. */
interface StoredSettings {
  readonly savedAt: number;
  readonly settings: unknown;
}

/** Outlook could not store the settings in the mailbox; nothing was saved, anywhere. */
export class RoamingSaveError extends Error {
  constructor(reason: string) {
    super(
      `Your settings were not saved: Outlook could not store them in your mailbox (${reason}). Your previous settings are unchanged.`,
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
    const rawRoaming = this.readRoaming();
    const roaming = asStored(rawRoaming);
    if (rawRoaming instanceof Error) {
      this.lastLoadProblems.push(
        `The settings stored in your mailbox could not be read: ${rawRoaming.message}`,
      );
    } else if (rawRoaming !== undefined && rawRoaming !== null && !roaming) {
      this.lastLoadProblems.push(
        "The settings stored in your mailbox are damaged; they were left as they are.",
      );
    }
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
    if (this.roaming) {
      const previous = this.readRoaming();
      try {
        this.roaming.set(SETTINGS_KEY, stored);
        await officeAsync<void>((cb) => this.roaming!.saveAsync(cb));
      } catch (error) {
        // Put the in-memory roaming copy back, so a later save of something else cannot carry this one along.
        if (!(previous instanceof Error)) {
          try {
            this.roaming.set(SETTINGS_KEY, previous);
          } catch {
            // The mailbox copy was not changed; nothing more to undo.
          }
        }
        throw new RoamingSaveError((error as Error).message);
      }
    }
    this.local?.setItem(this.localKey, JSON.stringify(stored));
  }

  /** The roaming value, or the Error reading it threw (reported, not mistaken for "nothing stored"). */
  private readRoaming(): unknown {
    try {
      return this.roaming?.get(SETTINGS_KEY);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
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
