// The CLI's CacheStore: memory plus a journal file. The file starts with a header line naming its format and
// version; every change is appended as one line `<checksum> <json>`, so flipped bytes are caught. A process killed
// mid-write leaves at most a torn last line, which the next open cuts off before it appends. A finished sync
// compacts the file into the header and one snapshot line (written to a temporary file, then renamed over it).
// One process at a time: the file is locked with proper-lockfile (a second one waits, and says so).
// The cache holds mail only (re-synced at will), so a damaged one is refused with the advice to --reset-cache it.
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as lockfile from "proper-lockfile";
import type { Folder, Instant, Me } from "../core/message";
import type { UserState } from "../core/userState";
import type { AppliedPage, PageChange } from "./cacheStore";
import { type JournalRecord, readJournalRecord, type SnapshotRecord } from "./fileCacheRecords";
import { applyPageToSnapshot, type CacheSnapshot, emptySnapshot, MemoryCacheStore } from "./memoryCacheStore";

/** The first line of every cache file: which format, and which version of it. */
export const CACHE_HEADER = '{"format":"rekindle-cache","version":2}';
const HEADER_PREFIX = '{"format":"rekindle-cache"';
const RESET_HINT =
  "run again with --reset-cache to delete it and sync afresh (it holds only mail, which is synced again)";

/** A cache file that cannot be used, naming the file and the problem. Nothing is overwritten. */
export class CacheFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "CacheFileError";
  }
}

export interface FileCacheOptions {
  /** Told once, when another process holds the cache and this one waits for it to finish. */
  readonly onWait?: (message: string) => void;
  /** Delete the cache first (--reset-cache): only a file that is a Rekindle cache, of any version. */
  readonly reset?: boolean;
  /** After how long a lock whose holder stopped refreshing it is taken over (proper-lockfile's stale, ms). */
  readonly staleLockMs?: number;
}

/** A short checksum of one record's JSON (SHA-256, 64 bits of it). */
function checksum(json: string): string {
  return createHash("sha256").update(json).digest("hex").slice(0, 16);
}

const recordLine = (record: JournalRecord): string => {
  const json = JSON.stringify(record);
  return `${checksum(json)} ${json}\n`;
};

/** What a file's first line says it is. */
function kindOfFile(firstLine: string): "cache" | "other-version" | "old-format" | "foreign" {
  if (firstLine === CACHE_HEADER) return "cache";
  if (firstLine.startsWith(HEADER_PREFIX)) return "other-version";
  // Caches of the first format had no header: their first line is a bare JSON record.
  try {
    const first = JSON.parse(firstLine) as unknown;
    if (first !== null && typeof first === "object" && !Array.isArray(first)) {
      const keys = Object.keys(first);
      const old = ["snapshot", "page", "me", "reset", "lastSyncAt", "userState"];
      if (keys.length > 0 && keys.every((k) => old.includes(k) || k === "format")) return "old-format";
    }
  } catch {
    // not JSON: not ours
  }
  return "foreign";
}

export class FileCacheStore extends MemoryCacheStore {
  private queue: Promise<void> = Promise.resolve();
  /** Set when a write failed or the lock was lost: later writes refuse, so nothing lands after a torn line. */
  private broken: Error | null = null;

  private constructor(
    private readonly path: string,
    snapshot: CacheSnapshot,
    private readonly release: () => Promise<void>,
  ) {
    super(snapshot);
  }

  /** Opens (or starts) the cache at `path`, waiting for any other process using it. */
  static async open(path: string, options: FileCacheOptions = {}): Promise<FileCacheStore> {
    let store: FileCacheStore | null = null;
    const release = await lockCache(path, options, (error) => {
      if (store)
        store.broken = new CacheFileError(path, `another process took the cache over (${error.message})`);
    });
    try {
      if (options.reset) await deleteCache(path);
      store = new FileCacheStore(path, await loadOrStart(path), release);
      return store;
    } catch (error) {
      await release().catch(() => undefined);
      throw error;
    }
  }

  private write(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(async () => {
      if (this.broken) throw this.broken;
      try {
        await work();
      } catch (error) {
        this.broken = new CacheFileError(this.path, `cannot be written: ${(error as Error).message}`);
        throw this.broken;
      }
    });
    return this.queue;
  }

  private append(record: JournalRecord): Promise<void> {
    const line = recordLine(record);
    return this.write(() => fs.appendFile(this.path, line, "utf8"));
  }

