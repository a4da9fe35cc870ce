/**
 * Reads an archive's entries, telling the format by its magic bytes rather than its
 * file name: gzip (then tar inside), zip, or plain tar.
 */
import { gunzipSync } from "node:zlib";
import { type Result, err } from "../../model/result.js";
import type { ArchiveEntry } from "./entry.js";
import { looksLikeTar, readTar } from "./tar.js";
import { looksLikeZip, readZip } from "./zip.js";

const UNSUPPORTED = "unsupported archive format (expected .tar, .tar.gz/.tgz or .zip)";

export function readArchive(buf: Buffer): Result<ArchiveEntry[], string> {
  if (buf[0] === 0x1f && buf[1] === 0x8b) {
    let inner: Buffer;
    try {
      inner = gunzipSync(buf);
    } catch {
      return err("corrupt gzip data");
    }
    return looksLikeTar(inner) ? readTar(inner) : err("gzip content is not a tar archive");
  }
  if (looksLikeZip(buf)) return readZip(buf);
  if (looksLikeTar(buf)) return readTar(buf);
  return err(UNSUPPORTED);
}
