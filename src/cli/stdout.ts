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
  writeBytes(b: Uint8Array): void;
  flush(): void;
  isTTY: boolean;
  columns?: number;
}

export function stdoutSink(): Sink {
  // Strings in a row are joined (one encoding, one write); bytes are kept as they are.
  let text = "";
  let parts: Uint8Array[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | null = null;
  const seal = () => {
    if (text === "") return;
    parts.push(Buffer.from(text));
    text = "";
  };
  const flush = () => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    seal();
    const out = parts;
    parts = [];
    size = 0;
    if (out.length > 0) writeAll(out.length === 1 ? out[0]! : Buffer.concat(out));
  };
  const grew = (n: number) => {
    size += n;
    if (size > 65536) flush();
    else if (timer === null) {
      timer = setTimeout(flush, 50);
      timer.unref();
    }
  };
  const sink: Sink = {
    write(s) {
      text += s;
      grew(s.length);
    },
    writeBytes(b) {
      seal();
      parts.push(b);
      grew(b.length);
    },
    flush,
    isTTY: process.stdout.isTTY === true,
  };
  if (process.stdout.columns !== undefined) sink.columns = process.stdout.columns;
  return sink;
}

/** Set once the reader went away (`cairn run | head`): later output is dropped quietly. */
let readerGone = false;

function writeAll(data: Uint8Array): void {
  if (readerGone) return;
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