  override async saveMe(me: Me): Promise<void> {
    await super.saveMe(me);
    await this.append({ me });
  }
  override async applyPage(change: PageChange): Promise<AppliedPage> {
    const applied = await super.applyPage(change);
    await this.append({ page: change });
    return applied;
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
  /** Waits for pending writes and lets another process have the cache. */
  override async close(): Promise<void> {
    try {
      await this.queue.catch(() => undefined);
    } finally {
      await this.release().catch(() => undefined);
    }
  }

  /** Rewrites the journal as the header and a single snapshot line. */
  async compact(): Promise<void> {
    const { me, lastSyncAt, userState, folders } = this.snapshot;
    const snapshot: SnapshotRecord = {
      me,
      lastSyncAt,
      userState,
      folders: Object.fromEntries(
        Object.entries(folders).flatMap(([folder, c]) =>
          c ? [[folder, { state: c.state, messages: [...c.messages.values()] }]] : [],
        ),
      ),
    };
    const text = `${CACHE_HEADER}\n${recordLine({ snapshot })}`;
    await this.write(async () => {
      const tmp = `${this.path}.${process.pid}.tmp`;
      const handle = await fs.open(tmp, "w");
      try {
        await handle.writeFile(text, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(tmp, this.path);
    });
  }
}

/** Takes the cache's lock, waiting (and saying so once) while another process holds it. Resolves to its release. */
async function lockCache(
  path: string,
  options: FileCacheOptions,
  onCompromised: (error: Error) => void,
): Promise<() => Promise<void>> {
  const lockOptions = {
    realpath: false,
    stale: options.staleLockMs ?? 10_000,
    onCompromised,
  };
  try {
    return await lockfile.lock(path, { ...lockOptions, retries: 0 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED") {
      throw new CacheFileError(path, `cannot be locked: ${(error as Error).message}`);
    }
  }
  options.onWait?.(`waiting for another rekindle using ${path}…`);
  try {
    return await lockfile.lock(path, {
      ...lockOptions,
      retries: { forever: true, minTimeout: 50, maxTimeout: 500, factor: 1.5 },
    });
  } catch (error) {
    throw new CacheFileError(path, `cannot be locked: ${(error as Error).message}`);
  }
}

async function readIfThere(path: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new CacheFileError(path, `cannot be read: ${(error as Error).message}`);
  }
}

/** --reset-cache: deletes the file if it is a Rekindle cache (damaged or of another version); never anything else. */
async function deleteCache(path: string): Promise<void> {
  const bytes = await readIfThere(path);
  if (bytes === null || bytes.length === 0) return;
  const end = bytes.indexOf(0x0a);
  const firstLine = bytes.subarray(0, end < 0 ? bytes.length : end).toString("utf8");
  if (kindOfFile(firstLine) === "foreign") {
    throw new CacheFileError(path, "is not a Rekindle cache, so --reset-cache will not delete it");
  }
  await fs.rm(path, { force: true });
}

/** Reads the cache (cutting off a torn last line), or starts a new one with its header. */
async function loadOrStart(path: string): Promise<CacheSnapshot> {
  const bytes = await readIfThere(path);
  if (bytes === null || bytes.length === 0) {
    await fs.writeFile(path, `${CACHE_HEADER}\n`, "utf8");
    return emptySnapshot();
  }
  const complete = bytes.lastIndexOf(0x0a) + 1;
  const firstEnd = bytes.indexOf(0x0a);
  const firstLine = bytes.subarray(0, firstEnd < 0 ? bytes.length : firstEnd).toString("utf8");
  const kind = kindOfFile(firstLine);
  if (kind === "foreign") {
    throw new CacheFileError(
      path,
      "is not a Rekindle cache (it does not start with Rekindle's header line), so Rekindle will not touch it; " +
        "give --cache the name of a new file",
    );
  }
  if (kind === "old-format") {
    throw new CacheFileError(path, `is a cache of an older Rekindle version; ${RESET_HINT}`);
  }
  if (kind === "other-version") {
    const header = firstLine.slice(0, 80).replace(/[^\x20-\x7e]/g, "?");
    throw new CacheFileError(path, `is a cache of another Rekindle version (${header}); ${RESET_HINT}`);
  }
  const snapshot = replay(path, bytes.subarray(0, complete).toString("utf8"));
  // A torn last line (a process killed mid-write) is cut off, so the next record starts on a line of its own.
  if (complete < bytes.length) await fs.truncate(path, complete);
  return snapshot;
}

/** Replays the journal's complete lines after the header; any line that does not check out is damage. */
function replay(file: string, text: string): CacheSnapshot {
  const lines = text.split("\n");
  let snapshot = emptySnapshot();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === "") continue;
    const damaged = (why: string) =>
      new CacheFileError(file, `line ${i + 1} is damaged (${why}); ${RESET_HINT}`);
    const space = line.indexOf(" ");
    const json = line.slice(space + 1);
    if (space !== 16 || checksum(json) !== line.slice(0, 16)) throw damaged("its checksum does not match");
    let record: JournalRecord;
    try {
      record = readJournalRecord(JSON.parse(json));
    } catch (error) {
      throw damaged((error as Error).message);
    }
    snapshot = applyRecord(snapshot, record);
  }
  return snapshot;
}

function applyRecord(snapshot: CacheSnapshot, record: JournalRecord): CacheSnapshot {
  if ("snapshot" in record) {
    const json = record.snapshot;
    const next: CacheSnapshot = {
      ...emptySnapshot(),
      me: json.me,
      lastSyncAt: json.lastSyncAt,
      userState: json.userState,
    };
    for (const [folder, saved] of Object.entries(json.folders) as [
      Folder,
      NonNullable<SnapshotRecord["folders"][Folder]>,
    ][]) {
      next.folders[folder] = { state: saved.state, messages: new Map(saved.messages.map((m) => [m.id, m])) };
    }
    return next;
  }
  if ("page" in record) applyPageToSnapshot(snapshot, record.page);
  else if ("me" in record) snapshot.me = record.me;
  else if ("reset" in record) snapshot.folders[record.reset] = { state: null, messages: new Map() };
  else if ("lastSyncAt" in record) snapshot.lastSyncAt = record.lastSyncAt;
  else snapshot.userState = record.userState;
  return snapshot;
}
