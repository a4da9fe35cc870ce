/**
 * Atomic replacement of a file, in two halves: `stageFile` streams bytes into a new
 * temp file beside the destination (same directory, so same file system), and
 * `commitFile` gives it its mode and owner, then renames it over the destination. A
 * reader never sees a half-written file; a crash leaves the old or the new content;
 * a failed or aborted transfer leaves no temp file behind.
 */
import { randomBytes } from "node:crypto";
import { chmod, chown, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { WantedAttrs } from "./attrs.js";

/** A dot file in `path`'s directory; the random part keeps concurrent writers apart. */
export function tempBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.cairn-${randomBytes(6).toString("hex")}.tmp`);
}

/**
 * Writes `chunks` to a fresh temp file beside `path` and fsyncs it; returns its path.
 * Each chunk goes through `inspect` before it is written: hashing, or a size limit
 * that throws. On any error (including an abort of the source) the temp file is
 * removed and the error rethrown.
 */
export async function stageFile(
  path: string,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  inspect: (chunk: Uint8Array) => void = () => {},
): Promise<string> {
  const tmp = tempBeside(path);
  const fh = await open(tmp, "wx", 0o666);
  try {
    for await (const chunk of chunks) {
      inspect(chunk);
      for (let at = 0; at < chunk.byteLength; ) {
        at += (await fh.write(chunk, at, chunk.byteLength - at)).bytesWritten;
      }
    }
    await fh.sync();
    await fh.close();
  } catch (e) {
    await fh.close().catch(() => {});
    await discardFile(tmp);
    throw e;
  }
  return tmp;
}

/** Gives the staged `tmp` the wanted mode and owner, then renames it over `path`. */
export async function commitFile(tmp: string, path: string, attrs: WantedAttrs): Promise<void> {
  try {
    // Explicit chmod: the create mode of the temp file was masked by the umask.
    if (attrs.mode !== null) await chmod(tmp, attrs.mode);
    if (attrs.uid !== null || attrs.gid !== null)
      await chown(tmp, attrs.uid ?? -1, attrs.gid ?? -1);
    await rename(tmp, path);
  } catch (e) {
    await discardFile(tmp);
    throw e;
  }
  await syncDir(dirname(path));
}

export async function discardFile(tmp: string): Promise<void> {
  await unlink(tmp).catch(() => {});
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
