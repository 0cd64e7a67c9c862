// The CLI's CacheStore: memory plus a JSON-lines journal file. Every change is appended as one line, so a sync
// killed mid-way loses at most the line being written (ignored on load); a finished sync compacts the file into
// one snapshot line (written to a temporary file, then renamed over the old one).
import { promises as fs } from "node:fs";
import type { Folder, Instant, MailMessage, Me } from "../core/message";
import type { UserState } from "../core/userState";
import type { FolderSyncState, PageChange } from "./cacheStore";
import { applyPageToSnapshot, type CacheSnapshot, emptySnapshot, MemoryCacheStore } from "./memoryCacheStore";

const FORMAT = "rekindle-cache/1";

/** The snapshot as JSON: each folder's messages as a list. */
interface SnapshotJson {
  me: CacheSnapshot["me"];
  lastSyncAt: CacheSnapshot["lastSyncAt"];
  userState: CacheSnapshot["userState"];
  folders: Partial<Record<Folder, { state: FolderSyncState | null; messages: MailMessage[] }>>;
}

type JournalLine =
  | { snapshot: SnapshotJson; format: string }
  | { page: PageChange }
  | { me: Me }
  | { reset: Folder }
  | { lastSyncAt: Instant }
  | { userState: UserState };

/** A cache file that cannot be read, naming the file and the problem. Nothing is overwritten. */
export class CacheFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "CacheFileError";
  }
}

export class FileCacheStore extends MemoryCacheStore {
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    snapshot: CacheSnapshot,
  ) {
    super(snapshot);
  }

  /** Opens (or starts) the cache at `path`. */
  static async open(path: string): Promise<FileCacheStore> {
    let text: string;
    try {
      text = await fs.readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT")
        return new FileCacheStore(path, emptySnapshot());
      throw new CacheFileError(path, `cannot be read: ${(error as Error).message}`);
    }
    return new FileCacheStore(path, replay(path, text));
  }

  private append(line: JournalLine): Promise<void> {
    const text = `${JSON.stringify(line)}\n`;
    this.queue = this.queue.then(() => fs.appendFile(this.path, text, "utf8"));
    return this.queue;
  }

  override async saveMe(me: Me): Promise<void> {
    await super.saveMe(me);
    await this.append({ me });
  }
  override async applyPage(change: PageChange): Promise<void> {
    await super.applyPage(change);
    await this.append({ page: change });
  }
  override async resetFolder(folder: Folder): Promise<void> {
    await super.resetFolder(folder);
    await this.append({ reset: folder });
  }
  override async saveUserState(state: UserState): Promise<void> {
    await super.saveUserState(state);
    await this.append({ userState: state });
  }
  override async setLastSyncAt(at: Instant): Promise<void> {
    await super.setLastSyncAt(at);
    await this.compact();
  }
  override async close(): Promise<void> {
    await this.queue;
  }

  /** Rewrites the journal as a single snapshot line. */
  async compact(): Promise<void> {
    const { me, lastSyncAt, userState, folders } = this.snapshot;
    const snapshot: SnapshotJson = {
      me,
      lastSyncAt,
      userState,
      folders: Object.fromEntries(
        Object.entries(folders).flatMap(([folder, c]) =>
          c ? [[folder, { state: c.state, messages: [...c.messages.values()] }]] : [],
        ),
      ),
    };
    this.queue = this.queue.then(async () => {
      const tmp = `${this.path}.${process.pid}.tmp`;
      await fs.writeFile(tmp, `${JSON.stringify({ format: FORMAT, snapshot })}\n`, "utf8");
      await fs.rename(tmp, this.path);
    });
    await this.queue;
  }
}

function replay(file: string, text: string): CacheSnapshot {
  const lines = text.split("\n");
  let snapshot = emptySnapshot();
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let entry: JournalLine;
    try {
      entry = JSON.parse(line) as JournalLine;
    } catch {
      // Only the last line can be half-written by a killed process; anywhere else the file is damaged.
      if (lines.slice(i + 1).every((rest) => rest.trim() === "")) return;
      throw new CacheFileError(
        file,
        `line ${i + 1} is not valid JSON; this is not a Rekindle cache or it is damaged`,
      );
    }
    if (entry === null || typeof entry !== "object") {
      throw new CacheFileError(file, `line ${i + 1} is not a cache entry`);
    }
    if ("snapshot" in entry) {
      if (entry.format !== FORMAT)
        throw new CacheFileError(file, `unknown cache format "${String(entry.format)}"`);
      const json = entry.snapshot;
      snapshot = { ...emptySnapshot(), me: json.me, lastSyncAt: json.lastSyncAt, userState: json.userState };
      for (const folder of new Set<Folder>([
        "sentitems",
        "inbox",
        ...(Object.keys(json.folders ?? {}) as Folder[]),
      ])) {
        const saved = json.folders?.[folder];
        if (!saved || !Array.isArray(saved.messages))
          throw new CacheFileError(file, `line ${i + 1} has no ${folder}`);
        snapshot.folders[folder] = {
          state: saved.state,
          messages: new Map(saved.messages.map((m) => [m.id, m])),
        };
      }
    } else if ("page" in entry) applyPageToSnapshot(snapshot, entry.page);
    else if ("me" in entry) snapshot.me = entry.me;
    else if ("reset" in entry) snapshot.folders[entry.reset] = { state: null, messages: new Map() };
    else if ("lastSyncAt" in entry) snapshot.lastSyncAt = entry.lastSyncAt;
    else if ("userState" in entry) snapshot.userState = entry.userState;
    else throw new CacheFileError(file, `line ${i + 1} is not a cache entry`);
  });
  return snapshot;
}
