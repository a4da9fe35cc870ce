/**
 * The run's output files: the whole stdout and stderr of each step, as the process wrote
 * them (bytes, not lines), in `<dir>/<step id>.stdout` and `.stderr` (`.attempt-N.` before
 * the suffix for a retry). Two files rather than one interleaved log, so that a file is
 * exactly one stream and `register_full` can read it back as it was.
 *
 * With a directory given (`ExecuteOptions.outputDir`, the run directory of the journal)
 * every stream that has output gets its file. Without, files go to a temporary directory
 * and only for streams longer than their limit: the result holds all of a shorter one,
 * and a thousand small steps should not cost a thousand files.
 *
 * Writes go through a write stream with a bounded buffer; a full buffer hands back a
 * promise that the transport honours by pausing the process's pipe (backpressure).
 */
import { createHash } from "node:crypto";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Bytes buffered in the process per file before the producer is paused. */
const FILE_BUFFER = 1024 * 1024;

export class OutputFiles {
  readonly dir: string;
  /** Every stream with output gets a file, not only the cut ones. */
  readonly everyStream: boolean;
  private made = false;

  constructor(dir: string | undefined, runId: string) {
    this.everyStream = dir !== undefined;
    this.dir = dir ?? join(tmpdir(), `cairn-${fileName(runId)}`);
  }

  /** Whether a file was written to the directory (it is created on first use). */
  get used(): boolean {
    return this.made;
  }

  path(stepId: string, attempt: number, stream: "stdout" | "stderr"): string {
    const retry = attempt > 1 ? `.attempt-${attempt}` : "";
    return join(this.dir, `${fileName(stepId)}${retry}.${stream}`);
  }

  open(path: string): StreamFile {
    if (!this.made) {
      try {
        mkdirSync(this.dir, { recursive: true });
      } catch {
        // Reported through the file's own error below, naming the path.
      }
      this.made = true;
    }
    return new StreamFile(path);
  }
}

/** One output file being written. A failure to write stops writing, never the run. */
export class StreamFile {
  private readonly ws: WriteStream;
  /** Why the file is incomplete, if it is. */
  error: string | null = null;
  /** Settles when the buffer has drained (or the file failed); shared by every waiting writer. */
  private drained: Promise<void> | null = null;
  private release: () => void = () => {};
  private readonly closed: Promise<void>;

  constructor(readonly path: string) {
    this.ws = createWriteStream(path, { highWaterMark: FILE_BUFFER });
    this.closed = new Promise((resolve) => {
      this.ws.on("close", resolve);
      this.ws.on("error", (e: NodeJS.ErrnoException) => {
        this.error ??= `cannot write ${path}: ${e.code ?? e.message}`;
        this.release();
        resolve();
      });
    });
  }

  write(chunk: Buffer): undefined | Promise<void> {
    if (this.error !== null) return undefined;
    if (this.ws.write(chunk)) return undefined;
    this.drained ??= new Promise<void>((resolve) => {
      this.release = () => {
        this.drained = null;
        this.release = () => {};
        resolve();
      };
      this.ws.once("drain", () => this.release());
    });
    return this.drained;
  }

  /** Ends the file; resolves once it is on disk (or failed). */
  close(): Promise<void> {
    if (this.error === null && !this.ws.writableEnded) this.ws.end();
    return this.closed;
  }
}

/**
 * A step id as a file name: safe characters kept, anything else `_`; when that changed
 * the id (or it is long), a short hash of the id keeps two ids from sharing a file.
 */
export function fileName(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9_.-]/g, "_").replace(/^\.+/, "_");
  if (safe === id && safe.length <= 100) return safe;
  const hash = createHash("sha256").update(id).digest("hex").slice(0, 8);
  return `${safe.slice(0, 100)}-${hash}`;
}
