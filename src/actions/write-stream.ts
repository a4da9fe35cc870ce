/**
 * The write path for content that lives in a file rather than in memory: a copy's
 * `src` (a controller file, read with node:fs and streamed to the target) or a
 * download already staged beside its destination on the target. Compared by sha256,
 * streamed, never decoded as text unless small enough to diff, so memory stays flat
 * whatever the size. Otherwise as write-file.ts: links followed, backup, atomic
 * rename, mode and owner kept or enforced, dry runs stop after the comparison.
 */
import { createReadStream } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import type { TargetFs } from "../transports/fs.js";
import { type WantedAttrs, ensureAttrs } from "./attrs.js";
import { contentDiff, tooBigOrBinary } from "./diff.js";
import { Digests } from "./file-hash.js";
import { followLinks } from "./paths.js";
import { type ContentOutcome, refused, replaceContent } from "./write-file.js";

export interface FileRequest extends WantedAttrs {
  path: string;
  /**
   * The wanted bytes: a controller file (copied, and it must still hash to `sha256`),
   * or a temp file of ours beside `path` on the target (a download), renamed into
   * place or removed when not needed.
   */
  from: { controller: string } | { staged: string };
  /** sha256 (hex) of `from`, computed by the caller. */
  sha256: string;
  backup: boolean;
  dry: boolean;
}

/** Size, first bytes and (when small) all bytes of a file, wherever it is. */
interface Bytes {
  size: number;
  head(): Promise<Uint8Array>;
  all(): Promise<Uint8Array>;
}

/** Enough to tell binary from text. */
const HEAD_BYTES = 8000;

export async function ensureFileFrom(fs: TargetFs, req: FileRequest): Promise<ContentOutcome> {
  try {
    const path = await followLinks(fs, req.path);
    const st = await fs.lstat(path);
    if (st?.kind === "directory") return refused(`${path} is a directory`);
    const from = await bytesOf(fs, req.from);
    if (st?.kind === "file" && st.size === from.size && (await fs.sha256(path)) === req.sha256) {
      const changed = await ensureAttrs(fs, path, st, req, req.dry);
      return { changed, diff: "", backupFile: null, error: null };
    }
    const old = st?.kind === "file" ? targetBytes(fs, path, st.size) : null;
    const diff = await fileDiff(old, from, path);
    const stage =
      "staged" in req.from
        ? async () => (req.from as { staged: string }).staged
        : (p: string) => copyChecked(fs, req, p);
    return await replaceContent(fs, path, st, req, diff, stage);
  } finally {
    if ("staged" in req.from) await fs.discard(req.from.staged);
  }
}

async function bytesOf(fs: TargetFs, from: FileRequest["from"]): Promise<Bytes> {
  if ("staged" in from) {
    const st = await fs.stat(from.staged);
    return targetBytes(fs, from.staged, st?.size ?? 0);
  }
  const path = from.controller;
  return { size: (await stat(path)).size, head: () => localHead(path), all: () => readFile(path) };
}

function targetBytes(fs: TargetFs, path: string, size: number): Bytes {
  return { size, head: () => fs.readFile(path, HEAD_BYTES), all: () => fs.readFile(path) };
}

/** Streams the controller file to a temp file beside `path`, refusing bytes that changed since hashed. */
async function copyChecked(fs: TargetFs, req: FileRequest, path: string): Promise<string> {
  const src = (req.from as { controller: string }).controller;
  const d = new Digests([]);
  const chunks = createReadStream(src, { highWaterMark: 1 << 20 });
  const tmp = await fs.stage(path, chunks, (c) => d.update(c));
  if (d.hex().sha256 !== req.sha256) {
    await fs.discard(tmp);
    throw Object.assign(new Error(`${src} changed while it was being copied`), {
      code: "ECHANGED",
    });
  }
  return tmp;
}

/** contentDiff for files, reading them only when they are small enough to show. */
async function fileDiff(old: Bytes | null, neu: Bytes, path: string): Promise<string> {
  const summary = tooBigOrBinary(
    old === null ? null : await old.head(),
    await neu.head(),
    path,
    old?.size ?? 0,
    neu.size,
  );
  if (summary !== null) return summary;
  return contentDiff(old === null ? null : await old.all(), await neu.all(), path);
}

async function localHead(path: string): Promise<Uint8Array> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
