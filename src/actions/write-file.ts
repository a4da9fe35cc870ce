/**
 * The one write path for file content held in memory (file, template, replace,
 * lineinfile, unarchive entries): compare, diff, back up, then write atomically (a
 * temp file in the same directory, fsync, rename) so that a reader never sees a
 * half-written file and a crash leaves either the old or the new content. Writes go
 * through a symlink to its target. Dry runs stop after the comparison. Content that
 * streams from a file (copy, download) takes the sibling path in write-stream.ts.
 */
import type { Stats } from "node:fs";
import { copyFile, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { commitFile, stageFile } from "./atomic-file.js";
import { type WantedAttrs, ensureAttrs } from "./attrs.js";
import { DIFF_MAX_BYTES, contentDiff, tooBigOrBinary } from "./diff.js";
import { followLinks, lstatOrNull } from "./paths.js";

export { lstatOrNull, statOrNull } from "./paths.js";

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
  // Write through a link to its target (keeping the target's mode), rather than
  // replacing the link with a file that would take the link's own 0777 mode.
  const path = await followLinks(req.path);
  const st = await lstatOrNull(path);
  if (st?.isDirectory()) return refused(`${path} is a directory`);
  // A size that differs settles it without reading a possibly huge old file.
  const readable = st?.isFile() === true;
  const old =
    readable && (st.size === req.content.length || st.size <= DIFF_MAX_BYTES)
      ? await readFile(path)
      : null;
  const contentChanged = st === null || old === null || !old.equals(req.content);
  if (!contentChanged) {
    const attrsChanged = await ensureAttrs(path, st, req, req.dry);
    return { changed: attrsChanged, diff: "", backupFile: null, error: null };
  }
  const diff =
    st !== null && old === null
      ? (tooBigOrBinary(null, req.content, path, st.size, req.content.length) ?? "")
      : contentDiff(old, req.content, path);
  return replaceContent(path, st, req, diff, (p) => stageFile(p, [req.content]));
}

/**
 * The shared tail of both write paths: (unless dry) back up, stage the new bytes beside
 * `path` through `stage`, and rename them over it. An existing file keeps its mode and
 * owner unless others are asked for.
 */
export async function replaceContent(
  path: string,
  st: Stats | null,
  req: WantedAttrs & { backup: boolean; dry: boolean },
  diff: string,
  stage: (path: string) => Promise<string>,
): Promise<ContentOutcome> {
  if (req.dry) return { changed: true, diff, backupFile: null, error: null };
  if ((await lstatOrNull(dirname(path))) === null)
    return refused(`parent directory does not exist: ${dirname(path)}`);
  const backupFile = req.backup && st !== null ? await backupOf(path) : null;
  const tmp = await stage(path);
  await commitFile(tmp, path, {
    mode: req.mode ?? (st === null ? null : st.mode & 0o7777),
    uid: req.uid ?? (st === null ? null : st.uid),
    gid: req.gid ?? (st === null ? null : st.gid),
  });
  return { changed: true, diff, backupFile, error: null };
}

/** `path.<timestamp>~`, next to the file, as Ansible's backup does. */
export async function backupOf(path: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[-:]/g, "");
  const dest = `${path}.${stamp}~`;
  await copyFile(path, dest);
  return dest;
}

export function refused(error: string): ContentOutcome {
  return { changed: false, diff: "", backupFile: null, error };
}
