/**
 * Brings one placed archive entry onto disk, or (dry) says whether it differs: files
 * through ensureContent (byte comparison, mode, atomic write), directories and
 * symlinks here. Also the on-disk half of the traversal guard: no entry may land
 * under an existing symlink that leads out of dest.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readlink, realpath, rename, stat, symlink, unlink } from "node:fs/promises";
import { basename, dirname, join, sep } from "node:path";
import type { ArchiveEntry } from "./archive/entry.js";
import { ensureContent, lstatOrNull } from "./write-file.js";

export interface EntryOutcome {
  changed: boolean;
  diff: string;
  /** A user-facing reason it cannot be extracted, or null. */
  error: string | null;
}

const DEFAULT_FILE_MODE = 0o644;
const DEFAULT_DIR_MODE = 0o755;

/** `fileMode` (the action's `mode`) overrides the archive's mode of regular files. */
export async function syncEntry(
  path: string,
  entry: ArchiveEntry,
  fileMode: number | null,
  dry: boolean,
): Promise<EntryOutcome> {
  switch (entry.kind) {
    case "file": {
      if (!dry) await mkdir(dirname(path), { recursive: true, mode: DEFAULT_DIR_MODE });
      const r = await ensureContent({
        path,
        content: entry.data,
        mode: fileMode ?? entry.mode ?? DEFAULT_FILE_MODE,
        uid: null,
        gid: null,
        backup: false,
        dry,
      });
      return { changed: r.changed, diff: r.diff, error: r.error };
    }
    case "dir":
      return syncDir(path, entry.mode ?? DEFAULT_DIR_MODE, dry);
    case "symlink":
      return syncSymlink(path, entry.target, dry);
  }
}

/** Whether writing at `path` would go through an existing symlink that leaves `root`. */
export async function leavesRoot(root: string, path: string): Promise<boolean> {
  let cur = path;
  while ((await lstatOrNull(cur)) === null && cur !== root) cur = dirname(cur);
  const real = await realpath(cur);
  return real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep);
}

async function syncDir(path: string, mode: number, dry: boolean): Promise<EntryOutcome> {
  const st = await lstatOrNull(path);
  // An existing symlink to a directory serves (leavesRoot has checked where it leads).
  const isDir = st?.isSymbolicLink() ? (await stat(path)).isDirectory() : st?.isDirectory();
  if (isDir) return same();
  if (st !== null) return refused(`${path} exists and is not a directory`);
  // Owner rwx regardless of the archive's mode, so that the entries below can be written.
  if (!dry) await mkdir(path, { recursive: true, mode: mode | 0o700 });
  return { changed: true, diff: "", error: null };
}

async function syncSymlink(path: string, target: string, dry: boolean): Promise<EntryOutcome> {
  const st = await lstatOrNull(path);
  if (st?.isSymbolicLink() && (await readlink(path)) === target) return same();
  if (st?.isDirectory()) return refused(`${path} is a directory`);
  if (!dry) {
    await mkdir(dirname(path), { recursive: true, mode: DEFAULT_DIR_MODE });
    // Link beside it, then rename over: the path is never missing, as with file writes.
    const tmp = join(dirname(path), `.${basename(path)}.cairn-${randomBytes(6).toString("hex")}`);
    await symlink(target, tmp);
    await rename(tmp, path).catch(async (e: unknown) => {
      await unlink(tmp).catch(() => {});
      throw e;
    });
  }
  return { changed: true, diff: "", error: null };
}

function same(): EntryOutcome {
  return { changed: false, diff: "", error: null };
}

function refused(error: string): EntryOutcome {
  return { changed: false, diff: "", error };
}
