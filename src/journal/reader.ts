/**
 * Reading a journal back. A torn last record — no newline, bad JSON, NUL bytes left
 * by a crash — is what a kill -9 or a power loss leaves, so it is ignored and
 * reported as `tornAt` (the byte length of the good part) for the writer to cut the
 * file back before appending. Anything wrong before the last record (a bad line, a
 * gap in `seq`) is corruption: an error naming the line.
 */
import { readFileSync } from "node:fs";
import { JOURNAL_FORMAT, type JournalRecord } from "./records.js";

export type ReadJournal =
  | { ok: true; records: JournalRecord[]; goodBytes: number; torn: boolean }
  | { ok: false; line: number; message: string };

export function readJournalFile(path: string): ReadJournal {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      return { ok: true, records: [], goodBytes: 0, torn: false };
    throw e;
  }
  return parseJournal(buf);
}

/** Parses journal bytes (see the file comment). */
export function parseJournal(buf: Buffer): ReadJournal {
  const records: JournalRecord[] = [];
  let start = 0;
  let line = 0;
  while (start < buf.length) {
    line += 1;
    const nl = buf.indexOf(0x0a, start);
    const end = nl === -1 ? buf.length : nl;
    const isLast = nl === -1 || isOnlyPadding(buf, nl + 1);
    const record = nl === -1 ? null : parseRecord(buf.subarray(start, end));
    if (record === null) {
      if (isLast) return { ok: true, records, goodBytes: start, torn: true };
      return { ok: false, line, message: "the record is not valid JSON (the journal is damaged)" };
    }
    const expected = records.length + 1;
    if (record.seq !== expected) {
      return {
        ok: false,
        line,
        message: `record seq ${String(record.seq)} where ${expected} was expected (records are missing)`,
      };
    }
    if (record.rec === "open" && record.format > JOURNAL_FORMAT) {
      return {
        ok: false,
        line,
        message: `journal format ${record.format} is newer than this cairn reads (${JOURNAL_FORMAT}); upgrade cairn`,
      };
    }
    records.push(record);
    start = end + 1;
    if (isLast && start < buf.length) return { ok: true, records, goodBytes: start, torn: true };
  }
  return { ok: true, records, goodBytes: buf.length, torn: false };
}

function parseRecord(bytes: Buffer): JournalRecord | null {
  if (bytes.includes(0)) return null;
  try {
    const v = JSON.parse(bytes.toString("utf8")) as unknown;
    if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
    const r = v as { seq?: unknown; rec?: unknown };
    if (typeof r.seq !== "number" || typeof r.rec !== "string") return null;
    return v as JournalRecord;
  } catch {
    return null;
  }
}

/** Only NUL bytes or whitespace from `from` to the end (what a crash leaves after the last record). */
function isOnlyPadding(buf: Buffer, from: number): boolean {
  for (let i = from; i < buf.length; i++) {
    const b = buf[i];
    if (b !== 0 && b !== 0x0a && b !== 0x20) return false;
  }
  return true;
}
