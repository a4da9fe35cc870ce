/**
 * The one write path for file content (file, template, copy, replace, lineinfile):
 * compare, diff, back up, then write atomically — a temp file in the same directory,
 * fsync, rename — so a reader never sees a half-written file and a crash leaves
 * either the old or the new content. Dry runs stop after the comparison.
 */
import { randomBytes } from "node:crypto";
import type { Stats } from "node:fs";
import { copyFile, lstat, open, readFile, readlink, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { type WantedAttrs, ensureAttrs } from "./attrs.js";
import { unifiedDiff } from "./diff.js";

export interface ContentRequest extends WantedAttrs {
  path: string;
  content: Buffer;
  backup: boolean;
  dry: boolean;
}

export interface ContentOutcome {
  changed: boolean;
  diff: string;
  /** Where the previous content was saved, when `backup` was asked and it changed. */
  backupFile: string | null;
  /** A user-facing reason it could not be done, or null. */
  error: string | null;
}

export async function ensureContent(req: ContentRequest): Promise<ContentOutcome> {
  const st = await lstatOrNull(req.path);
  if (st?.isSymbolicLink()) {
    // Write through a link to its target (keeping the target's mode), rather than
    // replacing the link with a file that would take the link's own 0777 mode.
    const target = resolve(dirname(req.path), await readlink(req.path));
    return ensureContent({ ...req, path: target });
  }
  if (st?.isDirectory()) return refused(`${req.path} is a directory`);
  const old = st === null ? null : await readFile(req.path);
  const contentChanged = old === null || !old.equals(req.content);
  const diff = contentChanged ? contentDiff(old, req.content, req.path) : "";
  if (!contentChanged) {
    const attrsChanged = await ensureAttrs(req.path, st as Stats, req, req.dry);
    return { changed: attrsChanged, diff, backupFile: null, error: null };
  }
  if (req.dry) return { changed: true, diff, backupFile: null, error: null };
  const dirSt = await lstatOrNull(dirname(req.path));
  if (dirSt === null) return refused(`parent directory does not exist: ${dirname(req.path)}`);
  const backupFile = req.backup && st !== null ? await backupOf(req.path) : null;
  await atomicWrite(req.path, req.content, {
    // An existing file keeps its mode and owner unless others are asked for.
    mode: req.mode ?? (st === null ? null : st.mode & 0o7777),
    uid: req.uid ?? (st === null ? null : st.uid),
    gid: req.gid ?? (st === null ? null : st.gid),
  });
  return { changed: true, diff, backupFile, error: null };
}

export async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

export async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/** `path.<timestamp>~`, next to the file, as Ansible's backup does. */
export async function backupOf(path: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[-:]/g, "");
  const dest = `${path}.${stamp}~`;
  await copyFile(path, dest);
  return dest;
}

async function atomicWrite(path: string, content: Buffer, attrs: WantedAttrs): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.cairn-${randomBytes(6).toString("hex")}.tmp`);
  const fh = await open(tmp, "wx", 0o666);
  try {
    await fh.writeFile(content);
    // Explicit chmod: the create mode above is masked by the umask.
    if (attrs.mode !== null) await fh.chmod(attrs.mode);
    if (attrs.uid !== null || attrs.gid !== null) await fh.chown(attrs.uid ?? -1, attrs.gid ?? -1);
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
  } catch (e) {
    await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await syncDir(dirname(path));
}

/** Makes the rename itself durable; not every file system allows fsync on a directory. */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, "r");
    await fh.sync().finally(() => fh.close());
  } catch {
    // Durability of the directory entry is best effort.
  }
}

function contentDiff(old: Buffer | null, neu: Buffer, path: string): string {
  const oldIsText = old === null || !old.includes(0);
  if (!oldIsText || neu.includes(0)) return `Binary files ${path} and ${path} differ\n`;
  return unifiedDiff(old === null ? "" : old.toString("utf8"), neu.toString("utf8"), path, path);
}

function refused(error: string): ContentOutcome {
  return { changed: false, diff: "", backupFile: null, error };
}
