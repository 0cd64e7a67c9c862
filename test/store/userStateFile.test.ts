import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { instant } from "../../src/core/message";
import {
  readRoamedLedger,
  readStateFile,
  roamedLedgerPath,
  stateFileRoamingLocal,
  updateStateFile,
  UserStateFileError,
  writeRoamedLedger,
} from "../../src/store/userStateFile";

const dir = mkdtempSync(join(tmpdir(), "rekindle-state-"));
let n = 0;
const fresh = () => join(dir, `state-${++n}.json`);
const snooze = (id: string, t: number) => ({
  kind: "snooze" as const,
  id,
  at: instant(t),
  until: instant(t + 1000),
});

describe("userStateFile.ts", () => {
  it("should read a missing file as an empty state", async () => {
    expect(await readStateFile(fresh())).toEqual([]);
  });

  it("should keep every entry when two writers update the file at once", async () => {
    const path = fresh();
    await Promise.all(Array.from({ length: 12 }, (_, i) => updateStateFile(path, [snooze(`c${i}`, i + 1)])));
    const ids = (await readStateFile(path)).map((e) => e.id).sort();
    expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => `c${i}`).sort());
  });

  it("should say that it waits while another rekindle holds the file, then write", async () => {
    const path = fresh();
    const release = await lockfile.lock(path, { realpath: false });
    const waits: string[] = [];
    const writing = updateStateFile(path, [snooze("b", 2)], (m) => waits.push(m));
    await new Promise((r) => setTimeout(r, 300));
    expect(waits).toEqual([`waiting for another rekindle using ${path}…`]);
    await release();
    await writing;
    expect((await readStateFile(path)).map((e) => e.id)).toEqual(["b"]);
  });

  it.each([
    ["a file that is not Rekindle's", '{"hello": "world"}', "is not a Rekindle state file"],
    ["a damaged file", '{"format": "rekindle-user-state", "version": 1, "entries": [', "is not valid JSON"],
    [
      "a file with a bad entry",
      '{"format": "rekindle-user-state", "version": 1, "entries": [{"kind": "closed", "id": "c", "at": 1}]}',
      'entry 1: closed entry "c" needs "closed" true or false',
    ],
  ])("should refuse %s with its name, and never overwrite it", async (_name, content, message) => {
    const path = fresh();
    writeFileSync(path, content);
    await expect(readStateFile(path)).rejects.toThrow(`${path}: `);
    await expect(updateStateFile(path, [snooze("a", 1)])).rejects.toThrow(message);
    await expect(updateStateFile(path, [snooze("a", 1)])).rejects.toBeInstanceOf(UserStateFileError);
    expect(readFileSync(path, "utf8")).toBe(content);
  });
});

describe("userStateFile.ts, one writer", () => {
  it("should let a later decision replace an earlier one made in the same millisecond", async () => {
    const path = fresh();
    await updateStateFile(path, [{ kind: "closed", id: "c", at: instant(5), closed: true }]);
    await updateStateFile(path, [{ kind: "closed", id: "c", at: instant(5), closed: false }]);
    expect(await readStateFile(path)).toEqual([{ kind: "closed", id: "c", at: instant(6), closed: false }]);
  });

  describe("the roaming ledger beside it", () => {
    it("should read back what it wrote, and read a missing, damaged or foreign ledger as empty (all pending)", async () => {
      const path = fresh();
      expect(await readRoamedLedger(path)).toEqual({});
      await writeRoamedLedger(path, { "closed:c": 5 });
      expect(await readRoamedLedger(path)).toEqual({ "closed:c": 5 });
      for (const text of ["{torn", JSON.stringify({ format: "other", held: { a: 1 } }), "null"]) {
        writeFileSync(roamedLedgerPath(path), text);
        expect(await readRoamedLedger(path)).toEqual({});
      }
      writeFileSync(
        roamedLedgerPath(path),
        JSON.stringify({ format: "rekindle-roamed", held: { a: 1, b: "x" } }),
      );
      expect(await readRoamedLedger(path)).toEqual({ a: 1 });
    });

    it("should merge entries from the mailbox without bumping them, and say which changed the file", async () => {
      const path = fresh();
      const local = stateFileRoamingLocal(path);
      await updateStateFile(path, [{ kind: "closed", id: "c", at: instant(5), closed: true }]);
      expect(await local.merge([])).toEqual([]);
      const older = { kind: "closed" as const, id: "c", at: instant(4), closed: false };
      const other = snooze("d", 3);
      expect(await local.merge([older, other])).toEqual([other]);
      expect(await local.load()).toEqual([{ kind: "closed", id: "c", at: instant(5), closed: true }, other]);
    });
  });
});
