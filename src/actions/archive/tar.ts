/**
 * A tar reader for POSIX ustar, pax and GNU archives: regular files, hard links (as
 * copies of the linked entry), directories and symlinks, with long names from pax
 * `path`/`linkpath` records or GNU `L`/`K` entries. Devices, fifos and other entry
 * types are refused by name rather than skipped, so nothing is silently left out.
 */
import { type Result, err, ok } from "../../model/result.js";
import type { ArchiveEntry } from "./entry.js";

const BLOCK = 512;

/** Meta data carried over to the next real entry (pax `x`, GNU `L`/`K`). */
interface Pending {
  path?: string;
  linkpath?: string;
  size?: number;
}

/** Whether `buf` starts like a tar archive: a valid header, or the end-of-archive zeros. */
export function looksLikeTar(buf: Buffer): boolean {
  if (buf.length < BLOCK) return false;
  const h = buf.subarray(0, BLOCK);
  return isZero(h) || checksumOk(h);
}

export function readTar(buf: Buffer): Result<ArchiveEntry[], string> {
  const entries: ArchiveEntry[] = [];
  const files = new Map<string, Buffer>();
  let pending: Pending = {};
  let off = 0;
  while (off + BLOCK <= buf.length) {
    const h = buf.subarray(off, off + BLOCK);
    if (isZero(h)) break;
    if (!checksumOk(h)) return err(`corrupt tar header at byte ${off}`);
    const type = String.fromCharCode(h[156] ?? 0);
    const isMeta = type === "x" || type === "g" || type === "L" || type === "K";
    const headerSize = readNumber(h, 124, 12);
    const size = isMeta ? headerSize : (pending.size ?? headerSize);
    const name = isMeta ? cString(h, 0, 100) : (pending.path ?? headerName(h));
    if (size === null) return err(`corrupt tar header: ${name}`);
    const start = off + BLOCK;
    if (start + size > buf.length) return err(`truncated tar archive at ${name}`);
    const data = buf.subarray(start, start + size);
    off = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "x") {
      const pax = parsePax(data);
      if (pax === null) return err(`corrupt pax header before ${name}`);
      pending = { ...pending, ...pax };
      continue;
    }
    // Global pax defaults only carry fields cairn does not use (times, owners).
    if (type === "g") continue;
    if (type === "L" || type === "K") {
      const value = cString(data, 0, data.length);
      pending = type === "L" ? { ...pending, path: value } : { ...pending, linkpath: value };
      continue;
    }
    const linkname = pending.linkpath ?? cString(h, 157, 100);
    pending = {};
    const mode = (readNumber(h, 100, 8) ?? 0o644) & 0o7777;
    const entry = toEntry(type, name, mode, data, linkname, files);
    if (!entry.ok) return entry;
    if (entry.value.kind === "file") files.set(name, entry.value.data);
    entries.push(entry.value);
  }
  return ok(entries);
}

function toEntry(
  type: string,
  name: string,
  mode: number,
  data: Buffer,
  linkname: string,
  files: ReadonlyMap<string, Buffer>,
): Result<ArchiveEntry, string> {
  switch (type) {
    case "0":
    case "\0":
    case "7":
      // Pre-POSIX tars mark a directory only by its trailing slash.
      if (name.endsWith("/")) return ok({ kind: "dir", name, mode });
      return ok({ kind: "file", name, mode, data });
    case "1": {
      const linked = files.get(linkname);
      if (linked === undefined) return err(`hard link to a missing entry: ${name} -> ${linkname}`);
      return ok({ kind: "file", name, mode, data: linked });
    }
    case "2":
      return ok({ kind: "symlink", name, target: linkname });
    case "5":
      return ok({ kind: "dir", name, mode });
    default:
      return err(`unsupported tar entry type '${type.replace("\0", "\\0")}': ${name}`);
  }
}

/** ustar splits long names into `prefix` + `name`; GNU tars use those bytes for times. */
function headerName(h: Buffer): string {
  const name = cString(h, 0, 100);
  const posix = h.toString("latin1", 257, 263) === "ustar\0";
  const prefix = posix ? cString(h, 345, 155) : "";
  return prefix === "" ? name : `${prefix}/${name}`;
}

/** `len key=value\n` records; `len` counts the whole record in bytes. */
function parsePax(data: Buffer): Pending | null {
  const out: Pending = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    const len = Number(data.toString("latin1", pos, space));
    if (space === -1 || !Number.isInteger(len) || len <= 0 || pos + len > data.length) return null;
    const record = data.toString("utf8", space + 1, pos + len - 1);
    const eq = record.indexOf("=");
    if (eq === -1) return null;
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === "path") out.path = value;
    else if (key === "linkpath") out.linkpath = value;
    else if (key === "size") {
      const size = Number(value);
      if (!Number.isSafeInteger(size) || size < 0) return null;
      out.size = size;
    }
    pos += len;
  }
  return out;
}

/** An octal field, or GNU base-256 (high bit set) for values that do not fit in octal. */
function readNumber(h: Buffer, at: number, len: number): number | null {
  const first = h[at] ?? 0;
  if (first & 0x80) {
    let n = first & 0x7f;
    for (let i = at + 1; i < at + len; i++) n = n * 256 + (h[i] ?? 0);
    return Number.isSafeInteger(n) ? n : null;
  }
  const text = h
    .toString("latin1", at, at + len)
    .replace(/[\0 ]+$/, "")
    .trim();
  if (text === "") return 0;
  return /^[0-7]+$/.test(text) ? Number.parseInt(text, 8) : null;
}

/** The header sum with the checksum field read as spaces; some old tars summed signed bytes. */
function checksumOk(h: Buffer): boolean {
  const stored = readNumber(h, 148, 8);
  if (stored === null) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

function cString(b: Buffer, at: number, len: number): string {
  const end = b.indexOf(0, at);
  return b.toString("utf8", at, end === -1 || end > at + len ? at + len : end);
}

function isZero(b: Buffer): boolean {
  return b.every((x) => x === 0);
}
