/**
 * Standard output for reporters. Writes are buffered and flushed with one synchronous
 * write per batch: a run emits thousands of events, and a `process.stdout.write` per
 * event costs more than the steps themselves when stdout is a pipe or a file.
 * Flushed on a microtask-free schedule: whenever 64 KiB accumulate, on a 50 ms timer
 * (so live output stays live), and at the end of the run.
 */
import { writeSync } from "node:fs";

export interface Sink {
  write(s: string): void;
  flush(): void;
  isTTY: boolean;
  columns?: number;
}

export function stdoutSink(): Sink {
  let buffer = "";
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    while (buffer.length > 0) {
      const chunk = buffer;
      buffer = "";
      writeAll(chunk);
    }
  };
  const sink: Sink = {
    write(s) {
      buffer += s;
      if (buffer.length > 65536) flush();
      else if (timer === null) {
        timer = setTimeout(flush, 50);
        timer.unref();
      }
    },
    flush,
    isTTY: process.stdout.isTTY === true,
  };
  if (process.stdout.columns !== undefined) sink.columns = process.stdout.columns;
  return sink;
}

/** Set once the reader went away (`cairn run | head`): later output is dropped quietly. */
let readerGone = false;

function writeAll(text: string): void {
  if (readerGone) return;
  const data = Buffer.from(text);
  let off = 0;
  while (off < data.length) {
    try {
      off += writeSync(1, data, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EPIPE") {
        readerGone = true;
        return;
      }
      // A non-blocking pipe that is full: try again (the reader is draining it).
      if (code !== "EAGAIN") throw e;
    }
  }
}
