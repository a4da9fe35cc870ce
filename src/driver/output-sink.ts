/**
 * A step's output channel (actions/types.ts ProcessOutput): each chunk the process
 * writes goes three ways, none of which holds the whole stream —
 *   1. live: split into lines and batched into `step.output` events (output-batch.ts);
 *   2. the step's output files (output-files.ts), written with backpressure;
 *   3. the result: head and tail up to the step's limit (transports/capture.ts).
 * Memory is bounded by the limit, one batch and the file buffer, whatever the output's size.
 */
// `fsp.x` read when called, not node:fs/promises imported: in the CLI bundle that loads
// the promises API (and readline with it) at every start, for calls most runs never make.
import { promises as fsp } from "node:fs";
import type { CapturedOutput, CapturedStream, ProcessOutput } from "../actions/types.js";
import type { PlanStep } from "../model/plan.js";
import { HeadTailCapture } from "../transports/capture.js";
import { LineSplitter } from "../transports/lines.js";
import { type BatchEmit, OutputBatcher } from "./output-batch.js";
import type { OutputFiles, StreamFile } from "./output-files.js";

/** What a result keeps of each stream when neither the step nor the run says: 256 KiB. */
export const DEFAULT_OUTPUT_LIMIT = 256 * 1024;

type StreamName = "stdout" | "stderr";

export interface StepOutputOptions {
  /** Bytes kept per stream in the result. */
  limit: number;
  /** Read a cut stream back from its file for the registered value. */
  registerFull: boolean;
  /** null: no files (tests, or when the run wants none). */
  files: OutputFiles | null;
  stepId: string;
  attempt: number;
  emit: BatchEmit;
  /** A problem worth telling the user that does not fail the step (a file that cannot be written). */
  warn(message: string): void;
}

class Stream {
  readonly capture: HeadTailCapture;
  readonly lines: LineSplitter;
  file: StreamFile | null = null;

  constructor(
    readonly name: StreamName,
    limit: number,
    batcher: OutputBatcher,
  ) {
    this.capture = new HeadTailCapture(limit);
    this.lines = new LineSplitter((text, n) => batcher.add(name, text, n));
  }
}

export class StepOutput implements ProcessOutput {
  private readonly batcher: OutputBatcher;
  private readonly streams: Record<StreamName, Stream>;
  private finished: Promise<CapturedOutput> | null = null;

  constructor(private readonly opts: StepOutputOptions) {
    this.batcher = new OutputBatcher(opts.emit);
    this.streams = {
      stdout: new Stream("stdout", opts.limit, this.batcher),
      stderr: new Stream("stderr", opts.limit, this.batcher),
    };
  }

  write(name: StreamName, chunk: Buffer): undefined | Promise<void> {
    if (this.finished !== null || chunk.length === 0) return undefined;
    const s = this.streams[name];
    const wait = this.toFile(s, chunk);
    s.capture.push(chunk);
    s.lines.push(chunk);
    return wait;
  }

  finish(): Promise<CapturedOutput> {
    this.finished ??= this.close();
    return this.finished;
  }

  /** The live part, synchronously: the last lines go out now (before the step's end event). */
  flush(): void {
    if (this.finished === null) void this.finish();
  }

  private toFile(s: Stream, chunk: Buffer): undefined | Promise<void> {
    const files = this.opts.files;
    if (files === null) return undefined;
    if (s.file === null) {
      // Without a run directory only a stream longer than its limit gets a file; it then
      // starts with what the capture holds, which is everything so far (nothing was cut yet).
      if (!files.everyStream && s.capture.total + chunk.length <= s.capture.limit) return undefined;
      s.file = files.open(files.path(this.opts.stepId, this.opts.attempt, s.name));
      for (const held of s.capture.held()) void s.file.write(held);
    }
    return s.file.write(chunk);
  }

  private async close(): Promise<CapturedOutput> {
    for (const s of Object.values(this.streams)) s.lines.end();
    this.batcher.flush();
    const [stdout, stderr] = await Promise.all([
      this.captured(this.streams.stdout),
      this.captured(this.streams.stderr),
    ]);
    return { stdout, stderr };
  }

  private async captured(s: Stream): Promise<CapturedStream> {
    const { capture } = s;
    let file: string | null = null;
    if (s.file !== null) {
      await s.file.close();
      if (s.file.error === null) file = s.file.path;
      else this.opts.warn(`output not saved in full: ${s.file.error}`);
    }
    let full: string | null = null;
    if (capture.truncated && this.opts.registerFull && file !== null) {
      try {
        full = await fsp.readFile(file, "utf8");
      } catch (e) {
        this.opts.warn(`register_full: cannot read ${file} back: ${(e as Error).message}`);
      }
    }
    return { text: capture.text(), bytes: capture.total, truncated: capture.truncated, file, full };
  }
}

/** The output settings a step runs with: its own, else the run's, else the default. */
export function outputPolicy(
  step: PlanStep,
  runLimit: number | undefined,
): { limit: number; registerFull: boolean } {
  // A plan saved by an older cairn has no such fields.
  const own = (step.policy as Partial<PlanStep["policy"]>).output_limit;
  return {
    limit: own ?? runLimit ?? DEFAULT_OUTPUT_LIMIT,
    registerFull: step.policy.register_full === true,
  };
}
