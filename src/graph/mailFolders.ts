// The user's mail folders, for picking which ones Rekindle also reads (answers an Inbox rule filed there): every
// folder with its child folders, each named by its path ("Inbox / Projects"). Deleted Items (and what is under it)
// is left out, and so are the folders Rekindle reads anyway or never (Inbox, Sent Items, Archive; Drafts, Outbox,
// Junk Email). Paging follows Graph's nextLink, which readGraphJson accepts only on the Graph base.
import type { GraphConnection } from "./graphClient";
import { readGraphJson } from "./graphRead";

/** A folder the user can pick. */
export interface MailFolderChoice {
  /** Graph's id of the folder (what the sync's `folders` option and the extraFolders setting hold). */
  readonly id: string;
  readonly name: string;
  /** From the top of the mailbox, e.g. "Inbox / Projects". */
  readonly path: string;
}

/** Synced always (inbox, sentitems, archive) or never (the rest): not offered, and their ids are looked up. */
const ALWAYS = ["inbox", "sentitems", "archive"] as const;
const NEVER = ["deleteditems", "drafts", "outbox", "junkemail"] as const;
const SELECT = "$select=id,displayName,childFolderCount&$top=100";
/** Deeper than this is not walked (a mailbox with folders 20 deep is a loop or a mistake). */
const MAX_DEPTH = 20;

interface RawFolder {
  readonly id: string;
  readonly displayName: string;
  readonly childFolderCount: number;
}

async function readAll(connection: GraphConnection, path: string, what: string): Promise<RawFolder[]> {
  const out: RawFolder[] = [];
  let next: string | undefined = path;
  while (next) {
    const body = await readGraphJson(connection, next, what);
    for (const raw of Array.isArray(body.value) ? (body.value as unknown[]) : []) {
      const f = raw as Partial<Record<keyof RawFolder, unknown>> | null;
      if (!f || typeof f.id !== "string" || f.id === "") continue;
      out.push({
        id: f.id,
        displayName: typeof f.displayName === "string" && f.displayName ? f.displayName : "(no name)",
        childFolderCount: typeof f.childFolderCount === "number" ? f.childFolderCount : 0,
      });
    }
    next = typeof body["@odata.nextLink"] === "string" ? body["@odata.nextLink"] : undefined;
  }
  return out;
}

/** The id of a well-known folder, or null when the mailbox has none (e.g. no Archive). */
async function wellKnownId(connection: GraphConnection, name: string): Promise<string | null> {
  try {
    const body = await readGraphJson(
      connection,
      `/me/mailFolders/${name}?$select=id`,
      `reading the ${name} folder`,
    );
    return typeof body.id === "string" ? body.id : null;
  } catch (error) {
    if ((error as { status?: unknown }).status === 404) return null;
    throw error;
  }
}

/** Every folder the user could pick, in the mailbox's order, children after their parent. */
export async function listMailFolders(connection: GraphConnection): Promise<MailFolderChoice[]> {
  const [always, never] = await Promise.all([
    Promise.all(ALWAYS.map((name) => wellKnownId(connection, name))),
    Promise.all(NEVER.map((name) => wellKnownId(connection, name))),
  ]);
  const notOffered = new Set(always.filter((id): id is string => id !== null));
  const skipped = new Set(never.filter((id): id is string => id !== null));
  const out: MailFolderChoice[] = [];
  const seen = new Set<string>();
  const walk = async (folders: readonly RawFolder[], parentPath: string, depth: number): Promise<void> => {
    for (const folder of folders) {
      // Deleted Items (and all under it) is never offered: mail there is mail the user threw away.
      if (skipped.has(folder.id) || seen.has(folder.id)) continue;
      seen.add(folder.id);
      const path = parentPath ? `${parentPath} / ${folder.displayName}` : folder.displayName;
      if (!notOffered.has(folder.id)) out.push({ id: folder.id, name: folder.displayName, path });
      if (folder.childFolderCount > 0 && depth < MAX_DEPTH) {
        const children = await readAll(
          connection,
          `/me/mailFolders/${encodeURIComponent(folder.id)}/childFolders?${SELECT}`,
          `listing the folders in ${path}`,
        );
        await walk(children, path, depth + 1);
      }
    }
  };
  await walk(await readAll(connection, `/me/mailFolders?${SELECT}`, "listing your mail folders"), "", 0);
  return out;
}

/**
 * Folder names as the CLI takes them (`--folders Projects,Inbox/Clients`, by name or by path, any case) to Graph
 * ids; a name that matches no folder or several is a problem naming the choices.
 */
export function resolveFolderNames(
  names: readonly string[],
  folders: readonly MailFolderChoice[],
): { readonly ids: string[]; readonly problems: string[] } {
  const ids: string[] = [];
  const problems: string[] = [];
  const key = (s: string) =>
    s
      .split("/")
      .map((part) => part.trim().toLowerCase())
      .filter(Boolean)
      .join(" / ");
  for (const name of names) {
    const wanted = key(name);
    const matches = folders.filter((f) => key(f.path) === wanted || key(f.name) === wanted);
    if (matches.length === 1) ids.push(matches[0]!.id);
    else if (matches.length === 0)
      problems.push(
        `no folder "${name}" to read (${folders.length ? `yours: ${folders.map((f) => f.path).join(", ")}` : "you have no folders besides Inbox, Sent Items and Archive"})`,
      );
    else
      problems.push(`"${name}" is several folders (${matches.map((f) => f.path).join(", ")}): give its path`);
  }
  return { ids: [...new Set(ids)], problems };
}
