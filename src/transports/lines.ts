/**
 * Splits a stream of text chunks into lines for live output, keeping the whole text
 * too. A line is complete at `\n`; whatever is left is flushed at the end.
 */
export class LineCollector {
  private text = "";
  private partial = "";

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: string): void {
    this.text += chunk;
    let start = 0;
    let nl = chunk.indexOf("\n");
    if (nl === -1) {
      this.partial += chunk;
      return;
    }
    this.emit(stripCr(this.partial + chunk.slice(0, nl)));
    this.partial = "";
    start = nl + 1;
    for (nl = chunk.indexOf("\n", start); nl !== -1; nl = chunk.indexOf("\n", start)) {
      this.emit(stripCr(chunk.slice(start, nl)));
      start = nl + 1;
    }
    this.partial = chunk.slice(start);
  }

  /** Emits the unterminated last line, if any, and returns the whole text. */
  finish(): string {
    if (this.partial !== "") this.emit(stripCr(this.partial));
    this.partial = "";
    return this.text;
  }
}

/** Tools that write CRLF would otherwise leave a stray \r in every line. */
function stripCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
