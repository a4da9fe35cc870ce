/**
 * Turns a process's output bytes into blocks of whole lines for live output, holding
 * nothing but the unfinished last line. A block is the complete lines of a chunk joined
 * with "\n" (no trailing newline), with how many lines it holds: a line at a time would
 * cost a call, an event and a write per line, which for 100-byte lines is most of the work.
 *
 * UTF-8 is decoded with a streaming decoder, so a character split across chunks comes
 * out whole. A line longer than `maxLine` characters (`yes | tr -d '\n'`) is passed on in
 * pieces of `maxLine`, each counted as a line, so that memory stays bounded.
 */
import { StringDecoder } from "node:string_decoder";

export type BlockSink = (text: string, lines: number) => void;

/** Longest piece of a line held before it is passed on. */
export const MAX_LINE = 64 * 1024;

export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private partial = "";

  constructor(
    private readonly emit: BlockSink,
    private readonly maxLine = MAX_LINE,
  ) {}

  push(chunk: Buffer): void {
    this.text(this.decoder.write(chunk));
  }

  /** Emits the unterminated last line, if any. */
  end(): void {
    this.text(this.decoder.end());
    if (this.partial !== "") this.emit(stripCr(this.partial), 1);
    this.partial = "";
  }

  private text(s: string): void {
    if (s === "") return;
    const last = s.lastIndexOf("\n");
    if (last === -1) {
      this.partial += s;
      this.spill();
      return;
    }
    let block = this.partial + s.slice(0, last);
    this.partial = s.slice(last + 1);
    if (block.length > this.maxLine && longestLine(block) > this.maxLine) {
      this.emitLong(block);
    } else {
      if (block.includes("\r")) block = block.replace(/\r\n/g, "\n").replace(/\r$/, "");
      this.emit(block, countNewlines(block) + 1);
    }
    this.spill();
  }

  /** An unfinished line that grew past maxLine goes out in whole pieces now. */
  private spill(): void {
    if (this.partial.length <= this.maxLine) return;
    const keep = this.partial.length % this.maxLine || this.maxLine;
    const out = this.partial.slice(0, this.partial.length - keep);
    this.partial = this.partial.slice(out.length);
    for (let i = 0; i < out.length; i += this.maxLine) this.emit(out.slice(i, i + this.maxLine), 1);
  }

  /** A block with a line longer than maxLine: every line is cut into pieces. */
  private emitLong(block: string): void {
    for (const line of block.split("\n")) {
      const l = stripCr(line);
      if (l.length <= this.maxLine) this.emit(l, 1);
      else
        for (let i = 0; i < l.length; i += this.maxLine) this.emit(l.slice(i, i + this.maxLine), 1);
    }
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

function longestLine(s: string): number {
  let longest = 0;
  let start = 0;
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", start)) {
    longest = Math.max(longest, i - start);
    start = i + 1;
  }
  return Math.max(longest, s.length - start);
}

/** Tools that write CRLF would otherwise leave a stray \r in every line. */
function stripCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
