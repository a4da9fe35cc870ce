/**
 * Mode and ownership of an existing path: what differs, and (unless dry) fixing it.
 * Shared by every file-writing action so that "mode enforced on existing files" holds
 * the same way everywhere.
 */
import { chmod, chown, lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Stats } from "node:fs";

export interface WantedAttrs {
  mode: number | null;
  uid: number | null;
  gid: number | null;
}

/** Returns whether anything differed (and, unless dry, was fixed). */
export async function ensureAttrs(
  path: string,
  st: Stats,
  want: WantedAttrs,
  dry: boolean,
): Promise<boolean> {
  let changed = false;
  // A symlink's own mode is meaningless on Linux; chmod would follow it to the target.
  if (want.mode !== null && !st.isSymbolicLink() && (st.mode & 0o7777) !== want.mode) {
    changed = true;
    if (!dry) await chmod(path, want.mode);
  }
  const uid = want.uid ?? st.uid;
  const gid = want.gid ?? st.gid;
  if (uid !== st.uid || gid !== st.gid) {
    changed = true;
    if (!dry) await chown(path, uid, gid);
  }
  return changed;
}

/** `recurse: true` on a directory: the same attributes on everything below it. */
export async function ensureAttrsBelow(
  dir: string,
  want: WantedAttrs,
  dry: boolean,
): Promise<boolean> {
  let changed = false;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (await ensureAttrs(p, await lstat(p), want, dry)) changed = true;
    if (entry.isDirectory() && (await ensureAttrsBelow(p, want, dry))) changed = true;
  }
  return changed;
}
