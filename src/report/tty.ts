/**
 * The live view on a terminal. Settled steps, command output and messages scroll up as
 * in the plain format (without the start lines); below them a live area is redrawn in place:
 *
 *   ⠹ [42/150] 3 running · 12.3s
 *     Install git 3.2s
 *     Fetch repo 1.1s
 *
 * A frame is one write: erase the live area, print the lines of the events since the last
 * frame, redraw. Frames are at least 50 ms apart, so a burst of events (1,000 quick steps)
 * costs a few frames, not thousands; a 100 ms timer draws the frame a burst left pending
 * and keeps the clocks moving; a burst larger than 256 KiB of text is drawn at once, so
 * that the view never holds a command's output. close() stops it, erases the live area,
 * prints the summary.
 */
import { Writable } from "node:stream";
import { createLogUpdate } from "log-update";
import type { RunEvent } from "../model/events.js";
import { formatDuration, type Paint, painter, truncate } from "./format.js";
import { EventLines, withHost } from "./plain.js";
import { neverThrows, type Output, type Reporter } from "./reporter.js";

export interface TtyOptions {
  color: boolean;
  diff: boolean;
  /** Width of the terminal; read from the output (on every frame) when absent. */
  columns?: number | undefined;
  verbose?: boolean;
  /** The wall clock, in ms since the epoch; injectable for tests. */
  now?: () => number;
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const TICK_MS = 100;
const MIN_FRAME_MS = 50;
/** Output waiting for the next frame is drawn at once past this size: memory stays flat. */
const MAX_PENDING_CHARS = 256 * 1024;
/** At most this many running steps are listed; the rest are counted. */
const MAX_RUNNING_SHOWN = 8;
const HIDE_CURSOR = "\x1b[?25l";
const SHOW_CURSOR = "\x1b[?25h";
// Let the terminal draw erase + new lines + live area as one frame (ignored where unknown).
const BEGIN_SYNC = "\x1b[?2026h";
const END_SYNC = "\x1b[?2026l";

export function ttyReporter(out: Output, opts: TtyOptions): Reporter {
  return neverThrows(new TtyReporter(out, opts));
}

interface Running {
  name: string;
  startedAt: number;
}

class TtyReporter implements Reporter {
  private readonly lines: EventLines;
  private readonly paint: Paint;
  private readonly now: () => number;
  private readonly screen: FrameBuffer;
  private readonly live: ReturnType<typeof createLogUpdate>;
  private readonly running = new Map<string, Running>();
  private readonly settled = new Set<string>();
  private total = 0;
  private runStartedAt: number | null = null;
  private runEndedAt: number | null = null;
  private frame = 0;
  /** Lines of events not drawn yet, and their size: a burst of output is drawn at once. */
  private pending: string[] = [];
  private pendingChars = 0;
  private lastFrameAt = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setInterval> | null = null;
  private cursorHidden = false;
  private closed = false;

  constructor(
    private readonly out: Output,
    opts: TtyOptions,
  ) {
    this.lines = new EventLines({ ...opts, startLines: false });
    this.paint = painter(opts.color);
    this.now = opts.now ?? Date.now;
    // Some pseudo-terminals (script(1), CI runners) report 0 columns: treat as unknown.
    this.screen = new FrameBuffer(() => opts.columns || out.columns || 80);
    // log-update would hide the cursor on process.stderr; we do it on our own output.
    this.live = createLogUpdate(this.screen, { showCursor: true });
  }

  onEvent(e: RunEvent): void {
    this.track(e);
    for (const line of this.lines.format(e)) {
      this.pending.push(line);
      this.pendingChars += line.length;
    }
    this.frame++;
    const finished = this.runEndedAt !== null;
    if (
      finished ||
      this.pendingChars >= MAX_PENDING_CHARS ||
      this.now() - this.lastFrameAt >= MIN_FRAME_MS
    )
      this.draw();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopTimer();
    this.draw();
    const summary = this.lines.summary();
    if (summary !== null) this.screen.write("\n" + summary);
    if (this.cursorHidden) this.screen.write(SHOW_CURSOR);
    process.off("exit", this.restoreCursor);
    this.flush();
  }

