/** sha256 for the plan digest and the `sources` entries. node:crypto hashes; it does no I/O. */
import { createHash } from "node:crypto";

/**
 * Characters of a string hashed per update. Hashing a large string in one update makes
 * Node encode all of it into one fresh buffer (7.6 MB for a 10,000-step plan) and that
 * memory's first touch cost as much as the hashing; a chunk's buffer is reused.
 */
const CHUNK = 1 << 16;

/** sha256 of `text` (a string: of its UTF-8 bytes), in hex. */
export function sha256Hex(text: string | Uint8Array, chunk = CHUNK): string {
  const hash = createHash("sha256");
  if (typeof text !== "string" || text.length <= chunk) return hash.update(text).digest("hex");
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + chunk, text.length);
    // Never between the two halves of a surrogate pair: each chunk encodes to its own bytes.
    if (isHigh(text.charCodeAt(end - 1)) && isLow(text.charCodeAt(end))) end++;
    hash.update(text.slice(start, end));
    start = end;
  }
  return hash.digest("hex");
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
/** NaN (past the end) is not. */
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
