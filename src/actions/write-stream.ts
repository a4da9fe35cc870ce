/**
 * The write path for content that lives in a file rather than in memory (copy's
 * `src`, a download staged beside its destination): compared by sha256, streamed,
 * never decoded as text unless small enough to diff, so memory stays flat whatever
 * the size. Otherwise as write-file.ts: links followed, backup, atomic rename, mode
 * and owner kept or enforced, dry runs stop after the comparison.
 */
import { createReadStream } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { discardFile, stageFile } from "./atomic-file.js";
import { type WantedAttrs, ensureAttrs } from "./attrs.js";
import { contentDiff, tooBigOrBinary } from "./diff.js";
import { Digests, sha256OfFile } from "./file-hash.js";
import { followLinks, lstatOrNull } from "./paths.js";
import { type ContentOutcome, refused, replaceContent } from "./write-file.js";

export interface FileRequest extends WantedAttrs {
  path: string;
  /** A file holding the wanted bytes. */
  from: string;
  /** sha256 (hex) of `from`, computed by the caller. */
  sha256: string;
  /**
   * `from` is a temp file of ours beside `path` (a download): it is renamed into place,
   * or removed when not needed. Otherwise it is copied, and must still hash to `sha256`.
   */
  staged: boolean;
  backup: boolean;
  dry: boolean;
}

export async function ensureFileFrom(req: FileRequest): Promise<ContentOutcome> {
  try {
    const path = await followLinks(req.path);
    const st = await lstatOrNull(path);
    if (st?.isDirectory()) return refused(`${path} is a directory`);
    const size = (await stat(req.from)).size;
    if (st?.isFile() && st.size === size && (await sha256OfFile(path)) === req.sha256) {
      const changed = await ensureAttrs(path, st, req, req.dry);
      return { changed, diff: "", backupFile: null, error: null };
    }
    const diff = await fileDiff(st?.isFile() ? path : null, req.from, path);
    const stage = req.staged ? async () => req.from : (p: string) => copyChecked(req, p);
    return await replaceContent(path, st, req, diff, stage);
  } finally {
    if (req.staged) await discardFile(req.from);
  }
}

/** Streams `req.from` to a temp file beside `path`, refusing bytes that changed since hashed. */
async function copyChecked(req: FileRequest, path: string): Promise<string> {
  const d = new Digests([]);
  const tmp = await stageFile(path, createReadStream(req.from, { highWaterMark: 1 << 20 }), (c) =>
    d.update(c),
  );
  if (d.hex().sha256 !== req.sha256) {
    await discardFile(tmp);
    throw Object.assign(new Error(`${req.from} changed while it was being copied`), {
      code: "ECHANGED",
    });
  }
  return tmp;
}

/** contentDiff for files, reading them only when they are small enough to show. */
export async function fileDiff(oldPath: string | null, newPath: string, path: string) {
  const oldSize = oldPath === null ? 0 : (await stat(oldPath)).size;
  const newSize = (await stat(newPath)).size;
  const summary = tooBigOrBinary(
    oldPath === null ? null : await head(oldPath),
    await head(newPath),
    path,
    oldSize,
    newSize,
  );
  if (summary !== null) return summary;
  return contentDiff(
    oldPath === null ? null : await readFile(oldPath),
    await readFile(newPath),
    path,
  );
}

/** The first bytes, enough to tell binary from text. */
async function head(path: string): Promise<Uint8Array> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(8000);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