  private readonly restoreCursor = (): void => {
    this.out.write(SHOW_CURSOR);
  };

  private readonly tick = (): void => {
    try {
      this.frame++;
      this.draw();
    } catch {
      // A timer callback must not crash the process; the next event redraws anyway.
    }
  };

  private track(e: RunEvent): void {
    const at = timeOf(e.ts, this.now);
    switch (e.type) {
      case "run.started":
        this.total = e.total_steps;
        this.runStartedAt = at;
        this.runEndedAt = null;
        break;
      case "step.started":
        this.running.set(e.step_id, { name: withHost(e).name, startedAt: at });
        break;
      case "step.completed":
      case "step.skipped":
      case "step.failed":
        this.running.delete(e.step_id);
        this.settled.add(e.step_id);
        break;
      case "run.completed":
        this.running.clear();
        this.runEndedAt = at;
        this.stopTimer();
        break;
      case "plan.loaded":
      case "step.output":
      case "step.retrying":
      case "step.message":
      case "handler.notified":
      case "compensation.started":
      case "step.compensated":
        break;
    }
  }

  /** One frame: erase the live area, print the pending lines, redraw the live area. */
  private draw(): void {
    this.lastFrameAt = this.now();
    const showLive = !this.closed && this.runEndedAt === null;
    if (this.pending.length > 0 || !showLive) this.live.clear();
    if (this.pending.length > 0) {
      this.screen.write(this.pending.join("\n") + "\n");
      this.pending = [];
      this.pendingChars = 0;
    }
    if (showLive) {
      this.startTimer();
      if (!this.cursorHidden) {
        this.cursorHidden = true;
        this.screen.write(HIDE_CURSOR);
        process.once("exit", this.restoreCursor);
      }
      this.live(this.liveArea());
    }
    this.flush();
  }

  private liveArea(): string {
    const p = this.paint;
    const now = this.now();
    const width = Math.max(20, this.screen.columns - 1);
    const spinner = SPINNER[this.frame % SPINNER.length] ?? "";
    const total = this.total > 0 ? `/${this.total}` : "";
    const elapsed =
      this.runStartedAt === null ? "" : ` · ${formatDuration(now - this.runStartedAt)}`;
    const head = `${p("cyan", spinner)} ${p("bold", `[${this.settled.size}${total}]`)} ${this.running.size} running${elapsed}`;
    const lines = [head];
    let shown = 0;
    for (const step of this.running.values()) {
      if (shown === MAX_RUNNING_SHOWN) break;
      shown++;
      const time = formatDuration(now - step.startedAt);
      lines.push(`  ${truncate(step.name, width - time.length - 3)} ${p("dim", time)}`);
    }
    const more = this.running.size - shown;
    if (more > 0) lines.push(p("dim", `  … and ${more} more`));
    return lines.join("\n");
  }

  private startTimer(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(this.tick, TICK_MS);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer === null) return;
    clearInterval(this.timer);
    this.timer = null;
  }

  private flush(): void {
    const text = this.screen.take();
    if (text !== "") this.out.write(BEGIN_SYNC + text + END_SYNC);
  }
}

/** An event's time in ms since the epoch; the clock when `ts` is not a date. */
function timeOf(ts: string, now: () => number): number {
  const t = Date.parse(ts);
  return Number.isNaN(t) ? now() : t;
}

/**
 * The stream log-update draws on: it collects the writes of one event so that they reach
 * the terminal together. It says it is not a TTY so that log-update adds no synchronized-
 * output markers of its own; flush() adds them around the whole frame.
 */
class FrameBuffer extends Writable {
  private chunks: string[] = [];

  constructor(private readonly width: () => number) {
    super({ decodeStrings: false });
  }

  get columns(): number {
    return this.width();
  }

  readonly isTTY = false;

  override _write(chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(String(chunk));
    done();
  }

  take(): string {
    const text = this.chunks.join("");
    this.chunks = [];
    return text;
  }
}
