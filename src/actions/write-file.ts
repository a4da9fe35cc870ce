/**
 * The one write path for file content held in memory (file, template, replace,
 * lineinfile, unarchive entries): compare, diff, back up, then write atomically on
 * the target (a temp file in the same directory, rename) so that a reader never sees
 * a half-written file and a crash leaves either the old or the new content. Writes go
 * through a symlink to its target. Dry runs stop after the comparison. Content that
 * streams from a file (copy, download) takes the sibling path in write-stream.ts.
 */
import { dirname } from "node:path";
import { type FileStat, type TargetFs, tempBeside } from "../transports/fs.js";
import { type WantedAttrs, ensureAttrs } from "./attrs.js";
import { DIFF_MAX_BYTES, contentDiff, tooBigOrBinary } from "./diff.js";
import { followLinks } from "./paths.js";

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

export async function ensureContent(fs: TargetFs, req: ContentRequest): Promise<ContentOutcome> {
  // Write through a link to its target (keeping the target's mode), rather than
  // replacing the link with a file that would take the link's own 0777 mode.
  const path = await followLinks(fs, req.path);
  const st = await fs.lstat(path);
  if (st?.kind === "directory") return refused(`${path} is a directory`);
  // A size that differs settles it without reading a possibly huge old file.
  const readable = st?.kind === "file";
  const old =
    readable && (st.size === req.content.length || st.size <= DIFF_MAX_BYTES)
      ? await fs.readFile(path)
      : null;
  const contentChanged = st === null || old === null || !old.equals(req.content);
  if (!contentChanged) {
    const attrsChanged = await ensureAttrs(fs, path, st, req, req.dry);
    return { changed: attrsChanged, diff: "", backupFile: null, error: null };
  }
  const diff =
    st !== null && old === null
      ? (tooBigOrBinary(null, req.content, path, st.size, req.content.length) ?? "")
      : contentDiff(old, req.content, path);
  return replaceContent(fs, path, st, req, diff, (p) => fs.stage(p, req.content));
}

/**
 * The shared tail of both write paths: (unless dry) back up, stage the new bytes beside
 * `path` through `stage`, and rename them over it. An existing file keeps its mode and
 * owner unless others are asked for.
 */
export async function replaceContent(
  fs: TargetFs,
  path: string,
  st: FileStat | null,
  req: WantedAttrs & { backup: boolean; dry: boolean },
  diff: string,
  stage: (path: string) => Promise<string>,
): Promise<ContentOutcome> {
  if (req.dry) return { changed: true, diff, backupFile: null, error: null };
  if ((await fs.lstat(dirname(path))) === null)
    return refused(`parent directory does not exist: ${dirname(path)}`);
  const backupFile = req.backup && st !== null ? await backupOf(fs, path) : null;
  const tmp = await stage(path);
  await fs.commit(tmp, path, {
    mode: req.mode ?? st?.mode ?? null,
    uid: req.uid ?? st?.uid ?? null,
    gid: req.gid ?? st?.gid ?? null,
  });
  return { changed: true, diff, backupFile, error: null };
}

/** `path.<timestamp>~`, next to the file, as Ansible's backup does. */
export async function backupOf(fs: TargetFs, path: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[-:]/g, "");
  const dest = `${path}.${stamp}~`;
  await fs.copyFile(path, dest);
  return dest;
}

export function refused(error: string): ContentOutcome {
  return { changed: false, diff: "", backupFile: null, error };
}

/** Creates the new link under a temp name, then renames it over the path (atomic). */
export async function replaceWith(
  fs: TargetFs,
  path: string,
  make: (tmp: string) => Promise<void>,
): Promise<void> {
  const tmp = tempBeside(path);
  await make(tmp);
  try {
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.discard(tmp);
    throw e;
  }
}
