/**
 * A zip reader: walks the central directory (the authoritative list; local headers
 * may hold zero sizes when a data descriptor follows), inflates stored and deflated
 * entries, and checks each one's size and CRC. Modes and symlinks come from the Unix
 * external attributes when the archive was made on Unix. Zip64 and encrypted entries
 * are refused.
 */
import { inflateRawSync } from "node:zlib";
import { type Result, err, ok } from "../../model/result.js";
import { crc32 } from "./crc32.js";
import type { ArchiveEntry } from "./entry.js";

const EOCD_SIG = 0x06054b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const HOST_UNIX = 3;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** Zip magic: a local file header, or the end record of an empty archive. */
export function looksLikeZip(buf: Buffer): boolean {
  if (buf.length < 4) return false;
  const sig = buf.readUInt32LE(0);
  return sig === LOCAL_SIG || sig === EOCD_SIG;
}

interface CentralRecord {
  name: string;
  madeBy: number;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  externalAttrs: number;
  localOffset: number;
}

export function readZip(buf: Buffer): Result<ArchiveEntry[], string> {
  const eocd = findEndRecord(buf);
  if (eocd === -1) return err("not a zip archive: no end of central directory");
  const count = buf.readUInt16LE(eocd + 10);
  const dirOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) return err("zip64 archives are not supported");
  const entries: ArchiveEntry[] = [];
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL_SIG) {
      return err("corrupt zip central directory");
    }
    const nameLen = buf.readUInt16LE(p + 28);
    const rec: CentralRecord = {
      // Info-ZIP on Unix writes the file system's bytes (UTF-8) without setting flag 11.
      name: buf.toString("utf8", p + 46, p + 46 + nameLen),
      madeBy: buf.readUInt16LE(p + 4),
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      crc: buf.readUInt32LE(p + 16),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      externalAttrs: buf.readUInt32LE(p + 38),
      localOffset: buf.readUInt32LE(p + 42),
    };
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const entry = toEntry(buf, rec);
    if (!entry.ok) return entry;
    entries.push(entry.value);
  }
  return ok(entries);
}

function toEntry(buf: Buffer, rec: CentralRecord): Result<ArchiveEntry, string> {
  const unixMode = rec.madeBy >> 8 === HOST_UNIX ? rec.externalAttrs >>> 16 : 0;
  const mode = unixMode & 0o7777 || null;
  if (rec.name.endsWith("/") || (unixMode & S_IFMT) === S_IFDIR) {
    return ok({ kind: "dir", name: rec.name, mode });
  }
  const data = entryData(buf, rec);
  if (!data.ok) return data;
  if ((unixMode & S_IFMT) === S_IFLNK) {
    return ok({ kind: "symlink", name: rec.name, target: data.value.toString("utf8") });
  }
  return ok({ kind: "file", name: rec.name, mode, data: data.value });
}

function entryData(buf: Buffer, rec: CentralRecord): Result<Buffer, string> {
  if (rec.flags & 1) return err(`encrypted zip entry not supported: ${rec.name}`);
  const at = rec.localOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL_SIG) {
    return err(`corrupt zip local header: ${rec.name}`);
  }
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const raw = buf.subarray(start, start + rec.compressedSize);
  if (raw.length !== rec.compressedSize) return err(`truncated zip entry: ${rec.name}`);
  let data: Buffer;
  if (rec.method === 0) data = raw;
  else if (rec.method === 8) {
    try {
      // The cap stops an entry from inflating past its declared size (a zip bomb).
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, rec.size) });
    } catch {
      return err(`corrupt zip entry: ${rec.name}`);
    }
  } else return err(`unsupported zip compression method ${rec.method}: ${rec.name}`);
  if (data.length !== rec.size || crc32(data) !== rec.crc) {
    return err(`corrupt zip entry (size or CRC mismatch): ${rec.name}`);
  }
  return ok(data);
}

/** The end record sits in the last 22 bytes plus a comment of up to 64 KiB. */
function findEndRecord(buf: Buffer): number {
  const lowest = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= lowest; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) return i;
  }
  return -1;
}
