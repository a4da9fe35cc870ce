/**
 * The transport contract: how an action runs a process on a target. `local` spawns
 * on this machine; `ssh` runs it on a remote host over one shared connection.
 */

/** What to run and how. */
export interface ProcessSpec {
  /** Either a shell command run by `interpreter` (-c), or an argv run without a shell. */
  command: { shell: string; interpreter: string } | { argv: string[] };
  /** Merged over process.env. */
  env: Record<string, string>;
  cwd: string | null;
  /**
   * Written to the child's stdin, which is then closed; null = no stdin. Bytes and
   * streams exist for file transfer to a target (a stream is read with backpressure,
   * so a large file is never held whole).
   */
  stdin: ProcessInput | null;
  /** Run through `sudo -n` (never prompts); a no-op when already root and the user is root. */
  become: boolean;
  becomeUser: string | null;
  /** Abort = kill the whole process group: SIGTERM, then SIGKILL after a grace period. */
  signal: AbortSignal;
  /**
   * The output bytes as they come, in order per stream; nothing is kept by the transport.
   * A returned promise asks for backpressure: that stream is not read until it settles.
   */
  onOutput(stream: "stdout" | "stderr", chunk: Buffer): undefined | Promise<void>;
  /**
   * The step this process runs for, set by the driver: the journal's process records
   * name it (so that a later cairn can tell whose survivors it stops).
   */
  owner?: string;
}

/** What a process reads on stdin: text, bytes, or a stream of chunks. */
export type ProcessInput = string | Uint8Array | AsyncIterable<Uint8Array>;

/** How it ended. Exactly one of rc, signal, spawnError or unreachable explains the end. */
export interface ProcessResult {
  rc: number | null;
  signal: string | null;
  /** The run was aborted through `spec.signal` (timeout or cancel). */
  aborted: boolean;
  /** The process could not be started (missing binary, bad cwd ...). */
  spawnError: string | null;
  /**
   * The target could not be reached, or the connection dropped before the process
   * ended (remote transports only): the host failed, not the step.
   */
  unreachable?: string;
  /** Advice for the user on how to fix the failure (e.g. sudo wants a password). */
  hint?: string;
}

export interface Transport {
  readonly name: string;
  run(spec: ProcessSpec): Promise<ProcessResult>;
  /** Called once the run is over: release what is left (e.g. groups awaiting SIGKILL). */
  dispose?(): void;
}

/**
 * `transport` with every process it runs marked as run for step `owner`. The driver
 * gives each attempt one, instead of finding the step through an AsyncLocalStorage:
 * that made every promise of the run pay for async hooks.
 */
export function ownedBy(owner: string, transport: Transport): Transport {
  return { name: transport.name, run: (spec) => transport.run({ ...spec, owner }) };
}
