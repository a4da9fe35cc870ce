/**
 * The process plumbing under shell-fs.ts: run a script and collect what it prints,
 * run one and hand its stdout on as a pull stream (the process is paused while the
 * consumer is busy, and killed when the consumer stops early), and feed file data
 * to one while counting and inspecting it, remembering a failure of the data itself.
 */
import { fsError } from "./fs.js";
import type { FileData } from "./fs.js";
import type { ProcessInput, ProcessResult, Transport } from "./transport.js";

/** A script, its (already quoted) positional arguments, and how it runs. */
export interface ScriptSpec {
  command: { shell: string; interpreter: string };
  args: string[];
  stdin: ProcessInput | null;
  become: boolean;
  becomeUser: string | null;
  signal: AbortSignal;
}

export interface Collected extends ProcessResult {
  stdout: Buffer;
  stderr: Buffer;
}

/** Enough of stderr to say what went wrong. */
const STDERR_LIMIT = 64 * 1024;

function toProcess(spec: ScriptSpec) {
  const set = spec.args.length === 0 ? "" : `set -- ${spec.args.join(" ")}; `;
  return {
    command: { shell: set + spec.command.shell, interpreter: spec.command.interpreter },
    env: {},
    cwd: null,
    stdin: spec.stdin,
    become: spec.become,
    becomeUser: spec.becomeUser,
  };
}

/** Runs the script; stdout kept up to `stdoutLimit` bytes, stderr up to 64 KiB. */
export async function collect(
  transport: Transport,
  spec: ScriptSpec,
  stdoutLimit: number,
): Promise<Collected> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let outBytes = 0;
  let errBytes = 0;
  const r = await transport.run({
    ...toProcess(spec),
    signal: spec.signal,
    onOutput(stream, chunk) {
      if (stream === "stdout" && outBytes < stdoutLimit) {
        out.push(chunk);
        outBytes += chunk.length;
      } else if (stream === "stderr" && errBytes < STDERR_LIMIT) {
        err.push(chunk);
        errBytes += chunk.length;
      }
      return undefined;
    },
  });
  return { ...r, stdout: Buffer.concat(out), stderr: Buffer.concat(err) };
}

/** Data on its way to a process: what to give it as stdin, and what went through. */
export interface Feed {
  input: ProcessInput;
  /** Bytes handed to the process so far. */
  readonly bytes: number;
  /** The data's own failure (a read error, `inspect` refusing a chunk), or null. */
  readonly error: unknown;
  /** Aborted when the data failed: the process must not take a short input for all of it. */
  readonly failed: AbortSignal;
}

export function pull(data: FileData, inspect: (chunk: Uint8Array) => void): Feed {
  const failed = new AbortController();
  const state = { bytes: 0, error: null as unknown };
  const feed: Feed = {
    input: new Uint8Array(0),
    get bytes() {
      return state.bytes;
    },
    get error() {
      return state.error;
    },
    failed: failed.signal,
  };
  if (typeof data === "string" || data instanceof Uint8Array) {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    inspect(bytes);
    state.bytes = bytes.byteLength;
    feed.input = bytes;
    return feed;
  }
  feed.input = (async function* () {
    try {
      for await (const chunk of data) {
        inspect(chunk);
        state.bytes += chunk.byteLength;
        yield chunk;
      }
    } catch (e) {
      state.error = e;
      failed.abort();
    }
  })();
  return feed;
}

/**
 * The script's stdout as chunks, read only as fast as they are consumed. A non-zero
 * exit is thrown at the end as `fail(stderr)`; a cancel as ABORT_ERR.
 */
export async function* streamProcess(
  transport: Transport,
  spec: ScriptSpec & { fail: (stderr: string) => Error },
): AsyncIterable<Uint8Array> {
  const stop = new AbortController();
  const queue: Buffer[] = [];
  const err: Buffer[] = [];
  let wake: (() => void) | null = null;
  let release: (() => void) | null = null;
  let result: ProcessResult | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const done = transport
    .run({
      ...toProcess(spec),
      signal: AbortSignal.any([spec.signal, stop.signal]),
      onOutput(stream, chunk) {
        if (stream === "stderr") {
          if (err.length < 64) err.push(chunk);
          return undefined;
        }
        // Nobody reads any more: drop the rest, so the killed process can drain and end.
        if (stop.signal.aborted) return undefined;
        queue.push(chunk);
        notify();
        // The pipe stays paused until the consumer has taken this chunk.
        return new Promise<void>((r) => {
          release = r;
        });
      },
    })
    .then((r) => {
      result = r;
      notify();
    });
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk !== undefined) {
        const r = release as (() => void) | null;
        release = null;
        r?.();
        yield chunk;
        continue;
      }
      if (result !== null) break;
      await new Promise<void>((r) => {
        wake = r;
      });
    }
    const r = result as ProcessResult | null;
    if (r?.aborted) throw fsError("ABORT_ERR", "read cancelled");
    if (r?.spawnError != null) throw fsError("ETARGET", r.spawnError);
    if (r?.rc !== 0) throw spec.fail(Buffer.concat(err).toString("utf8"));
  } finally {
    if (result === null) {
      // The consumer stopped early: end the process rather than leave it blocked on its pipe.
      stop.abort();
      (release as (() => void) | null)?.();
      await done;
    }
  }
}
