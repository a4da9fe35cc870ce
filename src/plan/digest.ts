/** sha256 for the plan digest and the `sources` entries. node:crypto hashes; it does no I/O. */
import { createHash, type Hash } from "node:crypto";

/**
 * Characters of a string hashed per update. Hashing a large string in one update makes
 * Node encode all of it into one fresh buffer (7.6 MB for a 10,000-step plan) and that
 * memory's first touch cost as much as the hashing; a chunk's buffer is reused.
 */
const CHUNK = 1 << 16;

/** sha256 of `text` (a string: of its UTF-8 bytes), in hex. */
export function sha256Hex(text: string | Uint8Array, chunk = CHUNK): string {
  const hash = createHash("sha256");
  if (typeof text === "string") update(hash, text, chunk);
  else hash.update(text);
  return hash.digest("hex");
}

function update(hash: Hash, text: string, chunk: number): void {
  if (text.length <= chunk) {
    hash.update(text);
    return;
  }
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + chunk, text.length);
    // Never between the two halves of a surrogate pair: each chunk encodes to its own bytes.
    if (isHigh(text.charCodeAt(end - 1)) && isLow(text.charCodeAt(end))) end++;
    hash.update(text.slice(start, end));
    start = end;
  }
}

/**
 * sha256Hex(JSON.stringify(record)) without building that string: the record's arrays
 * (a plan's steps) are serialized an element at a time and hashed in chunks. Building
 * the plan's JSON only to hash it made megabytes of new memory, which cost more to
 * touch than the serializing. Keys and values as JSON.stringify writes them: in
 * Object.keys order, a key whose value JSON leaves out (undefined) left out, and an
 * array element it leaves out written as null.
 */
export function jsonDigest(record: Record<string, unknown>, chunk = CHUNK): string {
  const out = new ChunkedHash(chunk);
  let sep = "{";
  for (const key of Object.keys(record)) {
    const value = record[key];
    const text = Array.isArray(value) ? null : JSON.stringify(value);
    if (text === undefined) continue;
    out.add(`${sep}${JSON.stringify(key)}:`);
    sep = ",";
    if (text !== null) {
      out.add(text);
      continue;
    }
    const list = value as unknown[];
    out.add("[");
    for (let i = 0; i < list.length; i++)
      out.add((i === 0 ? "" : ",") + (JSON.stringify(list[i]) ?? "null"));
    out.add("]");
  }
  out.add(sep === "{" ? "{}" : "}");
  return out.hex();
}

/** Pieces of JSON text hashed a chunk at a time (JSON text never splits a surrogate pair). */
class ChunkedHash {
  private readonly hash = createHash("sha256");
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly chunk: number) {}

  add(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= this.chunk) this.flush();
  }

  hex(): string {
    this.flush();
    return this.hash.digest("hex");
  }

  private flush(): void {
    update(this.hash, this.parts.join(""), this.chunk);
    this.parts = [];
    this.size = 0;
  }
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
/** NaN (past the end) is not. */
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
