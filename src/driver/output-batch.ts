/**
 * Gathers a step's output lines into batches, so that one `step.output` event carries
 * many lines (SPEC §3.4): a batch goes out when it holds `maxChars`, `maxDelayMs` after
 * its first line (so live output stays live), when the other stream has a line (so the
 * order of stdout and stderr lines is kept), and on flush() at the end of the step.
 */

export type BatchEmit = (stream: "stdout" | "stderr", text: string, lines: number) => void;

export const BATCH_CHARS = 64 * 1024;
export const BATCH_DELAY_MS = 50;

export class OutputBatcher {
  private stream: "stdout" | "stderr" = "stdout";
  private parts: string[] = [];
  private chars = 0;
  private lines = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly emit: BatchEmit,
    private readonly maxChars = BATCH_CHARS,
    private readonly maxDelayMs = BATCH_DELAY_MS,
  ) {}

  /** `text` is whole lines joined with "\n", `lines` of them. */
  add(stream: "stdout" | "stderr", text: string, lines: number): void {
    if (this.lines > 0 && stream !== this.stream) this.flush();
    this.stream = stream;
    this.parts.push(text);
    this.chars += text.length;
    this.lines += lines;
    if (this.chars >= this.maxChars) this.flush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, this.maxDelayMs);
      // A pending batch must not keep the process alive on its own.
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.lines === 0) return;
    const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join("\n");
    const lines = this.lines;
    this.parts = [];
    this.chars = 0;
    this.lines = 0;
    this.emit(this.stream, text, lines);
  }
}
