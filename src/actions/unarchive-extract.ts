/**
 * Brings one placed archive entry onto disk, or (dry) says whether it differs: files
 * through ensureContent (byte comparison, mode, atomic write), directories and
 * symlinks here. Also the on-disk half of the traversal guard: no entry may land
 * under an existing symlink that leads out of dest.
 */
import { dirname, sep } from "node:path";
import type { TargetFs } from "../transports/fs.js";
import type { ArchiveEntry } from "./archive/entry.js";
import { ensureContent, replaceWith } from "./write-file.js";

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
  fs: TargetFs,
  path: string,
  entry: ArchiveEntry,
  fileMode: number | null,
  dry: boolean,
): Promise<EntryOutcome> {
  switch (entry.kind) {
    case "file": {
      if (!dry) await fs.mkdir(dirname(path), DEFAULT_DIR_MODE);
      const r = await ensureContent(fs, {
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
      return syncDir(fs, path, entry.mode ?? DEFAULT_DIR_MODE, dry);
    case "symlink":
      return syncSymlink(fs, path, entry.target, dry);
  }
}

/** Whether writing at `path` would go through an existing symlink that leaves `root`. */
export async function leavesRoot(fs: TargetFs, root: string, path: string): Promise<boolean> {
  let cur = path;
  while ((await fs.lstat(cur)) === null && cur !== root) cur = dirname(cur);
  const real = await fs.realpath(cur);
  return real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep);
}

async function syncDir(
  fs: TargetFs,
  path: string,
  mode: number,
  dry: boolean,
): Promise<EntryOutcome> {
  const st = await fs.lstat(path);
  // An existing symlink to a directory serves (leavesRoot has checked where it leads).
  const isDir = (st?.kind === "symlink" ? await fs.stat(path) : st)?.kind === "directory";
  if (isDir) return same();
  if (st !== null) return refused(`${path} exists and is not a directory`);
  // Owner rwx regardless of the archive's mode, so that the entries below can be written.
  if (!dry) await fs.mkdir(path, mode | 0o700);
  return { changed: true, diff: "", error: null };
}

async function syncSymlink(
  fs: TargetFs,
  path: string,
  target: string,
  dry: boolean,
): Promise<EntryOutcome> {
  const st = await fs.lstat(path);
  if (st?.kind === "symlink" && (await fs.readlink(path)) === target) return same();
  if (st?.kind === "directory") return refused(`${path} is a directory`);
  if (!dry) {
    await fs.mkdir(dirname(path), DEFAULT_DIR_MODE);
    // Link beside it, then rename over: the path is never missing, as with file writes.
    await replaceWith(fs, path, (tmp) => fs.symlink(target, tmp));
  }
  return { changed: true, diff: "", error: null };
}

function same(): EntryOutcome {
  return { changed: false, diff: "", error: null };
}

function refused(error: string): EntryOutcome {
  return { changed: false, diff: "", error };
}
