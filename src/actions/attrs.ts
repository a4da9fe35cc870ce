/**
 * Mode and ownership of an existing path on the target: what differs, and (unless
 * dry) fixing it. Shared by every file-writing action so that "mode enforced on
 * existing files" holds the same way everywhere.
 */
import { join } from "node:path";
import type { FileStat, TargetFs, WriteAttrs } from "../transports/fs.js";

export type WantedAttrs = WriteAttrs;

/** Returns whether anything differed (and, unless dry, was fixed). */
export async function ensureAttrs(
  fs: TargetFs,
  path: string,
  st: FileStat,
  want: WantedAttrs,
  dry: boolean,
): Promise<boolean> {
  let changed = false;
  // A symlink's own mode is meaningless on Linux; chmod would follow it to the target.
  if (want.mode !== null && st.kind !== "symlink" && st.mode !== want.mode) {
    changed = true;
    if (!dry) await fs.chmod(path, want.mode);
  }
  const uid = want.uid ?? st.uid;
  const gid = want.gid ?? st.gid;
  if (uid !== st.uid || gid !== st.gid) {
    changed = true;
    if (!dry) await fs.chown(path, uid, gid);
  }
  return changed;
}

/** `recurse: true` on a directory: the same attributes on everything below it. */
export async function ensureAttrsBelow(
  fs: TargetFs,
  dir: string,
  want: WantedAttrs,
  dry: boolean,
): Promise<boolean> {
  let changed = false;
  for (const entry of await fs.readdir(dir)) {
    const p = join(dir, entry.name);
    const st = await fs.lstat(p);
    if (st !== null && (await ensureAttrs(fs, p, st, want, dry))) changed = true;
    if (entry.kind === "directory" && (await ensureAttrsBelow(fs, p, want, dry))) changed = true;
  }
  return changed;
}
