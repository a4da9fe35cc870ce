/**
 * Appending to `events.jsonl`. Every record is handed to the kernel with a
 * synchronous `write` before `append` returns, so a kill -9 of cairn loses nothing
 * that was appended. Against power loss, `fdatasync` runs as a group commit: at most
 * one is in flight; records appended meanwhile are covered by the next one, and
 * `sync()` resolves when a sync that started after the call has finished. In the
 * background a sync starts at most every GROUP_MS after a record was appended (each
 * `fdatasync` costs the disk a flush, and a run of trivial steps appends thousands of
 * records a second); the end of a run, an interrupt and a `durable` step wait for one.
 */
import { closeSync, fdatasync, openSync, writeSync } from "node:fs";
import type { JournalBody, JournalSink } from "./records.js";

const GROUP_MS = 50;

export class JournalWriter implements JournalSink {
  private timer: NodeJS.Timeout | null = null;
  private readonly fd: number;
  private seq: number;
  private inFlight: Promise<void> | null = null;
  /** Records were written since the last sync began. */
  private dirty = false;
  private closed = false;

  /** Opens `path` for appending; `lastSeq` is the seq of the last good record (0 if new). */
  constructor(path: string, lastSeq: number) {
    this.fd = openSync(path, "a");
    this.seq = lastSeq;
  }

  append(body: JournalBody): void {
    if (this.closed) return;
    this.seq += 1;
    const line = `${JSON.stringify({ seq: this.seq, ...body })}\n`;
    const bytes = Buffer.from(line, "utf8");
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off);
    this.dirty = true;
    if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.dirty && this.inFlight === null) void this.sync();
      }, GROUP_MS);
      // Never keeps cairn alive: close() syncs what is left.
      this.timer.unref();
    }
  }

  get lastSeq(): number {
    return this.seq;
  }

  sync(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.inFlight !== null) {
      // Whatever is in flight may have started before our records: chain one more.
      return this.inFlight.then(() => (this.dirty ? this.sync() : undefined));
    }
    this.dirty = false;
    const done = new Promise<void>((resolve) => {
      fdatasync(this.fd, () => {
        this.inFlight = null;
        resolve();
      });
    });
    this.inFlight = done;
    return done;
  }

  /** Syncs what is left and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.sync();
    while (this.dirty) await this.sync();
    this.closed = true;
    closeSync(this.fd);
  }
}
